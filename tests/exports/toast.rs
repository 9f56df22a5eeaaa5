//! Toast `CheckDetails.csv`: the date and the time of day apart
//! (`Opened Date` MM/DD/YY, `Opened Time` hh:mm AM), no zone in the file,
//! one row per check.

use super::*;

#[test]
fn toast_check_details() {
    let e = validate("toast");
    assert_eq!(e.code, Some(1), "rows are rejected; stderr:\n{}", e.stderr);
    assert_eq!(e.rows_with("valid"), [1, 2, 3, 5, 7, 8, 9]);
    assert_eq!(e.rows_with("rejected"), [4, 6, 10]);
    // No customer detail at all (a cash check without a guest).
    assert_eq!(e.row(4).reason, "no_match_keys");
    // "11/22/2026" where time_format says %y: never the year 2020 or 20.
    let long_year = e.row(6);
    assert_eq!(long_year.reason, "bad_time");
    assert!(
        long_year
            .detail
            .starts_with("columns Opened Date and Opened Time (joined):"),
        "{}",
        long_year.detail
    );
    // "25:00 PM" is no time of day.
    assert_eq!(e.row(10).reason, "bad_time");

    // Joined date and time, read in America/Chicago: CDT on Oct 31, CST
    // from Nov 1 02:00 on.
    let check = |id: &str| e.order(id);
    assert_eq!(utc(check("400000012345601")), "2026-11-01T00:15:00Z");
    assert_eq!(utc(check("400000012345602")), "2026-11-01T18:30:00Z");
    assert_eq!(utc(check("400000012345603")), "2026-11-21T00:45:00Z");
    assert_eq!(utc(check("400000012345605")), "2026-11-22T02:20:00Z");
    assert_eq!(utc(check("400000012345609")), "2026-11-25T18:00:00Z");

    let first = check("400000012345601");
    assert_eq!(first["custom_data"]["value"], 41.33);
    assert_eq!(first["custom_data"]["currency"], "USD");
    assert_eq!(check("400000012345607")["custom_data"]["value"], 1236.4);
    assert_eq!(first["event_id"], "400000012345601");
    assert_eq!(key(first, "em"), Some(sha("chris.walker@example.com")));
    assert_eq!(key(first, "ph"), Some(sha("13125550121")));
    assert_eq!(
        key(check("400000012345603"), "em"),
        Some(sha("sue.chen@example.com"))
    );
    assert_eq!(key(first, "external_id"), Some(sha("g-1")));
    // "Kowalski, Anna" in Customer: split by full_name.
    let anna = check("400000012345607");
    assert_eq!(key(anna, "fn"), Some(sha("anna")));
    assert_eq!(key(anna, "ln"), Some(sha("kowalski")));
}
