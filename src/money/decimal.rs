//! The number inside an amount under one decimal convention
//! (`[custom_data] decimal_separator`, DESIGN.md 6).
//!
//! A mapping reads exactly one convention, never both:
//!
//! - `"."` (the default): `1234.56`, `1,234.56`; `1,250` is 1250 (a
//!   thousands group: the documented rule of this convention).
//! - `","`: `1234,56`, `1.234,56`; `1,250` is 1.25 (a comma is always the
//!   decimal separator).
//!
//! An amount that only reads under the other convention (`12,50` or
//! `1.234,56` under `"."`, `12.50` under `","`) is an error that says so.
//! Under `","` an amount whose only separator is one `.` followed by three
//! digits (`1.250`, `12.500`) is refused too: it is a thousands group by
//! this convention but a decimal point in any other export, and the file
//! gives no way to tell which it meant.

use std::borrow::Cow;

/// The decimal convention of a mapping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Separator {
    /// `1,234.56`
    #[default]
    Point,
    /// `1.234,56`
    Comma,
}

impl Separator {
    /// The decimal separator as a byte.
    pub fn decimal(self) -> u8 {
        match self {
            Separator::Point => b'.',
            Separator::Comma => b',',
        }
    }

    /// The thousands separator as a byte.
    pub fn group(self) -> u8 {
        match self {
            Separator::Point => b',',
            Separator::Comma => b'.',
        }
    }

    /// The other convention.
    pub fn other(self) -> Separator {
        match self {
            Separator::Point => Separator::Comma,
            Separator::Comma => Separator::Point,
        }
    }

    /// How the mapping file spells it: `"."` or `","`.
    pub fn as_str(self) -> &'static str {
        match self {
            Separator::Point => ".",
            Separator::Comma => ",",
        }
    }
}

/// Why a number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a number under either convention.
    NotANumber,
    /// A number only under the other convention.
    OtherConvention,
    /// Under `","`: one `.` and three digits after it, never guessed.
    Ambiguous,
}

/// The canonical decimal text of `s` (no grouping, a `.` before the
/// fraction, no superfluous zeros in front) under `sep`.
pub fn canonical(s: &str, sep: Separator) -> Result<String, DecimalError> {
    match read(s, sep) {
        Some(decimal) => {
            if sep == Separator::Comma && lone_group(s) {
                return Err(DecimalError::Ambiguous);
            }
            Ok(decimal)
        }
        None if read(s, sep.other()).is_some() => Err(DecimalError::OtherConvention),
        None => Err(DecimalError::NotANumber),
    }
}

/// The canonical decimal of a plain amount: digits, at most one decimal
/// separator, a digit at each end (`85.18`, `0012,50`, `7`), the same as
/// [`canonical`] gives for it, borrowed when it is `s` itself. `None` for
/// anything else (and for more digits than [`canonical`] takes), which
/// then goes the whole way.
pub fn plain(s: &str, sep: Separator) -> Option<Cow<'_, str>> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 24 || !b[0].is_ascii_digit() || !b[b.len() - 1].is_ascii_digit() {
        return None;
    }
    let mut point = None;
    for (i, &c) in b.iter().enumerate() {
        if c == sep.decimal() && point.is_none() {
            point = Some(i);
        } else if !c.is_ascii_digit() {
            return None;
        }
    }
    let int_end = point.unwrap_or(b.len());
    // Leading zeros go, but the last digit before the point stays.
    let zeros = b[..int_end - 1].iter().take_while(|&&c| c == b'0').count();
    if zeros == 0 && (point.is_none() || sep.decimal() == b'.') {
        return Some(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[zeros..int_end]);
    if let Some(at) = point {
        out.push('.');
        out.push_str(&s[at + 1..]);
    }
    Some(Cow::Owned(out))
}

/// `1.250`: digits, one `.`, exactly three digits, and no comma.
fn lone_group(s: &str) -> bool {
    let b = s.as_bytes();
    match b.iter().position(|&c| c == b'.') {
        Some(dot) => {
            b.len() - dot - 1 == 3
                && dot > 0
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == dot || c.is_ascii_digit())
        }
        None => false,
    }
}

/// Digits with optional thousands separators (groups of three) and at
/// most one decimal separator. Anything else is `None`.
fn read(s: &str, sep: Separator) -> Option<String> {
    let (dec, grp) = (sep.decimal(), sep.group());
    // Byte searches: a `char` pattern costs a `memcmp` call per match.
    let (int, frac) = match s.bytes().position(|b| b == dec) {
        Some(at) => (&s[..at], Some(&s[at + 1..])),
        None => (s, None),
    };
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    if int.as_bytes().contains(&grp) {
        let mut groups = int.split(grp as char);
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
    use DecimalError::*;
    use Separator::*;

    fn c(s: &str, sep: Separator) -> Result<String, DecimalError> {
        canonical(s, sep)
    }

    #[test]
    fn point_convention() {
        assert_eq!(c("1,234.56", Point).unwrap(), "1234.56");
        assert_eq!(c("1,250", Point).unwrap(), "1250");
        assert_eq!(c("1234.567", Point).unwrap(), "1234.567");
        assert_eq!(c("12,50", Point), Err(OtherConvention));
        assert_eq!(c("1.234,56", Point), Err(OtherConvention));
        assert_eq!(c("1,2,3", Point), Err(NotANumber));
        assert_eq!(c("12a", Point), Err(NotANumber));
    }

    #[test]
    fn comma_convention() {
        assert_eq!(c("1.234,56", Comma).unwrap(), "1234.56");
        assert_eq!(c("12,50", Comma).unwrap(), "12.50");
        assert_eq!(c("1,250", Comma).unwrap(), "1.250");
        assert_eq!(c("1.250.000", Comma).unwrap(), "1250000");
        assert_eq!(c("1.250,00", Comma).unwrap(), "1250.00");
        assert_eq!(c(",5", Comma).unwrap(), "0.5");
        assert_eq!(c("1.250", Comma), Err(Ambiguous));
        assert_eq!(c("0.500", Comma), Err(Ambiguous));
        assert_eq!(c("12.50", Comma), Err(OtherConvention));
        assert_eq!(c("1,234.56", Comma), Err(OtherConvention));
        assert_eq!(c("1234.567", Comma), Err(OtherConvention));
        assert_eq!(c("1.2.3", Comma), Err(NotANumber));
    }
}
