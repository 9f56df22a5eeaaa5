//! Line-item exports: one row per line item, the rows of one order next to
//! each other. When the order id repeats and the item columns are there
//! (item id, quantity, price of one unit), `init` writes `[event] group_by`
//! and `[contents]`, so each order goes out once with its products instead
//! of once per line (Meta would keep only the first line of an order id).
//!
//! The item columns are found by name, like the rest of `init`, and their
//! values must read the way the upload reads them: a quantity that is not
//! a whole number, or a price that is not an amount, rejects the order.

use super::claims::{Claim, Column};
use super::item_names::{ItemRole, match_item};
use super::names::{self, Role};
use super::order_shape::OrderShape;
use super::pct;
use super::profile;
use super::{LineItems, Pick};
/// A column found for an item role.
struct Found {
    index: usize,
    pick: Pick,
}

/// The item columns of an export, or what is missing.
pub(super) struct Items {
    found: Vec<(ItemRole, Found)>,
    /// Amounts are written with a decimal comma.
    comma: bool,
    /// Columns named like an item field whose values say otherwise, or
    /// that lost to a better one, with the reason.
    pub notes: Vec<(usize, String)>,
}

/// Finds the item columns among those not placed yet (`used`) and not
/// claimed for something else. `Err` lists the required ones missing.
pub(super) fn find_items(
    columns: &[Column],
    claims: &[Option<Claim>],
    used: &[bool],
    rows: usize,
    comma: bool,
) -> Result<Items, Vec<&'static str>> {
    let mut candidates: Vec<(ItemRole, usize, &Column)> = columns
        .iter()
        .filter(|c| !used[c.index] && !c.name.trim().is_empty())
        .filter(|c| {
            claims[c.index].as_ref().is_none_or(|claim| {
                claim.role == Role::Value
                    || claim.role == Role::FullName && names::fold(c.name) == "name"
            })
        })
        .filter_map(|c| match_item(c.name).map(|(role, rank)| (role, rank, c)))
        .collect();
    // A unit price before a line total: `item_price` needs no division.
    candidates.sort_by_key(|(role, rank, c)| (*role == ItemRole::LineTotal, *rank, c.index));

    let mut items = Items {
        found: Vec::new(),
        comma,
        notes: Vec::new(),
    };
    for (role, _, col) in candidates {
        if let Some((_, winner)) = items.found.iter().find(|(r, _)| *r == role) {
            let reason = format!(
                "also looks like [contents] {}, which reads \"{}\"",
                role.key(),
                winner.pick.column
            );
            items.notes.push((col.index, reason));
            continue;
        }
        // A unit price makes a line total unneeded, and the other way round.
        let priced = |r: ItemRole| items.found.iter().any(|(f, _)| *f == r);
        if role == ItemRole::LineTotal && priced(ItemRole::Price)
            || role == ItemRole::Price && priced(ItemRole::LineTotal)
        {
            let reason =
                "a line's amount, but the item price is read from another column".to_owned();
            items.notes.push((col.index, reason));
            continue;
        }
        match check_item(role, col, rows) {
            Ok(why) => items.found.push((
                role,
                Found {
                    index: col.index,
                    pick: Pick {
                        column: col.name.to_owned(),
                        why,
                    },
                },
            )),
            Err(reason) => items.notes.push((col.index, reason)),
        }
    }
    // Without an item id (SumUp writes none) the item's name stands in.
    if items.get(ItemRole::Id).is_none()
        && let Some(title) = items.get(ItemRole::Title)
    {
        let found = Found {
            index: title.index,
            pick: Pick {
                column: title.pick.column.clone(),
                why: "no item id column: the item's name stands in for it".into(),
            },
        };
        items.found.push((ItemRole::Id, found));
    }
    let mut missing: Vec<&'static str> = [ItemRole::Id, ItemRole::Quantity]
        .into_iter()
        .filter(|role| items.get(*role).is_none())
        .map(ItemRole::what)
        .collect();
    if items.price().is_none() {
        missing.push(ItemRole::Price.what());
    }
    if missing.is_empty() {
        Ok(items)
    } else {
        Err(missing)
    }
}

