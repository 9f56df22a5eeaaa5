//! Amounts through `offconv validate` (DESIGN.md 6): `decimal_separator`,
//! currency symbols that contradict the row's currency, and line items
//! with an optional quantity, line totals and continuation rows.

mod util;

use util::*;

/// `validate` of `csv` with `mapping` (exit `code`): report and events.
fn run(csv: &str, mapping: &str, code: i32) -> (Vec<ReportRow>, Vec<serde_json::Value>, String) {
    let t = TestDir::new();
    let out = validate_text(&t, csv, mapping, code);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if code == 2 {
        return (Vec::new(), Vec::new(), stderr);
    }
    let events = if t.path("payloads.ndjson").exists() {
        read_payload_events(&t.path("payloads.ndjson"))
    } else {
        Vec::new()
    };
    (read_report(&t.path("report.csv")), events, stderr)
}

/// One row per value, id `r<n>`; `extra` goes into `[custom_data]`.
fn values(values: &[&str], extra: &str, code: i32) -> (Vec<ReportRow>, Vec<serde_json::Value>) {
    let mut csv = String::from("id;t;em;v\n");
    for (i, v) in values.iter().enumerate() {
        csv.push_str(&format!("r{i};2026-11-20 10:00;a{i}@example.com;{v}\n"));
    }
    let mapping = format!(
        "[csv]\ndelimiter = \";\"\n[event]\ntime_column = \"t\"\nid_column = \"id\"\n\
         [custom_data]\nvalue_column = \"v\"\n{extra}\n[user_data]\nem = \"em\"\n"
    );
    let (report, events, _) = run(&csv, &mapping, code);
    (report, events)
}

/// The value sent for row `id`, as JSON.
fn value_of(events: &[serde_json::Value], id: &str) -> serde_json::Value {
    events
        .iter()
        .find(|e| e["event_id"] == id)
        .map(|e| e["custom_data"]["value"].clone())
        .unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn a_decimal_comma_mapping_reads_european_amounts() {
    let (report, events) = values(
        &[
            "1.234,56",
            "12,50",
            "1,250",
            "1.250.000",
            "1.250",
            "12.50",
            "57,10 €",
        ],
        "decimal_separator = \",\"\ncurrency = \"EUR\"",
        1,
    );
    assert_eq!(value_of(&events, "r0"), 1234.56);
    assert_eq!(value_of(&events, "r1"), 12.5);
    assert_eq!(
        value_of(&events, "r2"),
        1.25,
        "a comma is the decimal separator"
    );
    assert_eq!(value_of(&events, "r3"), 1_250_000.0);
    assert_eq!(value_of(&events, "r6"), 57.1);
    // 1.250: a thousands group here, a decimal point elsewhere: refused.
    assert_eq!(
        (report[4].status.as_str(), report[4].reason.as_str()),
        ("rejected", "bad_value")
    );
    assert!(
        report[4].detail.contains("column v"),
        "{}",
        report[4].detail
    );
    assert!(
        report[4].detail.contains("not guessed"),
        "{}",
        report[4].detail
    );
    assert_eq!(report[5].reason, "bad_value");
    assert!(
        report[5].detail.contains("reads a decimal comma"),
        "{}",
        report[5].detail
    );
}

#[test]
fn the_default_point_names_the_key_for_decimal_commas() {
    let (report, events) = values(
        &["1,234.56", "1,250", "12,50", "1.234,56"],
        "currency = \"USD\"",
        1,
    );
    assert_eq!(value_of(&events, "r0"), 1234.56);
    assert_eq!(
        value_of(&events, "r1"),
        1250.0,
        "a thousands group under \".\""
    );
    for r in &report[2..] {
        assert_eq!(r.reason, "bad_value");
        assert!(
            r.detail.contains("decimal_separator = \",\""),
            "{}",
            r.detail
        );
        assert!(r.detail.contains("reads a decimal point"), "{}", r.detail);
    }
}

#[test]
fn a_bad_decimal_separator_stops_the_run() {
    let (_, _, stderr) = run(
        "id,t,em,v\n",
        "[event]\ntime_column = \"t\"\n[custom_data]\ndecimal_separator = \"'\"\n[user_data]\nem = \"em\"\n",
        2,
    );
    assert!(stderr.contains("decimal_separator"), "{stderr}");
}

#[test]
fn symbols_and_codes_must_agree_with_the_row_currency() {
    let (report, events) = values(
        &["€12.00", "£12.00", "12.00 GBP", "12.00 €", "$5.00", "¥100"],
        "currency = \"EUR\"",
        1,
    );
    let reasons: Vec<&str> = report.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "",
            "bad_currency",
            "bad_currency",
            "",
            "bad_currency",
            "bad_currency"
        ]
    );
    assert!(
        report[1].detail.contains("column v"),
        "{}",
        report[1].detail
    );
    assert!(report[1].detail.contains("£"), "{}", report[1].detail);
    assert!(report[1].detail.contains("EUR"), "{}", report[1].detail);
    assert!(report[2].detail.contains("GBP"), "{}", report[2].detail);
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e["custom_data"]["currency"] == "EUR"));
}

