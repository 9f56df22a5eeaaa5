//! The HTTP side: one `POST {api-base}/{version}/{dataset}/events` and its
//! answer turned into a [`Verdict`].
//!
//! The access token travels only in the `Authorization` header, never in
//! the URL: URLs end up in proxy logs and error messages. Errors from
//! reqwest are reported without their URL for the same reason.

use std::time::Duration;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::limits::Usage;
use super::retry::{Verdict, classify};
use crate::event::PARTNER_AGENT;

/// A client for one dataset.
pub struct GraphClient {
    http: reqwest::Client,
    events_url: String,
    token: SecretString,
    /// hex HMAC-SHA256(app secret, token), when `META_APP_SECRET` is set.
    appsecret_proof: Option<SecretString>,
}

/// The answer to one attempt.
pub struct Answer {
    pub verdict: Verdict,
    pub usage: Usage,
}

impl GraphClient {
    pub fn new(
        api_base: &str,
        api_version: &str,
        dataset: &str,
        token: SecretString,
        app_secret: Option<SecretString>,
    ) -> anyhow::Result<GraphClient> {
        let http = http_client()?;
        let appsecret_proof = app_secret.map(|secret| appsecret_proof(&secret, &token));
        Ok(GraphClient {
            http,
            events_url: format!(
                "{}/{}/{}/events",
                api_base.trim_end_matches('/'),
                api_version.trim_matches('/'),
                dataset
            ),
            token,
            appsecret_proof,
        })
    }

    /// The URL events go to (holds no secret).
    pub fn events_url(&self) -> &str {
        &self.events_url
    }

    /// Sends one request body (as `RequestMeta::body` made it).
    pub async fn post_events(&self, body: &str) -> Answer {
        let body = match &self.appsecret_proof {
            Some(proof) => {
                let mut with_proof = String::with_capacity(body.len() + 90);
                with_proof.push_str(body.strip_suffix('}').unwrap_or(body));
                with_proof.push_str(",\"appsecret_proof\":\"");
                with_proof.push_str(proof.expose_secret());
                with_proof.push_str("\"}");
                with_proof
            }
            None => body.to_owned(),
        };
        let sent = self
            .http
            .post(&self.events_url)
            .bearer_auth(self.token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                return Answer {
                    verdict: Verdict::Transient {
                        detail: describe(&e),
                    },
                    usage: Usage::default(),
                };
            }
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let usage = Usage::read(
            header("x-app-usage").as_deref(),
            header("x-business-use-case-usage").as_deref(),
        );
        let text = match response.text().await {
            Ok(t) => t,
            Err(e) => {
                return Answer {
                    verdict: Verdict::Transient {
                        detail: describe(&e),
                    },
                    usage,
                };
            }
        };
        Answer {
            verdict: classify(status, &text, retry_after, usage.regain),
            usage,
        }
    }
}

/// The HTTP client every Graph call uses (uploads and the read-only calls
/// of [`crate::account`]): rustls on ring, gzip, timeouts sized for a
/// 1,000-event request.
pub(crate) fn http_client() -> reqwest::Result<reqwest::Client> {
    // Installing twice is harmless; the first provider stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(90))
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_keepalive(Duration::from_secs(30))
        .gzip(true)
        .user_agent(PARTNER_AGENT)
        .build()
}

/// `appsecret_proof`: hex HMAC-SHA256 of the token keyed with the app
/// secret, as Graph expects it.
pub fn appsecret_proof(secret: &SecretString, token: &SecretString) -> SecretString {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(token.expose_secret().as_bytes());
    SecretString::from(const_hex::encode(mac.finalize().into_bytes()))
}

/// `META_APP_SECRET`, which turns on `appsecret_proof`; blank is unset.
pub fn app_secret_from_env() -> Option<SecretString> {
    std::env::var("META_APP_SECRET")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(SecretString::from)
}

/// A network error in one sentence, without the URL.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else {
        "the connection failed"
    };
    let mut source = std::error::Error::source(e);
    let mut cause = String::new();
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_is_meta_hmac() {
        // HMAC-SHA256(key "key", "The quick brown fox jumps over the lazy dog").
        let proof = appsecret_proof(
            &"key".into(),
            &"The quick brown fox jumps over the lazy dog".into(),
        );
        assert_eq!(
            proof.expose_secret(),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }
}
