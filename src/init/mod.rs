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

mod channel;
mod claims;
mod clock;
mod customer;
mod decimal;
mod filter;
mod item_names;
mod lines;
mod names;
mod order_shape;
mod profile;
mod render;
mod sample;
mod settings;
mod spellings;
mod summary;
mod support;
mod timing;
mod value;

use crate::normalize::Field;
use claims::{Claims, Placer};
use names::Role;
use profile::TimeFit;
use settings::Region;

pub use filter::FilterRule;
pub use support::Support;

/// Whether a column's name says it holds phone numbers (`Phone`,
/// `Telefon`, `Billing Phone`): the upload's start-up checks count plain
/// digits in such a column as phones ([`crate::pii_columns`]).
pub fn named_like_phone(name: &str) -> bool {
    names::match_name(name).is_some_and(|m| m.role == Role::Phone)
}

pub use render::render_mapping;
pub use sample::{SAMPLE_ROWS, Sample};
pub use summary::render_summary;

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
    /// The time of day, when the export writes it in its own column.
    pub time_of_day: Option<Pick>,
    /// Each row's own zone.
    pub zone_column: Option<Pick>,
    /// The `timezone` line; `None` when the times carry their offset.
    pub timezone: Option<Setting>,
}

/// Where the currency of the values comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrencyGuess {
    Column(Pick),
    /// The value column writes a code next to each amount (`12.00 EUR`).
    InAmounts,
    /// The amounts' symbol or the export's country says it: written live,
    /// listed as a check.
    Evident {
        code: String,
        why: String,
    },
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
    /// The unit price, or with `line_total` the line's total.
    pub item_price: Pick,
    pub line_total: bool,
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
    /// `[csv] encoding`, when the sample is not UTF-8.
    pub encoding: Option<&'static str>,
    pub action_source: Setting,
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
    /// The amounts are written with a decimal comma.
    pub decimal_comma: bool,
    pub currency: Option<CurrencyGuess>,
    /// `[filter] skip` rules for rows that are not sales.
    pub filter: Vec<FilterRule>,
    pub user_data: Vec<(Field, Vec<Pick>)>,
    /// One column with the whole name, when no first and last name are.
    pub full_name: Option<Pick>,
    pub country_default: Setting,
    pub phone_region: Option<Setting>,
    /// Columns left out, with the reason.
    pub unplaced: Vec<Pick>,
    /// Things to confirm before the first upload, one sentence each.
    pub checks: Vec<String>,
    /// The section-6 keys the loader reads.
    pub support: Support,
}

impl Guess {
    /// What a mapping needs and `init` could not find; empty when the
    /// file is complete.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.time.is_none() {
            missing.push("the time of the sale ([event] time_column)");
        }
        if self.user_data.is_empty() && (self.full_name.is_none() || !self.support.full_name) {
            missing.push(
                "customer information: email, phone, name, address or customer id ([user_data])",
            );
        }
        missing
    }
}

/// Guesses a mapping from a sample.
pub fn guess(sample: &Sample) -> Guess {
    guess_with(sample, Support::probe())
}