#[test]
fn a_dollar_agrees_with_every_dollar_and_peso_of_the_currency_column() {
    let csv = "id,t,em,v,cur\n\
        a,2026-11-20 10:00,a@example.com,$5.00,CAD\n\
        b,2026-11-20 10:00,b@example.com,$5.00,MXN\n\
        c,2026-11-20 10:00,c@example.com,US$5.00,CAD\n\
        d,2026-11-20 10:00,d@example.com,$5.00,EUR\n\
        e,2026-11-20 10:00,e@example.com,¥500,JPY\n\
        f,2026-11-20 10:00,f@example.com,R$ 5.00,BRL\n";
    let mapping = "[event]\ntime_column = \"t\"\nid_column = \"id\"\n\
        [custom_data]\nvalue_column = \"v\"\ncurrency_column = \"cur\"\n[user_data]\nem = \"em\"\n";
    let (report, events, _) = run(csv, mapping, 1);
    let reasons: Vec<&str> = report.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons, ["", "", "bad_currency", "bad_currency", "", ""]);
    assert!(
        report[3].detail.contains("column cur"),
        "{}",
        report[3].detail
    );
    let currencies: Vec<&str> = events
        .iter()
        .map(|e| e["custom_data"]["currency"].as_str().unwrap())
        .collect();
    assert_eq!(currencies, ["CAD", "MXN", "JPY", "BRL"]);
}

const LINES: &str = r#"
[event]
time_column = "t"
group_by = "order"
[custom_data]
currency = "EUR"
decimal_separator = ","
[user_data]
em = "em"
[contents]
id_column = "sku"
quantity_column = "q"
line_total_column = "total"
"#;

#[test]
fn line_totals_fractional_quantities_and_decimal_commas() {
    let csv = "order;t;em;sku;q;total\n\
        A;2026-11-20 10:00;a@example.com;mug;2,0;36,00\n\
        A;2026-11-20 10:00;;cheese;0,5;6,50\n\
        A;2026-11-20 10:00;;pen;3;10,00\n\
        B;2026-11-20 10:00;b@example.com;mug;1;£18,00\n\
        C;2026-11-20 10:00;c@example.com;mug;-1;18,00\n";
    let (report, events, _) = run(csv, &format!("[csv]\ndelimiter = \";\"\n{LINES}"), 1);
    assert_eq!(events.len(), 1, "{report:?}");
    let a = &events[0]["custom_data"];
    assert_eq!(a["value"], 52.5, "the sum of the line totals, exactly");
    assert_eq!(a["num_items"], 6, "2 + 1 (a fraction counts one) + 3");
    let contents = a["contents"].as_array().unwrap();
    assert_eq!(contents[0]["quantity"], 2);
    assert_eq!(contents[0]["item_price"], 18.0);
    assert_eq!(
        contents[1]["quantity"], 1,
        "0,5 kg: one item at the line's total"
    );
    assert_eq!(contents[1]["item_price"], 6.5);
    assert_eq!(contents[2]["item_price"], 3.333333);
    assert_eq!(report[3].reason, "bad_currency");
    assert!(
        report[3].detail.contains("column total"),
        "{}",
        report[3].detail
    );
    assert_eq!(report[4].reason, "bad_value");
    assert!(
        report[4].detail.contains("column q"),
        "{}",
        report[4].detail
    );
}

