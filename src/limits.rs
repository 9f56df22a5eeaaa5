//! Bounded memory on any input: at most [`MAX_FIELD`] (1 MiB) per field
//! and [`MAX_RECORD`] (16 MiB) per record, the header included. Without
//! a bound, a first line that never ends (`/dev/zero`) or a quote that is
//! never closed makes the CSV parser grow one record until memory runs
//! out.
//!
//! [`Limited`] sits between the decoded stream and the CSV parser and
//! follows the CSV structure as the parser does (a quote opens a field
//! only at its start, `""` inside quotes is a quote, a delimiter or line
//! break outside quotes ends a field), counting the bytes of the current
//! field and record. Past a limit the read fails with an error that says
//! which limit, never echoing the input; the caller names the file and the
//! row.

use std::io::{self, Read};

/// The longest field offconv reads.
pub const MAX_FIELD: u64 = 1 << 20;
/// The longest record offconv reads.
pub const MAX_RECORD: u64 = 16 << 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    Start,
    /// In a field that did not open with a quote.
    Bare,
    /// Inside quotes.
    Quoted,
    /// A quote inside quotes: `""` (a quote) or the end of the quotes.
    QuoteInQuoted,
}

/// A stream whose fields and records are bounded.
pub struct Limited<R> {
    inner: R,
    delimiter: u8,
    state: State,
    field: u64,
    record: u64,
}

impl<R: Read> Limited<R> {
    pub fn new(inner: R, delimiter: u8) -> Limited<R> {
        Limited {
            inner,
            delimiter,
            state: State::Start,
            field: 0,
            record: 0,
        }
    }

    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        let (d, mut state, mut field, mut record) =
            (self.delimiter, self.state, self.field, self.record);
        for &b in bytes {
            field += 1;
            record += 1;
            let end_field = b == d;
            let end_record = b == b'\n' || b == b'\r';
            state = match state {
                State::Quoted => {
                    if b == b'"' {
                        State::QuoteInQuoted
                    } else {
                        State::Quoted
                    }
                }
                State::QuoteInQuoted if b == b'"' => State::Quoted,
                _ if end_field || end_record => {
                    field = 0;
                    if end_record {
                        record = 0;
                    }
                    State::Start
                }
                State::Start if b == b'"' => State::Quoted,
                _ => State::Bare,
            };
            if field > MAX_FIELD || record > MAX_RECORD {
                return Err(too_long(field > MAX_FIELD));
            }
        }
        (self.state, self.field, self.record) = (state, field, record);
        Ok(())
    }
}

fn too_long(field: bool) -> io::Error {
    let what = if field {
        "a field longer than 1 MiB"
    } else {
        "a record longer than 16 MiB"
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{what} (offconv reads at most 1 MiB per field and 16 MiB per record): a quote that is never closed, a line that never ends, or not a CSV file"
        ),
    )
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: Vec<u8>) -> io::Result<u64> {
        io::copy(
            &mut Limited::new(io::Cursor::new(bytes), b','),
            &mut io::sink(),
        )
    }

    #[test]
    fn ordinary_files_pass_and_long_fields_or_records_fail() {
        let mut ok = b"a,\"b\"\"c\nd\",e\n".repeat(1000);
        // A field just under the limit, quoted, with line breaks.
        ok.push(b'"');
        ok.extend(b"x\n".repeat((MAX_FIELD as usize - 4) / 2));
        ok.extend(b"\",z\n");
        assert!(read(ok).is_ok());

        let field = vec![0u8; MAX_FIELD as usize + 1];
        let err = read(field).unwrap_err().to_string();
        assert!(err.contains("field longer than 1 MiB"), "{err}");

        let mut unclosed = b"a,\"b\n".to_vec();
        unclosed.extend(b"c,d\n".repeat(MAX_FIELD as usize / 4 + 1));
        assert!(read(unclosed).is_err());

        let record = b"xxxxxxxxxxxxxxx,".repeat((MAX_RECORD / 16) as usize + 1);
        let err = read(record).unwrap_err().to_string();
        assert!(err.contains("record longer than 16 MiB"), "{err}");
    }
}
