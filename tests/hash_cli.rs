//! `offconv hash` equals every conformance vector (issue 2), through the
//! real binary: arguments and stdin.

mod util;

use std::collections::BTreeMap;

use util::*;

struct Vector {
    line: usize,
    input: String,
    normalized: String,
    sha256: String,
}

fn vectors(file: &str, key_col: usize) -> BTreeMap<String, Vec<Vector>> {
    let mut rdr = csv::Reader::from_path(fixtures().join("conformance").join(file)).unwrap();
    let mut by_key: BTreeMap<String, Vec<Vector>> = BTreeMap::new();
    for (i, r) in rdr.records().enumerate() {
        let r = r.unwrap();
        by_key
            .entry(r[key_col].to_owned())
            .or_default()
            .push(Vector {
                line: i + 2,
                input: r[1].to_owned(),
                normalized: r[2].to_owned(),
                sha256: r[3].to_owned(),
            });
    }
    by_key
}

fn check(file: &str, key: &str, extra: &[&str], vs: &[Vector], failures: &mut Vec<String>) {
    let t = TestDir::new();
    let mut args: Vec<&str> = vec!["hash"];
    args.extend_from_slice(extra);
    args.push("--");
    args.extend(vs.iter().map(|v| v.input.as_str()));
    let out = run_expect(&mut t.cmd(&args), 0);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.split('\n').collect();
    assert_eq!(
        lines.len(),
        vs.len() + 1,
        "{file} {key}: one line per value"
    );
    for (v, got) in vs.iter().zip(&lines) {
        let want = format!("{}\t{}", v.normalized, v.sha256);
        if *got != want {
            failures.push(format!(
                "{file} line {} ({key}): input {:?}: expected {want:?}, got {got:?}",
                v.line, v.input
            ));
        }
    }
}

#[test]
fn hash_equals_every_normalize_vector() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (field, vs) in vectors("normalize.csv", 0) {
        total += vs.len();
        check(
            "normalize.csv",
            &field,
            &["--field", &field],
            &vs,
            &mut failures,
        );
    }
    assert!(total > 250);
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn hash_equals_every_phone_region_vector() {
    let mut failures = Vec::new();
    for (region, vs) in vectors("phone_region.csv", 0) {
        check(
            "phone_region.csv",
            &region,
            &["--field", "ph", "--phone-region", &region],
            &vs,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hash_reads_stdin_one_value_per_line() {
    let t = TestDir::new();
    let out = run_stdin(
        &mut t.cmd(&["hash", "--field", "em"]),
        b" John@Example.COM \r\nnot-an-email\n",
        0,
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "john@example.com\t855f96e983f1f8e8be944692b6f719fd54329826cb62e98015efee8e2e071dd4\n\t\n"
    );
}

#[test]
fn hash_refuses_unknown_fields_and_regions() {
    let t = TestDir::new();
    let out = run_expect(&mut t.cmd(&["hash", "--field", "emal", "x"]), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean em"));
    let out = run_expect(
        &mut t.cmd(&["hash", "--field", "ph", "--phone-region", "XX", "1"]),
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("XX"));
}
