//! Sale times: parsing the shapes exports use, and Meta's time window.
//!
//! A time without an offset is store-local: it is read in the mapping's
//! IANA zone. Local times that fall in a DST gap or fold are resolved the
//! way RFC 5545 and most schedulers do ("compatible": a gap moves forward,
//! a fold takes the earlier instant) instead of failing the row, because a
//! sale at 01:30 on the night clocks change did happen.

mod abbrev;
pub mod format_check;
mod offsets;
mod window;
mod zone_cell;
pub mod zone_names;

use std::sync::Arc;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, fmt::strtime};

use abbrev::{AbbrevFormat, Abbreviations};
pub use offsets::OffsetCache;
pub use window::{FUTURE_TOLERANCE_SECS, Placement, Window};
pub use zone_cell::parse_zone;

/// Why a time could not be used. The `Display` text is the report detail
/// (after the column name), so it never repeats the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("is empty")]
    Empty,
    #[error(
        "is not a date and time in a known format (RFC 3339, YYYY-MM-DD HH:MM[:SS], unix seconds or milliseconds)"
    )]
    Unparseable,
    #[error("does not match the mapping's time_format")]
    FormatMismatch,
    #[error("is not a real calendar date or time")]
    Invalid,
    /// `%Y` read fewer than four digits: "26" is never the year 26.
    #[error(
        "has a year of fewer than four digits where time_format says %Y (use %y for a two-digit year)"
    )]
    ShortYear,
    /// `%Z` read an abbreviation the row's zone never uses.
    #[error(
        "has a zone abbreviation (%Z) that its time zone never uses, so the offset it means is unknown"
    )]
    UnknownAbbreviation,
}

/// A zone times are read in: the mapping's `timezone`, or a row's own
/// (`timezone_column`), with the abbreviations `%Z` may name in it
/// (looked up only when the format has `%Z`).
#[derive(Debug, Clone)]
pub struct RowZone {
    tz: TimeZone,
    abbreviations: Arc<Abbreviations>,
    /// Names the zone in an [`OffsetCache`].
    id: u64,
}

impl RowZone {
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Unix seconds of the local time `dt`, through `offsets` when given
    /// (a zone numbered 0, the placeholder `TimeParser::new` replaces, never
    /// is: 0 marks an empty slot).
    fn local(&self, dt: DateTime, offsets: Option<&mut OffsetCache>) -> Result<i64, TimeError> {
        match offsets {
            Some(cache) if self.id != 0 => cache.timestamp(self.id, &self.tz, dt),
            _ => local(&self.tz, dt),
        }
    }
}

/// Reads sale times for one mapping.
#[derive(Debug, Clone)]
pub struct TimeParser {
    format: Option<String>,
    zone: RowZone,
    /// The format reads `%Y`: the year must have four digits.
    four_digit_year: bool,
    /// The format reads `%Z`.
    abbreviation: Option<AbbrevFormat>,
}

impl TimeParser {
    pub fn new(format: Option<String>, zone: TimeZone) -> TimeParser {
        let four_digit_year = format.as_deref().is_some_and(reads_four_digit_year);
        let abbreviation = format.as_deref().and_then(AbbrevFormat::new);
        let mut parser = TimeParser {
            format,
            zone: RowZone {
                tz: TimeZone::UTC,
                abbreviations: Arc::default(),
                id: 0,
            },
            four_digit_year,
            abbreviation,
        };
        parser.zone = parser.zone(zone);
        parser
    }

    /// `tz` ready for [`TimeParser::parse_in`]: with its abbreviations
    /// when the format reads `%Z` (a walk over the zone's history, so a
    /// caller resolves each distinct zone once).
    pub fn zone(&self, tz: TimeZone) -> RowZone {
        let abbreviations = if self.abbreviation.is_some() {
            Arc::new(Abbreviations::of(&tz))
        } else {
            Arc::default()
        };
        RowZone {
            tz,
            abbreviations,
            id: offsets::next_zone_id(),
        }
    }

    /// The mapping's zone, ready for [`TimeParser::parse_in`].
    pub fn default_zone(&self) -> &RowZone {
        &self.zone
    }

