//! Line-item exports (`[event] group_by`): consecutive rows with the same
//! order id become one event with `contents`, `content_ids`, `num_items`
//! and, unless an order total is mapped, `value` = Σ quantity × price.
//!
//! Sending each line as its own event would be wrong twice: Meta keeps
//! one event per `order_id`, so the order's value would be lost, and the
//! products would never be described.
//!
//! The order is checked as a whole: one bad line rejects every row of the
//! order (a partial order would report a wrong value), and each row's
//! detail names the line at fault.

use std::fmt::Write as _;

use crate::records::Record;

use super::amount::Currency;
use super::line_item::{self, Line, Quantity};
use super::{Row, RowMapper, Scratch};
use crate::config::LinePrice;
use crate::event::push_json_str;
use crate::outcome::{PreparedEvent, Reason, Rejection, Verdict};

/// What the line items add to the event.
#[derive(Debug, Default)]
pub(super) struct Order {
    /// JSON array of `{id, quantity, item_price, …}`.
    pub contents: String,
    /// JSON array of the item ids.
    pub content_ids: String,
    pub num_items: u64,
    /// Σ quantity × item price, as decimal text.
    pub value: String,
}

/// The verdict on an order: one event for all its rows, or a rejection
/// for each row.
pub enum OrderVerdict {
    Valid { event: PreparedEvent },
    Rejected(Vec<Verdict>),
}

/// The group key of a record: the order column, trimmed.
pub fn group_key(record: &Record, column: usize) -> &[u8] {
    record.get(column).unwrap_or_default().trim_ascii()
}

impl RowMapper {
    /// Maps the rows of one order (consecutive records with one group key;
    /// `first_row` is the first one's row number).
    pub fn map_order(
        &self,
        records: &[Record],
        first_row: u64,
        scratch: &mut Scratch,
    ) -> OrderVerdict {
        let rows: Vec<Row<'_>> = records.iter().map(Row::new).collect();
        let event_id = match self.order_event_id(&rows) {
            Ok(id) => id,
            Err((i, rejection)) => return reject_all(records.len(), first_row, i, rejection, None),
        };
        for (i, row) in rows.iter().enumerate() {
            if let Some(rejection) = self.check_width(row) {
                return reject_all(records.len(), first_row, i, rejection, Some(&event_id));
            }
        }
        if let Some(skip) = self.filtered(&rows) {
            return OrderVerdict::Rejected(super::filter::skip_all(
                records.len(),
                &skip,
                Some(&event_id),
            ));
        }
        // The order's currency, from its first row, for its lines' amounts.
        let currency = match self.currency_of(&rows[0], None) {
            Ok(c) => c,
            Err(rejection) => {
                return reject_all(records.len(), first_row, 0, rejection, Some(&event_id));
            }
        };
        let order = match self.line_items(&rows, currency.as_ref()) {
            Ok(order) => order,
            Err((i, rejection)) => {
                return reject_all(records.len(), first_row, i, rejection, Some(&event_id));
            }
        };
        let (merged, conflicting_customer_data) = match self.merge_customer(records, &rows) {
            Ok(m) => m,
            Err((i, rejection)) => {
                return reject_all(records.len(), first_row, i, rejection, Some(&event_id));
            }
        };
        let merged_row = Row::new(&merged);
        let note = self.value_disagreement(&rows);
        match self.build(&merged_row, &event_id, scratch, Some(&order)) {
            Ok((json, keys, plain_keys)) => OrderVerdict::Valid {
                event: PreparedEvent {
                    event_id,
                    json,
                    keys,
                    plain_keys,
                    rows: u32::try_from(records.len()).unwrap_or(u32::MAX),
                    note,
                    conflicting_customer_data,
                },
            },
            Err(rejection) => reject_all(records.len(), first_row, 0, rejection, Some(&event_id)),
        }
    }

    /// The event id of the order these records belong to, for rows that
    /// are rejected without being mapped (an order id that reappears).
    pub fn order_event_id_of(&self, records: &[Record]) -> Option<String> {
        let rows: Vec<Row<'_>> = records.iter().take(1).map(Row::new).collect();
        self.order_event_id(&rows).ok()
    }

