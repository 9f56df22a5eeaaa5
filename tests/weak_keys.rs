//! The weak-key rule (DESIGN.md section 1, issue 16) as a user meets it:
//! an event whose only customer keys are a set Meta calls too broad is
//! rejected locally, `weak_match_keys`, and never reaches the server, so
//! it cannot cost its batch a round of isolation.

mod util;

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
fn = "first_name"
ge = "gender"
zp = "zip"
country = "country"
db = "birthday"
"#;

#[test]
fn weak_key_rows_are_rejected_locally_and_never_sent() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "sales.csv",
        "order_id,purchased_at,email,first_name,gender,zip,country,birthday,total\n\
         A1,2026-11-25 10:00:00,ann@example.com,Ann,f,,,,10.00\n\
         A2,2026-11-25 10:01:00,,Bea,f,,,,11.00\n\
         A3,2026-11-25 10:02:00,,,,60601,US,,12.00\n\
         A4,2026-11-25 10:03:00,,,,,,1990-04-01,13.00\n\
         A5,2026-11-25 10:04:00,,Cid,m,60601,US,,14.00\n",
    );
    let sandbox = SandboxProcess::start(&t, &["--record", "record.ndjson", "--now", NOW]);
    let mut cmd = t.cmd(&[
        "upload",
        "sales.csv",
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
        "--no-ledger",
    ]);
    cmd.env("META_ACCESS_TOKEN", "tok");
    // Rejected rows make the exit code 1.
    run_expect(&mut cmd, 1);
    let summary = sandbox.stop();

    let report = t.read("report.csv");
    let lines: Vec<Vec<&str>> = report
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let status: Vec<(&str, &str)> = lines.iter().map(|f| (f[2], f[6])).collect();
    assert_eq!(
        status,
        [
            ("sent", ""),
            ("rejected", "weak_match_keys"),
            ("rejected", "weak_match_keys"),
            ("rejected", "weak_match_keys"),
            // fn + ge + zp + country is in no weak set: Meta may match it.
            ("sent", ""),
        ],
        "{report}"
    );
    // Only the two sent events reached the server, in one request that
    // nothing refused.
    let recorded: Vec<serde_json::Value> = t
        .read("record.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = recorded
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [lines[0][3], lines[4][3]], "{recorded:?}");
    assert_eq!(summary["requests"], 1, "{summary}");
    assert_eq!(
        summary["rejected_requests"],
        serde_json::json!({}),
        "{summary}"
    );
    let payloads = t.read("payloads.ndjson");
    assert_eq!(payloads.lines().count(), 1);
    for weak in &lines[1..4] {
        assert!(!payloads.contains(weak[3]), "{} was not sent", weak[3]);
    }
}
