//! Writes a [`Guess`] out: the commented mapping file (DESIGN.md 4.2) and
//! the short summary for stderr.
//!
//! Column names go through the TOML serializer, so a header such as
//! `Order "No."` still makes a file that loads; comments are flattened to
//! one line so no header can break out of them.

use std::fmt::Write as _;

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
    line(
        &mut out,
        "action_source = \"physical_store\"",
        "in-store sales (62-day window); or phone_call, other, …",
    );
    match &guess.time {
        Some(t) => {
            pick_line(&mut out, "time_column", &t.pick);
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
    if let Some(lines) = &guess.lines {
        group_lines(&mut out, lines);
    }

    out.push_str("\n[custom_data]\n");
    match (&guess.value, &guess.value_unreadable) {
        (Some(p), _) => pick_line(&mut out, "value_column", p),
        (None, _) if guess.lines.is_some() => out.push_str(
            "# value_column: not needed, each order's value = Σ quantity × item_price of its lines\n",
        ),
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
    if guess.user_data.is_empty() {
        out.push_str(
            "# TODO: no column looks like customer information (email, phone, name,\n\
             # address, customer id), and Meta needs at least one to match a sale:\n\
             # em = \"\"\n",
        );
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
            "for numbers without a +country code",
        ),
    }
    line(
        &mut out,
        "# hash_external_id = true",
        "false sends external_id unhashed",
    );
    filter_lines(&mut out);

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

/// The stderr summary: what went where, what is left, what to run next.
/// `written_to` names where the mapping went.
pub fn render_summary(guess: &Guess, written_to: &str, mapping_path: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "offconv init: wrote {written_to} from {} ({} columns, {} rows sampled)",
        display_input(&guess.input),
        guess.columns,
        guess.rows
    );
    let mut mapped: Vec<(&str, String)> = Vec::new();
    if let Some(t) = &guess.time {
        mapped.push(("time_column", t.pick.column.clone()));
        if let Some(fmt) = t.fit.format {
            mapped.push(("time_format", fmt.to_owned()));
        }
    }
    if let Some(p) = &guess.order_id {
        mapped.push(("id_column", p.column.clone()));
    }
    if let Some(l) = &guess.lines {
        mapped.push(("group_by", l.group_by.column.clone()));
        let keys = [
            "item id",
            "quantity",
            "item price",
            "item title",
            "brand",
            "category",
        ];
        for (key, (_, pick)) in keys.into_iter().zip(contents(l)) {
            if let Some(p) = pick {
                mapped.push((key, p.column.clone()));
            }
        }
    }
    match (&guess.value, &guess.lines) {
        (Some(p), _) => mapped.push(("value_column", p.column.clone())),
        (None, Some(_)) => mapped.push(("value", "Σ quantity × item_price".into())),
        (None, None) => {}
    }
    match &guess.currency {
        Some(CurrencyGuess::Column(p)) => mapped.push(("currency_column", p.column.clone())),
        Some(CurrencyGuess::InAmounts) => mapped.push(("currency", "(with the amounts)".into())),
        _ => {}
    }
    if let Some(p) = &guess.order_id {
        mapped.push(("order_id_column", p.column.clone()));
    }
    for (field, picks) in &guess.user_data {
        let cols: Vec<&str> = picks.iter().map(|p| p.column.as_str()).collect();
        mapped.push((field.key(), cols.join(", ")));
    }
    if let Some(s) = guess.phone_region.as_ref().filter(|s| s.active) {
        mapped.push(("phone_region", s.value.clone()));
    }
    if mapped.is_empty() {
        out.push_str("mapped: nothing\n");
    } else {
        out.push_str("mapped:\n");
        for (key, cols) in mapped {
            let _ = writeln!(out, "  {key:<16} {}", one_line(&cols));
        }
    }
    if !guess.unplaced.is_empty() {
        let names: Vec<String> = guess.unplaced.iter().map(|p| one_line(&p.column)).collect();
        let _ = writeln!(out, "not placed ({}): {}", names.len(), names.join(", "));
    }
    if !guess.checks.is_empty() {
        out.push_str("check before the first upload:\n");
        for c in &guess.checks {
            let _ = writeln!(out, "  - {}", one_line(c));
        }
    }
    if guess.missing().is_empty() {
        let _ = writeln!(out, "next: {}", next_command(guess, mapping_path));
    } else {
        let _ = writeln!(
            out,
            "next: fill in the TODOs in {}, then: {}",
            shell_word(mapping_path),
            next_command(guess, mapping_path)
        );
    }
    out
}

/// `group_by` with its warning, then the `[contents]` table.
fn group_lines(out: &mut String, lines: &LineItems) {
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
    out.push_str(
        "\n[contents]\n\
         # One row per line item: the rows of an order become its event's contents.\n",
    );
    for (key, pick) in contents(lines) {
        match pick {
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
fn contents(lines: &LineItems) -> [(&'static str, Option<&Pick>); 6] {
    [
        ("id_column", Some(&lines.id)),
        ("quantity_column", Some(&lines.quantity)),
        ("item_price_column", Some(&lines.item_price)),
        ("title_column", lines.title.as_ref()),
        ("brand_column", lines.brand.as_ref()),
        ("category_column", lines.category.as_ref()),
    ]
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
fn line(out: &mut String, code: &str, comment: &str) {
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
fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// `s` with every control character (a newline in a header) made a space.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn display_input(name: &str) -> String {
    if name == "-" {
        "stdin".to_owned()
    } else {
        name.to_owned()
    }
}

/// The validate command for this export and mapping, quoted for a POSIX
/// shell where needed.
fn next_command(guess: &Guess, mapping_path: &str) -> String {
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

fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", one_line(s).replace('\'', r"'\''"))
    }
}
