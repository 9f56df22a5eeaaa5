//! How a run ends (DESIGN.md 4.6), driven through the binary against the
//! sandbox: SIGTERM during a long rate-limit pause, during back-off, at a
//! very low `--rate` and with the server gone, each out within the grace
//! plus 5 s with every row in the report and exit 143, then `--resume`
//! sending every row once; an outage and a pause longer than
//! `--max-pause` ending the run on their own with exit 1.

mod util;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use util::*;

const MAPPING: &str = r#"
[event]
name = "Purchase"
time_column = "purchased_at"
id_column = "order_id"
[custom_data]
value_column = "total"
currency = "USD"
[user_data]
em = "email"
"#;

/// Rows per test: several batches of 100.
const N: usize = 1_000;

fn write_sales(t: &TestDir, n: usize) -> String {
    let mut s = String::from("order_id,purchased_at,email,total\n");
    for i in 0..n {
        s.push_str(&format!(
            "R{i:06},2026-11-25 10:{:02}:00,buyer{i}@example.com,{}.50\n",
            i % 60,
            i % 90
        ));
    }
    t.write("sales.csv", s).display().to_string()
}

fn upload_cmd(t: &TestDir, url: &str, extra: &[&str]) -> Command {
    t.write("m.toml", MAPPING);
    let input = t.path("sales.csv").display().to_string();
    let mut args = vec![
        "upload",
        &input,
        "--mapping",
        "m.toml",
        "--dataset",
        "42",
        "--api-base",
        url,
        "--now",
        NOW,
        "--report",
        "report.csv",
        "--batch-size",
        "100",
        "--stop-grace",
        "1",
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", "tok")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for the child, at most `limit`; returns its exit code, stderr
/// and how long it took.
fn wait_within(child: Child, limit: Duration) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(out) = rx.recv_timeout(limit) else {
        let _ = Command::new("kill")
            .args(["-KILL", &id.to_string()])
            .status();
        panic!("offconv did not end within {limit:?}");
    };
    let out = out.expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

/// Starts an upload, sends SIGTERM after `after`, checks it ends within
/// the grace (1 s) plus 5 s with exit 143 and every row reported.
fn sigterm_after(t: &TestDir, url: &str, extra: &[&str], after: Duration) {
    let child = upload_cmd(t, url, extra).spawn().expect("spawn");
    std::thread::sleep(after);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    let (code, stderr, took) = wait_within(child, Duration::from_secs(6));
    offconv::say!("stopped {took:?} after SIGTERM");
    assert_eq!(code, Some(143), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), N, "every row, read or not, is in the report");
    for (i, r) in report.iter().enumerate() {
        assert_eq!(r.row, i as u64 + 1);
        assert!(
            r.status == "sent" || (r.status == "failed" && r.reason == "interrupted"),
            "{r:?}"
        );
    }
    assert!(report.iter().any(|r| r.status == "failed"));
}

/// `--resume` against a healthy sandbox: every row ends sent, and the
/// sandbox got each event once (counting what the first run delivered).
fn resume_sends_each_once(t: &TestDir, first_run: &[serde_json::Value]) {
    let sandbox = SandboxProcess::start(t, &["--record", "record2.ndjson", "--now", NOW]);
    let out = upload_cmd(t, &sandbox.url, &["--resume", "--rate", "0"])
        .output()
        .expect("resume");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sandbox.stop();
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), N);
    assert!(report.iter().all(|r| r.status == "sent"), "all sent");
    let mut seen: HashMap<String, usize> = HashMap::new();
    let second = records(t, "record2.ndjson");
    for e in first_run.iter().chain(&second) {
        *seen
            .entry(e["event_id"].as_str().expect("id").to_owned())
            .or_default() += 1;
    }
    assert_eq!(seen.len(), N, "every event delivered");
    assert!(seen.values().all(|&n| n == 1), "no event delivered twice");
}

fn records(t: &TestDir, name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(t.path(name))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("record line"))
        .collect()
}

#[test]
fn sigterm_during_a_long_rate_limit_pause() {
    let t = TestDir::new();
    write_sales(&t, N);
    // Every request is refused with a 10-minute regain estimate.
    let sandbox = SandboxProcess::start(
        &t,
        &["--now", NOW, "--rate-limit", "0", "--regain-minutes", "10"],
    );
    sigterm_after(&t, &sandbox.url, &["--rate", "0"], Duration::from_secs(2));
    sandbox.stop();
    resume_sends_each_once(&t, &[]);
}

