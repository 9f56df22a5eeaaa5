//! Read-only Graph API calls about what a token can reach: one dataset
//! ([`dataset`]), or the datasets of an ad account ([`list_datasets`]).
//! `offconv check`, `offconv datasets` and the MCP server share them, so a
//! person at a terminal and an agent get the same answers and the same
//! advice.
//!
//! The uploader's rules hold here too: the token travels only in the
//! `Authorization: Bearer` header, and no error carries a URL (Meta's
//! paging links hold the token in their query) or the token itself. Every
//! [`AccountError`] says what to do next, because the person reading it is
//! usually setting up a nightly job, not debugging Graph.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::upload::client::{describe, http_client};
use crate::upload::retry::{RetryPolicy, is_auth_code, is_rate_limit_code};

mod errors;
mod paging;
mod setup;
#[cfg(test)]
mod tests;

pub use errors::{AccountError, Target};
use errors::{Failure, interpret};
use paging::{next_page, page_items};
use setup::{ad_account_node, base_url, is_digits, read_token};

/// What [`dataset`] asks for: what `offconv check` shows.
const DATASET_FIELDS: &str = "id,name,is_consolidated_container";
/// What [`list_datasets`] asks for, per dataset.
const LIST_FIELDS: &str = "id,name,is_consolidated_container,last_fired_time";
/// Datasets per page; Graph's default of 25 would mean more round trips.
const PAGE_SIZE: &str = "100";
/// Pages followed at most (10,000 datasets, far beyond a real ad account):
/// the bound only stops a server that pages forever.
const MAX_PAGES: usize = 100;
/// A read-only call answers in well under a second; the client's 90 s
/// budget is sized for 1,000-event uploads, too long to wait on a check.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Transient answers (5xx, codes 1 and 2, broken connections) are retried
/// twice: enough to ride out a blip, short enough for an interactive check.
const RETRY: RetryPolicy = RetryPolicy {
    max_retries: 2,
    base: Duration::from_millis(500),
    cap: Duration::from_secs(2),
};

/// A token and the Graph API it talks to. Cheap to clone; the clones share
/// one connection pool.
#[derive(Clone)]
pub struct GraphAccess {
    /// `https://graph.facebook.com`, or a sandbox's `http://ADDR`.
    pub api_base: String,
    /// `v26.0`.
    pub api_version: String,
    token: SecretString,
    /// hex HMAC-SHA256(app secret, token): not the token, and useless
    /// without it, so it may travel in the query string.
    appsecret_proof: Option<SecretString>,
    http: reqwest::Client,
}

impl fmt::Debug for GraphAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphAccess")
            .field("api_base", &self.api_base)
            .field("api_version", &self.api_version)
            .field("token", &"[redacted]")
            .field("appsecret_proof", &self.appsecret_proof.is_some())
            .finish()
    }
}

impl GraphAccess {
    /// Access with this token; `app_secret` turns on `appsecret_proof`
    /// (needed when the app requires it for server calls).
    pub fn new(
        api_base: impl Into<String>,
        api_version: impl Into<String>,
        token: SecretString,
        app_secret: Option<SecretString>,
    ) -> anyhow::Result<GraphAccess> {
        Ok(GraphAccess::build(
            api_base.into(),
            api_version.into(),
            token,
            app_secret,
        )?)
    }

    /// Access with the token from `token_file` when given, else from
    /// `META_ACCESS_TOKEN`, and the app secret from `META_APP_SECRET`. The
    /// token is never a command-line value, so it stays out of shell
    /// history and `ps`.
    pub fn from_env(
        api_base: impl Into<String>,
        api_version: impl Into<String>,
        token_file: Option<&Path>,
    ) -> Result<GraphAccess, AccountError> {
        let token = read_token(token_file)?;
        let app_secret = crate::upload::client::app_secret_from_env();
        GraphAccess::build(api_base.into(), api_version.into(), token, app_secret)
    }

    fn build(
        api_base: String,
        api_version: String,
        token: SecretString,
        app_secret: Option<SecretString>,
    ) -> Result<GraphAccess, AccountError> {
        if token.expose_secret().trim().is_empty() {
            return Err(AccountError::NoToken);
        }
        let api_base = api_base.trim().trim_end_matches('/').to_owned();
        let api_version = api_version.trim().trim_matches('/').to_owned();
        // Checked now, so a typo in --api-base fails before any call.
        base_url(&api_base)?;
        let http = http_client().map_err(|e| AccountError::Client(describe(&e)))?;
        let appsecret_proof =
            app_secret.map(|secret| crate::upload::client::appsecret_proof(&secret, &token));
        Ok(GraphAccess {
            api_base,
            api_version,
            token,
            appsecret_proof,
            http,
        })
    }

