//! `[user_data]`: the customer keys, hashed (`em`, `ph`, …) or sent as
//! given (`client_ip_address`, …), each from one column or several.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::normalize::Field;
use crate::suggest::closest;

/// Columns that do not get hashed: sent trimmed, as given.
pub const PLAIN_KEYS: [&str; 7] = [
    "client_ip_address",
    "client_user_agent",
    "fbc",
    "fbp",
    "lead_id",
    "madid",
    "subscription_id",
];

/// One column or several (several become a list in `user_data`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Many(Vec<String>),
}

impl Columns {
    pub fn names(&self) -> &[String] {
        match self {
            Columns::One(one) => std::slice::from_ref(one),
            Columns::Many(many) => many,
        }
    }
}

/// The keys of `[user_data]`: hashed fields (in [`Field::ALL`] order),
/// plain keys, and the column of whole names that feeds `fn` and `ln`.
pub(super) struct UserKeys {
    pub hashed: Vec<(Field, Vec<String>)>,
    pub plain: Vec<(&'static str, String)>,
    pub full_name: Option<String>,
}

/// The key of the column that holds whole names (`Billing Name`), split
/// into `fn` and `ln` per row (`normalize::split_full_name`).
pub const FULL_NAME: &str = "full_name";

pub(super) fn check(user_data: &BTreeMap<String, Columns>) -> Result<UserKeys, String> {
    let mut hashed: Vec<(Field, Vec<String>)> = Vec::new();
    let mut plain = Vec::new();
    let mut full_name = None;
    for (key, columns) in user_data {
        if columns.names().is_empty() {
            return Err(format!("[user_data] {key} lists no column"));
        }
        if key == FULL_NAME {
            match columns {
                Columns::One(col) => full_name = Some(col.clone()),
                Columns::Many(_) => {
                    return Err(format!(
                        "[user_data] {FULL_NAME} takes one column, not a list (map fn and ln for more)"
                    ));
                }
            }
        } else if let Some(field) = Field::from_key(key) {
            hashed.push((field, columns.names().to_vec()));
        } else if let Some(&plain_key) = PLAIN_KEYS.iter().find(|k| **k == key) {
            match columns {
                Columns::One(col) => plain.push((plain_key, col.clone())),
                Columns::Many(_) => {
                    return Err(format!("[user_data] {key} takes one column, not a list"));
                }
            }
        } else {
            let known = Field::ALL
                .iter()
                .map(|f| f.key())
                .chain(PLAIN_KEYS.iter().copied())
                .chain([FULL_NAME]);
            let hint = closest(key, known)
                .map(|c| format!("; did you mean {c}?"))
                .unwrap_or_default();
            return Err(format!(
                "[user_data] {key} is not a customer-information key Meta knows{hint} (known: em ph fn ln ge db ct st zp country external_id, {FULL_NAME} (split into fn and ln), and unhashed {})",
                PLAIN_KEYS.join(" ")
            ));
        }
    }
    hashed.sort_by_key(|(f, _)| *f);
    if hashed.is_empty() && plain.is_empty() && full_name.is_none() {
        return Err(
            "[user_data] maps no column: Meta needs at least one customer key (em = \"email\", ph = \"phone\", …) to match a sale".into(),
        );
    }
    Ok(UserKeys {
        hashed,
        plain,
        full_name,
    })
}
