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

/// The pattern above, on a lowercased address, in one pass over the
/// bytes with a class table (was a search for the `@`, then a split and a
/// set test per byte of each part: 500 instructions an address, two thirds
/// of its normalization). Any non-ASCII byte fails: the pattern's classes
/// are ASCII only (the reference does not use the `u` flag, so `\w` is
/// `[A-Za-z0-9_]`).
fn is_valid(address: &[u8]) -> bool {
    // No character of either part may be `@`, so the first `@` splits them.
    let mut bytes = address.iter();
    // The local part: atoms of `ATOM` bytes, joined by single dots.
    let mut atom = 0usize;
    for &b in bytes.by_ref() {
        match b {
            b'@' => break,
            b'.' if atom == 0 => return false,
            b'.' => atom = 0,
            _ if CLASS[usize::from(b)] & ATOM != 0 => atom += 1,
            _ => return false,
        }
    }
    // Also false when no `@` came: the domain below would be empty.
    if atom == 0 {
        return false;
    }
    // The domain: two or more labels of letters, digits and inner hyphens.
    let (mut labels, mut label, mut ends_alnum) = (0usize, 0usize, false);
    for &b in bytes {
        match b {
            b'.' if label == 0 || !ends_alnum => return false,
            b'.' => {
                labels += 1;
                label = 0;
            }
            b'-' if label == 0 => return false,
            b'-' => {
                label += 1;
                ends_alnum = false;
            }
            _ if CLASS[usize::from(b)] & ALNUM != 0 => {
                label += 1;
                ends_alnum = true;
            }
            _ => return false,
        }
    }
    label > 0 && ends_alnum && labels >= 1
}

/// [`CLASS`] bits: an ASCII letter or digit; a byte of a local-part atom
/// (`[\w!#$%&'*+/=?^`{|}~-]`).
const ALNUM: u8 = 1;
const ATOM: u8 = 2;

/// Each byte's classes, built at compile time.
const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = ALNUM | ATOM;
        }
        b += 1;
    }
    let extra = b"_!#$%&'*+/=?^`{|}~-";
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] |= ATOM;
        i += 1;
    }
    table
};

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

    /// The pattern as first written (a split per part, a set test per
    /// byte): the one-pass check must agree with it on every input.
    fn is_valid_by_parts(address: &[u8]) -> bool {
        let Some(at) = address.iter().position(|&b| b == b'@') else {
            return false;
        };
        let (local, domain) = (&address[..at], &address[at + 1..]);
        let atom = |a: &[u8]| {
            !a.is_empty()
                && a.iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b"_!#$%&'*+/=?^`{|}~-".contains(&b))
        };
        let label = |l: &[u8]| match (l.first(), l.last()) {
            (Some(f), Some(z)) => {
                f.is_ascii_alphanumeric()
                    && z.is_ascii_alphanumeric()
                    && l.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
            }
            _ => false,
        };
        local.split(|&b| b == b'.').all(atom)
            && domain.split(|&b| b == b'.').all(label)
            && domain.split(|&b| b == b'.').count() >= 2
    }

    proptest::proptest! {
        #[test]
        fn one_pass_agrees_with_the_parts(
            address in "[a-c0-9.@_+'=:\\-]{0,14}|[a-z]{1,4}[.@-]{0,2}[a-z0-9]{0,3}@[a-z0-9.-]{0,8}",
        ) {
            proptest::prop_assert_eq!(is_valid(address.as_bytes()), is_valid_by_parts(address.as_bytes()));
        }

        #[test]
        fn one_pass_agrees_on_any_bytes(address in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12)) {
            proptest::prop_assert_eq!(is_valid(&address), is_valid_by_parts(&address));
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
