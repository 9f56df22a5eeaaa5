//! Settings refused before the first row is read: exit 2, with a message
//! naming the setting, and nothing sent.

mod util;

use std::time::Instant;

use util::*;

const MAPPING: &str = r#"
[event]
name = "Purchase"
time_column = "purchased_at"
[custom_data]
value_column = "total"
currency = "USD"
[user_data]
em = "email"
"#;

fn refused(extra: &[&str], token: &str, names: &str) {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "sales.csv",
        "purchased_at,email,total\n2026-11-25 10:00:00,a@example.com,1.50\n",
    );
    let mut args = vec![
        "upload",
        "sales.csv",
        "--mapping",
        "m.toml",
        "--dataset",
        "42",
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", token);
    let started = Instant::now();
    let out = run_expect(&mut cmd, 2);
    let took = started.elapsed();
    offconv::say!("{extra:?}: refused in {took:?}");
    assert!(took.as_secs() < 10, "refused at once, not after retries");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(names), "{names}: {stderr}");
    assert!(!stderr.contains("tok\u{e4}"), "the token is never shown");
    assert!(!t.path("sales.csv.report.csv").exists(), "no row was read");
}

#[test]
fn bad_api_base_is_refused() {
    for base in [
        "graph.facebook.com",
        "ftp://graph.facebook.com",
        "https://graph.facebook.com:99999",
        "http://127.0.0.1:9?x=1",
        "http://127.0.0.1:9#frag",
        "http://127.0.0.1:9/a/../b",
    ] {
        refused(&["--api-base", base], "tok", "--api-base");
    }
}

#[test]
fn bad_api_version_is_refused() {
    refused(&["--api-version", "v26.0/../../x"], "tok", "--api-version");
    refused(&["--api-version", "26"], "tok", "--api-version");
}

#[test]
fn bad_tokens_are_refused() {
    refused(&[], "\u{feff}tok", "META_ACCESS_TOKEN");
    refused(&[], "tok\nen", "META_ACCESS_TOKEN");
    refused(&[], "tok\u{e4}", "META_ACCESS_TOKEN");
}

#[test]
fn bad_numbers_are_refused() {
    for (flag, value) in [
        ("--rate", "1e-20"),
        ("--rate", "nan"),
        ("--rate", "inf"),
        ("--rate", "-0"),
        ("--stop-grace", "nan"),
        ("--outage-timeout", "-1"),
        ("--max-pause", "inf"),
    ] {
        refused(&[&format!("{flag}={value}")], "tok", flag);
    }
}

#[test]
fn plain_http_to_another_machine_warns() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "sales.csv",
        "purchased_at,email,total\n2026-11-25 10:00:00,a@example.com,1.50\n",
    );
    // Port 9 on a documentation address: nothing answers; the warning
    // comes first, and the outage timeout ends the run.
    let mut cmd = t.cmd(&[
        "upload",
        "sales.csv",
        "--mapping",
        "m.toml",
        "--dataset",
        "42",
        "--now",
        NOW,
        "--api-base",
        "http://192.0.2.1:9",
        "--outage-timeout",
        "1",
        "--stop-grace",
        "1",
    ]);
    cmd.env("META_ACCESS_TOKEN", "tok");
    let out = cmd.output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unencrypted"), "{stderr}");
}
