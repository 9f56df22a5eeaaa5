//! `offconv init`: a first mapping file guessed from an export's header and
//! a sample of its rows, so a new user starts from a file that loads and
//! only has to check it.
//!
//! Names decide first ([`names`]), values confirm or overrule them and fill
//! the gaps ([`profile`]): a column named `date` that holds words is not the
//! sale time, and a column named `Contact` full of addresses is an email.
//! Every decision carries its reason, because the user must be able to tell
//! a good guess from a lucky one; [`render`] writes those reasons next to
//! each line of the file. An export with one row per line item (the order
//! id repeats, and item id, quantity and price columns are there) gets
//! `[event] group_by` and `[contents]` ([`lines`]).

mod claims;
mod lines;
mod names;
mod profile;
mod render;
mod settings;

use crate::normalize::Field;
use crate::source::Input;
use claims::{Claims, Column, Placer};
use names::Role;
use profile::TimeFit;
use settings::Region;

pub use render::{render_mapping, render_summary};

/// How many rows `init` reads to judge the values.
pub const SAMPLE_ROWS: usize = 1000;

/// The header and the first rows of one export.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The input as given (`-` for stdin).
    pub name: String,
    pub delimiter: u8,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Why reading stopped before [`SAMPLE_ROWS`] and the end, if it did.
    pub read_error: Option<String>,
}

impl Sample {
    /// Reads up to `limit` rows after the header. A record the csv reader
    /// cannot read ends the sample instead of the command: a guess from
    /// fewer rows is still worth writing.
    pub fn read(input: &mut Input, limit: usize) -> Sample {
        let mut rows = Vec::new();
        let mut record = csv::ByteRecord::new();
        let mut read_error = None;
        while rows.len() < limit {
            match input.reader.read_byte_record(&mut record) {
                Ok(true) => rows.push(
                    record
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                ),
                Ok(false) => break,
                Err(e) => {
                    read_error = Some(format!("row {}: {e}", rows.len() + 1));
                    break;
                }
            }
        }
        Sample {
            name: input.name.clone(),
            delimiter: input.delimiter,
            header: input.header.clone(),
            rows,
            read_error,
        }
    }
}

/// One column placed in the mapping, with the reason it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub column: String,
    pub why: String,
}

/// The time column and how its values read.
#[derive(Debug, Clone)]
pub struct TimePick {
    pub pick: Pick,
    pub fit: TimeFit,
    /// Why a month-first or day-first format was chosen, when both read
    /// the values.
    pub order_note: Option<String>,
    /// The commented `timezone` line; `None` when the times carry their
    /// offset.
    pub timezone: Option<Setting>,
}

/// Where the currency of the values comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrencyGuess {
    Column(Pick),
    /// The value column writes a code next to each amount (`12.00 EUR`).
    InAmounts,
    /// Nothing says: a commented suggestion for the user to confirm.
    Unknown {
        suggestion: String,
        why: String,
    },
}

/// A line-item export: rows grouped into orders by `group_by`, each
/// order's lines sent as its `contents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItems {
    /// The order column, with how often its ids repeat.
    pub group_by: Pick,
    /// Sampled rows that come back to an order after other orders' rows:
    /// the upload rejects them (`order_not_contiguous`) unless the export
    /// is sorted.
    pub returning: usize,
    /// The first order id that comes back, for the warning.
    pub first_returning: Option<String>,
    pub id: Pick,
    pub quantity: Pick,
    pub item_price: Pick,
    pub title: Option<Pick>,
    pub brand: Option<Pick>,
    pub category: Option<Pick>,
}

/// A `[normalize]` setting: written live when the sample makes it evident,
/// commented out as a suggestion otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub active: bool,
    pub why: String,
}

