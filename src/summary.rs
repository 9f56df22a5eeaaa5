//! The end-of-run summary (DESIGN.md 4.5): what a person reads on stderr
//! and what `--summary-json` writes for a scheduler to parse.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::normalize::Field;
use crate::outcome::{KeySet, Reason};
use crate::report::Status;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub dry_run: bool,
    pub rows: u64,
    /// Rows that made a valid event (before sending).
    pub events: u64,
    /// Line items: orders that made an event.
    pub orders: u64,
    /// Line items: orders whose rows carried different customer details.
    pub orders_with_conflicting_customer_data: u64,
    /// Dry run: valid rows. Upload: rows sent.
    pub valid: u64,
    pub sent: u64,
    /// Of `sent`: rows a resumed run found sent by an earlier run of the
    /// job, as its report says. Not the
    /// skip reason `already_sent` (`skipped_by_reason`): those rows were
    /// sent by another job and are not counted in `sent`.
    pub sent_by_earlier_run: u64,
    pub rejected: u64,
    pub failed: u64,
    /// Rows left out on purpose (a `[filter]` rule, …): never exit code 1.
    pub skipped: u64,
    pub skipped_by_reason: BTreeMap<&'static str, u64>,
    pub rejected_by_reason: BTreeMap<&'static str, u64>,
    pub failed_by_reason: BTreeMap<&'static str, u64>,
    pub requests: u64,
    pub retries: u64,
    pub seconds: f64,
    pub rows_per_second: f64,
    /// Share of valid events carrying each key (0..1).
    pub match_keys: BTreeMap<&'static str, f64>,
    pub report: String,
    pub upload_tag: Option<String>,
    /// Rows equal to one of the 65,536 rows before them in every column,
    /// without `id_column`: they share its event id, and Meta counts one.
    pub identical_rows: u64,
    /// Events Meta counted (`events_received`), upload only.
    pub events_received: u64,
    #[serde(skip)]
    pub key_counts: [u64; Field::ALL.len()],
}

impl Summary {
    /// Counts one final row.
    pub fn count(&mut self, status: Status, reason: Option<Reason>) {
        match status {
            Status::Valid => self.valid += 1,
            Status::Sent => self.sent += 1,
            Status::Rejected => {
                self.rejected += 1;
                *self
                    .rejected_by_reason
                    .entry(reason.map_or("unknown", Reason::code))
                    .or_default() += 1;
            }
            Status::Skipped => {
                self.skipped += 1;
                *self
                    .skipped_by_reason
                    .entry(reason.map_or("unknown", Reason::code))
                    .or_default() += 1;
            }
            Status::Failed => {
                self.failed += 1;
                *self
                    .failed_by_reason
                    .entry(reason.map_or("unknown", Reason::code))
                    .or_default() += 1;
            }
        }
    }

    /// Counts the keys of one valid event.
    pub fn count_keys(&mut self, keys: KeySet) {
        self.events += 1;
        for (i, field) in Field::ALL.iter().enumerate() {
            if keys.contains(*field) {
                self.key_counts[i] += 1;
            }
        }
    }

    /// Fills the derived numbers once the run is over.
    pub fn finish(&mut self, seconds: f64) {
        self.seconds = seconds;
        self.rows_per_second = if seconds > 0.0 {
            self.rows as f64 / seconds
        } else {
            0.0
        };
        let events = self.events.max(1);
        self.match_keys = Field::ALL
            .iter()
            .zip(self.key_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(f, n)| (f.key(), n as f64 / events as f64))
            .collect();
    }

    /// Whether the run met `--max-rejected` (rejected rows allowed) and
    /// nothing failed.
    pub fn within(&self, max_rejected: &MaxRejected) -> bool {
        self.failed == 0 && max_rejected.allows(self.rejected, self.rows)
    }

