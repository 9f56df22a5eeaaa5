//! A Shopify export saved by Excel (Swiss German) as "CSV": Windows-1252
//! bytes, `;` fields, Excel's text guard on zips and phones, dates
//! rewritten "20.11.2026 14:03". `[csv] encoding = "windows-1252"` reads
//! the accents as what they are, so nothing is `bad_utf8`.

use super::*;

#[test]
fn excel_1252_accents_are_decoded_and_guards_dropped() {
    let bytes = std::fs::read(export_file("excel_1252")).expect("export");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is not UTF-8"
    );
    let e = validate("excel_1252");
    assert_eq!(
        e.code,
        Some(1),
        "one bad time: exit 1; stderr:\n{}",
        e.stderr
    );
    assert!(
        e.report.iter().all(|r| r.reason != "bad_utf8"),
        "{:?}",
        e.report
    );

    let zoe = e.order("#2001");
    assert_eq!(utc(zoe), "2026-11-20T13:03:00Z", "14:03 in Zurich (CET)");
    assert_eq!(zoe["custom_data"]["value"], 129.9);
    assert_eq!(zoe["custom_data"]["currency"], "CHF");
    assert_eq!(key(zoe, "em"), Some(sha("zoe.mueller@example.ch")));
    // "Zoë Müller" split from Billing Name, the accents kept (Meta hashes
    // names with them); the city folded, as Meta's normalizer does.
    assert_eq!(key(zoe, "fn"), Some(sha("zoë")));
    assert_eq!(key(zoe, "ln"), Some(sha("müller")));
    assert_eq!(key(zoe, "ct"), Some(sha("zurich")));
    // '8001 and '+41 44 555 01 01: Excel's guard is not in the hash.
    assert_eq!(key(zoe, "zp"), Some(sha("8001")));
    assert_eq!(key(zoe, "ph"), Some(sha("41445550101")));
    assert_eq!(key(zoe, "country"), Some(sha("ch")));

    let francois = e.order("#2002");
    assert_eq!(utc(francois), "2026-11-20T16:45:00Z");
    assert_eq!(francois["custom_data"]["value"], 58.0);
    assert_eq!(key(francois, "fn"), Some(sha("françois")));
    assert_eq!(key(francois, "ln"), Some(sha("bérard")));
    assert_eq!(key(francois, "ct"), Some(sha("geneve")));
    assert_eq!(key(francois, "ph"), Some(sha("41225550102")));

    let andre = e.order("#2004");
    assert_eq!(utc(andre), "2026-11-22T10:30:00Z");
    assert_eq!(andre["custom_data"]["value"], 1250.0);
    assert_eq!(key(andre, "ln"), Some(sha("rossier")));
    assert_eq!(key(andre, "ct"), Some(sha("neuchatel")));

    let noemie = e.order("#2005");
    assert_eq!(key(noemie, "fn"), Some(sha("noémie")));
    assert_eq!(key(noemie, "ph"), Some(sha("41325550105")));
    let jurgen = e.order("#2006");
    assert_eq!(utc(jurgen), "2026-11-24T09:00:00Z");
    assert_eq!(key(jurgen, "fn"), Some(sha("jürgen")));
    assert_eq!(key(jurgen, "ln"), Some(sha("könig")));
    assert_eq!(key(jurgen, "zp"), Some(sha("79539")));
    assert_eq!(key(jurgen, "country"), Some(sha("de")));
    let oceane = e.order("#2008");
    assert_eq!(utc(oceane), "2026-11-25T07:15:00Z");
    assert_eq!(key(oceane, "ct"), Some(sha("besancon")));
    assert_eq!(e.events.len(), 6);

    // #2003 refunded and #2007 voided: skipped; #2009 at 25:15: bad_time.
    assert_eq!(e.rows_with("skipped"), [3, 7]);
    assert!(
        e.row(3).detail.contains("Financial Status"),
        "{}",
        e.row(3).detail
    );
    assert_eq!(e.rows_with("rejected"), [9]);
    assert_eq!(e.row(9).reason, "bad_time");
    assert!(
        e.row(9).detail.contains("Created at"),
        "{}",
        e.row(9).detail
    );
}
