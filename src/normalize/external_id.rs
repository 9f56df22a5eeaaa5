//! `external_id`: the advertiser's own customer id. Delete every
//! whitespace character (not only at the ends: ids pasted from a report
//! carry spaces inside), then lowercase. Whether it is hashed is the
//! caller's choice (`hash_external_id`); the normalized value is the same.

use super::text;

/// Writes the normalized id into `out` (empty: dropped).
pub(crate) fn normalize(input: &str, out: &mut String) {
    let input = text::nfc(input);
    text::push_lowercase_filtered(&input, out, |c| !text::is_js_whitespace(c));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(input: &str) -> String {
        let mut out = String::new();
        normalize(input, &mut out);
        out
    }

    #[test]
    fn whitespace_goes_everywhere() {
        assert_eq!(id("  CUST 001\t23 "), "cust00123");
        assert_eq!(id("\u{A0}CUST1\u{FEFF}"), "cust1");
        assert_eq!(id(" \u{3000} "), "");
    }

    #[test]
    fn punctuation_and_zeros_stay() {
        assert_eq!(id("loyalty#4711"), "loyalty#4711");
        assert_eq!(id("00123"), "00123");
        assert_eq!(id("ÄBC-1"), "äbc-1");
        // U+0085 is not whitespace to JavaScript.
        assert_eq!(id("a\u{85}b"), "a\u{85}b");
    }
}
