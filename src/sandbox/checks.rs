//! Meta's checks of an events request (DESIGN.md section 1), as pure
//! functions of the parsed body and the clock.
//!
//! One bad event refuses the whole request with Graph code 100. The answer's
//! `error_user_msg` names the first bad event in exactly this form:
//!
//! ```text
//! Invalid parameter at data[INDEX]: <reason>
//! ```
//!
//! so a client finds the index by searching for `data[` and reading digits up
//! to `]`. Refusals that concern the request as a whole (no `data`, more than
//! 1,000 events, a body that is not JSON) contain no `data[`.

use super::body::{
    CHECKED_KEYS, Event, EventFields, HASHED_KEYS, MatchValue, Scalar, UserData, UserDataField,
    UserDataKey,
};
use super::graph::GraphError;

/// At most this many events per request.
pub const MAX_EVENTS: usize = 1000;
/// `physical_store` events may be this old (62 days).
pub const PHYSICAL_STORE_MAX_AGE_SECS: i64 = 62 * 86_400;
/// Events of other action sources may be this old (7 days).
pub const OTHER_MAX_AGE_SECS: i64 = 7 * 86_400;
/// Events may lie this far in the future (10 minutes), as offconv's own
/// validation allows, so the sandbox and the client agree on every row.
pub const MAX_FUTURE_SECS: i64 = 600;

/// The action sources Meta accepts.
pub const ACTION_SOURCES: [&str; 9] = [
    "email",
    "website",
    "app",
    "phone_call",
    "chat",
    "physical_store",
    "system_generated",
    "business_messaging",
    "other",
];

/// An event that passed every check, with its fields read out.
#[derive(Debug, Clone, Copy)]
pub struct CheckedEvent<'e> {
    pub event_name: &'e str,
    pub event_time: i64,
    pub event_id: Option<&'e str>,
    pub user_data: &'e UserData<'e>,
    /// Under Limited Data Use (`data_processing_options: ["LDU"]`).
    pub ldu: bool,
}

/// Why a request is refused (always Graph code 100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoData,
    DataNotList(&'static str),
    NoEvents,
    TooManyEvents(usize),
    Event { index: usize, problem: EventProblem },
}

/// What is wrong with one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventProblem {
    NotObject(&'static str),
    Missing(&'static str),
    WrongType {
        field: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    UnknownActionSource(String),
    TooOld {
        age_days: i64,
        max_days: i64,
        action_source: String,
    },
    InFuture {
        secs: i64,
    },
    NotHashed(&'static str),
    NoCustomerInformation,
    /// The Limited Data Use fields hold what Meta does not take.
    DataProcessing(String),
    /// Refused by `--reject-event`, though it passed every check.
    RefusedByFault,
}

/// Checks every event of `data` against the clock `now` (Unix seconds).
pub fn check_events<'e>(
    events: &'e [Event<'e>],
    now: i64,
) -> Result<Vec<CheckedEvent<'e>>, Refusal> {
    if events.is_empty() {
        return Err(Refusal::NoEvents);
    }
    if events.len() > MAX_EVENTS {
        return Err(Refusal::TooManyEvents(events.len()));
    }
    events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            check_event(event, now).map_err(|problem| Refusal::Event { index, problem })
        })
        .collect()
}

fn check_event<'e>(event: &'e Event<'e>, now: i64) -> Result<CheckedEvent<'e>, EventProblem> {
    let e: &EventFields<'e> = match event {
        Event::Object(fields) => fields,
        Event::NotObject(found) => return Err(EventProblem::NotObject(found)),
    };
    let event_name = required_text(&e.event_name, "event_name")?;
    let event_time = match &e.event_time {
        None => return Err(EventProblem::Missing("event_time")),
        Some(Scalar::Int(t)) => *t,
        // Graph coerces numeric strings, as form-encoded parameters are strings.
        Some(Scalar::Str(s)) => s
            .parse()
            .map_err(|_| wrong_type("event_time", "a Unix time in seconds", "a string"))?,
        Some(Scalar::Other(found)) => {
            return Err(wrong_type("event_time", "a Unix time in seconds", found));
        }
    };
    let action_source = required_text(&e.action_source, "action_source")?;
    if !ACTION_SOURCES.contains(&action_source) {
        let mut shown: String = action_source.chars().take(40).collect();
        if shown.len() < action_source.len() {
            shown.push('…');
        }
        return Err(EventProblem::UnknownActionSource(shown));
    }
    let event_id = match &e.event_id {
        None => None,
        Some(Scalar::Str(s)) => Some(&**s),
        Some(Scalar::Int(_)) => return Err(wrong_type("event_id", "a string", "a number")),
        Some(Scalar::Other(found)) => return Err(wrong_type("event_id", "a string", found)),
    };
    check_window(event_time, action_source, now)?;
    let user_data = match &e.user_data {
        None => return Err(EventProblem::NoCustomerInformation),
        Some(UserDataField::NotObject(found)) => {
            return Err(wrong_type("user_data", "an object", found));
        }
        Some(UserDataField::Object(user)) => user,
    };
    check_user_data(user_data)?;
    let ldu = super::ldu::check(e)?;
    Ok(CheckedEvent {
        event_name,
        event_time,
        event_id,
        user_data,
        ldu,
    })
}

