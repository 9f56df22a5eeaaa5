//! Start-up checks of the columns a mapping sends as written, judged by
//! the input's first rows ([`crate::pii_columns`]):
//!
//! - `[event] id_column` or `[custom_data] order_id_column` on a column
//!   of email addresses or phone numbers is refused: the event id goes
//!   into every report line and the order id to Meta as written, and one
//!   customer's sales would share one id (the ledger would then skip the
//!   customer's next sale as already sent).
//! - a raw field (`custom_data.columns`, `client_user_agent`, `fbp`,
//!   `fbc`, `lead_id`, the other keys sent as given, or `external_id`
//!   with `hash_external_id = false`) on such a column draws a warning,
//!   once, naming the key and the column, never a value.

use crate::config::{Mapping, Plan};
use crate::normalize::Field;
use crate::pii_columns::{self, Verdict};
use crate::source::Input;

/// What a column holds, from the input's sample.
fn holds(input: &Input, plan: &Plan, col: usize) -> Option<Verdict> {
    let name = plan.column_name(col);
    let values = input
        .sample
        .iter()
        .filter_map(|r| r.get(col))
        .filter_map(|v| std::str::from_utf8(v).ok());
    pii_columns::column_holds(values, crate::init::named_like_phone(name))
}

fn evidence(v: &Verdict, input: &Input) -> String {
    format!(
        "the first rows of {} hold {} there ({} of {} values)",
        input.name,
        v.holds.words(),
        v.count,
        v.of
    )
}

/// A warning with the `(key, column)` it is about, so that several inputs
/// with one mapping warn once.
pub(super) type Warning = ((String, String), String);

/// Refuses an id column of customer details; returns the warnings for
/// raw fields fed from one.
pub(super) fn check(mapping: &Mapping, plan: &Plan, input: &Input) -> anyhow::Result<Vec<Warning>> {
    let ids = [
        (
            "[event] id_column",
            plan.id_column,
            "the event id is written to every report line and sent as it is, and one customer's sales would share it",
            " (each row's event id is then a hash of its values)",
        ),
        (
            "[custom_data] order_id_column",
            plan.order_id_column,
            "the order id is sent to Meta as it is, and Meta deduplicates sales by it",
            "",
        ),
    ];
    for (key, col, why, without) in ids {
        let Some(col) = col else { continue };
        if let Some(v) = holds(input, plan, col) {
            anyhow::bail!(
                "{}: {key} = \"{}\": {}: {why}; map an order or receipt number instead, or leave the key out{without}",
                mapping.path.display(),
                plan.column_name(col),
                evidence(&v, input)
            );
        }
    }
    let mut raw: Vec<(String, usize)> = plan
        .custom_columns
        .iter()
        .map(|(k, c)| (format!("[custom_data] columns.{k}"), *c))
        .collect();
    raw.extend(
        plan.plain
            .iter()
            .map(|(k, c)| (format!("[user_data] {k}"), *c)),
    );
    if !mapping.options.hash_external_id {
        for (field, cols) in &plan.hashed {
            if *field == Field::ExternalId {
                raw.extend(
                    cols.iter()
                        .map(|c| ("[user_data] external_id".to_owned(), *c)),
                );
            }
        }
    }
    Ok(raw
        .into_iter()
        .filter_map(|(key, col)| {
            let v = holds(input, plan, col)?;
            let column = plan.column_name(col).to_owned();
            let unhashed = if key.ends_with("external_id") {
                " (hash_external_id = false)"
            } else {
                ""
            };
            let text = format!(
                "offconv: warning: {key} = \"{column}\"{unhashed}: {}, and this key is sent as written, not hashed; map the column under [user_data] as em or ph (hashed), or leave it out",
                evidence(&v, input)
            );
            Some(((key, column), text))
        })
        .collect())
}
