//! What the ledger's tests share: an export of numbered orders, an upload
//! against a sandbox process, the deliveries the sandbox recorded, and the
//! two stores (a SQLite file, a PostgreSQL database).

use std::collections::HashMap;
use std::process::Command;

use super::postgres::PgServer;
use super::{NOW, ReportRow, SandboxProcess, TestDir};

pub const MAPPING: &str = r#"
[event]
name = "Purchase"
time_column = "purchased_at"
id_column = "order_id"
[custom_data]
value_column = "total"
currency = "USD"
order_id_column = "order_id"
[user_data]
em = "email"
"#;

/// The dataset every upload here sends to.
pub const DATASET: &str = "1234567890";

/// A ledger under test.
pub enum Ledger {
    /// `l.sqlite` in the test's folder.
    Sqlite,
    Postgres(PgServer),
}

impl Ledger {
    /// The store `name` ("sqlite", "postgres"); `None` (and a printed
    /// reason) when this machine has no PostgreSQL server.
    pub fn named(name: &str, test: &str) -> Option<Ledger> {
        match name {
            "sqlite" => Some(Ledger::Sqlite),
            _ => PgServer::for_test(test).map(Ledger::Postgres),
        }
    }

    /// The `--ledger` value.
    pub fn arg(&self) -> String {
        match self {
            Ledger::Sqlite => "l.sqlite".into(),
            Ledger::Postgres(pg) => pg.url.clone(),
        }
    }

    /// `offconv ledger export` of it, as text.
    pub fn dump(&self, t: &TestDir) -> String {
        let out = super::run_expect(
            &mut t.cmd(&["ledger", "export", "--ledger", &self.arg()]),
            0,
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }
}

/// Orders `from..to` of day `day` (YYYY-MM-DD) as an export.
pub fn write_orders_on(t: &TestDir, name: &str, from: usize, to: usize, day: &str) -> String {
    let mut s = String::from("order_id,purchased_at,email,total\n");
    for i in from..to {
        s.push_str(&format!(
            "O{i:05},{day} 10:{:02}:00,user{i}@example.com,{}.50\n",
            i % 60,
            i % 90 + 1
        ));
    }
    t.write(name, s).display().to_string()
}

/// Orders `from..to` of 2026-11-25, the day before [`NOW`].
pub fn write_orders(t: &TestDir, name: &str, from: usize, to: usize) -> String {
    write_orders_on(t, name, from, to, "2026-11-25")
}

/// `offconv upload INPUT` against `sb` in batches of 20, clock at [`NOW`].
pub fn upload(
    t: &TestDir,
    sb: &SandboxProcess,
    input: &str,
    report: &str,
    extra: &[&str],
) -> Command {
    upload_at(t, sb, input, report, NOW, extra)
}

/// [`upload`] with the clock at `now`.
pub fn upload_at(
    t: &TestDir,
    sb: &SandboxProcess,
    input: &str,
    report: &str,
    now: &str,
    extra: &[&str],
) -> Command {
    t.write("m.toml", MAPPING);
    let mut args = vec![
        "upload",
        input,
        "--mapping",
        "m.toml",
        "--dataset",
        DATASET,
        "--api-base",
        &sb.url,
        "--now",
        now,
        "--report",
        report,
        "--batch-size",
        "20",
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", "test-token");
    cmd
}

/// A sandbox that records what it accepts, its clock at `now`.
pub fn sandbox_at(t: &TestDir, now: &str) -> SandboxProcess {
    SandboxProcess::start(t, &["--record", "record.ndjson", "--now", now])
}

pub fn sandbox(t: &TestDir) -> SandboxProcess {
    sandbox_at(t, NOW)
}

/// Stops the sandbox (which flushes its record) and counts how often it
/// accepted each event id.
pub fn deliveries(sb: SandboxProcess, t: &TestDir) -> HashMap<String, usize> {
    sb.stop();
    let mut n = HashMap::new();
    for line in std::fs::read_to_string(t.path("record.ndjson"))
        .unwrap_or_default()
        .lines()
    {
        let e: serde_json::Value = serde_json::from_str(line).expect("record line");
        *n.entry(e["event_id"].as_str().expect("event_id").to_owned())
            .or_default() += 1;
    }
    n
}

pub fn count(rows: &[ReportRow], status: &str) -> usize {
    rows.iter().filter(|r| r.status == status).count()
}

/// Asserts every row of `0..rows` is in the report exactly once.
pub fn each_row_once(rows: &[ReportRow], n: usize) {
    let mut seen: Vec<u64> = rows.iter().map(|r| r.row).collect();
    seen.sort_unstable();
    let want: Vec<u64> = (1..=n as u64).collect();
    assert_eq!(seen, want, "every row once in the report");
}

/// Waits (at most `secs`) until `path` holds at least `lines` lines.
pub fn wait_for_lines(path: &std::path::Path, lines: usize, secs: u64) {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        let n = std::fs::read_to_string(path)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        if n >= lines {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{} never reached {lines} lines", path.display());
}