    /// Unix seconds of `raw`, read in the mapping's zone.
    pub fn parse(&self, raw: &str) -> Result<i64, TimeError> {
        self.parse_in(raw, &self.zone)
    }

    /// Unix seconds of `raw`, a time without an offset read in `zone`.
    pub fn parse_in(&self, raw: &str, zone: &RowZone) -> Result<i64, TimeError> {
        self.parse_with(raw, zone, None)
    }

    /// [`TimeParser::parse_in`], with the zone's offsets kept in `offsets`
    /// (a worker's, reused from row to row).
    pub fn parse_cached(
        &self,
        raw: &str,
        zone: &RowZone,
        offsets: &mut OffsetCache,
    ) -> Result<i64, TimeError> {
        self.parse_with(raw, zone, Some(offsets))
    }

    fn parse_with(
        &self,
        raw: &str,
        zone: &RowZone,
        offsets: Option<&mut OffsetCache>,
    ) -> Result<i64, TimeError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(TimeError::Empty);
        }
        if let Some(fmt) = &self.format {
            return self.parse_with_format(fmt, s, zone, offsets);
        }
        if let Some(dt) = parse_civil(s)? {
            return zone.local(dt, offsets);
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            let n: i64 = s.parse().map_err(|_| TimeError::Unparseable)?;
            return match s.len() {
                9..=11 => Ok(n),
                12..=14 => Ok(n / 1000),
                _ => Err(TimeError::Unparseable),
            };
        }
        s.parse::<Timestamp>()
            .map(|t| t.as_second())
            .map_err(|_| TimeError::Unparseable)
    }

    fn parse_with_format(
        &self,
        fmt: &str,
        s: &str,
        zone: &RowZone,
        offsets: Option<&mut OffsetCache>,
    ) -> Result<i64, TimeError> {
        let (tm, abbreviation) = match &self.abbreviation {
            Some(z) => {
                let (tm, abbr) = z.parse(s).ok_or(TimeError::FormatMismatch)?;
                (tm, Some(abbr))
            }
            None => (
                strtime::parse(fmt, s).map_err(|_| TimeError::FormatMismatch)?,
                None,
            ),
        };
        // strftime's %Y takes one to four digits; a sale is never dated
        // before the year 1000, so a shorter year is a two-digit one.
        if self.four_digit_year && tm.year().is_some_and(|y| y < 1000) {
            return Err(TimeError::ShortYear);
        }
        let named = match abbreviation {
            Some(abbr) => Some(
                zone.abbreviations
                    .offset(abbr)
                    .ok_or(TimeError::UnknownAbbreviation)?,
            ),
            None => None,
        };
        if tm.offset().is_some() {
            return tm
                .to_timestamp()
                .map(|t| t.as_second())
                .map_err(|_| TimeError::Invalid);
        }
        let dt = tm.to_datetime().map_err(|_| TimeError::Invalid)?;
        match named {
            Some(offset) => offset
                .to_timestamp(dt)
                .map(|t| t.as_second())
                .map_err(|_| TimeError::Invalid),
            None => zone.local(dt, offsets),
        }
    }
}

fn local(zone: &TimeZone, dt: DateTime) -> Result<i64, TimeError> {
    zone.to_ambiguous_timestamp(dt)
        .compatible()
        .map(|t| t.as_second())
        .map_err(|_| TimeError::Invalid)
}

