//! `ph`: the reference keeps the digits and strips leading zeros, which
//! loses the country code of a number written the national way
//! (`020 7946 0958` in London becomes `2079460958`, which matches nobody).
//! **offconv:** with a phone region set, the number is read as
//! libphonenumber reads it with that region as default and written as
//! E.164 digits without `+` and extension; when libphonenumber cannot
//! parse it or finds it impossible, the plain rule applies. North American
//! ten- and eleven-digit numbers take a fast path, the shapes exports hold
//! are parsed by [`parse`], anything else goes to the `phonenumber` crate.
//!
//! Without a region none of that runs: the plain rule is a single pass
//! over the bytes.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use phonenumber::country::Id;
#[cfg(test)]
use phonenumber::metadata::{DATABASE, Descriptor, Metadata};

mod by_country;
mod meta;
mod parse;
mod width;

/// A region libphonenumber has metadata for, checked once when the options
/// are built (`--phone-region`, `[normalize] phone_region`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhoneRegion {
    id: Id,
    /// Where its metadata is in `meta::REGIONS`.
    index: usize,
}

/// A `phone_region` that is not a region libphonenumber knows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown phone region {0:?}: give an ISO 3166-1 alpha-2 code libphonenumber knows, such as \"US\" or \"GB\""
)]
pub struct UnknownPhoneRegion(pub String);

impl FromStr for PhoneRegion {
    type Err = UnknownPhoneRegion;

    /// Accepts the two-letter code in either case (`us`, `US`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownPhoneRegion(s.to_owned());
        let code = s.trim().to_ascii_uppercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(unknown());
        }
        // `Id` lists CLDR regions; only those with metadata can parse.
        let id: Id = code.parse().map_err(|_| unknown())?;
        let index = parse::region_index(id.as_ref()).ok_or_else(unknown)?;
        Ok(PhoneRegion { id, index })
    }
}

impl PhoneRegion {
    /// The region as libphonenumber names it.
    pub fn id(self) -> Id {
        self.id
    }

    /// The upper-case two-letter code, `US`.
    pub fn as_str(&self) -> &str {
        self.id.as_ref()
    }
}

impl fmt::Display for PhoneRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for PhoneRegion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Writes the normalized number into `out` (empty: dropped). `input` is
/// already trimmed; no NFC, because no canonical mapping creates or
/// removes an ASCII digit. With a region, full-width digits count as
/// digits, as libphonenumber reads them ([`width`]); without one, the
/// reference's rule knows ASCII digits only.
pub(crate) fn normalize(input: &str, region: Option<PhoneRegion>, out: &mut String) {
    let Some(region) = region else {
        plain(input, out);
        return;
    };
    let input = width::fold(input);
    if e164(&input, region, out) {
        return;
    }
    out.clear();
    plain(&input, out);
}

/// The reference's rule: every digit, leading zeros stripped.
fn plain(input: &str, out: &mut String) {
    let digits = input.bytes().filter(u8::is_ascii_digit);
    out.extend(digits.skip_while(|&b| b == b'0').map(char::from));
}

/// libphonenumber refuses longer input (`MAX_INPUT_STRING_LENGTH`); so do
/// we, before the parser spends time on it.
const MAX_INPUT_LEN: usize = 250;

/// The offconv rule; `false` sends the caller to the plain rule.
fn e164(input: &str, region: PhoneRegion, out: &mut String) -> bool {
    if input.len() > MAX_INPUT_LEN {
        return false;
    }
    if matches!(region.as_str(), "US" | "CA") && north_american(input, out) {
        return true;
    }
    match parse::e164(input, region.index, out) {
        Some(possible) => possible,
        None => via_library(input, region, out),
    }
}

