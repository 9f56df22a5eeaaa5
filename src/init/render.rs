//! Writes a [`Guess`] out: the commented mapping file (DESIGN.md 4.2) and
//! the short summary for stderr.
//!
//! Column names go through the TOML serializer, so a header such as
//! `Order "No."` still makes a file that loads; comments are flattened to
//! one line so no header can break out of them.

use std::fmt::Write as _;

use super::support::NOT_YET;
use super::{CurrencyGuess, Guess, LineItems, Pick, Setting};

/// Where comments start, as in DESIGN.md's example.
const COMMENT_COLUMN: usize = 31;

/// The mapping file. `mapping_path` is where it goes, for the command the
/// header comment suggests.
pub fn render_mapping(guess: &Guess, mapping_path: &str) -> String {
    let mut out = String::new();
    let input = display_input(&guess.input);
    let _ = writeln!(
        out,
        "# Mapping for {}, guessed by `offconv init` from its header and",
        one_line(&input)
    );
    let _ = writeln!(
        out,
        "# {} sampled rows. Check every line, then try it with:",
        guess.rows
    );
    let _ = writeln!(out, "#   {}", next_command(guess, mapping_path));
    if let Some(err) = &guess.read_error {
        let _ = writeln!(out, "# Sampling stopped early at {}", one_line(err));
    }

    out.push_str("\n[csv]\n");
    let delimiter = match guess.delimiter {
        b'\t' => "\\t".to_owned(),
        d => (d as char).to_string(),
    };
    if let Some(enc) = guess.encoding {
        gated(
            &mut out,
            guess.support.encoding,
            &format!("encoding = {}", quote(enc)),
            "sampled cells are not UTF-8; accented letters read as Windows-1252 (Excel's \"CSV\")",
        );
    }
    if guess.delimiter == b',' {
        line(
            &mut out,
            "# delimiter = \",\"",
            "detected; offconv detects it on every run",
        );
    } else {
        line(
            &mut out,
            &format!("delimiter = \"{delimiter}\""),
            "detected from the header",
        );
    }

    out.push_str("\n[event]\n");
    line(&mut out, "name = \"Purchase\"", "or name_column = \"…\"");
    setting_line(&mut out, "action_source", &guess.action_source);
    match &guess.time {
        Some(t) => {
            pick_line(&mut out, "time_column", &t.pick);
            if let Some(p) = &t.time_of_day {
                gated_pick(&mut out, guess.support.time_of_day, "time_of_day_column", p);
            }
            match t.fit.format {
                Some(fmt) => {
                    let why = match &t.order_note {
                        Some(note) => format!("guessed from the values; {note}"),
                        None => "guessed from the values".to_owned(),
                    };
                    line(&mut out, &format!("time_format = {}", quote(fmt)), &why);
                }
                None if !t.fit.shape.is_empty() => {
                    let _ = writeln!(
                        out,
                        "# time_format: not needed, the values read as {}",
                        t.fit.shape
                    );
                }
                None => {}
            }
            if let Some(p) = &t.zone_column {
                gated_pick(
                    &mut out,
                    guess.support.timezone_column,
                    "timezone_column",
                    p,
                );
            }
            match &t.timezone {
                Some(zone) => setting_line(&mut out, "timezone", zone),
                None => out.push_str("# timezone: not needed, the times carry their own offset\n"),
            }
        }
        None => {
            out.push_str(
                "# TODO: no column looks like the time of the sale, and every event needs\n\
                 # one. Name it here and uncomment (and add time_format if needed):\n\
                 # time_column = \"\"\n",
            );
        }
    }
    match &guess.order_id {
        Some(p) => pick_line(&mut out, "id_column", p),
        None => line(
            &mut out,
            "# id_column = \"\"",
            "no order id column: event_id is derived from each row",
        ),
    }
    // LDU keys belong to [event]: group_lines writes them before
    // [contents] opens.
    match &guess.lines {
        Some(lines) => group_lines(&mut out, lines, guess.support.line_total),
        None => ldu_lines(&mut out),
    }

    if !guess.filter.is_empty() {
        let header = if guess.support.filter {
            "[filter.skip]"
        } else {
            "# [filter.skip]"
        };
        let _ = writeln!(
            out,
            "\n{header}\n# Rows that are not sales: reported skipped (filtered), never sent."
        );
        for rule in &guess.filter {
            let values: Vec<String> = rule.values.iter().map(|v| quote(v)).collect();
            let code = format!("{} = [{}]", quote(&rule.column), values.join(", "));
            gated(&mut out, guess.support.filter, &code, &rule.why);
        }
    }

    out.push_str("\n[custom_data]\n");
    if guess.decimal_comma {
        gated(
            &mut out,
            guess.support.decimal_separator,
            "decimal_separator = \",\"",
            "the sampled amounts write a decimal comma (12,50 and 1.234,56)",
        );
    }
    match (&guess.value, &guess.value_unreadable) {
        // Without decimal_separator the loader would misread 1.234,56.
        (Some(p), _) if guess.decimal_comma && !guess.support.decimal_separator => line(
            &mut out,
            &format!("# value_column = {}", quote(&p.column)),
            &format!("{}; needs decimal_separator = \",\"", p.why),
        ),
        (Some(p), _) => pick_line(&mut out, "value_column", p),
        (None, _) if guess.lines.is_some() => out.push_str(order_value_line(guess)),
        (None, Some(p)) => {
            let _ = writeln!(out, "# TODO: {}", one_line(&p.why));
            line(
                &mut out,
                &format!("# value_column = {}", quote(&p.column)),
                "uncomment once the amounts read as 1234.56",
            );
        }
        (None, None) => line(
            &mut out,
            "# value_column = \"\"",
            "no column looks like the order total; events go without a value",
        ),
    }
    match &guess.currency {
        Some(CurrencyGuess::Column(p)) => pick_line(&mut out, "currency_column", p),
        Some(CurrencyGuess::Evident { code, why }) => {
            line(&mut out, &format!("currency = {}", quote(code)), why);
        }
        Some(CurrencyGuess::InAmounts) => {
            out.push_str("# currency: not needed, the amounts carry their ISO code\n");
        }
        Some(CurrencyGuess::Unknown { suggestion, why }) => {
            out.push_str(
                "# TODO: no column names the currency, and a row with a value needs one.\n",
            );
            line(
                &mut out,
                &format!("# currency = {}", quote(suggestion)),
                why,
            );
        }
        None => {}
    }
    match &guess.order_id {
        Some(p) => line(
            &mut out,
            &format!("order_id_column = {}", quote(&p.column)),
            "the same column as id_column",
        ),
        None => out.push_str("# order_id_column = \"\"\n"),
    }
    out.push_str("# columns = { store_code = \"store\" }   # extra custom_data keys\n");

    out.push_str("\n[user_data]\n");
    if guess.user_data.is_empty() && (guess.full_name.is_none() || !guess.support.full_name) {
        out.push_str(
            "# TODO: no column looks like customer information (email, phone, name,\n\
             # address, customer id), and Meta needs at least one to match a sale:\n\
             # em = \"\"\n",
        );
    }
    match &guess.full_name {
        Some(p) => gated_pick(&mut out, guess.support.full_name, "full_name", p),
        None => line(
            &mut out,
            "# full_name = \"\"",
            "one column with the whole name (\"Billing Name\"), split into fn and ln",
        ),
    }
    for (field, picks) in &guess.user_data {
        let value = match picks.as_slice() {
            [one] => quote(&one.column),
            many => format!(
                "[{}]",
                many.iter()
                    .map(|p| quote(&p.column))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut whys: Vec<&str> = Vec::new();
        for p in picks {
            if !whys.contains(&p.why.as_str()) {
                whys.push(&p.why);
            }
        }
        line(
            &mut out,
            &format!("{} = {value}", field.key()),
            &whys.join("; "),
        );
    }

    out.push_str("\n[normalize]\n");
    setting_line(&mut out, "country_default", &guess.country_default);
    match &guess.phone_region {
        Some(s) => setting_line(&mut out, "phone_region", s),
        None => line(
            &mut out,
            "# phone_region = \"US\"",
            "for numbers without a +country code; a row's own country wins",
        ),
    }
    line(
        &mut out,
        "# hash_external_id = true",
        "false sends external_id unhashed",
    );
    if guess.filter.is_empty() {
        filter_lines(&mut out);
    }

    if !guess.checks.is_empty() {
        out.push_str("\n# Check before the first upload:\n");
        for c in &guess.checks {
            let _ = writeln!(out, "#   - {}", one_line(c));
        }
    }
    if !guess.unplaced.is_empty() {
        out.push_str("\n# Columns not placed (map one by hand if it matters):\n");
        for p in &guess.unplaced {
            let _ = writeln!(
                out,
                "#   {}: {}",
                one_line(&quote(&p.column)),
                one_line(&p.why)
            );
        }
    }
    out
}

/// Why a grouped order needs no value column: its lines add up to it.
fn order_value_line(guess: &Guess) -> &'static str {
    let by_line_total = guess
        .lines
        .as_ref()
        .is_some_and(|l| l.line_total && guess.support.line_total);
    if by_line_total {
        "# value_column: not needed, each order's value = Σ the line totals of its lines\n"
    } else {
        "# value_column: not needed, each order's value = Σ quantity × item_price of its lines\n"
    }
}

/// Limited Data Use, commented out: whether a store's customers opted out
/// is the store's decision, never a guess from the export.
fn ldu_lines(out: &mut String) {
    for (code, why) in [
        (
            "# data_processing_options = [\"LDU\"]",
            "Limited Data Use for every event (US state privacy laws)",
        ),
        (
            "# data_processing_options_country = 0",
            "with LDU: 0 = Meta geolocates, 1 = US",
        ),
        (
            "# data_processing_options_state = 0",
            "with LDU: 0 = geolocate, 1000 = California",
        ),
        (
            "# ldu_column = \"\"",
            "per row: 1/true/yes/y puts the row under LDU",
        ),
    ] {
        line(out, code, why);
    }
}

/// `group_by` with its warning, then the `[contents]` table.
fn group_lines(out: &mut String, lines: &LineItems, supported_line_total: bool) {
    pick_line(out, "group_by", &lines.group_by);
    if lines.returning > 0 {
        let column = one_line(&quote(&lines.group_by.column));
        let example = lines
            .first_returning
            .as_deref()
            .map(|id| {
                let such_as = if lines.returning > 1 { "such as " } else { "" };
                format!(" ({such_as}{})", one_line(&quote(id)))
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "# WARNING: {} to an order after other orders' rows{example}.\n\
             # Sort the export by {column} so each order's rows are together: a row\n\
             # that comes back to an order already sent is rejected (order_not_contiguous).",
            super::lines::plural(
                lines.returning,
                "sampled row comes back",
                "sampled rows come back"
            )
        );
    }
    ldu_lines(out);
    out.push_str(
        "\n[contents]\n\
         # One row per line item: the rows of an order become its event's contents.\n",
    );
    for (key, pick) in contents(lines) {
        match pick {
            Some(p) if key == "line_total_column" => gated_pick(out, supported_line_total, key, p),
            Some(p) => pick_line(out, key, p),
            None => line(
                out,
                &format!("# {key} = \"\""),
                "optional; no column looks like it",
            ),
        }
    }
}

/// The `[contents]` keys in the order they are written.
pub(super) fn contents(lines: &LineItems) -> [(&'static str, Option<&Pick>); 6] {
    [
        ("id_column", Some(&lines.id)),
        ("quantity_column", Some(&lines.quantity)),
        (
            if lines.line_total {
                "line_total_column"
            } else {
                "item_price_column"
            },
            Some(&lines.item_price),
        ),
        ("title_column", lines.title.as_ref()),
        ("brand_column", lines.brand.as_ref()),
        ("category_column", lines.category.as_ref()),
    ]
}

/// A section-6 key: live when the loader reads it, else commented out
/// with the reason.
fn gated(out: &mut String, supported: bool, code: &str, why: &str) {
    if supported {
        line(out, code, why);
    } else {
        line(out, &format!("# {code}"), &format!("{why}; {NOT_YET}"));
    }
}

fn gated_pick(out: &mut String, supported: bool, key: &str, pick: &Pick) {
    gated(
        out,
        supported,
        &format!("{key} = {}", quote(&pick.column)),
        &pick.why,
    );
}

fn pick_line(out: &mut String, key: &str, pick: &Pick) {
    line(out, &format!("{key} = {}", quote(&pick.column)), &pick.why);
}

fn setting_line(out: &mut String, key: &str, s: &Setting) {
    let code = format!("{key} = {}", quote(&s.value));
    if s.active {
        line(out, &code, &s.why);
    } else {
        line(out, &format!("# {code}"), &s.why);
    }
}

/// The commented `[filter]` table (DESIGN.md 6): rows that are not sales.
fn filter_lines(out: &mut String) {
    out.push_str("\n# [filter]\n");
    line(
        out,
        "# skip = { \"Financial Status\" = [\"refunded\", \"voided\"] }",
        "rows reported skipped/filtered, never sent",
    );
    line(
        out,
        "# only = { \"Status\" = [\"paid\", \"completed\"] }",
        "send only rows holding a listed value",
    );
}

/// `code`, then its comment from [`COMMENT_COLUMN`] on.
pub(super) fn line(out: &mut String, code: &str, comment: &str) {
    out.push_str(code);
    if !comment.is_empty() {
        let width = code.chars().count();
        let pad = COMMENT_COLUMN.saturating_sub(width).max(1);
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str("# ");
        out.push_str(&one_line(comment));
    }
    out.push('\n');
}

/// A TOML string holding `s` exactly.
pub(super) fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// `s` with every control character (a newline in a header) made a space.
pub(super) fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub(super) fn display_input(name: &str) -> String {
    if name == "-" {
        "stdin".to_owned()
    } else {
        name.to_owned()
    }
}

/// The validate command for this export and mapping, quoted for a POSIX
/// shell where needed.
pub(super) fn next_command(guess: &Guess, mapping_path: &str) -> String {
    let input = if guess.input == "-" {
        "EXPORT.csv".to_owned()
    } else {
        shell_word(&guess.input)
    };
    format!(
        "offconv validate {input} --mapping {}",
        shell_word(mapping_path)
    )
}

pub(super) fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", one_line(s).replace('\'', r"'\''"))
    }
}
