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

/// A NUL inside a name was hashed with the NUL: such a value is dropped.
#[test]
fn a_name_with_a_nul_is_dropped_not_hashed() {
    let t = TestDir::new();
    t.write(
        "m.toml",
        format!("{MAPPING}fn = \"first\"\nln = \"last\"\n"),
    );
    t.write(
        "n.csv",
        "order_id,purchased_at,email,total,first,last\nA1,2026-11-25 10:00:00,a@example.com,1,Jo\0hn,Doe\n",
    );
    let out = run_expect(
        &mut t.cmd(&[
            "validate",
            "n.csv",
            "--mapping",
            "m.toml",
            "--report",
            "r.csv",
            "--payloads",
            "p.ndjson",
            "--now",
            NOW,
        ]),
        0,
    );
    let events = read_payload_events(&t.path("p.ndjson"));
    let user = &events[0]["user_data"];
    assert!(user.get("fn").is_none(), "{user}");
    assert!(user.get("ln").is_some(), "{user}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\0'));
}

const NO_ID: &str = "[event]\ntime_column = \"purchased_at\"\n[custom_data]\nvalue_column = \"total\"\ncurrency = \"EUR\"\n[user_data]\nem = \"email\"\n";

/// Identical rows without id_column get one event id, so Meta keeps one
/// of two real sales: the summary says how many.
#[test]
fn identical_rows_without_an_id_are_counted() {
    let t = TestDir::new();
    t.write("m.toml", NO_ID);
    let row = "2026-11-25 10:00:00,a@example.com,4.50\n";
    t.write(
        "d.csv",
        format!("purchased_at,email,total\n{row}2026-11-25 10:05:00,b@example.com,2\n{row}{row}"),
    );
    let (stderr, rows) = validate(&t, &["d.csv"], 0);
    assert!(
        stderr.contains("warning: 2 rows repeat an earlier row in every column"),
        "{stderr}"
    );
    assert!(stderr.contains("map [event] id_column"), "{stderr}");
    assert_eq!(rows[0].event_id, rows[3].event_id);
    let mut json = t.cmd(&[
        "validate",
        "d.csv",
        "--mapping",
        "m.toml",
        "--report",
        "r2.csv",
        "--summary-json",
        "s.json",
        "--now",
        NOW,
    ]);
    run_expect(&mut json, 0);
    let summary: serde_json::Value = serde_json::from_str(&t.read("s.json")).unwrap();
    assert_eq!(summary["identical_rows"], 2);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn sales(rows: usize) -> String {
    let mut csv = String::from("order_id,purchased_at,email,total\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "A{i},2026-11-25 10:{:02}:00,c{i}@example.com,1\n",
            i % 60
        ));
    }
    csv
}

/// A gzip file whose checksum fails is found out only at its end, once
/// its rows were sent: the error says so, and that the file is damaged.
#[test]
fn a_gzip_checksum_failure_says_the_rows_were_sent() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    let mut gz = gzip(sales(20).as_bytes());
    let at = gz.len() - 8;
    gz[at] ^= 0xff;
    t.write("s.csv.gz", gz);
    let out = run_expect(
        &mut t.cmd(&[
            "upload",
            "--sandbox",
            "s.csv.gz",
            "--mapping",
            "m.toml",
            "--now",
            NOW,
        ]),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "s.csv.gz: cannot read record 21: the gzip data fails its checksum: the file is damaged"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("an upload has sent them already"),
        "{stderr}"
    );
    let rows = read_report(&t.path("s.csv.gz.report.csv"));
    assert_eq!(rows.len(), 20);
}

/// Bytes after the gzip data read as "unexpected end of file": the rows
/// are intact (their checksum passed), so a warning, as gzip -d gives.
#[test]
fn bytes_after_the_gzip_data_are_a_warning() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    let mut gz = gzip(sales(5).as_bytes());
    gz.extend(b"not gzip\n");
    t.write("s.csv.gz", gz);
    let (stderr, rows) = validate(&t, &["s.csv.gz"], 0);
    assert!(
        stderr.contains(
            "warning: s.csv.gz: 9 bytes after the end of its gzip data are not gzip data"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("unexpected end of file"), "{stderr}");
    assert_eq!(rows.len(), 5);
}

/// An export still being written when offconv reads it: a warning.
#[test]
fn a_file_that_grows_while_read_is_warned_about() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write("g.csv", sales(60_000));
    let mut cmd = t.cmd(&[
        "validate",
        "g.csv",
        "--mapping",
        "m.toml",
        "--report",
        "r.csv",
        "--now",
        NOW,
    ]);
    cmd.stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // The report is created once the input is open (and its size noted).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !t.path("r.csv").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(t.path("g.csv"))
            .unwrap();
        f.write_all(b"Z1,2026-11-25 10:00:00,z@example.com,1\n")
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: g.csv changed size while it was read"),
        "{stderr}"
    );
}

/// A delimiter between the two bytes of one character (`\xCA,\xAA`): the
/// fields joined read as "ʪ", each on its own is not text. The row is
/// rejected bad_utf8 naming its column, the next row is read, no panic
/// (found by the `time` fuzz target).
#[test]
fn a_character_split_by_a_delimiter_is_bad_utf8() {
    let t = TestDir::new();
    t.write(
        "m.toml",
        format!("{MAPPING}fn = \"first\"\nln = \"last\"\n"),
    );
    let mut csv = b"order_id,purchased_at,email,total,first,last\n".to_vec();
    csv.extend_from_slice(b"A1,2026-11-25 10:00:00,a@example.com,1,\xca,\xaa\n");
    csv.extend_from_slice(b"A2,2026-11-25 10:00:00,b@example.com,1,Jo,Doe\n");
    t.write("s.csv", csv);
    let (stderr, rows) = validate(&t, &["s.csv"], 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let seen: Vec<(u64, &str, &str)> = rows
        .iter()
        .map(|r| (r.row, r.status.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        seen,
        [(1, "rejected", "bad_utf8"), (2, "valid", "")],
        "{stderr}"
    );
    assert!(rows[0].detail.contains("first"), "{}", rows[0].detail);
}
