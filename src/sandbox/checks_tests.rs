//! Unit tests of the event checks: one per rule, on bodies as a client sends them.

use super::*;
use crate::sandbox::body::{RawData, parse_json};

const NOW: i64 = 1_780_000_000;
const H: &str = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";

fn check(events_json: &str) -> Result<usize, Refusal> {
    let body = format!("{{\"data\":{events_json}}}");
    let request = parse_json(body.as_bytes()).expect("valid JSON");
    let Some(RawData::Events(events)) = request.data else {
        panic!("data is not a list");
    };
    check_events(&events, NOW).map(|checked| checked.len())
}

fn event(extra: &str) -> String {
    format!(
        r#"{{"event_name":"Purchase","event_time":{NOW},"action_source":"physical_store",
           "event_id":"o-1","user_data":{{"em":"{H}"}}{extra}}}"#
    )
}

fn problem_at(events_json: &str) -> (usize, EventProblem) {
    match check(events_json) {
        Err(Refusal::Event { index, problem }) => (index, problem),
        other => panic!("expected an event refusal, got {other:?}"),
    }
}

#[test]
fn a_valid_event_passes() {
    assert_eq!(check(&format!("[{}]", event(""))), Ok(1));
}

#[test]
fn batch_size_is_limited_to_1000() {
    let ok = format!("[{}]", vec![event(""); 1000].join(","));
    assert_eq!(check(&ok), Ok(1000));
    let too_many = format!("[{}]", vec![event(""); 1001].join(","));
    assert_eq!(check(&too_many), Err(Refusal::TooManyEvents(1001)));
    assert_eq!(check("[]"), Err(Refusal::NoEvents));
}

#[test]
fn required_fields_name_the_first_bad_event() {
    let missing_name = r#"{"event_time":1780000000,"action_source":"app","user_data":{"fbp":"x"}}"#;
    let body = format!("[{},{},{missing_name}]", event(""), event(""));
    assert_eq!(problem_at(&body), (2, EventProblem::Missing("event_name")));

    let no_time = r#"{"event_name":"Lead","action_source":"app","user_data":{"fbp":"x"}}"#;
    assert_eq!(
        problem_at(&format!("[{no_time}]")).1,
        EventProblem::Missing("event_time")
    );

    let no_source = r#"{"event_name":"Lead","event_time":1780000000,"user_data":{"fbp":"x"}}"#;
    assert_eq!(
        problem_at(&format!("[{no_source}]")).1,
        EventProblem::Missing("action_source")
    );

    let empty_name = r#"{"event_name":"","event_time":1780000000,"action_source":"app","user_data":{"fbp":"x"}}"#;
    assert_eq!(
        problem_at(&format!("[{empty_name}]")).1,
        EventProblem::Missing("event_name")
    );
}

#[test]
fn wrong_types_are_refused_with_the_index() {
    assert_eq!(problem_at("[7]"), (0, EventProblem::NotObject("a number")));
    let time_text = event("").replace(&NOW.to_string(), "\"yesterday\"");
    assert!(matches!(
        problem_at(&format!("[{time_text}]")).1,
        EventProblem::WrongType {
            field: "event_time",
            ..
        }
    ));
    let numeric_text = event("").replace(&NOW.to_string(), &format!("\"{NOW}\""));
    assert_eq!(check(&format!("[{numeric_text}]")), Ok(1));
    let id_number = event("").replace("\"o-1\"", "12");
    assert!(matches!(
        problem_at(&format!("[{id_number}]")).1,
        EventProblem::WrongType {
            field: "event_id",
            ..
        }
    ));
}

#[test]
fn action_source_must_be_known() {
    let web = event("").replace("physical_store", "web");
    assert_eq!(
        problem_at(&format!("[{web}]")).1,
        EventProblem::UnknownActionSource("web".into())
    );
}

#[test]
fn time_window_depends_on_action_source() {
    let at = |t: i64, source: &str| {
        event("")
            .replace(&NOW.to_string(), &t.to_string())
            .replace("physical_store", source)
    };
    let day = 86_400;
    assert_eq!(
        check(&format!("[{}]", at(NOW - 62 * day, "physical_store"))),
        Ok(1)
    );
    assert_eq!(
        problem_at(&format!("[{}]", at(NOW - 62 * day - 1, "physical_store"))).1,
        EventProblem::TooOld {
            age_days: 62,
            max_days: 62,
            action_source: "physical_store".into()
        }
    );
    assert_eq!(
        check(&format!("[{}]", at(NOW - 7 * day, "phone_call"))),
        Ok(1)
    );
    assert!(matches!(
        problem_at(&format!("[{}]", at(NOW - 8 * day, "phone_call"))).1,
        EventProblem::TooOld { max_days: 7, .. }
    ));
    assert_eq!(check(&format!("[{}]", at(NOW + 600, "other"))), Ok(1));
    assert_eq!(
        problem_at(&format!("[{}]", at(NOW + 601, "other"))).1,
        EventProblem::InFuture { secs: 601 }
    );
}

