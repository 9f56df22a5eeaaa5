//! The per-row report (DESIGN.md 4.3): one CSV line per input record, in
//! input order, written as outcomes become final.
//!
//! Outcomes reach the writer out of order (batches finish in any order),
//! so it keeps a reorder buffer keyed by the run-wide row position and
//! writes the contiguous prefix. The producers bound how far ahead they
//! run, which bounds the buffer.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::io_context::{NamedFile, name};
use crate::outcome::Reason;

/// The report on disk: its write errors name it.
pub type ReportFile = std::io::BufWriter<NamedFile>;

/// The report's header, in this order.
pub const COLUMNS: [&str; 9] = [
    "file",
    "row",
    "status",
    "event_id",
    "batch",
    "attempts",
    "reason",
    "detail",
    "fbtrace_id",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Dry run: the event would be sent.
    Valid,
    Sent,
    Rejected,
    Failed,
    /// Left out on purpose (`filtered`, `already_sent`).
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Sent => "sent",
            Status::Rejected => "rejected",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// The empty detail, shared: most lines have none, and an `Arc<str>` made
/// from `""` would still allocate for each.
pub fn no_detail() -> Arc<str> {
    static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));
    Arc::clone(&EMPTY)
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct ReportLine {
    pub seq: u64,
    pub file: u32,
    pub row: u64,
    pub status: Status,
    pub event_id: Option<String>,
    pub batch: Option<u64>,
    pub attempts: u32,
    pub reason: Option<Reason>,
    /// `None`: no detail (most lines; no shared empty string whose
    /// reference count every thread would bump).
    pub detail: Option<Arc<str>>,
    pub fbtrace_id: Option<Arc<str>>,
}

/// Writes report lines in `seq` order, whatever order they arrive in.
pub struct ReportWriter<W: Write> {
    out: W,
    /// The input names, as CSV fields.
    files: Vec<Vec<u8>>,
    next_seq: u64,
    pending: BTreeMap<u64, ReportLine>,
    /// The line being written.
    line: Line,
    /// A second handle on the report file, to fsync it, and its path.
    sync_file: Option<(std::fs::File, std::path::PathBuf)>,
    ahead: Option<Ahead>,
}

/// The journal of confirmations the report cannot hold yet: a `sent` line
/// that waits in the reorder buffer (an earlier batch is still retrying)
/// is appended here at once, so a kill loses no confirmed row. Emptied
/// whenever the report catches up, deleted when the report is complete;
/// `--resume` reads it beside the report (`<report>.ahead`).
struct Ahead {
    path: std::path::PathBuf,
    out: std::io::BufWriter<NamedFile>,
    file: std::fs::File,
    dirty: bool,
}

/// What [`name`] says offconv was doing to the sidecar.
const WRITE_AHEAD: &str = "write the report's sidecar";

impl Ahead {
    fn create(path: std::path::PathBuf) -> std::io::Result<Ahead> {
        let named = |e| name(e, WRITE_AHEAD, &path);
        let file = crate::private_file::create(&path).map_err(named)?;
        let handle = file.try_clone().map_err(named)?;
        Ok(Ahead {
            out: std::io::BufWriter::with_capacity(
                1 << 16,
                NamedFile::new(file, WRITE_AHEAD, &path),
            ),
            path,
            file: handle,
            dirty: false,
        })
    }

    /// Everything in it is in the report now.
    fn clear(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        use std::io::Seek as _;
        // The handle shares the file offset with `out`'s.
        self.file
            .set_len(0)
            .and_then(|()| (&self.file).seek(std::io::SeekFrom::Start(0)))
            .map_err(|e| name(e, "empty the report's sidecar", &self.path))?;
        self.dirty = false;
        Ok(())
    }
}

/// The sidecar of a report: `report.csv.ahead`.
pub fn ahead_path(report: &Path) -> std::path::PathBuf {
    let mut s = report.as_os_str().to_owned();
    s.push(".ahead");
    std::path::PathBuf::from(s)
}

