//! Order values and currencies as point-of-sale exports write them.
//!
//! Meta wants `value` as a plain non-negative number and `currency` as an
//! ISO 4217 code. Exports write `$1,234.56`, `1234.56 USD` or `1,234.56`;
//! we accept those and refuse anything we would have to guess at (negative
//! amounts, NaN, words), because a wrong value silently skews every ROAS
//! report built on it.

mod decimal;
#[cfg(test)]
mod props;
mod symbol;

pub use decimal::{DecimalError, Separator};
pub use symbol::Symbol;

/// Active ISO 4217 codes (2026), sorted; [`CODES`] is built from them.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
    "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP",
    "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
    "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY",
    "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
    "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK",
    "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
    "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG",
    "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
    "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// Whether `code` (upper case) is an active ISO 4217 currency. Runs for
/// every row: one bit of a table built at compile time.
pub fn is_currency(code: &str) -> bool {
    match code.as_bytes() {
        &[a, b, c] => is_currency_bytes([a, b, c]),
        _ => false,
    }
}

/// [`is_currency`] for a code in any case (`usd`), without allocating.
pub fn is_currency_ignoring_case(code: &str) -> bool {
    match code.as_bytes() {
        &[a, b, c] => is_currency_bytes([a, b, c].map(|x| x.to_ascii_uppercase())),
        _ => false,
    }
}

fn is_currency_bytes(code: [u8; 3]) -> bool {
    letter_index(code).is_some_and(|i| CODES[i / 64] >> (i % 64) & 1 == 1)
}

/// Three upper-case ASCII letters as a number under 26³.
const fn letter_index(code: [u8; 3]) -> Option<usize> {
    let [a, b, c] = code;
    if a.is_ascii_uppercase() && b.is_ascii_uppercase() && c.is_ascii_uppercase() {
        Some(((a - b'A') as usize * 26 + (b - b'A') as usize) * 26 + (c - b'A') as usize)
    } else {
        None
    }
}

/// One bit per three-letter code, set for the codes of [`ISO_4217`].
const CODES: [u64; 26 * 26 * 26 / 64 + 1] = {
    let mut bits = [0u64; 26 * 26 * 26 / 64 + 1];
    let mut i = 0;
    while i < ISO_4217.len() {
        let b = ISO_4217[i].as_bytes();
        match letter_index([b[0], b[1], b[2]]) {
            Some(n) => bits[n / 64] |= 1 << (n % 64),
            None => panic!("an ISO 4217 code is three upper-case letters"),
        }
        i += 1;
    }
    bits
};

/// A value that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Negative,
    NotANumber,
    /// A number only under the other decimal convention (`12,50` under
    /// `"."`).
    OtherConvention,
    /// Under `","`, one `.` with three digits after it (`1.250`).
    Ambiguous,
    /// The code written with the amount (as in `12.00 XYZ`) is not ISO 4217.
    UnknownCurrency,
}

/// A parsed amount: the canonical decimal text (no sign, no grouping, no
/// symbol, no superfluous zeros in front), the ISO code written next to
/// it and the currency symbol written with it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount<'a> {
    /// The canonical decimal; the value's own text when it already is one
    /// (`85.18`), which most values of most exports are.
    pub decimal: std::borrow::Cow<'a, str>,
    pub currency: Option<&'a str>,
    pub symbol: Option<&'static Symbol>,
}

/// [`parse_amount`] under the default convention (`1,234.56`).
pub fn parse_value(raw: &str) -> Result<Option<Amount<'_>>, ValueError> {
    parse_amount(raw, Separator::Point)
}

/// Reads `1234.56`, `1,234.56`, `$1,234.56`, `1234.56 USD`, `€12`, `USD 12`,
/// `12EUR` (with `","`: `1.234,56`, `12,50 €`) under one decimal
/// convention. Returns `Ok(None)` for an empty value.
pub fn parse_amount(raw: &str, sep: Separator) -> Result<Option<Amount<'_>>, ValueError> {
    // Digits with at most one decimal separator: nothing to strip or check.
    if let Some(decimal) = decimal::plain(raw, sep) {
        return Ok(Some(Amount {
            decimal,
            currency: None,
            symbol: None,
        }));
    }
    parse_dressed(raw, sep)
}

/// [`parse_amount`] for every form: codes, symbols, signs, groups, spaces.
fn parse_dressed(raw: &str, sep: Separator) -> Result<Option<Amount<'_>>, ValueError> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut currency = None;
    // A three-letter code before or after the number.
    if let Some((num, code)) = s.rsplit_once(char::is_whitespace)
        && is_letters3(code)
        && !symbol::is_symbol(code)
    {
        currency = Some(code);
        s = num.trim_end();
    } else if let Some((code, num)) = s.split_once(char::is_whitespace)
        && is_letters3(code)
    {
        currency = Some(code);
        s = num.trim_start();
    }
    if let Some(code) = currency
        && !is_currency_ignoring_case(code)
    {
        return Err(ValueError::UnknownCurrency);
    }
    let mut negative = false;
    if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest.trim_start();
    } else if s.starts_with('(') && s.ends_with(')') && s.len() > 2 {
        // Accounting notation for a negative amount.
        negative = true;
        s = &s[1..s.len() - 1];
    }
    let mut symbol = None;
    // Most values start and end with a digit: skip the symbol search.
    let numeric = |b: u8| b.is_ascii_digit() || b == sep.decimal();
    if !s.as_bytes().first().copied().is_some_and(numeric) {
        if currency.is_none()
            && let Some((code, rest)) = glued_code(s.get(..3), s.get(3..))
        {
            currency = Some(code);
            s = rest;
        } else if let Some((sym, rest)) = symbol::strip_prefix(s) {
            symbol = Some(sym);
            s = rest;
        }
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest;
    }
    if !s.as_bytes().last().is_some_and(u8::is_ascii_digit) {
        let cut = s.len().saturating_sub(3);
        if currency.is_none()
            && let Some((code, rest)) = glued_code(s.get(cut..), s.get(..cut))
        {
            currency = Some(code);
            s = rest;
        } else if symbol.is_none()
            && let Some((sym, rest)) = symbol::strip_suffix(s)
        {
            symbol = Some(sym);
            s = rest;
        }
    }
    let decimal = decimal::canonical(s, sep).map_err(|e| match e {
        DecimalError::NotANumber => ValueError::NotANumber,
        DecimalError::OtherConvention => ValueError::OtherConvention,
        DecimalError::Ambiguous => ValueError::Ambiguous,
    })?;
    if negative && decimal.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        return Err(ValueError::Negative);
    }
    Ok(Some(Amount {
        decimal: decimal.into(),
        currency,
        symbol,
    }))
}

