//! Compressed inputs that are damaged, cut off or followed by other
//! bytes, told apart in words. flate2 and zstd say "unexpected end of
//! file", "invalid gzip header" or "Unknown frame descriptor"; the user
//! needs to know what happened to the file and which rows it touches.
//!
//! The gzip checksum sits at the end of each member, so a damaged member
//! is found only after its rows were read (and, in an upload, sent): the
//! message says so. Bytes after the last member that are not gzip data
//! are ignored with a warning, as `gzip -d` does: the rows before them
//! passed the checksum.

use std::io::{self, BufRead, Read};

use flate2::bufread::GzDecoder;

/// Whether the file at `path` starts with the gzip or zstd magic number:
/// a file that fails to decompress is then damaged or cut off, not
/// something else under a compressed name.
pub fn starts_compressed(path: &str) -> bool {
    let mut magic = [0u8; 4];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    match file.read(&mut magic) {
        Ok(n) if n >= 2 && magic[..2] == [0x1f, 0x8b] => true,
        Ok(4) => magic == [0x28, 0xb5, 0x2f, 0xfd],
        _ => false,
    }
}

/// The gzip members of a stream, one after the other (as
/// `MultiGzDecoder`), with errors in words.
pub struct GzMembers<R: BufRead> {
    name: String,
    current: Option<GzDecoder<R>>,
}

impl<R: BufRead> GzMembers<R> {
    pub fn new(name: &str, inner: R) -> GzMembers<R> {
        GzMembers {
            name: name.to_owned(),
            current: Some(GzDecoder::new(inner)),
        }
    }

    /// After a member: the next one, or the end (warning about bytes
    /// that are not gzip data).
    fn next_member(&mut self, mut inner: R) -> io::Result<()> {
        let next = inner.fill_buf()?;
        if next.is_empty() {
            return Ok(());
        }
        if next[0] == 0x1f && next.get(1).is_none_or(|b| *b == 0x8b) {
            self.current = Some(GzDecoder::new(inner));
            return Ok(());
        }
        let zeros = next.iter().all(|b| *b == 0);
        let mut rest = 0u64;
        let mut all_zero = zeros;
        loop {
            let buf = inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            all_zero &= buf.iter().all(|b| *b == 0);
            rest += buf.len() as u64;
            let n = buf.len();
            inner.consume(n);
        }
        let what = if all_zero { "zero bytes" } else { "bytes" };
        crate::say!(
            "offconv: warning: {}: {rest} {what} after the end of its gzip data are not gzip data and were ignored (as gzip -d does); the rows before them passed the gzip checksum",
            self.name
        );
        Ok(())
    }
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(decoder) = self.current.as_mut() {
            match decoder.read(buf) {
                Ok(0) if !buf.is_empty() => {
                    let inner = self.current.take().expect("a member").into_inner();
                    self.next_member(inner)?;
                }
                Ok(n) => return Ok(n),
                Err(e) => return Err(gzip_error(e)),
            }
        }
        Ok(0)
    }
}

/// What a gzip error means for the rows.
fn gzip_error(e: io::Error) -> io::Error {
    let text = e.to_string();
    let what = if text.contains("checksum") {
        "the gzip data fails its checksum: the file is damaged (`gzip -t` says so too), and the rows read before this point may hold damaged values (an upload has sent them already: they are in the report)"
    } else if e.kind() == io::ErrorKind::UnexpectedEof || text.contains("incomplete") {
        "the gzip data ends early: the file is cut off (an unfinished copy or download); the rows before this point were read (an upload has sent them), the rest of the file is missing"
    } else {
        "the gzip data is damaged: the rows before this point were read (an upload has sent them), the rest cannot be"
    };
    io::Error::new(e.kind(), format!("{what} ({text})"))
}

/// A zstd stream whose errors say what they mean for the rows.
pub struct ZstdWords<R: Read>(pub R);

impl<R: Read> Read for ZstdWords<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                "the zstd data ends early: the file is cut off (an unfinished copy or download)"
            } else {
                "the zstd data is damaged, or followed by bytes that are not zstd data"
            };
            io::Error::new(
                e.kind(),
                format!(
                    "{what}; the rows before this point were read (an upload has sent them) ({e})"
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        GzMembers::new("t.csv.gz", io::BufReader::new(&bytes[..])).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn members_follow_each_other_and_trailing_bytes_are_ignored() {
        let mut two = gz(b"a,b\n");
        two.extend(gz(b"1,2\n"));
        assert_eq!(read_all(two.clone()).unwrap(), b"a,b\n1,2\n");
        two.extend(b"garbage");
        assert_eq!(read_all(two).unwrap(), b"a,b\n1,2\n");
        let mut zeros = gz(b"a\n");
        zeros.extend([0u8; 512]);
        assert_eq!(read_all(zeros).unwrap(), b"a\n");
        assert!(
            read_all(Vec::new()).is_err(),
            "an empty file is no gzip data"
        );
    }

    #[test]
    fn damage_is_told_in_words() {
        let good = gz(&b"a,b\n1,2\n".repeat(100));
        let mut bad_crc = good.clone();
        let at = bad_crc.len() - 8;
        bad_crc[at] ^= 0xff;
        let err = read_all(bad_crc).unwrap_err().to_string();
        assert!(err.starts_with("the gzip data fails its checksum"), "{err}");
        let cut = good[..good.len() / 2].to_vec();
        let err = read_all(cut).unwrap_err().to_string();
        assert!(err.starts_with("the gzip data ends early"), "{err}");
        let mut second_cut = good.clone();
        second_cut.extend(&good[..20]);
        let err = read_all(second_cut).unwrap_err().to_string();
        assert!(err.starts_with("the gzip data"), "{err}");
    }
}
