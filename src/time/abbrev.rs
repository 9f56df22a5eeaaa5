//! `%Z` in `time_format`: a zone abbreviation in the value
//! (`20-Nov-2026 02:44 PM EST`, Clover).
//!
//! jiff's strptime refuses `%Z` (an abbreviation names no offset by
//! itself: `CST` is US Central, China and Cuba). offconv reads it against
//! the row's zone: an abbreviation that zone has used at any date fixes
//! the offset it stood for there (`EST` is -05:00 even in July, `EDT`
//! -04:00 even in January); any other abbreviation is rejected. `UTC` and
//! `GMT` mean +00:00 in every zone.
//!
//! How the value is split: `%Z` in the format becomes a sentinel byte, and
//! each run of ASCII letters in the value in turn is replaced by it until
//! jiff parses the rest; that run is the abbreviation.

use jiff::fmt::strtime::{self, BrokenDownTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, civil::date};

use super::format_check::directives;

/// What `%Z` becomes in the format (and the abbreviation in the value).
const SENTINEL: &str = "\u{1}";

/// At most this many letter runs of a value are tried.
const MAX_CANDIDATES: usize = 8;

/// A `time_format` holding `%Z`, rewritten for jiff.
#[derive(Debug, Clone)]
pub struct AbbrevFormat {
    format: String,
}

impl AbbrevFormat {
    /// `Some` when `fmt` holds the directive `%Z` (with any flag).
    pub fn new(fmt: &str) -> Option<AbbrevFormat> {
        let z = directives(fmt).find(|d| d.letter == Some('Z') && !d.dot)?;
        let mut format = String::with_capacity(fmt.len());
        format.push_str(&fmt[..z.range.start]);
        format.push_str(SENTINEL);
        format.push_str(&fmt[z.range.end..]);
        Some(AbbrevFormat { format })
    }

    /// The value parsed, and the abbreviation it holds; `None` when no
    /// letter run of the value makes the rest match the format.
    pub fn parse<'s>(&self, s: &'s str) -> Option<(BrokenDownTime, &'s str)> {
        if s.contains(SENTINEL) {
            return None;
        }
        let mut candidate = String::with_capacity(s.len());
        for (start, end) in letter_runs(s).take(MAX_CANDIDATES) {
            candidate.clear();
            candidate.push_str(&s[..start]);
            candidate.push_str(SENTINEL);
            candidate.push_str(&s[end..]);
            if let Ok(tm) = strtime::parse(&self.format, &candidate) {
                return Some((tm, &s[start..end]));
            }
        }
        None
    }
}

/// Byte ranges of the maximal runs of ASCII letters in `s`.
fn letter_runs(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        Some((start, i))
    })
}

/// The abbreviations a zone has used, each with the offset it last stood
/// for (the newest transition wins: tzdb history reuses few names).
#[derive(Debug, Clone, Default)]
pub struct Abbreviations(Vec<(Box<str>, Offset)>);

impl Abbreviations {
    pub fn of(tz: &TimeZone) -> Abbreviations {
        // A fixed point past every rule change tzdb knows today.
        let start = date(2040, 1, 1)
            .at(0, 0, 0, 0)
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MAX);
        let mut all = Abbreviations::default();
        let info = tz.to_offset_info(start);
        all.add(info.abbreviation(), info.offset());
        for t in tz.preceding(start) {
            all.add(t.abbreviation(), t.offset());
        }
        all
    }

    fn add(&mut self, abbreviation: &str, offset: Offset) {
        let letters =
            !abbreviation.is_empty() && abbreviation.bytes().all(|b| b.is_ascii_alphabetic());
        if letters
            && !self
                .0
                .iter()
                .any(|(a, _)| a.eq_ignore_ascii_case(abbreviation))
        {
            self.0
                .push((abbreviation.to_ascii_uppercase().into(), offset));
        }
    }

    /// The offset `abbreviation` stands for in this zone.
    pub fn offset(&self, abbreviation: &str) -> Option<Offset> {
        if abbreviation.eq_ignore_ascii_case("UTC") || abbreviation.eq_ignore_ascii_case("GMT") {
            return Some(Offset::UTC);
        }
        self.0
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(abbreviation))
            .map(|(_, o)| *o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Abbreviations {
        Abbreviations::of(&TimeZone::get(name).unwrap())
    }

    fn hours(a: &Abbreviations, abbr: &str) -> Option<i32> {
        a.offset(abbr).map(|o| o.seconds() / 3600)
    }

    #[test]
    fn a_zone_knows_its_own_abbreviations() {
        let ny = zone("America/New_York");
        assert_eq!(hours(&ny, "EST"), Some(-5));
        assert_eq!(hours(&ny, "edt"), Some(-4));
        assert_eq!(hours(&ny, "UTC"), Some(0));
        assert_eq!(hours(&ny, "PST"), None);
        assert_eq!(hours(&ny, "CET"), None);
        let berlin = zone("Europe/Berlin");
        assert_eq!(hours(&berlin, "CET"), Some(1));
        assert_eq!(hours(&berlin, "CEST"), Some(2));
        assert_eq!(hours(&berlin, "EST"), None);
        let london = zone("Europe/London");
        assert_eq!(hours(&london, "BST"), Some(1));
        assert_eq!(hours(&london, "GMT"), Some(0));
        assert_eq!(hours(&zone("Asia/Tokyo"), "JST"), Some(9));
        assert_eq!(hours(&zone("Australia/Sydney"), "AEDT"), Some(11));
        assert_eq!(hours(&zone("Pacific/Honolulu"), "HST"), Some(-10));
        assert_eq!(hours(&zone("America/Anchorage"), "AKST"), Some(-9));
    }

    #[test]
    fn the_abbreviation_is_found_among_the_letter_runs() {
        let f = AbbrevFormat::new("%d-%b-%Y %I:%M %p %Z").unwrap();
        let (tm, abbr) = f.parse("20-Nov-2026 02:44 PM EST").unwrap();
        assert_eq!(abbr, "EST");
        assert_eq!(tm.hour(), Some(14));
        assert!(f.parse("20-Nov-2026 02:44 PM").is_none());
        assert!(f.parse("20-Nov-2026 02:44 PM \u{1}").is_none());
        let f = AbbrevFormat::new("%Z %Y-%m-%d %H:%M").unwrap();
        assert_eq!(f.parse("CEST 2026-07-01 10:00").unwrap().1, "CEST");
        assert!(AbbrevFormat::new("%Y %%Z").is_none());
        assert!(AbbrevFormat::new("%Y %^Z").is_some());
    }
}
