//! What to do about an answer: Meta's error classes (DESIGN.md section 1)
//! and the backoff between attempts.

use std::time::Duration;

use rand::Rng as _;

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Meta took the events.
    Accepted {
        events_received: u64,
        fbtrace_id: Option<String>,
    },
    /// Worth trying again after a backoff: 5xx, codes 1 and 2, answers
    /// that are not JSON, timeouts, broken connections.
    Transient { detail: String },
    /// A rate limit: every worker pauses, at least `wait` when the server
    /// said how long.
    RateLimited {
        detail: String,
        wait: Option<Duration>,
    },
    /// Code 100: some event in the request is invalid. `index` is the bad
    /// event's position when the message names it.
    Invalid {
        message: String,
        index: Option<usize>,
        fbtrace_id: Option<String>,
    },
    /// Token or permission errors: stop the run.
    Auth { code: i64, message: String },
    /// Anything else: not retried, the rows fail.
    Fatal {
        code: Option<i64>,
        message: String,
        fbtrace_id: Option<String>,
    },
}

/// Graph error codes that mean "slow down".
pub fn is_rate_limit_code(code: i64) -> bool {
    matches!(code, 4 | 17 | 32 | 341 | 613 | 80000..=80014)
}

/// Graph error codes that mean "this token cannot do it".
pub fn is_auth_code(code: i64) -> bool {
    matches!(code, 190 | 102 | 10 | 200..=299)
}

/// Classifies an HTTP answer. `retry_after` comes from the `Retry-After`
/// header, `regain` from `X-Business-Use-Case-Usage`.
pub fn classify(
    status: u16,
    body: &str,
    retry_after: Option<Duration>,
    regain: Option<Duration>,
) -> Verdict {
    let wait = match (retry_after, regain) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let json: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let Some(json) = json.filter(serde_json::Value::is_object) else {
        return if status == 429 {
            Verdict::RateLimited {
                detail: format!("HTTP {status}"),
                wait,
            }
        } else if (200..300).contains(&status) {
            Verdict::Transient {
                detail: format!("HTTP {status} with an answer that is not JSON"),
            }
        } else {
            Verdict::Transient {
                detail: format!(
                    "HTTP {status} with an answer that is not JSON (a proxy or load balancer?)"
                ),
            }
        };
    };
    let fbtrace = |v: &serde_json::Value| {
        v.get("fbtrace_id")
            .and_then(|t| t.as_str())
            .map(str::to_owned)
    };
    if let Some(err) = json.get("error") {
        let code = err.get("code").and_then(serde_json::Value::as_i64);
        let message = graph_message(err);
        let transient = err.get("is_transient").and_then(serde_json::Value::as_bool) == Some(true);
        return match code {
            Some(c) if is_rate_limit_code(c) => Verdict::RateLimited {
                detail: format!("Graph error {c}: {message}"),
                wait,
            },
            _ if status == 429 => Verdict::RateLimited {
                detail: format!("HTTP 429: {message}"),
                wait,
            },
            Some(c) if is_auth_code(c) => Verdict::Auth { code: c, message },
            // "Object with ID does not exist, cannot be loaded due to
            // missing permissions": the dataset, not an event, is wrong.
            // Splitting the batch could not help; stop as for a token error.
            Some(100)
                if err.get("error_subcode").and_then(serde_json::Value::as_i64) == Some(33) =>
            {
                Verdict::Auth { code: 100, message }
            }
            Some(100) => Verdict::Invalid {
                index: event_index(&message),
                message,
                fbtrace_id: fbtrace(err),
            },
            Some(1 | 2) => Verdict::Transient {
                detail: format!("Graph error {}: {message}", code.unwrap_or_default()),
            },
            _ if transient || status >= 500 => Verdict::Transient {
                detail: format!("HTTP {status}: {message}"),
            },
            _ => Verdict::Fatal {
                code,
                message,
                fbtrace_id: fbtrace(err),
            },
        };
    }
    if (200..300).contains(&status) {
        return Verdict::Accepted {
            events_received: json
                .get("events_received")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            fbtrace_id: fbtrace(&json),
        };
    }
    if status == 429 {
        return Verdict::RateLimited {
            detail: format!("HTTP {status}"),
            wait,
        };
    }
    Verdict::Transient {
        detail: format!("HTTP {status} without a Graph error"),
    }
}

/// Meta's user-facing message when there is one, else the plain one.
fn graph_message(err: &serde_json::Value) -> String {
    let s = |k: &str| {
        err.get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    match (s("message"), s("error_user_msg")) {
        (Some(m), Some(u)) => format!("{m} {u}"),
        (Some(m), None) => m.to_owned(),
        (None, Some(u)) => u.to_owned(),
        (None, None) => "no message".to_owned(),
    }
}

/// The index in `data[N]` of an error message, if it names one.
pub fn event_index(message: &str) -> Option<usize> {
    let start = message.find("data[")? + "data[".len();
    let digits: String = message[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    message[start + digits.len()..]
        .starts_with(']')
        .then_some(())?;
    digits.parse().ok()
}

/// Capped exponential backoff with full jitter: the n-th retry waits a
/// random time up to `base × 2ⁿ`, at most `cap`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl RetryPolicy {
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << retry.min(20))
            .min(self.cap);
        let ms = rand::rng().random_range(0..=ceiling.as_millis() as u64);
        Duration::from_millis(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let ok = classify(
            200,
            r#"{"events_received":3,"messages":[],"fbtrace_id":"A"}"#,
            None,
            None,
        );
        assert_eq!(
            ok,
            Verdict::Accepted {
                events_received: 3,
                fbtrace_id: Some("A".into())
            }
        );
        let err =
            |code: i64| format!(r#"{{"error":{{"message":"m","code":{code},"fbtrace_id":"T"}}}}"#);
        assert!(matches!(
            classify(400, &err(17), None, None),
            Verdict::RateLimited { .. }
        ));
        assert!(matches!(
            classify(400, &err(80004), None, None),
            Verdict::RateLimited { .. }
        ));
        assert!(matches!(
            classify(401, &err(190), None, None),
            Verdict::Auth { code: 190, .. }
        ));
        assert!(matches!(
            classify(403, &err(200), None, None),
            Verdict::Auth { .. }
        ));
        assert!(matches!(
            classify(500, &err(2), None, None),
            Verdict::Transient { .. }
        ));
        assert!(matches!(
            classify(502, "<html>bad gateway</html>", None, None),
            Verdict::Transient { .. }
        ));
        assert!(matches!(
            classify(429, "", None, None),
            Verdict::RateLimited { .. }
        ));
        assert!(matches!(
            classify(400, &err(12345), None, None),
            Verdict::Fatal { .. }
        ));
        let invalid = r#"{"error":{"message":"Invalid parameter","code":100,"error_user_msg":"Invalid parameter at data[17]: event_time too old"}}"#;
        assert!(matches!(
            classify(400, invalid, None, None),
            Verdict::Invalid {
                index: Some(17),
                ..
            }
        ));
    }

    #[test]
    fn index_parsing() {
        assert_eq!(event_index("at data[0]: x"), Some(0));
        assert_eq!(event_index("data[12]"), Some(12));
        assert_eq!(event_index("data[x]"), None);
        assert_eq!(event_index("data[12"), None);
        assert_eq!(event_index("nothing"), None);
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy {
            max_retries: 8,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
        };
        for n in 0..30 {
            assert!(p.backoff(n) <= Duration::from_secs(2));
        }
    }
}