impl ReportWriter<ReportFile> {
    /// Creates (truncates) the report at `path` and writes the header.
    pub fn create(path: &Path, files: Vec<String>) -> std::io::Result<Self> {
        let file =
            crate::private_file::create(path).map_err(|e| name(e, "write the report", path))?;
        let file = NamedFile::new(file, "write the report", path);
        let mut writer =
            ReportWriter::new(std::io::BufWriter::with_capacity(1 << 16, file), files)?;
        // The header on disk at once: a report killed before its first line
        // is still a report, and a resume can read it.
        writer.flush()?;
        Ok(writer)
    }

    /// [`ReportWriter::create`] for an upload, whose report is also the
    /// resume journal: confirmations that arrive out of order go to the
    /// `.ahead` sidecar at once.
    pub fn create_journal(path: &Path, files: Vec<String>) -> std::io::Result<Self> {
        let mut writer = ReportWriter::create(path, files)?;
        // Only a journal is worth an fsync: a dry run's report can be made
        // again, and syncing 50 MB per million rows costs a visible pause.
        let handle = writer
            .out
            .get_ref()
            .try_clone_file()
            .map_err(|e| name(e, "write the report", path))?;
        writer.sync_file = Some((handle, path.to_owned()));
        writer.ahead = Some(Ahead::create(ahead_path(path))?);
        Ok(writer)
    }
}

impl<W: Write> ReportWriter<W> {
    pub fn new(mut out: W, files: Vec<String>) -> std::io::Result<Self> {
        out.write_all(COLUMNS.join(",").as_bytes())?;
        out.write_all(b"\n")?;
        let files = files
            .iter()
            .map(|f| {
                let mut field = Vec::new();
                push_field(&mut field, f.as_bytes());
                field
            })
            .collect();
        Ok(ReportWriter {
            out,
            files,
            next_seq: 0,
            pending: BTreeMap::new(),
            line: Line::default(),
            sync_file: None,
            ahead: None,
        })
    }

    /// Takes one final outcome; writes every line now contiguous.
    pub fn add(&mut self, line: ReportLine) -> std::io::Result<()> {
        if line.seq == self.next_seq {
            self.write(&line)?;
            self.next_seq += 1;
            while let Some(entry) = self.pending.first_entry() {
                if *entry.key() != self.next_seq {
                    break;
                }
                let line = entry.remove();
                self.write(&line)?;
                self.next_seq += 1;
            }
            if self.pending.is_empty()
                && let Some(ahead) = self.ahead.as_mut().filter(|a| a.dirty)
            {
                // The report holds these now; flushed first, so that at
                // every moment one of the two files has each line.
                self.out.flush()?;
                ahead.clear()?;
            }
        } else {
            if line.status == Status::Sent
                && let Some(ahead) = self.ahead.as_mut()
            {
                self.line.write(&mut ahead.out, &self.files, &line)?;
                ahead.dirty = true;
            }
            self.pending.insert(line.seq, line);
        }
        Ok(())
    }

    /// Lines waiting for an earlier one.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Lines written so far.
    pub fn written(&self) -> u64 {
        self.next_seq
    }

    fn write(&mut self, line: &ReportLine) -> std::io::Result<()> {
        self.line.write(&mut self.out, &self.files, line)
    }

    /// Flushes what has been written to the OS.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if let Some(ahead) = &mut self.ahead {
            ahead.out.flush()?;
        }
        self.out.flush()
    }

    /// Flushes and syncs what has been written to disk.
    pub fn sync(&mut self) -> std::io::Result<()> {
        self.flush()?;
        if let Some(ahead) = &self.ahead {
            ahead
                .file
                .sync_data()
                .map_err(|e| name(e, "sync the report's sidecar", &ahead.path))?;
        }
        match &self.sync_file {
            Some((f, path)) => f.sync_data().map_err(|e| name(e, "sync the report", path)),
            None => Ok(()),
        }
    }

    /// Flushes and returns the underlying writer. Lines still pending (an
    /// earlier one never came) are written in order: a report never loses
    /// a line it was given.
    pub fn finish(mut self) -> std::io::Result<W> {
        for (_, line) in std::mem::take(&mut self.pending) {
            self.write(&line)?;
        }
        self.sync()?;
        if let Some(ahead) = self.ahead.take() {
            // The report is complete: nothing is ahead of it any more.
            drop(ahead.out);
            std::fs::remove_file(&ahead.path)
                .map_err(|e| name(e, "remove the report's sidecar", &ahead.path))?;
        }
        Ok(self.out)
    }
}

