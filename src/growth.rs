//! An input file that changes size while it is read: an export still
//! being written (a job that starts before the export finished, a log
//! shipper appending). offconv reads up to the end it finds, so rows
//! written later are missing and the last row may be cut. Told once, at
//! the end of the file, comparing the size at open with the size then and
//! with the bytes read.

use std::fs::File;
use std::io::{self, Read};

/// A file that warns when it did not keep its size while being read.
pub struct GrowthWatch {
    file: File,
    name: String,
    /// `None` for what is not a regular file (a pipe, a device).
    at_open: Option<u64>,
    read: u64,
    told: bool,
}

impl GrowthWatch {
    pub fn new(file: File, name: &str) -> GrowthWatch {
        let at_open = file
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len());
        GrowthWatch {
            file,
            name: name.to_owned(),
            at_open,
            read: 0,
            told: false,
        }
    }

    /// The warning at the end of the file, if its size changed.
    fn at_end(&mut self) -> Option<String> {
        self.told = true;
        let at_open = self.at_open?;
        let now = self.file.metadata().map_or(self.read, |m| m.len());
        if now == at_open && self.read == at_open {
            return None;
        }
        Some(format!(
            "offconv: warning: {} changed size while it was read ({at_open} bytes when opened, {now} at the end, {} read): the export was still being written, so rows written after the read may be missing and the last row read may be cut off; check the end of the report and run again on the finished export",
            self.name, self.read
        ))
    }
}

impl Read for GrowthWatch {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        if n == 0
            && !buf.is_empty()
            && !self.told
            && let Some(warning) = self.at_end()
        {
            crate::say!("{warning}");
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_file_that_grows_while_read_is_told_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.csv");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let mut watch = GrowthWatch::new(File::open(&path).unwrap(), "g.csv");
        let mut buf = [0u8; 4];
        watch.read_exact(&mut buf).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"3,4\n")
            .unwrap();
        let mut rest = Vec::new();
        watch.file.read_to_end(&mut rest).unwrap();
        watch.read += rest.len() as u64;
        let warning = watch.at_end().expect("a warning");
        assert!(
            warning.contains(
                "g.csv changed size while it was read (8 bytes when opened, 12 at the end, 12 read)"
            ),
            "{warning}"
        );
        let mut same = GrowthWatch::new(File::open(&path).unwrap(), "g.csv");
        std::io::copy(&mut same, &mut std::io::sink()).unwrap();
        assert!(same.told);
        assert_eq!(same.at_end(), None);
    }
}
