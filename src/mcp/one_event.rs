//! `send_offline_event`: one sale from an agent's arguments to Meta.
//!
//! The event is made by the very row mapper the batch job uses: the
//! arguments become a one-row CSV record under a mapping written for them,
//! so normalization, hashing, the time window, the money checks and the
//! event's JSON are the CLI's, byte for byte, and cannot drift from it.
//! Sending goes through the uploader's [`GraphClient`] and its answer
//! classification, with a few retries for the transient kinds.

use std::path::Path;
use std::time::Duration;

use crate::records::Record;
use secrecy::SecretString;

use super::params::SendOfflineEventArgs;
use crate::config::Mapping;
use crate::event::RequestMeta;
use crate::mapper::{RowMapper, Scratch};
use crate::normalize::{Field, PhoneRegion};
use crate::outcome::{Reason, Verdict};
use crate::upload::client::GraphClient;
use crate::upload::retry::{self, RetryPolicy};

/// The name the one-row "input" goes by in messages.
const SOURCE: &str = "send_offline_event";

/// Customer fields by argument name, in the order of the record. An alias
/// (`email`) sits beside its field's own name (`em`): both may be given,
/// and both values are sent, as a mapping can list two columns for a key.
const CUSTOMER_COLUMNS: [(&str, Field); 12] = [
    ("em", Field::Em),
    ("email", Field::Em),
    ("ph", Field::Ph),
    ("phone", Field::Ph),
    ("fn", Field::Fn),
    ("ln", Field::Ln),
    ("ct", Field::Ct),
    ("st", Field::St),
    ("zp", Field::Zp),
    ("zip", Field::Zp),
    ("country", Field::Country),
    ("external_id", Field::ExternalId),
];

/// Retries of a transient answer or a rate limit before giving up: an agent
/// is waiting, so fewer than a nightly job's eight.
const RETRY: RetryPolicy = RetryPolicy {
    max_retries: 3,
    base: Duration::from_millis(500),
    cap: Duration::from_secs(10),
};

/// An event ready to send.
#[derive(Debug, Clone)]
pub struct BuiltEvent {
    pub event_id: String,
    /// The event's JSON object, as it goes into `data`.
    pub json: String,
    /// The customer keys it carries (hashed), in `Field::ALL` order.
    pub keys: Vec<&'static str>,
}

/// Why an event was not made: what to fix, in the agent's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput {
    /// The report's reason code (`no_match_keys`, `too_old`, …).
    pub reason: &'static str,
    pub message: String,
}