/// Everything `init` decided about one export.
#[derive(Debug, Clone)]
pub struct Guess {
    pub input: String,
    pub delimiter: u8,
    pub columns: usize,
    pub rows: usize,
    pub read_error: Option<String>,
    pub time: Option<TimePick>,
    pub order_id: Option<Pick>,
    /// Set when the export has one row per line item.
    pub lines: Option<LineItems>,
    /// With `lines`: the order total repeated on each row of an order;
    /// without: the order's value.
    pub value: Option<Pick>,
    /// A value column whose amounts the upload would refuse: written
    /// commented out.
    pub value_unreadable: Option<Pick>,
    pub currency: Option<CurrencyGuess>,
    pub user_data: Vec<(Field, Vec<Pick>)>,
    pub country_default: Setting,
    pub phone_region: Option<Setting>,
    /// Columns left out, with the reason.
    pub unplaced: Vec<Pick>,
    /// Things to confirm before the first upload, one sentence each.
    pub checks: Vec<String>,
}

impl Guess {
    /// What a mapping needs and `init` could not find; empty when the
    /// file is complete.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.time.is_none() {
            missing.push("the time of the sale ([event] time_column)");
        }
        if self.user_data.is_empty() {
            missing.push(
                "customer information: email, phone, name, address or customer id ([user_data])",
            );
        }
        missing
    }
}

