//! Conformance: every vector of `fixtures/conformance/` through the library's
//! normalizer and hash. `normalize.csv` holds the reference's output (and the
//! offconv rules' where they differ); `phone_region.csv` holds Google
//! libphonenumber's E.164 for national numbers with a default region, and
//! `phone_intl.csv` and `phone_national.csv` for every region's numbers
//! written with and without their country code, `phone_fullwidth.csv` for
//! numbers in full-width digits.
//!
//! A wrong hash fails silently in production (Meta matches nobody), so each
//! test checks both the normalized value and its SHA-256, and reports every
//! failing row before failing, not only the first.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use offconv::normalize::{self, Field, Options, Outcome};

/// One vector: where it is (for the message), what goes in, what must come
/// out (`""`: dropped).
struct Vector {
    /// Data row, 1-based, header not counted.
    row: usize,
    /// Line of the file where the record starts (inputs may span lines).
    line: u64,
    field: Field,
    region: Option<String>,
    input: String,
    normalized: String,
    sha256: String,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/conformance")
        .join(name)
}

/// Reads a vector file with a real CSV reader: some inputs hold tabs,
/// line breaks and other invisible characters.
fn read(name: &str) -> Vec<Vector> {
    let path = fixture(name);
    let mut reader = csv::Reader::from_path(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let headers = reader.headers().expect("header row").clone();
    let find = |name: &str| headers.iter().position(|h| h == name);
    let column =
        |name: &str| find(name).unwrap_or_else(|| panic!("{}: no column {name:?}", path.display()));
    let (field, region) = (find("field"), find("region"));
    let (input, normalized, sha256) = (column("input"), column("normalized"), column("sha256"));
    reader
        .records()
        .enumerate()
        .map(|(i, record)| {
            let record = record.expect("well-formed CSV record");
            let row = i + 1;
            Vector {
                row,
                line: record.position().map_or(0, |p| p.line()),
                // phone_region.csv has no field column: its rows are phones.
                field: field.map_or(Field::Ph, |f| {
                    Field::from_key(&record[f])
                        .unwrap_or_else(|| panic!("{name} row {row}: field {:?}", &record[f]))
                }),
                region: region.map(|r| record[r].to_owned()),
                input: record[input].to_owned(),
                normalized: record[normalized].to_owned(),
                sha256: record[sha256].to_owned(),
            }
        })
        .collect()
}

/// What the library makes of a vector: the value sent and its hash (for an
/// already-hashed input, the value itself), or two empty strings if dropped.
fn run(v: &Vector) -> (String, String) {
    let opts = Options {
        phone_region: v.region.as_deref().map(|r| {
            r.parse()
                .unwrap_or_else(|e| panic!("row {}: region {r:?}: {e}", v.row))
        }),
        ..Options::default()
    };
    let mut out = String::new();
    match normalize::normalize(v.field, &v.input, &opts, &mut out) {
        Outcome::Dropped => (String::new(), String::new()),
        Outcome::AlreadyHashed => (out.clone(), out),
        Outcome::Normalized => {
            let hash = normalize::sha256_hex_string(out.as_bytes());
            (out, hash)
        }
    }
}

/// Runs every vector of `file`, then fails once with the list of rows that
/// differ.
fn check(file: &str) {
    let vectors = read(file);
    assert!(!vectors.is_empty(), "{file} has no vectors");
    let mut failures = String::new();
    let mut failed = 0;
    for v in &vectors {
        let (normalized, sha256) = run(v);
        if normalized != v.normalized || sha256 != v.sha256 {
            failed += 1;
            let region = v.region.as_deref().map(|r| format!(" region {r}"));
            let _ = writeln!(
                failures,
                "{file} row {} (line {}) field {}{} input {:?}\n    \
                 expected {:?} sha256 {:?}\n    got      {:?} sha256 {:?}",
                v.row,
                v.line,
                v.field.key(),
                region.unwrap_or_default(),
                v.input,
                v.normalized,
                v.sha256,
                normalized,
                sha256,
            );
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} vectors differ:\n{failures}",
        vectors.len()
    );
    println!("{file}: {} vectors pass", vectors.len());
}

#[test]
fn normalize_vectors() {
    check("normalize.csv");
}

#[test]
fn phone_region_vectors() {
    check("phone_region.csv");
}

/// Every number of `phone_region.csv` in full-width digits, `＋`, dashes
/// and spaces, under its region, and Japanese mixed spellings
/// (`０９０-１２３４-５６７８` → `819012345678`); `phone_fullwidth.py` made
/// them with the Python port and checked each against its ASCII spelling.
#[test]
fn phone_fullwidth_vectors() {
    check("phone_fullwidth.csv");
}

/// The full-width vectors are what the `phonenumber` crate makes of the
/// ASCII spelling (the vectors of `phone_region.csv` are numbers the crate
/// reads as the Python port does), and cover every region of that file.
#[test]
fn phone_fullwidth_vectors_match_the_crate_on_ascii() {
    let ascii = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).expect("ASCII"),
                '\u{3000}' => ' ',
                '\u{30FC}' => '-',
                _ => c,
            })
            .collect()
    };
    let wide = read("phone_fullwidth.csv");
    let mut regions: Vec<String> = read("phone_region.csv")
        .into_iter()
        .filter_map(|v| v.region)
        .collect();
    regions.dedup();
    for region in &regions {
        assert!(
            wide.iter().any(|v| v.region.as_ref() == Some(region)),
            "no full-width vector for {region}"
        );
    }
    for v in &wide {
        let region = v.region.as_deref().expect("region");
        let text = ascii(&v.input);
        let text = text
            .strip_prefix("00")
            .map_or(text.clone(), |rest| format!("+{rest}"));
        let number = phonenumber::parse(Some(region.parse().expect("region")), &text)
            .unwrap_or_else(|e| panic!("row {}: {text:?}: {e:?}", v.row));
        let e164 = format!("{}{}", number.code().value(), number.national());
        assert_eq!(e164, v.normalized, "row {} {region} {:?}", v.row, v.input);
    }
}

/// International numbers (`+CC`, `00CC`) under a default region, drawn from
/// every region's example numbers (`phone_intl.py` made them with the
/// Python port of libphonenumber at the crate's metadata version).
#[test]
fn phone_intl_vectors() {
    check("phone_intl.csv");
}

/// Numbers without `+` (national and local formats, the region's calling
/// code or international prefix written out) under their own region and
/// others, from every region's example numbers (`phone_national.py`).
#[test]
fn phone_national_vectors() {
    check("phone_national.csv");
}

/// The JSON copy must hold the same rows as the CSV, so that either file can
/// be trusted when a vector is read by eye.
#[test]
fn jsonl_matches_csv() {
    let text = std::fs::read_to_string(fixture("normalize.jsonl")).expect("normalize.jsonl");
    let csv = read("normalize.csv");
    let json: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(json.len(), csv.len());
    for (j, c) in json.iter().zip(&csv) {
        assert_eq!(j["field"], c.field.key(), "row {}", c.row);
        assert_eq!(j["input"], c.input.as_str(), "row {}", c.row);
        assert_eq!(j["normalized"], c.normalized.as_str(), "row {}", c.row);
        assert_eq!(j["sha256"], c.sha256.as_str(), "row {}", c.row);
    }
}
