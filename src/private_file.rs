//! Files that hold what a job made of customer data (the report, the
//! payload dump with hashed PII, their sidecars) are created readable by
//! the owner only (0600 on Unix), whatever the umask. A file that exists
//! keeps the mode its owner gave it, and a file written beside it to
//! replace it (a resume's report) takes that mode.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates or truncates `path`; a new file is 0600, an existing one keeps
/// its mode.
pub fn create(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Gives `new` (about to replace `old`) the mode of `old`, if `old` exists.
pub fn keep_mode(old: &Path, new: &Path) -> io::Result<()> {
    match std::fs::metadata(old) {
        Ok(m) => std::fs::set_permissions(new, m.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}
