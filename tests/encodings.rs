//! `[csv] encoding` and byte order marks through `offconv validate`: a
//! Windows-1252 export and Excel's "Unicode Text" (UTF-16LE with a mark,
//! tab-separated) give the very events the same export in UTF-8 gives.

mod util;

use util::*;

const TEXT: &str = "Bestellung;Straße;Vorname;Nachname;Ort;E-Mail;Betrag;Zeit\n\
    B1;Hauptstraße 1;Zoë;Müller;Zürich;zoe@example.ch;12.50;2026-11-20 10:00\n\
    B2;Rue de l'Église 2;François;Bérard;Genève;francois@example.ch;99.00;2026-11-21 11:30\n\
    B3;Via Lünen 3;Jürgen;König;Lörrach;jurgen@example.de;5.00;2026-11-22 12:45\n";

const MAPPING: &str = r#"
[event]
time_column = "Zeit"
id_column = "Bestellung"
[custom_data]
value_column = "Betrag"
currency = "CHF"
[user_data]
em = "E-Mail"
fn = "Vorname"
ln = "Nachname"
ct = "Ort"
"#;

/// `validate` of `bytes` (written as `name`) with `mapping`: exit code,
/// report and events.
fn run(
    t: &TestDir,
    name: &str,
    bytes: &[u8],
    mapping: &str,
    code: i32,
) -> (String, Vec<ReportRow>, Vec<serde_json::Value>) {
    t.write(name, bytes);
    t.write("m.toml", mapping);
    let report = format!("{name}.report.csv");
    let payloads = format!("{name}.ndjson");
    let out = run_expect(
        &mut t.cmd(&[
            "validate",
            name,
            "--mapping",
            "m.toml",
            "--now",
            NOW,
            "--report",
            &report,
            "--payloads",
            &payloads,
        ]),
        code,
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let events = if t.path(&payloads).exists() {
        read_payload_events(&t.path(&payloads))
    } else {
        Vec::new()
    };
    (stderr, read_report(&t.path(&report)), events)
}

fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect()
}

fn utf16le_with_mark(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        text.replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    bytes
}

#[test]
fn a_windows_1252_export_reads_as_its_utf8_twin() {
    let t = TestDir::new();
    let (_, _, utf8) = run(&t, "utf8.csv", TEXT.as_bytes(), MAPPING, 0);
    assert_eq!(utf8.len(), 3);
    let bytes = windows_1252(TEXT);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is not UTF-8"
    );
    let mapping = format!("[csv]\nencoding = \"windows-1252\"\n{MAPPING}");
    let (_, report, events) = run(&t, "ansi.csv", &bytes, &mapping, 0);
    assert!(report.iter().all(|r| r.status == "valid"), "{report:?}");
    assert_eq!(events, utf8, "the same hashes, values and times");
    for key in ["em", "fn", "ln", "ct"] {
        assert!(
            !events[1]["user_data"][key].is_null(),
            "{key}: {}",
            events[1]
        );
    }
}

#[test]
fn excel_unicode_text_reads_without_any_key() {
    let t = TestDir::new();
    let (_, _, utf8) = run(&t, "utf8.csv", TEXT.as_bytes(), MAPPING, 0);
    let tabbed = TEXT.replace(';', "\t");
    let (_, report, events) = run(&t, "unicode.txt", &utf16le_with_mark(&tabbed), MAPPING, 0);
    assert_eq!(report.len(), 3);
    assert!(report.iter().all(|r| r.status == "valid"), "{report:?}");
    assert_eq!(events, utf8);
}

#[test]
fn without_the_key_accents_are_bad_utf8_and_the_advice_names_the_key() {
    let t = TestDir::new();
    let (_, report, _) = run(&t, "ansi.csv", &windows_1252(TEXT), MAPPING, 1);
    assert!(report.iter().all(|r| r.reason == "bad_utf8"), "{report:?}");
    assert!(
        report[0].detail.contains("[csv] encoding"),
        "{}",
        report[0].detail
    );
    assert!(
        report[0].detail.contains("windows-1252"),
        "{}",
        report[0].detail
    );
}

#[test]
fn an_invalid_sequence_is_never_guessed() {
    let t = TestDir::new();
    let tabbed = TEXT.replace(';', "\t");
    let mut bytes = utf16le_with_mark(&tabbed);
    // An unpaired high surrogate in place of the "ü" of "Müller" (row 1).
    let at = bytes.chunks(2).position(|u| u == [0xFC, 0x00]).expect("ü") * 2;
    bytes[at..at + 2].copy_from_slice(&[0x00, 0xD8]);
    let (_, report, events) = run(&t, "unicode.txt", &bytes, MAPPING, 1);
    assert_eq!(report[0].reason, "bad_utf8", "{report:?}");
    assert!(
        report[0].detail.contains("Nachname"),
        "{}",
        report[0].detail
    );
    assert_eq!(events.len(), 2);
}

#[test]
fn an_unknown_label_stops_the_run_naming_the_key() {
    let t = TestDir::new();
    t.write("in.csv", TEXT);
    t.write(
        "m.toml",
        format!("[csv]\nencoding = \"windows-1525\"\n{MAPPING}"),
    );
    let out = run_expect(
        &mut t.cmd(&["validate", "in.csv", "--mapping", "m.toml"]),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[csv] encoding"), "{stderr}");
    assert!(stderr.contains("windows-1252"), "{stderr}");
}

#[test]
fn a_compressed_windows_1252_export_is_decompressed_then_decoded() {
    use std::io::Write as _;
    let t = TestDir::new();
    let (_, _, utf8) = run(&t, "utf8.csv", TEXT.as_bytes(), MAPPING, 0);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&windows_1252(TEXT)).unwrap();
    let mapping = format!("[csv]\nencoding = \"windows-1252\"\n{MAPPING}");
    let (_, _, events) = run(&t, "ansi.csv.gz", &gz.finish().unwrap(), &mapping, 0);
    assert_eq!(events, utf8);
}
