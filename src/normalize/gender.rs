//! `ge`: trimmed and lowercased, the value must be one of the reference's
//! words for male (`m`, `male`, `man`, `mr`, …) or female (`f`, `female`,
//! `woman`, `mrs`, …); Meta knows only `m` and `f`, so anything else
//! (`other`, `u`, `Mrs.` with its dot) is dropped rather than guessed.

use super::location::lookup;
use super::tables::GENDER_WORDS;
use super::text;

/// Writes `m` or `f` into `out`, or leaves it empty.
pub(crate) fn normalize(input: &str, out: &mut String) {
    let input = text::nfc(input);
    text::push_lowercase(&input, out);
    let code = lookup(GENDER_WORDS, out);
    out.clear();
    if let Some(code) = code {
        out.push_str(code);
    }
}

#[cfg(test)]
mod tests {
    use super::super::location::by_length_then_name;
    use super::*;

    fn ge(input: &str) -> String {
        let mut out = String::new();
        normalize(input, &mut out);
        out
    }

    #[test]
    fn word_lists() {
        assert_eq!(ge("Female"), "f");
        assert_eq!(ge("MA'AM"), "f");
        assert_eq!(ge("m"), "m");
        assert_eq!(ge("Gentleman"), "m");
        // The Kelvin sign is a `K` after NFC.
        assert_eq!(ge("\u{212A}ing"), "m");
        for other in ["", "u", "other", "Mrs.", "non-binary", "Frau", "mâle"] {
            assert_eq!(ge(other), "", "{other:?}");
        }
    }

    #[test]
    fn table_matches_the_reference_json() {
        let json: serde_json::Value = serde_json::from_str(include_str!(
            "../../fixtures/conformance/reference_tables.json"
        ))
        .unwrap();
        let mut count = 0;
        for (key, code) in [("gender_m", "m"), ("gender_f", "f")] {
            for word in json[key].as_array().unwrap() {
                let word = word.as_str().unwrap();
                assert_eq!(lookup(GENDER_WORDS, word), Some(code), "{word}");
                count += 1;
            }
        }
        assert_eq!(count, GENDER_WORDS.len());
        assert!(
            GENDER_WORDS
                .windows(2)
                .all(|w| by_length_then_name(w[0].0, w[1].0).is_lt())
        );
    }
}
