//! The mapping file (DESIGN.md 4.2): which column feeds which event field.
//!
//! Parsing is strict on purpose: a nightly job that silently ignores a
//! misspelt key uploads events without that key for months. Every error
//! names the file and the key, and a near miss gets a "did you mean".
//! [`Mapping::resolve`] then binds column names to indices for one input's
//! header, so the hot loop only ever indexes a record.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::normalize::{self, Field};
use crate::suggest::closest;

/// A mapping file that could not be used. Always names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read mapping file {path}: {source}; give --mapping FILE, or run `offconv init EXPORT.csv` to write one"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("mapping file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Columns that do not get hashed: sent trimmed, as given.
pub const PLAIN_KEYS: [&str; 7] = [
    "client_ip_address",
    "client_user_agent",
    "fbc",
    "fbp",
    "lead_id",
    "madid",
    "subscription_id",
];

/// Meta's `action_source` values.
pub const ACTION_SOURCES: [&str; 8] = [
    "physical_store",
    "phone_call",
    "email",
    "website",
    "app",
    "chat",
    "system_generated",
    "other",
];

/// One column or several (several become a list in `user_data`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Many(Vec<String>),
}

impl Columns {
    pub fn names(&self) -> &[String] {
        match self {
            Columns::One(one) => std::slice::from_ref(one),
            Columns::Many(many) => many,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvSection {
    pub delimiter: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSection {
    pub name: Option<String>,
    pub name_column: Option<String>,
    pub action_source: Option<String>,
    pub action_source_column: Option<String>,
    pub time_column: Option<String>,
    pub time_format: Option<String>,
    pub timezone: Option<String>,
    pub id_column: Option<String>,
    /// Line-item exports: consecutive rows with the same value here are
    /// one order, sent as one event with its `contents`.
    pub group_by: Option<String>,
}

/// `[contents]`: the columns of one line item (with `group_by`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentsSection {
    pub id_column: Option<String>,
    pub quantity_column: Option<String>,
    pub item_price_column: Option<String>,
    pub title_column: Option<String>,
    pub brand_column: Option<String>,
    pub category_column: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDataSection {
    pub value_column: Option<String>,
    pub currency: Option<String>,
    pub currency_column: Option<String>,
    pub order_id_column: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeSection {
    pub country_default: Option<String>,
    pub phone_region: Option<String>,
    #[serde(default = "yes")]
    pub hash_external_id: bool,
}

fn yes() -> bool {
    true
}

impl Default for NormalizeSection {
    fn default() -> Self {
        NormalizeSection {
            country_default: None,
            phone_region: None,
            hash_external_id: true,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    #[serde(default)]
    csv: CsvSection,
    #[serde(default)]
    event: EventSection,
    #[serde(default)]
    custom_data: CustomDataSection,
    #[serde(default)]
    user_data: BTreeMap<String, Columns>,
    #[serde(default)]
    normalize: NormalizeSection,
    contents: Option<ContentsSection>,
}

/// A parsed, checked mapping file, not yet bound to a header.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub path: PathBuf,
    pub delimiter: Option<u8>,
    pub event: EventSection,
    pub action_source: String,
    pub timezone: jiff::tz::TimeZone,
    pub custom_data: CustomDataSection,
    /// Hashed keys with their columns, in [`Field::ALL`] order.
    pub hashed: Vec<(Field, Vec<String>)>,
    /// Keys sent as given (`client_ip_address`, …) with their column.
    pub plain: Vec<(&'static str, String)>,
    pub normalize: NormalizeSection,
    /// Phone region checked at start-up; `None` without `phone_region`.
    pub options: normalize::Options,
    /// Two-letter lowercase country for rows without one.
    pub country_default: Option<String>,
    /// `[contents]`, present exactly when `[event] group_by` is.
    pub contents: Option<ContentsSection>,
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Mapping::parse(&text, path)
    }

    /// Checks a mapping given as text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Mapping, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        if text.trim().is_empty() {
            return Err(invalid(
                "the file is empty; `offconv init EXPORT.csv` writes a mapping from the export's header".into(),
            ));
        }
        let raw: RawMapping =
            toml::from_str(text).map_err(|e| invalid(explain_toml_error(&e, text)))?;

        let delimiter = match raw.csv.delimiter.as_deref() {
            None => None,
            Some("\\t") | Some("\t") | Some("tab") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => {
                return Err(invalid(format!(
                    "[csv] delimiter = {d:?}: give one ASCII character such as \",\", \";\", \"|\" or \"\\t\""
                )));
            }
        };

        let ev = &raw.event;
        match (&ev.name, &ev.name_column) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "[event] has both name and name_column: keep one".into(),
                ));
            }
            (Some(name), None) if name.trim().is_empty() => {
                return Err(invalid("[event] name is empty".into()));
            }
            _ => {}
        }
        if ev.time_column.is_none() {
            return Err(invalid(
                "[event] time_column is missing: every event needs the time of the sale (time_column = \"purchased_at\")".into(),
            ));
        }
        if ev.action_source.is_some() && ev.action_source_column.is_some() {
            return Err(invalid(
                "[event] has both action_source and action_source_column: keep one".into(),
            ));
        }
        let action_source = ev
            .action_source
            .clone()
            .unwrap_or_else(|| "physical_store".to_owned());
        if !ACTION_SOURCES.contains(&action_source.as_str()) {
            let hint = closest(&action_source, ACTION_SOURCES.iter().copied())
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            return Err(invalid(format!(
                "[event] action_source = {action_source:?} is not one Meta knows{hint}; use one of {}",
                ACTION_SOURCES.join(", ")
            )));
        }
        let timezone = match ev.timezone.as_deref() {
            None => jiff::tz::TimeZone::UTC,
            Some(name) => jiff::tz::TimeZone::get(name).map_err(|_| {
                invalid(format!(
                    "[event] timezone = {name:?} is not an IANA time zone (such as \"America/Chicago\" or \"Europe/Berlin\")"
                ))
            })?,
        };
        if let Some(fmt) = &ev.time_format
            && !fmt.contains('%')
        {
            return Err(invalid(format!(
                "[event] time_format = {fmt:?} has no % directive; use strftime, such as \"%m/%d/%Y %I:%M %p\""
            )));
        }

        match (&ev.group_by, &raw.contents) {
            (Some(_), None) => {
                return Err(invalid(
                    "[event] group_by needs a [contents] table with id_column, quantity_column and item_price_column".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "[contents] needs [event] group_by = \"<order id column>\": contents describe the line items of one order".into(),
                ));
            }
            (Some(_), Some(c)) => {
                for (key, col) in [
                    ("id_column", &c.id_column),
                    ("quantity_column", &c.quantity_column),
                    ("item_price_column", &c.item_price_column),
                ] {
                    if col.is_none() {
                        return Err(invalid(format!("[contents] {key} is missing")));
                    }
                }
            }
            (None, None) => {}
        }
        let cd = &raw.custom_data;
        if cd.currency.is_some() && cd.currency_column.is_some() {
            return Err(invalid(
                "[custom_data] has both currency and currency_column: keep one".into(),
            ));
        }
        if let Some(code) = &cd.currency
            && !crate::money::is_currency(&code.to_ascii_uppercase())
        {
            return Err(invalid(format!(
                "[custom_data] currency = {code:?} is not an ISO 4217 code (such as \"USD\", \"EUR\")"
            )));
        }
        for key in cd.columns.keys() {
            if RESERVED_CUSTOM_KEYS.contains(&key.as_str()) {
                return Err(invalid(format!(
                    "[custom_data] columns has the key {key:?}, which offconv fills itself; map it with {key}_column or pick another name"
                )));
            }
        }

        let mut hashed: Vec<(Field, Vec<String>)> = Vec::new();
        let mut plain = Vec::new();
        for (key, columns) in &raw.user_data {
            if columns.names().is_empty() {
                return Err(invalid(format!("[user_data] {key} lists no column")));
            }
            if let Some(field) = Field::from_key(key) {
                hashed.push((field, columns.names().to_vec()));
            } else if let Some(&plain_key) = PLAIN_KEYS.iter().find(|k| **k == key) {
                match columns {
                    Columns::One(col) => plain.push((plain_key, col.clone())),
                    Columns::Many(_) => {
                        return Err(invalid(format!(
                            "[user_data] {key} takes one column, not a list"
                        )));
                    }
                }
            } else {
                let known = Field::ALL
                    .iter()
                    .map(|f| f.key())
                    .chain(PLAIN_KEYS.iter().copied());
                let hint = closest(key, known)
                    .map(|c| format!("; did you mean {c}?"))
                    .unwrap_or_default();
                return Err(invalid(format!(
                    "[user_data] {key} is not a customer-information key Meta knows{hint} (known: em ph fn ln ge db ct st zp country external_id, and unhashed {})",
                    PLAIN_KEYS.join(" ")
                )));
            }
        }
        hashed.sort_by_key(|(f, _)| *f);
        if hashed.is_empty() && plain.is_empty() {
            return Err(invalid(
                "[user_data] maps no column: Meta needs at least one customer key (em = \"email\", ph = \"phone\", …) to match a sale".into(),
            ));
        }

        let norm = raw.normalize.clone();
        let country_default = match norm.country_default.as_deref() {
            None => None,
            Some(c) => {
                let mut out = String::new();
                match normalize::normalize(
                    Field::Country,
                    c,
                    &normalize::Options::default(),
                    &mut out,
                ) {
                    normalize::Outcome::Normalized => Some(out),
                    _ => {
                        return Err(invalid(format!(
                            "[normalize] country_default = {c:?} is not a country (use a two-letter code such as \"US\")"
                        )));
                    }
                }
            }
        };
        let options = normalize::Options {
            phone_region: match norm.phone_region.as_deref() {
                None => None,
                Some(r) => Some(r.parse::<normalize::PhoneRegion>().map_err(|_| {
                    invalid(format!(
                        "[normalize] phone_region = {r:?} is not a region libphonenumber knows (use a two-letter code such as \"US\" or \"GB\")"
                    ))
                })?),
            },
            hash_external_id: norm.hash_external_id,
        };

        Ok(Mapping {
            path: path.to_owned(),
            delimiter,
            event: raw.event.clone(),
            action_source,
            timezone,
            custom_data: raw.custom_data.clone(),
            hashed,
            plain,
            normalize: norm,
            options,
            country_default,
            contents: raw.contents.clone(),
        })
    }

