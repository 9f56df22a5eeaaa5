//! One line item's numbers (DESIGN.md 6, `[contents]`): its quantity, the
//! `item_price` sent, the line's total added to the order's value, and
//! what it counts in `num_items`.
//!
//! - The quantity is optional (default 1) and read strictly: digits with
//!   an optional fraction after the mapping's decimal separator, no sign,
//!   no thousands separator. `2`, `2.0`, `2.000` are 2 (Square writes
//!   `1.0`). A fractional quantity (0.5 kg) is sent as quantity 1 at the
//!   line's total, and counts 1 in `num_items`.
//! - With `item_price_column` the price is the unit price: the line's
//!   total is quantity × price.
//! - With `line_total_column` the price is the line's total: item_price =
//!   total / quantity, to six decimals; the order's value adds the totals
//!   themselves, so it is exact.
//!
//! Money is counted in millionths ([`MICROS`]) without floating point.

use crate::money::Separator;

/// Money in millionths, to add line totals without floating point.
pub(super) const MICROS: i128 = 1_000_000;

/// A line's quantity as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    Whole(u64),
    /// A fraction of a unit, in millionths (0.5 kg = 500_000).
    Fraction(i128),
}

/// Why a quantity is not read.
pub(super) fn quantity_problem(sep: Separator) -> String {
    let (a, b) = match sep {
        Separator::Point => ("2.0", "0.5"),
        Separator::Comma => ("2,0", "0,5"),
    };
    format!(
        "the quantity is not a number greater than 0 (such as 2, {a} or {b}, without a sign or thousands separators)"
    )
}

/// `2`, `2.000` (whole), `0.5` (a fraction); `None` for anything else,
/// zero included.
pub(super) fn parse_quantity(text: &str, sep: Separator) -> Option<Quantity> {
    let text = text.trim();
    let (int, frac) = match text.bytes().position(|b| b == sep.decimal()) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    if frac.bytes().all(|b| b == b'0') {
        return (whole > 0).then_some(Quantity::Whole(whole));
    }
    let micros = micros_of(int, frac)?;
    (micros > 0).then_some(Quantity::Fraction(micros))
}

/// The numbers one line adds to its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// The `quantity` sent.
    pub quantity: u64,
    /// The `item_price` sent, as decimal text.
    pub item_price: String,
    /// The line's total in millionths.
    pub total: i128,
}

/// A line from its quantity and its price (`price` the canonical decimal
/// text, a unit price or, with `is_total`, the line's total). `None`
/// when the amount does not fit.
pub(super) fn line(quantity: Quantity, price: &str, is_total: bool) -> Option<Line> {
    let p = micros(price)?;
    Some(match (quantity, is_total) {
        (Quantity::Whole(q), false) => Line {
            quantity: q,
            item_price: price.to_owned(),
            total: p.checked_mul(i128::from(q))?,
        },
        (Quantity::Whole(q), true) => Line {
            quantity: q,
            item_price: decimal(div_round(p, i128::from(q))),
            total: p,
        },
        (Quantity::Fraction(f), false) => {
            let total = div_round(p.checked_mul(f)?, MICROS);
            Line {
                quantity: 1,
                item_price: decimal(total),
                total,
            }
        }
        (Quantity::Fraction(_), true) => Line {
            quantity: 1,
            item_price: decimal(p),
            total: p,
        },
    })
}

/// `a / b` rounded half up (both non-negative, `b` > 0).
fn div_round(a: i128, b: i128) -> i128 {
    (a + b / 2) / b
}

/// `12.5` → 12_500_000 millionths; digits past the sixth decimal are cut.
pub(super) fn micros(decimal: &str) -> Option<i128> {
    let (int, frac) = decimal.split_once('.').unwrap_or((decimal, ""));
    micros_of(int, frac)
}

fn micros_of(int: &str, frac: &str) -> Option<i128> {
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(6)
        .fold(0i128, |n, d| n * 10 + i128::from(d - b'0'));
    int.checked_mul(MICROS)?.checked_add(frac)
}

/// Millionths → decimal text with at least two decimals: `12.50`.
pub(super) fn decimal(micros: i128) -> String {
    let int = micros / MICROS;
    let frac = format!("{:06}", micros % MICROS);
    let frac = frac.trim_end_matches('0');
    let frac = if frac.len() < 2 {
        format!("{frac:0<2}")
    } else {
        frac.to_owned()
    };
    format!("{int}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Quantity::*;

    #[test]
    fn money_arithmetic() {
        assert_eq!(micros("12.5"), Some(12_500_000));
        assert_eq!(micros("0.000001"), Some(1));
        assert_eq!(micros("3"), Some(3_000_000));
        assert_eq!(decimal(12_500_000), "12.50");
        assert_eq!(decimal(3 * 19_990_000), "59.97");
        assert_eq!(decimal(1), "0.000001");
        assert_eq!(decimal(0), "0.00");
    }

    #[test]
    fn quantities() {
        let q = |s| parse_quantity(s, Separator::Point);
        assert_eq!(q("2"), Some(Whole(2)));
        assert_eq!(q(" 2.0 "), Some(Whole(2)));
        assert_eq!(q("2.000"), Some(Whole(2)));
        assert_eq!(q("0.5"), Some(Fraction(500_000)));
        assert_eq!(q(".25"), Some(Fraction(250_000)));
        assert_eq!(q("1.5"), Some(Fraction(1_500_000)));
        for bad in [
            "0", "0.0", "-1", "-1.0", "", ".", "1,000", "2 kg", "1e3", "+2",
        ] {
            assert_eq!(q(bad), None, "{bad}");
        }
        let c = |s| parse_quantity(s, Separator::Comma);
        assert_eq!(c("2,000"), Some(Whole(2)));
        assert_eq!(c("0,5"), Some(Fraction(500_000)));
        assert_eq!(c("2.0"), None);
    }

    #[test]
    fn lines() {
        let l = |q, p, t| line(q, p, t).unwrap();
        // Unit price × whole quantity: the price as written.
        assert_eq!(l(Whole(3), "19.99", false).item_price, "19.99");
        assert_eq!(l(Whole(3), "19.99", false).total, 59_970_000);
        // A line total: item_price = total / quantity.
        let t = l(Whole(2), "36.00", true);
        assert_eq!(
            (t.quantity, t.item_price.as_str(), t.total),
            (2, "18.00", 36_000_000)
        );
        let t = l(Whole(3), "10", true);
        assert_eq!((t.item_price.as_str(), t.total), ("3.333333", 10_000_000));
        // 0.5 kg at 12.99 a kg: one item at the line's total.
        let f = l(Fraction(500_000), "12.99", false);
        assert_eq!(
            (f.quantity, f.item_price.as_str(), f.total),
            (1, "6.495", 6_495_000)
        );
        let f = l(Fraction(333_000), "12.99", true);
        assert_eq!(
            (f.quantity, f.item_price.as_str(), f.total),
            (1, "12.99", 12_990_000)
        );
    }
}