fn is_letters3(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())
}

/// An ISO code written against the number (`USD12`, `12EUR`): `code` is
/// the three bytes, `rest` the number beside them.
fn glued_code<'a>(code: Option<&'a str>, rest: Option<&'a str>) -> Option<(&'a str, &'a str)> {
    let (code, rest) = (code?, rest?);
    (is_letters3(code) && is_currency_ignoring_case(code)).then_some((code, rest.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> (String, Option<&str>) {
        let a = parse_value(raw).unwrap().unwrap();
        (a.decimal.into_owned(), a.currency)
    }

    #[test]
    fn accepted_shapes() {
        assert_eq!(ok("1234.56"), ("1234.56".into(), None));
        assert_eq!(ok("1,234.56"), ("1234.56".into(), None));
        assert_eq!(ok("$1,234.56"), ("1234.56".into(), None));
        assert_eq!(ok("1234.56 USD"), ("1234.56".into(), Some("USD")));
        assert_eq!(ok("EUR 12"), ("12".into(), Some("EUR")));
        assert_eq!(ok(" 007.50 "), ("7.50".into(), None));
        assert_eq!(ok("0"), ("0".into(), None));
        assert_eq!(ok(".5"), ("0.5".into(), None));
        assert_eq!(ok("-0.00"), ("0.00".into(), None));
        assert_eq!(parse_value("  ").unwrap(), None);
    }

    #[test]
    fn refused_shapes() {
        assert_eq!(parse_value("-5"), Err(ValueError::Negative));
        assert_eq!(parse_value("$-5.00"), Err(ValueError::Negative));
        assert_eq!(parse_value("(12.00)"), Err(ValueError::Negative));
        assert_eq!(parse_value("NaN"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("abc"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("1.2.3"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("12,34"), Err(ValueError::OtherConvention));
        assert_eq!(parse_value("inf"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("1e5"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("12 XYZ"), Err(ValueError::UnknownCurrency));
    }

    fn sym(raw: &str, sep: Separator) -> (String, Option<&str>, Option<&'static str>) {
        let a = parse_amount(raw, sep).unwrap().unwrap();
        (a.decimal.into_owned(), a.currency, a.symbol.map(|s| s.text))
    }

    #[test]
    fn symbols_and_glued_codes() {
        use Separator::*;
        assert_eq!(sym("£12.00", Point), ("12.00".into(), None, Some("£")));
        assert_eq!(sym("12,50 €", Comma), ("12.50".into(), None, Some("€")));
        assert_eq!(sym("1.234,56€", Comma), ("1234.56".into(), None, Some("€")));
        assert_eq!(sym("-0,00 €", Comma), ("0.00".into(), None, Some("€")));
        assert_eq!(sym("CHF12.00", Point), ("12.00".into(), Some("CHF"), None));
        assert_eq!(sym("12EUR", Point), ("12".into(), Some("EUR"), None));
        assert_eq!(sym("99 kr", Point), ("99".into(), None, Some("kr")));
        assert_eq!(sym("12 lei", Point), ("12".into(), None, Some("lei")));
        assert_eq!(sym("¥1,200", Point), ("1200".into(), None, Some("¥")));
        assert_eq!(sym("US$ 5", Point), ("5".into(), None, Some("US$")));
        assert_eq!(parse_amount("-€12", Point), Err(ValueError::Negative));
        assert_eq!(parse_amount("€-12", Point), Err(ValueError::Negative));
        assert_eq!(parse_amount("12 §", Point), Err(ValueError::NotANumber));
        assert_eq!(parse_amount("1.250 €", Comma), Err(ValueError::Ambiguous));
        assert_eq!(
            parse_amount("€12,50", Point),
            Err(ValueError::OtherConvention)
        );
    }

    #[test]
    fn currency_table_is_sorted() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
        assert!(is_currency("USD") && is_currency("JPY") && !is_currency("XYZ"));
        // The table holds the list's codes and nothing else.
        assert!(ISO_4217.iter().all(|c| is_currency(c)));
        let set: u32 = CODES.iter().map(|w| w.count_ones()).sum();
        assert_eq!(set as usize, ISO_4217.len());
        assert!(!is_currency("usd") && is_currency_ignoring_case("usd"));
        assert!(!is_currency("US") && !is_currency("USDX") && !is_currency("U$D"));
    }
}