    /// Every (key, column) the mapping reads, in a stable order, for
    /// checking them against a header.
    fn column_uses(&self) -> Vec<(String, &str)> {
        let mut uses: Vec<(String, &str)> = Vec::new();
        let ev = &self.event;
        fn push<'a>(uses: &mut Vec<(String, &'a str)>, key: &str, col: &'a Option<String>) {
            if let Some(col) = col {
                uses.push((key.to_owned(), col.as_str()));
            }
        }
        push(&mut uses, "[event] name_column", &ev.name_column);
        push(
            &mut uses,
            "[event] action_source_column",
            &ev.action_source_column,
        );
        push(&mut uses, "[event] time_column", &ev.time_column);
        push(&mut uses, "[event] id_column", &ev.id_column);
        push(&mut uses, "[event] group_by", &ev.group_by);
        if let Some(c) = &self.contents {
            push(&mut uses, "[contents] id_column", &c.id_column);
            push(&mut uses, "[contents] quantity_column", &c.quantity_column);
            push(
                &mut uses,
                "[contents] item_price_column",
                &c.item_price_column,
            );
            push(&mut uses, "[contents] title_column", &c.title_column);
            push(&mut uses, "[contents] brand_column", &c.brand_column);
            push(&mut uses, "[contents] category_column", &c.category_column);
        }
        let cd = &self.custom_data;
        push(&mut uses, "[custom_data] value_column", &cd.value_column);
        push(
            &mut uses,
            "[custom_data] currency_column",
            &cd.currency_column,
        );
        push(
            &mut uses,
            "[custom_data] order_id_column",
            &cd.order_id_column,
        );
        for (key, col) in &cd.columns {
            uses.push((format!("[custom_data] columns.{key}"), col.as_str()));
        }
        for (field, cols) in &self.hashed {
            for col in cols {
                uses.push((format!("[user_data] {}", field.key()), col.as_str()));
            }
        }
        for (key, col) in &self.plain {
            uses.push((format!("[user_data] {key}"), col.as_str()));
        }
        uses
    }

    /// Binds the mapping to one input's header. `input` names the input in
    /// errors.
    pub fn resolve(&self, header: &[String], input: &str) -> Result<Plan, ConfigError> {
        let mut missing = String::new();
        for (key, col) in self.column_uses() {
            if find_column(header, col).is_none() {
                let hint = closest(col, header.iter().map(String::as_str))
                    .filter(|c| crate::redact::quotable(header, c))
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                let _ = write!(
                    missing,
                    "\n  {key} = \"{col}\": {input} has no such column{hint}"
                );
            }
        }
        if !missing.is_empty() {
            return Err(ConfigError::Invalid {
                path: self.path.clone(),
                message: format!(
                    "columns missing from the header of {input}:{missing}\n  the header has: {}",
                    crate::redact::describe_header(header)
                ),
            });
        }
        let col = |c: &Option<String>| c.as_deref().and_then(|c| find_column(header, c));
        let ev = &self.event;
        let cd = &self.custom_data;
        Ok(Plan {
            width: header.len(),
            name_column: col(&ev.name_column),
            action_source_column: col(&ev.action_source_column),
            time_column: col(&ev.time_column).expect("checked above"),
            id_column: col(&ev.id_column),
            value_column: col(&cd.value_column),
            currency_column: col(&cd.currency_column),
            order_id_column: col(&cd.order_id_column),
            custom_columns: cd
                .columns
                .iter()
                .map(|(k, c)| (k.clone(), find_column(header, c).expect("checked above")))
                .collect(),
            hashed: self
                .hashed
                .iter()
                .map(|(f, cols)| {
                    (
                        *f,
                        cols.iter()
                            .map(|c| find_column(header, c).expect("checked above"))
                            .collect(),
                    )
                })
                .collect(),
            plain: self
                .plain
                .iter()
                .map(|(k, c)| (*k, find_column(header, c).expect("checked above")))
                .collect(),
            group_by: col(&ev.group_by),
            contents: self.contents.as_ref().map(|c| ContentsPlan {
                id: col(&c.id_column).expect("checked above"),
                quantity: col(&c.quantity_column).expect("checked above"),
                item_price: col(&c.item_price_column).expect("checked above"),
                title: col(&c.title_column),
                brand: col(&c.brand_column),
                category: col(&c.category_column),
            }),
            header: header.to_vec(),
        })
    }
}

