//! The body of `POST /{version}/{dataset_id}/events`, parsed without copying.
//!
//! Strings borrow from the request bytes (`Cow` only owns when JSON escapes
//! force it), so checking 1,000 events allocates little beyond the event
//! vector. Every event field is *lenient*: a value of the wrong type becomes a
//! value that [`super::checks`] refuses, naming the event's index, instead of
//! a serde error that could not say which event was wrong. Only a body that is
//! not JSON at all, or not an object, fails here.
//!
//! Two encodings are accepted, as Meta does: a JSON object, and a form
//! (`application/x-www-form-urlencoded`) whose `data` field holds the events
//! as JSON text, which is how Meta's SDKs send them.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The fields of an events request the sandbox looks at.
#[derive(Debug, Default)]
pub struct EventsRequest<'a> {
    pub data: Option<RawData<'a>>,
    pub access_token: Option<Cow<'a, str>>,
    pub upload_tag: Option<Cow<'a, str>>,
}

/// The `data` field before it is known to be an array of events.
#[derive(Debug)]
pub enum RawData<'a> {
    Events(Vec<Event<'a>>),
    /// JSON text holding the events (form bodies, or a JSON body that sends
    /// `data` as a string); parse it with [`parse_data`].
    Text(Cow<'a, str>),
    /// Anything else; the name of what was found.
    Other(&'static str),
}

/// One element of `data`.
#[derive(Debug)]
pub enum Event<'a> {
    Object(EventFields<'a>),
    NotObject(&'static str),
}

/// The fields of an event that the checks need; the rest are skipped unread.
#[derive(Debug, Default)]
pub struct EventFields<'a> {
    pub event_name: Option<Scalar<'a>>,
    pub event_time: Option<Scalar<'a>>,
    pub action_source: Option<Scalar<'a>>,
    pub event_id: Option<Scalar<'a>>,
    pub user_data: Option<UserDataField<'a>>,
}

/// A JSON value where a string or an integer is expected.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    /// Any other JSON value; the name of what was found.
    Other(&'static str),
}

/// `user_data`, or what stood in its place.
#[derive(Debug)]
pub enum UserDataField<'a> {
    Object(UserData<'a>),
    NotObject(&'static str),
}

/// Keys of `user_data` that Meta knows. The first [`HASHED_KEYS`] are the
/// ones whose values must be SHA-256 hex digests; `external_id` follows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
pub enum UserDataKey {
    Em,
    Ph,
    #[serde(rename = "fn")]
    Fn,
    Ln,
    Ge,
    Db,
    Ct,
    St,
    Zp,
    Country,
    ExternalId,
    ClientIpAddress,
    ClientUserAgent,
    Fbc,
    Fbp,
    SubscriptionId,
    FbLoginId,
    LeadId,
    AnonId,
    Madid,
    PageId,
    PageScopedUserId,
    CtwaClid,
    IgAccountId,
    IgSid,
    #[serde(other)]
    Unknown,
}

/// Number of hashed keys (`em` … `country`).
pub const HASHED_KEYS: usize = 10;
/// Hashed keys plus `external_id`: the keys whose values are kept for checking.
pub const CHECKED_KEYS: usize = HASHED_KEYS + 1;

impl UserDataKey {
    /// Every known key, in the order of the enum (and of the record's `user_data_keys`).
    pub const ALL: [UserDataKey; 25] = [
        Self::Em,
        Self::Ph,
        Self::Fn,
        Self::Ln,
        Self::Ge,
        Self::Db,
        Self::Ct,
        Self::St,
        Self::Zp,
        Self::Country,
        Self::ExternalId,
        Self::ClientIpAddress,
        Self::ClientUserAgent,
        Self::Fbc,
        Self::Fbp,
        Self::SubscriptionId,
        Self::FbLoginId,
        Self::LeadId,
        Self::AnonId,
        Self::Madid,
        Self::PageId,
        Self::PageScopedUserId,
        Self::CtwaClid,
        Self::IgAccountId,
        Self::IgSid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Em => "em",
            Self::Ph => "ph",
            Self::Fn => "fn",
            Self::Ln => "ln",
            Self::Ge => "ge",
            Self::Db => "db",
            Self::Ct => "ct",
            Self::St => "st",
            Self::Zp => "zp",
            Self::Country => "country",
            Self::ExternalId => "external_id",
            Self::ClientIpAddress => "client_ip_address",
            Self::ClientUserAgent => "client_user_agent",
            Self::Fbc => "fbc",
            Self::Fbp => "fbp",
            Self::SubscriptionId => "subscription_id",
            Self::FbLoginId => "fb_login_id",
            Self::LeadId => "lead_id",
            Self::AnonId => "anon_id",
            Self::Madid => "madid",
            Self::PageId => "page_id",
            Self::PageScopedUserId => "page_scoped_user_id",
            Self::CtwaClid => "ctwa_clid",
            Self::IgAccountId => "ig_account_id",
            Self::IgSid => "ig_sid",
            Self::Unknown => "unknown",
        }
    }
}

/// A parsed `user_data` object: the values of the checked keys, and which
/// known keys carry a non-empty value (bit `key as u32`). Unknown keys are
/// ignored, as they carry no customer information Meta can match on.
#[derive(Debug, Default)]
pub struct UserData<'a> {
    pub checked: [Option<MatchValue<'a>>; CHECKED_KEYS],
    pub present: u32,
}

impl UserData<'_> {
    /// The known keys with a non-empty value, in [`UserDataKey::ALL`] order.
    pub fn present_keys(&self) -> impl Iterator<Item = UserDataKey> + '_ {
        UserDataKey::ALL
            .into_iter()
            .filter(|&k| self.present & (1 << k as u32) != 0)
    }
}

