//! Line-item exports (issue 8): consecutive rows of one order become one
//! event with its contents; every row is reported once with its order's
//! event id and status; orders that are not contiguous are caught.

mod util;

use std::collections::HashMap;

use util::*;

fn run(
    t: &TestDir,
    input: &str,
    mapping: &str,
    code: i32,
) -> (Vec<ReportRow>, Vec<serde_json::Value>) {
    run_expect(
        &mut t.cmd(&[
            "validate",
            input,
            "--mapping",
            mapping,
            "--now",
            NOW,
            "--report",
            "r.csv",
            "--payloads",
            "p.ndjson",
        ]),
        code,
    );
    (
        read_report(&t.path("r.csv")),
        read_payload_events(&t.path("p.ndjson")),
    )
}

#[test]
fn one_event_per_order_with_its_contents() {
    let t = TestDir::new();
    let (report, events) = run(
        &t,
        &fixture("line_items.csv"),
        &fixture("line_items.toml"),
        1,
    );
    assert_eq!(report.len(), 11, "every row once");
    let by_order: HashMap<&str, &serde_json::Value> = events
        .iter()
        .map(|e| (e["custom_data"]["order_id"].as_str().unwrap(), e))
        .collect();
    assert_eq!(events.len(), 5, "A-1001, A-1002, A-1003, A-1005, A-1006");

    let a1001 = by_order["A-1001"];
    let cd = &a1001["custom_data"];
    assert_eq!(cd["num_items"], 6);
    assert_eq!(cd["value"].as_f64().unwrap(), 64.48);
    assert_eq!(cd["content_type"], "product");
    assert_eq!(
        cd["content_ids"],
        serde_json::json!(["SKU-RED-M", "SKU-CAP", "SKU-SOCK"])
    );
    assert_eq!(
        cd["contents"][0],
        serde_json::json!({"id": "SKU-RED-M", "quantity": 2, "item_price": 19.99, "title": "Red shirt M"})
    );
    // The phone is on the first row only, the email on two rows: the
    // order's event has both.
    assert!(a1001["user_data"]["ph"].is_array() && a1001["user_data"]["em"].is_array());
    assert_eq!(
        by_order["A-1006"]["custom_data"]["value"].as_f64().unwrap(),
        36.0
    );
    assert_eq!(by_order["A-1005"]["custom_data"]["currency"], "EUR");

    // Rows of one order share its event id and status.
    let id_of = |row: u64| report[row as usize - 1].event_id.clone();
    assert_eq!(id_of(1), a1001["event_id"].as_str().unwrap());
    assert_eq!(id_of(1), id_of(2));
    assert_eq!(id_of(2), id_of(3));
    assert!(
        report[..3]
            .iter()
            .all(|r| r.status == "valid" && r.batch == "1")
    );
}

#[test]
fn a_bad_line_rejects_its_whole_order_naming_the_row() {
    let t = TestDir::new();
    let (report, events) = run(
        &t,
        &fixture("line_items.csv"),
        &fixture("line_items.toml"),
        1,
    );
    let (r7, r8) = (&report[6], &report[7]);
    assert_eq!(
        (r7.status.as_str(), r7.reason.as_str()),
        ("rejected", "bad_value")
    );
    assert!(r7.detail.contains("column quantity"), "{r7:?}");
    assert_eq!(
        (r8.status.as_str(), r8.reason.as_str()),
        ("rejected", "bad_value")
    );
    assert!(r8.detail.contains("row 7"), "{r8:?}");
    assert_eq!(r7.event_id, r8.event_id);
    assert!(
        !events
            .iter()
            .any(|e| e["custom_data"]["order_id"] == "A-1004")
    );
}

#[test]
fn orders_that_are_not_contiguous_are_caught() {
    let t = TestDir::new();
    let (report, events) = run(
        &t,
        &fixture("line_items.csv"),
        &fixture("line_items.toml"),
        1,
    );
    let r10 = &report[9];
    assert_eq!(
        (r10.status.as_str(), r10.reason.as_str()),
        ("rejected", "order_not_contiguous")
    );
    // The first group stands, with its id on the late row too.
    let a1002 = events
        .iter()
        .find(|e| e["custom_data"]["order_id"] == "A-1002")
        .unwrap();
    assert_eq!(a1002["custom_data"]["num_items"], 1);
    assert_eq!(r10.event_id, a1002["event_id"].as_str().unwrap());
}

#[test]
fn orders_split_across_chunks_stay_whole() {
    // 3,000 orders of 1 to 4 items: orders straddle the reader's chunks.
    let t = TestDir::new();
    let mut csv = String::from("order_id,purchased_at,email,sku,quantity,item_price,currency\n");
    let mut lines_of = Vec::new();
    for o in 0..3_000 {
        let items = 1 + o % 4;
        lines_of.push(items);
        for i in 0..items {
            csv.push_str(&format!(
                "O{o},2026-11-25 09:00,c{o}@example.com,S{i},{},2.50,USD\n",
                i + 1
            ));
        }
    }
    let input = t.write("orders.csv", csv);
    t.write("m.toml", std::fs::read_to_string(fixture("line_items.toml")).unwrap().replace(
        "[user_data]\nem = \"email\"\nph = \"phone\"\nfn = \"first_name\"\nln = \"last_name\"\nzp = \"zip\"\ncountry = \"country\"\n",
        "[user_data]\nem = \"email\"\n",
    ).replace("title_column = \"title\"\n", ""));
    let (report, events) = run(&t, input.to_str().unwrap(), "m.toml", 0);
    let rows: usize = lines_of.iter().sum();
    assert_eq!(report.len(), rows);
    assert_eq!(events.len(), 3_000);
    for (o, e) in events.iter().enumerate() {
        let n = lines_of[o];
        assert_eq!(e["custom_data"]["order_id"], format!("O{o}"));
        assert_eq!(e["custom_data"]["contents"].as_array().unwrap().len(), n);
        assert_eq!(e["custom_data"]["num_items"], n * (n + 1) / 2);
    }
}

#[test]
fn mapping_needs_contents_with_group_by() {
    let t = TestDir::new();
    let text = std::fs::read_to_string(fixture("line_items.toml")).unwrap();
    let cut = text.find("[contents]").unwrap();
    let end = text.find("[custom_data]").unwrap();
    t.write("m.toml", format!("{}{}", &text[..cut], &text[end..]));
    let out = run_expect(
        &mut t.cmd(&[
            "validate",
            &fixture("line_items.csv"),
            "--mapping",
            "m.toml",
        ]),
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("[contents]"));
}