/// [`guess`] for a loader that reads the section-6 keys `support` says.
pub fn guess_with(sample: &Sample, support: Support) -> Guess {
    let rows = sample.rows.len();
    let mut checks = Vec::new();
    let convention = decimal::Convention::of(sample);
    let comma = convention.is_comma();
    decimal_checks(&convention, &mut checks);
    let columns = claims::columns(sample, comma);
    let region = Region::of(&columns);
    let (day_first, order_hint) = region.day_first();
    let mut claims = Claims::new(&columns, rows, day_first);
    let mut placer = Placer::new(&columns, &claims.claims);

    let time = timing::pick(
        &columns,
        &mut placer,
        &mut claims.fits,
        &region,
        (day_first, &order_hint),
        &mut checks,
    );

    let order_id = placer.best(Role::OrderId, "id_column");
    let mut lines = None;
    let mut shape = None;
    let mut repeated = None;
    if let Some((index, pick)) = &order_id
        && !columns[*index].profile.unique
    {
        let order_shape = order_shape::OrderShape::of(&columns[*index].values);
        match lines::find_items(&columns, &claims.claims, &placer.used, rows, comma) {
            Ok(items) => {
                for i in items.indexes() {
                    placer.take(i);
                }
                for (i, reason) in &items.notes {
                    placer.unplaced.entry(*i).or_insert_with(|| reason.clone());
                }
                value::line_checks(&pick.column, &order_shape, &mut checks);
                items.checks(&columns, rows, &mut checks);
                let group_by = Pick {
                    column: pick.column.clone(),
                    why: order_shape.why(),
                };
                lines = Some((items.line_items(group_by, &order_shape), items));
                shape = Some(order_shape);
            }
            Err(missing) => {
                checks.push(format!(
                    "order ids repeat in \"{}\" (one row per line item?), so it is no event id; no {} column was found to send each order once with [event] group_by and [contents]",
                    pick.column,
                    missing.join(" or ")
                ));
                repeated = Some(*index);
            }
        }
    }
    if let Some(index) = repeated {
        placer.unplaced.insert(
            index,
            "an order id whose sampled values repeat, so not one per event".into(),
        );
    }
    let order_id = order_id
        .filter(|_| repeated.is_none())
        .map(|(_, mut pick)| {
            if lines.is_some() {
                pick.why.push_str("; the rows of one order share it");
            }
            pick
        });

    let value = match (&lines, &shape) {
        (Some((_, items)), Some(shape)) => {
            value::order_total(&columns, &mut placer, shape, items, &mut checks)
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
            "value: \"{column}\" writes amounts with a decimal comma, but most of the file's amounts use a decimal point; set decimal_separator = \",\" if this column is the value"
        ));
        value_unreadable = Some(Pick {
            column,
            why: reason.clone(),
        });
    }
    let price_column = lines
        .as_ref()
        .and_then(|(_, items)| items.price_column().map(str::to_owned));
    let lines = lines.map(|(l, _)| l);

    let currency = match placer.best(Role::Currency, "currency_column") {
        Some((_, pick)) => Some(CurrencyGuess::Column(pick)),
        // The amounts that make the value: the order total, else the
        // item prices it is summed from.
        None => value
            .as_ref()
            .map(|v| v.column.clone())
            .or(price_column)
            .map(|name| {
                let col = columns.iter().find(|c| c.name == name);
                value::currency_of_amounts(col, &region, &mut checks)
            }),
    };

    let (user_data, full_name) = customer::keys(&columns, &mut placer, &mut checks);
    let (country_default, phone_region) =
        settings::normalize_settings(&columns, &region, &user_data, &currency, &mut checks);
    let filter = filter::propose(&columns);
    let action_source = channel::action_source(&columns);
    // A column the filter reads is placed: it is no longer "not placed".
    let unplaced = placer
        .leftovers(&claims)
        .into_iter()
        .filter(|p| !filter.iter().any(|f| f.column == p.column))
        .collect();

    Guess {
        input: sample.name.clone(),
        delimiter: sample.delimiter,
        columns: sample.header.len(),
        rows,
        read_error: sample.read_error.clone(),
        encoding: sample.encoding,
        action_source,
        time,
        order_id,
        lines,
        value,
        value_unreadable,
        decimal_comma: comma,
        currency,
        filter,
        user_data,
        full_name,
        country_default,
        phone_region,
        unplaced,
        checks,
        support,
    }
}

/// What the amounts' separators leave undecided.
fn decimal_checks(c: &decimal::Convention, checks: &mut Vec<String>) {
    if c.mixed() {
        checks.push(format!(
            "decimal_separator: {} sampled amounts read only with a decimal comma and {} only with a decimal point; the sample cannot decide, so say which in [custom_data] decimal_separator",
            c.comma, c.point
        ));
    } else if c.comma == 0 && c.point == 0 && c.unsure > 0 {
        checks.push(format!(
            "decimal_separator: no sampled amount settles the convention; {} such as 1,250 read as 1250 under the default \".\" (set decimal_separator = \",\" if they mean 1.25)",
            lines::plural(c.unsure, "amount", "amounts")
        ));
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

#[cfg(test)]
mod corpus_tests;
