//! What a user reads when a mapping file or an input cannot be used: the
//! real binary's stderr, snapshotted, and exit code 2 (DESIGN.md 4.2 and
//! 4.5). Each message should name the file, the key and the fix; a change
//! to any of them shows up here for review.
//!
//! Runs happen inside a temp dir with relative paths, and any absolute
//! temp path left in the output becomes `[TMP]`, so snapshots are stable.

mod util;

use std::process::Output;

use util::*;

/// An export every mapping below could read.
const SALES: &str = "\
order_id,purchased_at,email,phone,total
O1,2026-11-25 10:00:00,ann@example.com,3125550100,10.00
O2,2026-11-25 11:30:00,bob@example.com,3125550101,24.50
";

/// A mapping that works with [`SALES`]; the cases below break one thing.
const MAPPING: &str = r#"
[event]
name = "Purchase"
action_source = "physical_store"
time_column = "purchased_at"
timezone = "America/Chicago"
id_column = "order_id"

[custom_data]
value_column = "total"
currency = "USD"
order_id_column = "order_id"

[user_data]
em = "email"
ph = "phone"

[normalize]
phone_region = "US"
"#;

/// `offconv validate INPUTS --mapping m.toml` in `t`; checks exit code 2
/// and returns stderr with temp paths replaced.
fn validate(t: &TestDir, inputs: &[&str]) -> String {
    let mut args = vec!["validate"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&[
        "--mapping",
        "m.toml",
        "--report",
        "report.csv",
        "--now",
        NOW,
    ]);
    let out = run_expect(&mut t.cmd(&args), 2);
    stable_stderr(t, &out)
}

fn stable_stderr(t: &TestDir, out: &Output) -> String {
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    let dir = t.dir.path();
    // Longest first: the canonical path (macOS: /private/var/…) contains
    // the plain one.
    if let Ok(canonical) = dir.canonicalize() {
        text = text.replace(&canonical.display().to_string(), "[TMP]");
    }
    let text = text.replace(&dir.display().to_string(), "[TMP]");
    without_elapsed(&text)
}

