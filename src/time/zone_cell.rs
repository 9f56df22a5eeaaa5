//! A `timezone_column` cell read as a time zone: a UTC offset, a display
//! name exports write (`zone_names`), or an IANA name.
//!
//! Rules, in this order (README "Times and zones"):
//! - `Z`, `UTC`, `GMT` and offsets: `+02:00`, `-0500`, `+05`, `UTC-5`,
//!   `GMT+1`, `UTC+05:30`. An offset after `UTC`/`GMT` is the offset from
//!   UTC as people write it: `GMT+1` is one hour *ahead* of UTC (unlike
//!   the POSIX-style IANA name `Etc/GMT+1`, which is read as IANA has it).
//! - A display name from Rails or Windows (`Eastern Time (US & Canada)`,
//!   `W. Europe Standard Time`), also after Windows' own offset prefix
//!   (`(UTC-05:00) Eastern Time (US & Canada)`): the name decides, with its
//!   daylight saving time.
//! - An IANA name (`America/New_York`), as jiff's bundled tzdb knows it.
//!
//! Anything else is no zone (`None`): the caller rejects the row.

use jiff::tz::{Offset, TimeZone};

/// The zone a (non-empty) cell names.
pub fn parse_zone(cell: &str) -> Option<TimeZone> {
    let s = cell.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Some(offset) = parse_offset(s) {
        return Some(if offset == Offset::UTC {
            TimeZone::UTC
        } else {
            TimeZone::fixed(offset)
        });
    }
    let named = strip_windows_prefix(s).unwrap_or(s);
    if let Some(iana) = super::zone_names::iana_of(named) {
        return TimeZone::get(iana).ok();
    }
    if named.len() != s.len() {
        return None;
    }
    TimeZone::get(s).ok()
}

/// `(UTC-05:00) Eastern Time (US & Canada)` → `Eastern Time (US & Canada)`.
fn strip_windows_prefix(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('(')?;
    let (inside, name) = rest.split_once(')')?;
    parse_offset(inside)?;
    Some(name.trim())
}

/// `Z`, `UTC`, `GMT`, or an offset with or without `UTC`/`GMT` before it.
fn parse_offset(s: &str) -> Option<Offset> {
    let b = s.as_bytes();
    let prefixed = b.len() >= 3
        && (b[..3].eq_ignore_ascii_case(b"UTC") || b[..3].eq_ignore_ascii_case(b"GMT"));
    let rest = if prefixed {
        s[3..].trim_start()
    } else if s.eq_ignore_ascii_case("z") {
        ""
    } else {
        s
    };
    if rest.is_empty() {
        return (prefixed || s.eq_ignore_ascii_case("z")).then_some(Offset::UTC);
    }
    let sign: i32 = match rest.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = split_hours_minutes(&rest[1..], prefixed)?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// `05`, `5` (after `UTC`/`GMT` only), `0530`, `05:30`.
fn split_hours_minutes(digits: &str, prefixed: bool) -> Option<(i32, i32)> {
    let num = |t: &str| -> Option<i32> {
        (!t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    if !digits.bytes().all(|c| c.is_ascii_digit() || c == b':') {
        return None;
    }
    if let Some((h, m)) = digits.split_once(':') {
        return (h.len() <= 2 && m.len() == 2).then(|| Some((num(h)?, num(m)?)))?;
    }
    match digits.len() {
        1 if prefixed => Some((num(digits)?, 0)),
        2 => Some((num(digits)?, 0)),
        3 if prefixed => Some((num(&digits[..1])?, num(&digits[1..])?)),
        4 => Some((num(&digits[..2])?, num(&digits[2..])?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset_secs(cell: &str) -> Option<i32> {
        let tz = parse_zone(cell)?;
        Some(tz.to_offset(jiff::Timestamp::UNIX_EPOCH).seconds())
    }

    #[test]
    fn offsets() {
        assert_eq!(offset_secs("+02:00"), Some(7200));
        assert_eq!(offset_secs("-0500"), Some(-18_000));
        assert_eq!(offset_secs("+05"), Some(18_000));
        assert_eq!(offset_secs("UTC-5"), Some(-18_000));
        assert_eq!(offset_secs("utc -05:00"), Some(-18_000));
        assert_eq!(offset_secs("GMT+1"), Some(3600));
        assert_eq!(offset_secs("UTC+05:30"), Some(19_800));
        assert_eq!(offset_secs("UTC+530"), Some(19_800));
        assert_eq!(offset_secs("UTC"), Some(0));
        assert_eq!(offset_secs(" gmt "), Some(0));
        assert_eq!(offset_secs("Z"), Some(0));
        // IANA's POSIX-style name keeps IANA's (inverted) sign.
        assert_eq!(offset_secs("Etc/GMT+1"), Some(-3600));
        // Not offsets: out of range, or digits that could be anything.
        assert_eq!(parse_zone("+15:00"), None);
        assert_eq!(parse_zone("+5"), None);
        assert_eq!(parse_zone("+05:7"), None);
        assert_eq!(parse_zone("UTC+"), None);
        assert_eq!(parse_zone("0500"), None);
        // Not digits: no panic on a character of several bytes.
        assert_eq!(parse_zone("UTC+é"), None);
        assert_eq!(parse_zone("+€"), None);
        assert_eq!(parse_zone("GMT-1€"), None);
    }

    #[test]
    fn names() {
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(parse_zone("Eastern Time (US & Canada)"), Some(ny.clone()));
        assert_eq!(parse_zone("eastern time"), Some(ny.clone()));
        assert_eq!(parse_zone("Eastern Standard Time"), Some(ny.clone()));
        assert_eq!(
            parse_zone("(UTC-05:00) Eastern Time (US & Canada)"),
            Some(ny.clone())
        );
        assert_eq!(parse_zone("America/New_York"), Some(ny));
        assert!(parse_zone("Europe/Berlin").is_some());
        assert!(parse_zone("Tokyo").is_some());
        assert_eq!(parse_zone("Atlantis Time"), None);
        assert_eq!(parse_zone("(UTC-05:00) Atlantis"), None);
        assert_eq!(parse_zone("Mars/Base"), None);
        assert_eq!(parse_zone(""), None);
    }
}
