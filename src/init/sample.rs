//! The part of an export `init` reads: the header and at most
//! [`SAMPLE_ROWS`] rows, so `init` takes the same time on a ten-million-row
//! export as on a small one. Cells are read the way the upload reads them:
//! a file that is not UTF-8 is read as Windows-1252 (and the mapping gets
//! `encoding`), and Excel's text guard (`'00123`, `="00123"`) is dropped.

use crate::source::Input;

/// How many rows `init` reads to judge the values.
pub const SAMPLE_ROWS: usize = 1000;

/// The header and the first rows of one export.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The input as given (`-` for stdin).
    pub name: String,
    pub delimiter: u8,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Why reading stopped before [`SAMPLE_ROWS`] and the end, if it did.
    pub read_error: Option<String>,
    /// `Some("windows-1252")` when a sampled cell is not UTF-8.
    pub encoding: Option<&'static str>,
}

impl Sample {
    /// Reads up to `limit` rows after the header. A record the csv reader
    /// cannot read ends the sample instead of the command: a guess from
    /// fewer rows is still worth writing.
    pub fn read(input: &mut Input, limit: usize) -> Sample {
        let mut raw: Vec<Vec<Vec<u8>>> = Vec::new();
        let mut record = crate::records::Record::new();
        let mut read_error = None;
        while raw.len() < limit {
            match input.reader.read_byte_record(&mut record) {
                Ok(true) => raw.push(record.iter().map(<[u8]>::to_vec).collect()),
                Ok(false) => break,
                Err(e) => {
                    read_error = Some(format!("row {}: {e}", raw.len() + 1));
                    break;
                }
            }
        }
        let utf8 = raw.iter().flatten().all(|f| std::str::from_utf8(f).is_ok());
        let decode = |f: &[u8]| {
            let text = if utf8 {
                String::from_utf8_lossy(f).into_owned()
            } else {
                windows_1252(f)
            };
            unguard(&text).to_owned()
        };
        Sample {
            name: input.name.clone(),
            delimiter: input.delimiter,
            header: input.header.clone(),
            rows: raw
                .iter()
                .map(|r| r.iter().map(|f| decode(f)).collect())
                .collect(),
            read_error,
            encoding: (!utf8).then_some("windows-1252"),
        }
    }
}

/// Windows-1252 bytes as text: Latin-1, except 0x80–0x9F (`€`, `‚`, `…`).
pub(super) fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

/// A cell without Excel's text guard: `'00123` (before a digit or `+`) and
/// `="00123"` read as `00123`, as the upload reads them.
pub(super) fn unguard(v: &str) -> &str {
    let t = v.trim();
    if let Some(rest) = t.strip_prefix('\'')
        && rest.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(')
    {
        return rest;
    }
    if let Some(inner) = t.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        return inner;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_and_windows_1252() {
        assert_eq!(unguard("'4001"), "4001");
        assert_eq!(unguard("'+41 44 555 01 01"), "+41 44 555 01 01");
        assert_eq!(unguard("=\"00123\""), "00123");
        assert_eq!(unguard("O'Brien"), "O'Brien");
        assert_eq!(windows_1252(b"Z\xfcrich \x80"), "Zürich €");
    }
}
