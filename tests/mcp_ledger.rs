//! The ledger through `offconv mcp`: `send_offline_event` and
//! `upload_export` share the server's ledger, so an event sent twice
//! through the agent (or sent by an upload first) is skipped the second
//! time and the answer says so; `resend: true` sends it again. With
//! `--sandbox` and no `--ledger` the ledger is a throw-away one.

mod util;

use serde_json::{Value, json};
use util::ledger::{MAPPING, write_orders};
use util::mcp::Mcp;
use util::*;

/// NOW (2026-11-26T12:00:00Z) in Unix seconds.
const NOW_UNIX: i64 = 1_795_694_400;

fn sale(order: &str) -> Value {
    json!({
        "event_name": "Purchase",
        "event_time": NOW_UNIX - 3600,
        "email": "ana@example.com",
        "currency": "EUR",
        "value": 10,
        "order_id": order,
    })
}

#[test]
fn an_event_sent_twice_through_the_agent_is_skipped_the_second_time() {
    let t = TestDir::new();
    let mut mcp = Mcp::start(&t, &["--sandbox", "--ledger", "l.sqlite"], None);
    let (is_error, first) = mcp.call_json("send_offline_event", sale("A-1"));
    assert!(!is_error, "{first}");
    assert_eq!(first["events_received"], 1, "{first}");
    let (is_error, second) = mcp.call_json("send_offline_event", sale("A-1"));
    assert!(!is_error, "{second}");
    assert_eq!(second["status"], "skipped", "{second}");
    assert_eq!(second["reason"], "already_sent", "{second}");
    assert_eq!(second["events_received"], 0);
    assert_eq!(second["event_id"], first["event_id"]);
    assert!(
        second["detail"].as_str().unwrap().contains("2026-11-26"),
        "{second}"
    );
    let (_, text) = mcp.call("send_offline_event", sale("A-1"));
    assert!(
        text.starts_with("Not sent") && text.contains("resend"),
        "{text}"
    );
    let mut again = sale("A-1");
    again["resend"] = json!(true);
    let (is_error, third) = mcp.call_json("send_offline_event", again);
    assert!(!is_error, "{third}");
    assert_eq!(third["events_received"], 1, "{third}");
    mcp.close();
    let dump = run_expect(&mut t.cmd(&["ledger", "export", "--ledger", "l.sqlite"]), 0);
    let dump = String::from_utf8(dump.stdout).unwrap();
    assert_eq!(dump.lines().count(), 2, "{dump}");
    assert_eq!(
        dump.lines().nth(1).unwrap().split(',').nth(5),
        Some("2"),
        "two sends: {dump}"
    );
}

#[test]
fn upload_export_and_send_offline_event_share_the_ledger() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    write_orders(&t, "sales.csv", 0, 30);
    let mut mcp = Mcp::start(&t, &["--sandbox", "--ledger", "l.sqlite"], None);
    let upload = json!({ "csv_path": "sales.csv", "mapping_path": "m.toml" });
    let (is_error, done) = mcp.call_json("upload_export", upload.clone());
    assert!(!is_error, "{done}");
    assert_eq!(done["sent"], 30, "{done}");
    // The same export again (a new report): every row already sent.
    let mut again = upload.clone();
    again["report_path"] = json!("again.csv");
    let (is_error, done) = mcp.call_json("upload_export", again);
    assert!(!is_error, "{done}");
    assert_eq!(done["sent"], 0, "{done}");
    let rows = read_report(&t.path("again.csv"));
    assert!(
        rows.iter()
            .all(|r| r.status == "skipped" && r.reason == "already_sent")
    );
    // One of the export's orders through send_offline_event: the event id
    // is the order id (the mapping's id_column), sent already.
    let mut one = sale("O00007");
    one["event_id"] = json!("O00007");
    let (is_error, answer) = mcp.call_json("send_offline_event", one);
    assert!(!is_error, "{answer}");
    assert_eq!(answer["reason"], "already_sent", "{answer}");
    mcp.close();
}

#[test]
fn the_sandbox_ledger_is_thrown_away_unless_one_is_given() {
    let t = TestDir::new();
    for _ in 0..2 {
        let mut mcp = Mcp::start(&t, &["--sandbox"], None);
        let (is_error, sent) = mcp.call_json("send_offline_event", sale("B-1"));
        assert!(!is_error, "{sent}");
        assert_eq!(
            sent["events_received"], 1,
            "a new server, a new ledger: {sent}"
        );
        mcp.close();
    }
    assert!(!t.path(".state/offconv/ledger.sqlite").exists());
}
