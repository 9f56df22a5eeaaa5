//! `[user_data] full_name`: one column with the whole name (`Billing
//! Name`, `Card Name`) split into the first and last name, which are then
//! normalized and hashed as `fn` and `ln` (DESIGN.md section 6).
//!
//! The rules, in order:
//! 1. Suffixes at the end (`Jr`, `Sr`, `II`, `III`, `IV`, `PhD`, with or
//!    without dots, also after a comma: `John Smith, Jr.`) are dropped, and
//!    so are commas left at the end.
//! 2. Honorifics at the start (`Mr`, `Mrs`, `Ms`, `Miss`, `Dr`, `Prof`,
//!    `Herr`, `Frau`, `Sra`, `Sr`, `Mme`, and `M.` only with its dot, which
//!    without it is an initial) are dropped, several in a row too (`Prof.
//!    Dr. Hans Müller`).
//! 3. With a comma left, the name is `Last, First`: the last name is all of
//!    the part before the first comma (`van der Berg, Anna`), the first name
//!    the first word after it (honorifics dropped there too).
//! 4. Else the first word is the first name and the last word the last
//!    name (`Anna Maria Schmidt`: `Anna`, `Schmidt`).
//! 5. One word is the first name only (`Cher`), except after a dropped
//!    honorific, where it is the last name (`Mr Smith`, `Frau Müller`: an
//!    honorific goes with the family name).
//!
//! A word is a run without whitespace or commas; words of ASCII
//! punctuation only (`&`, `-`) are not words. The parts are slices of the
//! input, so a split costs no allocation.

use super::text;

/// The first and last name found in a full name, as written (not yet
/// normalized).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameParts<'a> {
    pub first: Option<&'a str>,
    pub last: Option<&'a str>,
}

/// Splits a full name into its first and last name (module doc).
pub fn split_full_name(full: &str) -> NameParts<'_> {
    let name = strip_suffixes(text::trim(full));
    let (name, had_honorific) = strip_honorifics(name);
    match name.split_once(',') {
        Some((last, first)) => {
            let last = strip_suffixes(last);
            let (first, _) = strip_honorifics(first);
            NameParts {
                first: words(first).next(),
                last: span(last),
            }
        }
        None => {
            let mut words = words(name);
            let first = words.next();
            match (words.next_back(), had_honorific) {
                (Some(last), _) => NameParts {
                    first,
                    last: Some(last),
                },
                (None, true) => NameParts {
                    first: None,
                    last: first,
                },
                (None, false) => NameParts { first, last: None },
            }
        }
    }
}

fn is_separator(c: char) -> bool {
    c == ',' || text::is_js_whitespace(c)
}

/// The words of `s`: runs between whitespace and commas that hold
/// something besides ASCII punctuation.
fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(is_separator).filter(|w| is_word(w))
}

fn is_word(w: &str) -> bool {
    w.chars().any(|c| !text::is_ascii_punctuation(c))
}

/// From the first word of `s` to its last, or `None` without a word.
fn span(s: &str) -> Option<&str> {
    let first = words(s).next()?;
    let last = words(s).next_back()?;
    let start = first.as_ptr() as usize - s.as_ptr() as usize;
    let end = last.as_ptr() as usize - s.as_ptr() as usize + last.len();
    Some(&s[start..end])
}

/// `s` without its trailing suffixes and separators. A suffix is only
/// dropped when a word stands before it (`Sr` alone is an honorific).
fn strip_suffixes(mut s: &str) -> &str {
    loop {
        s = s.trim_end_matches(|c: char| is_separator(c) || c == '.');
        let Some(start) = s.rfind(is_separator) else {
            return s;
        };
        let word = &s[start..].trim_start_matches(is_separator);
        if !is_suffix(word) || words(&s[..start]).next().is_none() {
            return s;
        }
        s = &s[..start];
    }
}

/// `s` without its leading honorifics (and punctuation-only words between
/// them), and whether one was dropped.
fn strip_honorifics(mut s: &str) -> (&str, bool) {
    let mut dropped = false;
    loop {
        s = s.trim_start_matches(is_separator);
        let end = s.find(is_separator).unwrap_or(s.len());
        let word = &s[..end];
        if word.is_empty() || !(is_honorific(word) || (dropped && !is_word(word))) {
            return (s, dropped);
        }
        dropped = true;
        s = &s[end..];
    }
}

