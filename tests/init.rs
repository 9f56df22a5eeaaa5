//! `offconv init`, `completions` and `man` end to end: the mapping written
//! for differently shaped exports (insta snapshots of the file and the
//! stderr summary), that every written mapping loads and binds to its
//! export, the overwrite rules, and the generated help and completions.
//!
//! Snapshots live in tests/snapshots/. After an intended change, run
//! `INSTA_UPDATE=always cargo nextest run --test init` and read the diff.

mod util;

use std::path::Path;
use std::process::Output;

use offconv::config::Mapping;
use util::*;

/// The exports under fixtures/init/ and the exit code `init` gives each.
const EXPORTS: [(&str, i32); 8] = [
    ("shopify_pos.csv", 0),
    ("eu_semicolon.csv", 0),
    ("minimal_unix.csv", 0),
    ("loyalty.csv", 0),
    ("us_ampm.csv", 0),
    ("inventory.csv", 1),
    ("square_items.csv", 0),
    ("lightspeed_interleaved.csv", 0),
];

fn init_fixture(name: &str) -> String {
    fixtures().join("init").join(name).display().to_string()
}

/// Runs `offconv ARGS` in `t` with a fixed terminal width, so help text
/// wraps the same everywhere.
fn offconv(t: &TestDir, args: &[&str], code: i32) -> Output {
    let mut cmd = t.cmd(args);
    cmd.env("COLUMNS", "100");
    run_expect(&mut cmd, code)
}

/// Copies the export into the test dir and runs `init` on it there, so
/// the paths in the output are the bare file name.
fn run_init(name: &str, code: i32) -> (TestDir, String, String) {
    let t = TestDir::new();
    std::fs::copy(init_fixture(name), t.path(name)).expect("copy fixture");
    let out = offconv(&t, &["init", name], code);
    let mapping = t.read("offconv.toml");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(
        out.stdout.is_empty(),
        "init -o FILE prints nothing on stdout"
    );
    (t, mapping, stderr)
}

/// The mapping loads with the parser `upload` uses and binds to the
/// export's header.
fn assert_loads_and_resolves(text: &str, export: &str) {
    let mapping = Mapping::parse(text, Path::new("offconv.toml"))
        .unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
    let format = offconv::source::Format {
        delimiter: mapping.delimiter,
        encoding: mapping.encoding,
    };
    let input = offconv::source::open_as(export, format).expect("open export");
    mapping
        .resolve(&input.header, export)
        .unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
}