    /// The id column of the first row, else a hash of the order id: the
    /// same order gets the same id in every run.
    fn order_event_id(&self, rows: &[Row<'_>]) -> Result<String, (usize, Rejection)> {
        if let Some(col) = self.plan.id_column {
            let id = self.text(&rows[0], col).map_err(|r| (0, r))?.trim();
            if !id.is_empty() {
                return Ok(super::private_id::id_value(id).into_owned());
            }
        }
        let col = self.plan.group_by.expect("orders are grouped");
        let key = group_key(rows[0].record, col);
        let digest = crate::normalize::sha256_hex(key);
        let hex = std::str::from_utf8(&digest[..32]).expect("hex is ASCII");
        Ok(format!("oc-{hex}"))
    }

    /// The `contents` of the order, checking every line; `currency` is
    /// the order's (from its first row), which the amounts must agree with.
    fn line_items(
        &self,
        rows: &[Row<'_>],
        currency: Option<&Currency>,
    ) -> Result<Order, (usize, Rejection)> {
        let plan = self.plan.contents.as_ref().expect("orders have contents");
        let mut order = Order {
            contents: String::from("["),
            content_ids: String::from("["),
            ..Order::default()
        };
        let mut total: i128 = 0;
        for (i, row) in rows.iter().enumerate() {
            let text = |col: usize| self.text(row, col).map(str::trim).map_err(|r| (i, r));
            let id = text(plan.id)?;
            if id.is_empty() {
                return Err(bad(self, i, plan.id, "the item id is empty"));
            }
            let line = self
                .line(row, plan.quantity, plan.price, currency)
                .map_err(|r| (i, r))?;
            total = total
                .checked_add(line.total)
                .ok_or_else(|| bad(self, i, plan.price.column(), "the order total is too large"))?;
            order.num_items += line.quantity;

            if i > 0 {
                order.contents.push(',');
                order.content_ids.push(',');
            }
            push_json_str(&mut order.content_ids, id);
            order.contents.push_str("{\"id\":");
            push_json_str(&mut order.contents, id);
            let _ = write!(
                order.contents,
                ",\"quantity\":{},\"item_price\":{}",
                line.quantity, line.item_price
            );
            for (key, col) in [
                ("title", plan.title),
                ("brand", plan.brand),
                ("category", plan.category),
            ] {
                if let Some(col) = col {
                    let v = text(col)?;
                    if !v.is_empty() {
                        let _ = write!(order.contents, ",\"{key}\":");
                        push_json_str(&mut order.contents, v);
                    }
                }
            }
            order.contents.push('}');
        }
        order.contents.push(']');
        order.content_ids.push(']');
        order.value = line_item::decimal(total);
        Ok(order)
    }

    /// One line's quantity, price and total.
    fn line(
        &self,
        row: &Row<'_>,
        quantity_col: Option<usize>,
        price: LinePrice,
        currency: Option<&Currency>,
    ) -> Result<Line, Rejection> {
        let bad = |col: usize, what: String| {
            Rejection::new(
                Reason::BadValue,
                format!("column {}: {what}", self.plan.column_name(col)),
            )
        };
        let quantity = match quantity_col {
            None => Quantity::Whole(1),
            Some(col) => line_item::parse_quantity(self.text(row, col)?, self.separator)
                .ok_or_else(|| bad(col, line_item::quantity_problem(self.separator)))?,
        };
        let (col, what, is_total) = match price {
            LinePrice::Unit(c) => (c, "the item price", false),
            LinePrice::Total(c) => (c, "the line total", true),
        };
        let amount = self
            .amount(row, col, what)?
            .ok_or_else(|| bad(col, format!("{what} is empty")))?;
        if let Some(currency) = currency {
            self.check_agrees(&amount, currency, col)?;
        }
        line_item::line(quantity, &amount.decimal, is_total)
            .ok_or_else(|| bad(col, format!("{what} is too large")))
    }

    /// The first row, with each empty customer column filled from the
    /// first later row that has it. Reports whether rows disagree.
    fn merge_customer(
        &self,
        records: &[Record],
        rows: &[Row<'_>],
    ) -> Result<(Record, bool), (usize, Rejection)> {
        let customer: Vec<usize> = self
            .plan
            .hashed
            .iter()
            .flat_map(|(_, cols)| cols.iter().copied())
            .chain(self.plan.plain.iter().map(|(_, c)| *c))
            .chain(self.plan.full_name)
            .chain(self.plan.ldu_column)
            .collect();
        let mut conflict = false;
        let mut merged = Record::new();
        for (col, field) in records[0].iter().enumerate() {
            if !customer.contains(&col) {
                merged.push_field(field);
                continue;
            }
            let mut chosen: Option<&str> = None;
            for (i, row) in rows.iter().enumerate() {
                let v = self.text(row, col).map_err(|r| (i, r))?.trim();
                if v.is_empty() {
                    continue;
                }
                match chosen {
                    None => chosen = Some(v),
                    Some(c) if c != v => conflict = true,
                    Some(_) => {}
                }
            }
            merged.push_field(chosen.unwrap_or_default().as_bytes());
        }
        Ok((merged, conflict))
    }

    /// With an order total mapped, the rows should agree on it. A
    /// continuation row whose cell is empty agrees (Shopify writes the
    /// order's columns on its first line only).
    fn value_disagreement(&self, rows: &[Row<'_>]) -> Option<String> {
        let col = self.plan.value_column?;
        let first = self.text(&rows[0], col).ok()?.trim();
        let differs = rows[1..].iter().any(|r| {
            self.text(r, col)
                .is_ok_and(|v| !v.trim().is_empty() && v.trim() != first)
        });
        differs.then(|| {
            format!(
                "rows of this order disagree on column {}; the first row's value was sent",
                self.plan.column_name(col)
            )
        })
    }
}

/// A `bad_value` of line `i` in column `col`.
fn bad(mapper: &RowMapper, i: usize, col: usize, what: &str) -> (usize, Rejection) {
    (
        i,
        Rejection::new(
            Reason::BadValue,
            format!("column {}: {what}", mapper.plan.column_name(col)),
        ),
    )
}

/// Every row of an order rejected for the problem at row index `bad`.
fn reject_all(
    count: usize,
    first_row: u64,
    bad: usize,
    rejection: Rejection,
    event_id: Option<&str>,
) -> OrderVerdict {
    let bad_row = first_row + bad as u64;
    OrderVerdict::Rejected(
        (0..count)
            .map(|i| Verdict::Rejected {
                rejection: if i == bad {
                    rejection.clone()
                } else {
                    Rejection::new(
                        rejection.reason,
                        format!(
                            "the order is rejected because of its row {bad_row}: {}",
                            rejection.detail
                        ),
                    )
                },
                event_id: event_id.map(str::to_owned),
            })
            .collect(),
    )
}