/// Whether `fmt` holds the directive `%Y` (not the literal `%%Y`).
fn reads_four_digit_year(fmt: &str) -> bool {
    let b = fmt.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'%' {
            if b[i + 1] == b'Y' {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The fast path: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS`
/// (`T` also separates; fractional seconds are ignored). `Ok(None)` when
/// the text has another shape (an offset, digits only, …).
fn parse_civil(s: &str) -> Result<Option<DateTime>, TimeError> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = b.get(r)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Ok(None);
    }
    let (Some(y), Some(mo), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Ok(None);
    };
    let (mut h, mut mi, mut sec) = (0, 0, 0);
    if b.len() > 10 {
        if !(b[10] == b' ' || b[10] == b'T') || b.len() < 16 || b[13] != b':' {
            return Ok(None);
        }
        let (Some(hh), Some(mm)) = (digits(11..13), digits(14..16)) else {
            return Ok(None);
        };
        (h, mi) = (hh, mm);
        let rest = &b[16..];
        if !rest.is_empty() {
            if rest.len() < 3 || rest[0] != b':' {
                return Ok(None);
            }
            let Some(ss) = digits(17..19) else {
                return Ok(None);
            };
            sec = ss;
            let tail = &rest[3..];
            let fraction_only = tail.is_empty()
                || (tail[0] == b'.' && tail.len() > 1 && tail[1..].iter().all(u8::is_ascii_digit));
            if !fraction_only {
                return Ok(None);
            }
        }
    }
    let narrow = |v: i32| i8::try_from(v).map_err(|_| TimeError::Invalid);
    let year = i16::try_from(y).map_err(|_| TimeError::Invalid)?;
    DateTime::new(
        year,
        narrow(mo)?,
        narrow(d)?,
        narrow(h)?,
        narrow(mi)?,
        narrow(sec)?,
        0,
    )
    .map(Some)
    .map_err(|_| TimeError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> TimeParser {
        TimeParser::new(None, TimeZone::UTC)
    }

    #[test]
    fn shapes() {
        let p = utc();
        let want = 1_795_000_000i64; // 2026-11-18T11:06:40Z
        assert_eq!(p.parse("2026-11-18T11:06:40Z"), Ok(want));
        assert_eq!(p.parse("2026-11-18T05:06:40-06:00"), Ok(want));
        assert_eq!(p.parse("2026-11-18 11:06:40"), Ok(want));
        assert_eq!(p.parse("2026-11-18 11:06"), Ok(want - 40));
        assert_eq!(p.parse("2026-11-18 11:06:40.250"), Ok(want));
        assert_eq!(p.parse("1795000000"), Ok(want));
        assert_eq!(p.parse("1795000000123"), Ok(want));
        assert_eq!(p.parse(""), Err(TimeError::Empty));
        assert_eq!(p.parse("yesterday"), Err(TimeError::Unparseable));
        assert_eq!(p.parse("2026-02-30 10:00"), Err(TimeError::Invalid));
        assert_eq!(p.parse("2026-13-45 10:00"), Err(TimeError::Invalid));
        assert_eq!(p.parse("12"), Err(TimeError::Unparseable));
    }

    #[test]
    fn zones_gaps_and_folds() {
        let chicago = TimeZone::get("America/Chicago").unwrap();
        let p = TimeParser::new(None, chicago);
        // CST is UTC-6 in November.
        assert_eq!(p.parse("2026-11-18 05:06:40"), Ok(1_795_000_000));
        // 2026-03-08 02:30 does not exist in Chicago: moved forward to 03:30 CDT.
        let gap = p.parse("2026-03-08 02:30").unwrap();
        assert_eq!(gap, utc().parse("2026-03-08T08:30:00Z").unwrap());
        // 2026-11-01 01:30 happens twice: the earlier (CDT, UTC-5) is taken.
        let fold = p.parse("2026-11-01 01:30").unwrap();
        assert_eq!(fold, utc().parse("2026-11-01T06:30:00Z").unwrap());
    }

    #[test]
    fn strftime_format() {
        let p = TimeParser::new(Some("%m/%d/%Y %I:%M %p".into()), TimeZone::UTC);
        assert_eq!(p.parse("11/18/2026 11:06 AM"), Ok(1_795_000_000 - 40));
        assert_eq!(p.parse("2026-11-18"), Err(TimeError::FormatMismatch));
    }

    #[test]
    fn four_digit_and_two_digit_years() {
        let p = TimeParser::new(Some("%m/%d/%Y %H:%M".into()), TimeZone::UTC);
        assert_eq!(p.parse("11/18/26 11:06"), Err(TimeError::ShortYear));
        assert_eq!(p.parse("11/18/2026 11:06"), Ok(1_795_000_000 - 40));
        let toast = TimeParser::new(Some("%m/%d/%y %H:%M".into()), TimeZone::UTC);
        assert_eq!(toast.parse("11/18/26 11:06"), Ok(1_795_000_000 - 40));
        assert!(toast.parse("11/18/2026 11:06").is_err());
        assert!(reads_four_digit_year("%d.%m.%Y"));
        assert!(!reads_four_digit_year("%%Y %y"));
    }

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn row_zones_with_their_daylight_saving_time() {
        let p = TimeParser::new(None, TimeZone::UTC);
        let eastern = p.zone(parse_zone("Eastern Time (US & Canada)").unwrap());
        let berlin = p.zone(parse_zone("W. Europe Standard Time").unwrap());
        let fixed = p.zone(parse_zone("UTC-5").unwrap());
        assert_eq!(
            p.parse_in("2026-07-01 12:00", &eastern),
            Ok(at("2026-07-01T16:00:00Z"))
        );
        assert_eq!(
            p.parse_in("2026-07-01 12:00", &fixed),
            Ok(at("2026-07-01T17:00:00Z"))
        );
        // US fold 2026-11-01 01:30 (EDT, then EST): the earlier instant.
        assert_eq!(
            p.parse_in("2026-11-01 01:30", &eastern),
            Ok(at("2026-11-01T05:30:00Z"))
        );
        // Europe fold 2026-10-25 02:30 (CEST, then CET): the earlier instant.
        assert_eq!(
            p.parse_in("2026-10-25 02:30", &berlin),
            Ok(at("2026-10-25T00:30:00Z"))
        );
        // US gap 2026-03-08 02:30: moved forward an hour (03:30 EDT).
        assert_eq!(
            p.parse_in("2026-03-08 02:30", &eastern),
            Ok(at("2026-03-08T07:30:00Z"))
        );
        // An offset in the value wins over the row's zone.
        assert_eq!(
            p.parse_in("2026-07-01T12:00:00+02:00", &eastern),
            Ok(at("2026-07-01T10:00:00Z"))
        );
    }

    #[test]
    fn abbreviations_fix_the_offset_they_name() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let p = TimeParser::new(Some("%d-%b-%Y %I:%M %p %Z".into()), ny);
        assert_eq!(
            p.parse("20-Nov-2026 02:44 PM EST"),
            Ok(at("2026-11-20T19:44:00Z"))
        );
        // EST is -05:00 even in July, EDT -04:00 even in January.
        assert_eq!(
            p.parse("01-Jul-2026 12:00 PM EST"),
            Ok(at("2026-07-01T17:00:00Z"))
        );
        assert_eq!(
            p.parse("15-Jan-2026 12:00 PM EDT"),
            Ok(at("2026-01-15T16:00:00Z"))
        );
        // The fold is settled by the abbreviation.
        assert_eq!(
            p.parse("01-Nov-2026 01:30 AM EDT"),
            Ok(at("2026-11-01T05:30:00Z"))
        );
        assert_eq!(
            p.parse("01-Nov-2026 01:30 AM EST"),
            Ok(at("2026-11-01T06:30:00Z"))
        );
        assert_eq!(
            p.parse("20-Nov-2026 02:44 PM UTC"),
            Ok(at("2026-11-20T14:44:00Z"))
        );
        assert_eq!(
            p.parse("20-Nov-2026 02:44 PM est"),
            Ok(at("2026-11-20T19:44:00Z"))
        );
        assert_eq!(
            p.parse("20-Nov-2026 02:44 PM PST"),
            Err(TimeError::UnknownAbbreviation)
        );
        assert_eq!(
            p.parse("20-Nov-2026 02:44 PM CEST"),
            Err(TimeError::UnknownAbbreviation)
        );
        assert_eq!(
            p.parse("20-Nov-2026 02:44 PM"),
            Err(TimeError::FormatMismatch)
        );
        // The row's zone decides which abbreviations are known.
        let pacific = p.zone(parse_zone("Pacific Time").unwrap());
        assert_eq!(
            p.parse_in("20-Nov-2026 02:44 PM PST", &pacific),
            Ok(at("2026-11-20T22:44:00Z"))
        );
        assert_eq!(
            p.parse_in("20-Nov-2026 02:44 PM EST", &pacific),
            Err(TimeError::UnknownAbbreviation)
        );
        let strict = TimeParser::new(Some("%d-%b-%Y %H:%M %Z".into()), TimeZone::UTC);
        assert_eq!(
            strict.parse("20-Nov-26 14:44 UTC"),
            Err(TimeError::ShortYear)
        );
    }
}
