//! `em`: lowercase, trim, then the address must match the reference's
//! pattern or it is dropped. No plus-tag or dot removal: Meta hashes the
//! address as the customer typed it, lowercased.
//!
//! The pattern is checked by hand rather than with a regex engine: it is
//! small, purely ASCII, and a hand-written check costs no start-up and no
//! allocation. It is the reference's pattern with its typo fixed (**offconv**:
//! `(:?` stood for `(?:` and let a `:` sit before a dot):
//!
//! ```text
//! ^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$
//! ```

use super::text;

/// Writes the normalized address of `input` (already trimmed) into `out`,
/// or leaves `out` empty when the address is not valid.
pub(crate) fn normalize(input: &str, out: &mut String) {
    let input = text::nfc(input);
    text::push_lowercase(&input, out);
    // Lowercasing cannot create or remove JavaScript whitespace, so trimming
    // the input before it (as the caller did) equals trimming after it.
    if !is_valid(out.as_bytes()) {
        out.clear();
    }
}

/// The pattern above, on a lowercased address. Any non-ASCII byte fails:
/// the pattern's classes are ASCII only (the reference does not use the
/// `u` flag, so `\w` is `[A-Za-z0-9_]`).
fn is_valid(address: &[u8]) -> bool {
    // No character of either part may be `@`, so the first `@` splits them.
    let Some(at) = address.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&address[..at], &address[at + 1..]);
    local.split(|&b| b == b'.').all(is_atom) && is_domain(domain)
}

/// One dot-separated piece of the local part: `[\w!#$%&'*+/=?^`{|}~-]+`.
fn is_atom(atom: &[u8]) -> bool {
    !atom.is_empty()
        && atom
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"_!#$%&'*+/=?^`{|}~-".contains(&b))
}

/// Two or more labels joined by dots, each `[a-z0-9](?:[a-z0-9-]*[a-z0-9])?`.
fn is_domain(domain: &[u8]) -> bool {
    let mut labels = 0;
    for label in domain.split(|&b| b == b'.') {
        let ok = match (label.first(), label.last()) {
            (Some(first), Some(last)) => {
                first.is_ascii_alphanumeric()
                    && last.is_ascii_alphanumeric()
                    && label
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
            }
            _ => false,
        };
        if !ok {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn em(input: &str) -> String {
        let mut out = String::new();
        normalize(input, &mut out);
        out
    }

    #[test]
    fn keeps_the_address_as_typed() {
        assert_eq!(em("Jane.Doe+POS@Gmail.com"), "jane.doe+pos@gmail.com");
        assert_eq!(em("a@b.co"), "a@b.co");
        assert_eq!(em("o'brien@ex-ample.ie"), "o'brien@ex-ample.ie");
        assert_eq!(em("x{|}~`^/=?@a1.b2"), "x{|}~`^/=?@a1.b2");
    }

    #[test]
    fn drops_what_the_pattern_refuses() {
        for bad in [
            "",
            "@example.com",
            "jane@",
            "jane@example",
            "jane@example.",
            "jane@.example.com",
            "jane@example..com",
            "jane@-example.com",
            "jane@example-.com",
            ".jane@example.com",
            "jane.@example.com",
            "ja..ne@example.com",
            "x:.y@example.org",
            "a@b@example.com",
            "jane@exa_mple.com",
            "jöhn@example.de",
            "\"john smith\"@example.com",
            "jane doe@example.com",
        ] {
            assert_eq!(em(bad), "", "{bad:?}");
        }
    }

    #[test]
    fn unicode_lowercasing_can_make_ascii() {
        // The Kelvin sign is `K` after NFC; the address is then plain ASCII.
        assert_eq!(em("\u{212A}ate@example.com"), "kate@example.com");
        // `İ` lowercases to `i` plus a combining dot, which the pattern refuses.
        assert_eq!(em("İlker@example.com"), "");
    }
}
