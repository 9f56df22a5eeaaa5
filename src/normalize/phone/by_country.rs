//! The phone region of a row's own country (DESIGN.md section 6: with
//! `country` mapped and `phone_region` set, a row's country is its phone
//! region when it normalizes to an ISO code libphonenumber knows).
//!
//! The row loop asks for every row, so the answer is a lookup in a table
//! of all 676 two-letter codes, built once.

use std::sync::LazyLock;

use super::PhoneRegion;

static BY_CODE: LazyLock<Vec<Option<PhoneRegion>>> = LazyLock::new(|| {
    let mut table = Vec::with_capacity(26 * 26);
    for a in b'a'..=b'z' {
        for b in b'a'..=b'z' {
            let code = [a, b];
            let code = std::str::from_utf8(&code).expect("ASCII");
            table.push(code.parse().ok());
        }
    }
    table
});

impl PhoneRegion {
    /// The region of a normalized country code (`us`, `za`: two lowercase
    /// letters, as `country` hashes); `None` when libphonenumber has no
    /// region of that code, or the code is not two letters.
    pub fn of_country(code: [u8; 2]) -> Option<PhoneRegion> {
        let [a, b] = code;
        if !a.is_ascii_lowercase() || !b.is_ascii_lowercase() {
            return None;
        }
        BY_CODE[usize::from(a - b'a') * 26 + usize::from(b - b'a')]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_only() {
        assert_eq!(PhoneRegion::of_country(*b"za").unwrap().as_str(), "ZA");
        assert_eq!(PhoneRegion::of_country(*b"us").unwrap().as_str(), "US");
        assert_eq!(PhoneRegion::of_country(*b"gb").unwrap().as_str(), "GB");
        // Not regions libphonenumber has metadata for.
        assert_eq!(PhoneRegion::of_country(*b"zz"), None);
        assert_eq!(PhoneRegion::of_country(*b"aq"), None);
        assert_eq!(PhoneRegion::of_country(*b"US"), None);
        assert_eq!(PhoneRegion::of_country(*b"1a"), None);
    }
}