impl Items {
    fn get(&self, role: ItemRole) -> Option<&Found> {
        self.found.iter().find(|(r, _)| *r == role).map(|(_, f)| f)
    }

    /// The unit price, else the line total, with which one it is.
    fn price(&self) -> Option<(&Found, bool)> {
        self.get(ItemRole::Price)
            .map(|f| (f, false))
            .or_else(|| self.get(ItemRole::LineTotal).map(|f| (f, true)))
    }

    /// Column indexes of every item column found.
    pub fn indexes(&self) -> impl Iterator<Item = usize> + '_ {
        self.found.iter().map(|(_, f)| f.index)
    }

    /// The amount column the lines' value is summed from.
    pub fn price_column(&self) -> Option<&str> {
        self.price().map(|(f, _)| f.pick.column.as_str())
    }

    /// The `[contents]` columns for the guess.
    pub fn line_items(&self, group_by: Pick, shape: &OrderShape) -> LineItems {
        let pick = |role| self.get(role).map(|f| f.pick.clone());
        let required = |role| pick(role).expect("required item columns were found");
        LineItems {
            group_by,
            returning: shape.returning,
            first_returning: shape.first_returning.map(str::to_owned),
            id: required(ItemRole::Id),
            quantity: required(ItemRole::Quantity),
            item_price: self
                .price()
                .map(|(f, _)| f.pick.clone())
                .expect("a price was found"),
            line_total: self.price().is_some_and(|(_, line)| line),
            title: pick(ItemRole::Title),
            brand: pick(ItemRole::Brand),
            category: pick(ItemRole::Category),
        }
    }

    /// What the sampled lines will do at upload: orders rejected for a
    /// line without an item id, a quantity of at least 1 or a price.
    pub fn checks(&self, columns: &[Column], rows: usize, checks: &mut Vec<String>) {
        let price = self.price().map(|(_, line)| {
            if line {
                ItemRole::LineTotal
            } else {
                ItemRole::Price
            }
        });
        for role in [Some(ItemRole::Id), Some(ItemRole::Quantity), price]
            .into_iter()
            .flatten()
        {
            let Some(found) = self.get(role) else {
                continue;
            };
            let values = &columns[found.index].values;
            let bad = values
                .iter()
                .filter(|v| !line_reads(role, v, self.comma))
                .count();
            if bad == 0 {
                continue;
            }
            let problem = match role {
                ItemRole::Id => "is empty",
                ItemRole::Quantity => "is not a whole number of at least 1",
                _ => "is empty or not an amount of at least 0",
            };
            let hint = if role == ItemRole::Quantity {
                " (returns or voids?)"
            } else {
                ""
            };
            checks.push(format!(
                "[contents] {} \"{}\" {problem} in {bad} of {rows} sampled rows{hint}; such a row rejects its whole order (bad_value)",
                role.key(),
                found.pick.column
            ));
        }
    }

    /// Σ quantity × item price against the order total on each order's
    /// rows: the comment on `value_column`, and a check when the price
    /// column reads like line totals instead.
    pub fn agreement(
        &self,
        columns: &[Column],
        shape: &OrderShape,
        total: &Column,
        checks: &mut Vec<String>,
    ) -> Option<String> {
        let quantity = &columns[self.get(ItemRole::Quantity)?.index].values;
        let (price_col, line_totals) = self.price()?;
        let comma = self.comma;
        let amount = |v: &str| profile::amount(v, comma);
        let price = &columns[price_col.index].values;
        let (mut compared, mut by_unit, mut by_line) = (0, 0, 0);
        for rows in shape.orders.values() {
            let Some(total) = amount(total.values[rows[0]]) else {
                continue;
            };
            let mut unit_sum = 0.0;
            let mut line_sum = 0.0;
            let mut several = false;
            let readable = rows.iter().all(|&r| {
                let (Some(q), Some(p)) = (whole(quantity[r]), amount(price[r])) else {
                    return false;
                };
                several |= q > 1;
                if line_totals {
                    unit_sum += p;
                } else {
                    unit_sum += q as f64 * p;
                }
                line_sum += p;
                true
            });
            if !readable {
                continue;
            }
            compared += 1;
            let near = |a: f64| (a - total).abs() < 0.005;
            if near(unit_sum) {
                by_unit += 1;
            } else if several && near(line_sum) {
                by_line += 1;
            }
        }
        if compared == 0 {
            return None;
        }
        if by_line > by_unit && !line_totals {
            checks.push(format!(
                "[contents] item_price_column \"{}\" reads like each line's total (price × quantity) in {by_line} of {compared} sampled orders; item_price must be the price of one unit",
                price_col.pick.column
            ));
        }
        let sum = if line_totals {
            "the lines' totals add up to it"
        } else {
            "Σ quantity × item_price equals it"
        };
        Some(format!("{sum} in {by_unit} of {compared} sampled orders"))
    }
}