fn snapshot_export(name: &str, code: i32) {
    let (t, mapping, stderr) = run_init(name, code);
    let stem = name.trim_end_matches(".csv");
    insta::assert_snapshot!(format!("{stem}_mapping"), mapping);
    insta::assert_snapshot!(format!("{stem}_summary"), stderr);
    if code == 0 {
        assert_loads_and_resolves(&mapping, &init_fixture(name));
        // And the binary agrees: validate gets past the mapping (exit 2
        // would mean it could not load or bind it).
        let out = t
            .cmd(&["validate", name, "--now", NOW, "--report", "r.csv"])
            .output()
            .expect("run validate");
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn shopify_pos_export() {
    snapshot_export("shopify_pos.csv", 0);
}

#[test]
fn european_semicolon_export() {
    snapshot_export("eu_semicolon.csv", 0);
}

#[test]
fn minimal_phone_and_unix_time_export() {
    snapshot_export("minimal_unix.csv", 0);
}

#[test]
fn loyalty_export() {
    snapshot_export("loyalty.csv", 0);
}

#[test]
fn us_am_pm_dollar_export() {
    snapshot_export("us_ampm.csv", 0);
}

#[test]
fn line_item_export_with_order_total() {
    snapshot_export("square_items.csv", 0);
}

#[test]
fn line_item_export_with_interleaved_orders() {
    snapshot_export("lightspeed_interleaved.csv", 0);
    let (_t, mapping, stderr) = run_init("lightspeed_interleaved.csv", 0);
    assert!(mapping.contains("group_by = \"Sale ID\""), "{mapping}");
    assert!(
        mapping.contains("# WARNING: 4 sampled rows come back to an order"),
        "{mapping}"
    );
    assert!(
        stderr.contains("the export must be sorted by \"Sale ID\"")
            && stderr.contains("order_not_contiguous"),
        "{stderr}"
    );
}

/// Runs `init` on `export` (a path), then `validate` on the export with
/// the mapping written, and returns the mapping, the report and the
/// events of `--payloads`.
fn init_then_validate(
    t: &TestDir,
    export: &str,
    validate_code: i32,
) -> (Mapping, Vec<ReportRow>, Vec<serde_json::Value>) {
    offconv(t, &["init", export, "-o", "m.toml", "-q"], 0);
    let text = t.read("m.toml");
    assert_loads_and_resolves(&text, export);
    let mapping = Mapping::parse(&text, Path::new("m.toml")).expect("parses");
    let args = [
        "validate",
        export,
        "--mapping",
        "m.toml",
        "--now",
        NOW,
        "--report",
        "r.csv",
        "--payloads",
        "p.ndjson",
    ];
    offconv(t, &args, validate_code);
    let report = read_report(&t.path("r.csv"));
    let events = read_payload_events(&t.path("p.ndjson"));
    (mapping, report, events)
}

/// The order id of each event, in order.
fn order_ids(events: &[serde_json::Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["custom_data"]["order_id"].as_str().expect("order_id"))
        .collect()
}

/// The order column's values of an export, and its rows as records.
fn orders_of(export: &str, column: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut rdr = csv::Reader::from_path(export).expect("export");
    let at = rdr
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == column)
        .expect("order column");
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("record")).collect();
    let ids = records.iter().map(|r| r[at].to_owned()).collect();
    (ids, records)
}

#[test]
fn line_items_fixture_gets_the_grouping_it_was_written_with() {
    let t = TestDir::new();
    let export = fixture("line_items.csv");
    let (mapping, report, events) = init_then_validate(&t, &export, 1);
    // The same grouping as the hand-written fixtures/line_items.toml.
    let by_hand = Mapping::load(&fixtures().join("line_items.toml")).expect("fixture mapping");
    assert_eq!(mapping.event.group_by, by_hand.event.group_by);
    let (ours, theirs) = (mapping.contents.unwrap(), by_hand.contents.unwrap());
    assert_eq!(
        (
            &ours.id_column,
            &ours.quantity_column,
            &ours.item_price_column,
            &ours.title_column
        ),
        (
            &theirs.id_column,
            &theirs.quantity_column,
            &theirs.item_price_column,
            &theirs.title_column
        )
    );
    assert_eq!(mapping.custom_data.value_column, None, "value = Σ q × p");
    // One event per order: A-1004 has a quantity of -1, and A-1002 comes
    // back on row 10 after A-1005.
    assert_eq!(report.len(), 11);
    assert_eq!(
        order_ids(&events),
        ["A-1001", "A-1002", "A-1003", "A-1005", "A-1006"]
    );
    assert_eq!(report[9].reason, "order_not_contiguous");
    assert_eq!(
        (report[6].reason.as_str(), report[7].reason.as_str()),
        ("bad_value", "bad_value")
    );
    assert_eq!(events[0]["custom_data"]["num_items"], 6);
    assert_eq!(events[0]["custom_data"]["value"].as_f64(), Some(64.48));
}

#[test]
fn square_export_sends_one_event_per_receipt() {
    let t = TestDir::new();
    let export = init_fixture("square_items.csv");
    let (mapping, report, events) = init_then_validate(&t, &export, 0);
    assert_eq!(mapping.event.group_by.as_deref(), Some("Receipt Number"));
    assert_eq!(
        mapping.custom_data.value_column.as_deref(),
        Some("Order Total")
    );
    assert!(report.iter().all(|r| r.status == "valid"), "{report:?}");

    let (ids, records) = orders_of(&export, "Receipt Number");
    let mut orders: Vec<&str> = ids.iter().map(String::as_str).collect();
    orders.dedup();
    assert_eq!(order_ids(&events), orders, "one event per receipt");
    for event in &events {
        let id = event["custom_data"]["order_id"].as_str().unwrap();
        let lines: Vec<&csv::StringRecord> = records
            .iter()
            .zip(&ids)
            .filter(|(_, o)| *o == id)
            .map(|(r, _)| r)
            .collect();
        let contents = event["custom_data"]["contents"].as_array().unwrap();
        assert_eq!(contents.len(), lines.len(), "{id}");
        let items: u64 = lines.iter().map(|r| r[6].parse::<u64>().unwrap()).sum();
        assert_eq!(event["custom_data"]["num_items"], items, "{id}");
        let total: f64 = lines[0][8].parse().unwrap();
        assert_eq!(event["custom_data"]["value"].as_f64(), Some(total), "{id}");
    }
}

