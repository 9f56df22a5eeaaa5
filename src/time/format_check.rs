//! `[event] time_format` checked at start-up: every directive must be one
//! jiff's strptime reads (or `%Z`, which offconv reads itself), so a typo
//! (`%K`) or a directive that only formats (`%c`, `%x`) stops the run
//! with exit 2 before any row is rejected for it.
//!
//! The grammar is jiff's (`jiff::fmt::strtime`): `%`, an optional flag
//! (`_ 0 - ^ #`), an optional width, `.` and a precision for `%.f`, up to
//! three colons (`%:z`, `%::z`, `%:::z`, `%:Q`), then the directive.

use std::ops::Range;

/// The directives jiff's strptime reads.
const READ_BY_JIFF: &str = "%AaBbCDdeFfGgHhIjklMmNnPpQRSsTtUuVWwYyz";

/// Directives jiff formats but cannot read back.
const FORMAT_ONLY: &str = "crXxq";

/// One `%…` of a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Bytes of the format, from the `%` to the directive's letter.
    pub range: Range<usize>,
    /// `None` when the format ends before the directive does.
    pub letter: Option<char>,
    pub colons: u8,
    /// `%.f` (with or without a precision).
    pub dot: bool,
}

/// The directives of `fmt`, in order (`%%` included).
pub fn directives(fmt: &str) -> impl Iterator<Item = Directive> + '_ {
    let b = fmt.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && b[i] != b'%' {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        i += 1;
        if i < b.len() && b"_0-^#".contains(&b[i]) {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let dot = i < b.len() && b[i] == b'.';
        if dot {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let mut colons = 0;
        while colons < 3 && i < b.len() && b[i] == b':' {
            colons += 1;
            i += 1;
        }
        let letter = fmt[i..].chars().next();
        i += letter.map_or(0, char::len_utf8);
        Some(Directive {
            range: start..i,
            letter,
            colons,
            dot,
        })
    })
}

/// `Err` names the first directive offconv cannot read, and why.
pub fn check(fmt: &str) -> Result<(), String> {
    let mut any = false;
    let mut zone_abbreviations = 0;
    for d in directives(fmt) {
        any = true;
        let text = &fmt[d.range.clone()];
        let Some(letter) = d.letter else {
            return Err(format!(
                "ends inside the directive {text:?}; write %% for a literal %"
            ));
        };
        let fine = if d.dot {
            letter == 'f' && d.colons == 0
        } else {
            match letter {
                'z' => true,
                'Q' => d.colons <= 1,
                'Z' => {
                    zone_abbreviations += 1;
                    d.colons == 0
                }
                _ => d.colons == 0 && READ_BY_JIFF.contains(letter),
            }
        };
        if fine {
            continue;
        }
        let why = if !d.dot && d.colons == 0 && FORMAT_ONLY.contains(letter) {
            "only formats a time and cannot read one (write the fields instead, such as %m/%d/%Y %H:%M)"
        } else {
            "is not a strftime directive offconv reads (see jiff's strtime: %Y %m %d %H %M %S %p %b %z %Z …)"
        };
        return Err(format!("{text:?} {why}"));
    }
    if !any {
        return Err("has no % directive; use strftime, such as \"%m/%d/%Y %I:%M %p\"".to_owned());
    }
    if zone_abbreviations > 1 {
        return Err("has %Z more than once; a time holds one zone abbreviation".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_exports_use_pass() {
        for fmt in [
            "%m/%d/%Y %I:%M %p",
            "%m/%d/%y %I:%M %p",
            "%d-%b-%Y %I:%M %p %Z",
            "%d.%m.%Y %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S%.f%:z",
            "%Y-%m-%d %H:%M:%S %z",
            "%-m/%-d/%Y %-I:%M %P",
            "%e %B %Y, %k:%M",
            "%s",
            "%Y%m%d%H%M%S",
            "%F %T",
            "%Y-%m-%d %H:%M:%S%.3f",
            "%Y %:::z %::z %:Q %Q",
            "100%% %Y-%m-%d",
            "%^Z %Y-%m-%d",
        ] {
            assert_eq!(check(fmt), Ok(()), "{fmt}");
        }
    }

    #[test]
    fn a_directive_offconv_cannot_read_is_named() {
        let err = check("%Y-%m-%d %K:%M").unwrap_err();
        assert!(
            err.starts_with("\"%K\" is not a strftime directive"),
            "{err}"
        );
        let err = check("%c").unwrap_err();
        assert!(err.contains("\"%c\" only formats"), "{err}");
        let err = check("%x %X").unwrap_err();
        assert!(err.contains("\"%x\""), "{err}");
        let err = check("%Y-%m-%").unwrap_err();
        assert!(err.contains("ends inside the directive \"%\""), "{err}");
        assert!(check("%Y %.3d").unwrap_err().contains("\"%.3d\""));
        assert!(check("%Y %::::z").is_err());
        assert!(check("%Y %:Y").unwrap_err().contains("\"%:Y\""));
        assert!(check("%Y %é").unwrap_err().contains("\"%é\""));
        assert!(check("%Z %Z %H").unwrap_err().contains("more than once"));
        assert!(check("YYYY-MM-DD").unwrap_err().contains("no % directive"));
    }

    #[test]
    fn directives_are_split_as_jiff_splits_them() {
        let ds: Vec<_> = directives("a%_3d%.3f%::z%").collect();
        assert_eq!(ds.len(), 4);
        assert_eq!(ds[0].range, 1..5);
        assert_eq!(ds[0].letter, Some('d'));
        assert!(ds[1].dot);
        assert_eq!(ds[2].colons, 2);
        assert_eq!(ds[3].letter, None);
    }
}