/// Makes the event as `offconv upload` would make it from a CSV row holding
/// these values, against the clock `now` (Unix seconds).
pub fn build(args: &SendOfflineEventArgs, now: i64) -> Result<BuiltEvent, BadInput> {
    let customer = customer_values(args);
    if customer.iter().all(|(_, v)| v.is_none()) {
        return Err(BadInput {
            reason: Reason::NoMatchKeys.code(),
            message: "no customer information: give at least one of email (em), phone (ph), fn, ln, ct, st, zip (zp), country or external_id, raw (offconv normalizes and hashes it) or as a SHA-256 hex digest".into(),
        });
    }
    // Said here rather than by the mapper, whose advice is about mapping
    // files.
    if args.value.is_some() && blank(&args.currency) {
        return Err(BadInput {
            reason: Reason::BadCurrency.code(),
            message: "value needs a currency: give currency as an ISO 4217 code such as USD".into(),
        });
    }
    let phone_region = match args.phone_region.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(r) => Some(r.parse::<PhoneRegion>().map_err(|_| BadInput {
            reason: "bad_phone_region",
            message: format!(
                "phone_region {r:?} is not a region libphonenumber knows: give a two-letter code such as US or GB"
            ),
        })?),
        None => None,
    };

    let mut header: Vec<&str> = vec!["event_name", "event_time", "action_source", "event_id"];
    let mut values: Vec<String> = vec![
        args.event_name.clone(),
        args.event_time.to_string(),
        args.action_source
            .clone()
            .unwrap_or_else(|| "physical_store".to_owned()),
        args.event_id.clone().unwrap_or_default(),
    ];
    let mut mapping = String::from(
        "[event]\nname_column = \"event_name\"\ntime_column = \"event_time\"\n\
         action_source_column = \"action_source\"\nid_column = \"event_id\"\n[user_data]\n",
    );
    for field in Field::ALL {
        let columns: Vec<&str> = customer
            .iter()
            .filter(|((_, f), v)| *f == field && v.is_some())
            .map(|((name, _), _)| *name)
            .collect();
        if !columns.is_empty() {
            mapping.push_str(&format!("{} = {columns:?}\n", field.key()));
        }
    }
    for ((name, _), value) in &customer {
        header.push(name);
        values.push(value.clone().unwrap_or_default());
    }
    mapping.push_str("[custom_data]\n");
    let custom: [(&str, Option<String>, &str); 4] = [
        ("value", args.value.map(|v| v.to_string()), "value_column"),
        ("currency", args.currency.clone(), "currency_column"),
        ("order_id", args.order_id.clone(), "order_id_column"),
        ("content_name", args.content_name.clone(), ""),
    ];
    for (name, value, key) in custom {
        if !blank(&value) {
            if key.is_empty() {
                mapping.push_str(&format!("columns = {{ {name} = \"{name}\" }}\n"));
            } else {
                mapping.push_str(&format!("{key} = \"{name}\"\n"));
            }
        }
        header.push(name);
        values.push(value.unwrap_or_default());
    }

    // The mapping names only the fixed columns above, never a value, so a
    // failure here is offconv's own bug; still an answer, not a panic.
    let internal = |e: &dyn std::fmt::Display| BadInput {
        reason: "internal",
        message: format!("offconv could not set up the event: {e}"),
    };
    let mut mapping = Mapping::parse(&mapping, Path::new(SOURCE)).map_err(|e| internal(&e))?;
    mapping.options.phone_region = phone_region;
    let header: Vec<String> = header.into_iter().map(str::to_owned).collect();
    let plan = mapping.resolve(&header, SOURCE).map_err(|e| internal(&e))?;
    let mapper = RowMapper::new(&mapping, plan, now);
    let record = Record::from(values);
    match mapper.map(&record, &mut Scratch::default()) {
        Verdict::Valid(event) => Ok(BuiltEvent {
            keys: Field::ALL
                .iter()
                .filter(|f| event.keys.contains(**f))
                .map(|f| f.key())
                .collect(),
            event_id: event.event_id,
            json: event.json,
        }),
        Verdict::Skipped { skip, .. } => Err(BadInput {
            reason: skip.reason.code(),
            message: skip.detail,
        }),
        Verdict::Rejected { rejection, .. } => {
            // The mapper names the column; here the columns are the
            // arguments.
            let detail = rejection.detail;
            let detail = detail.strip_prefix("column ").unwrap_or(&detail);
            Err(BadInput {
                reason: rejection.reason.code(),
                message: format!("{detail}. {}", advice(rejection.reason)),
            })
        }
    }
}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// Every customer column with its value, aliases included.
fn customer_values(args: &SendOfflineEventArgs) -> Vec<((&'static str, Field), Option<String>)> {
    CUSTOMER_COLUMNS
        .iter()
        .map(|&(name, field)| {
            let value = match name {
                "em" => &args.em,
                "email" => &args.email,
                "ph" => &args.ph,
                "phone" => &args.phone,
                "fn" => &args.first_name,
                "ln" => &args.ln,
                "ct" => &args.ct,
                "st" => &args.st,
                "zp" => &args.zp,
                "zip" => &args.zip,
                "country" => &args.country,
                _ => &args.external_id,
            };
            (
                (name, field),
                value.clone().filter(|v| !v.trim().is_empty()),
            )
        })
        .collect()
}

/// What to do about a rejection, for an agent.
fn advice(reason: Reason) -> &'static str {
    match reason {
        Reason::NoMatchKeys => {
            "Give a valid email or phone number, or more customer fields: a value that normalizes to nothing (an email without @, a phone without digits) is dropped"
        }
        Reason::BadTime => "Give event_time in Unix seconds, such as 1795694400",
        Reason::TooOld => "Meta refuses it: this sale cannot be sent",
        Reason::InFuture => "Give event_time in Unix seconds, UTC",
        Reason::BadValue => "Give value as a non-negative number",
        Reason::BadCurrency => "Give currency as an ISO 4217 code such as USD or EUR",
        Reason::BadEventName => "Give event_name, such as Purchase",
        Reason::BadActionSource => {
            "Give action_source as one of physical_store, phone_call, email, website, app, chat, system_generated, other"
        }
        _ => "Check the arguments",
    }
}

