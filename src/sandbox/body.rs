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

use serde::Deserialize;

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
// Nearly every event is an object; boxing the fields would cost an
// allocation per event for the sake of the rare malformed one.
#[allow(clippy::large_enum_variant)]
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
    /// Limited Data Use (`super::ldu`); rare, so read as any JSON value.
    pub data_processing_options: Option<serde_json::Value>,
    pub data_processing_options_country: Option<Scalar<'a>>,
    pub data_processing_options_state: Option<Scalar<'a>>,
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
// Unboxed for the same reason as `Event`.
#[allow(clippy::large_enum_variant)]
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

/// The value of a hashed key or `external_id`: a string or a list of
/// strings (a list of one is kept as `One`).
#[derive(Debug, Clone, PartialEq)]
pub enum MatchValue<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
    /// Anything else; the name of what was found.
    Other(&'static str),
}

impl MatchValue<'_> {
    pub fn is_empty(&self) -> bool {
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

#[cfg(test)]
#[path = "body_tests.rs"]
mod tests;
