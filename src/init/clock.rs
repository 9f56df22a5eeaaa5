//! The parts of a sale's time that exports write apart: the time of day in
//! its own column (Square's `Time`, Toast's `Opened Time`), and the zone in
//! its own column (Square's `Time Zone`, with display names such as
//! "Eastern Time (US & Canada)").

use super::claims::Column;
use super::names;

/// Zone names as exports write them, with the IANA zone they stand for:
/// the Rails / ActiveSupport display names (which Square writes) and the
/// Windows zone ids, after CLDR's windowsZones.xml. Only for `init`'s
/// guess of the fallback `timezone`; the upload reads the column itself.
const DISPLAY_ZONES: &[(&str, &str)] = &[
    ("Eastern Time (US & Canada)", "America/New_York"),
    ("Central Time (US & Canada)", "America/Chicago"),
    ("Mountain Time (US & Canada)", "America/Denver"),
    ("Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("Eastern Time", "America/New_York"),
    ("Central Time", "America/Chicago"),
    ("Mountain Time", "America/Denver"),
    ("Pacific Time", "America/Los_Angeles"),
    ("Alaska", "America/Anchorage"),
    ("Hawaii", "Pacific/Honolulu"),
    ("Arizona", "America/Phoenix"),
    ("Atlantic Time (Canada)", "America/Halifax"),
    ("Newfoundland", "America/St_Johns"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("Paris", "Europe/Paris"),
    ("Amsterdam", "Europe/Amsterdam"),
    ("Madrid", "Europe/Madrid"),
    ("Rome", "Europe/Rome"),
    ("Sydney", "Australia/Sydney"),
];

/// Names a zone column goes by.
const ZONE_NAMES: &[&str] = &[
    "timezone",
    "tz",
    "zone",
    "zeitzone",
    "fuseauhoraire",
    "zonahoraria",
    "fusoorario",
    "tijdzone",
    "fusohorário",
    "fusohorario",
];

/// Words a time-of-day column's name holds.
const TIME_WORDS: &[&str] = &["time", "zeit", "heure", "hora", "ora", "tijd"];

/// The IANA zone a cell names, if it names one by IANA or display name.
pub(super) fn zone_of(v: &str) -> Option<String> {
    let v = v.trim();
    if let Some((_, zone)) = DISPLAY_ZONES
        .iter()
        .find(|(d, _)| d.eq_ignore_ascii_case(v))
    {
        return Some((*zone).to_owned());
    }
    (v.contains('/') && jiff::tz::TimeZone::get(v).is_ok()).then(|| v.to_owned())
}

/// A UTC offset as exports write one: `UTC`, `GMT`, `+02:00`, `UTC-5`.
fn is_offset(v: &str) -> bool {
    let v = v.trim();
    let rest = v
        .strip_prefix("UTC")
        .or_else(|| v.strip_prefix("GMT"))
        .unwrap_or(v);
    if rest.is_empty() {
        return v.len() == 3;
    }
    let Some(num) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    !num.is_empty() && num.len() <= 5 && num.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

/// The column that holds each row's zone, with the IANA zone most of its
/// cells name (for `timezone`, the empty cells' fallback).
pub(super) fn zone_column(columns: &[Column], used: &[bool]) -> Option<(usize, Option<String>)> {
    columns
        .iter()
        .filter(|c| !used[c.index] && c.profile.non_empty > 0)
        .find(|c| {
            let zones = c
                .values
                .iter()
                .filter(|v| zone_of(v).is_some() || is_offset(v))
                .count();
            let named = ZONE_NAMES.contains(&names::fold(c.name).as_str());
            zones * 10 >= c.profile.non_empty * if named { 5 } else { 9 }
        })
        .map(|c| {
            let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
            for z in c.values.iter().filter_map(|v| zone_of(v)) {
                *counts.entry(z).or_default() += 1;
            }
            let top = counts.into_iter().max_by_key(|(_, n)| *n).map(|(z, _)| z);
            (c.index, top)
        })
}

/// `14:30`, `14:30:00`, `7:15 PM`: a time of day without a date.
fn is_time_of_day(v: &str) -> bool {
    let v = v.trim();
    let clock = v
        .strip_suffix(|c: char| c == 'M' || c == 'm')
        .and_then(|r| r.strip_suffix(['A', 'P', 'a', 'p']))
        .map_or(v, str::trim_end);
    let parts: Vec<&str> = clock.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A column of times of day that belongs with the date column `date`:
/// filled where the dates are, named like a time when several qualify.
pub(super) fn time_of_day(columns: &[Column], used: &[bool], date: usize) -> Option<usize> {
    let dates = columns[date].profile.non_empty;
    let mut found: Vec<&Column> = columns
        .iter()
        .filter(|c| !used[c.index] && c.index != date && c.profile.non_empty * 10 >= dates * 9)
        .filter(|c| {
            let n = c.values.iter().filter(|v| is_time_of_day(v)).count();
            n * 10 >= c.profile.non_empty * 9
        })
        .collect();
    found.sort_by_key(|c| {
        let folded = names::fold(c.name);
        (!TIME_WORDS.iter().any(|w| folded.contains(w)), c.index)
    });
    found.first().map(|c| c.index)
}

/// The date and time-of-day cells of each row joined with one space, as
/// the upload joins them before parsing.
pub(super) fn joined<'a>(date: &[&'a str], time: &[&'a str]) -> Vec<String> {
    date.iter()
        .zip(time)
        .map(|(d, t)| format!("{} {}", d.trim(), t.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_times_of_day() {
        assert_eq!(
            zone_of("Eastern Time (US & Canada)").as_deref(),
            Some("America/New_York")
        );
        assert_eq!(zone_of("Europe/Berlin").as_deref(), Some("Europe/Berlin"));
        assert_eq!(zone_of("Mars Standard Time"), None);
        assert!(is_offset("UTC-5") && is_offset("+02:00") && is_offset("UTC"));
        assert!(!is_offset("USD") && !is_offset("12"));
        for (_, zone) in DISPLAY_ZONES {
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone}");
        }
        assert!(is_time_of_day("14:30:00") && is_time_of_day("07:15 PM") && is_time_of_day("9:05"));
        assert!(
            !is_time_of_day("2026-11-20") && !is_time_of_day("14") && !is_time_of_day("1:2:3:4")
        );
    }
}
