//! Crash-safe runs: the report as the journal that `--resume` reads.
//!
//! The report is written in input order as rows become final, so after a
//! kill it is a valid prefix of the job. A resume renames nothing until it
//! is done: it reads the old report as [`Previous`] while writing the new
//! one to `<report>.tmp`, and renames the temp file over the report at the
//! end. Killed in the middle, both files exist; the next resume first
//! merges them ([`merge`]), so a row sent in either run stays sent.
//!
//! Beside the report, `<report>.job.json` records which job it belongs to
//! (inputs with size and fingerprint, mapping, dataset, upload tag), so a
//! resume cannot continue a different job by mistake; the hash of every
//! byte read is recorded there too, and checked as a resume reads
//! ([`crate::input_hash`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::{COLUMNS, Status};

/// How much of each end of an input the fingerprint reads.
const FINGERPRINT_SPAN: u64 = 1 << 20;

/// What identifies a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobIdentity {
    pub inputs: Vec<InputIdentity>,
    /// SHA-256 of the mapping file's text.
    pub mapping: String,
    pub dataset: String,
    pub upload_tag: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputIdentity {
    pub name: String,
    /// `None` for stdin, which cannot be checked.
    pub size: Option<u64>,
    /// SHA-256 of the size and the first and last MiB of the file.
    pub fingerprint: Option<String>,
}

impl JobIdentity {
    pub fn of(
        inputs: &[String],
        mapping_text: &str,
        dataset: &str,
        upload_tag: &str,
    ) -> std::io::Result<JobIdentity> {
        let inputs = inputs
            .iter()
            .map(|name| {
                if name == "-" {
                    return Ok(InputIdentity {
                        name: name.clone(),
                        size: None,
                        fingerprint: None,
                    });
                }
                let (size, fingerprint) = fingerprint(Path::new(name))?;
                Ok(InputIdentity {
                    name: name.clone(),
                    size: Some(size),
                    fingerprint: Some(fingerprint),
                })
            })
            .collect::<std::io::Result<_>>()?;
        Ok(JobIdentity {
            inputs,
            mapping: const_hex::encode(Sha256::digest(mapping_text.as_bytes())),
            dataset: dataset.to_owned(),
            upload_tag: upload_tag.to_owned(),
        })
    }

    /// Sentences saying how `other` (the recorded job) differs from this.
    pub fn differences(&self, recorded: &JobIdentity) -> Vec<String> {
        let mut out = Vec::new();
        let names = |j: &JobIdentity| j.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        if names(self) != names(recorded) {
            out.push(format!(
                "the inputs were {} and are now {}",
                names(recorded).join(" "),
                names(self).join(" ")
            ));
        } else {
            for (now, then) in self.inputs.iter().zip(&recorded.inputs) {
                if now.size != then.size {
                    out.push(format!(
                        "{} changed size ({} bytes then, {} now)",
                        now.name,
                        then.size.unwrap_or(0),
                        now.size.unwrap_or(0)
                    ));
                } else if now.fingerprint != then.fingerprint {
                    out.push(format!("{} changed content", now.name));
                }
            }
        }
        if self.mapping != recorded.mapping {
            out.push("the mapping file changed".to_owned());
        }
        if self.dataset != recorded.dataset {
            out.push(format!(
                "the dataset was {} and is now {}",
                recorded.dataset, self.dataset
            ));
        }
        if self.upload_tag != recorded.upload_tag {
            out.push(format!(
                "the upload tag was {} and is now {}",
                recorded.upload_tag, self.upload_tag
            ));
        }
        out
    }