/// Compares `word` without dots, ignoring ASCII case, with `list`.
fn is_one_of(word: &str, list: &[&str]) -> bool {
    let bare = word.trim_end_matches('.');
    if bare.len() > 4 || bare.is_empty() {
        return false;
    }
    let mut buf = [0u8; 4];
    let mut n = 0;
    for b in bare.bytes().filter(|b| *b != b'.') {
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    list.iter().any(|w| w.as_bytes() == &buf[..n])
}

fn is_honorific(word: &str) -> bool {
    word.eq_ignore_ascii_case("m.")
        || is_one_of(
            word,
            &[
                "mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "sra", "sr", "mme",
            ],
        )
}

fn is_suffix(word: &str) -> bool {
    // `Ph.D.` is `phd` once its dots are gone.
    is_one_of(word, &["jr", "sr", "ii", "iii", "iv", "phd"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(full: &str) -> (Option<&str>, Option<&str>) {
        let p = split_full_name(full);
        (p.first, p.last)
    }

    #[test]
    fn first_word_and_last_word() {
        assert_eq!(parts("John Smith"), (Some("John"), Some("Smith")));
        assert_eq!(
            parts(" Anna  Maria\tSchmidt "),
            (Some("Anna"), Some("Schmidt"))
        );
        assert_eq!(parts("José García"), (Some("José"), Some("García")));
        assert_eq!(
            parts("Mary-Jane O'Brien"),
            (Some("Mary-Jane"), Some("O'Brien"))
        );
        assert_eq!(parts("John & Jane Smith"), (Some("John"), Some("Smith")));
    }

    #[test]
    fn last_comma_first() {
        assert_eq!(parts("Smith, John"), (Some("John"), Some("Smith")));
        assert_eq!(parts("Smith,John A."), (Some("John"), Some("Smith")));
        assert_eq!(
            parts("van der Berg, Anna"),
            (Some("Anna"), Some("van der Berg"))
        );
        assert_eq!(parts("Smith Jr., John"), (Some("John"), Some("Smith")));
        assert_eq!(parts("Smith, Dr. John"), (Some("John"), Some("Smith")));
        assert_eq!(parts(", John"), (Some("John"), None));
        assert_eq!(parts("Smith,"), (Some("Smith"), None));
    }

    #[test]
    fn honorifics_and_suffixes_go() {
        assert_eq!(parts("Dr. John Smith"), (Some("John"), Some("Smith")));
        assert_eq!(parts("MR JOHN SMITH JR"), (Some("JOHN"), Some("SMITH")));
        assert_eq!(
            parts("Prof. Dr. Hans Müller"),
            (Some("Hans"), Some("Müller"))
        );
        assert_eq!(parts("John Smith, Jr."), (Some("John"), Some("Smith")));
        assert_eq!(parts("John Smith III"), (Some("John"), Some("Smith")));
        assert_eq!(parts("Jane Doe, Ph.D."), (Some("Jane"), Some("Doe")));
        assert_eq!(parts("Jane Doe PhD"), (Some("Jane"), Some("Doe")));
        assert_eq!(parts("Mme Claire Dubois"), (Some("Claire"), Some("Dubois")));
        assert_eq!(parts("M. Jean Dupont"), (Some("Jean"), Some("Dupont")));
        assert_eq!(parts("Sra. Ana López"), (Some("Ana"), Some("López")));
        assert_eq!(parts("Mr & Mrs John Smith"), (Some("John"), Some("Smith")));
    }

    #[test]
    fn sr_is_a_suffix_at_the_end_and_an_honorific_at_the_start() {
        assert_eq!(parts("John Smith Sr."), (Some("John"), Some("Smith")));
        assert_eq!(parts("Sr. Juan Pérez"), (Some("Juan"), Some("Pérez")));
        assert_eq!(parts("Sr Juan Pérez Sr"), (Some("Juan"), Some("Pérez")));
    }

    #[test]
    fn m_without_its_dot_is_an_initial() {
        assert_eq!(parts("M Jean Dupont"), (Some("M"), Some("Dupont")));
        assert_eq!(parts("Jean M. Dupont"), (Some("Jean"), Some("Dupont")));
    }

    #[test]
    fn one_word() {
        assert_eq!(parts("Cher"), (Some("Cher"), None));
        assert_eq!(parts("田中太郎"), (Some("田中太郎"), None));
        // After an honorific, one word is the family name.
        assert_eq!(parts("Mr Smith"), (None, Some("Smith")));
        assert_eq!(parts("Frau Müller"), (None, Some("Müller")));
        // A suffix needs a word before it.
        assert_eq!(parts("Jr"), (Some("Jr"), None));
    }

    #[test]
    fn nothing_to_split() {
        for empty in ["", "   ", ",", " , ", "Dr.", "Mr Mrs", "-", "&", "..."] {
            assert_eq!(parts(empty), (None, None), "{empty:?}");
        }
    }

    proptest::proptest! {
        /// Any text: no panic, and each part is a non-empty slice of the
        /// input that holds no comma.
        #[test]
        fn never_panics(input in proptest::prelude::any::<String>()) {
            let p = split_full_name(&input);
            for part in [p.first, p.last].into_iter().flatten() {
                proptest::prop_assert!(!part.is_empty());
                proptest::prop_assert!(input.contains(part));
                proptest::prop_assert!(!part.contains(','));
            }
        }

        #[test]
        fn odd_mixes_never_panic(input in "[ ,.A-Za-z&()-]{0,30}|(Mr|Dr\\.|Sr|Jr\\.|, |III| ){0,8}") {
            let _ = split_full_name(&input);
        }

        /// First and last name written every usual way split back into
        /// the same two names.
        #[test]
        fn round_trip(
            first in "[A-Z][a-zé]{1,10}",
            last in "[A-Z][a-zü]{1,10}",
            honorific in proptest::sample::select(vec!["", "Mr ", "Mrs. ", "Dr. ", "Prof. Dr. ", "Herr ", "Sra. ", "M. "]),
            suffix in proptest::sample::select(vec!["", " Jr.", ", Jr.", " III", " PhD", " Sr", ", Ph.D."]),
        ) {
            // A last name that is itself an honorific ("Mr") is read as one at
            // the start of "Last, First": no rule can tell it from a title.
            proptest::prop_assume!(
                !is_honorific(&first) && !is_honorific(&last) && !is_suffix(&last) && !is_suffix(&first)
            );
            for full in [
                format!("{first} {last}"),
                format!("{last}, {first}"),
                format!("{honorific}{first} {last}{suffix}"),
                format!("{last}{}, {honorific}{first}", suffix.trim_start_matches(',')),
                format!("{honorific}{first} Q. {last}{suffix}"),
            ] {
                let p = split_full_name(&full);
                proptest::prop_assert_eq!((p.first, p.last), (Some(first.as_str()), Some(last.as_str())), "{}", full);
            }
        }
    }
}