/// The value of a hashed key or `external_id`: a string or a list of strings.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchValue<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
    /// Anything else; the name of what was found.
    Other(&'static str),
}

impl MatchValue<'_> {
    fn is_empty(&self) -> bool {
        match self {
            MatchValue::One(s) => s.is_empty(),
            MatchValue::Many(v) => v.iter().all(|s| s.is_empty()),
            MatchValue::Other(_) => false,
        }
    }
}

/// Why a body could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedBody(pub String);

/// Parses a JSON body.
pub fn parse_json(body: &[u8]) -> Result<EventsRequest<'_>, MalformedBody> {
    serde_json::from_slice(body)
        .map_err(|e| MalformedBody(format!("the request body is not a JSON object: {e}")))
}

/// Parses a form body (`data=<json>&access_token=…&upload_tag=…`).
pub fn parse_form(body: &[u8]) -> EventsRequest<'_> {
    let mut request = EventsRequest::default();
    for (name, value) in form_urlencoded::parse(body) {
        match &*name {
            "data" => request.data = Some(RawData::Text(value)),
            "access_token" => request.access_token = Some(value),
            "upload_tag" => request.upload_tag = Some(value),
            _ => {}
        }
    }
    request
}

/// Parses `data` sent as JSON text.
pub fn parse_data(text: &str) -> Result<RawData<'_>, MalformedBody> {
    serde_json::from_str(text)
        .map_err(|e| MalformedBody(format!("the parameter data is not valid JSON: {e}")))
}

/// Names a JSON value by its type, for messages ("found a number").
struct Found;

impl Found {
    const BOOL: &'static str = "true or false";
    const NUMBER: &'static str = "a number";
    const STRING: &'static str = "a string";
    const LIST: &'static str = "a list";
    const OBJECT: &'static str = "an object";
    const NULL: &'static str = "null";
    const MIXED_LIST: &'static str = "a list holding something other than strings";
}

/// Implements the visit methods of a lenient visitor for every JSON type not
/// handled by hand, mapping each to `$other(<what was found>)`.
macro_rules! lenient_rest {
    ($other:expr; $($skip:ident)*) => {
        lenient_rest!(@each $other; $($skip)*);
    };
    (@each $other:expr; ) => {};
    (@each $other:expr; bool $($rest:ident)*) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other(Found::BOOL))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
    (@each $other:expr; num $($rest:ident)*) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other(Found::NUMBER))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other(Found::NUMBER))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
    (@each $other:expr; float $($rest:ident)*) => {
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other(Found::NUMBER))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
    (@each $other:expr; str $($rest:ident)*) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other(Found::STRING))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
    (@each $other:expr; unit $($rest:ident)*) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($other(Found::NULL))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
    (@each $other:expr; seq $($rest:ident)*) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($other(Found::LIST))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
    (@each $other:expr; map $($rest:ident)*) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($other(Found::OBJECT))
        }
        lenient_rest!(@each $other; $($rest)*);
    };
}

