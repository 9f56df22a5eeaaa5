//! What a column's name says it holds: the spellings exports use for each
//! field ([`super::spellings`], in seven languages), compared without case,
//! spaces, underscores or dashes (`Postal Code`, `postal_code` and
//! `POSTAL-CODE` are one name), behind or before a qualifier (`Billing City`,
//! `City (Billing)`, `Kunde E-Mail`).
//!
//! A name match is a claim that [`super::profile`] still checks against the
//! values: a column called `date` full of words is not a sale time.

use super::spellings::{PARTIAL_AMOUNT, QUALIFIERS, SPELLINGS};

/// What a column may hold, as far as `init` is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Email,
    Phone,
    FirstName,
    LastName,
    /// A whole name: noted, never mapped (Meta wants first and last apart).
    FullName,
    Gender,
    Dob,
    City,
    State,
    Zip,
    Country,
    ExternalId,
    OrderId,
    Time,
    Value,
    Currency,
}

/// How sure a name match is; higher wins when two columns claim a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Only the ending says so (`Settled On Date` ends in `date`).
    Suffix = 1,
    /// A known spelling behind a qualifier (`Billing City`, `alt_email`).
    Qualified = 2,
    /// A known spelling as it is.
    Exact = 3,
    /// A known spelling of the sale time itself (`purchased_at`), which
    /// beats a generic one (`created_at`).
    SaleTime = 4,
}

/// A role claimed by a column's name. `rank` orders spellings of one role
/// (lower is more specific: `order_total` before `price`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameMatch {
    pub role: Role,
    pub strength: Strength,
    pub rank: usize,
}

/// The first generic time spelling; those before it are sale times.
const FIRST_GENERIC_TIME: &str = "createdat";

/// Endings that mark a time when nothing else matched (`Settled At`).
const TIME_ENDINGS: &[&str] = &["at", "date", "time", "datetime", "timestamp"];

/// Lowercase ASCII letters and digits only; `#` reads as "no", so
/// `Receipt #` and `receipt_no` are one name.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c == '#' {
            out.push_str("no");
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The role a column's name claims, if any.
pub fn match_name(name: &str) -> Option<NameMatch> {
    let folded = fold(name);
    if folded.is_empty() {
        return None;
    }
    if let Some(m) = lookup(&folded, Strength::Exact) {
        return Some(m);
    }
    // `email2`, `Phone 2`: a second column of the same field.
    let trimmed = folded.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < folded.len()
        && let Some(m) = lookup(trimmed, Strength::Qualified)
    {
        return Some(m);
    }
    for q in QUALIFIERS {
        if let Some(rest) = folded.strip_prefix(q)
            && !rest.is_empty()
        {
            let rest = rest.trim_end_matches(|c: char| c.is_ascii_digit());
            if let Some(m) = lookup(rest, Strength::Qualified) {
                return Some(m);
            }
        }
    }
    // `First Name (Billing)`: the qualifier after the field.
    for q in QUALIFIERS {
        if let Some(rest) = folded.strip_suffix(q)
            && !rest.is_empty()
            && let Some(m) = lookup(rest, Strength::Qualified)
        {
            return Some(m);
        }
    }
    // `Email (alt)`, `phone_mobile`: the field first, a qualifier after.
    for (role, names) in SPELLINGS {
        if !matches!(role, Role::Email | Role::Phone) {
            continue;
        }
        for (rank, n) in names.iter().enumerate() {
            if let Some(rest) = folded.strip_prefix(n)
                && QUALIFIERS
                    .iter()
                    .chain(&["mobile", "cell", "alt", "1", "2", "3"])
                    .any(|q| rest == *q)
            {
                return Some(NameMatch {
                    role: *role,
                    strength: Strength::Qualified,
                    rank,
                });
            }
        }
    }
    // Birth dates end in "date" too; they matched above, so reaching
    // this point means the name is not one.
    if TIME_ENDINGS
        .iter()
        .any(|e| folded.ends_with(e) && folded.len() > e.len() + 2)
    {
        return Some(NameMatch {
            role: Role::Time,
            strength: Strength::Suffix,
            rank: usize::MAX,
        });
    }
    None
}

fn lookup(folded: &str, strength: Strength) -> Option<NameMatch> {
    for (role, names) in SPELLINGS {
        if let Some(rank) = names.iter().position(|n| *n == folded) {
            let strength =
                if *role == Role::Time && strength == Strength::Exact && rank < generic_time_rank()
                {
                    Strength::SaleTime
                } else {
                    strength
                };
            return Some(NameMatch {
                role: *role,
                strength,
                rank,
            });
        }
    }
    None
}

fn generic_time_rank() -> usize {
    SPELLINGS
        .iter()
        .find(|(r, _)| *r == Role::Time)
        .and_then(|(_, names)| names.iter().position(|n| *n == FIRST_GENERIC_TIME))
        .unwrap_or(0)
}

/// Words in a name that say a money column is not the order's value.
pub fn is_partial_amount(name: &str) -> bool {
    let folded = fold(name);
    PARTIAL_AMOUNT.iter().any(|w| folded.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> Option<(Role, Strength)> {
        match_name(name).map(|m| (m.role, m.strength))
    }

    #[test]
    fn spellings_fold_case_and_separators() {
        assert_eq!(role("E-Mail"), Some((Role::Email, Strength::Exact)));
        assert_eq!(role("Postal Code"), Some((Role::Zip, Strength::Exact)));
        assert_eq!(role("ZIP_CODE"), Some((Role::Zip, Strength::Exact)));
        assert_eq!(role("Receipt #"), Some((Role::OrderId, Strength::Exact)));
        assert_eq!(role("purchased_at"), Some((Role::Time, Strength::SaleTime)));
        assert_eq!(role("Created at"), Some((Role::Time, Strength::Exact)));
        assert_eq!(role("date_of_birth"), Some((Role::Dob, Strength::Exact)));
    }

    #[test]
    fn qualified_and_suffix_names() {
        assert_eq!(
            role("Billing City"),
            Some((Role::City, Strength::Qualified))
        );
        assert_eq!(role("alt_email"), Some((Role::Email, Strength::Qualified)));
        assert_eq!(role("Email 2"), Some((Role::Email, Strength::Qualified)));
        assert_eq!(
            role("phone_mobile"),
            Some((Role::Phone, Strength::Qualified))
        );
        assert_eq!(role("Settled At"), Some((Role::Time, Strength::Suffix)));
        assert_eq!(
            role("Billing Name"),
            Some((Role::FullName, Strength::Qualified))
        );
        assert_eq!(role("Email Marketing"), None);
        assert_eq!(role("notes"), None);
        assert_eq!(role(""), None);
        assert_eq!(role("###"), None);
    }

    #[test]
    fn partial_amounts() {
        assert!(is_partial_amount("Tax Total"));
        assert!(is_partial_amount("Lineitem price"));
        assert!(!is_partial_amount("Grand Total"));
    }
}