#[test]
fn interleaved_export_is_rejected_until_sorted() {
    let t = TestDir::new();
    let export = init_fixture("lightspeed_interleaved.csv");
    let (mapping, report, events) = init_then_validate(&t, &export, 1);
    assert_eq!(mapping.event.group_by.as_deref(), Some("Sale ID"));
    let contents = mapping.contents.expect("[contents]");
    assert_eq!(contents.brand_column.as_deref(), Some("Brand"));
    assert_eq!(contents.category_column.as_deref(), Some("Category"));
    // Each order id once, from its first rows; the rows that come back
    // later are rejected.
    assert_eq!(
        order_ids(&events),
        ["S-901", "S-902", "S-903", "S-904", "S-905"]
    );
    let late: Vec<u64> = report
        .iter()
        .filter(|r| r.reason == "order_not_contiguous")
        .map(|r| r.row)
        .collect();
    assert_eq!(late, [3, 4, 7, 9, 10]);

    // Sorted by order id, the same mapping takes every row: one event per
    // order with all its lines.
    let (ids, records) = orders_of(&export, "Sale ID");
    let mut sorted: Vec<(&String, &csv::StringRecord)> = ids.iter().zip(&records).collect();
    sorted.sort_by_key(|(id, _)| *id);
    let mut w = csv::Writer::from_path(t.path("sorted.csv")).expect("write");
    let header = csv::Reader::from_path(&export)
        .expect("export")
        .headers()
        .expect("header")
        .clone();
    w.write_record(&header).expect("header");
    for (_, r) in &sorted {
        w.write_record(*r).expect("record");
    }
    w.flush().expect("flush");
    drop(w);
    let args = [
        "validate",
        "sorted.csv",
        "--mapping",
        "m.toml",
        "--now",
        NOW,
        "--report",
        "r2.csv",
        "--payloads",
        "p2.ndjson",
    ];
    offconv(&t, &args, 0);
    let report = read_report(&t.path("r2.csv"));
    assert!(report.iter().all(|r| r.status == "valid"), "{report:?}");
    let events = read_payload_events(&t.path("p2.ndjson"));
    assert_eq!(
        order_ids(&events),
        ["S-901", "S-902", "S-903", "S-904", "S-905"]
    );
    let lines: Vec<usize> = events
        .iter()
        .map(|e| e["custom_data"]["contents"].as_array().unwrap().len())
        .collect();
    assert_eq!(lines, [2, 2, 2, 3, 1]);
}

#[test]
fn export_without_time_or_customer_gets_todos_and_exit_1() {
    snapshot_export("inventory.csv", 1);
    let (_t, mapping, stderr) = run_init("inventory.csv", 1);
    assert!(mapping.contains("# TODO: no column looks like the time of the sale"));
    assert!(mapping.contains("# TODO: no column looks like customer information"));
    assert!(
        stderr.contains("could not find the time of the sale"),
        "{stderr}"
    );
}

#[test]
fn every_fixture_mapping_loads_and_resolves() {
    for (name, code) in EXPORTS.iter().filter(|(_, code)| *code == 0) {
        let (_t, mapping, _) = run_init(name, *code);
        assert_loads_and_resolves(&mapping, &init_fixture(name));
    }
    // The hand-written fixtures of the other tests, in every compression.
    for name in [
        "store_sales.csv",
        "store_sales.csv.gz",
        "store_sales.csv.zst",
        "messy.csv",
    ] {
        let t = TestDir::new();
        let out = offconv(&t, &["init", &fixture(name), "-o", "-"], 0);
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(
            text.contains("time_column = \"purchased_at\""),
            "{name}:\n{text}"
        );
        assert_loads_and_resolves(&text, &fixture(name));
    }
}

