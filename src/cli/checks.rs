//! Numeric flags checked as clap reads them: finite, in range, so that a
//! `--rate 1e-20` or `--stop-grace nan` is refused with exit 2 before a
//! row is read, never a panic or a silent default.

use std::time::Duration;

/// The longest wait a flag takes: a week. Beyond that a number is a typo.
const MAX_SECS: f64 = 7.0 * 24.0 * 3600.0;

/// A finite, non-negative number, `-0` refused as a sign of a typo.
fn plain_number(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let v: f64 = t.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if !v.is_finite() {
        return Err(format!("'{s}' is not a finite number"));
    }
    if v < 0.0 || t.starts_with('-') {
        return Err(format!("'{s}' is negative"));
    }
    Ok(v)
}

/// Seconds: 0 to a week, decimals allowed.
pub fn parse_secs(s: &str) -> Result<Duration, String> {
    let v = plain_number(s)?;
    if v > MAX_SECS {
        return Err(format!("{s} s is more than a week"));
    }
    Ok(Duration::from_secs_f64(v))
}

/// `--rate`: 0 (no cap), or one request a day up to a million a second.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let v = plain_number(s)?;
    if v == 0.0 {
        return Ok(0.0);
    }
    let min = 1.0 / 86_400.0;
    if !(min..=1_000_000.0).contains(&v) {
        return Err(format!(
            "{s} requests per second is out of range: give 0 (no cap) or a rate from {min:.6} (one a day) to 1000000"
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_plain_number() {
        for bad in ["nan", "inf", "-inf", "-0", "-1", "1e-20", "x", "1e300"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        for bad in ["nan", "inf", "-0", "-5", "1e9"] {
            assert!(parse_secs(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_rate("0"), Ok(0.0));
        assert_eq!(parse_rate("0.5"), Ok(0.5));
        assert_eq!(parse_secs("2.5"), Ok(Duration::from_millis(2500)));
    }
}