/// Where and how an event is sent.
pub struct Destination<'a> {
    pub api_base: &'a str,
    pub api_version: &'a str,
    pub dataset: &'a str,
    pub token: SecretString,
    pub app_secret: Option<SecretString>,
}

/// What Meta said to an accepted event.
#[derive(Debug, Clone)]
pub struct Received {
    pub events_received: u64,
    pub fbtrace_id: Option<String>,
    pub attempts: u32,
}

/// Sends one event in a request of its own; retries transient answers and
/// rate limits a few times. The error is a sentence for the agent.
pub async fn send(
    to: Destination<'_>,
    event: &BuiltEvent,
    meta: &RequestMeta,
) -> Result<Received, String> {
    let client = GraphClient::new(
        to.api_base,
        to.api_version,
        to.dataset,
        to.token,
        to.app_secret,
    )
    .map_err(|e| format!("cannot set up the HTTP client: {e:#}"))?;
    let body = meta.body([event.json.as_str()]);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let answer = client.post_events(&body).await;
        let (detail, wait) = match answer.verdict {
            retry::Verdict::Accepted {
                events_received,
                fbtrace_id,
            } => {
                return Ok(Received {
                    events_received,
                    fbtrace_id,
                    attempts,
                });
            }
            retry::Verdict::Invalid {
                message,
                fbtrace_id,
                ..
            } => {
                return Err(format!(
                    "Meta refused the event (Graph error 100): {message}{}",
                    trace(fbtrace_id.as_deref())
                ));
            }
            retry::Verdict::Auth { code, message } => {
                return Err(format!(
                    "Graph error {code}: {message}: the token is expired or lacks permission for dataset {}; make a new token with ads_management on the dataset (META_ACCESS_TOKEN or --access-token-file of offconv mcp)",
                    to.dataset
                ));
            }
            retry::Verdict::Fatal {
                code,
                message,
                fbtrace_id,
            } => {
                let code = code
                    .map(|c| format!(" (Graph error {c})"))
                    .unwrap_or_default();
                return Err(format!(
                    "Meta did not take the event{code}: {message}{}",
                    trace(fbtrace_id.as_deref())
                ));
            }
            retry::Verdict::RateLimited { detail, wait } => (detail, wait),
            retry::Verdict::Transient { detail } => (detail, None),
        };
        if attempts > RETRY.max_retries {
            return Err(format!(
                "not sent after {attempts} attempts; last answer: {detail}. Try again later: the same arguments send the same event_id, so Meta counts the sale once"
            ));
        }
        let backoff = RETRY.backoff(attempts);
        tokio::time::sleep(wait.map_or(backoff, |w| w.max(backoff))).await;
    }
}

