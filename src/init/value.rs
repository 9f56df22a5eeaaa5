//! The order's value: which amount column is what the customer paid, the
//! order total of a line-item export, and the currency of the amounts.

use super::claims::{Column, Placer};
use super::names::Role;
use super::order_shape;
use super::profile;
use super::settings::Region;
use super::{CurrencyGuess, Pick, lines};

/// The checks on a line-item export's order column: rows that cannot
/// join an order at upload.
pub(super) fn line_checks(column: &str, shape: &order_shape::OrderShape, checks: &mut Vec<String>) {
    if shape.returning > 0 {
        let example = shape
            .first_returning
            .map(|id| {
                let such_as = if shape.returning > 1 {
                    ", such as"
                } else {
                    ":"
                };
                format!("{such_as} \"{id}\"")
            })
            .unwrap_or_default();
        checks.push(format!(
            "group_by: the export must be sorted by \"{column}\": {} of {} sampled rows come back to an order after other orders' rows{example}; unsorted, such rows are rejected (order_not_contiguous)",
            shape.returning, shape.rows
        ));
    }
    if shape.empty > 0 {
        checks.push(format!(
            "group_by: \"{column}\" is empty in {} of {} sampled rows; a line without an order id is rejected (bad_value)",
            shape.empty, shape.rows
        ));
    }
}

/// The order total of a line-item export: a value column whose amount is
/// the same on every row of an order. An amount that changes between the
/// rows of one order is a line's, not the order's; without a total, the
/// upload sums quantity × item price.
pub(super) fn order_total(
    columns: &[Column],
    placer: &mut Placer,
    shape: &order_shape::OrderShape,
    items: &lines::Items,
    checks: &mut Vec<String>,
) -> Option<Pick> {
    let mut chosen: Option<(usize, Pick)> = None;
    for (index, why) in placer.ranked(Role::Value) {
        let col = &columns[index];
        if let Some((_, winner)) = &chosen {
            let reason = format!(
                "also looks like value_column, which reads \"{}\"",
                winner.column
            );
            placer.unplaced.insert(index, reason);
        } else if shape.constant(&col.values) {
            let mut why = format!("{why}; the order total, on each row of its order");
            if let Some(agreement) = items.agreement(columns, shape, col, checks) {
                why.push_str("; ");
                why.push_str(&agreement);
            }
            chosen = Some((
                index,
                Pick {
                    column: col.name.to_owned(),
                    why,
                },
            ));
        } else {
            let reason =
                "an amount that changes between the rows of one order, so not the order total"
                    .to_owned();
            placer.unplaced.insert(index, reason);
        }
    }
    let (index, pick) = chosen?;
    placer.take(index);
    Some(pick)
}

/// The currency when no column names it: the codes written with the
/// amounts, else a commented suggestion from their symbol.
pub(super) fn currency_of_amounts(
    value: Option<&Column>,
    region: &Region,
    checks: &mut Vec<String>,
) -> CurrencyGuess {
    let empty = profile::AmountFit::default();
    let amounts = value.map_or(&empty, |v| &v.profile.amounts);
    let coded: usize = amounts.codes.values().sum();
    if amounts.parsed > 0 && coded * 10 >= amounts.parsed * 9 {
        return CurrencyGuess::InAmounts;
    }
    // One symbol on (nearly) every amount: its currency, said as a doubt.
    if let Some((s, n)) = amounts.symbols.iter().max_by_key(|(_, n)| **n)
        && *n * 10 >= amounts.parsed * 9
        && let Some(code) = profile::symbol_currency(s)
    {
        checks.push(format!(
            "currency: {code} because the amounts are written with \"{s}\"; change it if they are another currency with that sign"
        ));
        return CurrencyGuess::Evident {
            code: code.to_owned(),
            why: format!("the amounts are written with \"{s}\""),
        };
    }
    if let Some((code, why)) = region.currency_guess() {
        checks.push(format!(
            "currency: no column names it; {code} because {why}"
        ));
        return CurrencyGuess::Evident {
            code: code.to_owned(),
            why: format!("no column names it; {why}"),
        };
    }
    checks.push(
        "currency: no column names it; rows with a value are rejected until [custom_data] currency is set".into(),
    );
    let symbol = amounts
        .symbols
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(s, _)| *s);
    match symbol.and_then(|s| profile::symbol_currency(s).map(|c| (s, c))) {
        Some((s, code)) => CurrencyGuess::Unknown {
            suggestion: code.to_owned(),
            why: format!("the amounts are written with \"{s}\"; uncomment if they are {code}"),
        },
        None => CurrencyGuess::Unknown {
            suggestion: "USD".to_owned(),
            why: "set the currency of the amounts".to_owned(),
        },
    }
}