    pub fn load(path: &Path) -> Option<JobIdentity> {
        let text = std::fs::read_to_string(path).ok()?;
        serde_json::from_str(&text).ok()
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = with_suffix(path, ".tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)? + "\n")?;
        std::fs::rename(tmp, path)
    }
}

fn fingerprint(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut hasher = Sha256::new();
    hasher.update(size.to_le_bytes());
    let mut buf = Vec::new();
    (&mut file).take(FINGERPRINT_SPAN).read_to_end(&mut buf)?;
    hasher.update(&buf);
    if size > FINGERPRINT_SPAN {
        buf.clear();
        file.seek(SeekFrom::Start(
            size.saturating_sub(FINGERPRINT_SPAN).max(FINGERPRINT_SPAN),
        ))?;
        file.take(FINGERPRINT_SPAN).read_to_end(&mut buf)?;
        hasher.update(&buf);
    }
    Ok((size, const_hex::encode(hasher.finalize())))
}

/// `report.csv` + `.job.json` → `report.csv.job.json`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The files of a job's report.
#[derive(Debug, Clone)]
pub struct ReportFiles {
    pub report: PathBuf,
    pub tmp: PathBuf,
    pub job: PathBuf,
}

impl ReportFiles {
    pub fn new(report: &Path) -> ReportFiles {
        ReportFiles {
            report: report.to_owned(),
            tmp: with_suffix(report, ".tmp"),
            job: with_suffix(report, ".job.json"),
        }
    }
}

/// One line of an earlier report.
#[derive(Debug, Clone)]
pub struct PreviousLine {
    pub file: u32,
    pub row: u64,
    pub record: csv::StringRecord,
}

impl PreviousLine {
    pub fn status(&self) -> &str {
        self.record.get(2).unwrap_or("")
    }
}

/// An earlier report read in step with the new run (both in input order).
pub struct Previous {
    reader: csv::Reader<File>,
    files: HashMap<String, u32>,
    next: Option<PreviousLine>,
    /// `sent` lines from `.ahead` sidecars: confirmations that were not in
    /// the report yet when the run stopped.
    ahead: HashMap<(u32, u64), PreviousLine>,
    /// Lines that could not be read (a torn last line after a kill).
    pub unreadable: u64,
}

impl Previous {
    pub fn open(path: &Path, files: &[String]) -> std::io::Result<Previous> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(File::open(path)?);
        let header = reader.headers().map_err(std::io::Error::other)?;
        // Killed before the header reached the disk: nothing was recorded.
        let full = COLUMNS.join(",");
        let seen = header.iter().collect::<Vec<_>>().join(",");
        let torn = seen.len() < full.len() && full.starts_with(&seen);
        if !torn && header.iter().ne(COLUMNS) {
            return Err(std::io::Error::other(format!(
                "{} is not an offconv report (its header differs)",
                path.display()
            )));
        }
        let mut previous = Previous {
            reader,
            files: files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.clone(), i as u32))
                .collect(),
            next: None,
            ahead: HashMap::new(),
            unreadable: 0,
        };
        previous.advance();
        Ok(previous)
    }

    /// Adds the `sent` lines of a `.ahead` sidecar (no header; a torn last
    /// line is skipped). A missing file is fine.
    pub fn load_ahead(&mut self, path: &Path) -> std::io::Result<()> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        for record in reader.records() {
            let Ok(record) = record else {
                self.unreadable += 1;
                continue;
            };
            let file = record.get(0).and_then(|f| self.files.get(f)).copied();
            let row = record.get(1).and_then(|r| r.parse().ok());
            match (file, row, record.len()) {
                (Some(file), Some(row), 9) if record.get(2) == Some(Status::Sent.as_str()) => {
                    self.ahead
                        .insert((file, row), PreviousLine { file, row, record });
                }
                _ => self.unreadable += 1,
            }
        }
        Ok(())
    }

    fn advance(&mut self) {
        self.next = None;
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return,
                Ok(true) => {
                    let file = record.get(0).and_then(|f| self.files.get(f)).copied();
                    let row = record.get(1).and_then(|r| r.parse().ok());
                    if let (Some(file), Some(row), 9) = (file, row, record.len()) {
                        self.next = Some(PreviousLine {
                            file,
                            row,
                            record: record.clone(),
                        });
                        return;
                    }
                    self.unreadable += 1;
                }
                Err(_) => {
                    self.unreadable += 1;
                    if self.reader.is_done() {
                        return;
                    }
                }
            }
        }
    }

    /// The earlier line of (`file`, `row`), if the earlier report has one.
    /// Calls must come in input order.
    pub fn take(&mut self, file: u32, row: u64) -> Option<PreviousLine> {
        let ordered = self.take_ordered(file, row);
        if ordered
            .as_ref()
            .is_some_and(|l| l.status() == Status::Sent.as_str())
        {
            return ordered;
        }
        self.ahead.remove(&(file, row)).or(ordered)
    }

    fn take_ordered(&mut self, file: u32, row: u64) -> Option<PreviousLine> {
        while let Some(next) = &self.next {
            match (next.file, next.row).cmp(&(file, row)) {
                std::cmp::Ordering::Less => self.advance(),
                std::cmp::Ordering::Equal => {
                    let line = self.next.take();
                    self.advance();
                    return line;
                }
                std::cmp::Ordering::Greater => return None,
            }
        }
        None
    }

    /// The next line in order, for merging.
    fn pop(&mut self) -> Option<PreviousLine> {
        let line = self.next.take();
        if line.is_some() {
            self.advance();
        }
        line
    }

    fn peek_key(&self) -> Option<(u32, u64)> {
        self.next.as_ref().map(|l| (l.file, l.row))
    }
}

