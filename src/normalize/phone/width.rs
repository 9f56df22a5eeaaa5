//! Full-width forms in phone numbers: Japanese (and Chinese, Korean)
//! exports write `０９０-１２３４-５６７８` or `＋８１ ９０…`. libphonenumber
//! reads full-width digits as digits and full-width `＋` as a plus, and
//! takes the ideographic space and the dashes Japanese input methods type
//! (`－`, `ー`, `‐`) as punctuation; so, with a phone region, offconv folds
//! them to ASCII before reading the number: the full-width block
//! U+FF01–U+FF5E to U+0021–U+007E (exactly NFKC's mapping of it), U+3000
//! to a space, and the dashes to `-`. Nothing else changes, and ASCII
//! input is borrowed as it is.

use std::borrow::Cow;

/// `input` with full-width forms folded (module doc).
pub(super) fn fold(input: &str) -> Cow<'_, str> {
    if input.is_ascii() {
        return Cow::Borrowed(input);
    }
    Cow::Owned(input.chars().map(fold_char).collect())
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        // Hyphen, non-breaking hyphen, figure dash, en and em dash,
        // horizontal bar, minus sign, katakana-hiragana prolonged sound mark.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' => '-',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_forms_only() {
        assert_eq!(fold("０９０-１２３４-５６７８"), "090-1234-5678");
        assert_eq!(fold("＋８１　９０－１２３４ー５６７８"), "+81 90-1234-5678");
        assert_eq!(fold("（０３）１２３４．５６７８"), "(03)1234.5678");
        assert_eq!(fold("内線１２"), "内線12");
        assert!(matches!(fold("+1 650 555 1212"), Cow::Borrowed(_)));
    }
}
