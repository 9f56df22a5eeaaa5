//! Issue 13, "nothing leaked": a headerless export, whose first row is a
//! customer's data, must not come back in an error, a log line at
//! RUST_LOG=trace, or a mapping written by `init`.

mod util;

use util::*;

const HEADERLESS: &str = "SO-1,2026-11-25 10:00:00,wilhelmina.vexx@example.com,+1 415 555 0177,Wilhelmina,Vexx,Springfield,US,19.65,USD\n\
SO-2,2026-11-25 11:00:00,bartholomew.zink@example.com,+1 415 555 0188,Bartholomew,Zink,Shelbyville,US,9.65,USD\n";

/// Every cell of the export long enough to be unambiguous.
fn cells() -> Vec<&'static str> {
    HEADERLESS
        .lines()
        .flat_map(|l| l.split(','))
        .filter(|c| c.len() >= 4 && !["19.65", "9.65"].contains(c))
        .collect()
}

#[test]
fn a_headerless_export_is_described_never_echoed() {
    let t = TestDir::new();
    t.write("hl.csv", HEADERLESS);
    let commands: Vec<Vec<String>> = vec![
        vec![
            "validate".into(),
            "hl.csv".into(),
            "--mapping".into(),
            fixture("store_sales.toml"),
        ],
        vec![
            "upload".into(),
            "--sandbox".into(),
            "hl.csv".into(),
            "--mapping".into(),
            fixture("store_sales.toml"),
        ],
        vec![
            "init".into(),
            "hl.csv".into(),
            "-o".into(),
            "guessed.toml".into(),
        ],
        vec!["init".into(), "hl.csv".into(), "-o".into(), "-".into()],
    ];
    for args in commands {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--now", NOW]);
        let out = run_expect(t.cmd(&args).env("RUST_LOG", "trace"), 2);
        let mut seen = String::from_utf8_lossy(&out.stderr).into_owned();
        seen.push_str(&String::from_utf8_lossy(&out.stdout));
        if let Ok(mapping) = std::fs::read_to_string(t.path("guessed.toml")) {
            seen.push_str(&mapping);
        }
        for cell in cells() {
            assert!(!seen.contains(cell), "{args:?}: raw {cell:?} in\n{seen}");
        }
        assert!(seen.contains("no header line"), "{args:?}: {seen}");
        assert!(
            seen.contains("column 3 (an email address)"),
            "{args:?}: {seen}"
        );
    }
}

/// Every email and phone of the bundled sample.
fn sample_contacts() -> Vec<String> {
    let mut rdr = csv::Reader::from_path(fixture("store_sales.csv")).unwrap();
    rdr.records()
        .flat_map(|r| {
            let r = r.unwrap();
            [r[2].to_owned(), r[3].to_owned()]
        })
        .filter(|c| c.len() >= 7)
        .collect()
}

fn assert_no_contact(seen: &str, what: &str) {
    for c in sample_contacts() {
        assert!(!seen.contains(&c), "{what}: raw {c:?} in\n{seen}");
    }
}

/// Issue 13: a column of emails or phones as the event id or the order
/// id went out raw as `event_id` / `order_id` and into every report line.
/// Refused at start-up, naming the key and the column, never a value.
#[test]
fn an_id_column_of_emails_or_phones_is_refused() {
    let t = TestDir::new();
    let mapping = std::fs::read_to_string(fixture("store_sales.toml")).unwrap();
    let cases = [
        (
            mapping.replace("id_column = \"order_id\"", "id_column = \"email\""),
            "[event] id_column = \"email\"",
            "email addresses",
        ),
        (
            mapping.replace(
                "order_id_column = \"order_id\"",
                "order_id_column = \"phone\"",
            ),
            "[custom_data] order_id_column = \"phone\"",
            "phone numbers",
        ),
    ];
    let sales = fixture("store_sales.csv");
    for (text, key, holds) in cases {
        t.write("m.toml", text);
        for command in [vec!["validate"], vec!["upload", "--sandbox"]] {
            let mut args = command.clone();
            args.extend([
                sales.as_str(),
                "--mapping",
                "m.toml",
                "--report",
                "r.csv",
                "--now",
                NOW,
            ]);
            let mut cmd = t.cmd(&args);
            let out = run_expect(cmd.env("RUST_LOG", "trace"), 2);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(key), "{stderr}");
            assert!(stderr.contains(holds), "{stderr}");
            assert!(!t.path("r.csv").exists(), "no report is begun");
            assert_no_contact(&stderr, key);
        }
    }
}

