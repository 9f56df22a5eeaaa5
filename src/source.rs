//! Inputs: files or stdin, plain, gzip or zstd by ending; BOM, encoding
//! ([`crate::decode`]), delimiter detection and the header. Every CSV reader
//! of the program is made here, so delimiter, compression, encoding and
//! stdin handling live in one place.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How an input's bytes are read as CSV: the mapping's `[csv]` section.
#[derive(Debug, Clone, Copy, Default)]
pub struct Format {
    /// `None`: detected from the header.
    pub delimiter: Option<u8>,
    /// `None`: UTF-8. A byte order mark overrides it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl Format {
    /// A format with this delimiter (or detection) and UTF-8.
    pub fn delimited(delimiter: Option<u8>) -> Format {
        Format {
            delimiter,
            encoding: None,
        }
    }
}

/// An input that could not be opened or has no usable header.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot open {name}: {source}")]
    Open { name: String, source: io::Error },
    #[error("cannot read {name}: {source}")]
    Read { name: String, source: io::Error },
    #[error("{name} is empty: expected a header line with column names")]
    Empty { name: String },
    #[error("{name}: the header line is not valid CSV: {message}")]
    BadHeader { name: String, message: String },
    #[error(
        "{name}: the first line holds only NUL bytes ({count} of them), no column names: the file is zeros, not an export (cut off by a crash, or not the file meant); export it again"
    )]
    NulHeader { name: String, count: usize },
    #[error(
        "{name}: its first line `sep={sep}` (Excel's delimiter line) names another delimiter than [csv] delimiter = {given:?} in the mapping; remove one of them"
    )]
    SepConflict {
        name: String,
        sep: char,
        given: char,
    },
    #[error(
        "{first} and {second} are the same file: its rows would be read and sent twice; name it once"
    )]
    SameFile { first: String, second: String },
    #[error(
        "stdin (-) is given more than once: stdin can be read once; give the other inputs as files"
    )]
    StdinTwice,
    #[error("{name} is a directory: give the export files in it, such as {name}/*.csv")]
    Directory { name: String },
    #[error(
        "{name} is not {format} data, though its name ends in {ending}: recompress it, or rename it without {ending}"
    )]
    NotCompressed {
        name: String,
        format: &'static str,
        ending: &'static str,
    },
}

/// The candidates for delimiter detection, most common first (wins ties).
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub type RecordReader = crate::records::Records<Box<dyn Read + Send>>;

/// An opened input, positioned after its header.
pub struct Input {
    /// The name as given on the command line (`-` for stdin); the report's
    /// `file` column.
    pub name: String,
    pub path: Option<PathBuf>,
    pub delimiter: u8,
    pub header: Vec<String>,
    /// The first records after the header, read ahead (they are still
    /// in `reader`): what the start-up checks judge columns by.
    pub sample: Vec<crate::records::Record>,
    /// Lines before the header that are not CSV (Excel's `sep=` line):
    /// line numbers in messages count them.
    pub lines_before_header: u64,
    pub reader: RecordReader,
    /// For a decoded input, the raw bytes read so far (the parser's
    /// position counts decoded bytes).
    raw_read: Option<Arc<AtomicU64>>,
}

impl Input {
    /// Bytes of the input read so far, for the progress line's share.
    pub fn bytes_read(&self) -> u64 {
        match &self.raw_read {
            Some(n) => n.load(Ordering::Relaxed),
            None => self.reader.position().byte(),
        }
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("delimiter", &(self.delimiter as char))
            .field("header", &self.header)
            .finish()
    }
}

/// Opens every input in turn, failing on the first that cannot be used:
/// all headers are known before a single row is read.
pub fn open_all(specs: &[String], format: Format) -> Result<Vec<Input>, InputError> {
    open_all_hashed(specs, format, None)
}

/// [`open_all`], each raw stream (below decompression) hashed into
/// `hashes` for `--resume` ([`crate::input_hash`]).
pub fn open_all_hashed(
    specs: &[String],
    format: Format,
    hashes: Option<&std::sync::Arc<crate::input_hash::ReadHashes>>,
) -> Result<Vec<Input>, InputError> {
    if specs.iter().filter(|s| *s == "-").count() > 1 {
        return Err(InputError::StdinTwice);
    }
    if let Some((first, second)) = crate::same_file::first_repeat(specs) {
        return Err(InputError::SameFile { first, second });
    }
    specs
        .iter()
        .map(|s| open_hashed(s, format, hashes))
        .collect()
}

/// Opens one input (`-` is stdin), detects the delimiter unless one is
/// given, and reads the header.
pub fn open(spec: &str, delimiter: Option<u8>) -> Result<Input, InputError> {
    open_hashed(spec, Format::delimited(delimiter), None)
}

/// [`open`] with the mapping's whole `[csv]` format.
pub fn open_as(spec: &str, format: Format) -> Result<Input, InputError> {
    open_hashed(spec, format, None)
}

