//! Issue 13: inputs that are not what they seem. Excel's `sep=;` first
//! line, a first line of NUL bytes, one file named twice.

mod util;

use util::*;

const MAPPING: &str = "[event]\ntime_column = \"purchased_at\"\nid_column = \"order_id\"\n[custom_data]\nvalue_column = \"total\"\ncurrency = \"EUR\"\n[user_data]\nem = \"email\"\n";

fn validate(t: &TestDir, inputs: &[&str], code: i32) -> (String, Vec<ReportRow>) {
    let mut args = vec!["validate"];
    args.extend(inputs);
    args.extend(["--mapping", "m.toml", "--report", "r.csv", "--now", NOW]);
    let out = run_expect(&mut t.cmd(&args), code);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let rows = if t.path("r.csv").exists() && code != 2 {
        read_report(&t.path("r.csv"))
    } else {
        Vec::new()
    };
    (stderr, rows)
}

/// Excel writes `sep=;` as the first line so that it opens the file with
/// that delimiter: it is the delimiter line, not the header.
#[test]
fn excel_sep_line_names_the_delimiter() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "x.csv",
        "\u{feff}sep=;\r\norder_id;purchased_at;email;total\r\nA1;2026-11-25 10:00:00;a@example.com;12.50\r\nA2;2026-11-25 11:00:00;b@example.com;3\r\n",
    );
    let (stderr, rows) = validate(&t, &["x.csv"], 0);
    assert_eq!(rows.len(), 2, "{stderr}");
    // Row numbers count data records: neither the sep line nor the header.
    assert_eq!((rows[0].row, rows[0].event_id.as_str()), (1, "A1"));
    assert!(rows.iter().all(|r| r.status == "valid"), "{rows:?}");
}

#[test]
fn a_sep_line_that_contradicts_the_mapping_is_refused() {
    let t = TestDir::new();
    t.write("m.toml", format!("[csv]\ndelimiter = \",\"\n{MAPPING}"));
    t.write(
        "x.csv",
        "sep=;\norder_id;purchased_at;email;total\nA1;2026-11-25 10:00:00;a@example.com;1\n",
    );
    let (stderr, _) = validate(&t, &["x.csv"], 2);
    assert!(stderr.contains("x.csv: its first line `sep=;`"), "{stderr}");
    assert!(stderr.contains("delimiter = ','"), "{stderr}");
}

#[test]
fn a_header_of_nul_bytes_is_named_not_printed() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write("z.csv", [0u8; 4096]);
    let (stderr, _) = validate(&t, &["z.csv"], 2);
    assert!(
        stderr.contains("z.csv: the first line holds only NUL bytes (4096 of them)"),
        "{stderr}"
    );
    assert!(!stderr.contains('\0'), "raw bytes in {stderr:?}");
}

/// The same file twice (by another name, too) sent every sale twice.
#[test]
fn the_same_input_twice_is_refused() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "s.csv",
        "order_id,purchased_at,email,total\nA1,2026-11-25 10:00:00,a@example.com,1\n",
    );
    let (stderr, _) = validate(&t, &["s.csv", "./s.csv"], 2);
    assert!(
        stderr.contains("s.csv and ./s.csv are the same file"),
        "{stderr}"
    );
    let out = run_expect(
        &mut t.cmd(&[
            "upload",
            "--sandbox",
            "s.csv",
            "s.csv",
            "--mapping",
            "m.toml",
            "--now",
            NOW,
        ]),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("are the same file"), "{stderr}");
    assert!(!t.path("s.csv.report.csv").exists());
}
