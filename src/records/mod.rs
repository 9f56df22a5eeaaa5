//! The CSV record reader of an input: csv_core's parser, as the csv
//! crate's `Reader` drives it, with a fast path for the lines nearly every
//! export is made of.
//!
//! A line that is whole in the buffer and holds no quote and no carriage
//! return (but the one of its CRLF) is split at its delimiters, found 64
//! bytes at a time ([`lines`]), where the parser's state machine takes
//! some fifteen instructions a byte. Every other record (quoted fields, a
//! quote opened and never closed, a bare CR as a line end, a line across
//! the end of the buffer, the end of the input) goes to the parser, which
//! sits at the start of a record whenever the fast path runs. Line ends
//! and blank lines before a record go to the parser too, before the
//! record's position is taken: a record's line is the line it starts on
//! (the csv crate, stopping at the CR of a CRLF, gives the line before).
//! The two read the same records, byte for byte (a proptest holds this
//! against the csv crate on any bytes).
//!
//! The settings are the ones every input is read with: `"` quotes, `""`
//! inside a quoted field, any of CR, LF, CRLF ends a record, blank lines
//! are skipped, and records may have any number of fields (`flexible`).

mod lines;
mod record;

pub use record::Record;

use std::io::{BufRead, BufReader, Read};

use csv::Position;

/// The bytes read ahead of the parser.
const BUFFER: usize = 1 << 16;

pub struct Records<R> {
    rdr: BufReader<R>,
    core: csv_core::Reader,
    delimiter: u8,
    /// Where the next record starts (byte, line, record number).
    at: Position,
    done: bool,
    /// The parser's output, reused: a record's field bytes and their ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// Whether the fast path can split on the delimiter.
    fast: bool,
    /// Where the fast path's line has its delimiters.
    delimiters: Vec<usize>,
}

impl<R: Read> Records<R> {
    pub fn new(inner: R, delimiter: u8) -> Records<R> {
        Records::with_capacity(BUFFER, inner, delimiter)
    }

    /// With a read-ahead buffer of `capacity` bytes.
    pub fn with_capacity(capacity: usize, inner: R, delimiter: u8) -> Records<R> {
        let core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        Records {
            rdr: BufReader::with_capacity(capacity, inner),
            core,
            delimiter,
            at: Position::new(),
            done: false,
            fields: vec![0; 1 << 10],
            ends: vec![0; 32],
            fast: lines::usable(delimiter),
            delimiters: Vec::with_capacity(64),
        }
    }

    /// Where the next record starts: its byte offset counts the bytes read.
    pub fn position(&self) -> &Position {
        &self.at
    }

    /// Reads the next record into `record`; `Ok(false)` at the end of the
    /// input, and after a read failed. The record's position is where it
    /// starts: past the line ends and blank lines before it.
    pub fn read_byte_record(&mut self, record: &mut Record) -> csv::Result<bool> {
        record.clear();
        if self.done {
            record.set_position(Some(self.at.clone()));
            return Ok(false);
        }
        let read = self.skip_line_ends().and_then(|()| self.rdr.fill_buf());
        let buf = match read {
            Ok(buf) => buf,
            Err(e) => {
                self.done = true;
                record.set_position(Some(self.at.clone()));
                return Err(e.into());
            }
        };
        record.set_position(Some(self.at.clone()));
        self.delimiters.clear();
        // The first record goes to the parser, which strips a UTF-8 BOM.
        let fast = self.fast && self.at.byte() > 0;
        let plain = fast.then(|| lines::plain(buf, self.delimiter, &mut self.delimiters));
        let Some(Some(line)) = plain else {
            return self.parse(record);
        };
        record.set_line(&buf[..line.content], &self.delimiters);
        self.rdr.consume(line.next);
        self.core.set_line(self.core.line() + 1);
        self.advance(line.next);
        self.at.set_record(self.at.record() + 1);
        Ok(true)
    }

    /// Feeds the CRs and LFs before the next record to the parser, which
    /// skips them (the LF of a CRLF it stopped at, blank lines).
    fn skip_line_ends(&mut self) -> std::io::Result<()> {
        loop {
            let buf = self.rdr.fill_buf()?;
            let n = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if n == 0 {
                return Ok(());
            }
            let (res, nin, nout, nend) =
                self.core
                    .read_record(&buf[..n], &mut self.fields, &mut self.ends);
            debug_assert_eq!(
                (res, nin, nout, nend),
                (csv_core::ReadRecordResult::InputEmpty, n, 0, 0)
            );
            self.rdr.consume(nin);
            self.advance(nin);
        }
    }

