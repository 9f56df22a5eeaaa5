//! The file's decimal convention, decided from the amounts in the sample:
//! `12,50` and `1.234,56` only make sense with a decimal comma, `12.50` and
//! `1,234.56` only with a decimal point. Dates, times, ids and whole
//! numbers say nothing; `1,250` could be either and is counted apart, so
//! `init` can say when the sample cannot decide.

use super::Sample;

/// What the sample's amounts say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Convention {
    /// Amounts that read only with a decimal comma.
    pub comma: usize,
    /// Amounts that read only with a decimal point.
    pub point: usize,
    /// Amounts such as `1,250` or `1.250`: a thousands group or three
    /// decimals, depending on the convention.
    pub unsure: usize,
}

impl Convention {
    pub fn of(sample: &Sample) -> Convention {
        let mut c = Convention::default();
        for row in &sample.rows {
            for v in row {
                match classify(v) {
                    Some(Kind::Comma) => c.comma += 1,
                    Some(Kind::Point) => c.point += 1,
                    Some(Kind::Unsure) => c.unsure += 1,
                    None => {}
                }
            }
        }
        c
    }

    /// Whether the mapping should say `decimal_separator = ","`: the
    /// comma's evidence outweighs the point's nine to one.
    pub fn is_comma(&self) -> bool {
        self.comma > 0 && self.comma >= self.point * 9
    }

    /// Both kinds appear in numbers: the sample cannot decide alone.
    pub fn mixed(&self) -> bool {
        self.comma > 0 && self.point > 0 && !self.is_comma() && self.point < self.comma * 9
    }
}

enum Kind {
    Comma,
    Point,
    Unsure,
}

/// One cell: an amount (digits with `.` and `,`, a sign, a currency symbol
/// or code around it) and what its separators say.
fn classify(raw: &str) -> Option<Kind> {
    let v = raw
        .trim()
        .trim_start_matches(['-', '+', '('])
        .trim_end_matches(')');
    let core: &str = v.trim_matches(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','));
    let outside = v.len() - core.len();
    // A currency symbol or code, not words or a date around the number.
    if core.is_empty() || outside > 4 || v.contains(':') {
        return None;
    }
    if !core
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        || !core.bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        return None;
    }
    let last = core.rfind(['.', ','])?;
    let sep = core.as_bytes()[last];
    let frac = &core[last + 1..];
    let int = &core[..last];
    let other = if sep == b',' { b'.' } else { b',' };
    let int_ok = int.bytes().all(|b| b.is_ascii_digit() || b == other);
    if !int_ok || frac.is_empty() || int.bytes().filter(|b| *b == sep).count() > 0 {
        return None;
    }
    let grouped = int.bytes().any(|b| b == other);
    match (frac.len(), sep) {
        (1 | 2, b',') => Some(Kind::Comma),
        (1 | 2, _) => Some(Kind::Point),
        (3, _) if !grouped => Some(Kind::Unsure),
        (3, b',') => Some(Kind::Point),
        (3, _) => Some(Kind::Comma),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(values: &[&str]) -> Convention {
        Convention::of(&Sample {
            name: "t.csv".into(),
            delimiter: b',',
            header: vec!["a".into()],
            rows: values.iter().map(|v| vec![v.to_string()]).collect(),
            read_error: None,
            encoding: None,
        })
    }

    #[test]
    fn amounts_decide_dates_and_ids_do_not() {
        let c = of(&[
            "12,50",
            "1.234,56",
            "-30,77",
            "20.11.2026, 14:03",
            "7f3c-0001",
            "5001",
        ]);
        assert_eq!((c.comma, c.point, c.unsure), (3, 0, 0));
        assert!(c.is_comma());
        let c = of(&["$1,234.56", "12.50", "1.0", "2026-11-20"]);
        assert_eq!((c.comma, c.point), (0, 3));
        assert!(!c.is_comma());
        let c = of(&["1,250", "3.500"]);
        assert_eq!((c.comma, c.point, c.unsure), (0, 0, 2));
        let c = of(&["12,50", "12.50"]);
        assert!(c.mixed() && !c.is_comma());
    }
}
