//! `offconv check` and `offconv datasets` against the sandbox run as a
//! separate process, as a user would run them: a reachable dataset, a
//! token Meta refuses (code 190), JSON a script can parse, and the token
//! nowhere in what the commands print.

mod util;

use std::process::Output;

use util::*;

/// A token that must never be printed.
const TOKEN: &str = "tok-SECRET-check-0123456789";

/// A sandbox on the fixtures' clock.
fn sandbox(t: &TestDir, extra: &[&str]) -> SandboxProcess {
    let mut args = vec!["--now", NOW];
    args.extend_from_slice(extra);
    SandboxProcess::start(t, &args)
}

/// `offconv ARGS --api-base SANDBOX` with `token` in META_ACCESS_TOKEN.
fn offconv(t: &TestDir, sandbox: &SandboxProcess, args: &[&str], token: &str, code: i32) -> Output {
    let mut cmd = t.cmd(args);
    cmd.args(["--api-base", &sandbox.url])
        .env("META_ACCESS_TOKEN", token);
    let out = run_expect(&mut cmd, code);
    assert_no_token(&out, token);
    out
}

fn assert_no_token(out: &Output, token: &str) {
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(token), "the token is in {what}:\n{text}");
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8")
}

/// The sandbox's address and the trace id of each answer vary; the rest
/// of the text is what the snapshot is about.
fn stable(text: &str, sandbox: &SandboxProcess) -> String {
    let text = text.replace(&sandbox.url, "http://[SANDBOX]");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("fbtrace_id ") {
        let (before, after) = rest.split_at(at + "fbtrace_id ".len());
        out.push_str(before);
        out.push_str("[TRACE]");
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn check_reachable_consolidated_dataset() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    let out = offconv(
        &t,
        &sandbox,
        &["check", "--dataset", "1234567890123456"],
        TOKEN,
        0,
    );
    let text = stable(&stdout(&out), &sandbox);
    assert!(text.contains("Sandbox store sales"), "{text}");
    assert!(text.contains("consolidated: yes"), "{text}");
    insta::assert_snapshot!("check_ok", text);
    let summary = sandbox.stop();
    assert_eq!(summary["requests"], 1);
    assert_eq!(summary["token_in_url"], 0);
}

#[test]
fn check_legacy_event_set_is_not_consolidated() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    // The dataset id from the environment, as a nightly job sets it.
    let mut cmd = t.cmd(&["check", "--api-base", &sandbox.url]);
    cmd.env("META_DATASET_ID", "3456789012345678")
        .env("META_ACCESS_TOKEN", TOKEN);
    let out = run_expect(&mut cmd, 0);
    assert_no_token(&out, TOKEN);
    let text = stdout(&out);
    assert!(text.contains("Sandbox legacy offline event set"), "{text}");
    assert!(text.contains("consolidated: no"), "{text}");
    sandbox.stop();
}

#[test]
fn check_token_from_file() {
    let t = TestDir::new();
    t.write("token.txt", format!("{TOKEN}\n"));
    let sandbox = sandbox(&t, &["--token", TOKEN]);
    let mut cmd = t.cmd(&[
        "check",
        "--dataset",
        "2345678901234567",
        "--access-token-file",
        "token.txt",
        "--api-base",
        &sandbox.url,
    ]);
    let out = run_expect(&mut cmd, 0);
    assert_no_token(&out, TOKEN);
    assert!(stdout(&out).contains("Sandbox phone orders"));
    sandbox.stop();
}

#[test]
fn check_refused_token_exits_2_with_advice() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &["--token", "right"]);
    let out = offconv(
        &t,
        &sandbox,
        &["check", "--dataset", "1234567890123456"],
        TOKEN,
        2,
    );
    let text = stable(&stderr(&out), &sandbox);
    assert!(text.contains("Graph error 190"), "{text}");
    assert!(text.contains("expired or invalid"), "{text}");
    assert!(text.contains("new system user token"), "{text}");
    assert!(stdout(&out).is_empty());
    insta::assert_snapshot!("check_invalid_token", text);
    let summary = sandbox.stop();
    // 190 is not retried: one request.
    assert_eq!(summary["requests"], 1);
}