const RESERVED_CUSTOM_KEYS: [&str; 7] = [
    "value",
    "currency",
    "order_id",
    "contents",
    "content_ids",
    "content_type",
    "num_items",
];

/// Exact match first, then one that differs only in case and surrounding
/// spaces: exports from spreadsheets often carry `Email ` or `EMAIL`.
fn find_column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h == name).or_else(|| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    })
}

/// A mapping bound to one header: column indices only.
#[derive(Debug, Clone)]
pub struct Plan {
    pub header: Vec<String>,
    pub width: usize,
    pub name_column: Option<usize>,
    pub action_source_column: Option<usize>,
    pub time_column: usize,
    pub id_column: Option<usize>,
    pub value_column: Option<usize>,
    pub currency_column: Option<usize>,
    pub order_id_column: Option<usize>,
    pub custom_columns: Vec<(String, usize)>,
    pub hashed: Vec<(Field, Vec<usize>)>,
    pub plain: Vec<(&'static str, usize)>,
    /// Line items: the order column and the item columns.
    pub group_by: Option<usize>,
    pub contents: Option<ContentsPlan>,
}

/// `[contents]` bound to a header.
#[derive(Debug, Clone)]
pub struct ContentsPlan {
    pub id: usize,
    pub quantity: usize,
    pub item_price: usize,
    pub title: Option<usize>,
    pub brand: Option<usize>,
    pub category: Option<usize>,
}

impl Plan {
    /// The header name of column `index`, for messages.
    pub fn column_name(&self, index: usize) -> &str {
        self.header.get(index).map(String::as_str).unwrap_or("?")
    }
}

/// Turns toml/serde's message into one that names the key and, for an
/// unknown key, the closest known one.
fn explain_toml_error(err: &toml::de::Error, text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Mapping, ConfigError> {
        Mapping::parse(text, Path::new("m.toml"))
    }

    const BASE: &str = r#"
[event]
time_column = "t"
[user_data]
em = "email"
"#;

    #[test]
    fn minimal_mapping_defaults() {
        let m = parse(BASE).unwrap();
        assert_eq!(m.action_source, "physical_store");
        assert_eq!(m.hashed, vec![(Field::Em, vec!["email".to_owned()])]);
    }

    #[test]
    fn unknown_key_suggests_closest() {
        let err = parse("[event]\ntime_colum = \"t\"\n[user_data]\nem = \"e\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.toml"), "{err}");
        assert!(err.contains("time_colum"), "{err}");
        assert!(err.contains("did you mean `time_column`"), "{err}");
    }

