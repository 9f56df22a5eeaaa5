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
//!
//! The scan jumps from quote to quote (`memchr`) instead of stepping
//! through every byte: between quotes nothing but the lengths changes,
//! and those follow from where the last delimiter and line break are.
//! [`Scan::step`], the byte-at-a-time machine, decides at each quote and
//! wherever a limit is near; a property test holds the two to the same
//! result on any input.

use std::io::{self, Read};

use memchr::{memchr, memrchr2, memrchr3};

/// The longest field offconv reads.
pub const MAX_FIELD: u64 = 1 << 20;
/// The longest record offconv reads.
pub const MAX_RECORD: u64 = 16 << 20;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
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

/// The limits a scan holds to ([`MAX_FIELD`], [`MAX_RECORD`]; smaller in
/// tests).
#[derive(Clone, Copy, Debug)]
struct Bounds {
    field: u64,
    record: u64,
}

/// Where the scan stands: the CSV state and the bytes of the current
/// field and record so far. `Err(true)` is a field too long, `Err(false)`
/// a record.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Scan {
    state: State,
    field: u64,
    record: u64,
}

impl Scan {
    const NEW: Scan = Scan {
        state: State::Start,
        field: 0,
        record: 0,
    };

    /// One byte, as the CSV parser takes it.
    fn step(&mut self, b: u8, d: u8, max: Bounds) -> Result<(), bool> {
        self.field += 1;
        self.record += 1;
        let end_field = b == d;
        let end_record = b == b'\n' || b == b'\r';
        self.state = match self.state {
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            _ if end_field || end_record => {
                self.field = 0;
                if end_record {
                    self.record = 0;
                }
                State::Start
            }
            State::Start if b == b'"' => State::Quoted,
            _ => State::Bare,
        };
        if self.field > max.field || self.record > max.record {
            return Err(self.field > max.field);
        }
        Ok(())
    }

    /// `n` bytes that change nothing but the lengths: inside quotes, no
    /// quote among them.
    fn quoted(&mut self, n: u64, max: Bounds) -> Result<(), bool> {
        // Bytes left before each limit is passed.
        let (to_field, to_record) = (max.field - self.field, max.record - self.record);
        if n > to_field.min(to_record) {
            return Err(to_field <= to_record);
        }
        self.field += n;
        self.record += n;
        Ok(())
    }

    /// The bytes of a bare field and the fields after it, up to the next
    /// quote (none among them): the field starts after the last delimiter
    /// or line break, the record after the last line break.
    fn bare(&mut self, bytes: &[u8], d: u8, max: Bounds) -> Result<(), bool> {
        let n = bytes.len() as u64;
        if self.field + n > max.field || self.record + n > max.record {
            // A limit may be passed in here: byte by byte.
            return bytes.iter().try_for_each(|&b| self.step(b, d, max));
        }
        let Some(last) = memrchr3(d, b'\n', b'\r', bytes) else {
            self.field += n;
            self.record += n;
            return Ok(());
        };
        self.field = n - 1 - last as u64;
        self.record = match memrchr2(b'\n', b'\r', &bytes[..=last]) {
            Some(line) => n - 1 - line as u64,
            None => self.record + n,
        };
        self.state = if last + 1 == bytes.len() {
            State::Start
        } else {
            State::Bare
        };
        Ok(())
    }

    fn scan(&mut self, bytes: &[u8], d: u8, max: Bounds) -> Result<(), bool> {
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            match self.state {
                State::Quoted | State::Bare => {
                    let n = memchr(b'"', rest).unwrap_or(rest.len());
                    if self.state == State::Quoted {
                        self.quoted(n as u64, max)?;
                    } else {
                        self.bare(&rest[..n], d, max)?;
                    }
                    i += n;
                }
                State::Start | State::QuoteInQuoted => {}
            }
            if let Some(&b) = bytes.get(i) {
                self.step(b, d, max)?;
                i += 1;
            }
        }
        Ok(())
    }
}

/// A stream whose fields and records are bounded.
pub struct Limited<R> {
    inner: R,
    delimiter: u8,
    max: Bounds,
    at: Scan,
}

impl<R: Read> Limited<R> {
    pub fn new(inner: R, delimiter: u8) -> Limited<R> {
        Limited {
            inner,
            delimiter,
            max: Bounds {
                field: MAX_FIELD,
                record: MAX_RECORD,
            },
            at: Scan::NEW,
        }
    }

    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        // Kept only when the bytes pass: a failed read changes nothing.
        let mut at = self.at;
        at.scan(bytes, self.delimiter, self.max).map_err(too_long)?;
        self.at = at;
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

    /// The byte-at-a-time machine over all of `bytes`.
    fn reference(bytes: &[u8], d: u8, max: Bounds) -> Result<Scan, bool> {
        let mut at = Scan::NEW;
        bytes.iter().try_for_each(|&b| at.step(b, d, max))?;
        Ok(at)
    }

    /// The scan over `bytes` read in pieces cut at `cuts`.
    fn jumping(bytes: &[u8], cuts: &[usize], d: u8, max: Bounds) -> Result<Scan, bool> {
        let mut at = Scan::NEW;
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut from = 0;
        for to in cuts.into_iter().chain([bytes.len()]) {
            at.scan(&bytes[from..to], d, max)?;
            from = to;
        }
        Ok(at)
    }

    proptest::proptest! {
        /// Small limits, so that fields and records pass them; bytes
        /// mostly from the ones the scan looks for.
        #[test]
        fn jumping_scan_agrees_with_the_byte_machine(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"ab,;\"\n\r\t".to_vec()), 0..300),
            cuts in proptest::collection::vec(0usize..400, 0..6),
            d in proptest::sample::select(b",;\"\n\t".to_vec()),
            field in 1u64..40,
            extra in 0u64..80,
        ) {
            let max = Bounds { field, record: field + extra };
            proptest::prop_assert_eq!(
                jumping(&bytes, &cuts, d, max),
                reference(&bytes, d, max)
            );
        }
    }
}
