//! Currency symbols written with an amount (`$36.00`, `12,50 €`, `kr 99`)
//! and the ISO 4217 currencies each one agrees with.
//!
//! A symbol is evidence, never the currency itself: the row's currency
//! comes from `currency` or `currency_column`, and an amount whose symbol
//! names another one is refused (`bad_currency`), so `£12.00` is never
//! sent as 12 EUR. Symbols shared by several currencies agree with each of
//! them, by an explicit list:
//!
//! - `$` alone agrees with every currency that writes a plain `$`: the
//!   dollars (USD, CAD, AUD, NZD, SGD, HKD, TWD and the Caribbean and
//!   Pacific ones) and the pesos (MXN, ARS, CLP, COP, CUP, DOP, UYU).
//!   `US$`, `CA$`, `A$`, `NZ$`, `HK$`, `S$`, `NT$`, `MX$` name one;
//!   `C$` is CAD or the Nicaraguan córdoba; `R$` is BRL.
//! - `£` agrees with GBP and the pounds pegged to it (GIP, FKP, SHP) and
//!   the Egyptian and South Sudanese pounds; `¥`/`￥` with JPY and CNY;
//!   `kr` with SEK, NOK, DKK, ISK; `Rs` with INR, PKR, LKR, NPR, MUR, SCR.
//!
//! A symbol not in this table is not read: the amount is `bad_value`.

/// A symbol and the currencies it agrees with.
#[derive(Debug, PartialEq, Eq)]
pub struct Symbol {
    pub text: &'static str,
    pub currencies: &'static [&'static str],
}

impl Symbol {
    /// Whether an amount written with this symbol can be in `code` (an
    /// upper-case ISO 4217 code).
    pub fn agrees(&self, code: &str) -> bool {
        self.currencies.contains(&code)
    }
}

const DOLLAR: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "CUP", "DOP",
    "UYU", "BSD", "BBD", "BMD", "BND", "BZD", "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD",
    "SRD", "TTD", "XCD",
];

const fn s(text: &'static str, currencies: &'static [&'static str]) -> Symbol {
    Symbol { text, currencies }
}

/// Longest first where one symbol begins another (`US$` before `$`,
/// `R$` before `R`), so the first match is the right one.
static SYMBOLS: &[Symbol] = &[
    s("US$", &["USD"]),
    s("CA$", &["CAD"]),
    s("AU$", &["AUD"]),
    s("NZ$", &["NZD"]),
    s("HK$", &["HKD"]),
    s("NT$", &["TWD"]),
    s("MX$", &["MXN"]),
    s("SFr.", &["CHF"]),
    s("Fr.", &["CHF"]),
    s("R$", &["BRL"]),
    s("C$", &["CAD", "NIO"]),
    s("A$", &["AUD"]),
    s("S$", &["SGD"]),
    s("S/", &["PEN"]),
    s("RM", &["MYR"]),
    s("Rp", &["IDR"]),
    s("Rs.", &["INR", "PKR", "LKR", "NPR", "MUR", "SCR"]),
    s("Rs", &["INR", "PKR", "LKR", "NPR", "MUR", "SCR"]),
    s("kr.", &["SEK", "NOK", "DKK", "ISK"]),
    s("kr", &["SEK", "NOK", "DKK", "ISK"]),
    s("Kč", &["CZK"]),
    s("zł", &["PLN"]),
    s("Ft", &["HUF"]),
    s("lei", &["RON", "MDL"]),
    s("$", DOLLAR),
    s("€", &["EUR"]),
    s("£", &["GBP", "GIP", "FKP", "SHP", "EGP", "SSP"]),
    s("¥", &["JPY", "CNY"]),
    s("￥", &["JPY", "CNY"]),
    s("円", &["JPY"]),
    s("元", &["CNY"]),
    s("₹", &["INR"]),
    s("₩", &["KRW", "KPW"]),
    s("₽", &["RUB"]),
    s("₺", &["TRY"]),
    s("₪", &["ILS"]),
    s("₫", &["VND"]),
    s("฿", &["THB"]),
    s("₱", &["PHP"]),
    s("₦", &["NGN"]),
    s("₴", &["UAH"]),
    s("₸", &["KZT"]),
    s("₼", &["AZN"]),
    s("₾", &["GEL"]),
    s("R", &["ZAR"]),
];

/// Whether `text` is exactly a symbol of the table (`lei` is a symbol,
/// not a malformed ISO code).
pub fn is_symbol(text: &str) -> bool {
    SYMBOLS.iter().any(|sym| sym.text == text)
}

/// The symbol `s` starts with, and the rest after it (trimmed).
pub fn strip_prefix(s: &str) -> Option<(&'static Symbol, &str)> {
    SYMBOLS
        .iter()
        .find_map(|sym| Some((sym, s.strip_prefix(sym.text)?.trim_start())))
}

/// The symbol `s` ends with, and the rest before it (trimmed).
pub fn strip_suffix(s: &str) -> Option<(&'static Symbol, &str)> {
    SYMBOLS
        .iter()
        .find_map(|sym| Some((sym, s.strip_suffix(sym.text)?.trim_end())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_symbol_wins() {
        assert_eq!(strip_prefix("US$12").unwrap().0.text, "US$");
        assert_eq!(strip_prefix("R$ 12").unwrap(), (&SYMBOLS[9], "12"));
        assert_eq!(strip_prefix("R 12").unwrap().0.text, "R");
        assert_eq!(strip_suffix("12,50 €").unwrap().1, "12,50");
        assert_eq!(strip_suffix("99 kr.").unwrap().0.text, "kr.");
        assert!(strip_prefix("12").is_none());
    }

    #[test]
    fn agreement() {
        let dollar = strip_prefix("$1").unwrap().0;
        for code in ["USD", "CAD", "AUD", "MXN", "CLP"] {
            assert!(dollar.agrees(code), "{code}");
        }
        assert!(!dollar.agrees("EUR") && !dollar.agrees("BRL"));
        let pound = strip_prefix("£1").unwrap().0;
        assert!(pound.agrees("GBP") && !pound.agrees("EUR"));
        let yen = strip_prefix("¥1").unwrap().0;
        assert!(yen.agrees("JPY") && yen.agrees("CNY") && !yen.agrees("KRW"));
    }

    #[test]
    fn every_currency_is_iso_4217_and_no_symbol_hides_a_later_one() {
        for (i, sym) in SYMBOLS.iter().enumerate() {
            for code in sym.currencies {
                assert!(super::super::is_currency(code), "{code}");
            }
            for later in &SYMBOLS[i + 1..] {
                assert!(
                    !later.text.starts_with(sym.text) && !later.text.ends_with(sym.text),
                    "{} hides {}",
                    sym.text,
                    later.text
                );
            }
        }
    }
}
