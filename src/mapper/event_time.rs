//! The sale's time: read in the row's zone (`timezone_column`, else the
//! mapping's), joined from a date and a time of day when the mapping says
//! so, and placed in Meta's window.

use super::row_zone::ZoneCache;
use super::{Row, RowMapper};
use crate::outcome::{Reason, Rejection};
use crate::time::{OffsetCache, Placement};

/// What reading a time reuses from row to row (one per worker).
#[derive(Default)]
pub struct TimeScratch {
    zones: ZoneCache,
    joined: String,
    offsets: OffsetCache,
}

impl RowMapper {
    pub(super) fn event_time(
        &self,
        rec: &Row<'_>,
        action_source: &str,
        scratch: &mut TimeScratch,
    ) -> Result<i64, Rejection> {
        let col = self.plan.time_column;
        let name = self.plan.column_name(col);
        let date = self.text(rec, col)?;
        let zone = self.row_zone(rec, &mut scratch.zones)?;
        let (parsed, time_of_day) = match self.plan.time_of_day_column {
            None => (
                self.times.parse_cached(date, zone, &mut scratch.offsets),
                None,
            ),
            Some(tcol) => {
                self.join_time_of_day(rec, date, tcol, &mut scratch.joined)?;
                let joined = &scratch.joined;
                (
                    self.times.parse_cached(joined, zone, &mut scratch.offsets),
                    Some(tcol),
                )
            }
        };
        let t = parsed.map_err(|e| {
            let detail = match time_of_day {
                None => format!("column {name}: the time {e}"),
                Some(tcol) => format!(
                    "columns {name} and {} (joined): the time {e}",
                    self.plan.column_name(tcol)
                ),
            };
            Rejection::new(Reason::BadTime, detail)
        })?;
        self.place(t, name, action_source)
    }

    fn place(&self, t: i64, name: &str, action_source: &str) -> Result<i64, Rejection> {
        match self.window.place(t, action_source) {
            Placement::Inside => Ok(t),
            Placement::TooOld { max_age_days } => Err(Rejection::new(
                Reason::TooOld,
                format!(
                    "column {name}: the sale is more than {max_age_days} days old; Meta refuses {action_source} events older than that"
                ),
            )),
            Placement::InFuture => Err(Rejection::new(
                Reason::InFuture,
                format!(
                    "column {name}: the time is more than 10 minutes in the future (check the mapping's timezone)"
                ),
            )),
        }
    }
}
