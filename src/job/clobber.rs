//! No output over an input: a report, one of its sidecars, the payload
//! dump or the summary JSON that names an export or the mapping file
//! (the same file, whatever the path says: compared by device and inode)
//! would replace the data it is about to read. `upload sales.csv --report
//! sales.csv` once read 73 of 1,000 rows and left the report in place of
//! the export. Every job is checked here before anything is opened, the
//! CLI's and the MCP server's alike.

use std::path::{Path, PathBuf};

use crate::report::ahead_path;
use crate::resume::ReportFiles;

use super::JobSpec;

/// Refuses the job when one of its outputs is one of its inputs.
pub(super) fn refuse_outputs_over_inputs(spec: &JobSpec, report: &Path) -> anyhow::Result<()> {
    let mut inputs: Vec<(&str, PathBuf)> = spec
        .inputs
        .iter()
        .filter(|i| *i != "-")
        .map(|i| ("the export", PathBuf::from(i)))
        .collect();
    inputs.push(("the mapping file", spec.mapping.clone()));
    for (what, output) in outputs(spec, report) {
        for (input_kind, input) in &inputs {
            if same_file(&output, input) {
                anyhow::bail!(
                    "{what} {} is {input_kind} {}: writing it would destroy the input; give another path (nothing was read or written)",
                    output.display(),
                    input.display()
                );
            }
        }
    }
    Ok(())
}

/// Every file the job may write, with what it is.
fn outputs(spec: &JobSpec, report: &Path) -> Vec<(&'static str, PathBuf)> {
    let files = ReportFiles::new(report);
    let mut out = vec![
        ("the report", files.report),
        ("the report's job file", files.job),
        ("the report's temporary file", files.tmp.clone()),
        ("the report's sidecar", ahead_path(report)),
        ("the report's sidecar", ahead_path(&files.tmp)),
    ];
    if let Some(p) = &spec.payloads {
        out.push(("the payload dump", p.clone()));
    }
    if let Some(p) = &spec.summary_json {
        out.push(("the summary JSON", p.clone()));
    }
    out
}

/// Whether two paths name the same existing file (hard links and symbolic
/// links included). A path that does not exist names no input.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_sees_through_other_spellings_and_links() {
        let dir = std::env::temp_dir().join(format!("offconv-clobber-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.csv");
        std::fs::write(&a, "x\n").unwrap();
        let dotted = dir.join(".").join("a.csv");
        assert!(same_file(&a, &dotted));
        let link = dir.join("link.csv");
        let _ = std::fs::remove_file(&link);
        std::fs::hard_link(&a, &link).unwrap();
        assert!(same_file(&a, &link));
        assert!(!same_file(&a, &dir.join("missing.csv")));
        std::fs::write(dir.join("b.csv"), "x\n").unwrap();
        assert!(!same_file(&a, &dir.join("b.csv")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
