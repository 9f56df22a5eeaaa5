//! The lenient deserializers behind [`super::body`]: each event field takes
//! any JSON value, keeping strings borrowed and turning a value of the wrong
//! type into a description of what was found, for the checks to refuse with
//! the event's index.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::body::{
    CHECKED_KEYS, Event, EventFields, EventsRequest, MatchValue, RawData, Scalar, UserData,
    UserDataField, UserDataKey,
};

/// Names a JSON value by its type, for messages ("found a number").
pub(super) struct Found;

impl Found {
    pub(super) const BOOL: &'static str = "true or false";
    pub(super) const NUMBER: &'static str = "a number";
    pub(super) const STRING: &'static str = "a string";
    pub(super) const LIST: &'static str = "a list";
    pub(super) const OBJECT: &'static str = "an object";
    pub(super) const NULL: &'static str = "null";
    pub(super) const MIXED_LIST: &'static str = "a list holding something other than strings";
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
            DataProcessingOptions,
            DataProcessingOptionsCountry,
            DataProcessingOptionsState,
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
                        Key::DataProcessingOptions => {
                            e.data_processing_options = map.next_value()?;
                        }
                        Key::DataProcessingOptionsCountry => {
                            e.data_processing_options_country = map.next_value()?;
                        }
                        Key::DataProcessingOptionsState => {
                            e.data_processing_options_state = map.next_value()?;
                        }
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
                // Uploaders send one-value lists (`"em": ["…"]`) for nearly
                // every event; keeping one value as `One` avoids a vector per
                // field. The checks treat a string and a list alike.
                let mut first = None;
                let mut values = Vec::new();
                let mut mixed = false;
                while let Some(item) = seq.next_element::<Scalar<'de>>()? {
                    match item {
                        Scalar::Str(s) if first.is_none() && values.is_empty() => first = Some(s),
                        Scalar::Str(s) => {
                            values.extend(first.take());
                            values.push(s);
                        }
                        _ => mixed = true,
                    }
                }
                Ok(match (mixed, first) {
                    (true, _) => MatchValue::Other(Found::MIXED_LIST),
                    (false, Some(one)) => MatchValue::One(one),
                    (false, None) => MatchValue::Many(values),
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