#[test]
fn hashed_fields_must_be_lowercase_sha256_hex() {
    for bad in [
        "\"jane@example.com\"".to_owned(),
        format!("\"{}\"", H.to_uppercase()),
        format!("\"{}\"", &H[..63]),
        format!("[\"{H}\",\"raw\"]"),
    ] {
        let e = event("").replace(&format!("\"em\":\"{H}\""), &format!("\"em\":{bad}"));
        assert_eq!(
            problem_at(&format!("[{e}]")).1,
            EventProblem::NotHashed("em"),
            "{bad}"
        );
    }
    let list = event("").replace(
        &format!("\"em\":\"{H}\""),
        &format!("\"em\":[\"{H}\",\"{H}\"]"),
    );
    assert_eq!(check(&format!("[{list}]")), Ok(1));
    for key in ["ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country"] {
        let e = event("").replace(&format!("\"em\":\"{H}\""), &format!("\"{key}\":\"Raw\""));
        assert_eq!(
            problem_at(&format!("[{e}]")).1,
            EventProblem::NotHashed(key)
        );
    }
}

#[test]
fn external_id_may_be_any_string_or_list() {
    for value in ["\"loyalty-42\"", "[\"a\",\"B\"]"] {
        let e = event("").replace(
            &format!("\"em\":\"{H}\""),
            &format!("\"external_id\":{value}"),
        );
        assert_eq!(check(&format!("[{e}]")), Ok(1), "{value}");
    }
    let e = event("").replace(&format!("\"em\":\"{H}\""), "\"external_id\":{}");
    assert!(matches!(
        problem_at(&format!("[{e}]")).1,
        EventProblem::WrongType {
            field: "external_id",
            ..
        }
    ));
}

#[test]
fn an_event_needs_customer_information() {
    for user_data in [
        "{}",
        "{\"em\":\"\"}",
        "{\"em\":[]}",
        "{\"unknown_key\":\"x\"}",
    ] {
        let e = event("").replace(&format!("{{\"em\":\"{H}\"}}"), user_data);
        assert_eq!(
            problem_at(&format!("[{e}]")).1,
            EventProblem::NoCustomerInformation,
            "{user_data}"
        );
    }
    let no_user_data = r#"{"event_name":"Lead","event_time":1780000000,"action_source":"app"}"#;
    assert_eq!(
        problem_at(&format!("[{no_user_data}]")).1,
        EventProblem::NoCustomerInformation
    );
    let fbp_only = event("").replace(&format!("\"em\":\"{H}\""), "\"fbp\":\"fb.1.1.1\"");
    assert_eq!(check(&format!("[{fbp_only}]")), Ok(1));
}

#[test]
fn user_message_names_the_index_in_one_form() {
    let refusal = Refusal::Event {
        index: 17,
        problem: EventProblem::Missing("event_time"),
    };
    let error = refusal.to_graph_error();
    assert_eq!(error.code, 100);
    let msg = error.error_user_msg.unwrap();
    assert!(msg.starts_with("Invalid parameter at data[17]: "), "{msg}");
    let whole = Refusal::TooManyEvents(1001).to_graph_error();
    assert!(!whole.error_user_msg.unwrap().contains("data["));
}

#[test]
fn messages_never_quote_customer_information() {
    let e = event("").replace(&format!("\"em\":\"{H}\""), "\"em\":\"jane@example.com\"");
    let Err(refusal) = check(&format!("[{e}]")) else {
        panic!()
    };
    let msg = refusal.to_graph_error().error_user_msg.unwrap();
    assert!(!msg.contains("jane"), "{msg}");
}

#[test]
fn extreme_times_are_refused_not_overflowed() {
    for t in [i64::MIN, i64::MAX, 0, -1] {
        let e = event("").replace(&NOW.to_string(), &t.to_string());
        let body = format!("{{\"data\":[{e}]}}");
        let request = parse_json(body.as_bytes()).unwrap();
        let Some(RawData::Events(events)) = request.data else {
            panic!()
        };
        for now in [i64::MIN, -1, 0, NOW, i64::MAX] {
            let _ = check_events(&events, now);
        }
    }
}
