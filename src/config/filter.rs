//! `[filter]` (DESIGN.md 6): rows that are not conversions (refunds, voids,
//! test orders) left out by the values of named columns, reported
//! `skipped` / `filtered`. Values compare trimmed and case-insensitively.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterSection {
    /// Skip a row when any listed column holds one of its listed values.
    #[serde(default)]
    pub skip: BTreeMap<String, Vec<String>>,
    /// Send a row only when every listed column holds one of its values.
    #[serde(default)]
    pub only: BTreeMap<String, Vec<String>>,
}

impl FilterSection {
    pub fn is_empty(&self) -> bool {
        self.skip.is_empty() && self.only.is_empty()
    }

    pub(super) fn check(&self) -> Result<(), String> {
        for (key, rules) in [("skip", &self.skip), ("only", &self.only)] {
            for (column, values) in rules {
                if values.is_empty() {
                    return Err(format!(
                        "[filter] {key} lists no value for column {column:?}: give the values, such as [\"refunded\"]"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One filter rule bound to a header: the column and its values, trimmed
/// and lowercased.
#[derive(Debug, Clone)]
pub struct FilterRule {
    pub column: usize,
    pub values: Vec<String>,
}

/// `[filter]` bound to a header.
#[derive(Debug, Clone, Default)]
pub struct FilterPlan {
    pub skip: Vec<FilterRule>,
    pub only: Vec<FilterRule>,
}

impl FilterPlan {
    /// Why a row whose column values `value(col)` gives is left out, or
    /// `None` to keep it. `name` gives a column's header name.
    pub fn verdict<'a>(
        &self,
        mut value: impl FnMut(usize) -> &'a str,
        name: impl Fn(usize) -> &'a str,
    ) -> Option<String> {
        // The listed values are lower case already. An ASCII cell (nearly
        // all: statuses, flags) compares without a lower-cased copy; that
        // copy was an allocation per cell and most of a filter's cost.
        let holds = |rule: &FilterRule, v: &str| {
            let v = v.trim();
            let lower = (!v.is_ascii()).then(|| v.to_lowercase());
            rule.values
                .iter()
                .any(|w| w.eq_ignore_ascii_case(v) || lower.as_ref().is_some_and(|l| w == l))
        };
        for rule in &self.skip {
            if holds(rule, value(rule.column)) {
                return Some(format!(
                    "column {}: a value [filter] skip lists",
                    name(rule.column)
                ));
            }
        }
        for rule in &self.only {
            if !holds(rule, value(rule.column)) {
                return Some(format!(
                    "column {}: not a value [filter] only lists",
                    name(rule.column)
                ));
            }
        }
        None
    }
}

/// The rules of one table bound to a header (the columns were checked).
pub(super) fn bind(
    rules: &BTreeMap<String, Vec<String>>,
    find: impl Fn(&str) -> Option<usize>,
) -> Vec<FilterRule> {
    rules
        .iter()
        .filter_map(|(column, values)| {
            Some(FilterRule {
                column: find(column)?,
                values: values.iter().map(|v| v.trim().to_lowercase()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_any_only_every() {
        let plan = FilterPlan {
            skip: vec![FilterRule {
                column: 0,
                values: vec!["refunded".into(), "voided".into()],
            }],
            only: vec![FilterRule {
                column: 1,
                values: vec!["paid".into()],
            }],
        };
        let name = |_| "c";
        let row = |a: &'static str, b: &'static str| {
            let v = [a, b];
            plan.verdict(move |c| v[c], name)
        };
        assert_eq!(row(" Paid ", "PAID"), None);
        assert!(row(" REFUNDED ", "paid").unwrap().contains("skip"));
        assert!(row("", "pending").unwrap().contains("only"));
        assert_eq!(row("Voided!", "paid"), None);
    }
}
