//! Amounts of a row (the value, a line's price or total) read under the
//! mapping's decimal convention, and the row's currency: where it comes
//! from, and whether what an amount writes beside it (an ISO code, a
//! symbol) agrees with it (DESIGN.md 6: `£12.00` is never sent as EUR).

use super::{Row, RowMapper};
use crate::money::{self, Amount, Separator, ValueError};
use crate::outcome::{Reason, Rejection};

/// The row's currency and where it was read (no allocation per row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Currency {
    /// Upper-case ISO 4217, three ASCII letters.
    code: [u8; 3],
    pub from: Source,
}

/// Where a row's currency was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// The currency column (its index).
    Column(usize),
    /// `[custom_data] currency`.
    Mapping,
    /// The code written with the value itself.
    Value,
}

impl Currency {
    /// `code` must be an ISO 4217 code (three ASCII letters).
    fn new(code: &str, from: Source) -> Currency {
        let b = code.as_bytes();
        Currency {
            code: [b[0], b[1], b[2]].map(|c| c.to_ascii_uppercase()),
            from,
        }
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).expect("ASCII letters")
    }
}

impl RowMapper {
    /// The amount in column `col`; `what` names it in details ("the
    /// value", "the item price"). `Ok(None)` for an empty cell.
    pub(super) fn amount<'r>(
        &self,
        rec: &Row<'r>,
        col: usize,
        what: &str,
    ) -> Result<Option<Amount<'r>>, Rejection> {
        let name = self.plan.column_name(col);
        let sep = self.separator;
        money::parse_amount(self.text(rec, col)?, sep).map_err(|e| {
            let (reason, detail) = match e {
                ValueError::Negative => (
                    Reason::BadValue,
                    format!("{what} is negative (refunds are not conversions)"),
                ),
                ValueError::NotANumber => (
                    Reason::BadValue,
                    format!("{what} is not an amount (expected a form such as {})", forms(sep)),
                ),
                ValueError::OtherConvention => (Reason::BadValue, other_convention(what, sep)),
                ValueError::Ambiguous => (
                    Reason::BadValue,
                    format!(
                        "{what} has one \".\" with three digits after it (such as 1.250): a thousands group under decimal_separator = \",\", but a decimal point in other exports, so it is not guessed; the export should write 1.250,00 or 1250"
                    ),
                ),
                ValueError::UnknownCurrency => (
                    Reason::BadCurrency,
                    format!("the currency written with {what} is not an ISO 4217 code"),
                ),
            };
            Rejection::new(reason, format!("column {name}: {detail}"))
        })
    }

    /// The row's currency: the currency column (when empty, the code
    /// written with the value), else `[custom_data] currency`, else the
    /// code written with the value.
    pub(super) fn currency_of(
        &self,
        rec: &Row<'_>,
        written: Option<&str>,
    ) -> Result<Option<Currency>, Rejection> {
        let from_value = || written.map(|c| Currency::new(c, Source::Value));
        match self.plan.currency_column {
            Some(col) => {
                let name = self.plan.column_name(col);
                let raw = self.text(rec, col)?.trim();
                if raw.is_empty() {
                    return Ok(from_value());
                }
                if !money::is_currency_ignoring_case(raw) {
                    return Err(Rejection::new(
                        Reason::BadCurrency,
                        format!("column {name}: not an ISO 4217 currency code (such as USD, EUR)"),
                    ));
                }
                Ok(Some(Currency::new(raw, Source::Column(col))))
            }
            None => Ok(match &self.currency {
                Some(code) => Some(Currency::new(code, Source::Mapping)),
                None => from_value(),
            }),
        }
    }
}

impl RowMapper {
    /// `bad_currency` when the code or symbol written with `amount` (read
    /// from column `col`) names another currency than the row's.
    pub(super) fn check_agrees(
        &self,
        amount: &Amount<'_>,
        currency: &Currency,
        col: usize,
    ) -> Result<(), Rejection> {
        if currency.from == Source::Value {
            return Ok(());
        }
        let code = currency.code();
        let why = if let Some(written) = amount.currency
            && !written.eq_ignore_ascii_case(code)
        {
            format!("written in {}", written.to_ascii_uppercase())
        } else if let Some(symbol) = amount.symbol
            && !symbol.agrees(code)
        {
            format!(
                "written with {} (which stands for {})",
                symbol.text,
                symbol.currencies.join(", ")
            )
        } else {
            return Ok(());
        };
        let from = match currency.from {
            Source::Column(c) => format!("column {}", self.plan.column_name(c)),
            _ => "[custom_data] currency".to_owned(),
        };
        Err(Rejection::new(
            Reason::BadCurrency,
            format!(
                "column {}: the amount is {why}, but the row's currency is {code} ({from})",
                self.plan.column_name(col)
            ),
        ))
    }
}

/// Examples of the amounts a convention reads.
fn forms(sep: Separator) -> &'static str {
    match sep {
        Separator::Point => "1234.56, 1,234.56, $1,234.56 or 1234.56 USD",
        Separator::Comma => "1234,56, 1.234,56, 1.234,56 € or 1234,56 EUR",
    }
}

/// The detail of an amount that reads only under the other convention.
fn other_convention(what: &str, sep: Separator) -> String {
    match sep {
        Separator::Point => format!(
            "{what} is written with a decimal comma (such as 12,50 or 1.234,56), but the mapping reads a decimal point (decimal_separator = \".\", the default); set decimal_separator = \",\" in [custom_data] if the export writes decimal commas"
        ),
        Separator::Comma => format!(
            "{what} is written with a decimal point (such as 12.50 or 1,234.56), but the mapping reads a decimal comma (decimal_separator = \",\"); remove decimal_separator from [custom_data] if the export writes decimal points"
        ),
    }
}
