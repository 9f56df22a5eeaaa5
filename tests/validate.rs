//! `offconv validate` / `upload --dry-run` end to end on the fixtures
//! (issue 2): report, payload dump, summary, exit codes, inputs.

mod util;

use std::collections::HashSet;

use util::*;

fn validate(
    t: &TestDir,
    input: &str,
    mapping: &str,
    extra: &[&str],
    code: i32,
) -> std::process::Output {
    let mut args = vec![
        "validate",
        input,
        "--mapping",
        mapping,
        "--now",
        NOW,
        "--report",
        "report.csv",
        "--payloads",
        "payloads.ndjson",
        "--summary-json",
        "summary.json",
    ];
    args.extend_from_slice(extra);
    run_expect(&mut t.cmd(&args), code)
}

#[test]
fn store_sales_is_all_valid_in_one_request() {
    let t = TestDir::new();
    let out = validate(
        &t,
        &fixture("store_sales.csv"),
        &fixture("store_sales.toml"),
        &[],
        0,
    );
    let report = read_report(&t.path("report.csv"));
    let records = count_records(std::path::Path::new(&fixture("store_sales.csv")), b',');
    assert_eq!(report.len(), records);
    assert!(
        report.iter().all(|r| r.status == "valid"),
        "{:?}",
        report.iter().find(|r| r.status != "valid")
    );
    let rows: Vec<u64> = report.iter().map(|r| r.row).collect();
    assert_eq!(rows, (1..=records as u64).collect::<Vec<_>>());
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(events.len(), records);
    let ids: HashSet<&str> = events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), records, "event ids are unique");
    for e in &events {
        assert_eq!(e["action_source"], "physical_store");
        assert_eq!(e["event_name"], "Purchase");
        for (key, values) in e["user_data"].as_object().unwrap() {
            for v in values.as_array().unwrap() {
                let v = v.as_str().unwrap();
                assert!(
                    v.len() == 64
                        && v.bytes()
                            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
                    "{key}={v}"
                );
            }
        }
        assert!(e["custom_data"]["value"].is_number());
        assert!(e["custom_data"]["currency"].as_str().unwrap().len() == 3);
    }
    let summary: serde_json::Value = serde_json::from_str(&t.read("summary.json")).unwrap();
    assert_eq!(summary["rows"], records);
    assert_eq!(summary["valid"], records);
    assert_eq!(summary["requests"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{records} rows read")), "{stderr}");
    assert!(stderr.contains("match keys: em"), "{stderr}");
}

#[test]
fn batch_size_splits_requests() {
    let t = TestDir::new();
    validate(
        &t,
        &fixture("store_sales.csv"),
        &fixture("store_sales.toml"),
        &["--batch-size", "300"],
        0,
    );
    let text = t.read("payloads.ndjson");
    let sizes: Vec<usize> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["data"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(sizes, [300, 300, 300, 100]);
    for l in text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["upload_tag"], "store_sales-2026-11-26");
        assert!(v.get("access_token").is_none());
    }
}

#[test]
fn compressed_and_semicolon_inputs_give_the_same_events() {
    let t = TestDir::new();
    validate(
        &t,
        &fixture("store_sales.csv"),
        &fixture("store_sales.toml"),
        &[],
        0,
    );
    let plain = read_payload_events(&t.path("payloads.ndjson"));
    for name in [
        "store_sales.csv.gz",
        "store_sales.csv.zst",
        "store_sales_semicolon.csv",
    ] {
        let t2 = TestDir::new();
        validate(&t2, &fixture(name), &fixture("store_sales.toml"), &[], 0);
        let events = read_payload_events(&t2.path("payloads.ndjson"));
        assert!(!events.is_empty(), "{name}");
        assert_eq!(events[..], plain[..events.len()], "{name}");
    }
}

#[test]
fn stdin_and_several_inputs_form_one_run() {
    let t = TestDir::new();
    let csv = std::fs::read(fixture("store_sales.csv")).unwrap();
    let out = run_stdin(
        &mut t.cmd(&[
            "validate",
            "-",
            &fixture("store_sales.csv.gz"),
            "--mapping",
            &fixture("store_sales.toml"),
            "--now",
            NOW,
            "--report",
            "r.csv",
        ]),
        &csv,
        0,
    );
    assert!(out.stdout.is_empty());
    let report = read_report(&t.path("r.csv"));
    let stdin_rows = report.iter().filter(|r| r.file == "-").count();
    let gz_rows = report
        .iter()
        .filter(|r| r.file.ends_with("store_sales.csv.gz"))
        .count();
    assert_eq!(
        stdin_rows,
        count_records(std::path::Path::new(&fixture("store_sales.csv")), b',')
    );
    assert!(gz_rows > 0);
    assert_eq!(report.len(), stdin_rows + gz_rows);
    // The same sale in two files gets the same event id (Meta deduplicates).
    let first_gz = report.iter().find(|r| r.file != "-").unwrap();
    assert_eq!(first_gz.event_id, report[0].event_id);
}