fn open_hashed(
    spec: &str,
    format: Format,
    hashes: Option<&std::sync::Arc<crate::input_hash::ReadHashes>>,
) -> Result<Input, InputError> {
    let name = spec.to_owned();
    let (raw, path): (Box<dyn Read + Send>, Option<PathBuf>) = if spec == "-" {
        (Box::new(io::stdin()), None)
    } else {
        if std::fs::metadata(spec).is_ok_and(|m| m.is_dir()) {
            return Err(InputError::Directory { name });
        }
        let file = File::open(spec).map_err(|source| InputError::Open {
            name: name.clone(),
            source,
        })?;
        let watched = crate::growth::GrowthWatch::new(file, spec);
        (Box::new(watched), Some(PathBuf::from(spec)))
    };
    let raw = match hashes {
        Some(h) => h.wrap(spec, raw),
        None => raw,
    };
    let lower = spec.to_ascii_lowercase();
    let decoded: Box<dyn Read + Send> = if lower.ends_with(".gz") {
        Box::new(crate::compressed::GzMembers::new(
            spec,
            io::BufReader::with_capacity(1 << 16, raw),
        ))
    } else if lower.ends_with(".zst") || lower.ends_with(".zstd") {
        Box::new(crate::compressed::ZstdWords(
            zstd::stream::read::Decoder::new(raw).map_err(|source| InputError::Open {
                name: name.clone(),
                source,
            })?,
        ))
    } else {
        raw
    };
    let compression = if lower.ends_with(".gz") {
        Some(("gzip", ".gz"))
    } else if lower.ends_with(".zst") || lower.ends_with(".zstd") {
        Some(("zstd", ".zst"))
    } else {
        None
    };
    match from_stream(name.clone(), path, decoded, format) {
        // A decoder that fails on the first bytes: the file is not what its
        // name says (unless it starts as one: then it is cut or damaged).
        Err(InputError::Read { source, .. })
            if compression.is_some()
                && !crate::compressed::starts_compressed(spec)
                && matches!(
                    source.kind(),
                    io::ErrorKind::InvalidInput
                        | io::ErrorKind::InvalidData
                        | io::ErrorKind::UnexpectedEof
                        | io::ErrorKind::Other
                ) =>
        {
            let (format, ending) = compression.expect("checked");
            Err(InputError::NotCompressed {
                name,
                format,
                ending,
            })
        }
        other => other,
    }
}

/// Builds an [`Input`] over any byte stream (tests use this directly).
pub fn from_reader(
    name: String,
    path: Option<PathBuf>,
    stream: Box<dyn Read + Send>,
    delimiter: Option<u8>,
) -> Result<Input, InputError> {
    from_stream(name, path, stream, Format::delimited(delimiter))
}

/// [`from_reader`] with the whole format: the stream is decoded to UTF-8
/// first when a byte order mark or `format.encoding` says it is not UTF-8
/// ([`crate::decode`]); a UTF-8 stream is read as it is.
pub fn from_stream(
    name: String,
    path: Option<PathBuf>,
    mut stream: Box<dyn Read + Send>,
    format: Format,
) -> Result<Input, InputError> {
    let mut mark = Vec::with_capacity(3);
    (&mut stream)
        .take(3)
        .read_to_end(&mut mark)
        .map_err(|source| InputError::Read {
            name: name.clone(),
            source,
        })?;
    let (encoding, bom) = crate::decode::sniff(&mark, format.encoding);
    let (stream, raw_read): (Box<dyn Read + Send>, _) = match encoding {
        // UTF-8: its mark is left for the header's preamble to skip.
        None => (Box::new(Cursor::new(mark).chain(stream)), None),
        Some(enc) => {
            let rest = Cursor::new(mark.split_off(bom)).chain(stream);
            let decoded = crate::decode::Decoded::new(rest, enc);
            let counter = decoded.raw_read();
            (Box::new(decoded), Some(counter))
        }
    };
    let mut input = from_utf8(name, path, stream, format.delimiter)?;
    input.raw_read = raw_read;
    Ok(input)
}

/// [`from_stream`] once the stream is UTF-8.
fn from_utf8(
    name: String,
    path: Option<PathBuf>,
    mut stream: Box<dyn Read + Send>,
    delimiter: Option<u8>,
) -> Result<Input, InputError> {
    let head = crate::input_head::read(&mut stream).map_err(|source| InputError::Read {
        name: name.clone(),
        source,
    })?;
    let (start, sep) = crate::input_head::preamble(&head.bytes);
    let from_header = &head.bytes[start..];
    let first_line = crate::input_head::first_line(from_header);
    if crate::input_head::nul_only(first_line) {
        let count = first_line.iter().filter(|b| **b == 0).count();
        return Err(InputError::NulHeader { name, count });
    }
    if first_line.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty { name });
    }
    let delimiter = match (delimiter, sep) {
        (Some(given), Some(sep)) if given != sep => {
            return Err(InputError::SepConflict {
                name,
                sep: char::from(sep),
                given: char::from(given),
            });
        }
        (Some(given), _) => given,
        (None, Some(sep)) => sep,
        (None, None) => detect_delimiter(first_line),
    };
    let sample = crate::input_head::sample(from_header, delimiter, head.eof);
    // Fields and records bounded, so no input can exhaust memory.
    // A read that failed after the header (a stream cut off within the
    // sample) fails again where the rows reach it.
    let stream: Box<dyn Read + Send> = match head.failed {
        Some(e) => Box::new(crate::input_head::Failed(e)),
        None => stream,
    };
    let mut rest: Box<dyn Read + Send> = Box::new(crate::limits::Limited::new(
        Cursor::new(head.bytes).chain(stream),
        delimiter,
    ));
    if start > 0 {
        // The BOM and Excel's `sep=` line are not CSV.
        io::copy(&mut (&mut rest).take(start as u64), &mut io::sink()).map_err(|source| {
            InputError::Read {
                name: name.clone(),
                source,
            }
        })?;
    }
    let mut reader = crate::records::Records::new(rest, delimiter);
    let mut header = crate::records::Record::new();
    reader
        .read_byte_record(&mut header)
        .map_err(|e| InputError::BadHeader {
            name: name.clone(),
            message: e.to_string(),
        })?;
    let header = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_owned())
        .collect();
    Ok(Input {
        name,
        path,
        delimiter,
        header,
        sample,
        lines_before_header: u64::from(sep.is_some()),
        reader,
        raw_read: None,
    })
}

