//! Unit tests of body parsing: borrowing, lenient fields, both encodings.

use super::*;
use crate::sandbox::lenient::Found;

fn events(json: &str) -> Vec<Event<'_>> {
    match parse_json(json.as_bytes()).unwrap().data {
        Some(RawData::Events(events)) => events,
        other => panic!("not events: {other:?}"),
    }
}

#[test]
fn borrows_plain_strings_and_reads_lenient_fields() {
    let body = r#"{"upload_tag":"run-1","data":[{"event_name":"Purchase","event_time":1700000000,
        "action_source":"physical_store","event_id":"o-1","custom_data":{"value":3.5},
        "user_data":{"em":["a","b"],"ph":"c","client_ip_address":"1.2.3.4","zz":1}}, 7]}"#;
    let request = parse_json(body.as_bytes()).unwrap();
    assert_eq!(request.upload_tag.as_deref(), Some("run-1"));
    let events = events(body);
    let Event::Object(e) = &events[0] else {
        panic!()
    };
    assert!(matches!(
        e.event_name,
        Some(Scalar::Str(Cow::Borrowed("Purchase")))
    ));
    assert_eq!(e.event_time, Some(Scalar::Int(1_700_000_000)));
    let Some(UserDataField::Object(user)) = &e.user_data else {
        panic!()
    };
    let keys: Vec<_> = user.present_keys().map(UserDataKey::name).collect();
    assert_eq!(keys, ["em", "ph", "client_ip_address"]);
    assert!(matches!(events[1], Event::NotObject("a number")));
}

#[test]
fn wrong_types_become_values_not_errors() {
    let body = r#"{"data":[{"event_name":["x"],"event_time":1.5,"event_id":null,
        "user_data":{"em":7,"ph":["ok",3],"fn":""}}]}"#;
    let events = events(body);
    let Event::Object(e) = &events[0] else {
        panic!()
    };
    assert_eq!(e.event_name, Some(Scalar::Other("a list")));
    assert_eq!(e.event_time, Some(Scalar::Other("a number")));
    assert_eq!(e.event_id, None);
    let Some(UserDataField::Object(user)) = &e.user_data else {
        panic!()
    };
    assert_eq!(user.checked[0], Some(MatchValue::Other("a number")));
    assert_eq!(user.checked[1], Some(MatchValue::Other(Found::MIXED_LIST)));
    assert_eq!(user.present_keys().count(), 2, "empty fn is not present");
}

#[test]
fn form_bodies_carry_data_as_text() {
    let body = b"access_token=T%201&data=%5B%7B%22event_name%22%3A%22Lead%22%7D%5D&upload_tag=u";
    let request = parse_form(body);
    assert_eq!(request.access_token.as_deref(), Some("T 1"));
    let Some(RawData::Text(text)) = request.data else {
        panic!()
    };
    assert!(matches!(parse_data(&text), Ok(RawData::Events(e)) if e.len() == 1));
}

#[test]
fn malformed_bodies_are_errors_not_panics() {
    for body in ["", "{", "[1,2]", "{\"data\":[{]}", "null", "\"x\""] {
        assert!(parse_json(body.as_bytes()).is_err(), "{body}");
    }
    assert!(matches!(
        parse_json(br#"{"data":{"a":1}}"#).unwrap().data,
        Some(RawData::Other("an object"))
    ));
}

proptest::proptest! {
    /// No body, however broken, panics the parser or the checks.
    #[test]
    fn any_body_is_an_answer_not_a_panic(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
        text in r#"\{"data":\[(\{("(event_name|event_time|action_source|event_id|user_data|em)":("x"|1|-9e99|null|\[\]|\{"em":"x"\}|\["a",1\]),?)*\},?)*\]\}"#,
    ) {
        for body in [&bytes[..], text.as_bytes()] {
            let request = parse_json(body).ok().unwrap_or_else(|| parse_form(body));
            if let Some(RawData::Events(events)) = &request.data {
                let _ = crate::sandbox::checks::check_events(events, 1_780_000_000);
            }
            if let Some(RawData::Text(text)) = &request.data
                && let Ok(RawData::Events(events)) = parse_data(text)
            {
                let _ = crate::sandbox::checks::check_events(&events, 1_780_000_000);
            }
        }
    }
}
