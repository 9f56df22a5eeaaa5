//! libphonenumber's `parse` (the Python port's `phonenumberutil.parse`,
//! step for step) for the shapes exports hold: ASCII digits and the
//! separators ` ()-./`, with or without a leading `+` (or `00`, which
//! offconv reads as `+`), and an extension at the end (`ext. 12`, `x12`,
//! `#22`), dropped as libphonenumber drops it. Anything else (letters,
//! other scripts' digits, `tel:` URIs) is left to the `phonenumber` crate.
//!
//! Why not the crate for everything: it strips the *default region's*
//! national prefix from a number written with another country code
//! (`+44 (0)20 7946 0958` under region US kept its `0`, `+43 1 234 5678`
//! lost its `1`), so 14 % of the international numbers in
//! `phone_intl.csv` hashed to something Meta's normalizer never makes; it
//! costs microseconds per number (nom parsers, a regex cache behind a
//! global mutex); and loading its metadata compiles every pattern of every
//! region, 50 ms before the first row. The metadata used here is the
//! crate's own, written out once into `meta.rs` (a test keeps the two
//! equal) and compiled per region on first use.
//!
//! `phone_intl.csv` (extensions included) and `phone_national.csv` (made
//! with the Python port, same metadata version) pin the answers.

use std::borrow::Cow;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use super::meta::REGIONS;

/// What parsing needs of one region's metadata, as the crate has it
/// (patterns without the XML's whitespace).
pub(super) struct Region {
    pub id: &'static str,
    pub code: u16,
    /// The main region of its calling code (`US` for 1, `GB` for 44).
    pub main: bool,
    /// The international dialling prefix (`011`, `00`), a pattern.
    pub idd: Option<&'static str>,
    /// `national_prefix_for_parsing`, else the national prefix.
    pub national_prefix: Option<&'static str>,
    /// `national_prefix_transform_rule`, `$1` style.
    pub transform: Option<&'static str>,
    /// The general description's national number pattern.
    pub general: &'static str,
    /// Possible lengths of a national number, as a bit set, and those
    /// possible only locally (without an area code).
    pub lengths: u32,
    pub local_lengths: u32,
}

/// A region's patterns, compiled on first use.
struct Compiled {
    idd: Option<Regex>,
    national_prefix: Option<Regex>,
    general: Option<Regex>,
}

static COMPILED: LazyLock<Vec<OnceLock<Option<Compiled>>>> =
    LazyLock::new(|| REGIONS.iter().map(|_| OnceLock::new()).collect());

/// Calling code → index of its main region in `REGIONS`, plus one (0:
/// no such code). A non-geographic code (`+800`) has one entry, `001`.
static MAIN_BY_CODE: LazyLock<Vec<u16>> = LazyLock::new(|| {
    let mut table = vec![0u16; 1000];
    for (i, r) in REGIONS.iter().enumerate() {
        if r.main {
            table[usize::from(r.code)] = i as u16 + 1;
        }
    }
    table
});

/// The index of a region in `REGIONS` (sorted by id; the only repeated
/// id, `001`, is no region a mapping can name).
pub(super) fn region_index(id: &str) -> Option<usize> {
    if id.len() != 2 {
        return None;
    }
    REGIONS.binary_search_by(|r| r.id.cmp(id)).ok()
}

fn main_region(code: u16) -> Option<usize> {
    let i = *MAIN_BY_CODE.get(usize::from(code))?;
    (i > 0).then(|| usize::from(i - 1))
}

fn compiled(index: usize) -> Option<&'static Compiled> {
    COMPILED[index]
        .get_or_init(|| {
            let r = &REGIONS[index];
            // Numbers here are ASCII digits: `\d` needs no Unicode table,
            // which makes compiling a region's patterns ten times cheaper.
            let anchored = |pattern: &str, end: &str| {
                regex::RegexBuilder::new(&format!("^(?:{pattern}){end}"))
                    .unicode(false)
                    .build()
            };
            Some(Compiled {
                idd: r.idd.map(|p| anchored(p, "")).transpose().ok()?,
                national_prefix: r
                    .national_prefix
                    .map(|p| anchored(p, ""))
                    .transpose()
                    .ok()?,
                general: (!r.general.is_empty())
                    .then(|| anchored(r.general, "$"))
                    .transpose()
                    .ok()?,
            })
        })
        .as_ref()
}

/// libphonenumber's bounds on a national significant number.
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;

