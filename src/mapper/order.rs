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

use csv::ByteRecord;

use super::{Row, RowMapper, Scratch};
use crate::event::push_json_str;
use crate::money;
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
pub fn group_key(record: &ByteRecord, column: usize) -> &[u8] {
    record.get(column).unwrap_or_default().trim_ascii()
}

/// Money in millionths, to add line totals without floating point.
const MICROS: i128 = 1_000_000;

impl RowMapper {
    /// Maps the rows of one order (consecutive records with one group key;
    /// `first_row` is the first one's row number).
    pub fn map_order(
        &self,
        records: &[ByteRecord],
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
        let order = match self.line_items(&rows) {
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
    pub fn order_event_id_of(&self, records: &[ByteRecord]) -> Option<String> {
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

    /// The `contents` of the order, checking every line.
    fn line_items(&self, rows: &[Row<'_>]) -> Result<Order, (usize, Rejection)> {
        let plan = self.plan.contents.as_ref().expect("orders have contents");
        let mut order = Order {
            contents: String::from("["),
            content_ids: String::from("["),
            ..Order::default()
        };
        let mut total: i128 = 0;
        for (i, row) in rows.iter().enumerate() {
            let text = |col: usize| self.text(row, col).map(str::trim).map_err(|r| (i, r));
            let bad = |col: usize, what: &str| {
                (
                    i,
                    Rejection::new(
                        Reason::BadValue,
                        format!("column {}: {what}", self.plan.column_name(col)),
                    ),
                )
            };
            let id = text(plan.id)?;
            if id.is_empty() {
                return Err(bad(plan.id, "the item id is empty"));
            }
            let quantity: u64 = match text(plan.quantity)?.parse() {
                Ok(q) if q > 0 => q,
                _ => {
                    return Err(bad(
                        plan.quantity,
                        "the quantity is not a whole number of at least 1",
                    ));
                }
            };
            let price = match money::parse_value(text(plan.item_price)?) {
                Ok(Some(amount)) => amount.decimal,
                Ok(None) => return Err(bad(plan.item_price, "the item price is empty")),
                Err(money::ValueError::Negative) => {
                    return Err(bad(plan.item_price, "the item price is negative"));
                }
                Err(_) => return Err(bad(plan.item_price, "the item price is not an amount")),
            };
            let line = micros(&price)
                .and_then(|p| p.checked_mul(i128::from(quantity)))
                .ok_or_else(|| bad(plan.item_price, "the item price is too large"))?;
            total = total
                .checked_add(line)
                .ok_or_else(|| bad(plan.item_price, "the order total is too large"))?;
            order.num_items += quantity;

            if i > 0 {
                order.contents.push(',');
                order.content_ids.push(',');
            }
            push_json_str(&mut order.content_ids, id);
            order.contents.push_str("{\"id\":");
            push_json_str(&mut order.contents, id);
            let _ = write!(
                order.contents,
                ",\"quantity\":{quantity},\"item_price\":{price}"
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
        order.value = decimal(total);
        Ok(order)
    }

    /// The first row, with each empty customer column filled from the
    /// first later row that has it. Reports whether rows disagree.
    fn merge_customer(
        &self,
        records: &[ByteRecord],
        rows: &[Row<'_>],
    ) -> Result<(ByteRecord, bool), (usize, Rejection)> {
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
        let mut merged = ByteRecord::new();
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

    /// With an order total mapped, the rows should agree on it.
    fn value_disagreement(&self, rows: &[Row<'_>]) -> Option<String> {
        let col = self.plan.value_column?;
        let first = self.text(&rows[0], col).ok()?.trim();
        let differs = rows[1..]
            .iter()
            .any(|r| self.text(r, col).is_ok_and(|v| v.trim() != first));
        differs.then(|| {
            format!(
                "rows of this order disagree on column {}; the first row's value was sent",
                self.plan.column_name(col)
            )
        })
    }
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

/// `12.5` → 12_500_000 millionths; digits past the sixth decimal are cut.
fn micros(decimal: &str) -> Option<i128> {
    let (int, frac) = decimal.split_once('.').unwrap_or((decimal, ""));
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut frac_digits = frac
        .bytes()
        .take(6)
        .map(|b| i128::from(b - b'0'))
        .collect::<Vec<_>>();
    frac_digits.resize(6, 0);
    let frac = frac_digits.iter().fold(0i128, |n, d| n * 10 + d);
    int.checked_mul(MICROS)?.checked_add(frac)
}

/// Millionths → decimal text with at least two decimals: `12.50`.
fn decimal(micros: i128) -> String {
    let int = micros / MICROS;
    let frac = format!("{:06}", micros % MICROS);
    let frac = frac.trim_end_matches('0');
    let frac = if frac.len() < 2 {
        format!("{frac:0<2}")
    } else {
        frac.to_owned()
    };
    format!("{int}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_arithmetic() {
        assert_eq!(micros("12.5"), Some(12_500_000));
        assert_eq!(micros("0.000001"), Some(1));
        assert_eq!(micros("3"), Some(3_000_000));
        assert_eq!(decimal(12_500_000), "12.50");
        assert_eq!(decimal(3 * 19_990_000), "59.97");
        assert_eq!(decimal(1), "0.000001");
        assert_eq!(decimal(0), "0.00");
    }
}
