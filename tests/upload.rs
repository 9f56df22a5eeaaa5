//! `offconv upload` against the sandbox, run as separate processes as a
//! user would run them (issue 4): faults, isolation of refused events, a
//! token that expires, the rate cap, and the token's whereabouts.

mod util;

use std::collections::{HashMap, HashSet};

use util::*;

const MAPPING: &str = r#"
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
ph = "phone"
"#;

/// Writes `n` valid sales.
fn write_sales(t: &TestDir, name: &str, n: usize) -> String {
    let mut s = String::with_capacity(n * 64);
    s.push_str("order_id,purchased_at,email,phone,total\n");
    for i in 0..n {
        s.push_str(&format!(
            "O{i:07},2026-11-25 {:02}:{:02}:{:02},user{i}@example.com,312555{:04},{}.{:02}\n",
            i % 24,
            i % 60,
            (i / 60) % 60,
            i % 10_000,
            i % 500,
            i % 100
        ));
    }
    t.write(name, s).display().to_string()
}

/// A recording sandbox on the fixtures' clock.
fn sandbox(t: &TestDir, extra: &[&str]) -> SandboxProcess {
    let mut args = vec!["--record", "record.ndjson", "--now", NOW];
    args.extend_from_slice(extra);
    SandboxProcess::start(t, &args)
}

fn upload(
    t: &TestDir,
    sandbox: &SandboxProcess,
    input: &str,
    extra: &[&str],
    token: &str,
) -> std::process::Output {
    t.write("m.toml", MAPPING);
    let mut args = vec![
        "upload",
        input,
        "--mapping",
        "m.toml",
        "--dataset",
        "1234567890",
        "--api-base",
        &sandbox.url,
        "--now",
        NOW,
        "--report",
        "report.csv",
        "--payloads",
        "payloads.ndjson",
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", token);
    cmd.output().expect("run upload")
}

fn record(t: &TestDir) -> Vec<serde_json::Value> {
    t.read("record.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn assert_no_token(t: &TestDir, out: &std::process::Output, token: &str) {
    for (what, text) in [
        ("report", t.read("report.csv")),
        ("payloads", t.read("payloads.ndjson")),
        ("stderr", String::from_utf8_lossy(&out.stderr).into_owned()),
        ("stdout", String::from_utf8_lossy(&out.stdout).into_owned()),
    ] {
        assert!(!text.contains(token), "the token is in the {what}");
    }
}

#[test]
fn every_row_sent_once_through_faults() {
    let t = TestDir::new();
    let n = 100_000;
    let input = write_sales(&t, "sales.csv", n);
    let sandbox = sandbox(
        &t,
        &[
            "--seed",
            "7",
            "--fail-rate",
            "0.2",
            "--drop-rate",
            "0.05",
            "--html-502-rate",
            "0.02",
            "--rate-limit",
            "50",
        ],
    );
    let token = "tok-SECRET-1234567890";
    let out = upload(
        &t,
        &sandbox,
        &input,
        &["--concurrency", "8", "--rate", "0"],
        token,
    );
    let summary = sandbox.stop();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), n);
    assert!(
        report.iter().all(|r| r.status == "sent"),
        "{:?}",
        report.iter().find(|r| r.status != "sent")
    );
    assert!(
        report
            .iter()
            .all(|r| !r.fbtrace_id.is_empty() && !r.batch.is_empty())
    );
    let retried = report.iter().filter(|r| r.attempts != "1").count();
    assert!(retried > 0, "the faults made some requests retry");

    let rec = record(&t);
    let ids: HashSet<&str> = rec
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(rec.len(), n, "every event delivered exactly once");
    assert_eq!(ids.len(), n);
    assert_eq!(summary["duplicates"], 0);
    assert_eq!(summary["token_in_url"], 0);
    let faults: u64 = summary["rejected_requests"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(faults > 0, "{summary}");
    assert!(rec.iter().all(|e| e["upload_tag"] == "sales-2026-11-26"));
    assert_no_token(&t, &out, token);
}

#[test]
fn only_refused_events_are_rejected() {
    let t = TestDir::new();
    let n = 20_000;
    let input = write_sales(&t, "sales.csv", n);
    let sandbox = sandbox(&t, &["--seed", "3", "--reject-event", "0.001"]);
    let out = upload(&t, &sandbox, &input, &["--rate", "0"], "tok");
    let summary = sandbox.stop();
    assert_eq!(out.status.code(), Some(1), "rejected rows make exit code 1");
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), n);
    let rejected: Vec<_> = report.iter().filter(|r| r.status == "rejected").collect();
    assert!(
        !rejected.is_empty() && rejected.len() < 60,
        "{}",
        rejected.len()
    );
    assert!(
        rejected
            .iter()
            .all(|r| r.reason == "graph_100" && r.detail.contains("data[")),
        "{:?}",
        rejected[0]
    );
    let sent: HashSet<&str> = report
        .iter()
        .filter(|r| r.status == "sent")
        .map(|r| r.event_id.as_str())
        .collect();
    assert_eq!(sent.len() + rejected.len(), n);
    let rec = record(&t);
    let recorded: HashSet<&str> = rec
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(recorded, sent, "the sandbox took exactly the sent rows");
    assert_eq!(summary["duplicates"], 0);
}

