//! What a column's sampled values look like: times (and in which format),
//! amounts, currency codes, email addresses, countries, person names.
//!
//! Every test here uses the same code the upload uses ([`TimeParser`],
//! [`money::parse_value`], the country normalizer), so a column `init`
//! calls "times" is one `validate` will read as times.

use std::collections::{BTreeMap, HashSet};

use jiff::tz::TimeZone;

use crate::money;
use crate::normalize::{self, Field};
use crate::time::TimeParser;

/// Which way a format reads `03/04`: decides between two formats that
/// both read every sampled value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    MonthFirst,
    DayFirst,
    Neutral,
}

/// strftime formats tried when the default parser does not read a column,
/// most common first within each group.
const FORMATS: &[(&str, Order)] = &[
    ("%m/%d/%Y %H:%M:%S", Order::MonthFirst),
    ("%m/%d/%Y %H:%M", Order::MonthFirst),
    ("%m/%d/%Y %I:%M:%S %p", Order::MonthFirst),
    ("%m/%d/%Y %I:%M %p", Order::MonthFirst),
    ("%m/%d/%Y", Order::MonthFirst),
    ("%m/%d/%y %H:%M", Order::MonthFirst),
    ("%m/%d/%y %I:%M %p", Order::MonthFirst),
    ("%m/%d/%y", Order::MonthFirst),
    ("%d/%m/%Y %H:%M:%S", Order::DayFirst),
    ("%d/%m/%Y %H:%M", Order::DayFirst),
    ("%d/%m/%Y %I:%M %p", Order::DayFirst),
    ("%d/%m/%Y", Order::DayFirst),
    ("%d/%m/%y %H:%M", Order::DayFirst),
    ("%d/%m/%y", Order::DayFirst),
    ("%d.%m.%Y %H:%M:%S", Order::DayFirst),
    ("%d.%m.%Y %H:%M", Order::DayFirst),
    ("%d.%m.%Y", Order::DayFirst),
    ("%d.%m.%y %H:%M", Order::DayFirst),
    ("%d-%m-%Y %H:%M:%S", Order::DayFirst),
    ("%d-%m-%Y %H:%M", Order::DayFirst),
    ("%d-%m-%Y", Order::DayFirst),
    ("%m-%d-%Y %H:%M", Order::MonthFirst),
    ("%Y/%m/%d %H:%M:%S", Order::Neutral),
    ("%Y/%m/%d %H:%M", Order::Neutral),
    ("%Y/%m/%d", Order::Neutral),
    ("%Y-%m-%d %H:%M:%S %z", Order::Neutral),
    ("%Y-%m-%d %H:%M %z", Order::Neutral),
    ("%Y-%m-%d %I:%M %p", Order::Neutral),
    ("%Y-%m-%d %I:%M:%S %p", Order::Neutral),
    ("%Y%m%d%H%M%S", Order::Neutral),
    ("%Y%m%d", Order::Neutral),
    ("%d %b %Y %H:%M", Order::Neutral),
    ("%d %b %Y", Order::Neutral),
    ("%b %d, %Y %I:%M %p", Order::Neutral),
    ("%b %d, %Y %H:%M", Order::Neutral),
    ("%b %d, %Y", Order::Neutral),
    ("%a %b %d %H:%M:%S %Y", Order::Neutral),
];

/// After this many values without a single hit, a format is given up.
const GIVE_UP_AFTER: usize = 20;

/// How well a column reads as sale times.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeFit {
    /// Sampled values that parse.
    pub parsed: usize,
    /// `None`: the default parser reads them (no `time_format` needed).
    pub format: Option<&'static str>,
    /// The times carry their own offset or are unix times: no timezone
    /// needed.
    pub absolute: bool,
    /// Dates without a time of day: events are sent at midnight.
    pub dates_only: bool,
    /// Both a month-first and a day-first format read every value: the
    /// choice rests on the currency and country, not on the dates.
    pub ambiguous: bool,
    /// The shape in words, for the comment (`unix seconds`, …).
    pub shape: &'static str,
}

/// How well a column reads as order amounts.
#[derive(Clone, Debug, Default)]
pub struct AmountFit {
    pub parsed: usize,
    /// Parsed values that look like money, not like a count or an id:
    /// two decimals, a symbol or a currency code.
    pub money_like: usize,
    /// Values such as `12,50`: a decimal comma, which the upload refuses.
    pub decimal_comma: usize,
    pub sum: f64,
    /// Currency symbols seen (`$`, `€`), with counts.
    pub symbols: BTreeMap<&'static str, usize>,
    /// ISO codes written with the amount (`12.00 EUR`), with counts.
    pub codes: BTreeMap<String, usize>,
}

