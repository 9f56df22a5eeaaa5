//! Inputs that are not UTF-8 (`[csv] encoding`, a UTF-16 byte order mark),
//! decoded to UTF-8 as they are read, so the CSV parser, the limits and the
//! mapper behind it see UTF-8 and nothing else changes.
//!
//! - Which encoding: a byte order mark first (UTF-8 `EF BB BF`, UTF-16LE
//!   `FF FE`, UTF-16BE `FE FF`: Excel's "Unicode Text" is UTF-16LE with a
//!   mark), whatever the mapping says, as the WHATWG Encoding Standard
//!   decodes; else `[csv] encoding`; else UTF-8.
//! - UTF-8 is not decoded at all: the bytes go to the parser as before,
//!   and a byte that is not UTF-8 is `bad_utf8` in the column that holds it.
//! - Decoding is streaming, a [`CHUNK`] of input at a time into a buffer of
//!   fixed size: memory stays flat whatever the file size.
//! - A byte sequence that is not valid in the encoding (an unpaired UTF-16
//!   surrogate, a bad Shift_JIS pair) is never replaced by a guess: it is
//!   written as the byte `0xFF`, which is not UTF-8, so its row is
//!   rejected `bad_utf8` naming the column, as an invalid UTF-8 byte is.
//! - Only the text is decoded: the resume hash (`input_hash`) and the
//!   decompression sit below, on the raw bytes; the parser, the quote
//!   checks (`pipeline/quotes`) and the limits sit above, on UTF-8.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::{DecoderResult, Encoding};

/// Raw bytes read from the input at a time.
const CHUNK: usize = 1 << 16;

/// The encoding of an input and the length of its byte order mark:
/// `(None, n)` for UTF-8 (read as it is).
pub fn sniff(
    head: &[u8],
    configured: Option<&'static Encoding>,
) -> (Option<&'static Encoding>, usize) {
    match Encoding::for_bom(head) {
        Some((enc, len)) if enc == encoding_rs::UTF_8 => (None, len),
        Some((enc, len)) => (Some(enc), len),
        None => (configured, 0),
    }
}

/// A stream decoded from `encoding` to UTF-8.
pub struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Box<[u8]>,
    raw_start: usize,
    raw_end: usize,
    raw_eof: bool,
    /// Decoded bytes; one byte more than the decoder may fill, for the
    /// mark of an invalid sequence.
    out: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    done: bool,
    /// Raw bytes read so far, for the progress line's share of the file.
    raw_read: Arc<AtomicU64>,
}

impl<R: Read> Decoded<R> {
    /// `inner` positioned after any byte order mark.
    pub fn new(inner: R, encoding: &'static Encoding) -> Decoded<R> {
        let decoder = encoding.new_decoder_without_bom_handling();
        let out_len = decoder
            .max_utf8_buffer_length_without_replacement(CHUNK)
            .unwrap_or(4 * CHUNK)
            + 1;
        Decoded {
            inner,
            decoder,
            raw: vec![0; CHUNK].into_boxed_slice(),
            raw_start: 0,
            raw_end: 0,
            raw_eof: false,
            out: vec![0; out_len].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            done: false,
            raw_read: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The count of raw bytes read, shared.
    pub fn raw_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.raw_read)
    }

    /// Fills `out` with the next decoded bytes; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        while !self.done {
            if self.raw_start == self.raw_end && !self.raw_eof {
                let n = loop {
                    match self.inner.read(&mut self.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.raw_read.fetch_add(n as u64, Ordering::Relaxed);
                self.raw_start = 0;
                self.raw_end = n;
                self.raw_eof = n == 0;
            }
            let last = self.raw_eof;
            let room = self.out.len() - 1;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_start..self.raw_end],
                &mut self.out[..room],
                last,
            );
            self.raw_start += read;
            self.out_start = 0;
            self.out_end = written;
            match result {
                DecoderResult::InputEmpty => self.done = last,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    // Not UTF-8: the row holding it is rejected bad_utf8.
                    self.out[self.out_end] = 0xFF;
                    self.out_end += 1;
                }
            }
            if self.out_end > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_start == self.out_end && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], enc: &'static Encoding) -> Vec<u8> {
        let mut out = Vec::new();
        Decoded::new(bytes, enc).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn windows_1252_and_utf16() {
        assert_eq!(
            decode(b"Z\xfcrich \x80 caf\xe9", encoding_rs::WINDOWS_1252),
            "Zürich € café".as_bytes()
        );
        let utf16: Vec<u8> = "a\tä€\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&utf16, encoding_rs::UTF_16LE),
            "a\tä€\r\n".as_bytes()
        );
        let be: Vec<u8> = "x€".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, encoding_rs::UTF_16BE), "x€".as_bytes());
    }

    #[test]
    fn invalid_sequences_become_a_byte_that_is_not_utf8() {
        // An unpaired surrogate, then "b".
        let bytes = [0x00, 0xD8, b'b', 0x00];
        let out = decode(&bytes, encoding_rs::UTF_16LE);
        assert!(std::str::from_utf8(&out).is_err());
        assert_eq!(out.last(), Some(&b'b'));
        // A truncated last code unit.
        let out = decode(&[b'a', 0x00, b'b'], encoding_rs::UTF_16LE);
        assert_eq!(out, [b'a', 0xFF]);
    }

    #[test]
    fn long_inputs_stream_through_small_reads() {
        let text = "Grüße, ".repeat(50_000);
        let (raw, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let mut d = Decoded::new(&raw[..], encoding_rs::WINDOWS_1252);
        let counter = d.raw_read();
        let mut out = Vec::new();
        let mut buf = [0u8; 777];
        loop {
            let n = d.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, text.as_bytes());
        assert_eq!(counter.load(Ordering::Relaxed), raw.len() as u64);
    }

    #[test]
    fn byte_order_marks_win() {
        let w = Some(encoding_rs::WINDOWS_1252);
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b", w), (None, 3));
        assert_eq!(
            sniff(b"\xFF\xFEa\0", None),
            (Some(encoding_rs::UTF_16LE), 2)
        );
        assert_eq!(sniff(b"\xFE\xFF\0a", w), (Some(encoding_rs::UTF_16BE), 2));
        assert_eq!(sniff(b"a,b", w), (w, 0));
        assert_eq!(sniff(b"a,b", None), (None, 0));
    }
}
