//! `[csv]`: how the file is cut into records (the delimiter).

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvSection {
    pub delimiter: Option<String>,
}

impl CsvSection {
    /// The delimiter as one byte; `None` = detect it from the header.
    pub(super) fn delimiter_byte(&self) -> Result<Option<u8>, String> {
        match self.delimiter.as_deref() {
            None => Ok(None),
            Some("\\t") | Some("\t") | Some("tab") => Ok(Some(b'\t')),
            Some(d) if d.len() == 1 && d.is_ascii() => Ok(Some(d.as_bytes()[0])),
            Some(d) => Err(format!(
                "[csv] delimiter = {d:?}: give one ASCII character such as \",\", \";\", \"|\" or \"\\t\""
            )),
        }
    }
}
