//! The customer keys of DESIGN.md 6 driven through `offconv validate` on
//! small inline exports (issue 14): `full_name` split into `fn` and `ln`,
//! the phone region of each row, Limited Data Use. What the report and the
//! payload dump show.

mod util;

use util::*;

fn sha(s: &str) -> String {
    use sha2::Digest as _;
    const_hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

/// The hashes of one `user_data` key of an event (absent: empty).
fn hashes(event: &serde_json::Value, key: &str) -> Vec<String> {
    event["user_data"][key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().expect("hash").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

const FULL_NAME_ONLY: &str = r#"
[event]
time_column = "t"
id_column = "id"
[custom_data]
value_column = "v"
currency = "USD"
[user_data]
full_name = "Billing Name"
zp = "zip"
"#;

#[test]
fn full_names_are_split_into_fn_and_ln() {
    let t = TestDir::new();
    let csv = "id,t,v,Billing Name,zip\n\
        o1,2026-11-20 10:00,1.00,Dr. José García Jr.,60601\n\
        o2,2026-11-20 10:00,1.00,\"van der Berg, Anna\",60601\n\
        o3,2026-11-20 10:00,1.00,Cher,60601\n\
        o4,2026-11-20 10:00,1.00,Frau Müller,60601\n\
        o5,2026-11-20 10:00,1.00,MR JOHN Q. SMITH III,60601\n";
    validate_text(&t, csv, FULL_NAME_ONLY, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    let names: Vec<(Vec<String>, Vec<String>)> = events
        .iter()
        .map(|e| (hashes(e, "fn"), hashes(e, "ln")))
        .collect();
    assert_eq!(
        names,
        [
            (vec![sha("josé")], vec![sha("garcía")]),
            (vec![sha("anna")], vec![sha("vanderberg")]),
            (vec![sha("cher")], vec![]),
            (vec![], vec![sha("müller")]),
            (vec![sha("john")], vec![sha("smith")]),
        ]
    );
    let raw = t.read("payloads.ndjson");
    for name in ["García", "Anna", "Müller", "SMITH"] {
        assert!(!raw.contains(name), "raw {name} in the dump");
    }
}

#[test]
fn a_mapped_fn_or_ln_wins_and_an_empty_one_takes_the_full_name() {
    let t = TestDir::new();
    let mapping = FULL_NAME_ONLY.replace("zp = \"zip\"", "fn = \"First\"\nln = \"Last\"");
    let csv = "id,t,v,Billing Name,First,Last\n\
        o1,2026-11-20 10:00,1.00,Johnny Smith,John,Smythe\n\
        o2,2026-11-20 10:00,1.00,Johnny Smith,,Smythe\n\
        o3,2026-11-20 10:00,1.00,Johnny Smith,John,\n\
        o4,2026-11-20 10:00,1.00,Johnny Smith,,\n";
    validate_text(&t, csv, &mapping, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    let names: Vec<(Vec<String>, Vec<String>)> = events
        .iter()
        .map(|e| (hashes(e, "fn"), hashes(e, "ln")))
        .collect();
    assert_eq!(
        names,
        [
            (vec![sha("john")], vec![sha("smythe")]),
            (vec![sha("johnny")], vec![sha("smythe")]),
            (vec![sha("john")], vec![sha("smith")]),
            (vec![sha("johnny")], vec![sha("smith")]),
        ]
    );
}

#[test]
fn a_full_name_alone_is_a_weak_key() {
    let t = TestDir::new();
    let mapping = FULL_NAME_ONLY
        .replace("zp = \"zip\"", "ge = \"g\"")
        .replace("Billing Name", "Name");
    let csv = "id,t,v,Name,g\n\
        o1,2026-11-20 10:00,1.00,Cher,f\n\
        o2,2026-11-20 10:00,1.00,Mr Smith,m\n\
        o3,2026-11-20 10:00,1.00,Ada Lovelace,f\n\
        o4,2026-11-20 10:00,1.00,Dr.,f\n";
    validate_text(&t, csv, &mapping, 1);
    let report = read_report(&t.path("report.csv"));
    let status: Vec<(&str, &str)> = report
        .iter()
        .map(|r| (r.status.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        status,
        [
            ("rejected", "weak_match_keys"),
            ("rejected", "weak_match_keys"),
            ("valid", ""),
            ("rejected", "weak_match_keys"),
        ]
    );
    let t = TestDir::new();
    let out = validate_text(
        &t,
        "id,t,v,Billing Name,zip\no1,2026-11-20 10:00,1.00,Dr.,\n",
        FULL_NAME_ONLY,
        1,
    );
    let report = read_report(&t.path("report.csv"));
    assert_eq!(report[0].reason, "no_match_keys", "{out:?}");
    assert!(report[0].detail.contains("Billing Name"), "{report:?}");
}

#[test]
fn full_name_is_read_per_order_from_its_first_non_empty_row() {
    let t = TestDir::new();
    let mapping = r#"
[event]
time_column = "t"
group_by = "order"
[custom_data]
currency = "USD"
[user_data]
em = "em"
full_name = "Name"
[contents]
id_column = "sku"
quantity_column = "q"
item_price_column = "p"
"#;
    let csv = "order,t,em,Name,sku,q,p\n\
        A,2026-11-20 10:00,a@example.com,,s1,1,5.00\n\
        A,2026-11-20 10:00,,\"Lovelace, Ada\",s2,1,5.00\n";
    validate_text(&t, csv, mapping, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(hashes(&events[0], "fn"), [sha("ada")]);
    assert_eq!(hashes(&events[0], "ln"), [sha("lovelace")]);
}

#[test]
fn full_name_takes_one_column() {
    let t = TestDir::new();
    let mapping = FULL_NAME_ONLY.replace("\"Billing Name\"", "[\"a\", \"b\"]");
    let out = validate_text(&t, "id,t,v,a,b,zip\n", &mapping, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("full_name takes one column"), "{stderr}");
    let out = validate_text(&t, "id,t,v,Name,zip\n", FULL_NAME_ONLY, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[user_data] full_name = \"Billing Name\""),
        "{stderr}"
    );
}

const SHOP_IN_ZA: &str = r#"
[event]
time_column = "t"
id_column = "id"
[custom_data]
value_column = "v"
currency = "ZAR"
[user_data]
ph = "phone"
zp = "zip"
country = "country"
[normalize]
phone_region = "ZA"
"#;

#[test]
fn a_rows_own_country_is_its_phone_region() {
    let t = TestDir::new();
    let csv = "id,t,v,phone,zip,country\n\
        za,2026-11-20 10:00,1.00,082 555 0101,8001,ZA\n\
        us,2026-11-20 10:00,1.00,(312) 555-0142,60601,United States\n\
        gb,2026-11-20 10:00,1.00,020 7946 0958,SW1A 1AA,GB\n\
        none,2026-11-20 10:00,1.00,082 555 0101,8001,\n\
        odd,2026-11-20 10:00,1.00,082 555 0101,8001,Atlantis\n\
        plus,2026-11-20 10:00,1.00,+27 82 555 0101,8001,US\n";
    validate_text(&t, csv, SHOP_IN_ZA, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    let phones: Vec<(&str, Vec<String>)> = events
        .iter()
        .map(|e| (e["event_id"].as_str().unwrap(), hashes(e, "ph")))
        .collect();
    assert_eq!(
        phones,
        [
            ("za", vec![sha("27825550101")]),
            // A US customer in a South African shop's export: +1, not +27.
            ("us", vec![sha("13125550142")]),
            ("gb", vec![sha("442079460958")]),
            // No country: the mapping's phone_region.
            ("none", vec![sha("27825550101")]),
            // "Atlantis" hashes as "at" (its first two letters), which
            // names no country: the mapping's phone_region, not Austria.
            ("odd", vec![sha("27825550101")]),
            // A number with its country code keeps it, whatever the row says.
            ("plus", vec![sha("27825550101")]),
        ]
    );
}

#[test]
fn a_us_rows_nine_digit_zip_keeps_five_digits_from_the_rows_own_country() {
    let t = TestDir::new();
    let mapping = SHOP_IN_ZA.replace("ph = \"phone\"", "em = \"em\"");
    let csv = "id,t,v,em,zip,country\n\
        us,2026-11-20 10:00,1.00,a@example.com,606011234,US\n\
        za,2026-11-20 10:00,1.00,a@example.com,606011234,ZA\n";
    validate_text(&t, csv, &mapping, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(hashes(&events[0], "zp"), [sha("60601")]);
    assert_eq!(hashes(&events[1], "zp"), [sha("606011234")]);
}

#[test]
fn full_width_phone_numbers_are_read_under_a_region() {
    let t = TestDir::new();
    let mapping = r#"
[event]
time_column = "t"
id_column = "id"
[custom_data]
value_column = "v"
currency = "JPY"
[user_data]
em = "em"
ph = "phone"
[normalize]
phone_region = "JP"
"#;
    let csv = "id,t,v,em,phone\n\
        a,2026-11-20 10:00,1200,a@example.jp,０９０-１２３４-５６７８\n\
        b,2026-11-20 10:00,1200,b@example.jp,＋８１　３－１２３４－５６７８\n";
    validate_text(&t, csv, mapping, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(hashes(&events[0], "ph"), [sha("819012345678")]);
    assert_eq!(hashes(&events[1], "ph"), [sha("81312345678")]);
    // Without a region, the reference's rule: ASCII digits only.
    let out = run_expect(
        &mut t.cmd(&["hash", "--field", "ph", "０９０-１２３４-５６７８"]),
        0,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "\t\n", "dropped: nothing normalized, no hash");
    let out = run_expect(
        &mut t.cmd(&[
            "hash",
            "--field",
            "ph",
            "--phone-region",
            "JP",
            "０９０-１２３４-５６７８",
        ]),
        0,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("819012345678\t"), "{stdout}");
}

/// `data_processing_options`, its country and its state.
type LduFields = (serde_json::Value, i64, i64);

/// The three LDU fields of an event, or `None` when it has none of them.
fn ldu(event: &serde_json::Value) -> Option<LduFields> {
    let options = event.get("data_processing_options")?.clone();
    Some((
        options,
        event["data_processing_options_country"]
            .as_i64()
            .expect("country"),
        event["data_processing_options_state"]
            .as_i64()
            .expect("state"),
    ))
}

const LDU_MAPPING: &str = r#"
[event]
time_column = "t"
id_column = "id"
ldu_column = "Do Not Sell"
[custom_data]
value_column = "v"
currency = "USD"
[user_data]
em = "em"
"#;

const LDU_CSV: &str = "id,t,v,em,Do Not Sell\n\
    on1,2026-11-20 10:00,1.00,a@example.com,Y\n\
    on2,2026-11-20 10:00,1.00,b@example.com, true \n\
    off1,2026-11-20 10:00,1.00,c@example.com,0\n\
    off2,2026-11-20 10:00,1.00,d@example.com,\n\
    odd,2026-11-20 10:00,1.00,e@example.com,opted out\n";

#[test]
fn ldu_fields_go_on_the_events_the_mapping_or_the_row_puts_under_ldu() {
    let t = TestDir::new();
    validate_text(&t, LDU_CSV, LDU_MAPPING, 1);
    let report = read_report(&t.path("report.csv"));
    assert_eq!(
        (report[4].status.as_str(), report[4].reason.as_str()),
        ("rejected", "bad_ldu")
    );
    assert!(report[4].detail.contains("Do Not Sell"), "{report:?}");
    assert!(!report[4].detail.contains("opted"), "no raw value");
    let events = read_payload_events(&t.path("payloads.ndjson"));
    let fields: Vec<(&str, Option<LduFields>)> = events
        .iter()
        .map(|e| (e["event_id"].as_str().unwrap(), ldu(e)))
        .collect();
    let on = Some((serde_json::json!(["LDU"]), 0, 0));
    assert_eq!(
        fields,
        [
            ("on1", on.clone()),
            ("on2", on),
            ("off1", None),
            ("off2", None)
        ]
    );
    for e in &events {
        let has = |k: &str| e.get(k).is_some();
        assert_eq!(
            has("data_processing_options_country"),
            has("data_processing_options"),
            "{e}"
        );
    }

    // For every event, with the US and California: the row's flag cannot
    // turn it off.
    let every = LDU_MAPPING.replace(
        "ldu_column = \"Do Not Sell\"",
        "data_processing_options = [\"LDU\"]\ndata_processing_options_country = 1\ndata_processing_options_state = 1000",
    );
    validate_text(&t, LDU_CSV, &every, 0);
    let events = read_payload_events(&t.path("payloads.ndjson"));
    assert_eq!(events.len(), 5);
    for e in &events {
        assert_eq!(ldu(e), Some((serde_json::json!(["LDU"]), 1, 1000)), "{e}");
    }
    // Without LDU keys, or with [], none of the three fields.
    for mapping in [
        LDU_MAPPING.replace("ldu_column = \"Do Not Sell\"", ""),
        LDU_MAPPING.replace(
            "ldu_column = \"Do Not Sell\"",
            "data_processing_options = []",
        ),
    ] {
        validate_text(&t, LDU_CSV, &mapping, 0);
        for e in read_payload_events(&t.path("payloads.ndjson")) {
            assert_eq!(ldu(&e), None, "{e}");
            assert!(e.get("data_processing_options_state").is_none(), "{e}");
        }
    }
}

#[test]
fn the_sandbox_takes_ldu_events_as_meta_does() {
    let t = TestDir::new();
    let sandbox = SandboxProcess::start(&t, &["--record", "record.ndjson", "--now", NOW]);
    t.write("in.csv", LDU_CSV);
    let mapping = LDU_MAPPING.replace(
        "ldu_column = \"Do Not Sell\"",
        "ldu_column = \"Do Not Sell\"\ndata_processing_options_country = 1\ndata_processing_options_state = 1000",
    );
    t.write("m.toml", &mapping);
    let mut cmd = t.cmd(&[
        "upload",
        "in.csv",
        "--mapping",
        "m.toml",
        "--dataset",
        "1234567890",
        "--api-base",
        &sandbox.url,
        "--now",
        NOW,
        "--report",
        "report.csv",
        "--no-ledger",
    ]);
    cmd.env("META_ACCESS_TOKEN", "tok");
    // The row with an unreadable flag is rejected: exit 1, the rest sent.
    run_expect(&mut cmd, 1);
    let summary = sandbox.stop();
    assert_eq!(summary["accepted_events"], 4, "{summary}");
    let recorded: Vec<serde_json::Value> = t
        .read("record.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let under_ldu: Vec<&str> = recorded
        .iter()
        .filter(|e| e["ldu"] == true)
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(under_ldu, ["on1", "on2"], "{recorded:?}");
}
