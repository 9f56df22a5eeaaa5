//! Writing to stderr without ever panicking. `eprintln!` panics when
//! stderr cannot be written (`2>/dev/full`, a log pipe whose reader went
//! away), which turned a finished upload into exit 101. Everything offconv
//! tells the user goes through [`say!`](crate::say) instead: a line that
//! cannot be written is dropped, and the exit code still tells how the
//! run went.

use std::io::Write as _;

/// Writes `args` and a line break to stderr, ignoring a failure.
pub fn say(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args);
    let _ = err.write_all(b"\n");
}

/// Writes `args` to stderr as they are (no line break), ignoring a failure.
pub fn say_raw(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args);
    let _ = err.flush();
}

/// `eprintln!` that never panics: see [`crate::stderr`].
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stderr::say(format_args!($($arg)*))
    };
}

/// `eprint!` that never panics: see [`crate::stderr`].
#[macro_export]
macro_rules! say_raw {
    ($($arg:tt)*) => {
        $crate::stderr::say_raw(format_args!($($arg)*))
    };
}
