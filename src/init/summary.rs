//! The short summary `init` prints on stderr: what went where, what was
//! left out, what to check before the first upload, what to run next.

use std::fmt::Write as _;

use super::render::{contents, display_input, next_command, one_line, shell_word};
use super::{CurrencyGuess, Guess};

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