#[test]
fn stdout_output_and_stdin_input() {
    let t = TestDir::new();
    let export = std::fs::read(init_fixture("us_ampm.csv")).expect("read fixture");
    let mut cmd = t.cmd(&["init", "-", "-o", "-"]);
    let out = run_stdin(&mut cmd, &export, 0);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("time_format = \"%m/%d/%Y %I:%M %p\""),
        "{text}"
    );
    assert!(!t.path("offconv.toml").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wrote the mapping to stdout from stdin"),
        "{stderr}"
    );
    assert!(
        stderr.contains("next: offconv validate EXPORT.csv --mapping offconv.toml"),
        "{stderr}"
    );
}

#[test]
fn refuses_to_overwrite_without_force() {
    let t = TestDir::new();
    t.write("offconv.toml", "# hand-tuned\n");
    let input = init_fixture("loyalty.csv");
    let out = offconv(&t, &["init", &input], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("offconv.toml exists; pass --force"),
        "{stderr}"
    );
    assert_eq!(t.read("offconv.toml"), "# hand-tuned\n");

    offconv(&t, &["init", &input, "--force"], 0);
    assert!(
        t.read("offconv.toml")
            .contains("external_id = \"member_id\"")
    );

    offconv(&t, &["init", &input, "-o", "other.toml", "-q"], 0);
    assert!(t.read("other.toml").contains("[user_data]"));
}

#[test]
fn unreadable_input_is_exit_2() {
    let t = TestDir::new();
    offconv(&t, &["init", "missing.csv"], 2);
    t.write("empty.csv", "");
    offconv(&t, &["init", "empty.csv"], 2);
    assert!(!t.path("offconv.toml").exists());
}

#[test]
fn help_snapshots() {
    let t = TestDir::new();
    let out = offconv(&t, &["--help"], 0);
    insta::assert_snapshot!("help", String::from_utf8(out.stdout).expect("UTF-8"));
    let out = offconv(&t, &["init", "--help"], 0);
    insta::assert_snapshot!("init_help", String::from_utf8(out.stdout).expect("UTF-8"));
}

#[test]
fn completions_for_every_shell() {
    let t = TestDir::new();
    let out = offconv(&t, &["completions", "bash"], 0);
    let bash = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        bash.contains("upload") && bash.contains("validate"),
        "{bash}"
    );
    assert!(bash.contains("--mapping"), "{bash}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = offconv(&t, &["completions", shell], 0);
        let script = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(script.contains("validate"), "{shell}:\n{script}");
    }
    offconv(&t, &["completions", "tcsh"], 2);
}

#[test]
fn man_page_is_roff_from_the_same_definitions() {
    let t = TestDir::new();
    let out = offconv(&t, &["man"], 0);
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        page.starts_with(".ie") || page.contains(".TH offconv"),
        "{page}"
    );
    assert!(page.contains("validate"), "{page}");
    // Hidden from --help: it is for packagers, not users.
    let help = String::from_utf8(offconv(&t, &["--help"], 0).stdout).expect("UTF-8");
    assert!(!help.contains("\n  man "), "{help}");
}

/// The job setups under examples/ (owned with `init`, as the other place a
/// new user starts from): their mappings load and fit the export header
/// they are written for, and their scripts are valid bash.
#[test]
fn example_setups_load_and_parse() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for dir in ["nightly", "github-actions", "backfill"] {
        let path = examples.join(dir).join("offconv.toml");
        let mapping = Mapping::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let input = offconv::source::open(&fixture("store_sales.csv"), None).expect("fixture");
        mapping
            .resolve(&input.header, "store_sales.csv")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for script in ["nightly/run.sh", "backfill/backfill.sh"] {
        let out = std::process::Command::new("bash")
            .arg("-n")
            .arg(examples.join(script))
            .output()
            .expect("run bash -n");
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
