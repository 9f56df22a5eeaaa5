//! The time keys of DESIGN.md 6 through `offconv validate`: a date and a
//! time of day in two columns, a zone per row, `%Z`, and `time_format`
//! checked at start-up (issue 14).

mod util;

use util::*;

/// `event_time` of each sent event by its id, as RFC 3339 UTC.
fn times(t: &TestDir) -> Vec<(String, String)> {
    read_payload_events(&t.path("payloads.ndjson"))
        .iter()
        .map(|e| {
            let secs = e["event_time"].as_i64().expect("event_time");
            let at = jiff::Timestamp::from_second(secs)
                .expect("time")
                .to_string();
            (e["event_id"].as_str().expect("id").to_owned(), at)
        })
        .collect()
}

fn time_of(t: &TestDir, id: &str) -> String {
    times(t)
        .into_iter()
        .find(|(i, _)| i == id)
        .unwrap_or_else(|| panic!("no event {id}"))
        .1
}

const SPLIT: &str = r#"
[event]
time_column = "Date"
time_of_day_column = "Time"
timezone_column = "Time Zone"
timezone = "America/Chicago"
id_column = "id"
[user_data]
em = "em"
"#;

#[test]
fn date_and_time_apart_are_read_in_each_rows_zone() {
    let t = TestDir::new();
    let csv = "id,Date,Time,Time Zone,em\n\
        ny,2026-11-20,18:05:12,Eastern Time (US & Canada),a@example.com\n\
        la,2026-11-20,18:05:12,Pacific Time,b@example.com\n\
        ber,2026-11-20,18:05:12,W. Europe Standard Time,c@example.com\n\
        off,2026-11-20,18:05:12,UTC-5,d@example.com\n\
        iana,2026-11-20,18:05:12,Asia/Tokyo,e@example.com\n\
        dflt,2026-11-20,18:05:12,,f@example.com\n\
        usfold,2026-11-01,01:30:00,Eastern Time (US & Canada),g@example.com\n\
        eufold,2026-10-25,02:30:00,Europe/Berlin,h@example.com\n\
        usgap,2026-03-08,02:30:00,Eastern Time (US & Canada),i@example.com\n\
        nozone,2026-11-20,18:05:12,Atlantis Time,j@example.com\n\
        notime,2026-11-20,,Eastern Time (US & Canada),k@example.com\n";
    validate_text(&t, csv, SPLIT, 1);
    assert_eq!(time_of(&t, "ny"), "2026-11-20T23:05:12Z");
    assert_eq!(time_of(&t, "la"), "2026-11-21T02:05:12Z");
    assert_eq!(time_of(&t, "ber"), "2026-11-20T17:05:12Z");
    assert_eq!(time_of(&t, "off"), "2026-11-20T23:05:12Z");
    assert_eq!(time_of(&t, "iana"), "2026-11-20T09:05:12Z");
    // An empty zone cell: the mapping's timezone (Chicago, CST).
    assert_eq!(time_of(&t, "dflt"), "2026-11-21T00:05:12Z");
    // Folds take the earlier instant (EDT, CEST).
    assert_eq!(time_of(&t, "usfold"), "2026-11-01T05:30:00Z");
    assert_eq!(time_of(&t, "eufold"), "2026-10-25T00:30:00Z");
    let report = read_report(&t.path("report.csv"));
    let row = |id: &str| report.iter().find(|r| r.event_id == id).expect(id);
    // The gap moves forward, but March is past Meta's 62 days.
    assert_eq!(row("usgap").reason, "too_old");
    let nozone = row("nozone");
    assert_eq!(
        (nozone.status.as_str(), nozone.reason.as_str()),
        ("rejected", "bad_time")
    );
    assert!(
        nozone
            .detail
            .starts_with("column Time Zone: not a time zone offconv knows"),
        "{}",
        nozone.detail
    );
    assert!(!nozone.detail.contains("Atlantis"), "{}", nozone.detail);
    let notime = row("notime");
    assert_eq!(notime.reason, "bad_time");
    assert!(
        notime
            .detail
            .starts_with("column Time: the time of day is empty"),
        "{}",
        notime.detail
    );
}

