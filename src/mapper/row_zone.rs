//! `[event] timezone_column`: the row's own zone, resolved once per
//! distinct cell per worker (a small cache in [`Scratch`](super::Scratch)),
//! so a file of a few zones parses each name once and a file without the
//! key never comes here.

use super::{Row, RowMapper};
use crate::outcome::{Reason, Rejection};
use crate::time::{RowZone, parse_zone};

/// Distinct zone cells kept per worker; past this the oldest is replaced
/// (an export holds a handful of zones, not thousands).
const CAPACITY: usize = 32;

/// Zone cells already resolved, with the mapper that resolved them (each
/// input's mapping reads `%Z` or not). `None`: no zone offconv knows.
#[derive(Default)]
pub struct ZoneCache {
    entries: Vec<(u32, Box<str>, Option<RowZone>)>,
    /// The slot the next new entry takes once full.
    next: usize,
    /// The slot of the last hit: consecutive rows mostly share a zone.
    last: usize,
}

impl ZoneCache {
    fn find(&mut self, mapper: u32, cell: &str) -> Option<usize> {
        let hit = |e: &(u32, Box<str>, Option<RowZone>)| e.0 == mapper && &*e.1 == cell;
        if self.entries.get(self.last).is_some_and(hit) {
            return Some(self.last);
        }
        let at = self.entries.iter().position(hit)?;
        self.last = at;
        Some(at)
    }

    fn insert(&mut self, mapper: u32, cell: &str, zone: Option<RowZone>) -> usize {
        let entry = (mapper, Box::from(cell), zone);
        let at = if self.entries.len() < CAPACITY {
            self.entries.push(entry);
            self.entries.len() - 1
        } else {
            let at = self.next;
            self.entries[at] = entry;
            self.next = (at + 1) % CAPACITY;
            at
        };
        self.last = at;
        at
    }
}

impl RowMapper {
    /// The zone a row's times are read in: its `timezone_column` cell, or
    /// the mapping's `timezone` when that cell is empty (or unmapped).
    pub(super) fn row_zone<'c>(
        &'c self,
        rec: &Row<'_>,
        cache: &'c mut ZoneCache,
    ) -> Result<&'c RowZone, Rejection> {
        let Some(col) = self.plan.timezone_column else {
            return Ok(self.times.default_zone());
        };
        let cell = self.text(rec, col)?.trim();
        if cell.is_empty() {
            return Ok(self.times.default_zone());
        }
        let at = match cache.find(self.id, cell) {
            Some(at) => at,
            None => {
                let zone = parse_zone(cell).map(|tz| self.times.zone(tz));
                cache.insert(self.id, cell, zone)
            }
        };
        cache.entries[at].2.as_ref().ok_or_else(|| {
            Rejection::new(
                Reason::BadTime,
                format!(
                    "column {}: not a time zone offconv knows (an IANA name such as America/New_York, an offset such as -05:00 or UTC-5, or a Rails or Windows name such as Eastern Time (US & Canada))",
                    self.plan.column_name(col)
                ),
            )
        })
    }
}