#[test]
fn sigterm_during_back_off() {
    let t = TestDir::new();
    write_sales(&t, N);
    let sandbox = SandboxProcess::start(&t, &["--now", NOW, "--fail-rate", "1"]);
    sigterm_after(
        &t,
        &sandbox.url,
        &["--rate", "0", "--max-retries", "100"],
        Duration::from_secs(3),
    );
    sandbox.stop();
    resume_sends_each_once(&t, &[]);
}

#[test]
fn sigterm_at_a_very_low_rate_sends_nothing_more() {
    let t = TestDir::new();
    write_sales(&t, N);
    let sandbox = SandboxProcess::start(&t, &["--now", NOW, "--record", "record.ndjson"]);
    sigterm_after(
        &t,
        &sandbox.url,
        &["--rate", "0.001"],
        Duration::from_secs(2),
    );
    let seen = sandbox.stop();
    // One request goes at once; the rest wait ~1000 s each behind the cap
    // and none of them is sent after the signal.
    assert_eq!(seen["requests"], 1, "{seen}");
    let first = records(&t, "record.ndjson");
    let sent = read_report(&t.path("report.csv"))
        .iter()
        .filter(|r| r.status == "sent")
        .count();
    assert_eq!(sent, first.len());
    resume_sends_each_once(&t, &first);
}

/// A port nothing listens on.
fn dead_url(t: &TestDir) -> String {
    let sandbox = SandboxProcess::start(t, &[]);
    let url = sandbox.url.clone();
    drop(sandbox);
    url
}

#[test]
fn sigterm_while_the_server_is_gone() {
    let t = TestDir::new();
    write_sales(&t, N);
    let url = dead_url(&t);
    sigterm_after(
        &t,
        &url,
        &["--rate", "0", "--max-retries", "100"],
        Duration::from_secs(2),
    );
    resume_sends_each_once(&t, &[]);
}

#[test]
fn an_outage_ends_the_run_on_its_own() {
    let t = TestDir::new();
    write_sales(&t, N);
    let url = dead_url(&t);
    let child = upload_cmd(
        &t,
        &url,
        &[
            "--rate",
            "0",
            "--max-retries",
            "100",
            "--outage-timeout",
            "2",
        ],
    )
    .spawn()
    .expect("spawn");
    let (code, stderr, took) = wait_within(child, Duration::from_secs(32));
    offconv::say!("an outage of 2 s ended the run after {took:?}");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("unreachable"), "{stderr}");
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), N);
    assert!(
        report
            .iter()
            .all(|r| r.status == "failed" && r.reason == "network"),
        "{:?}",
        report.first()
    );
}

#[test]
fn a_pause_longer_than_max_pause_ends_the_run_saying_when() {
    let t = TestDir::new();
    write_sales(&t, N);
    let sandbox = SandboxProcess::start(
        &t,
        &["--now", NOW, "--rate-limit", "0", "--regain-minutes", "30"],
    );
    let child = upload_cmd(&t, &sandbox.url, &["--rate", "0", "--max-pause", "5"])
        .spawn()
        .expect("spawn");
    let (code, stderr, took) = wait_within(child, Duration::from_secs(20));
    offconv::say!("a 30-minute regain estimate ended the run after {took:?}");
    sandbox.stop();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("expects access back at"), "{stderr}");
    assert!(stderr.contains("30 min"), "{stderr}");
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), N);
    assert!(
        report
            .iter()
            .all(|r| r.status == "failed" && r.reason == "rate_limited"),
        "{:?}",
        report.first()
    );
}

#[test]
fn sigint_exits_130() {
    let t = TestDir::new();
    write_sales(&t, N);
    let sandbox = SandboxProcess::start(&t, &["--now", NOW, "--fail-rate", "1"]);
    let child = upload_cmd(&t, &sandbox.url, &["--rate", "0", "--max-retries", "100"])
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_secs(2));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    let (code, stderr, _) = wait_within(child, Duration::from_secs(6));
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(read_report(&t.path("report.csv")).len(), N);
}