    /// `{api_base}/{api_version}/{segments…}?{query}`; segments are
    /// percent-encoded, so an id cannot change the path.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<Url, AccountError> {
        let mut url = base_url(&self.api_base)?;
        url.path_segments_mut()
            .map_err(|()| AccountError::ApiBase {
                base: self.api_base.clone(),
                problem: "it cannot hold a path".to_owned(),
            })?
            .pop_if_empty()
            .push(&self.api_version)
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// One GET, retried while the answer is transient. `url` carries no
    /// secret; the proof is added here so paging links never hold it.
    async fn get(&self, url: &Url, target: &Target) -> Result<Value, AccountError> {
        let mut url = url.clone();
        if let Some(proof) = &self.appsecret_proof {
            url.query_pairs_mut()
                .append_pair("appsecret_proof", proof.expose_secret());
        }
        let mut retries = 0;
        loop {
            match self.attempt(&url, target).await {
                Ok(json) => return Ok(json),
                Err(Failure::Retry(e)) if retries < RETRY.max_retries => {
                    retries += 1;
                    tracing::info!("retrying after a transient answer: {e}");
                    tokio::time::sleep(RETRY.backoff(retries)).await;
                }
                Err(Failure::Retry(e) | Failure::Stop(e)) => return Err(e),
            }
        }
    }

    async fn attempt(&self, url: &Url, target: &Target) -> Result<Value, Failure> {
        let started = Instant::now();
        let sent = self
            .http
            .get(url.clone())
            .bearer_auth(self.token.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(CALL_TIMEOUT)
            .send()
            .await;
        // The origin names the server without the path or query, which is
        // where anything secret would be.
        let origin = url.origin().ascii_serialization();
        let network = |e: reqwest::Error| {
            Failure::Retry(AccountError::Network(
                self.redact(&format!("{origin}: {}", describe(&e))),
            ))
        };
        let response = sent.map_err(network)?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(network)?;
        tracing::debug!(
            path = url.path(),
            status,
            ms = started.elapsed().as_millis() as u64,
            "graph GET"
        );
        interpret(status, &self.redact(&text), target)
    }

    /// Meta does not echo tokens, but a proxy or a misconfigured server
    /// might: whatever reaches an error message goes through here.
    fn redact(&self, text: &str) -> String {
        let token = self.token.expose_secret();
        if token.is_empty() {
            text.to_owned()
        } else {
            text.replace(token, "[token]")
        }
    }
}

/// What `GET /{dataset}` and `GET /act_{id}/adspixels` say about a dataset.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct DatasetInfo {
    pub id: String,
    pub name: Option<String>,
    /// Whether the dataset unifies the pixel and the offline event set:
    /// offline events sent by the Conversions API belong in one that does.
    pub is_consolidated_container: Option<bool>,
    /// As Graph writes it: `2026-07-28T09:15:00+0000`.
    pub last_fired_time: Option<String>,
}

/// The dataset `dataset_id`, if the token can read it.
pub async fn dataset(access: &GraphAccess, dataset_id: &str) -> Result<DatasetInfo, AccountError> {
    let id = dataset_id.trim();
    let target = Target::Dataset(id.to_owned());
    if !is_digits(id) {
        return Err(AccountError::InvalidId { target });
    }
    let url = access.url(&[id], &[("fields", DATASET_FIELDS)])?;
    tracing::info!("asking Graph for dataset {id}");
    let json = access.get(&url, &target).await?;
    serde_json::from_value(json).map_err(|e| AccountError::BadAnswer {
        status: 200,
        detail: format!("a dataset without the expected fields ({e})"),
    })
}

/// The datasets the ad account can send to (`act_123` or `123`), every
/// page of them. Stops, with a warning in the log, after 100
/// pages or at a paging link that leads elsewhere.
pub async fn list_datasets(
    access: &GraphAccess,
    ad_account: &str,
) -> Result<Vec<DatasetInfo>, AccountError> {
    let node = ad_account_node(ad_account)?;
    let target = Target::AdAccount(node.clone());
    let first = access.url(
        &[&node, "adspixels"],
        &[("fields", LIST_FIELDS), ("limit", PAGE_SIZE)],
    )?;
    tracing::info!("asking Graph for the datasets of {node}");
    let mut datasets = Vec::new();
    let mut seen = HashSet::new();
    let mut url = first.clone();
    for page in 1..=MAX_PAGES {
        let json = access.get(&url, &target).await?;
        let items = page_items(&json)?;
        tracing::debug!(page, datasets = items.len(), "adspixels page");
        datasets.extend(items);
        match next_page(&json, &first) {
            None => return Ok(datasets),
            Some(next) if seen.insert(next.to_string()) => url = next,
            Some(_) => {
                tracing::warn!("Graph sent the same page link twice; the list ends here");
                return Ok(datasets);
            }
        }
    }
    tracing::warn!(
        "stopped after {MAX_PAGES} pages ({} datasets); the list may be incomplete",
        datasets.len()
    );
    Ok(datasets)
}