/// Guesses a mapping from a sample.
pub fn guess(sample: &Sample) -> Guess {
    let rows = sample.rows.len();
    let columns = claims::columns(sample);
    let region = Region::of(&columns);
    let (day_first, order_hint) = region.day_first();
    let mut claims = Claims::new(&columns, rows, day_first);
    let mut placer = Placer::new(&columns, &claims.claims);
    let mut checks = Vec::new();

    let time = placer.best(Role::Time, "time_column").map(|(index, pick)| {
        let fit = claims.fits.remove(&index).unwrap_or_default();
        let order_note = settings::order_note(&fit, day_first, &order_hint, &mut checks);
        let empty = rows - columns[index].profile.non_empty;
        if empty > 0 {
            checks.push(format!(
                "time_column \"{}\" is empty in {empty} of {rows} sampled rows; those rows are rejected (bad_time)",
                pick.column
            ));
        }
        if fit.parsed == 0 {
            checks.push(
                "timezone: no sampled time to judge by; times without an offset are read as UTC until [event] timezone names the stores' zone".into(),
            );
        } else if !fit.absolute {
            checks.push(
                "timezone: the times carry no offset and are read as UTC until [event] timezone names the stores' zone".into(),
            );
        }
        if fit.dates_only {
            checks.push("the times are dates only: every event is sent at midnight".into());
        }
        let timezone = (!fit.absolute).then(|| region.timezone());
        TimePick {
            pick,
            fit,
            order_note,
            timezone,
        }
    });

    let order_id = placer.best(Role::OrderId, "id_column");
    let mut lines = None;
    let mut shape = None;
    if let Some((index, pick)) = &order_id
        && !columns[*index].profile.unique
    {
        let order_shape = lines::OrderShape::of(&columns[*index].values);
        match lines::find_items(&columns, &claims.claims, &placer.used, rows) {
            Ok(items) => {
                for i in items.indexes() {
                    placer.take(i);
                }
                for (i, reason) in &items.notes {
                    placer.unplaced.entry(*i).or_insert_with(|| reason.clone());
                }
                line_checks(&pick.column, &order_shape, &mut checks);
                items.checks(&columns, rows, &mut checks);
                let group_by = Pick {
                    column: pick.column.clone(),
                    why: order_shape.why(),
                };
                lines = Some((items.line_items(group_by, &order_shape), items));
                shape = Some(order_shape);
            }
            Err(missing) => checks.push(format!(
                "order ids repeat in \"{}\" (one row per line item?): Meta keeps only the first event of an order id; no {} column was found to send each order once with [event] group_by and [contents]",
                pick.column,
                missing.join(" or ")
            )),
        }
    }
    let order_id = order_id.map(|(_, mut pick)| {
        if lines.is_some() {
            pick.why.push_str("; the rows of one order share it");
        }
        pick
    });

    let value = match (&lines, &shape) {
        (Some((_, items)), Some(shape)) => {
            order_total(&columns, &mut placer, shape, items, &mut checks)
        }
        _ => placer.best(Role::Value, "value_column").map(|(_, p)| p),
    };
    let mut value_unreadable = None;
    if value.is_none()
        && lines.is_none()
        && let Some((&index, reason)) = claims.rejected.iter().find(|(i, _)| {
            let col = &columns[**i];
            col.claim.is_some_and(|m| m.role == Role::Value)
                && col.profile.amounts.decimal_comma > 0
        })
    {
        placer.take(index);
        let column = columns[index].name.to_owned();
        checks.push(format!(
            "value: \"{column}\" writes amounts with a decimal comma, which offconv does not read; convert them or leave value out"
        ));
        value_unreadable = Some(Pick {
            column,
            why: reason.clone(),
        });
    }
    let lines = lines.map(|(l, _)| l);

    let currency = match placer.best(Role::Currency, "currency_column") {
        Some((_, pick)) => Some(CurrencyGuess::Column(pick)),
        // The amounts that make the value: the order total, else the
        // item prices it is summed from.
        None => value
            .as_ref()
            .or(lines.as_ref().map(|l| &l.item_price))
            .and_then(|v| columns.iter().find(|c| c.name == v.column))
            .map(|col| currency_of_amounts(col, &mut checks)),
    };

    let mut user_data = Vec::new();
    for (field, role) in [
        (Field::Em, Role::Email),
        (Field::Ph, Role::Phone),
        (Field::Fn, Role::FirstName),
        (Field::Ln, Role::LastName),
        (Field::Ge, Role::Gender),
        (Field::Db, Role::Dob),
        (Field::Ct, Role::City),
        (Field::St, Role::State),
        (Field::Zp, Role::Zip),
        (Field::Country, Role::Country),
        (Field::ExternalId, Role::ExternalId),
    ] {
        // Meta takes lists for every hashed key, but a second city or
        // name is usually the shipping copy of the billing one: only
        // email, phone and ids are worth sending several of.
        let picks = if matches!(field, Field::Em | Field::Ph | Field::ExternalId) {
            placer.all(role)
        } else {
            placer
                .best(role, field.key())
                .map(|(_, p)| vec![p])
                .unwrap_or_default()
        };
        if !picks.is_empty() {
            user_data.push((field, picks));
        }
    }

    let (country_default, phone_region) =
        settings::normalize_settings(&columns, &region, &user_data, &currency, &mut checks);
    let unplaced = placer.leftovers(&claims);

    Guess {
        input: sample.name.clone(),
        delimiter: sample.delimiter,
        columns: sample.header.len(),
        rows,
        read_error: sample.read_error.clone(),
        time,
        order_id,
        lines,
        value,
        value_unreadable,
        currency,
        user_data,
        country_default,
        phone_region,
        unplaced,
        checks,
    }
}

/// The checks on a line-item export's order column: rows that cannot
/// join an order at upload.
fn line_checks(column: &str, shape: &lines::OrderShape, checks: &mut Vec<String>) {
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
fn order_total(
    columns: &[Column],
    placer: &mut Placer,
    shape: &lines::OrderShape,
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
fn currency_of_amounts(value: &Column, checks: &mut Vec<String>) -> CurrencyGuess {
    let amounts = &value.profile.amounts;
    let coded: usize = amounts.codes.values().sum();
    if amounts.parsed > 0 && coded * 10 >= amounts.parsed * 9 {
        return CurrencyGuess::InAmounts;
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

/// `n` of `total` as a whole percentage, never rounding a miss up to 100%.
fn pct(n: usize, total: usize) -> String {
    if total == 0 {
        return "0%".into();
    }
    let p = n * 100 / total;
    format!("{p}%")
}

#[cfg(test)]
mod tests;
