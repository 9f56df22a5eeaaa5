//! Excel's text guards (DESIGN.md 6, without a key): a cell Excel was told
//! to keep as text, `'00123` (an apostrophe before a digit or `+`) or
//! `="00123"`, reads as `00123` in every mapped column, so a zip or a phone
//! hashes as the value and not as the guard.

/// `s` without an Excel text guard; `s` itself when it has none. Costs one
/// byte comparison for a cell that does not start with `'` or `=`: that
/// test is inlined into the caller, the rest is not (as one call per cell
/// it cost 1 % of the dry run's instructions on a file without guards).
#[inline]
pub fn strip_excel_guard(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(b'\'' | b'=') => strip_guard(s),
        _ => s,
    }
}

#[inline(never)]
fn strip_guard(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(b'\'') => {
            let rest = &s[1..];
            match rest.as_bytes().first() {
                Some(b) if b.is_ascii_digit() || *b == b'+' => rest,
                _ => s,
            }
        }
        Some(b'=') => s
            .strip_prefix("=\"")
            .and_then(|r| r.strip_suffix('"'))
            .filter(|inner| !inner.contains('"'))
            .unwrap_or(s),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::strip_excel_guard as strip;

    #[test]
    fn guards_go_and_the_rest_stays() {
        assert_eq!(strip("'00123"), "00123");
        assert_eq!(strip("'+1 415 555 0100"), "+1 415 555 0100");
        assert_eq!(strip("=\"00123\""), "00123");
        assert_eq!(strip("=\"\""), "");
        // Not guards: an apostrophe before a letter, a formula, text.
        assert_eq!(strip("'Brien"), "'Brien");
        assert_eq!(strip("=A1+2"), "=A1+2");
        assert_eq!(strip("=\"a\"\"b\""), "=\"a\"\"b\"");
        assert_eq!(strip("'"), "'");
        assert_eq!(strip(""), "");
        assert_eq!(strip("00123"), "00123");
    }
}
