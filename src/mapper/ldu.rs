//! Limited Data Use on an event (DESIGN.md sections 1 and 6): under LDU the
//! event carries `data_processing_options: ["LDU"]` with its country and
//! state, as top-level event fields; otherwise none of the three.
//!
//! `ldu_column` reads the row's own flag: `1`, `true`, `yes`, `y` (any
//! case) turn LDU on for the row; `0`, `false`, `no`, `n` and an empty cell
//! leave it as the mapping says. Any other value is rejected (`bad_ldu`):
//! a flag offconv cannot read may be a customer's opt-out, and sending it
//! without LDU is not a guess to make silently.

use super::{Row, RowMapper};
use crate::config::Ldu;
use crate::outcome::{Reason, Rejection};

/// The LDU fields of a mapper, written once.
#[derive(Debug, Clone)]
pub(super) struct LduFields {
    /// Every event is under LDU.
    always: bool,
    /// `,"data_processing_options":["LDU"],…`, ready to append.
    json: String,
}

impl LduFields {
    pub fn new(ldu: &Ldu) -> LduFields {
        LduFields {
            always: ldu.always,
            json: format!(
                ",\"data_processing_options\":[\"LDU\"],\"data_processing_options_country\":{},\"data_processing_options_state\":{}",
                ldu.country, ldu.state
            ),
        }
    }
}

/// A row's LDU flag: `Some(true)` on, `Some(false)` off, `None` unreadable.
fn row_flag(value: &str) -> Option<bool> {
    let value = value.trim();
    let is = |word: &str| value.eq_ignore_ascii_case(word);
    if ["1", "true", "yes", "y"].into_iter().any(is) {
        Some(true)
    } else if value.is_empty() || ["0", "false", "no", "n"].into_iter().any(is) {
        Some(false)
    } else {
        None
    }
}

impl RowMapper {
    /// Appends the LDU fields to the event when the mapping or the row
    /// puts it under LDU.
    pub(super) fn push_ldu(&self, rec: &Row<'_>, json: &mut String) -> Result<(), Rejection> {
        let Some(ldu) = &self.ldu else {
            return Ok(());
        };
        let on = ldu.always
            || match self.plan.ldu_column {
                None => false,
                Some(col) => row_flag(self.text(rec, col)?).ok_or_else(|| {
                    Rejection::new(
                        Reason::BadLdu,
                        format!(
                            "column {}: not a Limited Data Use flag (1, true, yes or y turn LDU on; 0, false, no, n or an empty cell leave it off)",
                            self.plan.column_name(col)
                        ),
                    )
                })?,
            };
        if on {
            json.push_str(&ldu.json);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        for on in ["1", "true", "TRUE", " Yes ", "y", "Y"] {
            assert_eq!(row_flag(on), Some(true), "{on:?}");
        }
        for off in ["", "  ", "0", "false", "No", "n", "N"] {
            assert_eq!(row_flag(off), Some(false), "{off:?}");
        }
        for odd in ["x", "opted out", "2", "1.0", "ja", "-"] {
            assert_eq!(row_flag(odd), None, "{odd:?}");
        }
    }
}