/// Issue 13: emails or phones mapped to a key sent as written went out
/// with no warning. One warning per key and column (also with two
/// inputs), naming both, never a value.
#[test]
fn raw_keys_fed_with_emails_or_phones_are_warned_about_once() {
    let t = TestDir::new();
    t.write(
        "raw.toml",
        r#"[event]
time_column = "purchased_at"
timezone = "America/Chicago"
[custom_data]
value_column = "total"
currency_column = "currency"
columns = { contact = "email" }
[user_data]
em = "email"
fbp = "phone"
external_id = "email"
[normalize]
hash_external_id = false
"#,
    );
    std::fs::copy(fixture("store_sales.csv"), t.path("a.csv")).unwrap();
    std::fs::copy(fixture("store_sales.csv"), t.path("b.csv")).unwrap();
    let out = run_expect(
        &mut t.cmd(&[
            "validate",
            "a.csv",
            "b.csv",
            "--mapping",
            "raw.toml",
            "--report",
            "r.csv",
            "--now",
            NOW,
        ]),
        0,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for warning in [
        "warning: [custom_data] columns.contact = \"email\": the first rows of a.csv hold email addresses",
        "warning: [user_data] fbp = \"phone\": the first rows of a.csv hold phone numbers",
        "warning: [user_data] external_id = \"email\" (hash_external_id = false): the first rows of a.csv hold email addresses",
    ] {
        assert_eq!(stderr.matches(warning).count(), 1, "{warning}\n{stderr}");
    }
    assert!(!stderr.contains("of b.csv hold"), "{stderr}");
    assert_no_contact(&stderr, "warnings");
}

/// `init` never proposes a column of emails as the id, whatever its name.
#[test]
fn init_never_takes_a_column_of_emails_as_the_id() {
    let t = TestDir::new();
    t.write(
        "e.csv",
        "Order ID,Date,Customer,Total,Currency\n\
         wilhelmina.vexx@example.com,2026-11-25 10:00:00,Wilhelmina Vexx,19.65,USD\n\
         bartholomew.zink@example.com,2026-11-25 11:00:00,Bartholomew Zink,9.65,USD\n\
         cordelia.quist@example.com,2026-11-25 12:00:00,Cordelia Quist,5.00,USD\n",
    );
    run_stdin(&mut t.cmd(&["init", "e.csv", "-o", "m.toml"]), b"", 0);
    let mapping = t.read("m.toml");
    for line in mapping.lines().filter(|l| !l.trim_start().starts_with('#')) {
        assert!(
            !line.contains("id_column = \"Order ID\""),
            "{line}\n{mapping}"
        );
    }
    assert!(!mapping.contains("@example.com"), "{mapping}");
}

/// A row of an id column whose first rows held ids, with an email in it:
/// its id is hashed (`oc-…`), never sent or reported as written.
#[test]
fn an_email_in_an_id_column_of_ids_is_hashed() {
    let t = TestDir::new();
    let mut csv = String::from("order_id,purchased_at,email,total,currency\n");
    for i in 1..=10 {
        let id = if i == 7 {
            "oops.typed@example.com".to_owned()
        } else {
            format!("SO-{i}")
        };
        csv.push_str(&format!(
            "{id},2026-11-25 10:00:0{},c{i}@example.org,1.00,USD\n",
            i % 10
        ));
    }
    t.write("s.csv", csv);
    t.write(
        "m.toml",
        "[event]\ntime_column = \"purchased_at\"\nid_column = \"order_id\"\n[custom_data]\nvalue_column = \"total\"\ncurrency_column = \"currency\"\norder_id_column = \"order_id\"\n[user_data]\nem = \"email\"\n",
    );
    run_expect(
        &mut t.cmd(&[
            "upload",
            "--sandbox",
            "s.csv",
            "--mapping",
            "m.toml",
            "--payloads",
            "p.ndjson",
            "--now",
            NOW,
        ]),
        0,
    );
    let report = t.read("s.csv.report.csv");
    let payloads = t.read("p.ndjson");
    assert!(!report.contains("oops.typed"), "{report}");
    assert!(!payloads.contains("oops.typed"), "{payloads}");
    let rows = read_report(&t.path("s.csv.report.csv"));
    assert!(rows[6].event_id.starts_with("oc-"), "{:?}", rows[6]);
    assert_eq!(rows[5].event_id, "SO-6");
    assert!(rows.iter().all(|r| r.status == "sent"), "{rows:?}");
}
