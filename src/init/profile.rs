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
    ("%d.%m.%Y, %H:%M:%S", Order::DayFirst),
    ("%d.%m.%Y, %H:%M", Order::DayFirst),
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
    ("%b %d, %Y %I:%M:%S %p", Order::Neutral),
    ("%b %d, %Y %I:%M %p", Order::Neutral),
    ("%d-%b-%Y %I:%M %p", Order::Neutral),
    ("%d-%b-%Y %H:%M", Order::Neutral),
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
    /// Distinct non-empty values.
    pub distinct: usize,
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
    /// `comma`: the file writes amounts with a decimal comma.
    pub fn of(values: &[&str], comma: bool) -> ColumnProfile {
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
            p.amounts.add(v, comma);
        }
        p.unique = unique;
        p.distinct = seen.len();
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
    fn add(&mut self, v: &str, comma: bool) {
        if !comma && is_decimal_comma(v) {
            self.decimal_comma += 1;
        }
        let owned = if comma {
            point_decimal(v)
        } else {
            v.to_owned()
        };
        let Ok(Some(amount)) = money::parse_value(&owned) else {
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

/// `1.234,56` written the way the amount parser reads it (`1234.56`);
/// a value with both separators in the wrong order is left as it is.
pub fn point_decimal(v: &str) -> String {
    v.chars()
        .filter(|c| *c != '.')
        .map(|c| if c == ',' { '.' } else { c })
        .collect()
}

/// An amount as the upload reads it under the file's convention, as a
/// float for comparing sums.
pub fn amount(v: &str, comma: bool) -> Option<f64> {
    let owned = if comma {
        point_decimal(v)
    } else {
        v.to_owned()
    };
    match money::parse_value(&owned) {
        Ok(Some(a)) => a.decimal.parse().ok(),
        _ => None,
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
                if parser.parse(v).is_ok_and(plausible) {
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

    if best.is_none_or(|(hits, _, _)| hits * 2 < non_empty.len())
        && let Some(fit) = abbreviated_fit(&non_empty, day_first)
    {
        return fit;
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

/// A parsed time in a year sales are made in: `%Y` reading "26" as the
/// year 26 is not a fit.
fn plausible(t: i64) -> bool {
    // 1900-01-01 .. 2200-01-01
    (-2_208_988_800..7_258_118_400).contains(&t)
}

/// Zone abbreviations exports append to times (`16-Dec-2023 02:44 AM EST`)
/// and the zone that writes them; `%Z` reads them.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("EST", "America/New_York"),
    ("EDT", "America/New_York"),
    ("CST", "America/Chicago"),
    ("CDT", "America/Chicago"),
    ("MST", "America/Denver"),
    ("MDT", "America/Denver"),
    ("PST", "America/Los_Angeles"),
    ("PDT", "America/Los_Angeles"),
    ("AKST", "America/Anchorage"),
    ("AKDT", "America/Anchorage"),
    ("HST", "Pacific/Honolulu"),
    ("GMT", "Europe/London"),
    ("BST", "Europe/London"),
    ("CET", "Europe/Berlin"),
    ("CEST", "Europe/Berlin"),
    ("AEST", "Australia/Sydney"),
    ("AEDT", "Australia/Sydney"),
];

/// Times ending in a zone abbreviation: the rest read with a format, the
/// format then ends in `%Z`.
fn abbreviated_fit(values: &[&str], day_first: bool) -> Option<TimeFit> {
    let stripped: Vec<&str> = values
        .iter()
        .filter_map(|v| {
            let (rest, abbr) = v.rsplit_once(' ')?;
            ABBREVIATIONS
                .iter()
                .any(|(a, _)| *a == abbr)
                .then_some(rest)
        })
        .collect();
    if stripped.len() * 2 < values.len() {
        return None;
    }
    let inner = time_fit(&stripped, false, day_first);
    let fmt = inner.format?;
    let with_zone = FORMATS_Z.iter().find(|(f, _)| *f == fmt).map(|(_, z)| *z)?;
    Some(TimeFit {
        format: Some(with_zone),
        absolute: false,
        ..inner
    })
}

/// Each format with ` %Z` after it, for [`abbreviated_fit`].
const FORMATS_Z: &[(&str, &str)] = &[
    ("%d-%b-%Y %I:%M %p", "%d-%b-%Y %I:%M %p %Z"),
    ("%d-%b-%Y %H:%M", "%d-%b-%Y %H:%M %Z"),
    ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M %p %Z"),
    ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M %Z"),
    ("%b %d, %Y %I:%M %p", "%b %d, %Y %I:%M %p %Z"),
    ("%b %d, %Y %I:%M:%S %p", "%b %d, %Y %I:%M:%S %p %Z"),
];

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
        let p = ColumnProfile::of(&["$1,234.56", "$5.00", "12,50", "x"], false);
        assert_eq!(p.amounts.parsed, 2);
        assert_eq!(p.amounts.money_like, 2);
        assert_eq!(p.amounts.decimal_comma, 1);
        assert_eq!(p.amounts.symbols.get("$"), Some(&2));
        let p = ColumnProfile::of(&["usd", "EUR", "Eur", "abc"], false);
        assert_eq!(p.currency_codes.values().sum::<usize>(), 3);
        let p = ColumnProfile::of(&["United States", "US", "", "DE"], false);
        assert_eq!(ColumnProfile::top(&p.countries), Some(("US", 2)));
        assert!(!ColumnProfile::of(&["a", "a"], false).unique);
    }

    #[test]
    fn emails_and_names() {
        let p = ColumnProfile::of(&["a@b.co", " x@y.org ", "no at", "a@b"], false);
        assert_eq!(p.emails, 2);
        let p = ColumnProfile::of(&["Jane Doe", "DOE, JANE", "#1001", "Jane"], false);
        assert_eq!(p.person_names, 2);
    }
}