/// One report line in the report's format, built in a reused buffer and
/// handed to the writer whole. The CSV is what the `csv` crate writes: a
/// field is quoted only when it holds a comma, a quote or a line break,
/// and quotes inside are doubled.
#[derive(Default)]
struct Line {
    buf: Vec<u8>,
    itoa: itoa::Buffer,
}

impl Line {
    fn write<W: Write>(
        &mut self,
        out: &mut W,
        files: &[Vec<u8>],
        line: &ReportLine,
    ) -> std::io::Result<()> {
        let buf = &mut self.buf;
        buf.clear();
        buf.extend_from_slice(files.get(line.file as usize).map_or(&[][..], Vec::as_slice));
        buf.push(b',');
        buf.extend_from_slice(self.itoa.format(line.row).as_bytes());
        buf.push(b',');
        buf.extend_from_slice(line.status.as_str().as_bytes());
        buf.push(b',');
        push_field(buf, line.event_id.as_deref().unwrap_or("").as_bytes());
        buf.push(b',');
        if let Some(b) = line.batch {
            buf.extend_from_slice(self.itoa.format(b).as_bytes());
        }
        buf.push(b',');
        if line.attempts > 0 {
            buf.extend_from_slice(self.itoa.format(line.attempts).as_bytes());
        }
        buf.push(b',');
        buf.extend_from_slice(line.reason.map_or("", Reason::code).as_bytes());
        buf.push(b',');
        push_field(buf, line.detail.as_deref().unwrap_or("").as_bytes());
        buf.push(b',');
        push_field(buf, line.fbtrace_id.as_deref().unwrap_or("").as_bytes());
        buf.push(b'\n');
        out.write_all(buf)
    }
}

/// Appends one CSV field, quoted when it has to be.
fn push_field(buf: &mut Vec<u8>, field: &[u8]) {
    if !field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        buf.extend_from_slice(field);
        return;
    }
    buf.push(b'"');
    for &b in field {
        if b == b'"' {
            buf.push(b'"');
        }
        buf.push(b);
    }
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(seq: u64, status: Status) -> ReportLine {
        ReportLine {
            seq,
            file: 0,
            row: seq + 1,
            status,
            event_id: Some(format!("e{seq}")),
            batch: None,
            attempts: 0,
            reason: (status == Status::Rejected).then_some(Reason::BadTime),
            detail: Some("column t: the time is empty, \"quoted\"".into()),
            fbtrace_id: None,
        }
    }

    #[test]
    fn writes_in_seq_order_whatever_the_arrival() {
        let mut w = ReportWriter::new(Vec::new(), vec!["in.csv".into()]).unwrap();
        for seq in [2, 0, 3, 1] {
            w.add(line(seq, Status::Valid)).unwrap();
        }
        w.add(line(4, Status::Rejected)).unwrap();
        assert_eq!(w.pending(), 0);
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], COLUMNS.join(","));
        assert_eq!(
            rows[1],
            "in.csv,1,valid,e0,,,,\"column t: the time is empty, \"\"quoted\"\"\","
        );
        assert!(rows[5].starts_with("in.csv,5,rejected,e4,,,bad_time,"));
        assert_eq!(rows.len(), 6);
    }

    /// The hand-written line is what the csv crate would write, for every
    /// kind of field (so readers of earlier reports, and `--resume`, read
    /// it the same).
    #[test]
    fn fields_are_written_as_the_csv_crate_writes_them() {
        let fields = [
            "",
            "plain",
            "with,comma",
            "with \"quote\"",
            "\"",
            "line\nbreak",
            "carriage\rreturn",
            " spaces ",
            "tab\there",
            "é✓ unicode",
            "'single'",
            "#hash",
        ];
        for f in fields {
            let mut ours = Vec::new();
            push_field(&mut ours, f.as_bytes());
            ours.push(b',');
            push_field(&mut ours, b"x");
            ours.push(b'\n');
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record([f, "x"]).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs.into_inner().unwrap()).unwrap(),
                "{f:?}"
            );
        }
    }
}
