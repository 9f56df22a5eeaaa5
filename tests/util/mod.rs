//! A small harness for running the real binary: a temp dir per test and a
//! command builder, as ripgrep's tests do.
#![allow(dead_code)]

pub mod ledger;
pub mod mcp;
pub mod postgres;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The fixed clock every fixture is made for.
pub const NOW: &str = "2026-11-26T12:00:00Z";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write");
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read")
    }

    /// `offconv ARGS` run in this directory, with a clean environment for
    /// the variables offconv reads.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_offconv"));
        cmd.current_dir(self.dir.path())
            .args(args)
            .env_remove("META_ACCESS_TOKEN")
            .env_remove("META_APP_SECRET")
            .env_remove("META_DATASET_ID")
            .env_remove("META_GRAPH_URL")
            .env_remove("OFFCONV_LEDGER")
            // The default ledger lives in the test's own folder, never in
            // the real ~/.local/state.
            .env("XDG_STATE_HOME", self.dir.path().join(".state"))
            .stdin(Stdio::null());
        cmd
    }
}

/// Runs and checks the exit code, showing stderr when it differs.
pub fn run_expect(cmd: &mut Command, code: i32) -> Output {
    let out = cmd.output().expect("run offconv");
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code; stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `offconv validate` of `csv` with `mapping` (written as `in.csv` and
/// `m.toml` in `t`), at the fixtures' clock, expecting exit `code`; the
/// report, dump and summary go to `report.csv`, `payloads.ndjson` and
/// `summary.json`.
pub fn validate_text(t: &TestDir, csv: &str, mapping: &str, code: i32) -> Output {
    t.write("in.csv", csv);
    t.write("m.toml", mapping);
    let args = [
        "validate",
        "in.csv",
        "--mapping",
        "m.toml",
        "--now",
        NOW,
        "--report",
        "report.csv",
        "--payloads",
        "payloads.ndjson",
        "--summary-json",
        "summary.json",
    ];
    run_expect(&mut t.cmd(&args), code)
}

/// Runs with `input` on stdin.
pub fn run_stdin(cmd: &mut Command, input: &[u8], code: i32) -> Output {
    use std::io::Write;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn offconv");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code; stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// One parsed report line.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub file: String,
    pub row: u64,
    pub status: String,
    pub event_id: String,
    pub batch: String,
    pub attempts: String,
    pub reason: String,
    pub detail: String,
    pub fbtrace_id: String,
}

pub fn read_report(path: &Path) -> Vec<ReportRow> {
    let mut rdr = csv::Reader::from_path(path).expect("report");
    let header = rdr.headers().expect("header").clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "file",
            "row",
            "status",
            "event_id",
            "batch",
            "attempts",
            "reason",
            "detail",
            "fbtrace_id"
        ]
    );
    rdr.records()
        .map(|r| {
            let r = r.expect("report record");
            ReportRow {
                file: r[0].to_owned(),
                row: r[1].parse().expect("row number"),
                status: r[2].to_owned(),
                event_id: r[3].to_owned(),
                batch: r[4].to_owned(),
                attempts: r[5].to_owned(),
                reason: r[6].to_owned(),
                detail: r[7].to_owned(),
                fbtrace_id: r[8].to_owned(),
            }
        })
        .collect()
}

/// The events of an NDJSON payload dump, in order.
pub fn read_payload_events(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("payloads");
    text.lines()
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("payload line is JSON");
            v["data"].as_array().expect("data").clone()
        })
        .collect()
}

/// Number of data records in a CSV file as the csv crate counts them.
pub fn count_records(path: &Path, delimiter: u8) -> usize {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_path(path)
        .expect("csv")
        .byte_records()
        .count()
}

/// An `offconv sandbox` child process on a free loopback port, started in
/// a test's directory and killed when dropped (a failing test must not
/// leave it running).
pub struct SandboxProcess {
    child: std::process::Child,
    /// `http://ADDR`, for `--api-base`.
    pub url: String,
    /// `ADDR` alone.
    pub addr: String,
}

impl SandboxProcess {
    /// `offconv sandbox --listen 127.0.0.1:0 ARGS`.
    pub fn start(t: &TestDir, args: &[&str]) -> SandboxProcess {
        use std::io::BufRead;
        let mut cmd = t.cmd(&["sandbox", "--listen", "127.0.0.1:0"]);
        cmd.args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("start the sandbox");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        let addr = url.trim_start_matches("http://").to_owned();
        SandboxProcess { child, url, addr }
    }

    /// Stops it with SIGINT (which flushes the record); returns its
    /// summary line.
    pub fn stop(mut self) -> serde_json::Value {
        use std::io::Read;
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill");
        let mut rest = String::new();
        self.child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut rest)
            .expect("read the summary");
        self.child.wait().expect("wait");
        let last = rest.lines().last().expect("a summary line");
        serde_json::from_str(last).expect("summary is JSON")
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