#[test]
fn messy_rows_each_reported_once_with_a_reason_and_no_pii() {
    let t = TestDir::new();
    let input = fixture("messy.csv");
    let out = validate(&t, &input, &fixture("messy.toml"), &[], 1);
    let report = read_report(&t.path("report.csv"));
    let records = count_records(std::path::Path::new(&input), b',');
    assert_eq!(report.len(), records, "every record exactly once");
    let rows: Vec<u64> = report.iter().map(|r| r.row).collect();
    assert_eq!(rows, (1..=records as u64).collect::<Vec<_>>());
    let rejected: Vec<_> = report.iter().filter(|r| r.status == "rejected").collect();
    assert!(rejected.len() >= 10, "messy.csv has many bad rows");
    assert!(report.iter().any(|r| r.status == "valid"));
    let known = [
        "bad_row",
        "bad_utf8",
        "no_match_keys",
        "bad_time",
        "too_old",
        "in_future",
        "bad_value",
        "bad_currency",
    ];
    for r in &rejected {
        assert!(known.contains(&r.reason.as_str()), "{r:?}");
        assert!(!r.detail.is_empty(), "{r:?}");
        let names_column =
            r.detail.starts_with("column ") || r.reason == "bad_row" || r.reason == "no_match_keys";
        assert!(names_column, "detail names the column: {r:?}");
    }
    for reason in [
        "bad_time",
        "too_old",
        "in_future",
        "bad_value",
        "bad_currency",
        "no_match_keys",
        "bad_row",
    ] {
        assert!(
            rejected.iter().any(|r| r.reason == reason),
            "messy.csv exercises {reason}"
        );
    }

    // No raw PII in the report, the payload dump or stderr.
    let pii = pii_values(&input);
    assert!(pii.len() > 20);
    let mut haystacks = vec![
        ("report", t.read("report.csv")),
        ("payloads", t.read("payloads.ndjson")),
        ("stderr", String::from_utf8_lossy(&out.stderr).into_owned()),
    ];
    haystacks.push(("summary", t.read("summary.json")));
    for (what, text) in &haystacks {
        let lower = text.to_lowercase();
        for v in &pii {
            assert!(
                !lower.contains(&v.to_lowercase()),
                "raw PII {v:?} in the {what}"
            );
        }
    }
}

/// Cell values of PII columns long enough to be unambiguous.
fn pii_values(path: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let header = rdr.byte_headers().unwrap().clone();
    let pii_cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            let h = String::from_utf8_lossy(h).to_lowercase();
            ["email", "phone", "first_name", "last_name", "city", "zip"]
                .iter()
                .any(|p| h.contains(p))
        })
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for rec in rdr.byte_records() {
        let rec = rec.unwrap();
        for &c in &pii_cols {
            if let Some(v) = rec.get(c) {
                let v = String::from_utf8_lossy(v).trim().to_owned();
                let pre_hashed = v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit());
                if v.chars().count() >= 5 && !pre_hashed {
                    out.push(v);
                }
            }
        }
    }
    out
}

#[test]
fn upload_dry_run_is_validate() {
    let t = TestDir::new();
    run_expect(
        &mut t.cmd(&[
            "upload",
            "--dry-run",
            &fixture("store_sales.csv"),
            "--mapping",
            &fixture("store_sales.toml"),
            "--now",
            NOW,
            "--report",
            "a.csv",
        ]),
        0,
    );
    validate(
        &t,
        &fixture("store_sales.csv"),
        &fixture("store_sales.toml"),
        &[],
        0,
    );
    let a = read_report(&t.path("a.csv"));
    let b = read_report(&t.path("report.csv"));
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter()
            .zip(&b)
            .all(|(x, y)| x.event_id == y.event_id && x.status == y.status)
    );
}

#[test]
fn max_rejected_sets_the_exit_code() {
    let t = TestDir::new();
    let m = fixture("messy.toml");
    validate(
        &t,
        &fixture("messy.csv"),
        &m,
        &["--max-rejected", "100%"],
        0,
    );
    validate(&t, &fixture("messy.csv"), &m, &["--max-rejected", "1"], 1);
    let out = validate(
        &t,
        &fixture("messy.csv"),
        &m,
        &["--max-rejected", "lots"],
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("lots"));
}

#[test]
fn mapping_errors_stop_before_any_row() {
    let t = TestDir::new();
    let input = fixture("store_sales.csv");
    let cases: &[(&str, &[&str])] = &[
        (
            "[event]\ntime_colum = \"purchased_at\"\n[user_data]\nem = \"email\"\n",
            &["bad.toml", "time_colum", "did you mean `time_column`"],
        ),
        (
            "[event]\ntime_column = \"purchased_at\"\n[user_data]\nem = \"e_mail\"\n",
            &["bad.toml", "[user_data] em", "did you mean \"email\""],
        ),
        (
            "[event]\ntime_column = \"purchased_at\"\n[user_data]\nemail = \"email\"\n",
            &["bad.toml", "[user_data] email", "did you mean em"],
        ),
        (
            "[event]\ntime_column = \"purchased_at\"\n",
            &["bad.toml", "maps no column"],
        ),
        (
            "[user_data]\nem = \"email\"\n",
            &["bad.toml", "time_column is missing"],
        ),
        ("[event\n", &["bad.toml"]),
    ];
    for (toml, wanted) in cases {
        t.write("bad.toml", toml);
        let out = run_expect(
            &mut t.cmd(&[
                "validate",
                &input,
                "--mapping",
                "bad.toml",
                "--report",
                "r.csv",
            ]),
            2,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        for w in *wanted {
            assert!(stderr.contains(w), "{toml:?}: expected {w:?} in:\n{stderr}");
        }
        assert!(
            !t.path("r.csv").exists(),
            "no report before the mapping is good"
        );
    }
    let out = run_expect(
        &mut t.cmd(&[
            "validate",
            "nope.csv",
            "--mapping",
            &fixture("store_sales.toml"),
        ]),
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.csv"));
    let out = run_expect(&mut t.cmd(&["validate", &input]), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("offconv.toml"));
}