/// The E.164 digits of `input` under the default region `region` (an
/// index from [`region_index`]) into `out`: `Some(true)`. `Some(false)`:
/// libphonenumber cannot parse it or finds it impossible, so the plain
/// rule applies. `None`: not a shape this module reads; ask the library.
pub(super) fn e164(input: &str, region: usize, out: &mut String) -> Option<bool> {
    match plain_shape(input, region, out) {
        Some(answer) => Some(answer),
        // An extension at the end (`ext. 12`, `x12`, `#22`) is dropped, as
        // libphonenumber drops it, and what is before it read the same way.
        None => {
            let before = &input[..EXTENSION.find(input)?.start()];
            // libphonenumber keeps the extension when what is before it is
            // no number; with three digits or more it is one.
            if before.bytes().filter(u8::is_ascii_digit).count() < 3 {
                return None;
            }
            plain_shape(before, region, out)
        }
    }
}

/// libphonenumber's extension patterns for parsing (`_EXTN_PATTERNS_FOR_PARSING`
/// of the Python port), at the end of the text, case-insensitive: `;ext=`,
/// a label (`ext`, `extension`, `anexo`…), an ambiguous one (`x`, `#`,
/// `~`, `int`), `- 123#`, and the dialling pauses `,,` and `;`.
static EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    let digits = |n: u32| format!("(\\d{{1,{n}}})");
    let label_end = "[:\\.．]?[ \\x{a0}\\t,-]*";
    let pattern = [
        format!(";ext={}", digits(20)),
        format!(
            "[ \\x{{a0}}\\t,]*(?:e?xt(?:ensi(?:o\\x{{301}}?|\\x{{f3}}))?n?|ｅ?ｘｔｎ?|доб|anexo){label_end}{}#?",
            digits(20)
        ),
        format!("[ \\x{{a0}}\\t,]*(?:[xｘ#＃~～]|int|ｉｎｔ){label_end}{}#?", digits(9)),
        format!("[- ]+{}#", digits(6)),
        format!("[ \\x{{a0}}\\t]*(?:,{{2}}|;){label_end}{}#?", digits(15)),
        format!("[ \\x{{a0}}\\t]*(?:,)+{label_end}{}#?", digits(9)),
    ]
    .join("|");
    Regex::new(&format!("(?i)(?:{pattern})$")).expect("a valid pattern")
});