/// Everything `init` knows about one column's values.
#[derive(Clone, Debug, Default)]
pub struct ColumnProfile {
    pub non_empty: usize,
    /// Whether no non-empty value repeats.
    pub unique: bool,
    pub emails: usize,
    pub person_names: usize,
    pub plus_prefixed: usize,
    /// ISO 4217 codes, upper case, with counts.
    pub currency_codes: BTreeMap<String, usize>,
    /// Normalized countries (two letters, upper case), with counts.
    pub countries: BTreeMap<String, usize>,
    pub amounts: AmountFit,
}

impl ColumnProfile {
    pub fn of(values: &[&str]) -> ColumnProfile {
        let mut p = ColumnProfile::default();
        let mut seen = HashSet::new();
        let mut unique = true;
        let mut country = String::new();
        for raw in values {
            let v = raw.trim();
            if v.is_empty() {
                continue;
            }
            p.non_empty += 1;
            unique &= seen.insert(v);
            if looks_like_email(v) {
                p.emails += 1;
            }
            if v.starts_with('+') {
                p.plus_prefixed += 1;
            }
            if looks_like_person_name(v) {
                p.person_names += 1;
            }
            if v.len() == 3 {
                let code = v.to_ascii_uppercase();
                if money::is_currency(&code) {
                    *p.currency_codes.entry(code).or_default() += 1;
                }
            }
            if v.len() <= 60
                && normalize::normalize(
                    Field::Country,
                    v,
                    &normalize::Options::default(),
                    &mut country,
                ) == normalize::Outcome::Normalized
                && country.len() == 2
            {
                *p.countries.entry(country.to_ascii_uppercase()).or_default() += 1;
            }
            p.amounts.add(v);
        }
        p.unique = unique;
        p
    }

    /// The most common value of a count table with its count.
    pub fn top(counts: &BTreeMap<String, usize>) -> Option<(&str, usize)> {
        counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(k, n)| (k.as_str(), *n))
    }
}

impl AmountFit {
    fn add(&mut self, v: &str) {
        if is_decimal_comma(v) {
            self.decimal_comma += 1;
        }
        let Ok(Some(amount)) = money::parse_value(v) else {
            return;
        };
        self.parsed += 1;
        self.sum += amount.decimal.parse::<f64>().unwrap_or(0.0);
        let symbol = SYMBOLS.iter().find(|s| v.contains(*s)).copied();
        if let Some(s) = symbol {
            *self.symbols.entry(s).or_default() += 1;
        }
        if let Some(code) = amount.currency {
            *self.codes.entry(code.to_ascii_uppercase()).or_default() += 1;
        }
        let two_decimals = amount
            .decimal
            .split_once('.')
            .is_some_and(|(_, frac)| frac.len() == 2);
        if two_decimals || symbol.is_some() || amount.currency.is_some() {
            self.money_like += 1;
        }
    }
}

/// Symbols the amount parser strips, longest first so `US$` is not `$`.
const SYMBOLS: [&str; 9] = ["US$", "R$", "C$", "A$", "$", "€", "£", "¥", "₹"];

/// The currency a symbol most likely stands for, for a suggestion only:
/// `$` alone is also CAD, AUD, MXN and more.
pub fn symbol_currency(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "US$" | "$" => "USD",
        "R$" => "BRL",
        "C$" => "CAD",
        "A$" => "AUD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₹" => "INR",
        _ => return None,
    })
}

/// `12,50` or `1.234,50` (with an optional symbol or code around it).
fn is_decimal_comma(v: &str) -> bool {
    let digits: String = v
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let Some((int, frac)) = digits.rsplit_once(',') else {
        return false;
    };
    frac.len() == 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

fn looks_like_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !v.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Two or more words of letters: `Jane Doe`, `DOE, JANE`.
fn looks_like_person_name(v: &str) -> bool {
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 2
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || c == '.' || c == '\'' || c == '-')
        })
}