#[test]
fn without_a_quantity_column_each_line_is_one_item() {
    let mapping = LINES
        .replace("quantity_column = \"q\"\n", "")
        .replace("decimal_separator = \",\"\n", "")
        .replace(
            "line_total_column = \"total\"",
            "item_price_column = \"total\"",
        );
    let csv = "order,t,em,sku,total\n\
        A,2026-11-20 10:00,a@example.com,mug,18.00\n\
        A,2026-11-20 10:00,,pen,2.50\n";
    let (_, events, _) = run(csv, &mapping, 0);
    let a = &events[0]["custom_data"];
    assert_eq!(a["value"], 20.5);
    assert_eq!(a["num_items"], 2);
}

#[test]
fn square_quantities_and_unit_prices_times_fractions() {
    let mapping = LINES
        .replace("decimal_separator = \",\"\n", "")
        .replace("line_total_column", "item_price_column");
    let csv = "order,t,em,sku,q,total\n\
        A,2026-11-20 10:00,a@example.com,mug,1.0,18.00\n\
        A,2026-11-20 10:00,,pin,2.000,6.00\n\
        A,2026-11-20 10:00,,cheese,0.5,12.99\n";
    let (_, events, _) = run(csv, &mapping, 0);
    let a = &events[0]["custom_data"];
    assert_eq!(a["value"], 36.495);
    assert_eq!(a["num_items"], 4);
    assert_eq!(
        a["contents"][2]["item_price"], 6.495,
        "0.5 × 12.99: the line's total"
    );
}

#[test]
fn exactly_one_price_column() {
    let both = LINES.replace(
        "line_total_column = \"total\"",
        "line_total_column = \"total\"\nitem_price_column = \"q\"",
    );
    let (_, _, stderr) = run("order;t;em;sku;q;total\n", &both, 2);
    assert!(
        stderr.contains("both item_price_column and line_total_column"),
        "{stderr}"
    );
    let neither = LINES.replace("line_total_column = \"total\"\n", "");
    let (_, _, stderr) = run("order;t;em;sku;q;total\n", &neither, 2);
    assert!(stderr.contains("line_total_column"), "{stderr}");
}

#[test]
fn continuation_rows_with_an_empty_total_agree_with_the_first() {
    let mapping = r#"
[event]
time_column = "t"
group_by = "order"
[custom_data]
value_column = "Total"
currency_column = "Currency"
[user_data]
em = "em"
[contents]
id_column = "sku"
quantity_column = "q"
item_price_column = "p"
"#;
    let csv = "order,t,em,Total,Currency,sku,q,p\n\
        A,2026-11-20 10:00,a@example.com,65.56,USD,tote,1,45.00\n\
        A,,,,,pin,2,6.00\n\
        B,2026-11-20 10:00,b@example.com,10.00,USD,pin,1,6.00\n\
        B,,,12.00,,pin,1,4.00\n";
    let (report, events, _) = run(csv, mapping, 0);
    assert_eq!(events[0]["custom_data"]["value"], 65.56);
    assert_eq!(report[0].detail, "", "{report:?}");
    assert_eq!(report[1].detail, "", "{report:?}");
    assert!(report[2].detail.contains("disagree"), "{report:?}");
}
