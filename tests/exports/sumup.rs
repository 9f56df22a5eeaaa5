//! SumUp's German sales report: one row per item, decimal commas
//! (`"1.250,00"`), `Preis (brutto)` the line's total, refunds as their own
//! rows (`Typ` Erstattung) or flagged (`Transaktion erstattet` Ja).

use super::*;

#[test]
fn sumup_orders_from_line_totals_with_decimal_commas() {
    let e = validate("sumup");
    assert_eq!(
        e.code,
        Some(1),
        "rejected rows: exit 1; stderr:\n{}",
        e.stderr
    );

    // Two lines, the Cappuccino's "7,00" the total of 2: 3.50 each.
    let lena = e.order("TEGUCXAGDE");
    assert_eq!(
        utc(lena),
        "2026-10-24T10:32:00Z",
        "12:32 CEST, before the change"
    );
    let cd = &lena["custom_data"];
    assert_eq!(cd["value"], 23.0);
    assert_eq!(cd["currency"], "EUR");
    assert_eq!(cd["num_items"], 3);
    assert_eq!(
        cd["content_ids"],
        serde_json::json!(["Hauptgang, normal", "Cappuccino"])
    );
    assert_eq!(cd["contents"][1]["quantity"], 2);
    assert_eq!(cd["contents"][1]["item_price"], 3.5);
    assert_eq!(cd["contents"][1]["title"], "Cappuccino");
    assert_eq!(key(lena, "em"), Some(sha("lena.vogel@example.de")));
    assert_eq!(key(lena, "ph"), Some(sha("491515550101")));

    let jonas = e.order("TEGUCXAGDG");
    assert_eq!(utc(jonas), "2026-11-20T13:03:00Z", "14:03 CET");
    assert_eq!(jonas["custom_data"]["value"], 18.0);
    assert_eq!(jonas["custom_data"]["num_items"], 5);
    assert_eq!(jonas["custom_data"]["contents"][0]["item_price"], 3.5);
    assert_eq!(key(jonas, "ph"), Some(sha("49305550102")));

    // "1.250,00": a thousand two hundred and fifty euros, not 1.25.
    let catering = e.order("TEGUCXAGDH");
    assert_eq!(catering["custom_data"]["value"], 1250.0);
    assert_eq!(catering["custom_data"]["contents"][0]["item_price"], 1250.0);

    let latte = e.order("TEGUCXAGDJ");
    assert_eq!(latte["custom_data"]["value"], 12.3);
    assert_eq!(latte["custom_data"]["contents"][0]["item_price"], 4.1);
    let espresso = e.order("TEGUCXAGDM");
    assert_eq!(espresso["custom_data"]["value"], 2.2);
    assert_eq!(key(espresso, "ph"), Some(sha("4315550107")));
    assert_eq!(e.events.len(), 5);

    // Rows: 1–2 Lena, 3 no customer, 4–5 Jonas, 6 catering, 7 a refund,
    // 8 Latte, 9 "12,5O" (a letter O), 10 refunded, 11 Espresso.
    assert_eq!(e.rows_with("valid"), [1, 2, 4, 5, 6, 8, 11]);
    assert_eq!(e.rows_with("skipped"), [7, 10]);
    for row in [7, 10] {
        assert_eq!(e.row(row).reason, "filtered");
    }
    assert!(e.row(7).detail.contains("Typ"), "{}", e.row(7).detail);
    assert!(
        e.row(10).detail.contains("Transaktion erstattet"),
        "{}",
        e.row(10).detail
    );
    assert_eq!(e.rows_with("rejected"), [3, 9]);
    assert_eq!(e.row(3).reason, "no_match_keys");
    assert_eq!(e.row(9).reason, "bad_value");
    assert!(
        e.row(9).detail.contains("column Preis (brutto)"),
        "{}",
        e.row(9).detail
    );
}
