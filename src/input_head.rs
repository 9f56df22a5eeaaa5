//! The first bytes of an input, read before any row: the header line,
//! Excel's `sep=;` line before it, and the first rows as a sample (the
//! start-up checks judge columns by them, [`crate::pii_columns`]). What
//! is read here is handed on to the CSV reader unchanged, so nothing is
//! consumed twice.

use std::io::{self, Read};

/// How far the header line is looked for.
pub const SNIFF_LIMIT: usize = 1 << 20;
/// The sample after the header: at most this many bytes …
pub const SAMPLE_BYTES: usize = 64 << 10;
/// … and this many line breaks.
pub const SAMPLE_ROWS: usize = 100;

/// What was read of an input's start.
pub struct Head {
    pub bytes: Vec<u8>,
    /// The input ended within `bytes`: the last sampled row is complete.
    pub eof: bool,
    /// Reading on after the header line failed: what the rows after
    /// `bytes` get instead of the stream.
    pub failed: Option<io::Error>,
}

/// A stream that failed: every read fails the same way.
pub struct Failed(pub io::Error);

impl Read for Failed {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(self.0.kind(), self.0.to_string()))
    }
}

/// Reads the header line and the sample after it (or to the end, or to
/// [`SNIFF_LIMIT`] without a header line).
pub fn read(stream: &mut dyn Read) -> io::Result<Head> {
    let mut bytes = Vec::with_capacity(8192);
    let mut buf = [0u8; 8192];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if has_header(&bytes) => {
                return Ok(Head {
                    bytes,
                    eof: false,
                    failed: Some(e),
                });
            }
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(Head {
                bytes,
                eof: true,
                failed: None,
            });
        }
        bytes.extend_from_slice(&buf[..n]);
        if enough(&bytes) {
            return Ok(Head {
                bytes,
                eof: false,
                failed: None,
            });
        }
    }
}

/// Whether `bytes` hold the whole header line.
fn has_header(bytes: &[u8]) -> bool {
    let (start, _) = preamble(bytes);
    let rest = &bytes[start.min(bytes.len())..];
    first_line(rest).len() < rest.len()
}

/// Whether `bytes` hold the header line and a full sample after it.
fn enough(bytes: &[u8]) -> bool {
    let (start, _) = preamble(bytes);
    let rest = &bytes[start.min(bytes.len())..];
    let header = first_line(rest).len();
    if header == rest.len() {
        return bytes.len() >= SNIFF_LIMIT;
    }
    let sample = &rest[header..];
    sample.len() >= SAMPLE_BYTES || sample.iter().filter(|b| **b == b'\n').count() > SAMPLE_ROWS
}

/// Where the header line starts (after a UTF-8 BOM and Excel's `sep=`
/// line, when there are), and the delimiter the `sep=` line names.
pub fn preamble(bytes: &[u8]) -> (usize, Option<u8>) {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match excel_sep(&bytes[bom..]) {
        Some((sep, len)) => (bom + len, Some(sep)),
        None => (bom, None),
    }
}

/// Excel's first line `sep=;` (also quoted, `"sep=;"`, and in any case):
/// the delimiter it names and the bytes the line takes with its line
/// break. Only a line break after it makes it one: a file that is only
/// `sep=,` has no header.
pub fn excel_sep(bytes: &[u8]) -> Option<(u8, usize)> {
    let line = first_line(bytes);
    let end = line.len();
    let text = line.strip_suffix(b"\r").unwrap_or(line);
    let text = text
        .strip_prefix(b"\"")
        .and_then(|t| t.strip_suffix(b"\""))
        .unwrap_or(text);
    let [s, e, p, b'=', d] = text else {
        return None;
    };
    if ![*s, *e, *p].eq_ignore_ascii_case(b"sep")
        || d.is_ascii_alphanumeric()
        || matches!(d, b'"' | b'\r' | b'\n')
    {
        return None;
    }
    let lf = match bytes.get(end) {
        Some(b'\n') => 1,
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => 2,
        Some(b'\r') => 1,
        _ => return None,
    };
    Some((*d, end + lf))
}

/// The bytes before the first line break that is not inside quotes.
pub fn first_line(bytes: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return &bytes[..i],
            _ => {}
        }
    }
    bytes
}

/// Whether the header line is nothing but NUL bytes (and whitespace):
/// a file of zeros (a crash left it so, a disk image), not an export.
pub fn nul_only(line: &[u8]) -> bool {
    line.contains(&0) && line.iter().all(|b| *b == 0 || b.is_ascii_whitespace())
}

/// The records after the header line in `from_header` (bytes from the
/// header line on), complete ones only: without `eof` the last one may
/// be cut.
/// They are read as the run reads them ([`crate::records`]).
pub fn sample(from_header: &[u8], delimiter: u8, eof: bool) -> Vec<crate::records::Record> {
    let mut reader = crate::records::Records::new(from_header, delimiter);
    let mut rows = Vec::new();
    let mut record = crate::records::Record::new();
    // The header first: not a sample row.
    let mut header = true;
    while rows.len() < SAMPLE_ROWS {
        match reader.read_byte_record(&mut record) {
            Ok(true) if header => header = false,
            Ok(true) => rows.push(record.clone()),
            Ok(false) | Err(_) => break,
        }
    }
    if !eof && rows.len() < SAMPLE_ROWS {
        rows.pop();
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_sep_line() {
        assert_eq!(excel_sep(b"sep=;\r\na;b\r\n"), Some((b';', 7)));
        assert_eq!(excel_sep(b"SEP=,\na,b\n"), Some((b',', 6)));
        assert_eq!(excel_sep(b"\"sep=|\"\na|b\n"), Some((b'|', 8)));
        assert_eq!(excel_sep(b"sep=\t\na\tb\n"), Some((b'\t', 6)));
        assert_eq!(excel_sep(b"sep=,"), None);
        assert_eq!(excel_sep(b"sep,b\n1,2\n"), None);
        assert_eq!(excel_sep(b"sep=a\n"), None);
        assert_eq!(preamble(b"\xEF\xBB\xBFsep=;\na;b\n"), (9, Some(b';')));
        assert_eq!(preamble(b"a,b\n"), (0, None));
    }

    #[test]
    fn the_sample_holds_complete_rows_only() {
        let rows = sample(b"a,b\n1,2\n3,4\n5,", b',', false);
        assert_eq!(rows.len(), 2);
        let rows = sample(b"a,b\n1,2\n3,4\n5,", b',', true);
        assert_eq!(rows.len(), 3);
        let head = read(&mut &b"a,b\n1,2\n"[..]).unwrap();
        assert!(head.eof);
        assert!(nul_only(b"\0\0\0 \0"));
        assert!(!nul_only(b"a\0b"));
        assert!(!nul_only(b""));
    }
}
