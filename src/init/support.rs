//! Which of the real-export keys (DESIGN.md section 6) this build's mapping
//! loader reads. `init` writes a key live only when `validate` will load
//! it; otherwise the line stays commented out and says why. Each key is
//! probed by loading a tiny mapping that uses it.

use std::path::Path;

use crate::config::Mapping;

/// The section-6 keys, each `true` when the loader reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Support {
    pub encoding: bool,
    pub time_of_day: bool,
    pub timezone_column: bool,
    pub filter: bool,
    pub decimal_separator: bool,
    pub full_name: bool,
    pub line_total: bool,
}

impl Support {
    pub fn probe() -> Support {
        let with = |csv: &str, event: &str, user: &str, extra: &str| {
            let text = format!(
                "{csv}\n[event]\ntime_column = \"t\"\n{event}\n[user_data]\nem = \"e\"\n{user}\n{extra}\n"
            );
            Mapping::parse(&text, Path::new("probe.toml")).is_ok()
        };
        Support {
            encoding: with("[csv]\nencoding = \"windows-1252\"", "", "", ""),
            time_of_day: with("", "time_of_day_column = \"d\"", "", ""),
            timezone_column: with("", "timezone_column = \"z\"", "", ""),
            filter: with("", "", "", "[filter]\nskip = { \"s\" = [\"x\"] }"),
            decimal_separator: with(
                "",
                "",
                "",
                "[custom_data]\ndecimal_separator = \",\"\ncurrency = \"EUR\"",
            ),
            full_name: with("", "", "full_name = \"n\"", ""),
            line_total: with(
                "",
                "group_by = \"o\"",
                "",
                "[contents]\nid_column = \"i\"\nline_total_column = \"l\"",
            ),
        }
    }

    /// Every key read: what the tests of `init`'s guesses assume.
    pub fn all() -> Support {
        Support {
            encoding: true,
            time_of_day: true,
            timezone_column: true,
            filter: true,
            decimal_separator: true,
            full_name: true,
            line_total: true,
        }
    }
}

/// The note on a key the loader does not read yet.
pub const NOT_YET: &str = "this version of offconv does not read this key yet";