    #[test]
    fn unknown_user_data_key_is_an_error() {
        let err = parse("[event]\ntime_column = \"t\"\n[user_data]\nemail = \"e\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[user_data] email"), "{err}");
        assert!(err.contains("did you mean em"), "{err}");
    }

    #[test]
    fn missing_time_column_and_keys() {
        let err = parse("[user_data]\nem = \"e\"\n").unwrap_err().to_string();
        assert!(err.contains("time_column is missing"), "{err}");
        let err = parse("[event]\ntime_column = \"t\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("maps no column"), "{err}");
    }

    #[test]
    fn resolve_names_missing_column_and_closest() {
        let m = parse(BASE).unwrap();
        let header = vec!["t".to_owned(), "e_mail".to_owned()];
        let err = m.resolve(&header, "in.csv").unwrap_err().to_string();
        assert!(err.contains("[user_data] em = \"email\""), "{err}");
        assert!(err.contains("did you mean \"e_mail\""), "{err}");
        let header = vec!["T".to_owned(), "Email ".to_owned()];
        let plan = m.resolve(&header, "in.csv").unwrap();
        assert_eq!(plan.time_column, 0);
        assert_eq!(plan.hashed, vec![(Field::Em, vec![1])]);
    }

    #[test]
    fn bad_values_are_named() {
        let err = parse(&format!("{BASE}[normalize]\nphone_region = \"ZZ\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("phone_region"), "{err}");
        let err = parse(&BASE.replace("[event]", "[event]\ntimezone = \"Mars/Base\""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("timezone"), "{err}");
        let err = parse(&format!("{BASE}[custom_data]\ncurrency = \"XYZ\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("ISO 4217"), "{err}");
    }
}