impl<'de> Deserialize<'de> for EventsRequest<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Key {
            Data,
            AccessToken,
            UploadTag,
            #[serde(other)]
            Other,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EventsRequest<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // A token or tag that is not a string counts as absent.
                let text = |value: Option<Scalar<'de>>| match value {
                    Some(Scalar::Str(s)) => Some(s),
                    _ => None,
                };
                let mut request = EventsRequest::default();
                while let Some(key) = map.next_key()? {
                    match key {
                        Key::Data => request.data = map.next_value()?,
                        Key::AccessToken => request.access_token = text(map.next_value()?),
                        Key::UploadTag => request.upload_tag = text(map.next_value()?),
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(request)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawData<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawData<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of events")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut events = Vec::new();
                while let Some(event) = seq.next_element()? {
                    events.push(event);
                }
                Ok(RawData::Events(events))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(RawData::Text(Cow::Borrowed(s)))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(RawData::Text(Cow::Owned(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(RawData::Text(Cow::Owned(s.to_owned())))
            }
            lenient_rest!(RawData::Other; bool num float unit map);
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Event<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Key {
            EventName,
            EventTime,
            ActionSource,
            EventId,
            UserData,
            #[serde(other)]
            Other,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Event<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut e = EventFields::default();
                while let Some(key) = map.next_key()? {
                    match key {
                        Key::EventName => e.event_name = map.next_value()?,
                        Key::EventTime => e.event_time = map.next_value()?,
                        Key::ActionSource => e.action_source = map.next_value()?,
                        Key::EventId => e.event_id = map.next_value()?,
                        Key::UserData => e.user_data = map.next_value()?,
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Event::Object(e))
            }
            lenient_rest!(Event::NotObject; bool num float str unit seq);
        }
        d.deserialize_any(V)
    }
}

/// Accepts strings and integers; everything else becomes [`Scalar::Other`].
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or an integer")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(s)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(n).map_or(Scalar::Other(Found::NUMBER), Scalar::Int))
    }
    lenient_rest!(Scalar::Other; bool float unit seq map);
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

impl<'de> Deserialize<'de> for MatchValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MatchValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(MatchValue::One(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(MatchValue::One(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(MatchValue::One(Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                let mut mixed = false;
                while let Some(item) = seq.next_element::<Scalar<'de>>()? {
                    match item {
                        Scalar::Str(s) => values.push(s),
                        _ => mixed = true,
                    }
                }
                Ok(if mixed {
                    MatchValue::Other(Found::MIXED_LIST)
                } else {
                    MatchValue::Many(values)
                })
            }
            lenient_rest!(MatchValue::Other; bool num float unit map);
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for UserDataField<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UserDataField<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a user_data object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut user = UserData::default();
                while let Some(key) = map.next_key::<UserDataKey>()? {
                    let index = key as usize;
                    if key == UserDataKey::Unknown {
                        map.next_value::<IgnoredAny>()?;
                    } else if index < CHECKED_KEYS {
                        let value: Option<MatchValue<'de>> = map.next_value()?;
                        let filled = value.as_ref().is_some_and(|v| !v.is_empty());
                        set_present(&mut user.present, key, filled);
                        user.checked[index] = value;
                    } else {
                        let value: Option<Scalar<'de>> = map.next_value()?;
                        let filled = match &value {
                            Some(Scalar::Str(s)) => !s.is_empty(),
                            Some(_) => true,
                            None => false,
                        };
                        set_present(&mut user.present, key, filled);
                    }
                }
                Ok(UserDataField::Object(user))
            }
            lenient_rest!(UserDataField::NotObject; bool num float str unit seq);
        }
        d.deserialize_any(V)
    }
}

/// A repeated key replaces the earlier value, as in serde_json's own maps.
fn set_present(present: &mut u32, key: UserDataKey, filled: bool) {
    let bit = 1 << key as u32;
    if filled {
        *present |= bit;
    } else {
        *present &= !bit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let body =
            b"access_token=T%201&data=%5B%7B%22event_name%22%3A%22Lead%22%7D%5D&upload_tag=u";
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
}