/// Merges two reports of one job into `out`: for a row in both, a `sent`
/// line wins, else the newer (`newer`) one.
pub fn merge(older: &Path, newer: &Path, out: &Path, files: &[String]) -> std::io::Result<()> {
    let mut a = Previous::open(older, files)?;
    let mut b = Previous::open(newer, files)?;
    let mut w = csv::Writer::from_writer(crate::private_file::create(out)?);
    w.write_record(COLUMNS)?;
    loop {
        let line = match (a.peek_key(), b.peek_key()) {
            (None, None) => break,
            (Some(_), None) => a.pop(),
            (None, Some(_)) => b.pop(),
            (Some(ka), Some(kb)) if ka < kb => a.pop(),
            (Some(ka), Some(kb)) if ka > kb => b.pop(),
            _ => {
                let (la, lb) = (a.pop(), b.pop());
                match (la, lb) {
                    (Some(la), Some(lb)) => {
                        if la.status() == Status::Sent.as_str()
                            && lb.status() != Status::Sent.as_str()
                        {
                            Some(la)
                        } else {
                            Some(lb)
                        }
                    }
                    (la, lb) => la.or(lb),
                }
            }
        };
        if let Some(line) = line {
            w.write_record(&line.record)?;
        }
    }
    let file = w
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
        let p = dir.join(name);
        let mut text = COLUMNS.join(",") + "\n";
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn previous_follows_input_order_and_merge_keeps_sent() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec!["a.csv".to_owned(), "b.csv".to_owned()];
        let old = report(
            dir.path(),
            "old.csv",
            &[
                "a.csv,1,sent,e1,1,1,,,T",
                "a.csv,2,failed,e2,1,3,network,x,",
                "b.csv,1,failed,e3,2,1,auth,x,",
            ],
        );
        let new = report(
            dir.path(),
            "new.csv",
            &[
                "a.csv,1,failed,e1,1,1,auth,x,",
                "a.csv,2,sent,e2,1,1,,,U",
                "a.csv,3,sent,e4,1,1,,,U",
                "b.csv,1,se",
            ],
        );
        let mut prev = Previous::open(&old, &files).unwrap();
        assert_eq!(prev.take(0, 1).unwrap().status(), "sent");
        assert!(prev.take(0, 3).is_none());
        assert_eq!(prev.take(1, 1).unwrap().status(), "failed");
        assert!(prev.take(1, 2).is_none());

        let out = dir.path().join("merged.csv");
        merge(&old, &new, &out, &files).unwrap();
        let text = std::fs::read_to_string(out).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "a.csv,1,sent,e1,1,1,,,T",
                "a.csv,2,sent,e2,1,1,,,U",
                "a.csv,3,sent,e4,1,1,,,U",
                "b.csv,1,failed,e3,2,1,auth,x,",
            ]
        );
    }

    #[test]
    fn identity_differences_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "a,b\n1,2\n").unwrap();
        let name = input.display().to_string();
        let a = JobIdentity::of(std::slice::from_ref(&name), "m", "1", "t").unwrap();
        assert!(a.differences(&a).is_empty());
        std::fs::write(&input, "a,b\n1,3\n").unwrap();
        let b = JobIdentity::of(std::slice::from_ref(&name), "m2", "1", "t").unwrap();
        let d = b.differences(&a);
        assert!(d.iter().any(|s| s.contains("changed content")), "{d:?}");
        assert!(d.iter().any(|s| s.contains("mapping")), "{d:?}");
    }
}