fn trace(fbtrace_id: Option<&str>) -> String {
    fbtrace_id
        .map(|t| format!(" (fbtrace_id {t}: quote it to Meta support)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_694_400; // 2026-11-26T12:00:00Z

    fn sale() -> SendOfflineEventArgs {
        SendOfflineEventArgs {
            event_name: "Purchase".into(),
            event_time: NOW - 3600,
            email: Some(" John.Smith@Example.com ".into()),
            phone: Some("+1 (312) 555-0100".into()),
            value: Some(42.5),
            currency: Some("usd".into()),
            ..Default::default()
        }
    }

    fn json(e: &BuiltEvent) -> serde_json::Value {
        serde_json::from_str(&e.json).unwrap()
    }

    #[test]
    fn hashes_like_the_row_mapper_and_derives_a_stable_id() {
        let a = build(&sale(), NOW).unwrap();
        let b = build(&sale(), NOW).unwrap();
        assert_eq!(a.event_id, b.event_id, "same arguments, same event_id");
        assert!(a.event_id.starts_with("oc-"));
        assert_eq!(a.keys, ["em", "ph"]);
        let v = json(&a);
        assert_eq!(
            v["user_data"]["em"][0],
            crate::normalize::sha256_hex_string(b"john.smith@example.com")
        );
        assert_eq!(
            v["user_data"]["ph"][0],
            crate::normalize::sha256_hex_string(b"13125550100")
        );
        assert_eq!(v["action_source"], "physical_store");
        assert_eq!(v["custom_data"]["currency"], "USD");
        assert_eq!(v["custom_data"]["value"], 42.5);
        assert!(!a.json.contains("John"), "no raw PII in the event");
    }

    #[test]
    fn aliases_and_given_ids() {
        let mut args = sale();
        args.em = args.email.take();
        args.event_id = Some("order-77".into());
        args.order_id = Some("77".into());
        args.content_name = Some("Espresso machine".into());
        let e = build(&args, NOW).unwrap();
        let v = json(&e);
        assert_eq!(e.event_id, "order-77");
        assert_eq!(v["custom_data"]["order_id"], "77");
        assert_eq!(v["custom_data"]["content_name"], "Espresso machine");
        let hashed = "a".repeat(64);
        let mut args = sale();
        args.email = Some(hashed.to_uppercase());
        args.phone = None;
        let v = json(&build(&args, NOW).unwrap());
        assert_eq!(v["user_data"]["em"][0], hashed.as_str());
    }

    #[test]
    fn bad_input_says_what_to_fix() {
        let mut none = sale();
        none.email = None;
        none.phone = None;
        assert_eq!(build(&none, NOW).unwrap_err().reason, "no_match_keys");
        let mut bad_email = none.clone();
        bad_email.email = Some("not an email".into());
        assert_eq!(build(&bad_email, NOW).unwrap_err().reason, "no_match_keys");

        let mut old = sale();
        old.event_time = NOW - 63 * 86_400;
        let err = build(&old, NOW).unwrap_err();
        assert_eq!(err.reason, "too_old");
        assert!(err.message.starts_with("event_time: "), "{}", err.message);

        let mut ahead = sale();
        ahead.event_time = NOW + 3600;
        assert_eq!(build(&ahead, NOW).unwrap_err().reason, "in_future");

        let mut currency = sale();
        currency.currency = Some("XYZ".into());
        let err = build(&currency, NOW).unwrap_err();
        assert_eq!(err.reason, "bad_currency");
        assert!(err.message.contains("ISO 4217"), "{}", err.message);
        currency.currency = None;
        assert_eq!(build(&currency, NOW).unwrap_err().reason, "bad_currency");

        let mut negative = sale();
        negative.value = Some(-1.0);
        assert_eq!(build(&negative, NOW).unwrap_err().reason, "bad_value");

        let mut source = sale();
        source.action_source = Some("store".into());
        assert_eq!(build(&source, NOW).unwrap_err().reason, "bad_action_source");

        let mut region = sale();
        region.phone_region = Some("ZZ".into());
        assert_eq!(build(&region, NOW).unwrap_err().reason, "bad_phone_region");
    }

    #[test]
    fn quotes_in_values_stay_values() {
        let mut args = sale();
        args.event_name = "Purchase\" = 1\n[event]".into();
        args.content_name = Some("a \"quoted\" } name".into());
        let v = json(&build(&args, NOW).unwrap());
        assert_eq!(v["event_name"], "Purchase\" = 1\n[event]");
        assert_eq!(v["custom_data"]["content_name"], "a \"quoted\" } name");
    }
}
