//! DSFinV-K, table Bonkopf: one row per receipt, `;` fields, decimal
//! commas with `.` groups (`1.299,00`), cancelled receipts (`BON_STORNO`
//! 1) and training receipts (`BON_TYP` AVTraining) left out.

use super::*;

#[test]
fn dsfinvk_receipts_with_decimal_commas() {
    let e = validate("dsfinvk");
    assert_eq!(
        e.code,
        Some(1),
        "rejected rows: exit 1; stderr:\n{}",
        e.stderr
    );

    let anna = e.order("7f3c9a10-0001");
    assert_eq!(
        utc(anna),
        "2026-10-24T12:03:12Z",
        "BON_START in Berlin, CEST"
    );
    assert_eq!(anna["custom_data"]["value"], 48.71);
    assert_eq!(anna["custom_data"]["currency"], "EUR");
    assert_eq!(key(anna, "fn"), Some(sha("anna")));
    assert_eq!(key(anna, "ln"), Some(sha("schmidt")));
    assert_eq!(key(anna, "zp"), Some(sha("10115")));
    assert_eq!(key(anna, "ct"), Some(sha("berlin")));
    assert_eq!(key(anna, "country"), Some(sha("de")), "DEU");
    assert_eq!(key(anna, "external_id"), Some(sha("k-10001")));

    // "1.299,00": one thousand two hundred and ninety-nine euros.
    let lukas = e.order("7f3c9a10-0002");
    assert_eq!(utc(lukas), "2026-10-24T15:42:00Z");
    assert_eq!(lukas["custom_data"]["value"], 1299.0);
    assert_eq!(key(lukas, "fn"), Some(sha("lukas")), "Herr Dr. dropped");
    assert_eq!(key(lukas, "ln"), Some(sha("müller")));

    let sophie = e.order("7f3c9a10-0006");
    assert_eq!(utc(sophie), "2026-11-20T11:30:45Z", "CET after the change");
    assert_eq!(sophie["custom_data"]["value"], 57.1);
    assert_eq!(key(sophie, "fn"), Some(sha("sophie")));
    let jan = e.order("7f3c9a10-0007");
    assert_eq!(jan["custom_data"]["value"], 30.77);
    assert_eq!(key(jan, "country"), Some(sha("nl")), "NLD");
    assert_eq!(key(jan, "ct"), Some(sha("amsterdam")));
    let clara = e.order("7f3c9a10-0009");
    assert_eq!(clara["custom_data"]["value"], 245.0);
    assert_eq!(key(clara, "ct"), Some(sha("munchen")));
    let emil = e.order("7f3c9a10-0010");
    assert_eq!(utc(emil), "2026-11-24T19:05:00Z");
    assert_eq!(emil["custom_data"]["value"], 1005.5);
    assert_eq!(key(emil, "fn"), Some(sha("emil")), "Prof. dropped");
    assert_eq!(key(emil, "ct"), Some(sha("dusseldorf")));
    assert_eq!(e.events.len(), 6);

    // 3 a training receipt, 5 cancelled (its -30,77 never read).
    assert_eq!(e.rows_with("skipped"), [3, 5]);
    assert!(e.row(3).detail.contains("BON_TYP"), "{}", e.row(3).detail);
    assert!(
        e.row(5).detail.contains("BON_STORNO"),
        "{}",
        e.row(5).detail
    );
    // 4 no customer at all, 8 "8,4O" (a letter O).
    assert_eq!(e.rows_with("rejected"), [4, 8]);
    assert_eq!(e.row(4).reason, "no_match_keys");
    assert_eq!(e.row(8).reason, "bad_value");
    assert!(
        e.row(8).detail.contains("column UMS_BRUTTO"),
        "{}",
        e.row(8).detail
    );
}
