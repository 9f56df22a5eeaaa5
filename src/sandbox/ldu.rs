//! Meta's checks of the Limited Data Use fields of an event (DESIGN.md
//! section 1): `data_processing_options` is a list holding only `"LDU"`
//! (or nothing: the event is not under LDU);
//! `data_processing_options_country` is 0 or 1 and
//! `data_processing_options_state` 0 or 1000, each only beside `"LDU"`.

use super::body::{EventFields, Scalar};
use super::checks::EventProblem;
use super::lenient::Found;

const COUNTRY: &str = "data_processing_options_country";
const STATE: &str = "data_processing_options_state";

/// Whether the event is under LDU, or what is wrong with its fields.
pub(super) fn check(e: &EventFields<'_>) -> Result<bool, EventProblem> {
    let ldu = match &e.data_processing_options {
        None => false,
        Some(serde_json::Value::Array(items)) => {
            for item in items {
                match item {
                    serde_json::Value::String(s) if s == "LDU" => {}
                    serde_json::Value::String(_) => {
                        return Err(EventProblem::DataProcessing(
                            "data_processing_options may hold only \"LDU\".".into(),
                        ));
                    }
                    other => return Err(not_a_list(other)),
                }
            }
            !items.is_empty()
        }
        Some(other) => return Err(not_a_list(other)),
    };
    for (field, value, allowed) in [
        (COUNTRY, &e.data_processing_options_country, "0 or 1"),
        (STATE, &e.data_processing_options_state, "0 or 1000"),
    ] {
        let Some(value) = value else { continue };
        if !ldu {
            return Err(EventProblem::DataProcessing(format!(
                "{field} is allowed only with data_processing_options [\"LDU\"]."
            )));
        }
        let n = match value {
            Scalar::Int(n) => Some(*n),
            // Graph coerces numeric strings, as form-encoded parameters are strings.
            Scalar::Str(s) => s.parse().ok(),
            Scalar::Other(found) => {
                return Err(EventProblem::WrongType {
                    field,
                    expected: "an integer",
                    found,
                });
            }
        };
        let ok = match field {
            COUNTRY => matches!(n, Some(0 | 1)),
            _ => matches!(n, Some(0 | 1000)),
        };
        if !ok {
            return Err(EventProblem::DataProcessing(format!(
                "{field} must be {allowed}."
            )));
        }
    }
    Ok(ldu)
}

fn not_a_list(found: &serde_json::Value) -> EventProblem {
    let found = match found {
        serde_json::Value::Null => Found::NULL,
        serde_json::Value::Bool(_) => Found::BOOL,
        serde_json::Value::Number(_) => Found::NUMBER,
        serde_json::Value::String(_) => Found::STRING,
        serde_json::Value::Array(_) => Found::MIXED_LIST,
        serde_json::Value::Object(_) => Found::OBJECT,
    };
    EventProblem::WrongType {
        field: "data_processing_options",
        expected: "a list of strings",
        found,
    }
}

#[cfg(test)]
mod tests {
    use super::super::body::{Event, parse_json};
    use super::*;

    fn problem(fields: &str) -> Result<bool, EventProblem> {
        let body = format!(
            r#"{{"data":[{{"event_name":"Purchase","event_time":1,"action_source":"app","user_data":{{"fbp":"x"}}{fields}}}]}}"#
        );
        let request = parse_json(body.as_bytes()).expect("JSON");
        let events = match request.data.expect("data") {
            super::super::body::RawData::Events(events) => events,
            _ => panic!("a list"),
        };
        match &events[0] {
            Event::Object(e) => check(e),
            Event::NotObject(_) => panic!("an object"),
        }
    }

    #[test]
    fn accepts_what_meta_takes() {
        assert_eq!(problem(""), Ok(false));
        assert_eq!(problem(r#","data_processing_options":[]"#), Ok(false));
        for ok in [
            r#","data_processing_options":["LDU"]"#,
            r#","data_processing_options":["LDU"],"data_processing_options_country":0,"data_processing_options_state":0"#,
            r#","data_processing_options":["LDU"],"data_processing_options_country":1,"data_processing_options_state":1000"#,
            r#","data_processing_options":["LDU"],"data_processing_options_country":"1""#,
        ] {
            assert_eq!(problem(ok), Ok(true), "{ok}");
        }
    }

    #[test]
    fn refuses_what_meta_refuses() {
        for (bad, says) in [
            (
                r#","data_processing_options":"LDU""#,
                "must be a list of strings",
            ),
            (r#","data_processing_options":["ldu"]"#, "only \"LDU\""),
            (
                r#","data_processing_options":["LDU",1]"#,
                "must be a list of strings",
            ),
            (
                r#","data_processing_options":["LDU"],"data_processing_options_country":2"#,
                "must be 0 or 1.",
            ),
            (
                r#","data_processing_options":["LDU"],"data_processing_options_state":6"#,
                "must be 0 or 1000.",
            ),
            (
                r#","data_processing_options":["LDU"],"data_processing_options_state":1.5"#,
                "must be an integer",
            ),
            (
                r#","data_processing_options_country":1"#,
                "only with data_processing_options",
            ),
            (
                r#","data_processing_options":[],"data_processing_options_state":0"#,
                "only with data_processing_options",
            ),
        ] {
            let problem = problem(bad).expect_err(bad);
            let message = super::super::checks::Refusal::Event { index: 0, problem }
                .to_graph_error()
                .error_user_msg
                .unwrap_or_default();
            assert!(message.contains(says), "{bad}: {message}");
        }
    }
}
