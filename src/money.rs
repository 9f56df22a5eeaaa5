//! Order values and currencies as point-of-sale exports write them.
//!
//! Meta wants `value` as a plain non-negative number and `currency` as an
//! ISO 4217 code. Exports write `$1,234.56`, `1234.56 USD` or `1,234.56`;
//! we accept those and refuse anything we would have to guess at (negative
//! amounts, NaN, words), because a wrong value silently skews every ROAS
//! report built on it.

/// Active ISO 4217 codes (2026), sorted for binary search.
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
/// every row: the codes are compared as integers, not strings.
pub fn is_currency(code: &str) -> bool {
    static CODES: std::sync::LazyLock<Vec<u32>> =
        std::sync::LazyLock::new(|| ISO_4217.iter().filter_map(|c| packed(c)).collect());
    packed(code).is_some_and(|key| CODES.binary_search(&key).is_ok())
}

/// Three ASCII bytes as one integer, preserving their order.
fn packed(code: &str) -> Option<u32> {
    match code.as_bytes() {
        &[a, b, c] => Some(u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c)),
        _ => None,
    }
}

/// A value that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Negative,
    NotANumber,
    /// The trailing code (as in `12.00 XYZ`) is not ISO 4217.
    UnknownCurrency,
}

/// A parsed amount: the canonical decimal text (no sign, no grouping, no
/// symbol, no superfluous zeros in front) and a currency code written
/// next to it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount<'a> {
    pub decimal: String,
    pub currency: Option<&'a str>,
}

/// Reads `1234.56`, `1,234.56`, `$1,234.56`, `1234.56 USD`, `€12`, `USD 12`.
/// Returns `Ok(None)` for an empty value.
pub fn parse_value(raw: &str) -> Result<Option<Amount<'_>>, ValueError> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut currency = None;
    // A three-letter code before or after the number.
    if let Some((num, code)) = s.rsplit_once(char::is_whitespace)
        && code.len() == 3
        && code.bytes().all(|b| b.is_ascii_alphabetic())
    {
        currency = Some(code);
        s = num.trim_end();
    } else if let Some((code, num)) = s.split_once(char::is_whitespace)
        && code.len() == 3
        && code.bytes().all(|b| b.is_ascii_alphabetic())
    {
        currency = Some(code);
        s = num.trim_start();
    }
    if let Some(code) = currency
        && !is_currency(&code.to_ascii_uppercase())
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
    // Most values start with a digit: skip the symbol search for them.
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        for symbol in ["$", "€", "£", "¥", "₹", "R$", "C$", "A$", "US$"] {
            if let Some(rest) = s.strip_prefix(symbol) {
                s = rest.trim_start();
                break;
            }
        }
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest;
    }
    let decimal = canonical_decimal(s).ok_or(ValueError::NotANumber)?;
    if negative && decimal.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        return Err(ValueError::Negative);
    }
    Ok(Some(Amount { decimal, currency }))
}

/// `1,234.50` → `1234.50`; digits with optional thousands commas (groups
/// of three) and at most one decimal point. Anything else is `None`.
fn canonical_decimal(s: &str) -> Option<String> {
    // Byte searches: a `char` pattern costs a `memcmp` call per match.
    let (int, frac) = match s.bytes().position(|b| b == b'.') {
        Some(dot) => (&s[..dot], Some(&s[dot + 1..])),
        None => (s, None),
    };
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    if int.as_bytes().contains(&b',') {
        let mut groups = int.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(first);
        for g in groups {
            if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            out.push_str(g);
        }
    } else {
        if !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(int);
    }
    let trimmed = out.trim_start_matches('0').len();
    let keep_from = out.len() - trimmed;
    out.drain(..keep_from);
    if out.is_empty() {
        out.push('0');
    }
    if let Some(frac) = frac {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
    }
    if out.len() > 24 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> (String, Option<&str>) {
        let a = parse_value(raw).unwrap().unwrap();
        (a.decimal, a.currency)
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
        assert_eq!(parse_value("12,34"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("inf"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("1e5"), Err(ValueError::NotANumber));
        assert_eq!(parse_value("12 XYZ"), Err(ValueError::UnknownCurrency));
    }

    #[test]
    fn currency_table_is_sorted() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
        assert!(is_currency("USD") && is_currency("JPY") && !is_currency("XYZ"));
    }
}
