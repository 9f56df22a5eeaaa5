//! `[filter]` applied to a row or an order (DESIGN.md 6): a left-out row
//! is `skipped` / `filtered`. With `group_by` a filter column is read per
//! order, from the first non-empty value among its rows (exports write the
//! status on an order's first line only), and a skipped order skips all its
//! rows. A cell that is not valid UTF-8 reads as empty.

use super::{Row, RowMapper};
use crate::outcome::{Reason, Skip, Verdict};

impl RowMapper {
    /// Why the row (or the order of these rows) is left out; `None` keeps
    /// it, also when the mapping has no `[filter]`.
    pub(super) fn filtered(&self, rows: &[Row<'_>]) -> Option<Skip> {
        let filter = self.plan.filter.as_ref()?;
        let value = |col: usize| {
            rows.iter()
                .map(|r| self.text(r, col).map(str::trim).unwrap_or(""))
                .find(|v| !v.is_empty())
                .unwrap_or("")
        };
        filter
            .verdict(value, |c| self.plan.column_name(c))
            .map(|detail| Skip::new(Reason::Filtered, detail))
    }
}

/// Every row of a left-out order, skipped with the same detail.
pub(super) fn skip_all(count: usize, skip: &Skip, event_id: Option<&str>) -> Vec<Verdict> {
    (0..count)
        .map(|_| Verdict::Skipped {
            skip: skip.clone(),
            event_id: event_id.map(str::to_owned),
        })
        .collect()
}
