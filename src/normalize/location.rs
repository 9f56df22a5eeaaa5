//! Address fields: `ct` (city), `st` (state or province), `zp` (postal
//! code) and `country`. City, state and country fold accents first
//! (**offconv**, rule 6: `São` is `sao`, where the reference drops the
//! letter) and keep ASCII letters; state and country then map names to
//! two-letter codes through the reference's tables, with offconv's
//! additions ([`super::tables`]).

use super::tables::{COUNTRY_EXACT, COUNTRY_NAMES, STATE_EXACT, STATE_NAMES};
use super::text;

/// `ct`: folded, `[a-z0-9]` only, and it must start with a letter
/// (`29 Palms` is dropped, as the reference does).
pub(crate) fn city(input: &str, out: &mut String) {
    text::for_each_folded_ascii(input, |b| {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b.to_ascii_lowercase()));
        }
    });
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.clear();
    }
}

/// `st`: a US state, Canadian province or territory as its two-letter code.
pub(crate) fn state(input: &str, out: &mut String) {
    push_folded_letters(input, out);
    region_code(out, STATE_EXACT, STATE_NAMES);
}

/// `country`: ISO 3166-1 alpha-2, lowercase.
pub(crate) fn country(input: &str, out: &mut String) {
    push_folded_letters(input, out);
    region_code(out, COUNTRY_EXACT, COUNTRY_NAMES);
}

/// A country named by an explicit rule, for settings such as
/// `country_default` (issue 16): an assigned ISO 3166-1 alpha-2 code, an
/// alpha-3 code or a name the tables hold exactly, as the lowercase alpha-2
/// code. Unlike [`country`] it never falls back to a name found inside the
/// value or to its first two letters (`Narnia` would become `na`, Namibia).
pub fn iso_country(input: &str) -> Option<&'static str> {
    let mut letters = String::new();
    push_folded_letters(input, &mut letters);
    if let Some(code) = lookup(COUNTRY_EXACT, &letters) {
        return Some(code);
    }
    // Every assigned alpha-2 code is the value of its alpha-3 entry; the
    // aliases (`uk`) are keys, never values, so they are not codes here.
    COUNTRY_EXACT
        .iter()
        .map(|&(_, code)| code)
        .find(|&code| code == letters)
}

/// Folded, lowercased, `a-z` only: the letters the state and country rules
/// look names up in. (Trimming before the filter changes nothing: the
/// filter drops whitespace anyway.)
fn push_folded_letters(input: &str, out: &mut String) {
    text::for_each_folded_ascii(input, |b| {
        if b.is_ascii_alphabetic() {
            out.push(char::from(b.to_ascii_lowercase()));
        }
    });
}

/// Turns the letters in `out` into a code, in the rule's order: an exact
/// name; two letters as they are; the longest name contained in the
/// letters; the first two letters.
fn region_code(out: &mut String, exact: &[(&str, &'static str)], names: &[(&str, &'static str)]) {
    if let Some(code) = lookup(exact, out) {
        out.clear();
        out.push_str(code);
        return;
    }
    if out.len() == 2 {
        return;
    }
    if let Some(code) = longest_contained(names, out) {
        out.clear();
        out.push_str(code);
        return;
    }
    // Only `a-z` is left, so "keep [a-z0-9], at most two, starting with a
    // letter" is the cut alone (and an empty value stays empty: dropped).
    out.truncate(2);
}

/// Exact lookup in a table sorted by length, then name (see
/// `gen_tables.py`): most probes compare two integers instead of two
/// strings.
pub(crate) fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(name, _)| by_length_then_name(name, key))
        .ok()
        .map(|i| table[i].1)
}

pub(crate) fn by_length_then_name(a: &str, b: &str) -> std::cmp::Ordering {
    // Byte iterators rather than `str::cmp`: names are a dozen bytes, too
    // short to pay for a call into libc's `memcmp`.
    a.len().cmp(&b.len()).then_with(|| a.bytes().cmp(b.bytes()))
}