#[test]
fn a_joined_time_that_does_not_match_names_both_columns() {
    let t = TestDir::new();
    let mapping = r#"
[event]
time_column = "Opened Date"
time_of_day_column = "Opened Time"
time_format = "%m/%d/%y %I:%M %p"
timezone = "America/Chicago"
id_column = "id"
[user_data]
em = "em"
"#;
    let csv = "id,Opened Date,Opened Time,em\n\
        a,11/20/26,06:45 PM,a@example.com\n\
        b,11/20/26,25:00 PM,b@example.com\n\
        c,11/20/2026,06:45 PM,c@example.com\n";
    validate_text(&t, csv, mapping, 1);
    assert_eq!(time_of(&t, "a"), "2026-11-21T00:45:00Z");
    let report = read_report(&t.path("report.csv"));
    for r in &report[1..] {
        assert_eq!(r.reason, "bad_time", "{r:?}");
        assert!(
            r.detail
                .starts_with("columns Opened Date and Opened Time (joined): the time"),
            "{}",
            r.detail
        );
    }
}

#[test]
fn zone_abbreviations_are_read_against_the_rows_zone() {
    let t = TestDir::new();
    let mapping = r#"
[event]
time_column = "Order Date"
time_format = "%d-%b-%Y %I:%M %p %Z"
timezone = "America/New_York"
id_column = "id"
[user_data]
em = "em"
"#;
    let csv = "id,Order Date,em\n\
        est,20-Nov-2026 02:44 PM EST,a@example.com\n\
        edt,31-Oct-2026 11:15 AM EDT,b@example.com\n\
        estfold,01-Nov-2026 01:30 AM EST,c@example.com\n\
        edtfold,01-Nov-2026 01:30 AM EDT,d@example.com\n\
        pst,23-Nov-2026 06:00 PM PST,e@example.com\n\
        none,23-Nov-2026 06:00 PM,f@example.com\n";
    validate_text(&t, csv, mapping, 1);
    assert_eq!(time_of(&t, "est"), "2026-11-20T19:44:00Z");
    assert_eq!(time_of(&t, "edt"), "2026-10-31T15:15:00Z");
    assert_eq!(time_of(&t, "estfold"), "2026-11-01T06:30:00Z");
    assert_eq!(time_of(&t, "edtfold"), "2026-11-01T05:30:00Z");
    let report = read_report(&t.path("report.csv"));
    let pst = report.iter().find(|r| r.event_id == "pst").expect("pst");
    assert_eq!(pst.reason, "bad_time");
    assert!(
        pst.detail
            .contains("zone abbreviation (%Z) that its time zone never uses"),
        "{}",
        pst.detail
    );
    assert!(!pst.detail.contains("PST"), "{}", pst.detail);
    let none = report.iter().find(|r| r.event_id == "none").expect("none");
    assert!(
        none.detail
            .contains("does not match the mapping's time_format"),
        "{}",
        none.detail
    );
}

#[test]
fn a_time_format_directive_offconv_cannot_read_stops_the_run() {
    let t = TestDir::new();
    let csv = "t,em\n2026-11-20 10:00,a@example.com\n";
    for (fmt, directive) in [("%Y-%m-%d %K:%M", "%K"), ("%c", "%c"), ("%Y-%m-%d %", "%")] {
        let mapping = format!(
            "[event]\ntime_column = \"t\"\ntime_format = \"{fmt}\"\n[user_data]\nem = \"em\"\n"
        );
        let out = validate_text(&t, csv, &mapping, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("m.toml"), "{stderr}");
        assert!(stderr.contains("[event] time_format"), "{stderr}");
        assert!(stderr.contains(&format!("\"{directive}\"")), "{stderr}");
        assert!(!t.path("report.csv").exists(), "no row is read");
    }
}

#[test]
fn time_columns_must_exist() {
    let t = TestDir::new();
    let csv = "Date,em\n2026-11-20,a@example.com\n";
    let out = validate_text(
        &t,
        csv,
        SPLIT.replace("id_column = \"id\"\n", "").as_str(),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[event] time_of_day_column = \"Time\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("[event] timezone_column = \"Time Zone\""),
        "{stderr}"
    );
}