/// [`e164`] for text without an extension.
fn plain_shape(input: &str, region: usize, out: &mut String) -> Option<bool> {
    let bytes = input.as_bytes();
    let (plus, rest) = match bytes {
        [b'+', rest @ ..] | [b'0', b'0', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    let mut digits = [0u8; 32];
    let mut n = 0;
    let mut other = false;
    for &b in rest {
        match b {
            b'0'..=b'9' => {
                if n < digits.len() {
                    digits[n] = b;
                }
                n += 1;
            }
            b' ' | b'(' | b')' | b'-' | b'.' | b'/' => {}
            _ => other = true,
        }
    }
    if !plus && n < 2 && bytes.is_ascii() {
        // No other script's digits either: libphonenumber finds no
        // number in it (`N/A`, `-`, `none`).
        return Some(false);
    }
    if other || n < 3 || n > digits.len() {
        return None;
    }
    let digits = &digits[..n];
    if plus {
        // A `+` then 0 is retried as a national number: the library's.
        if digits[0] == b'0' {
            return None;
        }
        // An unknown code after a `+` is retried the same way.
        let (code, national) = calling_code(digits)?;
        return finish(code, national, main_region(code)?, out);
    }
    national(digits, region, out)
}

/// A number without `+`: the region's international prefix and a calling
/// code, or a national number, perhaps starting with the region's own
/// calling code (libphonenumber's `maybeExtractCountryCode`).
fn national(digits: &[u8], region: usize, out: &mut String) -> Option<bool> {
    let r = &REGIONS[region];
    let c = compiled(region)?;
    let text = ascii(digits);
    if let Some(m) = c.idd.as_ref().and_then(|idd| idd.find(text)) {
        let rest = &digits[m.end()..];
        // Calling codes do not start with 0: then it was no prefix.
        if rest.first() != Some(&b'0') {
            if rest.len() <= MIN_NSN {
                return Some(false);
            }
            let Some((code, national)) = calling_code(rest) else {
                return Some(false);
            };
            return finish(code, national, main_region(code)?, out);
        }
    }
    let mut code = itoa::Buffer::new();
    let code = code.format(r.code).as_bytes();
    if let Some(after) = digits.strip_prefix(code) {
        let potential = strip_national_prefix(after, region)?;
        if (!general(c, digits) && general(c, &potential))
            || matches!(test_length(digits.len(), region), Length::TooLong)
        {
            return finish(r.code, &potential, main_region(r.code)?, out);
        }
    }
    finish(r.code, digits, region, out)
}

/// The end of libphonenumber's `parse` once the calling code is known:
/// the national prefix stripped when what is left has a possible length
/// in `meta`'s region, the bounds, then `isPossibleNumber`.
fn finish(code: u16, national: &[u8], meta: usize, out: &mut String) -> Option<bool> {
    if national.len() < MIN_NSN {
        return Some(false);
    }
    let potential = strip_national_prefix(national, meta)?;
    let national: &[u8] = match test_length(potential.len(), meta) {
        Length::Possible | Length::TooLong => &potential,
        Length::TooShort | Length::LocalOnly | Length::Invalid => national,
    };
    if !(MIN_NSN..=MAX_NSN).contains(&national.len()) || !possible(code, national.len()) {
        return Some(false);
    }
    let mut buf = itoa::Buffer::new();
    out.push_str(buf.format(code));
    out.push_str(ascii(national));
    Some(true)
}

/// libphonenumber's `isPossibleNumber`: the length is possible (perhaps
/// only locally) in the main region of the calling code.
pub(super) fn possible(code: u16, national_len: usize) -> bool {
    main_region(code).is_some_and(|m| {
        matches!(
            test_length(national_len, m),
            Length::Possible | Length::LocalOnly
        )
    })
}

/// The calling code at the start of `digits` (codes are prefix-free) and
/// the rest.
fn calling_code(digits: &[u8]) -> Option<(u16, &[u8])> {
    (1..=3.min(digits.len())).find_map(|len| {
        let code = digits[..len]
            .iter()
            .fold(0u16, |c, &d| c * 10 + u16::from(d - b'0'));
        main_region(code).map(|_| (code, &digits[len..]))
    })
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`: the number
/// without its national prefix (or rewritten by the region's transform
/// rule), unless the number was a whole national number before and would
/// not be after. `None`: the region's patterns did not compile.
fn strip_national_prefix(number: &[u8], region: usize) -> Option<Cow<'_, [u8]>> {
    let c = compiled(region)?;
    let (Some(prefix), false) = (&c.national_prefix, number.is_empty()) else {
        return Some(Cow::Borrowed(number));
    };
    let text = ascii(number);
    let Some(caps) = prefix.captures(text) else {
        return Some(Cow::Borrowed(number));
    };
    let end = caps.get(0).map_or(0, |m| m.end());
    let viable = general(c, number);
    let groups = caps.len() - 1;
    let stripped = match REGIONS[region].transform {
        Some(rule) if groups > 0 && caps.get(groups).is_some() => {
            let mut t = Vec::with_capacity(number.len());
            let mut rule = rule.bytes();
            while let Some(b) = rule.next() {
                if b == b'$' {
                    let group = rule.next().filter(u8::is_ascii_digit)?;
                    let group = caps.get(usize::from(group - b'0'));
                    t.extend_from_slice(group.map_or("", |m| m.as_str()).as_bytes());
                } else {
                    t.push(b);
                }
            }
            t.extend_from_slice(&number[end..]);
            Cow::Owned(t)
        }
        _ => Cow::Borrowed(&number[end..]),
    };
    if viable && !general(c, &stripped) {
        return Some(Cow::Borrowed(number));
    }
    Some(stripped)
}

/// Whether `digits` is a whole national number of the region.
fn general(c: &Compiled, digits: &[u8]) -> bool {
    c.general
        .as_ref()
        .is_some_and(|re| re.is_match(ascii(digits)))
}

fn ascii(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).expect("ASCII digits")
}

/// libphonenumber's `testNumberLength` for an unknown number type.
enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

fn test_length(len: usize, region: usize) -> Length {
    let r = &REGIONS[region];
    if r.lengths == 0 {
        return Length::Invalid;
    }
    if len < 32 && r.local_lengths >> len & 1 == 1 {
        return Length::LocalOnly;
    }
    let min = r.lengths.trailing_zeros() as usize;
    let max = 31 - r.lengths.leading_zeros() as usize;
    if len == min {
        Length::Possible
    } else if len < min {
        Length::TooShort
    } else if len > max {
        Length::TooLong
    } else if r.lengths >> len & 1 == 1 {
        Length::Possible
    } else {
        Length::Invalid
    }
}
