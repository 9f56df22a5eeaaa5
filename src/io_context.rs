//! I/O errors that name the file and what offconv was doing with it. A
//! full disk once said only "No space left on device", a read-only folder
//! "Permission denied": the user could not tell the report from the dump
//! or the job record. The kind of the error is kept (a broken pipe is
//! still a broken pipe).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An error that says what was being done to which file.
#[derive(Debug)]
struct Named {
    doing: String,
    path: PathBuf,
    source: io::Error,
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} {}: {}",
            self.doing,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for Named {}

/// `e`, saying "cannot {doing} {path}: …"; an error that already names
/// its file is left as it is.
pub fn name(e: io::Error, doing: &str, path: &Path) -> io::Error {
    if is_named(&e) {
        return e;
    }
    io::Error::new(
        e.kind(),
        Named {
            doing: doing.to_owned(),
            path: path.to_owned(),
            source: e,
        },
    )
}

/// Whether `e` names its file already.
pub fn is_named(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Named>())
}

/// A file whose write errors name it: the payload dump.
#[derive(Debug)]
pub struct NamedFile {
    file: File,
    doing: &'static str,
    path: PathBuf,
}

impl NamedFile {
    /// `doing` as in "cannot {doing} {path}": `write the payload dump`.
    pub fn new(file: File, doing: &'static str, path: &Path) -> NamedFile {
        NamedFile {
            file,
            doing,
            path: path.to_owned(),
        }
    }

    /// A second handle on the file (to sync it, to truncate it).
    pub fn try_clone_file(&self) -> io::Result<File> {
        self.file.try_clone()
    }
}

impl Write for NamedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file
            .write(buf)
            .map_err(|e| name(e, self.doing, &self.path))
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.file
            .write_vectored(bufs)
            .map_err(|e| name(e, self.doing, &self.path))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file
            .flush()
            .map_err(|e| name(e, self.doing, &self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_names_the_file_once() {
        let e = io::Error::from_raw_os_error(28);
        let named = name(e, "write the report", Path::new("r.csv"));
        let twice = name(named, "flush the report", Path::new("other.csv"));
        assert_eq!(twice.kind(), io::ErrorKind::StorageFull);
        let text = twice.to_string();
        assert!(
            text.starts_with("cannot write the report r.csv: No space left on device"),
            "{text}"
        );
        #[cfg(target_os = "linux")]
        {
            let full = File::options().write(true).open("/dev/full").unwrap();
            let mut f = NamedFile::new(full, "write the payload dump", Path::new("/dev/full"));
            let err = f.write_all(b"x").unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("cannot write the payload dump /dev/full: "),
                "{err}"
            );
        }
    }
}