/// How well `values` read as times. `digits_are_times`: whether plain
/// numbers count (unix seconds); only when the name says time, since
/// phone numbers and ids are plain numbers too. `day_first`: the
/// tie-break between `03/04` formats when the values do not settle it.
pub fn time_fit(values: &[&str], digits_are_times: bool, day_first: bool) -> TimeFit {
    let non_empty: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if non_empty.is_empty() {
        return TimeFit::default();
    }
    let default = TimeParser::new(None, TimeZone::UTC);
    let default_ok: Vec<&str> = non_empty
        .iter()
        .copied()
        .filter(|v| digits_are_times || !v.bytes().all(|b| b.is_ascii_digit()))
        .filter(|v| default.parse(v).is_ok())
        .collect();

    let mut best: Option<(usize, &'static str, Order)> = None;
    let mut month_first_best = 0;
    let mut day_first_best = 0;
    // Values the default parser reads are not worth a format.
    if default_ok.len() < non_empty.len() {
        for &(fmt, order) in FORMATS {
            let parser = TimeParser::new(Some(fmt.to_owned()), TimeZone::UTC);
            let mut hits = 0;
            for (i, v) in non_empty.iter().enumerate() {
                if i == GIVE_UP_AFTER && hits == 0 {
                    break;
                }
                if parser.parse(v).is_ok() {
                    hits += 1;
                }
            }
            match order {
                Order::MonthFirst => month_first_best = month_first_best.max(hits),
                Order::DayFirst => day_first_best = day_first_best.max(hits),
                Order::Neutral => {}
            }
            let better = match best {
                None => hits > 0,
                Some((n, _, current)) => {
                    hits > n
                        || (hits == n
                            && day_first
                            && order == Order::DayFirst
                            && current == Order::MonthFirst)
                }
            };
            if better {
                best = Some((hits, fmt, order));
            }
        }
    }

    match best {
        Some((hits, fmt, order)) if hits > default_ok.len() => TimeFit {
            parsed: hits,
            format: Some(fmt),
            absolute: fmt.contains("%z"),
            dates_only: !fmt.contains("%H") && !fmt.contains("%I"),
            ambiguous: order != Order::Neutral && month_first_best == day_first_best,
            shape: "",
        },
        _ => {
            let first = default_ok.first().copied().unwrap_or("");
            let (shape, absolute) = default_shape(first);
            TimeFit {
                parsed: default_ok.len(),
                format: None,
                absolute,
                dates_only: first.len() == 10 && !absolute,
                ambiguous: false,
                shape,
            }
        }
    }
}

/// What the default parser read `v` as, and whether that is an absolute
/// instant (no time zone needed).
fn default_shape(v: &str) -> (&'static str, bool) {
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return if v.len() <= 11 {
            ("unix seconds", true)
        } else {
            ("unix milliseconds", true)
        };
    }
    let tail = v.get(10..).unwrap_or("");
    if tail.contains(['Z', 'z', '+', '-']) {
        ("RFC 3339 with an offset", true)
    } else if v.len() == 10 {
        ("YYYY-MM-DD", false)
    } else {
        ("YYYY-MM-DD HH:MM:SS", false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_shapes_need_no_format() {
        let fit = time_fit(
            &["2026-11-20 10:00:00", "2026-11-21 11:30:00"],
            false,
            false,
        );
        assert_eq!((fit.parsed, fit.format, fit.absolute), (2, None, false));
        let fit = time_fit(&["1795000000", "1795000100"], true, false);
        assert_eq!(
            (fit.parsed, fit.shape, fit.absolute),
            (2, "unix seconds", true)
        );
        assert_eq!(time_fit(&["3125550101"], false, false).parsed, 0);
    }

    #[test]
    fn day_first_by_evidence_and_by_hint() {
        let fit = time_fit(&["03/04/2026 10:00", "25/04/2026 11:00"], false, false);
        assert_eq!(fit.format, Some("%d/%m/%Y %H:%M"));
        assert!(!fit.ambiguous);
        let fit = time_fit(&["03/04/2026 10:00", "04/05/2026 11:00"], false, false);
        assert_eq!(fit.format, Some("%m/%d/%Y %H:%M"));
        assert!(fit.ambiguous);
        let fit = time_fit(&["03/04/2026 10:00", "04/05/2026 11:00"], false, true);
        assert_eq!(fit.format, Some("%d/%m/%Y %H:%M"));
        let fit = time_fit(&["11/20/2026 2:03 PM", ""], false, false);
        assert_eq!((fit.parsed, fit.format), (1, Some("%m/%d/%Y %I:%M %p")));
        let fit = time_fit(&["2026-11-20 14:03:12 -0500"], false, false);
        assert!(fit.absolute);
    }

    #[test]
    fn amounts_and_codes() {
        let p = ColumnProfile::of(&["$1,234.56", "$5.00", "12,50", "x"]);
        assert_eq!(p.amounts.parsed, 2);
        assert_eq!(p.amounts.money_like, 2);
        assert_eq!(p.amounts.decimal_comma, 1);
        assert_eq!(p.amounts.symbols.get("$"), Some(&2));
        let p = ColumnProfile::of(&["usd", "EUR", "Eur", "abc"]);
        assert_eq!(p.currency_codes.values().sum::<usize>(), 3);
        let p = ColumnProfile::of(&["United States", "US", "", "DE"]);
        assert_eq!(ColumnProfile::top(&p.countries), Some(("US", 2)));
        assert!(!ColumnProfile::of(&["a", "a"]).unique);
    }

    #[test]
    fn emails_and_names() {
        let p = ColumnProfile::of(&["a@b.co", " x@y.org ", "no at", "a@b"]);
        assert_eq!(p.emails, 2);
        let p = ColumnProfile::of(&["Jane Doe", "DOE, JANE", "#1001", "Jane"]);
        assert_eq!(p.person_names, 2);
    }
}
