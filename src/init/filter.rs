//! Rows that are not sales: the `[filter] skip` rules `init` proposes from
//! the status values it finds in the sample (refunded, voided, cancelled,
//! failed, pending, test and training receipts, in the languages exports
//! come in), and from yes/no columns named like one of those.

use super::claims::Column;
use super::names;

/// One `[filter] skip` entry: rows whose `column` holds one of `values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterRule {
    pub column: String,
    /// As the sample writes them (the filter compares case-insensitively).
    pub values: Vec<String>,
    pub why: String,
}

/// Status values that mark a row that is no sale, wherever they appear.
const NOT_SALES: &[&str] = &[
    "refunded",
    "refund",
    "voided",
    "void",
    "cancelled",
    "canceled",
    "failed",
    "declined",
    "test",
    "training",
    "avtraining",
    "avbelegstorno",
    "avbelegabbruch",
    "erstattung",
    "erstattet",
    "rückerstattung",
    "storniert",
    "storno",
    "fehlgeschlagen",
    "abgebrochen",
    "annulé",
    "annulée",
    "annule",
    "remboursé",
    "rembourse",
    "remboursement",
    "échoué",
    "echoue",
    "reembolsado",
    "reembolso",
    "cancelado",
    "anulado",
    "fallido",
    "rimborsato",
    "rimborso",
    "annullato",
    "fallito",
    "terugbetaald",
    "geannuleerd",
    "mislukt",
    "terugbetaling",
    "estornado",
    "falhou",
    "devolução",
    "devolucao",
];

/// Values that mark no sale only in a column named like a status: an
/// open or pending order is not paid yet.
const NOT_YET: &[&str] = &[
    "pending",
    "open",
    "draft",
    "ausstehend",
    "offen",
    "enattente",
    "pendiente",
    "inattesa",
    "inafwachting",
    "pendente",
];

/// Name parts of a status column.
const STATUS_NAMES: &[&str] = &["status", "state", "zustand", "estado", "stato", "statut"];

/// Status columns about something else than the payment.
const OTHER_STATUS: &[&str] = &["fulfil", "ship", "deliver", "dispute", "cvc", "avs", "risk"];

/// Name parts of a yes/no column that marks a row as no sale.
const FLAG_NAMES: &[&str] = &[
    "refund",
    "erstattet",
    "storno",
    "void",
    "test",
    "training",
    "cancel",
    "annul",
    "rembours",
    "reembols",
    "rimbors",
];
const YES: &[&str] = &[
    "yes", "ja", "true", "1", "y", "x", "oui", "sí", "si", "wahr", "vero",
];
const NO: &[&str] = &[
    "no", "nein", "false", "0", "n", "non", "falsch", "falso", "nee",
];

/// The skip rules for an export, one per column that needs one.
pub(super) fn propose(columns: &[Column]) -> Vec<FilterRule> {
    // A name the header holds twice cannot be mapped (the loader refuses it).
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let twice = |c: &Column| {
        columns
            .iter()
            .any(|o| o.index != c.index && same(o.name, c.name))
    };
    columns
        .iter()
        .filter(|c| !twice(c))
        .filter(|c| !c.name.trim().is_empty() && c.profile.non_empty > 0)
        .filter(|c| c.profile.distinct <= 12)
        .filter_map(rule)
        .collect()
}

fn rule(col: &Column) -> Option<FilterRule> {
    let folded = names::fold(col.name);
    if OTHER_STATUS.iter().any(|w| folded.contains(w)) {
        return None;
    }
    let distinct = distinct(col);
    let lower: Vec<String> = distinct.iter().map(|v| fold_value(v)).collect();
    let status = STATUS_NAMES.iter().any(|w| folded.contains(w));
    // Magento's `closed` is a refunded order; elsewhere it may be a paid one.
    let magento_closed = lower.iter().any(|v| v == "complete");
    let skip = |v: &str| {
        NOT_SALES.contains(&v)
            || status && (NOT_YET.contains(&v) || v == "closed" && magento_closed)
    };
    let mut values: Vec<String> = distinct
        .iter()
        .zip(&lower)
        .filter(|(_, l)| skip(l))
        .map(|(v, _)| (*v).to_owned())
        .collect();
    let mut why = "rows that are not sales";
    if values.is_empty() && FLAG_NAMES.iter().any(|w| folded.contains(w)) {
        let flags = lower
            .iter()
            .all(|v| YES.contains(&v.as_str()) || NO.contains(&v.as_str()));
        if flags {
            values = distinct
                .iter()
                .zip(&lower)
                .filter(|(_, l)| YES.contains(&l.as_str()))
                .map(|(v, _)| (*v).to_owned())
                .collect();
            why = "its name says these rows are not sales";
        }
    }
    if values.is_empty() {
        return None;
    }
    let rows = col
        .values
        .iter()
        .filter(|v| values.iter().any(|s| s.eq_ignore_ascii_case(v.trim())))
        .count();
    Some(FilterRule {
        column: col.name.to_owned(),
        why: format!("{why}: {rows} of {} sampled rows", col.values.len()),
        values,
    })
}

/// The column's distinct non-empty values, in sample order.
fn distinct<'a>(col: &Column<'a>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in &col.values {
        let v = v.trim();
        if !v.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(v)) {
            out.push(v);
        }
    }
    out
}

/// Lower case without spaces or dashes: `On Hold` and `on-hold` agree.
fn fold_value(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
