//! `[csv]`: how the file is cut into records (the delimiter) and how its
//! bytes are text (the encoding).

use serde::Deserialize;

/// An encoding named by a WHATWG label (`windows-1252`, `latin1`,
/// `utf-16le`, `shift_jis`, ...).
pub type Encoding = &'static encoding_rs::Encoding;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvSection {
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
}

/// Labels named in the error for one that is not known.
const COMMON_LABELS: [&str; 8] = [
    "utf-8",
    "windows-1252",
    "iso-8859-1",
    "iso-8859-15",
    "utf-16le",
    "utf-16be",
    "shift_jis",
    "gbk",
];

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

    /// The encoding to decode the input from; `None` for UTF-8 (read as
    /// it is). A UTF-8 or UTF-16 byte order mark overrides it.
    pub(super) fn encoding(&self) -> Result<Option<Encoding>, String> {
        let Some(label) = self.encoding.as_deref() else {
            return Ok(None);
        };
        match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(enc) if enc == encoding_rs::UTF_8 => Ok(None),
            // The label of encodings that decode to one U+FFFD.
            Some(enc) if enc == encoding_rs::REPLACEMENT => Err(format!(
                "[csv] encoding = {label:?}: an encoding the WHATWG Encoding Standard does not decode (it stands for a U+FFFD); name the file's real encoding"
            )),
            Some(enc) => Ok(Some(enc)),
            None => {
                let hint = crate::suggest::closest(label, COMMON_LABELS.iter().copied())
                    .map(|c| format!(" (did you mean {c:?}?)"))
                    .unwrap_or_default();
                Err(format!(
                    "[csv] encoding = {label:?}: not an encoding label of the WHATWG Encoding Standard{hint}; such as {}",
                    COMMON_LABELS.map(|l| format!("{l:?}")).join(", ")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(label: &str) -> Result<Option<Encoding>, String> {
        CsvSection {
            delimiter: None,
            encoding: Some(label.to_owned()),
        }
        .encoding()
    }

    #[test]
    fn labels() {
        assert_eq!(enc("utf-8").unwrap(), None);
        assert_eq!(enc("UTF8").unwrap(), None);
        assert_eq!(
            enc("windows-1252").unwrap(),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(enc("latin1").unwrap(), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(enc(" utf-16le ").unwrap(), Some(encoding_rs::UTF_16LE));
        let err = enc("windows-1525").unwrap_err();
        assert!(
            err.contains("[csv] encoding") && err.contains("did you mean \"windows-1252\""),
            "{err}"
        );
        assert!(enc("iso-2022-kr").unwrap_err().contains("does not decode"));
    }
}
