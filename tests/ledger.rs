//! The ledger (DESIGN.md section 7) end to end against a sandbox process:
//! overlapping exports send only what is new, a dry run shows the skips
//! and writes nothing, `--no-ledger` and `--resend` send everything, two
//! runs at once deliver every event once, and a ledger that cannot be
//! opened stops the run before anything is sent.

mod util;

use std::collections::HashMap;

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
"#;

/// Orders `from..to` as an export.
fn write_orders(t: &TestDir, name: &str, from: usize, to: usize) -> String {
    let mut s = String::from("order_id,purchased_at,email,total\n");
    for i in from..to {
        s.push_str(&format!(
            "O{i:05},2026-11-25 10:{:02}:00,user{i}@example.com,{}.50\n",
            i % 60,
            i % 90 + 1
        ));
    }
    t.write(name, s).display().to_string()
}

fn upload(
    t: &TestDir,
    sb: &SandboxProcess,
    input: &str,
    report: &str,
    extra: &[&str],
) -> std::process::Command {
    t.write("m.toml", MAPPING);
    let mut args = vec![
        "upload",
        input,
        "--mapping",
        "m.toml",
        "--dataset",
        "1234567890",
        "--api-base",
        &sb.url,
        "--now",
        NOW,
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

/// How often the sandbox accepted each event id.
fn deliveries(t: &TestDir) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for line in std::fs::read_to_string(t.path("record.ndjson"))
        .unwrap_or_default()
        .lines()
    {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        *n.entry(e["event_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    n
}

fn sandbox(t: &TestDir) -> SandboxProcess {
    SandboxProcess::start(t, &["--record", "record.ndjson", "--now", NOW])
}

fn count(rows: &[ReportRow], status: &str) -> usize {
    rows.iter().filter(|r| r.status == status).count()
}

#[test]
fn an_overlapping_export_sends_only_the_new_half() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let first = write_orders(&t, "week1.csv", 0, 100);
    let second = write_orders(&t, "week2.csv", 50, 150);
    run_expect(
        &mut upload(
            &t,
            &sb,
            &first,
            "r1.csv",
            &["--ledger", "l.sqlite", "--upload-tag", "nightly-1"],
        ),
        0,
    );
    let out = run_expect(
        &mut upload(&t, &sb, &second, "r2.csv", &["--ledger", "l.sqlite"]),
        0,
    );
    let rows = read_report(&t.path("r2.csv"));
    assert_eq!(rows.len(), 100);
    assert_eq!(count(&rows, "sent"), 50);
    let skipped: Vec<_> = rows.iter().filter(|r| r.status == "skipped").collect();
    assert_eq!(skipped.len(), 50);
    for r in &skipped {
        assert_eq!(r.reason, "already_sent");
        assert!(r.row <= 50, "row {} of the new half was skipped", r.row);
        assert!(
            r.detail.contains("nightly-1") && r.detail.contains("2026-"),
            "{}",
            r.detail
        );
    }
    let seen = deliveries(&t);
    assert_eq!(seen.len(), 150);
    assert!(
        seen.values().all(|n| *n == 1),
        "an event was delivered twice"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped already_sent: 50"), "{stderr}");
}

#[test]
fn validate_shows_the_skips_and_leaves_the_ledger_alone() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let first = write_orders(&t, "a.csv", 0, 40);
    let second = write_orders(&t, "b.csv", 20, 60);
    run_expect(
        &mut upload(&t, &sb, &first, "r1.csv", &["--ledger", "l.sqlite"]),
        0,
    );
    let dump = |t: &TestDir| {
        let out = run_expect(&mut t.cmd(&["ledger", "export", "--ledger", "l.sqlite"]), 0);
        String::from_utf8(out.stdout).unwrap()
    };
    let before = dump(&t);
    assert_eq!(before.lines().count(), 41, "{before}");
    run_expect(
        &mut t.cmd(&[
            "validate",
            &second,
            "--mapping",
            "m.toml",
            "--dataset",
            "1234567890",
            "--ledger",
            "l.sqlite",
            "--now",
            NOW,
            "--report",
            "v.csv",
        ]),
        0,
    );
    let rows = read_report(&t.path("v.csv"));
    assert_eq!(count(&rows, "valid"), 20);
    assert_eq!(count(&rows, "skipped"), 20);
    assert_eq!(dump(&t), before);
}

#[test]
fn no_ledger_and_resend_send_everything() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 30);
    run_expect(
        &mut upload(&t, &sb, &input, "r1.csv", &["--ledger", "l.sqlite"]),
        0,
    );
    run_expect(&mut upload(&t, &sb, &input, "r2.csv", &["--no-ledger"]), 0);
    assert_eq!(count(&read_report(&t.path("r2.csv")), "sent"), 30);
    run_expect(
        &mut upload(
            &t,
            &sb,
            &input,
            "r3.csv",
            &["--ledger", "l.sqlite", "--resend"],
        ),
        0,
    );
    assert_eq!(count(&read_report(&t.path("r3.csv")), "sent"), 30);
    assert!(deliveries(&t).values().all(|n| *n == 3));
    // Without --resend the same ledger skips them all.
    run_expect(
        &mut upload(&t, &sb, &input, "r4.csv", &["--ledger", "l.sqlite"]),
        0,
    );
    assert_eq!(count(&read_report(&t.path("r4.csv")), "skipped"), 30);
}

#[test]
fn the_default_ledger_lives_under_xdg_state_home() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 10);
    run_expect(&mut upload(&t, &sb, &input, "r1.csv", &[]), 0);
    assert!(t.path(".state/offconv/ledger.sqlite").exists());
    run_expect(&mut upload(&t, &sb, &input, "r2.csv", &[]), 0);
    assert_eq!(count(&read_report(&t.path("r2.csv")), "skipped"), 10);
}

#[test]
fn two_runs_at_once_deliver_every_event_once() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 400);
    let mut a = upload(
        &t,
        &sb,
        &input,
        "ra.csv",
        &["--ledger", "l.sqlite", "--rate", "200"],
    );
    let mut b = upload(
        &t,
        &sb,
        &input,
        "rb.csv",
        &["--ledger", "l.sqlite", "--rate", "200"],
    );
    let (ca, cb) = (a.spawn().unwrap(), b.spawn().unwrap());
    let (oa, ob) = (
        ca.wait_with_output().unwrap(),
        cb.wait_with_output().unwrap(),
    );
    assert_eq!(
        oa.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&oa.stderr)
    );
    assert_eq!(
        ob.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ob.stderr)
    );
    let seen = deliveries(&t);
    assert_eq!(seen.len(), 400);
    assert!(
        seen.values().all(|n| *n == 1),
        "an event was delivered twice"
    );
    let (ra, rb) = (
        read_report(&t.path("ra.csv")),
        read_report(&t.path("rb.csv")),
    );
    assert_eq!(count(&ra, "sent") + count(&rb, "sent"), 400);
    assert_eq!(count(&ra, "skipped") + count(&rb, "skipped"), 400);
}

#[test]
fn a_ledger_that_cannot_be_opened_stops_before_sending() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 10);
    t.write("not-a-folder", "x");
    let out = run_expect(
        &mut upload(
            &t,
            &sb,
            &input,
            "r1.csv",
            &["--ledger", "not-a-folder/l.sqlite"],
        ),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not-a-folder"), "{stderr}");
    assert!(deliveries(&t).is_empty());
}
