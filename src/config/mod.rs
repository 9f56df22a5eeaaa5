//! The mapping file (DESIGN.md 4.2 and 6): which column feeds which event
//! field, a file per section.
//!
//! Parsing is strict on purpose: a nightly job that silently ignores a
//! misspelt key uploads events without that key for months. Every error
//! names the file and the key, and a near miss gets a "did you mean".
//! [`Mapping::resolve`] (in `plan`) then binds column names to indices for
//! one input's header, so the hot loop only ever indexes a record.

mod columns;
mod contents;
mod csv;
mod custom_data;
mod event;
mod filter;
mod ldu;
mod normalize;
mod plan;
mod toml_error;
mod user_data;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use contents::ContentsSection;
pub use csv::CsvSection;
pub use custom_data::CustomDataSection;
pub use event::{ACTION_SOURCES, EventSection};
pub use filter::{FilterPlan, FilterRule, FilterSection};
pub use ldu::{LDU, Ldu};
pub use normalize::NormalizeSection;
pub use plan::{ContentsPlan, Plan};
pub use user_data::{Columns, FULL_NAME, PLAIN_KEYS};

use crate::normalize::{Field, Options};

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
    #[serde(default)]
    filter: FilterSection,
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
    /// `[user_data] full_name`: whole names, split into `fn` and `ln` for
    /// rows whose own `fn` / `ln` columns give none.
    pub full_name: Option<String>,
    pub normalize: NormalizeSection,
    /// Phone region checked at start-up; `None` without `phone_region`.
    pub options: Options,
    /// Two-letter lowercase country for rows without one.
    pub country_default: Option<String>,
    /// `[contents]`, present exactly when `[event] group_by` is.
    pub contents: Option<ContentsSection>,
    /// `[filter]`: rows left out (`skipped` / `filtered`).
    pub filter: FilterSection,
    /// Limited Data Use, when some event can be under it.
    pub ldu: Option<Ldu>,
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
            toml::from_str(text).map_err(|e| invalid(toml_error::explain_toml_error(&e, text)))?;
        Mapping::check(raw, path).map_err(invalid)
    }

    /// Each section's checks, in the order of the file.
    fn check(raw: RawMapping, path: &Path) -> Result<Mapping, String> {
        let delimiter = raw.csv.delimiter_byte()?;
        let event = raw.event.check()?;
        let ldu = ldu::check(&raw.event)?;
        contents::check(raw.event.group_by.as_ref(), raw.contents.as_ref())?;
        raw.custom_data.check()?;
        raw.filter.check()?;
        let user_data::UserKeys {
            hashed,
            plain,
            full_name,
        } = user_data::check(&raw.user_data)?;
        let country_default = raw.normalize.country_default()?;
        let options = raw.normalize.options()?;
        Ok(Mapping {
            path: path.to_owned(),
            delimiter,
            event: raw.event,
            action_source: event.action_source,
            timezone: event.timezone,
            custom_data: raw.custom_data,
            hashed,
            plain,
            full_name,
            normalize: raw.normalize,
            options,
            country_default,
            contents: raw.contents,
            filter: raw.filter,
            ldu,
        })
    }
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
