//! One file named twice among the inputs (`sales.csv ./sales.csv`, a glob
//! and a name, a link): its rows would be read twice and every sale sent
//! twice under one upload tag. Refused before anything is read.

/// The first input that names the same file as an earlier one, with that
/// earlier one: `(earlier, later)` as given. Names that cannot be looked
/// at (missing files, stdin) are left to the opening to report.
pub fn first_repeat(specs: &[String]) -> Option<(String, String)> {
    let mut seen: Vec<(FileKey, &String)> = Vec::with_capacity(specs.len());
    for spec in specs.iter().filter(|s| *s != "-") {
        let Some(key) = key(spec) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Some(((*first).clone(), spec.clone()));
        }
        seen.push((key, spec));
    }
    None
}

#[cfg(unix)]
type FileKey = (u64, u64);

#[cfg(unix)]
fn key(path: &str) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt as _;
    let m = std::fs::metadata(path).ok()?;
    // A character device (`/dev/stdin`) or a pipe is no file to repeat.
    m.is_file().then(|| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
type FileKey = std::path::PathBuf;

#[cfg(not(unix))]
fn key(path: &str) -> Option<FileKey> {
    std::fs::canonicalize(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_by_another_name_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "x\n").unwrap();
        std::fs::write(&b, "x\n").unwrap();
        let a = a.display().to_string();
        let b = b.display().to_string();
        let dotted = format!("{}/./a.csv", dir.path().display());
        assert_eq!(first_repeat(&[a.clone(), b.clone()]), None);
        assert_eq!(
            first_repeat(&[a.clone(), b.clone(), dotted.clone()]),
            Some((a.clone(), dotted))
        );
        assert_eq!(first_repeat(&["-".into(), "missing.csv".into(), a]), None);
    }
}