/// The summary's "(0.0 s, 0 rows/s)" depends on the machine's load: it
/// becomes "([ELAPSED])" so a snapshot pins only what offconv decides.
fn without_elapsed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match (line.rfind(" ("), line.find(" rows/s)")) {
            (Some(open), Some(end)) if open < end => {
                out.push_str(&line[..open]);
                out.push_str(" ([ELAPSED])");
                out.push_str(&line[end + " rows/s)".len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The stderr of `validate sales.csv` with `mapping` as the mapping file.
fn mapping_error(mapping: &str) -> String {
    let t = TestDir::new();
    t.write("sales.csv", SALES);
    t.write("m.toml", mapping);
    let stderr = validate(&t, &["sales.csv"]);
    assert!(
        stderr.contains("m.toml"),
        "a mapping error names the file:\n{stderr}"
    );
    stderr
}

/// The stderr of `validate INPUTS` with a good mapping and `files` written.
fn input_error(files: &[(&str, &[u8])], inputs: &[&str]) -> String {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    for (name, contents) in files {
        t.write(name, contents);
    }
    validate(&t, inputs)
}

#[test]
fn the_base_mapping_works() {
    let t = TestDir::new();
    t.write("sales.csv", SALES);
    t.write("m.toml", MAPPING);
    run_expect(
        &mut t.cmd(&[
            "validate",
            "sales.csv",
            "--mapping",
            "m.toml",
            "--now",
            NOW,
            "-q",
        ]),
        0,
    );
}

#[test]
fn mapping_unknown_key_typo() {
    let stderr = mapping_error(&MAPPING.replace("time_column", "time_colum"));
    assert!(stderr.contains("did you mean `time_column`"), "{stderr}");
    insta::assert_snapshot!("mapping_unknown_key_typo", stderr);
}

#[test]
fn mapping_unknown_user_data_key() {
    let stderr = mapping_error(&MAPPING.replace("em = \"email\"", "emial = \"email\""));
    assert!(stderr.contains("[user_data] emial"), "{stderr}");
    insta::assert_snapshot!("mapping_unknown_user_data_key", stderr);
}

#[test]
fn mapping_unknown_section() {
    let stderr = mapping_error(&MAPPING.replace("[user_data]", "[userdata]"));
    insta::assert_snapshot!("mapping_unknown_section", stderr);
}

#[test]
fn mapping_missing_column_names_closest_header() {
    let stderr = mapping_error(&MAPPING.replace("em = \"email\"", "em = \"e_mail\""));
    assert!(stderr.contains("did you mean \"email\""), "{stderr}");
    insta::assert_snapshot!("mapping_missing_column", stderr);
}

#[test]
fn mapping_name_and_name_column() {
    let stderr = mapping_error(&MAPPING.replace(
        "name = \"Purchase\"",
        "name = \"Purchase\"\nname_column = \"event_type\"",
    ));
    insta::assert_snapshot!("mapping_name_and_name_column", stderr);
}

#[test]
fn mapping_bad_timezone() {
    let stderr = mapping_error(&MAPPING.replace("America/Chicago", "America/Chicgo"));
    insta::assert_snapshot!("mapping_bad_timezone", stderr);
}

#[test]
fn mapping_bad_action_source() {
    let stderr = mapping_error(&MAPPING.replace("physical_store", "physical-store"));
    assert!(
        stderr.contains("did you mean \"physical_store\""),
        "{stderr}"
    );
    insta::assert_snapshot!("mapping_bad_action_source", stderr);
}

#[test]
fn mapping_bad_currency() {
    let stderr = mapping_error(&MAPPING.replace("\"USD\"", "\"US$\""));
    insta::assert_snapshot!("mapping_bad_currency", stderr);
}

#[test]
fn mapping_bad_phone_region() {
    let stderr = mapping_error(&MAPPING.replace("phone_region = \"US\"", "phone_region = \"USA\""));
    insta::assert_snapshot!("mapping_bad_phone_region", stderr);
}

#[test]
fn mapping_invalid_toml() {
    let stderr = mapping_error(&MAPPING.replace("name = \"Purchase\"", "name = \"Purchase"));
    insta::assert_snapshot!("mapping_invalid_toml", stderr);
}

#[test]
fn mapping_wrong_value_type() {
    let stderr = mapping_error(&MAPPING.replace("em = \"email\"", "em = 3"));
    insta::assert_snapshot!("mapping_wrong_value_type", stderr);
}

#[test]
fn mapping_empty() {
    let stderr = mapping_error("");
    insta::assert_snapshot!("mapping_empty", stderr);
}

#[test]
fn mapping_file_missing() {
    let t = TestDir::new();
    t.write("sales.csv", SALES);
    let out = run_expect(&mut t.cmd(&["validate", "sales.csv", "--now", NOW]), 2);
    let stderr = stable_stderr(&t, &out);
    assert!(stderr.contains("offconv.toml"), "{stderr}");
    insta::assert_snapshot!("mapping_file_missing", stderr);
}

#[test]
fn input_missing_file() {
    let stderr = input_error(&[], &["nope.csv"]);
    assert!(stderr.contains("nope.csv"), "{stderr}");
    insta::assert_snapshot!("input_missing_file", stderr);
}

#[test]
fn input_empty_file() {
    let stderr = input_error(&[("empty.csv", b"")], &["empty.csv"]);
    insta::assert_snapshot!("input_empty_file", stderr);
}

#[test]
fn input_header_only() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write("header.csv", "order_id,purchased_at,email,phone,total\n");
    let out = t
        .cmd(&[
            "validate",
            "header.csv",
            "--mapping",
            "m.toml",
            "--report",
            "report.csv",
            "--now",
            NOW,
        ])
        .output()
        .expect("run offconv");
    insta::assert_snapshot!(
        "input_header_only",
        format!(
            "exit code: {:?}\n{}",
            out.status.code(),
            stable_stderr(&t, &out)
        )
    );
}

#[test]
fn input_header_lacks_mapped_columns() {
    let stderr = input_error(&[("other.csv", b"sku,qty\nA,1\n")], &["other.csv"]);
    insta::assert_snapshot!("input_header_lacks_mapped_columns", stderr);
}

#[test]
fn input_stdin_twice() {
    let stderr = input_error(&[], &["-", "-"]);
    insta::assert_snapshot!("input_stdin_twice", stderr);
}

#[test]
fn input_directory() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    std::fs::create_dir(t.path("exports")).expect("mkdir");
    let stderr = validate(&t, &["exports"]);
    assert!(stderr.contains("exports"), "{stderr}");
    insta::assert_snapshot!("input_directory", stderr);
}

#[test]
fn input_gz_that_is_not_gzip() {
    let stderr = input_error(&[("sales.csv.gz", SALES.as_bytes())], &["sales.csv.gz"]);
    assert!(stderr.contains("sales.csv.gz"), "{stderr}");
    insta::assert_snapshot!("input_gz_not_gzip", stderr);
}

#[test]
fn input_second_file_missing() {
    let stderr = input_error(
        &[("monday.csv", SALES.as_bytes())],
        &["monday.csv", "tuesday.csv"],
    );
    insta::assert_snapshot!("input_second_file_missing", stderr);
}