/// **offconv:** the longest name found inside `letters` (`kansascitymissouri`
/// holds `kansas` and `missouri`: Missouri wins); ties go to the first in
/// table order. The reference takes the first name found, which turns
/// `Kansas City, Missouri` into Kansas.
fn longest_contained(names: &[(&str, &'static str)], letters: &str) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for &(name, code) in names {
        // Names are a few letters long and so is the haystack: a plain
        // window compare beats setting up `str::contains`' searcher.
        let longer = best.is_none_or(|(len, _)| name.len() > len);
        if longer && contains(letters.as_bytes(), name.as_bytes()) {
            best = Some((name.len(), code));
        }
    }
    best.map(|(_, code)| code)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    needle.len() <= haystack.len()
        && haystack
            .windows(needle.len())
            .any(|w| w[0] == first && w[1..].iter().eq(rest))
}

/// `zp`: lowercase, the part before the first `-`, trimmed, at least two
/// characters. Inner spaces stay (`sw1a 1aa`): Meta hashes UK and Canadian
/// codes with them. No accent folding and no character filter.
pub(crate) fn zip(input: &str, out: &mut String) {
    let input = text::nfc(input);
    text::push_lowercase(&input, out);
    if let Some(dash) = out.bytes().position(|b| b == b'-') {
        out.truncate(dash);
    }
    text::trim_in_place(out);
    // **offconv:** two Unicode scalar values, where the reference counts
    // UTF-16 units and so keeps a lone `𝟗`.
    if out.chars().nth(1).is_none() {
        out.clear();
    }
}

/// **offconv**, row context: in a row whose country is `us`, a normalized
/// 9-digit ZIP+4 without its dash (`940251234`) is cut to the 5-digit ZIP
/// Meta holds. The row mapper calls this once it knows the row's country;
/// any other value is left as it is.
pub fn us_zip5(out: &mut String) {
    if out.len() == 9 && out.bytes().all(|b| b.is_ascii_digit()) {
        out.truncate(5);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str, &mut String), input: &str) -> String {
        let mut out = String::new();
        f(input, &mut out);
        out
    }

    #[test]
    fn city_folds_and_needs_a_letter_first() {
        assert_eq!(run(city, "São Paulo"), "saopaulo");
        assert_eq!(run(city, "Łódź"), "odz");
        assert_eq!(run(city, "29 Palms"), "");
        assert_eq!(run(city, "القاهرة"), "");
        assert_eq!(run(city, "Dublin 2"), "dublin2");
    }

    #[test]
    fn state_rules_in_order() {
        assert_eq!(run(state, "Québec"), "qc");
        assert_eq!(run(state, "Kansas City, Missouri"), "mo");
        assert_eq!(run(state, "W. Virginia"), "va");
        assert_eq!(run(state, "Washington DC"), "dc");
        assert_eq!(run(state, "NSW"), "ns");
        assert_eq!(run(state, "C"), "c");
        assert_eq!(run(state, "12"), "");
        assert_eq!(run(state, "Virgin Islands"), "vi");
    }

    #[test]
    fn state_ties_go_to_table_order() {
        // `virginia` and `colorado` are both eight letters; Colorado comes
        // first in the table, wherever it stands in the text.
        assert_eq!(run(state, "virginiacolorado"), "co");
        assert_eq!(run(state, "coloradovirginia"), "co");
        // The reference's names come before ours: `washington` (ours:
        // `washingtondc` is longer and wins when present).
        assert_eq!(run(state, "Washington State"), "wa");
    }

    #[test]
    fn iso_country_takes_codes_and_exact_names_only() {
        let codes: std::collections::BTreeSet<_> = COUNTRY_EXACT.iter().map(|&(_, c)| c).collect();
        assert_eq!(codes.len(), 249, "ISO 3166-1 assigns 249 alpha-2 codes");
        for (input, code) in [
            ("US", "us"),
            (" gb ", "gb"),
            ("DEU", "de"),
            ("Germany", "de"),
            ("UK", "gb"),
            ("aq", "aq"),
        ] {
            assert_eq!(iso_country(input), Some(code), "{input}");
        }
        for bad in ["Narnia", "ZZ", "XK", "", "U", "United Statesx"] {
            assert_eq!(iso_country(bad), None, "{bad}");
        }
    }

    #[test]
    fn country_rules_in_order() {
        assert_eq!(run(country, "MEX"), "mx");
        assert_eq!(run(country, "U.K."), "gb");
        assert_eq!(run(country, "Türkiye"), "tr");
        assert_eq!(run(country, "Republic of Indonesia"), "id");
        assert_eq!(run(country, "GER"), "ge");
        assert_eq!(run(country, "日本"), "");
        // Our aliases are exact names only, not searched inside longer text.
        assert_eq!(run(country, "Great Britain and more"), "gr");
    }

    #[test]
    fn zip_cuts_at_the_dash_and_counts_scalars() {
        assert_eq!(run(zip, "SW1A 1AA"), "sw1a 1aa");
        assert_eq!(run(zip, "94025- 1234"), "94025");
        assert_eq!(run(zip, "D-10115"), "");
        assert_eq!(run(zip, "𝟗"), "");
        assert_eq!(run(zip, "𝟗𝟗"), "𝟗𝟗");
        assert_eq!(run(zip, " 1 \u{2003}-"), "");
    }

    #[test]
    fn zip5_only_for_nine_digits() {
        for (input, want) in [
            ("940251234", "94025"),
            ("94025", "94025"),
            ("94025 1234", "94025 1234"),
            ("9402512345", "9402512345"),
            ("k1a0b1abc", "k1a0b1abc"),
        ] {
            let mut s = input.to_owned();
            us_zip5(&mut s);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn tables_match_the_reference_json() {
        let json: serde_json::Value = serde_json::from_str(include_str!(
            "../../fixtures/conformance/reference_tables.json"
        ))
        .unwrap();
        let pairs = |key: &str| -> Vec<(String, String)> {
            serde_json::from_value(json[key].clone()).unwrap()
        };
        let states = pairs("state_names");
        assert_eq!(states.len() + 9, STATE_NAMES.len());
        for ((n, c), (tn, tc)) in states.iter().zip(STATE_NAMES) {
            assert_eq!((n.as_str(), c.as_str()), (*tn, *tc));
        }
        let countries = pairs("country_names");
        assert_eq!(countries.len(), COUNTRY_NAMES.len());
        for ((n, c), (tn, tc)) in countries.iter().zip(COUNTRY_NAMES) {
            assert_eq!((n.as_str(), c.as_str()), (*tn, *tc));
            assert_eq!(lookup(COUNTRY_EXACT, n), Some(*tc), "{n}");
        }
        for table in [STATE_EXACT, COUNTRY_EXACT] {
            assert!(
                table
                    .windows(2)
                    .all(|w| by_length_then_name(w[0].0, w[1].0).is_lt()),
                "sorted, unique"
            );
        }
        assert_eq!(STATE_EXACT.len(), STATE_NAMES.len());
    }
}
