//! The mapping keys of DESIGN.md 6 driven through `offconv validate` on
//! small inline exports: what the report, the summary and the payload dump
//! show (issue 14).

mod util;

use util::*;

fn summary(t: &TestDir) -> serde_json::Value {
    serde_json::from_str(&t.read("summary.json")).expect("summary JSON")
}

const FILTERED: &str = r#"
[event]
time_column = "t"
id_column = "id"
[custom_data]
value_column = "v"
currency = "USD"
[user_data]
em = "em"
[filter]
skip = { "Financial Status" = ["refunded", "voided"], "Test" = ["true"] }
only = { "Status" = ["paid", "completed"] }
"#;

#[test]
fn filter_skips_rows_apart_and_never_fails_the_run() {
    let t = TestDir::new();
    let csv = "id,t,v,em,Financial Status,Test,Status\n\
        o1,2026-11-20 10:00,10.00,a@example.com,paid,false,Paid\n\
        o2,2026-11-20 10:00,11.00,b@example.com, REFUNDED ,false,paid\n\
        o3,2026-11-20 10:00,12.00,c@example.com,paid,TRUE,paid\n\
        o4,2026-11-20 10:00,13.00,d@example.com,paid,false,pending\n\
        o5,2026-11-20 10:00,14.00,e@example.com,paid,,COMPLETED\n\
        o6,2026-11-20 10:00,x,f@example.com,voided,,paid\n";
    let out = validate_text(&t, csv, FILTERED, 0);
    let report = read_report(&t.path("report.csv"));
    let status: Vec<(&str, &str)> = report
        .iter()
        .map(|r| (r.status.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        status,
        [
            ("valid", ""),
            ("skipped", "filtered"),
            ("skipped", "filtered"),
            ("skipped", "filtered"),
            ("valid", ""),
            // Skipped before its value is read: never rejected.
            ("skipped", "filtered"),
        ]
    );
    assert!(report[1].detail.contains("Financial Status"), "{report:?}");
    assert!(report[2].detail.contains("Test"), "{report:?}");
    assert!(report[3].detail.contains("Status"), "{report:?}");
    let ids: Vec<String> = read_payload_events(&t.path("payloads.ndjson"))
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["o1", "o5"]);
    let s = summary(&t);
    assert_eq!(s["skipped"], 4, "{s}");
    assert_eq!(s["skipped_by_reason"]["filtered"], 4, "{s}");
    assert_eq!(s["rejected"], 0, "{s}");
    assert_eq!(s["rows"], 6, "{s}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped filtered: 4"), "{stderr}");
}

#[test]
fn filter_column_must_exist() {
    let t = TestDir::new();
    let csv = "id,t,v,em,Status\no1,2026-11-20 10:00,10.00,a@example.com,paid\n";
    let out = validate_text(&t, csv, FILTERED, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[filter] skip = \"Financial Status\""),
        "{stderr}"
    );
}

#[test]
fn filter_reads_an_order_from_its_first_non_empty_value() {
    let t = TestDir::new();
    let mapping = r#"
[event]
time_column = "t"
group_by = "order"
[custom_data]
currency = "USD"
[user_data]
em = "em"
[contents]
id_column = "sku"
quantity_column = "q"
item_price_column = "p"
[filter]
skip = { "Status" = ["refunded"] }
"#;
    let csv = "order,t,em,sku,q,p,Status\n\
        A,2026-11-20 10:00,a@example.com,s1,1,5.00,\n\
        A,2026-11-20 10:00,,s2,1,5.00,refunded\n\
        B,2026-11-20 10:00,b@example.com,s1,2,5.00,paid\n\
        B,2026-11-20 10:00,,s2,1,5.00,refunded\n";
    validate_text(&t, csv, mapping, 0);
    let report = read_report(&t.path("report.csv"));
    let status: Vec<&str> = report.iter().map(|r| r.status.as_str()).collect();
    // A: the first non-empty Status is "refunded": all its rows skipped.
    // B: "paid" on its first row: sent whole, the later "refunded" unread.
    assert_eq!(status, ["skipped", "skipped", "valid", "valid"]);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["custom_data"]["value"], 15.0);
}

fn sha(s: &str) -> String {
    use sha2::Digest as _;
    const_hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

#[test]
fn excel_text_guards_are_read_as_the_plain_value() {
    let t = TestDir::new();
    let mapping = r#"
[event]
time_column = "t"
id_column = "id"
[custom_data]
value_column = "v"
currency = "USD"
[user_data]
em = "em"
ph = "ph"
zp = "zip"
[normalize]
phone_region = "US"
"#;
    let csv = "id,t,v,em,ph,zip\n\
        '0001,2026-11-20 10:00,'12.50,a@example.com,'+1 415 555 0100,'02134\n\
        =\"0002\",2026-11-20 10:00,=\"12.50\",a@example.com,=\"4155550100\",=\"02134\"\n";
    validate_text(&t, csv, mapping, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(events.len(), 2);
    for (e, id) in events.iter().zip(["0001", "0002"]) {
        assert_eq!(e["event_id"], id, "{e}");
        assert_eq!(e["custom_data"]["value"], 12.5, "{e}");
        assert_eq!(e["user_data"]["zp"][0], sha("02134"), "{e}");
        assert_eq!(e["user_data"]["ph"][0], sha("14155550100"), "{e}");
    }
}

#[test]
fn four_digit_year_is_strict_and_two_digit_years_read_with_y() {
    let t = TestDir::new();
    let mapping = |fmt: &str| {
        format!(
            "[event]\ntime_column = \"t\"\ntime_format = \"{fmt}\"\ntimezone = \"America/New_York\"\n\
             [custom_data]\nvalue_column = \"v\"\ncurrency = \"USD\"\n[user_data]\nem = \"em\"\n"
        )
    };
    let csv = "t,v,em\n11/20/26 10:00,1.00,a@example.com\n11/20/2026 10:00,1.00,a@example.com\n";
    validate_text(&t, csv, &mapping("%m/%d/%Y %H:%M"), 1);
    let report = read_report(&t.path("report.csv"));
    assert_eq!(
        (report[0].status.as_str(), report[0].reason.as_str()),
        ("rejected", "bad_time")
    );
    assert!(report[0].detail.contains("four digits"), "{report:?}");
    assert_eq!(report[1].status, "valid");
    // Toast's MM/DD/YY: 2026-11-20 10:00 in New York is 15:00 UTC.
    validate_text(
        &t,
        "t,v,em\n11/20/26 10:00,1.00,a@example.com\n",
        &mapping("%m/%d/%y %H:%M"),
        0,
    );
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(events[0]["event_time"], 1_795_186_800i64, "{}", events[0]);
}
