//! Issue 13: `--resume` refuses an input that differs anywhere from what
//! the earlier run read, a file or stdin, naming it, and sends nothing
//! more (the hash of the bytes read, `src/input_hash.rs`).

mod util;

use std::process::Command;

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

fn sales(n: usize) -> String {
    let mut s = String::from("order_id,purchased_at,email,total\n");
    for i in 0..n {
        s.push_str(&format!(
            "R{i:06},2026-11-25 10:{:02}:00,buyer{i}@example.com,{}.50\n",
            i % 60,
            i % 90
        ));
    }
    s
}

/// The same bytes with one email changed in the middle, same size.
fn changed_in_the_middle(s: &str) -> String {
    let at = s.len() / 2 + s[s.len() / 2..].find("@example").unwrap();
    let mut b = s.as_bytes().to_vec();
    b[at - 1] = if b[at - 1] == b'9' { b'8' } else { b'9' };
    String::from_utf8(b).unwrap()
}

fn upload(t: &TestDir, url: &str, input: &str, extra: &[&str]) -> Command {
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
        "-q",
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", "tok");
    cmd
}

fn accepted(summary: &serde_json::Value) -> u64 {
    summary["accepted_events"].as_u64().unwrap()
}

#[test]
fn a_file_changed_in_the_middle_is_refused_on_resume() {
    let t = TestDir::new();
    // Over 2 MiB: the change is beyond the first and last MiB.
    let original = sales(45_000);
    assert!(original.len() > 2 << 20);
    t.write("sales.csv", &original);
    let sandbox = SandboxProcess::start(&t, &["--now", NOW]);
    run_expect(&mut upload(&t, &sandbox.url, "sales.csv", &[]), 0);
    let report = t.read("report.csv");

    let changed = changed_in_the_middle(&original);
    assert_eq!(changed.len(), original.len());
    t.write("sales.csv", &changed);
    let out = run_expect(&mut upload(&t, &sandbox.url, "sales.csv", &["--resume"]), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("sales.csv is not the input the earlier run read"),
        "{stderr}"
    );
    assert_eq!(t.read("report.csv"), report, "the report stays as it was");
    assert_eq!(accepted(&sandbox.stop()), 45_000, "nothing more was sent");
}

#[test]
fn stdin_changed_in_the_middle_is_refused_on_resume() {
    let t = TestDir::new();
    let original = sales(300);
    let sandbox = SandboxProcess::start(&t, &["--now", NOW]);
    run_stdin(
        &mut upload(&t, &sandbox.url, "-", &[]),
        original.as_bytes(),
        0,
    );
    let report = t.read("report.csv");
    // The same export again resumes: every row was sent, nothing is resent.
    run_stdin(
        &mut upload(&t, &sandbox.url, "-", &["--resume"]),
        original.as_bytes(),
        0,
    );
    let out = run_stdin(
        &mut upload(&t, &sandbox.url, "-", &["--resume"]),
        changed_in_the_middle(&original).as_bytes(),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stdin (-) is not the input the earlier run read"),
        "{stderr}"
    );
    assert_eq!(t.read("report.csv"), report, "the report stays as it was");
    assert_eq!(accepted(&sandbox.stop()), 300, "nothing more was sent");
}
