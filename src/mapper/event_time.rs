//! The sale's time: read in the mapping's zone and placed in Meta's window.

use super::{Row, RowMapper};
use crate::outcome::{Reason, Rejection};
use crate::time::Placement;

impl RowMapper {
    pub(super) fn event_time(&self, rec: &Row<'_>, action_source: &str) -> Result<i64, Rejection> {
        let col = self.plan.time_column;
        let name = self.plan.column_name(col);
        let t = self
            .times
            .parse(self.text(rec, col)?)
            .map_err(|e| Rejection::new(Reason::BadTime, format!("column {name}: the time {e}")))?;
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
