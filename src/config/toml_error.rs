//! TOML and serde errors turned into messages that name the key and, for an
//! unknown key, the closest known one.

use crate::suggest::closest;

/// Turns toml/serde's message into one that names the key and, for an
/// unknown key, the closest known one.
pub(super) fn explain_toml_error(err: &toml::de::Error, text: &str) -> String {
    let message = err.message().trim().to_owned();
    let mut out = message.clone();
    // serde: "unknown field `nmae`, expected one of `name`, `name_column`"
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((unknown, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        if let Some(best) = closest(unknown, candidates.iter().copied()) {
            out = format!("unknown key `{unknown}` (did you mean `{best}`?); {expected}")
                .replace("; , expected", "; expected");
        } else {
            out = format!("unknown key `{unknown}`{expected}");
        }
    }
    if message.contains("did not match any variant of untagged enum Columns") {
        out = "a [user_data] key takes a column name or a list of column names, such as em = \"email\" or em = [\"email\", \"alt_email\"]".to_owned();
    }
    if let Some(span) = err.span() {
        let start = span.start.min(text.len());
        let line = text[..start].matches('\n').count() + 1;
        let column = text[..start].rfind('\n').map_or(start, |nl| start - nl - 1) + 1;
        let shown = text.lines().nth(line - 1).unwrap_or("").trim();
        out = format!("{out}\n  at line {line}, column {column}: {shown}");
    }
    out
}
