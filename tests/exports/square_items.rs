//! Square's item sales ("Items Detail CSV"): one row per item, `Qty`
//! written "2.0", `Gross Sales` the line's total ("$36.00"), the date and
//! the time of day apart, the seller's zone on every row.

use super::*;

#[test]
fn square_items_from_line_totals_and_square_quantities() {
    let e = validate("square_items");
    assert_eq!(
        e.code,
        Some(1),
        "rejected rows: exit 1; stderr:\n{}",
        e.stderr
    );

    // "2.0" is 2; "$36.00" is the line's total: 18.00 each.
    let dee = e.order("SQA1x");
    assert_eq!(utc(dee), "2026-10-31T14:02:11Z", "10:02:11 EDT");
    let cd = &dee["custom_data"];
    assert_eq!(cd["value"], 48.0, "the sum of the line totals");
    assert_eq!(cd["currency"], "USD");
    assert_eq!(cd["num_items"], 3);
    assert_eq!(cd["content_ids"], serde_json::json!(["MUG-1", "FERN-1"]));
    assert_eq!(cd["contents"][0]["quantity"], 2);
    assert_eq!(cd["contents"][0]["item_price"], 18.0);
    assert_eq!(cd["contents"][0]["title"], "Speckled Mug");
    assert_eq!(cd["contents"][0]["category"], "Ceramics");
    assert_eq!(key(dee, "fn"), Some(sha("dee")));
    assert_eq!(key(dee, "ln"), Some(sha("example")));
    assert_eq!(key(dee, "external_id"), Some(sha("cust1")));

    let omar = e.order("SQB2y");
    assert_eq!(utc(omar), "2026-11-02T15:02:11Z", "EST after the change");
    let grace = e.order("SQC3z");
    assert_eq!(utc(grace), "2026-11-20T22:30:00Z", "Pacific Time");
    assert_eq!(key(grace, "fn"), Some(sha("grace")), "Ms. dropped");

    let liam = e.order("SQD4w");
    assert_eq!(utc(liam), "2026-11-21T14:15:42Z");
    assert_eq!(liam["custom_data"]["value"], 65.5);
    assert_eq!(liam["custom_data"]["num_items"], 5);
    assert_eq!(
        liam["custom_data"]["contents"][0]["item_price"], 15.0,
        "$45.00 for 3"
    );
    assert_eq!(key(liam, "fn"), Some(sha("liam")), "\"O'Brien, Liam\"");
    assert_eq!(key(liam, "ln"), Some(sha("obrien")));

    let noah = e.order("SQG7t");
    assert_eq!(
        utc(noah),
        "2026-11-24T21:20:30Z",
        "an IANA name in the zone column"
    );
    assert_eq!(noah["custom_data"]["value"], 1250.0, "\"$1,250.00\"");
    let again = e.order("SQI9r");
    assert_eq!(utc(again), "2026-11-25T13:59:59Z");
    assert_eq!(e.events.len(), 6);

    // 8 a refund; 9 no customer; 10 a zone no one knows; 12 "$2S.00".
    assert_eq!(e.rows_with("skipped"), [8]);
    assert_eq!(e.row(8).reason, "filtered");
    assert_eq!(e.rows_with("rejected"), [9, 10, 12]);
    assert_eq!(e.row(9).reason, "no_match_keys");
    assert_eq!(e.row(10).reason, "bad_time");
    assert!(
        e.row(10).detail.contains("Time Zone"),
        "{}",
        e.row(10).detail
    );
    assert_eq!(e.row(12).reason, "bad_value");
    assert!(
        e.row(12).detail.contains("column Gross Sales"),
        "{}",
        e.row(12).detail
    );
}