    /// The parser's way: as the csv crate reads a record.
    fn parse(&mut self, record: &mut Record) -> csv::Result<bool> {
        use csv_core::ReadRecordResult as R;
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            let input = match self.rdr.fill_buf() {
                Ok(buf) => buf,
                Err(e) => {
                    self.done = true;
                    return Err(e.into());
                }
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.fields[outlen..], &mut self.ends[endlen..]);
            self.rdr.consume(nin);
            self.advance(nin);
            outlen += nout;
            endlen += nend;
            match res {
                R::InputEmpty => {}
                R::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record => {
                    record.push_ends(&self.fields[..outlen], &self.ends[..endlen]);
                    self.at.set_record(self.at.record() + 1);
                    return Ok(true);
                }
                R::End => {
                    self.done = true;
                    return Ok(false);
                }
            }
        }
    }

    fn advance(&mut self, bytes: usize) {
        let byte = self.at.byte() + bytes as u64;
        self.at.set_byte(byte).set_line(self.core.line());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Got = (Vec<Vec<u8>>, u64, u64, u64);

    /// Every record as the csv crate reads it: fields and start position.
    fn by_csv(bytes: &[u8], delimiter: u8) -> Vec<Got> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(bytes);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            out.push(entry(&Record::from(&rec)));
        }
        out
    }

    fn by_records(bytes: &[u8], delimiter: u8, capacity: usize) -> Vec<Got> {
        let mut rdr = Records::with_capacity(capacity, bytes, delimiter);
        let mut out = Vec::new();
        let mut rec = Record::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            out.push(entry(&rec));
        }
        assert_eq!(rdr.position().byte(), bytes.len() as u64, "every byte read");
        out
    }

    fn entry(rec: &Record) -> Got {
        let p = rec.position().expect("a position");
        let fields = rec.iter().map(<[u8]>::to_vec).collect();
        (fields, p.byte(), p.line(), p.record())
    }

    fn is_line_end(b: u8) -> bool {
        b == b'\r' || b == b'\n'
    }

    /// Ours reads the csv crate's fields; each record's position is where
    /// its first byte is, on the line that counts the LFs before it; where
    /// the csv crate's position is at a record's first byte too (not at a
    /// CRLF's LF or a blank line before it), the two are the same.
    fn agree(bytes: &[u8], ours: &[Got], theirs: &[Got]) -> Result<(), TestCaseError> {
        prop_assert_eq!(ours.len(), theirs.len());
        for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
            prop_assert_eq!(&o.0, &t.0, "fields of record {}", i);
            let at = o.1 as usize;
            prop_assert!(
                at < bytes.len() && !is_line_end(bytes[at]),
                "record {} at {}",
                i,
                at
            );
            let lfs = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            prop_assert_eq!(o.2, 1 + lfs, "line of record {}", i);
            prop_assert_eq!(o.3, i as u64);
            if !is_line_end(bytes[t.1 as usize]) {
                prop_assert_eq!(o, t);
            }
        }
        Ok(())
    }

    #[test]
    fn reads_plain_quoted_and_crlf_lines() {
        let bytes = b"a,b,c\r\n1,\"x,\"\"y\"\"\",3\r\n\r\n4,,\n\"open\n5,6\",7\n8\r9\nlast";
        let want = by_csv(bytes, b',');
        assert_eq!(want.len(), 7);
        for capacity in [1, 3, 8, 64, BUFFER] {
            let got = by_records(bytes, b',', capacity);
            agree(bytes, &got, &want).unwrap();
            let lines: Vec<u64> = got.iter().map(|r| r.2).collect();
            assert_eq!(lines, [1, 2, 4, 5, 7, 7, 8], "capacity {capacity}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_stripped_as_the_csv_crate_does() {
        let bytes = b"\xef\xbb\xbfa,b\n1,2\n";
        let got = by_records(bytes, b',', BUFFER);
        assert_eq!(got[0].0, [b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(got, by_csv(bytes, b','));
    }

    #[test]
    fn a_plain_line_is_split_at_its_delimiters() {
        let mut rdr = Records::new(&b"x;;y\r\n"[..], b';');
        let mut rec = Record::new();
        assert!(rdr.read_byte_record(&mut rec).unwrap());
        assert_eq!(rec.iter().collect::<Vec<_>>(), [&b"x"[..], b"", b"y"]);
        assert!(!rdr.read_byte_record(&mut rec).unwrap());
        assert!(!rdr.read_byte_record(&mut rec).unwrap(), "still done");
    }

    #[test]
    fn a_failed_read_is_an_error_once_then_the_end() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk gone"))
            }
        }
        let mut rdr = Records::new(Failing, b',');
        let mut rec = Record::new();
        let err = rdr.read_byte_record(&mut rec).unwrap_err();
        assert!(err.to_string().contains("disk gone"), "{err}");
        assert!(!rdr.read_byte_record(&mut rec).unwrap());
    }

    proptest! {
        #[test]
        fn reads_what_the_csv_crate_reads(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b'b'), Just(b','), Just(b';'), Just(b'"'),
                    Just(b'\r'), Just(b'\n'), Just(b' '), any::<u8>(),
                ],
                0..200,
            ),
            semicolon in any::<bool>(),
            capacity in prop_oneof![1usize..16, Just(64usize), Just(BUFFER)],
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            agree(&bytes, &by_records(&bytes, delimiter, capacity), &by_csv(&bytes, delimiter))?;
        }

        #[test]
        fn reads_rows_of_plain_lines_like_the_csv_crate(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z0-9 .@-]{0,6}", 1..5),
                0..40,
            ),
            crlf in any::<bool>(),
            capacity in prop_oneof![8usize..40, Just(BUFFER)],
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text: String = rows.iter().map(|r| r.join(",") + end).collect();
            let bytes = text.as_bytes();
            agree(bytes, &by_records(bytes, b',', capacity), &by_csv(bytes, b','))?;
        }
    }
}
