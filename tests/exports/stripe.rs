//! Stripe's payments export (`fixtures/exports/stripe/`): one row per
//! charge, times in UTC, the charge's own currency (`usd`, `eur`), failed,
//! refunded and test-mode charges filtered out, `Card Name` split into fn
//! and ln, the card's billing address hashed, `cus_…` as external_id.

use super::*;

#[test]
fn stripe_payments() {
    let e = validate("stripe");
    assert_eq!(
        e.code,
        Some(1),
        "one row without a customer; stderr:\n{}",
        e.stderr
    );
    assert_eq!(e.rows_with("valid"), [1, 2, 6, 7, 8, 10]);
    assert_eq!(e.rows_with("skipped"), [3, 4, 5]);
    // Failed, Refunded, Mode Test.
    for (row, column) in [(3, "Status"), (4, "Status"), (5, "Mode")] {
        assert_eq!(e.row(row).reason, "filtered", "row {row}");
        assert!(
            e.row(row).detail.contains(column),
            "row {row}: {}",
            e.row(row).detail
        );
    }
    // A charge without email, name or card address: nothing to match on.
    assert_eq!(e.row(9).reason, "no_match_keys");

    let by_id = |id: &str| {
        e.events
            .iter()
            .find(|ev| ev["event_id"] == id)
            .unwrap_or_else(|| panic!("no event {id}"))
    };
    assert_eq!(utc(by_id("ch_3QaA1b2C3d4E5f6G")), "2026-11-20T14:03:12Z");
    // "2026-11-25 06:30": no seconds.
    assert_eq!(utc(by_id("ch_3QaJ5d6E7f8G9h0I")), "2026-11-25T06:30:00Z");
    let money = |id: &str| {
        let cd = &by_id(id)["custom_data"];
        (
            cd["value"].as_f64().expect("value"),
            cd["currency"].as_str().expect("currency").to_owned(),
        )
    };
    assert_eq!(money("ch_3QaA1b2C3d4E5f6G"), (120.0, "USD".to_owned()));
    assert_eq!(money("ch_3QaF1f2G3h4I5j6K"), (1200.0, "USD".to_owned()));
    assert_eq!(money("ch_3QaG7l8M9n0O1p2Q"), (25.0, "EUR".to_owned()));
}

#[test]
fn stripe_card_names_and_addresses_are_hashed() {
    let e = validate("stripe");
    let by_id = |id: &str| {
        e.events
            .iter()
            .find(|ev| ev["event_id"] == id)
            .unwrap_or_else(|| panic!("no event {id}"))
    };
    let ivy = by_id("ch_3QaA1b2C3d4E5f6G");
    assert_eq!(key(ivy, "fn"), Some(sha("ivy")));
    assert_eq!(key(ivy, "ln"), Some(sha("moss")));
    assert_eq!(key(ivy, "external_id"), Some(sha("cus_qaa1")));
    assert_eq!(key(ivy, "ct"), Some(sha("portland")));
    assert_eq!(key(ivy, "st"), Some(sha("or")));
    assert_eq!(key(ivy, "zp"), Some(sha("97201")));
    assert_eq!(key(ivy, "country"), Some(sha("us")));
    // "Dr. Ruth Bell" in Vancouver: the honorific goes, the postal code
    // keeps its inner space.
    let ruth = by_id("ch_3QaF1f2G3h4I5j6K");
    assert_eq!(key(ruth, "fn"), Some(sha("ruth")));
    assert_eq!(key(ruth, "ln"), Some(sha("bell")));
    assert_eq!(key(ruth, "zp"), Some(sha("v6b 1a1")));
    assert_eq!(key(ruth, "country"), Some(sha("ca")));
    // "Jan de Vries": the first and the last word.
    let jan = by_id("ch_3QaG7l8M9n0O1p2Q");
    assert_eq!(key(jan, "fn"), Some(sha("jan")));
    assert_eq!(key(jan, "ln"), Some(sha("vries")));
    assert_eq!(key(jan, "country"), Some(sha("nl")));
}
