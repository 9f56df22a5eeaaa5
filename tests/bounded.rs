//! Issue 13: bounded memory. A line that never ends or a field past the
//! documented limits (1 MiB per field, 16 MiB per record) ends the read
//! with a clear error naming the file and the row, never echoing the input.

mod util;

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

fn validate(t: &TestDir, file: &str) -> String {
    t.write("m.toml", MAPPING);
    let out = t
        .cmd(&[
            "validate",
            file,
            "--mapping",
            "m.toml",
            "--now",
            NOW,
            "--report",
            "r.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.len() < 2000,
        "the input is not echoed: {} bytes",
        stderr.len()
    );
    assert!(!stderr.contains("zzzzzzzz"), "{stderr}");
    stderr
}

#[test]
fn a_header_that_never_ends_is_refused_naming_the_file() {
    let t = TestDir::new();
    t.write("endless.csv", vec![b'z'; 3 << 20]);
    let stderr = validate(&t, "endless.csv");
    assert!(
        stderr.contains("endless.csv") && stderr.contains("longer than 1 MiB"),
        "{stderr}"
    );
}

#[test]
fn a_huge_field_is_refused_naming_the_file_and_the_row() {
    let t = TestDir::new();
    let mut csv = b"purchased_at,email,total\n".to_vec();
    csv.extend(b"2026-11-25 10:00:00,a@example.com,1.00\n".repeat(3));
    csv.extend(b"2026-11-25 10:00:00,");
    csv.extend(vec![b'z'; 2 << 20]);
    csv.extend(b",1.00\n");
    t.write("big.csv", csv);
    let stderr = validate(&t, "big.csv");
    assert!(
        stderr.contains("big.csv") && stderr.contains("record 4") && stderr.contains("1 MiB"),
        "{stderr}"
    );
    // The rows before it are in the report.
    assert_eq!(read_report(&t.path("r.csv")).len(), 3);
}
