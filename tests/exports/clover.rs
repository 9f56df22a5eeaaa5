//! Clover orders export: the zone's abbreviation inside the time
//! (`20-Nov-2026 02:44 PM EST`), refunded and open orders left out.

use super::*;

#[test]
fn clover_orders() {
    let e = validate("clover");
    assert_eq!(e.code, Some(1), "rows are rejected; stderr:\n{}", e.stderr);
    assert_eq!(e.rows_with("valid"), [1, 2, 3, 7, 9]);
    assert_eq!(e.rows_with("skipped"), [4, 5]);
    assert_eq!(e.row(4).reason, "filtered");
    assert_eq!(e.row(5).reason, "filtered");
    assert_eq!(e.rows_with("rejected"), [6, 8]);
    // "PST" in a New York store's export: not an abbreviation of its zone.
    let pst = e.row(6);
    assert_eq!(pst.reason, "bad_time");
    assert!(
        pst.detail
            .contains("zone abbreviation (%Z) that its time zone never uses"),
        "{}",
        pst.detail
    );
    assert_eq!(e.row(8).reason, "no_match_keys");

    // EDT before Nov 1, EST after: each fixes its own offset.
    assert_eq!(utc(e.order("MKP7NKSJDFKF8")), "2026-10-31T15:15:00Z");
    assert_eq!(utc(e.order("SAZMZE0CH9FT0")), "2026-11-02T14:05:00Z");
    assert_eq!(utc(e.order("Q1W2E3R4T5Y6U")), "2026-11-20T19:44:00Z");
    assert_eq!(utc(e.order("L1K2J3H4G5F6D")), "2026-11-24T18:25:00Z");
    assert_eq!(utc(e.order("Q9W8E7R6T5Y4U")), "2026-11-25T15:00:00Z");

    let first = e.order("MKP7NKSJDFKF8");
    assert_eq!(first["custom_data"]["value"], 33.56);
    assert_eq!(first["custom_data"]["currency"], "USD");
    assert_eq!(e.order("L1K2J3H4G5F6D")["custom_data"]["value"], 1108.0);
    assert_eq!(key(first, "em"), Some(sha("rosa.diaz@example.com")));
    assert_eq!(key(first, "ph"), Some(sha("13055550131")));
    let julia = e.order("Q1W2E3R4T5Y6U");
    assert_eq!(key(julia, "ln"), Some(sha("robertslee")));
}
