//! An id value that is an email address is never sent or reported as
//! written. A column of them is refused at start-up ([`crate::job`]); this
//! catches the odd row of an id column whose first rows held ids (a
//! cashier who typed the customer's email into the order reference): its
//! id becomes `oc-` and 32 hex digits of its SHA-256, the same in every
//! run, so a resume and Meta's deduplication still see one id.

use std::borrow::Cow;

/// `id` as it may leave the machine.
pub(super) fn id_value(id: &str) -> Cow<'_, str> {
    // A byte loop, not `contains` (a memchr call, most of this function's
    // cost on ids of a dozen bytes).
    if !id.bytes().any(|b| b == b'@') || !crate::pii_columns::is_email(id) {
        return Cow::Borrowed(id);
    }
    let mut bytes = Vec::with_capacity(id.len() + 3);
    bytes.extend_from_slice(b"id\x1f");
    bytes.extend_from_slice(id.as_bytes());
    let digest = crate::normalize::sha256_hex(&bytes);
    let hex = std::str::from_utf8(&digest[..32]).expect("hex is ASCII");
    Cow::Owned(format!("oc-{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_id_is_hashed_and_stable() {
        assert_eq!(id_value("SO-1001"), "SO-1001");
        assert_eq!(id_value("gift@wrap"), "gift@wrap");
        let hashed = id_value("jane@example.com");
        assert!(hashed.starts_with("oc-") && hashed.len() == 35, "{hashed}");
        assert!(!hashed.contains("jane"));
        assert_eq!(hashed, id_value("jane@example.com"));
    }
}
