//! How the order ids of a sample follow each other: whether the rows of
//! an order are next to each other (a line-item export) or come back.

use std::collections::BTreeMap;

use super::lines::plural;
use super::pct;

/// How the order ids of the sample follow each other.
pub(super) struct OrderShape<'a> {
    pub rows: usize,
    /// Rows without an order id.
    pub empty: usize,
    /// Rows whose order id is the previous row's.
    pub continuing: usize,
    /// Rows that come back to an order after other orders' rows.
    pub returning: usize,
    /// The first order id that comes back.
    pub first_returning: Option<&'a str>,
    /// Row indexes of each order id, in sample order.
    pub orders: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> OrderShape<'a> {
    pub fn of(values: &[&'a str]) -> OrderShape<'a> {
        let mut shape = OrderShape {
            rows: values.len(),
            empty: 0,
            continuing: 0,
            returning: 0,
            first_returning: None,
            orders: BTreeMap::new(),
        };
        let mut previous = "";
        for (i, raw) in values.iter().enumerate() {
            let v = raw.trim();
            if v.is_empty() {
                shape.empty += 1;
                previous = v;
                continue;
            }
            let rows = shape.orders.entry(v).or_default();
            if v == previous {
                shape.continuing += 1;
            } else if !rows.is_empty() {
                shape.returning += 1;
                shape.first_returning.get_or_insert(v);
            }
            rows.push(i);
            previous = v;
        }
        shape
    }

    /// The comment on `group_by`: how much of the sample is grouped.
    pub fn why(&self) -> String {
        let share = |n: usize| {
            if n * 100 < self.rows {
                format!("{n} of {}", self.rows)
            } else {
                pct(n, self.rows)
            }
        };
        let multi = self.orders.values().filter(|r| r.len() > 1).count();
        let orders = format!("{} orders, {multi} with several lines", self.orders.len());
        match (self.continuing, self.returning) {
            (c, 0) => format!(
                "{} of sampled rows continue the previous row's order ({orders})",
                share(c)
            ),
            (0, r) => format!(
                "{} of sampled rows repeat an earlier order, none the previous row's ({orders})",
                share(r)
            ),
            (c, r) => format!(
                "{} of sampled rows continue the previous row's order, {} ({orders})",
                share(c),
                plural(
                    r,
                    "comes back to an earlier one",
                    "come back to an earlier one"
                )
            ),
        }
    }

    /// Whether the rows of each order agree on `values` (an order total
    /// written on every line).
    /// An empty cell on a later row (Shopify writes the order's columns on
    /// its first line only) does not count against it.
    pub fn constant(&self, values: &[&str]) -> bool {
        self.orders.values().all(|rows| {
            let first = values.get(rows[0]).map_or("", |v| v.trim());
            !first.is_empty()
                && rows[1..].iter().all(|&r| {
                    let v = values.get(r).map_or("", |v| v.trim());
                    v.is_empty() || v == first
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_shapes() {
        let s = OrderShape::of(&["A", "A", "B", "", "C", "C", "B"]);
        assert_eq!((s.continuing, s.returning, s.empty), (2, 1, 1));
        assert_eq!(s.first_returning, Some("B"));
        assert_eq!(s.orders.len(), 3);
        assert!(s.constant(&["1", "1", "2", "x", "3", "3", "2"]));
        assert!(!s.constant(&["1", "2", "2", "x", "3", "3", "2"]));
        let s = OrderShape::of(&["A", "B", "A", "B"]);
        assert_eq!((s.continuing, s.returning), (0, 2));
        assert!(s.why().contains("none the previous row's"), "{}", s.why());
    }
}