    /// The text for stderr.
    pub fn human(&self) -> String {
        let mut s = String::new();
        let verb = if self.dry_run { "valid" } else { "sent" };
        let good = if self.dry_run { self.valid } else { self.sent };
        let _ = writeln!(
            s,
            "{} rows read: {good} {verb}, {} rejected, {} failed ({:.1} s, {:.0} rows/s)",
            self.rows, self.rejected, self.failed, self.seconds, self.rows_per_second
        );
        if self.orders > 0 {
            let _ = writeln!(
                s,
                "  as {} orders ({} with conflicting customer details on their rows: the first non-empty value was used)",
                self.orders, self.orders_with_conflicting_customer_data
            );
        }
        if self.sent_by_earlier_run > 0 {
            let _ = writeln!(
                s,
                "  of which sent by an earlier run: {}",
                self.sent_by_earlier_run
            );
        }
        if self.identical_rows > 0 {
            let _ = writeln!(
                s,
                "  warning: {} rows repeat an earlier row in every column: each shares that row's event id, and Meta counts such rows as one sale; if they are separate sales, map [event] id_column to a column that tells them apart (a receipt or line number)",
                self.identical_rows
            );
        }
        for (reason, n) in &self.rejected_by_reason {
            let _ = writeln!(s, "  rejected {reason}: {n}");
        }
        for (reason, n) in &self.failed_by_reason {
            let _ = writeln!(s, "  failed {reason}: {n}");
        }
        if self.skipped > 0 {
            let _ = writeln!(s, "  skipped (left out on purpose): {}", self.skipped);
        }
        for (reason, n) in &self.skipped_by_reason {
            let _ = writeln!(s, "  skipped {reason}: {n}");
        }
        if self.dry_run {
            let _ = writeln!(s, "requests that would be sent: {}", self.requests);
        } else {
            let _ = writeln!(
                s,
                "requests: {} ({} retries), events received by Meta: {}",
                self.requests, self.retries, self.events_received
            );
        }
        if !self.match_keys.is_empty() {
            let keys: Vec<String> = Field::ALL
                .iter()
                .filter_map(|f| {
                    self.match_keys
                        .get(f.key())
                        .map(|share| format!("{} {:.0}%", f.key(), share * 100.0))
                })
                .collect();
            let _ = writeln!(s, "match keys: {}", keys.join(", "));
        }
        let _ = write!(s, "report: {}", self.report);
        s
    }
}

/// `--max-rejected N` or `N%`: how many rejected rows still count as a
/// successful run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxRejected {
    Count(u64),
    Percent(f64),
}

impl Default for MaxRejected {
    fn default() -> Self {
        MaxRejected::Count(0)
    }
}

impl MaxRejected {
    pub fn allows(&self, rejected: u64, rows: u64) -> bool {
        match *self {
            MaxRejected::Count(n) => rejected <= n,
            MaxRejected::Percent(p) => rows == 0 || (rejected as f64) * 100.0 <= p * rows as f64,
        }
    }
}

impl std::str::FromStr for MaxRejected {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%') {
            let p: f64 = p
                .trim()
                .parse()
                .map_err(|_| format!("{s:?} is not a percentage such as 0.5%"))?;
            if !(0.0..=100.0).contains(&p) {
                return Err(format!("{s:?}: a percentage is between 0% and 100%"));
            }
            Ok(MaxRejected::Percent(p))
        } else {
            s.parse().map(MaxRejected::Count).map_err(|_| {
                format!("{s:?} is neither a count (such as 100) nor a percentage (such as 0.5%)")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_rejected() {
        let pct: MaxRejected = "1%".parse().unwrap();
        assert!(pct.allows(1, 100) && !pct.allows(2, 100));
        let n: MaxRejected = "3".parse().unwrap();
        assert!(n.allows(3, 10) && !n.allows(4, 10));
        assert!("x".parse::<MaxRejected>().is_err());
        assert!("120%".parse::<MaxRejected>().is_err());
    }
}
