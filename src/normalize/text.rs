//! Text helpers shared by the field rules: JavaScript's idea of whitespace,
//! Unicode NFC, lowercasing as JavaScript's `toLowerCase` does it, and the
//! accent folding of rule 6. The reference runs in JavaScript, so "trim" and
//! "lowercase" must mean what they mean there, not what Rust's `str::trim`
//! means (Rust counts U+0085 as whitespace and not U+FEFF; JavaScript the
//! opposite), or a value hashes differently on Meta's side.
//!
//! Every helper takes the common case (ASCII, already NFC) on a fast path that
//! neither allocates nor looks at a Unicode table.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// What JavaScript's `\s` matches (NORMALIZE.md, "Everywhere" rule 2).
pub(crate) fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{D}'
            | ' '
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{FEFF}'
    )
}

/// Removes JavaScript whitespace at both ends.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(is_js_whitespace)
}

/// Trims `out` in place (JavaScript whitespace), without reallocating.
pub(crate) fn trim_in_place(out: &mut String) {
    let end = out.trim_end_matches(is_js_whitespace).len();
    out.truncate(end);
    let start = out.len() - out.trim_start_matches(is_js_whitespace).len();
    out.drain(..start);
}

/// The value in NFC (rule 1). Borrows when it already is, which the quick
/// check tells without normalizing: always for ASCII, nearly always for
/// text typed on a keyboard.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Appends to `out` the characters of `s` that `keep` accepts, lowercased
/// as JavaScript's `toLowerCase` does (full Unicode mappings: `İ` becomes
/// `i̇`, a final `Σ` becomes `ς`). The filter runs first, as in the
/// reference, which deletes characters and then lowercases what is left.
pub(crate) fn push_lowercase_filtered(s: &str, out: &mut String, keep: impl Fn(char) -> bool) {
    if s.is_ascii() {
        out.extend(
            s.bytes()
                .map(char::from)
                .filter(|&c| keep(c))
                .map(|c| c.to_ascii_lowercase()),
        );
    } else if s.contains('Σ') {
        // Only capital sigma lowercases by context (final sigma), and the
        // context is the filtered text: std's `to_lowercase` implements the
        // rule on a whole string, so build that string. Rare enough to
        // allocate.
        let kept: String = s.chars().filter(|&c| keep(c)).collect();
        out.push_str(&kept.to_lowercase());
    } else {
        // Without sigma, `str::to_lowercase` is exactly this per-character
        // mapping.
        for c in s.chars().filter(|&c| keep(c)) {
            out.extend(c.to_lowercase());
        }
    }
}

/// Appends `s` lowercased (JavaScript `toLowerCase`). ASCII (every email
/// of most exports) is copied whole and lowercased in place, not pushed
/// a character at a time.
pub(crate) fn push_lowercase(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    push_lowercase_filtered(s, out, |_| true);
}

/// Calls `emit` with every ASCII character of `s` after canonical
/// decomposition, in order: the accent folding of rule 6 (NFD, combining
/// marks dropped) fused with the ASCII filter that follows it in the `ct`,
/// `st` and `country` rules. Marks are never ASCII, so dropping every
/// non-ASCII character after decomposition drops them too, and letters that
/// do not decompose (`ł`, `ø`) go as the filter wants.
///
/// NFC first (rule 1) changes nothing here: NFD of the NFC form equals NFD
/// of the value. Nor does lowercasing before the filter: the only
/// characters whose lowercase holds an ASCII letter, `İ` (U+0130) and the
/// Kelvin sign (U+212A), already decompose to `I` and `K`.
pub(crate) fn for_each_folded_ascii(s: &str, mut emit: impl FnMut(u8)) {
    for c in s.chars() {
        if c.is_ascii() {
            emit(c as u8);
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| {
                if d.is_ascii() {
                    emit(d as u8);
                }
            });
        }
    }
}

/// ASCII punctuation as the name rule lists it: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``.
pub(crate) fn is_ascii_punctuation(c: char) -> bool {
    // std's definition is the same 32 characters.
    c.is_ascii_punctuation()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_javascripts() {
        for c in [
            '\t', '\n', '\u{B}', '\u{C}', '\r', ' ', '\u{A0}', '\u{1680}', '\u{2000}', '\u{200A}',
            '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}', '\u{FEFF}',
        ] {
            assert!(is_js_whitespace(c), "{c:?}");
        }
        // Rust's `char::is_whitespace` says yes to U+0085; JavaScript no.
        for c in ['\u{85}', '\u{200B}', '\u{180E}', 'a', '\0'] {
            assert!(!is_js_whitespace(c), "{c:?}");
        }
    }

    #[test]
    fn trim_keeps_nel_and_strips_bom() {
        assert_eq!(trim("\u{FEFF} a b\u{3000}"), "a b");
        assert_eq!(trim("a\u{85}"), "a\u{85}");
        let mut s = String::from("\u{A0}\t x y \r\n");
        trim_in_place(&mut s);
        assert_eq!(s, "x y");
        let mut blank = String::from(" \u{2003} ");
        trim_in_place(&mut blank);
        assert_eq!(blank, "");
    }

    #[test]
    fn nfc_composes_only_when_needed() {
        assert!(matches!(nfc("plain"), Cow::Borrowed(_)));
        assert!(matches!(nfc("Zoë"), Cow::Borrowed(_)));
        assert_eq!(nfc("Zoe\u{308}"), "Zoë");
    }

    #[test]
    fn lowercase_follows_javascript() {
        let mut out = String::new();
        push_lowercase("İlker", &mut out);
        assert_eq!(out, "i\u{307}lker");
        out.clear();
        // Final sigma is decided after the filter: the space goes first.
        push_lowercase_filtered("ΟΔΥΣΣΕΥΣ Α", &mut out, |c| c != ' ');
        assert_eq!(out, "οδυσσευσα");
        out.clear();
        push_lowercase_filtered("ΟΔΥΣΣΕΥΣ", &mut out, |_| true);
        assert_eq!(out, "οδυσσευς");
    }

    #[test]
    fn folding_keeps_ascii_after_decomposition() {
        let mut out = Vec::new();
        for_each_folded_ascii("São Łódź İ\u{212A}", |b| out.push(b));
        assert_eq!(out, b"Sao odz IK");
    }
}