#[test]
fn check_expired_token() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &["--expire-token-after", "0"]);
    let out = offconv(
        &t,
        &sandbox,
        &["check", "--dataset", "1234567890"],
        TOKEN,
        2,
    );
    let text = stderr(&out);
    assert!(text.contains("Session has expired"), "{text}");
    assert!(text.contains("expired or invalid"), "{text}");
    sandbox.stop();
}

#[test]
fn check_without_token_or_dataset() {
    let t = TestDir::new();
    let out = run_expect(&mut t.cmd(&["check", "--dataset", "1234567890"]), 2);
    insta::assert_snapshot!("check_no_token", stderr(&out));
    let mut cmd = t.cmd(&["check"]);
    cmd.env("META_ACCESS_TOKEN", TOKEN);
    let out = run_expect(&mut cmd, 2);
    assert!(stderr(&out).contains("--dataset"), "{}", stderr(&out));
}

#[test]
fn check_names_a_malformed_id_without_asking() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    let out = offconv(&t, &sandbox, &["check", "--dataset", "act_12/x"], TOKEN, 2);
    insta::assert_snapshot!("check_bad_id", stderr(&out));
    assert_eq!(sandbox.stop()["requests"], 0);
}

#[test]
fn check_unreachable_api() {
    let t = TestDir::new();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut cmd = t.cmd(&["check", "--dataset", "1234567890", "--api-base", &base]);
    cmd.env("META_ACCESS_TOKEN", TOKEN);
    let out = run_expect(&mut cmd, 2);
    assert_no_token(&out, TOKEN);
    let text = stderr(&out);
    assert!(text.contains("cannot reach the Graph API"), "{text}");
    assert!(text.contains(&base), "names the server: {text}");
}

#[test]
fn check_in_process_sandbox() {
    let t = TestDir::new();
    let out = run_expect(&mut t.cmd(&["check", "--sandbox"]), 0);
    let text = stdout(&out);
    assert!(
        text.contains("dataset:      1234567890 (reachable)"),
        "{text}"
    );
    assert!(text.contains("sandbox"), "{text}");
    assert!(stderr(&out).contains("sandbox: a local stand-in"));
}

#[test]
fn check_debug_log_goes_to_stderr_without_the_token() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    let out = offconv(
        &t,
        &sandbox,
        &["check", "--dataset", "1234567890", "-vv"],
        TOKEN,
        0,
    );
    let log = stderr(&out);
    assert!(log.contains("graph GET"), "{log}");
    assert!(log.contains("DEBUG"), "{log}");
    assert!(!stdout(&out).contains("graph GET"));
    let quiet = offconv(
        &t,
        &sandbox,
        &["check", "--dataset", "1234567890"],
        TOKEN,
        0,
    );
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    sandbox.stop();
}

#[test]
fn datasets_table() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    let out = offconv(
        &t,
        &sandbox,
        &["datasets", "--ad-account", "act_1234"],
        TOKEN,
        0,
    );
    insta::assert_snapshot!("datasets_table", stdout(&out));
    sandbox.stop();
}

#[test]
fn datasets_json_parses() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    // The bare number works as well as act_1234.
    let out = offconv(
        &t,
        &sandbox,
        &["datasets", "--ad-account", "1234", "--json"],
        TOKEN,
        0,
    );
    let datasets: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let datasets = datasets.as_array().expect("an array");
    assert_eq!(datasets.len(), 3);
    let ids: Vec<&str> = datasets
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        ["1234567890123456", "2345678901234567", "3456789012345678"]
    );
    assert_eq!(datasets[0]["is_consolidated_container"], true);
    assert_eq!(datasets[2]["is_consolidated_container"], false);
    assert_eq!(datasets[2]["last_fired_time"], "2025-05-13T23:59:58+0000");
    assert_eq!(sandbox.stop()["token_in_url"], 0);
}

#[test]
fn datasets_refused_token() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &["--token", "right"]);
    let out = offconv(
        &t,
        &sandbox,
        &["datasets", "--ad-account", "act_1234", "--json"],
        TOKEN,
        2,
    );
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("expired or invalid"));
    sandbox.stop();
}

#[test]
fn datasets_bad_ad_account() {
    let t = TestDir::new();
    let mut cmd = t.cmd(&["datasets", "--ad-account", "my-shop"]);
    cmd.env("META_ACCESS_TOKEN", TOKEN);
    let out = run_expect(&mut cmd, 2);
    insta::assert_snapshot!("datasets_bad_ad_account", stderr(&out));
}
