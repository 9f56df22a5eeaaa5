//! Crash-safe runs (issue 5): kill the upload anywhere, resume, and every
//! row ends `sent` exactly once in the report, with every event in the
//! sandbox's record.
#![allow(clippy::disallowed_macros)] // a tool's own output (see clippy.toml)

mod util;

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
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

/// A recording sandbox on the fixtures' clock.
fn sandbox(t: &TestDir, extra: &[&str]) -> SandboxProcess {
    let mut args = vec!["--record", "record.ndjson", "--now", NOW];
    args.extend_from_slice(extra);
    SandboxProcess::start(t, &args)
}

fn upload_cmd(t: &TestDir, url: &str, input: &str, extra: &[&str]) -> Command {
    t.write("m.toml", MAPPING);
    let mut args = vec![
        "upload",
        input,
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
        "--rate",
        "0",
        "--concurrency",
        "4",
        "-q",
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", "tok")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Lines in the report so far (0 when it does not exist yet).
fn report_lines(t: &TestDir) -> usize {
    std::fs::read(t.path("report.csv")).map_or(0, |b| {
        b.iter().filter(|c| **c == b'\n').count().saturating_sub(1)
    })
}

/// Starts an upload and kills it with `signal` once the report holds at
/// least `after_lines` lines (0: right after `min_delay`).
fn run_and_kill(
    t: &TestDir,
    url: &str,
    input: &str,
    signal: &str,
    after_lines: usize,
    min_delay: Duration,
) -> Option<i32> {
    let mut child = upload_cmd(t, url, input, &[]).spawn().unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code(); // finished before the kill point
        }
        if started.elapsed() >= min_delay && report_lines(t) >= after_lines {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap().code()
}

/// `--resume` until the job completes; returns how many runs it took.
fn resume_to_the_end(t: &TestDir, url: &str, input: &str) -> usize {
    for run in 1..=5 {
        let out = upload_cmd(t, url, input, &["--resume"]).output().unwrap();
        if out.status.code() == Some(0) {
            return run;
        }
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    panic!("the job did not complete in 5 resumes");
}

/// Checks the end state; returns the number of events delivered twice.
fn check_complete(t: &TestDir, n: usize) -> usize {
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), n, "every row exactly once");
    for (i, r) in report.iter().enumerate() {
        assert_eq!(r.row, i as u64 + 1, "input order");
        assert_eq!(r.status, "sent", "{r:?}");
        assert_eq!(r.event_id, format!("R{i:06}"));
    }
    assert!(!t.path("report.csv.tmp").exists());
    assert!(
        !t.path("report.csv.ahead").exists(),
        "the sidecar goes once the report is complete"
    );
    let record: Vec<serde_json::Value> = t
        .read("record.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut deliveries: HashMap<String, usize> = HashMap::new();
    for e in &record {
        *deliveries
            .entry(e["event_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let expected: HashSet<String> = (0..n).map(|i| format!("R{i:06}")).collect();
    let delivered: HashSet<String> = deliveries.keys().cloned().collect();
    assert_eq!(delivered, expected, "every event reached the sandbox");
    // A second delivery carries the same event_id (the key above), so Meta
    // deduplicates it; count them.
    deliveries.values().filter(|c| **c > 1).map(|c| c - 1).sum()
}

#[test]
fn sigkill_anywhere_then_resume_loses_nothing() {
    let n = 50_000;
    let mut worst = 0;
    // (report lines before the kill, minimum delay): during the first
    // batch, early, in the middle, near the end.
    for (seed, (after_lines, delay_ms)) in [(0usize, 40u64), (5_000, 0), (25_000, 0), (47_000, 0)]
        .into_iter()
        .enumerate()
    {
        let t = TestDir::new();
        let input = write_sales(&t, n);
        let sandbox = sandbox(
            &t,
            &[
                "--seed",
                &seed.to_string(),
                "--latency-ms",
                "5-40",
                "--fail-rate",
                "0.05",
                "--drop-rate",
                "0.02",
            ],
        );
        let code = run_and_kill(
            &t,
            &sandbox.url,
            &input,
            "-KILL",
            after_lines,
            Duration::from_millis(delay_ms),
        );
        assert!(
            code.is_none() || code == Some(0),
            "killed or finished: {code:?}"
        );
        let runs = resume_to_the_end(&t, &sandbox.url, &input);
        let summary = sandbox.stop();
        let twice = check_complete(&t, n);
        assert_eq!(summary["duplicates"].as_u64().unwrap() as usize, twice);
        // Only what was in flight at the kill goes twice: at most
        // `--concurrency` (4) requests of 1,000 events.
        assert!(twice <= 4 * 1000, "{twice} events delivered twice");
        eprintln!(
            "kill after {after_lines} report lines: {twice} events delivered twice, {runs} resume run(s)"
        );
        worst = worst.max(twice);
    }
    eprintln!("worst double deliveries over the kills: {worst}");
}

#[test]
fn sigint_stops_cleanly_and_resume_finishes() {
    let n = 30_000;
    let t = TestDir::new();
    let input = write_sales(&t, n);
    let sandbox = sandbox(&t, &["--latency-ms", "100-200"]);
    let mut child = upload_cmd(&t, &sandbox.url, &input, &[]).spawn().unwrap();
    while report_lines(&t) < 3_000 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before the interrupt"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
    // Rows not confirmed when the interrupt came, read or not, are
    // reported `failed` (interrupted): the report holds every row.
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), n);
    let interrupted = report.iter().filter(|r| r.status == "failed").count();
    assert!(interrupted > 0, "the interrupt stopped something");
    for (i, r) in report.iter().enumerate() {
        assert_eq!(r.row, i as u64 + 1, "the report holds every row in order");
        assert!(
            r.status == "sent" || (r.status == "failed" && r.reason == "interrupted"),
            "{r:?}"
        );
    }
    resume_to_the_end(&t, &sandbox.url, &input);
    sandbox.stop();
    check_complete(&t, n);
}

#[test]
fn resume_refuses_another_job_and_a_rerun_does_not_overwrite() {
    let t = TestDir::new();
    let input = write_sales(&t, 2_000);
    let sandbox = sandbox(&t, &[]);
    assert_eq!(
        upload_cmd(&t, &sandbox.url, &input, &[])
            .status()
            .unwrap()
            .code(),
        Some(0)
    );

    // The same job again without --resume: refused, the report kept.
    let before = t.read("report.csv");
    let out = upload_cmd(&t, &sandbox.url, &input, &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--resume") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(t.read("report.csv"), before);

    // Resume of a complete job sends nothing more.
    let out = upload_cmd(&t, &sandbox.url, &input, &["--resume"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));

    // A changed mapping or input: refused, saying what differs.
    let mut cmd = upload_cmd(&t, &sandbox.url, &input, &["--resume"]);
    t.write(
        "m.toml",
        MAPPING.replace("currency = \"USD\"", "currency = \"EUR\""),
    );
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("mapping file changed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut text = t.read("sales.csv");
    text.push_str("R999999,2026-11-25 10:00:00,late@example.com,1.00\n");
    t.write("sales.csv", text);
    let out = upload_cmd(&t, &sandbox.url, &input, &["--resume"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sales.csv changed"), "{stderr}");

    // --force starts over.
    let out = upload_cmd(&t, &sandbox.url, &input, &["--force"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = sandbox.stop();
    assert!(
        summary["duplicates"].as_u64().unwrap() >= 2_000,
        "a forced rerun resends, and Meta deduplicates"
    );
}
