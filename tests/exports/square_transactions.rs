//! Square transactions export: date, time of day and the row's own zone
//! in three columns (`Time Zone` "Eastern Time (US & Canada)"), refunds
//! left out, customers known only by name and Square's customer id.

use super::*;

#[test]
fn square_transactions() {
    let e = validate("square_transactions");
    assert_eq!(e.code, Some(1), "rows are rejected; stderr:\n{}", e.stderr);
    assert_eq!(e.rows_with("valid"), [1, 2, 3, 4, 6, 9, 10]);
    assert_eq!(e.rows_with("skipped"), [5]);
    assert_eq!(e.row(5).reason, "filtered");
    assert_eq!(e.rows_with("rejected"), [7, 8]);
    assert_eq!(e.row(7).reason, "no_match_keys");
    // A zone name in no list: rejected naming the column, never guessed.
    let zone = e.row(8);
    assert_eq!(zone.reason, "bad_time");
    assert!(
        zone.detail
            .starts_with("column Time Zone: not a time zone offconv knows"),
        "{}",
        zone.detail
    );

    // Each row in its own zone, with its DST: EDT on Oct 31, EST on Nov 1
    // (11:40 is after the 02:00 fall-back), PST, a fixed UTC-5.
    assert_eq!(utc(e.order("PT1")), "2026-10-31T15:40:00Z");
    assert_eq!(utc(e.order("PT2")), "2026-11-01T16:40:00Z");
    assert_eq!(utc(e.order("PT3")), "2026-11-21T02:05:12Z");
    assert_eq!(utc(e.order("PT4")), "2026-11-21T15:10:10Z");
    assert_eq!(utc(e.order("PT5")), "2026-11-22T18:30:45Z");
    assert_eq!(utc(e.order("PT8")), "2026-11-25T21:45:00Z");

    let first = e.order("PT1");
    assert_eq!(first["custom_data"]["value"], 12.96);
    assert_eq!(first["custom_data"]["currency"], "USD");
    assert_eq!(e.order("PT5")["custom_data"]["value"], 1400.0);
    assert_eq!(key(first, "external_id"), Some(sha("c1")));
    // "Dr. Liam O'Brien": the honorific dropped, the name split.
    assert_eq!(key(e.order("PT4"), "fn"), Some(sha("liam")));
    assert_eq!(key(e.order("PT4"), "ln"), Some(sha("obrien")));
    // The same customer on another day: the same key.
    assert_eq!(
        key(e.order("PT9"), "external_id"),
        key(first, "external_id")
    );
}
