//! `fn` and `ln`: delete ASCII punctuation and whitespace anywhere, then
//! lowercase with full Unicode rules. Accents and non-Latin scripts stay
//! (after NFC, **offconv**): Meta hashes `josé`, not `jose`. Punctuation
//! outside ASCII (`’`, `·`) and invisible characters such as U+200B stay
//! too, because the reference keeps them.

use super::text;

/// Writes the normalized name into `out` (empty: dropped).
pub(crate) fn normalize(input: &str, out: &mut String) {
    let input = text::nfc(input);
    text::push_lowercase_filtered(&input, out, |c| {
        !text::is_ascii_punctuation(c) && !text::is_js_whitespace(c)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(input: &str) -> String {
        let mut out = String::new();
        normalize(input, &mut out);
        out
    }

    #[test]
    fn punctuation_and_spaces_go() {
        assert_eq!(name("Mary-Jane"), "maryjane");
        assert_eq!(name("  O'Brien, Jr. "), "obrienjr");
        assert_eq!(name("\u{3000}田中\u{3000}"), "田中");
        assert_eq!(name("!!!"), "");
    }

    #[test]
    fn letters_and_other_marks_stay() {
        assert_eq!(name("D’Angelo"), "d’angelo");
        assert_eq!(name("Paul·la"), "paul·la");
        assert_eq!(name("Schäfer\u{200B}"), "schäfer\u{200B}");
        // NFC: a decomposed é becomes the single code point Meta hashes.
        assert_eq!(name("Jose\u{301}"), "josé");
        assert_eq!(name("İlker"), "i\u{307}lker");
    }

    #[test]
    fn greek_final_sigma() {
        assert_eq!(name("ΟΔΥΣΣΕΥΣ"), "οδυσσευς");
        // The hyphen is deleted before lowercasing, so the first sigma is
        // no longer final.
        assert_eq!(name("ΚΩΣ-ΤΑΣ"), "κωστας");
    }
}
