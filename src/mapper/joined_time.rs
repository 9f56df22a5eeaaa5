//! `[event] time_of_day_column`: the date and the time of day in two
//! columns (Square, Toast), joined with one space before parsing, so
//! `time_format` (or the default shapes) reads `11/20/26 06:45 PM`.
//!
//! A row with a date but an empty time of day is `bad_time`: reading it
//! as midnight would send the sale hours off without a word.

use super::{Row, RowMapper};
use crate::outcome::{Reason, Rejection};

impl RowMapper {
    /// `date` and the row's time of day joined into `out`.
    pub(super) fn join_time_of_day(
        &self,
        rec: &Row<'_>,
        date: &str,
        col: usize,
        out: &mut String,
    ) -> Result<(), Rejection> {
        let time = self.text(rec, col)?.trim();
        if time.is_empty() && !date.trim().is_empty() {
            return Err(Rejection::new(
                Reason::BadTime,
                format!(
                    "column {}: the time of day is empty (the date is in {}); a sale without its time is not sent at midnight",
                    self.plan.column_name(col),
                    self.plan.column_name(self.plan.time_column)
                ),
            ));
        }
        out.clear();
        join(date, time, out);
        Ok(())
    }
}

/// `date` and `time`, each trimmed, with one space between (just the date
/// when the time is empty, so an empty date stays empty).
pub(super) fn join(date: &str, time: &str, out: &mut String) {
    let (date, time) = (date.trim(), time.trim());
    out.reserve(date.len() + time.len() + 1);
    out.push_str(date);
    if !time.is_empty() && !date.is_empty() {
        out.push(' ');
        out.push_str(time);
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joined_with_one_space() {
        let mut out = String::new();
        join(" 11/20/26 ", " 06:45 PM", &mut out);
        assert_eq!(out, "11/20/26 06:45 PM");
        out.clear();
        join("", "06:45 PM", &mut out);
        assert_eq!(out, "");
    }
}

#[cfg(test)]
mod props {
    use super::join;
    use crate::time::{TimeParser, parse_zone};
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use proptest::prelude::*;

    const ZONES: &[&str] = &[
        "Eastern Time (US & Canada)",
        "Pacific Time",
        "Europe/Berlin",
        "Australia/Sydney",
        "Asia/Kolkata",
        "UTC",
        "+05:45",
    ];

    /// (date format, time format) pairs as exports write them.
    const SPLITS: &[(&str, &str)] = &[
        ("%Y-%m-%d", "%H:%M:%S"),
        ("%m/%d/%y", "%I:%M:%S %p"),
        ("%d.%m.%Y", "%H:%M:%S"),
        ("%d-%b-%Y", "%I:%M:%S %p %Z"),
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// A sale formatted in its zone, split into a date and a time of
        /// day, joined and parsed back is the same instant (for a time in
        /// a fold, with %Z; without it, the earlier of the two).
        #[test]
        fn split_and_joined_round_trips(
            secs in 946_684_800i64..2_082_758_400,
            zone in 0..ZONES.len(),
            split in 0..SPLITS.len(),
        ) {
            let tz = parse_zone(ZONES[zone]).unwrap();
            let (dfmt, tfmt) = SPLITS[split];
            let zoned = Timestamp::from_second(secs).unwrap().to_zoned(tz.clone());
            let date = zoned.strftime(dfmt).to_string();
            let time = zoned.strftime(tfmt).to_string();
            // %Z reads letters: a fixed offset's "abbreviation" is "+05:45".
            let abbreviation = zoned.strftime("%Z").to_string();
            prop_assume!(!tfmt.contains("%Z") || abbreviation.bytes().all(|b| b.is_ascii_alphabetic()));
            let parser = TimeParser::new(Some(format!("{dfmt} {tfmt}")), TimeZone::UTC);
            let row = parser.zone(tz.clone());
            let mut joined = String::new();
            join(&date, &time, &mut joined);
            let got = parser.parse_in(&joined, &row);
            let ambiguous = tz.to_ambiguous_timestamp(zoned.datetime());
            let want = if tfmt.contains("%Z") || !ambiguous.is_ambiguous() {
                secs
            } else {
                ambiguous.compatible().unwrap().as_second()
            };
            prop_assert_eq!(got, Ok(want), "{} in {}", joined, ZONES[zone]);
        }

        /// Any date and time text, with any of the formats: an answer,
        /// never a panic.
        #[test]
        fn never_panics(date in "\\PC{0,24}", time in "\\PC{0,16}", split in 0..SPLITS.len()) {
            let (dfmt, tfmt) = SPLITS[split];
            for fmt in [Some(format!("{dfmt} {tfmt}")), None] {
                let parser = TimeParser::new(fmt, TimeZone::UTC);
                let mut joined = String::new();
                join(&date, &time, &mut joined);
                let _ = parser.parse(&joined);
            }
            for cell in [date.clone(), format!("UTC{time}"), format!("+{time}"), format!("({date}) {time}")] {
                let _ = parse_zone(&cell);
            }
        }
    }
}
