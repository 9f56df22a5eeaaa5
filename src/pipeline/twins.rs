//! Identical rows without `id_column`: every column the same, so the same
//! event id (a hash of the row), and Meta counts them as one sale (it
//! deduplicates offline events by time, name and customer keys). Two real
//! sales can look so (two coffees on one receipt line each, an export
//! without seconds): the run says how many, and README says how to tell
//! them apart (map `id_column`).
//!
//! Counted exactly among the last [`WINDOW`] rows: remembering every row
//! of a ten-million-row export would cost 16 bytes a row, and twin sales
//! sit next to each other in a time-ordered export (a file named twice,
//! the far-apart case, is refused at start-up). About 1.5 MB.

use std::collections::{HashMap, VecDeque};

use crate::mapper::RowMapper;

/// How many earlier rows a row is compared with.
pub const WINDOW: usize = 1 << 16;

/// The event ids of the last [`WINDOW`] rows, with the rows found equal
/// to one of them.
#[derive(Default)]
pub(super) struct Twins {
    order: VecDeque<u64>,
    /// Fingerprint → how many of the rows in the window have it.
    counts: HashMap<u64, u32>,
    pub repeats: u64,
}

/// Whether the rows of `file` get their event id from the row itself:
/// no id column, no orders (an order's id comes from its order column).
pub(super) fn watched(mappers: &[RowMapper], file: u32) -> bool {
    mappers
        .get(file as usize)
        .is_some_and(|m| m.plan().id_column.is_none() && m.plan().group_by.is_none())
}

impl Twins {
    /// One row's event id (`oc-` and hex digits).
    pub fn see(&mut self, event_id: &str) {
        let Some(fingerprint) = event_id
            .get(3..19)
            .and_then(|hex| u64::from_str_radix(hex, 16).ok())
        else {
            return;
        };
        let seen = self.counts.entry(fingerprint).or_default();
        if *seen > 0 {
            self.repeats += 1;
        }
        *seen += 1;
        self.order.push_back(fingerprint);
        if self.order.len() > WINDOW
            && let Some(old) = self.order.pop_front()
            && let Some(n) = self.counts.get_mut(&old)
        {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_counted_within_the_window() {
        let mut t = Twins::default();
        let id = |n: u64| format!("oc-{n:016x}{:016x}", 0);
        for n in [1, 2, 1, 1, 3] {
            t.see(&id(n));
        }
        assert_eq!(t.repeats, 2);
        for n in 10..10 + WINDOW as u64 {
            t.see(&id(n));
        }
        // Row 1 left the window.
        t.see(&id(1));
        assert_eq!(t.repeats, 2);
        t.see(&id(10 + WINDOW as u64 - 1));
        assert_eq!(t.repeats, 3);
        assert!(t.counts.len() <= WINDOW);
    }
}
