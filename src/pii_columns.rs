//! Columns that hold email addresses or phone numbers, told from their
//! first values. Such a column must not feed a field offconv sends or
//! reports as written: `id_column` (the event id, in every report line)
//! and `order_id_column` are refused ([`crate::job`]), other raw fields
//! draw a warning; `init` never proposes such a column as the id.
//!
//! The rules are explicit, so a reader can predict them:
//! - an email is `local@domain.tld` without whitespace;
//! - a phone is 7 to 15 digits written as a phone number: a leading `+`,
//!   an area code in parentheses, or three or more digit groups split by
//!   spaces, `-` or `.` (`415-555-0169`, `020 7946 0958`), never a date
//!   shape (`2026-11-25`, `25.11.2026`); plain digits (`4155550169`)
//!   count only in a column whose name says phone, since order numbers
//!   are plain digits too;
//! - a column holds them when at least half of its non-empty sampled
//!   values are such.

/// What a column holds that must not go out as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pii {
    Emails,
    Phones,
}

impl Pii {
    /// In words, for messages.
    pub fn words(self) -> &'static str {
        match self {
            Pii::Emails => "email addresses",
            Pii::Phones => "phone numbers",
        }
    }
}

/// What a column's sampled values hold, with the count that says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub holds: Pii,
    /// Values of that kind among `of` non-empty values.
    pub count: usize,
    pub of: usize,
}

/// `local@domain.tld`, no whitespace.
pub fn is_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A number written as a phone number (see the module rules).
pub fn is_formatted_phone(v: &str) -> bool {
    let v = v.trim();
    let body = v.strip_prefix('+');
    let text = body.unwrap_or(v);
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')'))
    {
        return false;
    }
    let groups: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    let digits: usize = groups.iter().sum();
    if !(7..=15).contains(&digits) {
        return false;
    }
    if body.is_some() {
        return true;
    }
    if text.contains('(') && text.contains(')') {
        return true;
    }
    groups.len() >= 3 && !is_date_shape(&groups)
}

/// Plain digits, 7 to 15 of them, maybe after a `+`.
fn is_digit_phone(v: &str) -> bool {
    let v = v.trim();
    let digits = v.strip_prefix('+').unwrap_or(v);
    (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `2026-11-25`, `25.11.2026`, `11/25/26` read as digit groups.
fn is_date_shape(groups: &[usize]) -> bool {
    match groups {
        [4, a, b] => *a <= 2 && *b <= 2,
        [a, b, c] => *a <= 2 && *b <= 2 && (*c == 4 || *c == 2),
        _ => false,
    }
}

/// Excel's text guard (`'00123`, `="00123"`) does not hide a value.
fn unguarded(v: &str) -> &str {
    let v = v.trim();
    if let Some(inner) = v.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        return inner;
    }
    v.strip_prefix('\'').unwrap_or(v)
}

/// What `values` (a column's first values) hold, if half or more of the
/// non-empty ones are email addresses or phone numbers. `named_phone`:
/// the column's name says phone, so plain digits count.
pub fn column_holds<'a>(
    values: impl IntoIterator<Item = &'a str>,
    named_phone: bool,
) -> Option<Verdict> {
    let (mut of, mut emails, mut phones) = (0, 0, 0);
    for raw in values {
        let v = unguarded(raw);
        if v.is_empty() {
            continue;
        }
        of += 1;
        if is_email(v) {
            emails += 1;
        } else if is_formatted_phone(v) || (named_phone && is_digit_phone(v)) {
            phones += 1;
        }
    }
    let verdict = |holds, count| Verdict { holds, count, of };
    if of == 0 {
        None
    } else if emails * 2 >= of {
        Some(verdict(Pii::Emails, emails))
    } else if phones * 2 >= of {
        Some(verdict(Pii::Phones, phones))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_told_from_dates_amounts_and_ids() {
        for phone in [
            "+1 415 555 0169",
            "+14155550169",
            "(415) 555-0169",
            "415-555-0169",
            "415.555.0169",
            "020 7946 0958",
            "06 12 34 56 78",
            "'+44 20 7946 0958",
        ] {
            assert!(is_formatted_phone(unguarded(phone)), "{phone}");
        }
        for not in [
            "2026-11-25",
            "25.11.2026",
            "11-25-26",
            "12345.67",
            "1,234.56",
            "SO-00000001",
            "#1001",
            "4155550169",
            "2026-000123",
            "10:30:00",
            "+12",
        ] {
            assert!(!is_formatted_phone(not), "{not}");
        }
    }

    #[test]
    fn a_column_holds_what_half_its_values_are() {
        let emails = ["a@example.com", "", "b@example.com", "n/a"];
        assert_eq!(
            column_holds(emails, false),
            Some(Verdict {
                holds: Pii::Emails,
                count: 2,
                of: 3
            })
        );
        assert_eq!(column_holds(["1001", "1002", "1003"], false), None);
        assert_eq!(column_holds(["4155550169", "4155550170"], false), None);
        assert_eq!(
            column_holds(["4155550169", "4155550170"], true).map(|v| v.holds),
            Some(Pii::Phones)
        );
        assert_eq!(column_holds(["", " "], true), None);
        assert!(!is_email("not@an address.com"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("a@localhost"));
    }
}