/// libphonenumber's answer, through the `phonenumber` crate.
fn via_library(input: &str, region: PhoneRegion, out: &mut String) -> bool {
    // `00` is the international prefix of most of the world but not of the
    // region's own dialling plan everywhere (the US dials `011`), so it is
    // read as `+` before the library sees it.
    let owned;
    let text = match input.strip_prefix("00") {
        Some(rest) => {
            owned = format!("+{rest}");
            owned.as_str()
        }
        None => input,
    };
    // The crate has panicked on malformed input in past versions; a bad
    // value must cost one field, never the run.
    let parsed = std::panic::catch_unwind(|| phonenumber::parse(Some(region.id()), text));
    let Ok(Ok(number)) = parsed else {
        return false;
    };
    // E.164 is the country code then the national significant number
    // (with Italy's leading zero, which `NationalNumber` prints).
    let code = number.code().value();
    if write!(out, "{code}").is_err() {
        return false;
    }
    let national_start = out.len();
    if write!(out, "{}", number.national()).is_err() {
        return false;
    }
    parse::possible(code, out.len() - national_start)
}

/// The fast path for the commonest case of a US or Canadian store: a
/// ten-digit number with an area code (`(312) 555-0142`), or eleven digits
/// starting with the country code 1 (`+1 312 555 0142`, `1-312-555-0142`).
/// libphonenumber gives `1` and the ten digits for exactly these shapes
/// (the area code starts 2–9, so stripping the national prefix `1` keeps a
/// viable number); it costs microseconds per call, this a few nanoseconds.
/// Anything else (letters, extensions, other lengths, a `+` with another
/// country code) goes to [`parse`]. `true` when `out` holds the answer.
fn north_american(input: &str, out: &mut String) -> bool {
    let bytes = input.as_bytes();
    let (plus, rest) = match bytes.split_first() {
        Some((b'+', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let mut digits = [0u8; 11];
    let mut n = 0;
    for &b in rest {
        match b {
            b'0'..=b'9' => {
                if n == digits.len() {
                    return false;
                }
                digits[n] = b;
                n += 1;
            }
            b' ' | b'(' | b')' | b'-' | b'.' => {}
            _ => return false,
        }
    }
    let national = match (n, plus) {
        (10, false) => &digits[..10],
        (11, _) if digits[0] == b'1' => &digits[1..11],
        _ => return false,
    };
    if !(b'2'..=b'9').contains(&national[0]) {
        return false;
    }
    out.push('1');
    out.extend(national.iter().map(|&b| char::from(b)));
    true
}

/// Possible national-number lengths of a region, as bit sets (for the
/// metadata table of `meta.rs`).
#[cfg(test)]
#[derive(Clone, Copy, Debug, Default)]
struct Lengths {
    national: u32,
    local: u32,
}

/// libphonenumber's build step gives each region's general description
/// the union of its number types' lengths; the XML the crate loads does
/// not, so the table is made with this.
#[cfg(test)]
fn lengths_of(meta: &Metadata) -> Lengths {
    let d = meta.descriptors();
    // The types libphonenumber's build step folds into the general
    // description (every one but "no international dialling").
    let types: [Option<&Descriptor>; 10] = [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ];
    let bits = |lens: &[u16]| {
        lens.iter()
            .filter(|&&l| l < 32)
            .fold(0u32, |m, &l| m | 1 << l)
    };
    let mut lengths = Lengths::default();
    for desc in types.into_iter().flatten() {
        lengths.national |= bits(desc.possible_length());
        lengths.local |= bits(desc.possible_local_length());
    }
    lengths.local &= !lengths.national;
    lengths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn north_american_fast_path_agrees_with_the_library() {
        let mut shapes = vec![
            "(312) 555-0142".to_owned(),
            "312-555-0142".to_owned(),
            "+1 312 555 0142".to_owned(),
            "1-312-555-0142".to_owned(),
            "1 (604) 555.0115".to_owned(),
            "+1 (416) 555-0199".to_owned(),
            "2125550100".to_owned(),
            "12125550100".to_owned(),
        ];
        // Every area-code lead digit and a spread of exchanges.
        for lead in 2..=9 {
            for x in [0u32, 13, 55, 99] {
                let area = lead * 100 + x;
                shapes.push(format!("({area}) {:03}-{:04}", x * 9, x * 77));
                shapes.push(format!("+1 {area} 555 {:04}", x * 3));
                shapes.push(format!("1.{area}.{:03}.{:04}", 200 + x * 7, x));
            }
        }
        for region in ["US", "CA"] {
            let region: PhoneRegion = region.parse().unwrap();
            for s in &shapes {
                let (mut fast, mut slow) = (String::new(), String::new());
                assert!(north_american(s, &mut fast), "{s}");
                let library = via_library(s, region, &mut slow);
                assert!(library, "{s}");
                assert_eq!(fast, slow, "{s} in {region}");
            }
        }
        // Shapes it leaves to the library.
        for s in [
            "+44 20 7946 0958",
            "555-1212",
            "(012) 555-0142",
            "312-555-0142 x12",
            "1-112-555-0142",
            "+3125550142",
        ] {
            assert!(!north_american(s, &mut String::new()), "{s}");
        }
    }

    /// The common international shapes take the path of their own (a
    /// broken pattern would quietly send them back to the crate, which
    /// strips the wrong national prefix); its answers are pinned by
    /// `phone_intl.csv`.
    #[test]
    fn international_shapes_skip_the_library() {
        for (input, e164) in [
            ("+44 (0)20 7946 0958", "442079460958"),
            ("0044 20 7946 0958", "442079460958"),
            ("+49 (0)30 12345678", "493012345678"),
            ("+33 1 23 45 67 89", "33123456789"),
            ("+39 06 6982 1234", "390669821234"),
            ("+55 (11) 91234-5678", "5511912345678"),
            ("+54 011 15 1234 5678", "5491112345678"),
            ("+81 3-1234-5678", "81312345678"),
            ("+61 (0)2 9876 5432", "61298765432"),
            ("+43 1 234 5678", "4312345678"),
            // Non-geographic: the calling code's own metadata.
            ("+800 1234 5678", "80012345678"),
            // The region's international prefix (US: 011) instead of `+`.
            ("011 44 20 7946 0958", "442079460958"),
            // National numbers of the default region.
            ("(650) 555-1212", "16505551212"),
            ("555-1212", "15551212"),
        ] {
            let mut out = String::new();
            assert_eq!(parse::e164(input, us(), &mut out), Some(true), "{input}");
            assert_eq!(out, e164, "{input}");
        }
        // Impossible after parsing: the plain rule.
        assert_eq!(parse::e164("+44 20", us(), &mut String::new()), Some(false));
        // Extensions are dropped, the rest read the same way.
        for (input, e164) in [
            ("+43 1 234 5678 ext. 12", "4312345678"),
            ("+44 (0)20 7946 0958 x12", "442079460958"),
            ("+55 11 91234-5678 #22", "5511912345678"),
            ("(650) 555-1212 Extension 3", "16505551212"),
        ] {
            let mut out = String::new();
            assert_eq!(parse::e164(input, us(), &mut out), Some(true), "{input}");
            assert_eq!(out, e164, "{input}");
        }
        // Left to the library.
        for input in [
            "+0 20 7946 0958",
            "12 x345",
            "tel:+1-650-555-1212",
            "1-800-FLOWERS",
        ] {
            assert_eq!(
                parse::e164(input, us(), &mut String::new()),
                None,
                "{input}"
            );
        }
    }

    fn us() -> usize {
        parse::region_index("US").unwrap()
    }

    fn ph(input: &str, region: Option<&str>) -> String {
        let region = region.map(|r| r.parse().unwrap());
        let mut out = String::new();
        normalize(input, region, &mut out);
        out
    }

    #[test]
    fn plain_rule_keeps_digits_without_leading_zeros() {
        assert_eq!(ph("+1 (650) 555-1234", None), "16505551234");
        assert_eq!(ph("0044 20 7946 0958", None), "442079460958");
        assert_eq!(ph("00000000", None), "");
        assert_eq!(ph("+٩٧١ ٥٠", None), "");
        assert_eq!(ph("6.505551234E+09", None), "650555123409");
    }

    #[test]
    fn region_adds_the_country_code() {
        assert_eq!(ph("020 7946 0958", Some("GB")), "442079460958");
        assert_eq!(ph("+44 (0)20 7946 0958", Some("gb")), "442079460958");
        assert_eq!(ph("(650) 555-1212", Some("US")), "16505551212");
        assert_eq!(ph("0033 1 23 45 67 89", Some("US")), "33123456789");
        // Italy keeps its leading zero in E.164.
        assert_eq!(ph("06 6982 1234", Some("IT")), "390669821234");
    }

    #[test]
    fn region_falls_back_to_the_plain_rule() {
        assert_eq!(ph("N/A", Some("US")), "");
        assert_eq!(ph("12", Some("US")), "12");
        // Too long for any US number: impossible, so plain digits.
        assert_eq!(ph("555 1234 5678 9012", Some("US")), "555123456789012");
        assert_eq!(ph(&"9".repeat(300), Some("US")), "9".repeat(300));
    }

    #[test]
    fn extension_is_dropped() {
        assert_eq!(ph("+1 650 555 1234 ext. 42", Some("US")), "16505551234");
    }

    #[test]
    fn region_parsing() {
        assert_eq!("us".parse::<PhoneRegion>().unwrap().as_str(), "US");
        for bad in ["", "ZZ", "USA", "001", "U1", "é"] {
            assert!(bad.parse::<PhoneRegion>().is_err(), "{bad:?}");
        }
        let err = "ZZ".parse::<PhoneRegion>().unwrap_err().to_string();
        assert!(err.contains("\"ZZ\""), "{err}");
        // The mapping file gives the region as a string.
        let gb: PhoneRegion = serde_json::from_str("\"gb\"").unwrap();
        assert_eq!(gb.to_string(), "GB");
        assert!(serde_json::from_str::<PhoneRegion>("\"XX\"").is_err());
    }

    #[test]
    fn no_panic_on_odd_input() {
        for input in [
            "  2 22#:",
            "003-836-4618x3001",
            "+",
            "++1",
            "tel:;",
            "\u{0}",
            "+00",
        ] {
            for region in ["US", "CH", "GB", "DE"] {
                let _ = ph(input, Some(region));
            }
        }
    }

    /// `meta.rs` holds what parsing needs of every region's metadata, as
    /// the crate has it. When the crate's metadata changes, this fails;
    /// `OFFCONV_BLESS=1 cargo test --lib metadata_table_is_current`
    /// writes the file anew.
    #[test]
    fn metadata_table_is_current() {
        let strip = |p: &str| p.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut regions = Vec::new();
        for code in 1u16..1000 {
            let Some(metas) = DATABASE.by_code(&code) else {
                continue;
            };
            // Non-geographic codes (`+800`) have one entry each, id `001`.
            for (i, meta) in metas.iter().enumerate() {
                let lengths = lengths_of(meta);
                let national_prefix =
                    match (meta.national_prefix_for_parsing(), meta.national_prefix()) {
                        (Some(re), _) => Some(strip(re.as_str())),
                        (None, Some(p)) if !p.is_empty() => Some(regex::escape(p)),
                        _ => None,
                    };
                regions.push(format!(
                    "    Region {{ id: {:?}, code: {code}, main: {}, idd: {:?}, national_prefix: {:?}, transform: {:?}, general: {:?}, lengths: {:#x}, local_lengths: {:#x} }},\n",
                    meta.id(),
                    i == 0,
                    meta.international_prefix().map(|r| strip(r.as_str())),
                    national_prefix,
                    meta.national_prefix_transform_rule().map(strip),
                    strip(meta.descriptors().general().national_number().as_str()),
                    lengths.national,
                    lengths.local,
                ));
            }
        }
        regions.sort();
        let mut text = String::from(
            "//! Generated from the `phonenumber` crate's metadata by the test\n\
             //! `normalize::phone::tests::metadata_table_is_current`; do not edit.\n\
             use super::parse::Region;\n\n\
             #[rustfmt::skip]\n\
             pub(super) static REGIONS: &[Region] = &[\n",
        );
        for r in &regions {
            text.push_str(r);
        }
        text.push_str("];\n");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/normalize/phone/meta.rs");
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if current != text {
            if std::env::var_os("OFFCONV_BLESS").is_some() {
                std::fs::write(path, &text).unwrap();
                return;
            }
            panic!(
                "src/normalize/phone/meta.rs is not what the phonenumber crate's metadata gives; \
                 regenerate it: OFFCONV_BLESS=1 cargo test --lib metadata_table_is_current"
            );
        }
        // Sorted by id (then code), for the binary search.
        assert!(regions.windows(2).all(|w| w[0] < w[1]));
    }
}