#[test]
fn expired_token_stops_within_one_round() {
    let t = TestDir::new();
    let n = 60_000;
    let input = write_sales(&t, "sales.csv", n);
    let sandbox = sandbox(&t, &["--expire-token-after", "20"]);
    let out = upload(
        &t,
        &sandbox,
        &input,
        &["--rate", "0", "--concurrency", "4", "--batch-size", "500"],
        "tok",
    );
    let summary = sandbox.stop();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--resume"), "{stderr}");
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report.len(), n, "every row in the report");
    let sent = report.iter().filter(|r| r.status == "sent").count();
    assert_eq!(sent, 20 * 500);
    assert!(
        report
            .iter()
            .filter(|r| r.status != "sent")
            .all(|r| r.status == "failed" && r.reason == "auth")
    );
    let after_190 = summary["rejected_requests"]["190"].as_u64().unwrap();
    assert!(
        (1..=4).contains(&after_190),
        "requests after the first 190: {after_190} (concurrency 4)"
    );
    assert_eq!(summary["requests"].as_u64().unwrap(), 20 + after_190);
}

#[test]
fn rate_cap_holds_at_the_server() {
    let t = TestDir::new();
    let input = write_sales(&t, "sales.csv", 3_000);
    let sandbox = sandbox(&t, &[]);
    let out = upload(
        &t,
        &sandbox,
        &input,
        &["--rate", "5", "--batch-size", "100", "--concurrency", "8"],
        "tok",
    );
    sandbox.stop();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut arrivals: HashMap<u64, u64> = HashMap::new();
    for e in record(&t) {
        arrivals.insert(
            e["request"].as_u64().unwrap(),
            e["arrived_ms"].as_u64().unwrap(),
        );
    }
    let mut times: Vec<u64> = arrivals.into_values().collect();
    times.sort_unstable();
    assert_eq!(times.len(), 30);
    // Burst of one: any one-second window holds at most 5 + 1 requests.
    for (i, start) in times.iter().enumerate() {
        let in_window = times[i..].iter().take_while(|t| **t < start + 1000).count();
        assert!(in_window <= 6, "{in_window} requests within 1 s of {start}");
    }
    let span = times.last().unwrap() - times.first().unwrap();
    assert!(
        span >= 5_000,
        "30 requests at 5/s take more than 5 s, took {span} ms"
    );
}

#[test]
fn no_token_and_no_dataset_are_clear_errors() {
    let t = TestDir::new();
    let input = write_sales(&t, "sales.csv", 10);
    t.write("m.toml", MAPPING);
    let out = run_expect(
        &mut t.cmd(&["upload", &input, "--mapping", "m.toml", "--dataset", "1"]),
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("META_ACCESS_TOKEN"));
    let mut cmd = t.cmd(&["upload", &input, "--mapping", "m.toml"]);
    cmd.env("META_ACCESS_TOKEN", "x");
    let out = run_expect(&mut cmd, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dataset"));
    assert!(!t.path("report.csv").exists());
}

#[test]
fn sandbox_flag_runs_the_whole_job_in_process() {
    let t = TestDir::new();
    let out = run_expect(
        &mut t.cmd(&[
            "upload",
            &fixture("store_sales.csv"),
            "--mapping",
            &fixture("store_sales.toml"),
            "--sandbox",
            "--now",
            NOW,
            "--report",
            "r.csv",
        ]),
        0,
    );
    let report = read_report(&t.path("r.csv"));
    assert_eq!(report.len(), 1000);
    assert!(report.iter().all(|r| r.status == "sent"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1000 events accepted"), "{stderr}");

    // A dry run does not wipe the upload's report (the resume journal).
    let out = run_expect(
        &mut t.cmd(&[
            "validate",
            &fixture("store_sales.csv"),
            "--mapping",
            &fixture("store_sales.toml"),
            "--now",
            NOW,
            "--report",
            "r.csv",
        ]),
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("another --report"));
    assert_eq!(read_report(&t.path("r.csv")).len(), 1000);
    assert!(
        read_report(&t.path("r.csv"))
            .iter()
            .all(|r| r.status == "sent")
    );
}
