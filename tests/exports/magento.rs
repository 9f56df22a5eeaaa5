//! Magento 2's orders grid export (`fixtures/exports/magento/`): one row per
//! order, `Bill-to Name` as one column (split into fn and ln), times in the
//! admin's zone (America/Los_Angeles), `$1,049.00` totals, a 7-day
//! `website` window, canceled, closed and pending orders filtered out.

use super::*;

#[test]
fn magento_orders() {
    let e = validate("magento");
    assert_eq!(e.code, Some(1), "rejected rows; stderr:\n{}", e.stderr);
    assert_eq!(e.rows_with("valid"), [1, 2, 4, 8, 10]);
    assert_eq!(e.rows_with("skipped"), [3, 5, 6]);
    for row in [3, 5, 6] {
        assert_eq!(e.row(row).reason, "filtered", "row {row}");
        assert!(e.row(row).detail.contains("Status"), "row {row}");
    }
    // Nov 10 is more than 7 days before the corpus clock: a website event.
    assert_eq!(e.row(7).reason, "too_old");
    // "Nov 25, 2026 13:05:00 PM": hour 13 with PM is no time.
    assert_eq!(e.row(9).reason, "bad_time");
    assert!(
        e.row(9).detail.contains("Purchase Date"),
        "{}",
        e.row(9).detail
    );

    // 9:01:34 AM Pacific (PST, -08:00) and 12:00:01 AM, just past midnight.
    assert_eq!(utc(e.order("000000101")), "2026-11-19T17:01:34Z");
    assert_eq!(utc(e.order("000000104")), "2026-11-21T08:00:01Z");
    assert_eq!(utc(e.order("000000110")), "2026-11-26T03:20:44Z");
    let values: Vec<(f64, &str)> = ["000000101", "000000104", "000000108"]
        .iter()
        .map(|id| {
            let cd = &e.order(id)["custom_data"];
            (
                cd["value"].as_f64().expect("value"),
                cd["currency"].as_str().expect("currency"),
            )
        })
        .collect();
    assert_eq!(values, [(36.39, "USD"), (1049.0, "USD"), (88.25, "USD")]);
}

#[test]
fn magento_bill_to_names_are_split() {
    let e = validate("magento");
    for (order, first, last) in [
        ("000000101", "veronica", "costello"),
        // "Mr. David Kim": the honorific goes.
        ("000000104", "david", "kim"),
        // "Garcia, Elena": last name first.
        ("000000108", "elena", "garcia"),
        ("000000110", "chloe", "martin"),
    ] {
        let ev = e.order(order);
        assert_eq!(key(ev, "fn"), Some(sha(first)), "{order}");
        assert_eq!(key(ev, "ln"), Some(sha(last)), "{order}");
    }
    assert_eq!(
        key(e.order("000000110"), "em"),
        Some(sha("chloe.martin@example.com"))
    );
}
