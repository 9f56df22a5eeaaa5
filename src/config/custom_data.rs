//! `[custom_data]`: the sale's value, currency, order id and extra keys,
//! and the decimal convention of every amount (`decimal_separator`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::money::Separator;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDataSection {
    pub value_column: Option<String>,
    pub currency: Option<String>,
    pub currency_column: Option<String>,
    pub order_id_column: Option<String>,
    /// `"."` (default) or `","`: how the value, line totals and item
    /// prices are written (DESIGN.md 6).
    pub decimal_separator: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// Keys offconv fills itself: not for `columns`.
const RESERVED_CUSTOM_KEYS: [&str; 7] = [
    "value",
    "currency",
    "order_id",
    "contents",
    "content_ids",
    "content_type",
    "num_items",
];

impl CustomDataSection {
    /// The decimal convention of the mapping's amounts.
    pub fn separator(&self) -> Result<Separator, String> {
        match self.decimal_separator.as_deref() {
            None | Some(".") => Ok(Separator::Point),
            Some(",") => Ok(Separator::Comma),
            Some(other) => Err(format!(
                "[custom_data] decimal_separator = {other:?}: give \".\" (1,234.56, the default) or \",\" (1.234,56)"
            )),
        }
    }

    pub(super) fn check(&self) -> Result<(), String> {
        self.separator()?;
        if self.currency.is_some() && self.currency_column.is_some() {
            return Err("[custom_data] has both currency and currency_column: keep one".into());
        }
        if let Some(code) = &self.currency
            && !crate::money::is_currency(&code.to_ascii_uppercase())
        {
            return Err(format!(
                "[custom_data] currency = {code:?} is not an ISO 4217 code (such as \"USD\", \"EUR\")"
            ));
        }
        for key in self.columns.keys() {
            if RESERVED_CUSTOM_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "[custom_data] columns has the key {key:?}, which offconv fills itself; map it with {key}_column or pick another name"
                ));
            }
        }
        Ok(())
    }
}
