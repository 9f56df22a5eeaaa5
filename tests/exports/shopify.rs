//! Shopify's orders export: one row per line item, the order's own columns
//! (Total, Currency, Financial Status, the customer) on its first row only,
//! Excel's text guard on some zips and phones.

use super::*;

#[test]
fn shopify_orders_with_continuation_rows() {
    let e = validate("shopify");
    assert_eq!(
        e.code,
        Some(1),
        "one bad time: exit 1; stderr:\n{}",
        e.stderr
    );

    // Two lines; the second row's Total is empty, which agrees.
    let jane = e.order("#1001");
    assert_eq!(utc(jane), "2026-11-20T20:02:50Z", "14:02:50 -0600");
    let cd = &jane["custom_data"];
    assert_eq!(cd["value"], 65.56, "the order's Total, not the lines' sum");
    assert_eq!(cd["currency"], "USD");
    assert_eq!(cd["content_ids"], serde_json::json!(["TOTE-01", "PIN-02"]));
    assert_eq!(cd["num_items"], 3);
    assert_eq!(cd["contents"][1]["quantity"], 2);
    assert_eq!(cd["contents"][1]["item_price"], 6.0);
    assert_eq!(cd["contents"][1]["title"], "Enamel Pin");
    assert_eq!(cd["contents"][1]["brand"], "Lakeview Goods");
    assert_eq!(e.row(1).detail, "", "no disagreement: {:?}", e.row(1));
    assert_eq!(e.row(2).detail, "", "no disagreement: {:?}", e.row(2));
    assert_eq!(key(jane, "em"), Some(sha("jane.doe@example.com")));
    assert_eq!(key(jane, "fn"), Some(sha("jane")));
    assert_eq!(key(jane, "ln"), Some(sha("doe")));
    assert_eq!(key(jane, "ph"), Some(sha("13125550101")));
    assert_eq!(key(jane, "ct"), Some(sha("chicago")));
    assert_eq!(key(jane, "st"), Some(sha("il")));
    assert_eq!(key(jane, "zp"), Some(sha("60614")));
    assert_eq!(key(jane, "country"), Some(sha("us")));

    // "Mr. Mark Smith Jr.", '60654 and '(312) 555-0102: guards gone.
    let mark = e.order("#1002");
    assert_eq!(utc(mark), "2026-11-21T15:15:00Z");
    assert_eq!(mark["custom_data"]["value"], 127.5);
    assert_eq!(mark["custom_data"]["num_items"], 2);
    assert_eq!(key(mark, "em"), Some(sha("mark.smith@example.com")));
    assert_eq!(key(mark, "fn"), Some(sha("mark")));
    assert_eq!(key(mark, "ln"), Some(sha("smith")));
    assert_eq!(key(mark, "zp"), Some(sha("60654")));
    assert_eq!(key(mark, "ph"), Some(sha("13125550102")));

    let olivia = e.order("#1004");
    assert_eq!(utc(olivia), "2026-11-22T16:05:33Z");
    assert_eq!(olivia["custom_data"]["value"], 48.0);
    assert_eq!(olivia["custom_data"]["currency"], "GBP");
    assert_eq!(key(olivia, "country"), Some(sha("gb")));

    let luc = e.order("#1005");
    assert_eq!(utc(luc), "2026-11-23T15:20:00Z");
    assert_eq!(luc["custom_data"]["currency"], "CAD");
    assert_eq!(key(luc, "fn"), Some(sha("luc")), "\"Tremblay, Luc\"");
    assert_eq!(key(luc, "ln"), Some(sha("tremblay")));

    // Its first row in the export's day, its UTC time the next day.
    let raj = e.order("#1008");
    assert_eq!(utc(raj), "2026-11-25T01:30:00Z");
    assert_eq!(raj["custom_data"]["value"], 95.63);
    assert_eq!(raj["custom_data"]["num_items"], 2);
    assert_eq!(
        key(raj, "zp"),
        Some(sha("02134")),
        "'02134: the guard is gone"
    );
    assert_eq!(key(raj, "ph"), Some(sha("16175550108")));
    assert_eq!(e.row(12).detail, "", "{:?}", e.row(12));

    let maria = e.order("#1010");
    assert_eq!(utc(maria), "2026-11-25T19:10:05Z");
    assert_eq!(maria["custom_data"]["contents"][0]["quantity"], 3);
    assert_eq!(key(maria, "fn"), Some(sha("maria")), "Dr. dropped");
    assert_eq!(key(maria, "ph"), Some(sha("13125550110")));
    assert_eq!(e.events.len(), 6);

    // #1003 refunded (both rows: the second's status is empty), #1006
    // voided, #1007 pending (both rows); #1009 month 13.
    assert_eq!(e.rows_with("skipped"), [4, 5, 8, 9, 10]);
    for row in [4, 5, 8, 9, 10] {
        assert_eq!(e.row(row).reason, "filtered");
        assert!(
            e.row(row).detail.contains("Financial Status"),
            "{}",
            e.row(row).detail
        );
    }
    assert_eq!(e.rows_with("rejected"), [13]);
    assert_eq!(e.row(13).reason, "bad_time");
}
