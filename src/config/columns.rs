//! Columns the mapping reads more than once, or cannot tell apart
//! (issue 16). A header that names two columns the same way (`Email`,
//! `Email`) used to feed the first one silently; when the mapping reads
//! that name, the run now stops (the export must say which). One column
//! fed to two keys is often a slip (`fn` and `ln` both on `Name`), so it
//! gets a warning, except for the pairs that are meant to share it.

use std::collections::BTreeMap;

use super::Mapping;

/// Keys that name the order and may well read the same column: an order's
/// id is its event id, its `order_id` and what its line items group by.
const ORDER_IDENTITY: [&str; 3] = [
    "[event] id_column",
    "[custom_data] order_id_column",
    "[event] group_by",
];

/// The two positions (0-based) a column name could mean, when it could
/// mean more than one: two exact matches, or, without an exact match, two
/// that differ only in case and surrounding spaces (as `find_column`
/// reads them). `None` when the name is missing or unambiguous.
pub(super) fn ambiguous(header: &[String], name: &str) -> Option<(usize, usize)> {
    let two = |matches: &mut dyn Iterator<Item = usize>| match (matches.next(), matches.next()) {
        (Some(a), Some(b)) => Some(Some((a, b))),
        (Some(_), None) => Some(None),
        _ => None,
    };
    let mut exact = header
        .iter()
        .enumerate()
        .filter(|(_, h)| *h == name)
        .map(|(i, _)| i);
    if let Some(found) = two(&mut exact) {
        return found;
    }
    let mut loose = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.trim().eq_ignore_ascii_case(name.trim()))
        .map(|(i, _)| i);
    two(&mut loose).flatten()
}

/// Whether two keys reading one column is expected: `[filter]` reads a
/// column only to leave rows out, and the order's identity keys share it.
fn meant_to_share(a: &str, b: &str) -> bool {
    a.starts_with("[filter]")
        || b.starts_with("[filter]")
        || (ORDER_IDENTITY.contains(&a) && ORDER_IDENTITY.contains(&b))
}

impl Mapping {
    /// Warnings for each column of `header` that feeds two keys which are
    /// not meant to share one (see [`meant_to_share`]), naming the column
    /// and both keys. Call after [`Mapping::resolve`] succeeded.
    pub fn shared_column_warnings(&self, header: &[String], input: &str) -> Vec<String> {
        let mut keys_by_column: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (key, col) in self.column_uses() {
            if let Some(index) = super::plan::find_column(header, col) {
                keys_by_column.entry(index).or_default().push(key);
            }
        }
        let mut warnings = Vec::new();
        for (index, keys) in keys_by_column {
            let Some((a, b)) = first_clash(&keys) else {
                continue;
            };
            let column = header
                .get(index)
                .filter(|c| crate::redact::quotable(header, c))
                .map_or_else(String::new, |c| format!("\"{c}\" "));
            let what = if a == b {
                format!("{a} lists it twice")
            } else {
                format!("it feeds both {a} and {b}")
            };
            warnings.push(format!(
                "offconv: warning: mapping file {}: column {column}(column {} of {input}): {what}; check that this is meant",
                self.path.display(),
                index + 1
            ));
        }
        warnings
    }
}

/// The first two keys on one column that are not meant to share it.
fn first_clash(keys: &[String]) -> Option<(&str, &str)> {
    keys.iter().enumerate().find_map(|(i, a)| {
        keys[i + 1..]
            .iter()
            .find(|b| !meant_to_share(a, b))
            .map(|b| (a.as_str(), b.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|&n| n.to_owned()).collect()
    }

    #[test]
    fn ambiguous_names() {
        let h = header(&["Email", "Total", "Email", "email ", "EMAIL"]);
        assert_eq!(ambiguous(&h, "Email"), Some((0, 2)));
        // One exact match wins over the loose ones, as find_column reads it.
        assert_eq!(ambiguous(&h, "email "), None);
        assert_eq!(ambiguous(&h, "Total"), None);
        assert_eq!(ambiguous(&h, "Missing"), None);
        let h = header(&["Phone ", "phone"]);
        assert_eq!(ambiguous(&h, "PHONE"), Some((0, 1)));
    }

    #[test]
    fn which_keys_may_share_a_column() {
        let keys = |k: &[&str]| k.iter().map(|&s| s.to_owned()).collect::<Vec<_>>();
        assert_eq!(
            first_clash(&keys(&[
                "[event] id_column",
                "[custom_data] order_id_column",
                "[event] group_by",
                "[filter] skip",
            ])),
            None
        );
        assert_eq!(
            first_clash(&keys(&[
                "[user_data] fn",
                "[filter] only",
                "[user_data] ln"
            ])),
            Some(("[user_data] fn", "[user_data] ln"))
        );
        assert_eq!(
            first_clash(&keys(&["[event] id_column", "[user_data] external_id"])),
            Some(("[event] id_column", "[user_data] external_id"))
        );
        assert_eq!(
            first_clash(&keys(&["[user_data] em", "[user_data] em"])),
            Some(("[user_data] em", "[user_data] em"))
        );
    }
}
