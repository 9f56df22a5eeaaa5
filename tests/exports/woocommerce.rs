//! WooCommerce orders (`fixtures/exports/woocommerce/`, the Advanced Order
//! Export plugin's default fields): one row per product with the order's
//! columns repeated, grouped by `Order Number`; a British shop
//! (`phone_region = "GB"`, Europe/London) with a customer in New York,
//! whose number is read as a US one from the row's own country.

use super::*;

#[test]
fn woocommerce_orders() {
    let e = validate("woocommerce");
    assert_eq!(e.code, Some(1), "rejected rows; stderr:\n{}", e.stderr);
    assert_eq!(e.rows_with("valid"), [3, 5, 6, 7, 12, 13]);
    assert_eq!(e.rows_with("skipped"), [4, 8, 11]);
    // Order 4101, 2026-11-19 10:05 in London: past the 7-day website window.
    assert_eq!(e.row(1).reason, "too_old");
    assert_eq!(e.row(2).reason, "too_old");
    // Order 4106's total "31,25" under the mapping's decimal point.
    assert_eq!(e.row(9).reason, "bad_value");
    assert_eq!(e.row(10).reason, "bad_value");
    assert!(e.row(10).detail.contains("row 9"), "{}", e.row(10).detail);

    assert_eq!(e.events.len(), 3);
    assert_eq!(utc(e.order("4102")), "2026-11-20T18:22:00Z");
    assert_eq!(utc(e.order("4104")), "2026-11-21T21:40:00Z");
    let order = e.order("4104");
    assert_eq!(order["custom_data"]["value"], 61.0);
    assert_eq!(order["custom_data"]["currency"], "GBP");
    assert_eq!(order["custom_data"]["num_items"], 7);
    assert_eq!(
        order["custom_data"]["content_ids"],
        serde_json::json!(["TEA-EB", "TEA-EG", "INF-1"])
    );
    assert_eq!(e.order("4108")["custom_data"]["value"], 28.45);
}

#[test]
fn woocommerce_phones_are_read_in_the_rows_own_country() {
    let e = validate("woocommerce");
    // "(212) 555-0104" with Country Code US in a GB shop: +1, not +44.
    let aiden = e.order("4104");
    assert_eq!(key(aiden, "ph"), Some(sha("12125550104")));
    assert_eq!(key(aiden, "country"), Some(sha("us")));
    assert_eq!(key(aiden, "st"), Some(sha("ny")));
    assert_eq!(key(aiden, "zp"), Some(sha("10006")));
    assert_eq!(key(aiden, "fn"), Some(sha("aiden")));
    assert_eq!(key(aiden, "ln"), Some(sha("murphy")));
    // British numbers with their country code.
    assert_eq!(key(e.order("4102"), "ph"), Some(sha("442920180102")));
    assert_eq!(key(e.order("4108"), "ph"), Some(sha("447700900108")));
    assert_eq!(key(e.order("4108"), "zp"), Some(sha("ls1 5hd")));
}
