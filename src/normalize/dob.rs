//! `db`: date of birth as `YYYYMMDD`. The reference reads the first three
//! digit groups with a heuristic (a number over 31 is the year; a month
//! over 12 swaps with the day; otherwise US order) or a lone 8-digit group
//! as `YYYYMMDD`. **offconv:** the date must exist (`1990-02-30` is
//! dropped, where the reference only checks day ≤ 31), and the 8-digit
//! form obeys the year range too, so `14021990` is not read as year 1402.

use std::sync::LazyLock;

/// Writes the date into `out`, or leaves it empty. No NFC: no canonical
/// mapping creates or removes an ASCII digit.
pub(crate) fn normalize(input: &str, out: &mut String) {
    if let Some((y, m, d)) = parse(input, *MAX_YEAR) {
        out.extend(
            [
                y / 1000,
                y / 100 % 10,
                y / 10 % 10,
                y % 10,
                m / 10,
                m % 10,
                d / 10,
                d % 10,
            ]
            .map(|digit| char::from(b'0' + digit as u8)),
        );
    }
}

/// The reference allows years up to next year, by its clock. Read once:
/// a run that crosses New Year keeps last year's bound, one year too strict
/// for babies born in the first hours of the next-next year.
static MAX_YEAR: LazyLock<u32> = LazyLock::new(|| {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    u32::try_from(now.year()).unwrap_or(0) + 1
});

/// Year, month, day of `input`, if it holds a real date with a year from
/// 1800 to `max_year`.
fn parse(input: &str, max_year: u32) -> Option<(u32, u32, u32)> {
    // Digit groups, at most three kept: the reference reads only three,
    // and only counts the rest to tell "one group" from "many".
    let mut groups: [&str; 3] = [""; 3];
    let mut count = 0usize;
    for group in input
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
    {
        if count < 3 {
            groups[count] = group;
        }
        count += 1;
    }
    if count >= 3 {
        let [n1, n2, n3] = groups.map(number);
        let (year, a, b) = if n1 > 31 {
            (n1, n2, n3)
        } else if n2 > 31 {
            (n2, n3, n1)
        } else {
            (n3, n1, n2)
        };
        // A month over 12 must be the day: swap (`14/02/1990`).
        let (month, day) = if a > 12 { (b, a) } else { (a, b) };
        return valid(year, month, day, max_year).then_some((year, month, day));
    }
    let only = groups[0];
    if count == 1 && only.len() == 8 {
        let (year, month, day) = (number(&only[..4]), number(&only[4..6]), number(&only[6..]));
        return valid(year, month, day, max_year).then_some((year, month, day));
    }
    None
}

/// `parseInt` of a digit group, saturating: a huge group is simply a large
/// number (over 31, out of any range), as it is to JavaScript.
fn number(digits: &str) -> u32 {
    digits.bytes().fold(0u32, |n, b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

fn valid(year: u32, month: u32, day: u32, max_year: u32) -> bool {
    (1800..=max_year).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in(year, month)).contains(&day)
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(input: &str) -> Option<(u32, u32, u32)> {
        parse(input, 2026)
    }

    #[test]
    fn orders() {
        assert_eq!(db("1990-02-14"), Some((1990, 2, 14)));
        assert_eq!(db("02/03/1990"), Some((1990, 2, 3)));
        assert_eq!(db("14/02/1990"), Some((1990, 2, 14)));
        assert_eq!(db("12-1999-05"), Some((1999, 5, 12)));
        assert_eq!(db("Born 1990-02-14, 10:30"), Some((1990, 2, 14)));
        assert_eq!(db("19900214"), Some((1990, 2, 14)));
    }

    #[test]
    fn calendar_and_range() {
        assert_eq!(db("2000-02-29"), Some((2000, 2, 29)));
        assert_eq!(db("1900-02-29"), None);
        assert_eq!(db("1990-04-31"), None);
        assert_eq!(db("1799-12-31"), None);
        assert_eq!(db("2027-01-01"), None);
        assert_eq!(db("2026-12-31"), Some((2026, 12, 31)));
        assert_eq!(db("17760704"), None);
        assert_eq!(db("99999999"), None);
        assert_eq!(db("14021990"), None);
        assert_eq!(db("0-0-0"), None);
    }

    #[test]
    fn shapes_that_are_not_dates() {
        assert_eq!(db(""), None);
        assert_eq!(db("1990"), None);
        assert_eq!(db("1990 0214"), None);
        assert_eq!(db("19900214 1"), None);
        assert_eq!(db("14 Feb 1990"), None);
        assert_eq!(db("１９９０-０２-１４"), None);
        assert_eq!(db(&format!("{}-02-14", "9".repeat(50))), None);
        assert_eq!(
            db(&format!("{}1990-02-14", "0".repeat(50))),
            Some((1990, 2, 14))
        );
    }

    #[test]
    fn writes_eight_digits() {
        let mut out = String::new();
        normalize("2/3/1990", &mut out);
        assert_eq!(out, "19900203");
    }
}