/// `n` with the singular or plural words after it.
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Whether the upload reads one line's value for `role`.
fn line_reads(role: ItemRole, v: &str, comma: bool) -> bool {
    let v = v.trim();
    match role {
        ItemRole::Id => !v.is_empty(),
        ItemRole::Quantity => whole(v).is_some_and(|q| q > 0),
        ItemRole::Price | ItemRole::LineTotal => profile::amount(v, comma).is_some(),
        _ => true,
    }
}

/// A whole quantity as the upload reads it: `2`, `2.0`, `2.000`.
fn whole(v: &str) -> Option<u64> {
    let v = v.trim();
    let int = match v.split_once('.') {
        Some((int, frac)) if frac.bytes().all(|b| b == b'0') => int,
        Some(_) => return None,
        None => v,
    };
    int.parse().ok()
}

/// Confirms an item name's claim against the values: the reason for the
/// file, or the reason it was dropped.
fn check_item(role: ItemRole, col: &Column, rows: usize) -> Result<String, String> {
    let p = &col.profile;
    if p.non_empty == 0 {
        return Err("named like a line item field, but empty in the sample".into());
    }
    let filled = format!("{} of sampled rows have one", pct(p.non_empty, rows));
    match role {
        ItemRole::Id | ItemRole::Quantity | ItemRole::Price | ItemRole::LineTotal
            if p.non_empty * 2 < rows =>
        {
            Err(format!("named like the {}, but only {filled}", role.what()))
        }
        ItemRole::Id => Ok(format!("matched by name; {filled}")),
        ItemRole::Quantity => {
            let whole = col
                .values
                .iter()
                .filter(|v| {
                    let v = v.trim();
                    let v = v.strip_prefix('-').unwrap_or(v);
                    !v.is_empty() && whole(v).is_some()
                })
                .count();
            if whole * 10 >= p.non_empty * 8 {
                Ok(format!(
                    "matched by name; {} of sampled values are whole numbers",
                    pct(whole, p.non_empty)
                ))
            } else {
                Err(format!(
                    "named like a quantity, but only {} of its values are whole numbers",
                    pct(whole, p.non_empty)
                ))
            }
        }
        ItemRole::Price | ItemRole::LineTotal => {
            let a = &p.amounts;
            if a.parsed * 10 >= p.non_empty * 8 {
                Ok(format!(
                    "matched by name; {} of sampled values are amounts",
                    pct(a.parsed, p.non_empty)
                ))
            } else if a.decimal_comma * 2 >= p.non_empty {
                Err(format!(
                    "named like an item price, but {} of its values use a decimal comma (12,50), unlike most of the file's amounts: set decimal_separator = \",\" if this column counts",
                    pct(a.decimal_comma, p.non_empty)
                ))
            } else {
                Err(format!(
                    "named like an item price, but only {} of its values are amounts",
                    pct(a.parsed, p.non_empty)
                ))
            }
        }
        ItemRole::Title | ItemRole::Brand | ItemRole::Category => Ok("matched by name".to_owned()),
    }
}