fn required_text<'e>(
    value: &'e Option<Scalar<'e>>,
    field: &'static str,
) -> Result<&'e str, EventProblem> {
    match value {
        None => Err(EventProblem::Missing(field)),
        Some(Scalar::Str(s)) if s.is_empty() => Err(EventProblem::Missing(field)),
        Some(Scalar::Str(s)) => Ok(s),
        Some(Scalar::Int(_)) => Err(wrong_type(field, "a string", "a number")),
        Some(Scalar::Other(found)) => Err(wrong_type(field, "a string", found)),
    }
}

fn wrong_type(field: &'static str, expected: &'static str, found: &'static str) -> EventProblem {
    EventProblem::WrongType {
        field,
        expected,
        found,
    }
}

/// The time window: how old an event may be depends on its action source.
fn check_window(event_time: i64, action_source: &str, now: i64) -> Result<(), EventProblem> {
    let max_age = if action_source == "physical_store" {
        PHYSICAL_STORE_MAX_AGE_SECS
    } else {
        OTHER_MAX_AGE_SECS
    };
    let age = now.saturating_sub(event_time);
    if age > max_age {
        return Err(EventProblem::TooOld {
            age_days: age / 86_400,
            max_days: max_age / 86_400,
            action_source: action_source.to_owned(),
        });
    }
    // Not `-age`: with extreme times the saturated age has no negation.
    let ahead = event_time.saturating_sub(now);
    if ahead > MAX_FUTURE_SECS {
        return Err(EventProblem::InFuture { secs: ahead });
    }
    Ok(())
}

fn check_user_data(user: &UserData<'_>) -> Result<(), EventProblem> {
    for (index, value) in user.checked.iter().enumerate() {
        let Some(value) = value else { continue };
        let key = UserDataKey::ALL[index].name();
        let hashed = index < HASHED_KEYS;
        let ok = match value {
            // An empty string carries nothing, hashed or not: it is absent.
            MatchValue::One(s) => !hashed || s.is_empty() || is_sha256_hex(s),
            MatchValue::Many(list) => {
                !hashed || list.iter().all(|s| s.is_empty() || is_sha256_hex(s))
            }
            MatchValue::Other(found) => {
                return Err(wrong_type(key, "a string or a list of strings", found));
            }
        };
        if !ok {
            return Err(EventProblem::NotHashed(key));
        }
    }
    debug_assert_eq!(user.checked.len(), CHECKED_KEYS);
    if user.present == 0 {
        return Err(EventProblem::NoCustomerInformation);
    }
    Ok(())
}

/// A SHA-256 digest as Meta wants it: 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Refusal {
    /// The Graph error answering this refusal.
    pub fn to_graph_error(&self) -> GraphError {
        let (subcode, title, msg) = match self {
            Refusal::NoData => (
                2_804_008,
                "Missing Parameter",
                "The parameter data is required.".to_owned(),
            ),
            Refusal::DataNotList(found) => (
                2_804_009,
                "Invalid Parameter Type",
                format!("The parameter data must be a list of events, found {found}."),
            ),
            Refusal::NoEvents => (
                2_804_008,
                "Missing Parameter",
                "The parameter data holds no events.".to_owned(),
            ),
            Refusal::TooManyEvents(n) => (
                2_804_019,
                "Too Many Events",
                format!("A request may hold at most {MAX_EVENTS} events; this one holds {n}."),
            ),
            Refusal::Event { index, problem } => {
                let (subcode, title, reason) = problem.describe();
                (
                    subcode,
                    title,
                    format!("Invalid parameter at data[{index}]: {reason}"),
                )
            }
        };
        GraphError::invalid_parameter(subcode, title, msg)
    }
}

impl EventProblem {
    /// Subcode, title and reason. Reasons never quote customer information.
    fn describe(&self) -> (u32, &'static str, String) {
        match self {
            EventProblem::NotObject(found) => (
                2_804_009,
                "Invalid Parameter Type",
                format!("an event must be an object, found {found}."),
            ),
            EventProblem::Missing(field) => (
                2_804_008,
                "Missing Parameter",
                format!("the parameter {field} is required."),
            ),
            EventProblem::WrongType {
                field,
                expected,
                found,
            } => (
                2_804_009,
                "Invalid Parameter Type",
                format!("{field} must be {expected}, found {found}."),
            ),
            EventProblem::UnknownActionSource(value) => (
                2_804_010,
                "Invalid Action Source",
                format!(
                    "action_source '{value}' is not one of {}.",
                    ACTION_SOURCES.join(", ")
                ),
            ),
            EventProblem::TooOld {
                age_days,
                max_days,
                action_source,
            } => (
                2_804_003,
                "Event Timestamp Too Old",
                format!(
                    "event_time is {age_days} days old; {action_source} events may be at most {max_days} days old."
                ),
            ),
            EventProblem::InFuture { secs } => (
                2_804_004,
                "Event Timestamp In The Future",
                format!(
                    "event_time is {secs} seconds in the future; at most {MAX_FUTURE_SECS} are allowed."
                ),
            ),
            EventProblem::NotHashed(key) => (
                2_804_016,
                "Customer Information Not Hashed",
                format!(
                    "user_data.{key} must be a SHA-256 hash (64 lowercase hex digits) of the normalized value."
                ),
            ),
            EventProblem::NoCustomerInformation => (
                2_804_050,
                "Missing Customer Information",
                "the event has no customer information in user_data.".to_owned(),
            ),
            EventProblem::DataProcessing(reason) => {
                (2_804_060, "Invalid Data Processing Options", reason.clone())
            }
            EventProblem::RefusedByFault => (
                2_804_099,
                "Event Refused",
                "the sandbox refuses this event (--reject-event).".to_owned(),
            ),
        }
    }
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