/// The candidate that occurs most often outside quotes in the header.
fn detect_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|d| *d == b) {
            counts[i] += 1;
        }
    }
    let (best, count) = counts
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .expect("non-empty");
    if *count == 0 { b',' } else { DELIMITERS[best] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &'static [u8]) -> Input {
        from_reader("t.csv".into(), None, Box::new(bytes), None).unwrap()
    }

    #[test]
    fn detects_delimiters_and_strips_bom() {
        let i = input(b"\xEF\xBB\xBFa;b;c\r\n1;2;3\r\n");
        assert_eq!(i.delimiter, b';');
        assert_eq!(i.header, ["a", "b", "c"]);
        assert_eq!(input(b"a\tb\n1\t2\n").delimiter, b'\t');
        assert_eq!(input(b"a|b\n").delimiter, b'|');
        assert_eq!(input(b"\"x;y\",b\n").delimiter, b',');
        assert_eq!(input(b"single\n1\n").delimiter, b',');
    }

    #[test]
    fn reads_records_after_header() {
        let mut i = input(b"a,b\n\"multi\nline\",2\n3,4");
        let mut rec = crate::records::Record::new();
        assert!(i.reader.read_byte_record(&mut rec).unwrap());
        assert_eq!(&rec[0], b"multi\nline");
        assert!(i.reader.read_byte_record(&mut rec).unwrap());
        assert_eq!(&rec[1], b"4");
        assert!(!i.reader.read_byte_record(&mut rec).unwrap());
    }

    fn records(mut i: Input) -> Vec<Vec<String>> {
        let mut rec = crate::records::Record::new();
        let mut out = Vec::new();
        while i.reader.read_byte_record(&mut rec).unwrap() {
            out.push(
                rec.iter()
                    .map(|f| String::from_utf8(f.to_vec()).unwrap())
                    .collect(),
            );
        }
        out
    }

    #[test]
    fn a_utf16_byte_order_mark_is_decoded_without_a_key() {
        // Excel's "Unicode Text": UTF-16LE with a mark, tab-separated.
        let text = "Name\tStadt\r\nZoë\tZürich\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let i = from_reader("u.txt".into(), None, Box::new(Cursor::new(bytes)), None).unwrap();
        assert_eq!(i.delimiter, b'\t');
        assert_eq!(i.header, ["Name", "Stadt"]);
        assert_eq!(records(i), [["Zoë", "Zürich"]]);
    }

    #[test]
    fn a_configured_encoding_is_decoded_and_a_bom_overrides_it() {
        let format = Format {
            delimiter: None,
            encoding: Some(encoding_rs::WINDOWS_1252),
        };
        let bytes: &'static [u8] = b"W\xe4hrung;Stadt\nEUR;Z\xfcrich \x80\n";
        let i = from_stream("w.csv".into(), None, Box::new(bytes), format).unwrap();
        assert_eq!(i.header, ["Währung", "Stadt"]);
        assert_eq!(records(i), [["EUR", "Zürich €"]]);
        // A UTF-8 mark wins over the mapping: read as UTF-8, not decoded.
        let bytes: &'static [u8] = "\u{feff}Stadt\nZürich\n".as_bytes();
        let i = from_stream("u.csv".into(), None, Box::new(bytes), format).unwrap();
        assert_eq!(i.header, ["Stadt"]);
        assert_eq!(records(i), [["Zürich"]]);
    }

    #[test]
    fn a_compressed_input_is_decompressed_then_decoded() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.csv.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"Stadt\nZ\xfcrich\n").unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let format = Format {
            delimiter: None,
            encoding: Some(encoding_rs::WINDOWS_1252),
        };
        let i = open_as(path.to_str().unwrap(), format).unwrap();
        assert_eq!(records(i), [["Zürich"]]);
    }

    #[test]
    fn empty_input_is_an_error() {
        let err = from_reader("e.csv".into(), None, Box::new(&b""[..]), None).unwrap_err();
        assert!(err.to_string().contains("e.csv is empty"));
    }
}
