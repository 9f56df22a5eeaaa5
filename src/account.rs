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

/// What a read-only call was about, so an error can say what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Dataset(String),
    /// Always with its `act_` prefix.
    AdAccount(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Dataset(id) => write!(f, "dataset {id}"),
            Target::AdAccount(id) => write!(f, "ad account {id}"),
        }
    }
}

impl Target {
    fn invalid_id(&self) -> String {
        match self {
            Target::Dataset(id) => format!(
                "{id:?} is not a dataset id: dataset ids are digits, as Events Manager shows them under the dataset's name (Data sources)"
            ),
            Target::AdAccount(id) => format!(
                "{id:?} is not an ad account id: give its digits, with or without act_, as Ads Manager shows them (act=… in the address bar)"
            ),
        }
    }

    fn permission_advice(&self) -> &'static str {
        match self {
            Target::Dataset(_) => {
                "in Business settings → Data sources → Datasets, pick the dataset, Assign people (or Assign partners), add the token's system user with full control; the token needs the ads_management permission"
            }
            Target::AdAccount(_) => {
                "in Business settings → Accounts → Ad accounts, pick the account, Assign people, add the token's system user; the token needs ads_read or ads_management"
            }
        }
    }

    fn not_found_advice(&self) -> &'static str {
        match self {
            Target::Dataset(_) => {
                "Meta knows no dataset with this id that the token can see: check the id in Events Manager → Data sources (the digits under the dataset's name), and that the token's system user is assigned to the dataset"
            }
            Target::AdAccount(_) => {
                "Meta knows no ad account with this id that the token can see: check the id in Ads Manager (act=… in the address bar), and that the token's system user is assigned to the account"
            }
        }
    }
}

/// A read-only call that did not give an answer. Messages hold Meta's own
/// message and `fbtrace_id` (quote it to Meta support) and what to do,
/// never the token or a URL with a query.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "no access token: set META_ACCESS_TOKEN or give --access-token-file FILE (a system user token with ads_management, assigned to the dataset); to try offconv without one, use --sandbox"
    )]
    NoToken,
    #[error("cannot read the access token file {}: {problem}", .path.display())]
    TokenFile { path: PathBuf, problem: String },
    #[error(
        "the token is expired or invalid ({}) — make a new system user token (Business settings → Users → System users → Generate new token, with ads_management) or one in Events Manager (the dataset → Settings → Conversions API → Generate access token), then put it in META_ACCESS_TOKEN or --access-token-file",
        graph_detail(*.code, .message, .fbtrace_id.as_deref())
    )]
    Auth {
        code: i64,
        message: String,
        fbtrace_id: Option<String>,
    },
    #[error(
        "the token may not read {target} ({}) — {}",
        graph_detail(*.code, .message, .fbtrace_id.as_deref()),
        .target.permission_advice()
    )]
    Permission {
        target: Target,
        code: i64,
        message: String,
        fbtrace_id: Option<String>,
    },
    #[error(
        "{target} not found ({}) — {}",
        graph_detail(*.code, .message, .fbtrace_id.as_deref()),
        .target.not_found_advice()
    )]
    NotFound {
        target: Target,
        code: i64,
        message: String,
        fbtrace_id: Option<String>,
    },
    #[error(
        "Meta is rate-limiting this token or app ({}) — wait a few minutes and try again; a running upload may be using the quota",
        graph_detail(*.code, .message, .fbtrace_id.as_deref())
    )]
    RateLimited {
        code: i64,
        message: String,
        fbtrace_id: Option<String>,
    },
    #[error(
        "Meta refused the request ({}) — if it persists, quote the fbtrace_id to Meta support",
        graph_detail(*.code, .message, .fbtrace_id.as_deref())
    )]
    Graph {
        code: i64,
        message: String,
        fbtrace_id: Option<String>,
    },
    #[error(
        "cannot reach the Graph API: {0} — check the network, any proxy (HTTPS_PROXY), and --api-base / META_GRAPH_URL"
    )]
    Network(String),
    #[error(
        "the Graph API answered HTTP {status} with {detail} — is --api-base / META_GRAPH_URL the Graph API (https://graph.facebook.com)?"
    )]
    BadAnswer { status: u16, detail: String },
    #[error("{}", .target.invalid_id())]
    InvalidId { target: Target },
    #[error(
        "the Graph API base {base:?} (--api-base or META_GRAPH_URL) is not usable: {problem}; the default is https://graph.facebook.com"
    )]
    ApiBase { base: String, problem: String },
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// The token is malformed (a BOM, several lines, not visible ASCII);
    /// the message names where it came from, never the token.
    #[error("{0}")]
    BadToken(String),
}

fn graph_detail(code: i64, message: &str, fbtrace_id: Option<&str>) -> String {
    match fbtrace_id {
        Some(trace) => format!("Graph error {code}: {message}; fbtrace_id {trace}"),
        None => format!("Graph error {code}: {message}"),
    }
}

/// Whether an attempt is worth repeating.
#[derive(Debug)]
enum Failure {
    Retry(AccountError),
    Stop(AccountError),
}

/// Graph's `error` object; every field is optional because proxies and
/// old API versions send partial ones.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GraphErrorBody {
    message: Option<String>,
    code: Option<i64>,
    error_user_msg: Option<String>,
    fbtrace_id: Option<String>,
    is_transient: Option<bool>,
}

/// Turns an HTTP answer into its JSON or a classified error.
fn interpret(status: u16, text: &str, target: &Target) -> Result<Value, Failure> {
    let retry_or_stop = |e: AccountError| {
        if status >= 500 {
            Failure::Retry(e)
        } else {
            Failure::Stop(e)
        }
    };
    let Some(json) = serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
    else {
        return Err(retry_or_stop(AccountError::BadAnswer {
            status,
            detail: "an answer that is not JSON (a proxy or load balancer?)".to_owned(),
        }));
    };
    if let Some(error) = json.get("error") {
        let body: GraphErrorBody = serde_json::from_value(error.clone()).unwrap_or_default();
        return Err(classify(status, body, target));
    }
    if (200..300).contains(&status) {
        return Ok(json);
    }
    Err(retry_or_stop(AccountError::BadAnswer {
        status,
        detail: "JSON that is not a Graph error".to_owned(),
    }))
}

/// Graph's error classes (DESIGN.md section 1), read for one read-only call.
fn classify(status: u16, body: GraphErrorBody, target: &Target) -> Failure {
    let message = match (body.message, body.error_user_msg) {
        (Some(m), Some(u)) if !u.is_empty() => format!("{m} {u}"),
        (Some(m), _) => m,
        (None, Some(u)) => u,
        (None, None) => "no message".to_owned(),
    };
    let fbtrace_id = body.fbtrace_id;
    let Some(code) = body.code else {
        return Failure::Stop(AccountError::BadAnswer {
            status,
            detail: format!("a Graph error without a code: {message}"),
        });
    };
    match code {
        // 190: expired, revoked or unknown token; 102: an old session.
        190 | 102 => Failure::Stop(AccountError::Auth {
            code,
            message,
            fbtrace_id,
        }),
        c if is_auth_code(c) => Failure::Stop(AccountError::Permission {
            target: target.clone(),
            code,
            message,
            fbtrace_id,
        }),
        // Retrying a rate limit right away only digs deeper; the advice
        // says to wait instead.
        c if is_rate_limit_code(c) || status == 429 => Failure::Stop(AccountError::RateLimited {
            code,
            message,
            fbtrace_id,
        }),
        // 100 on a GET of a node: no such object, one the token cannot
        // see (subcode 33), or an id of another kind (a page) that lacks
        // the dataset fields. 803: an alias that does not exist.
        100 | 803 => Failure::Stop(AccountError::NotFound {
            target: target.clone(),
            code,
            message,
            fbtrace_id,
        }),
        _ if status == 404 => Failure::Stop(AccountError::NotFound {
            target: target.clone(),
            code,
            message,
            fbtrace_id,
        }),
        1 | 2 => Failure::Retry(AccountError::Graph {
            code,
            message,
            fbtrace_id,
        }),
        _ if body.is_transient == Some(true) || status >= 500 => {
            Failure::Retry(AccountError::Graph {
                code,
                message,
                fbtrace_id,
            })
        }
        _ => Failure::Stop(AccountError::Graph {
            code,
            message,
            fbtrace_id,
        }),
    }
}

/// The datasets of one `{"data": [...]}` page.
fn page_items(json: &Value) -> Result<Vec<DatasetInfo>, AccountError> {
    let bad = |detail: String| AccountError::BadAnswer {
        status: 200,
        detail,
    };
    let data = json
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("a list without its data field".to_owned()))?;
    data.iter()
        .map(|item| {
            serde_json::from_value(item.clone())
                .map_err(|e| bad(format!("a dataset without the expected fields ({e})")))
        })
        .collect()
}

/// The next page's URL, or `None` on the last page (Graph leaves `next`
/// out there). The `after` cursor goes on our own first URL, so the token
/// never follows a link to another host; a bare `next` link is followed
/// only on the same origin, without the `access_token` Meta puts in it.
fn next_page(json: &Value, first: &Url) -> Option<Url> {
    let paging = json.get("paging")?;
    let next = paging.get("next").and_then(Value::as_str)?;
    if let Some(after) = paging
        .pointer("/cursors/after")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty())
    {
        let mut url = first.clone();
        let kept: Vec<(String, String)> = first
            .query_pairs()
            .filter(|(k, _)| k != "after")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("after", after);
        return Some(url);
    }
    let mut url = Url::parse(next).ok()?;
    if url.origin() != first.origin() {
        tracing::warn!(
            "Graph's next-page link points at another server; not following it (the token would go there)"
        );
        return None;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "access_token" && k != "appsecret_proof")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    Some(url)
}

/// `act_123` from `act_123` or `123`.
fn ad_account_node(ad_account: &str) -> Result<String, AccountError> {
    let given = ad_account.trim();
    let digits = given.strip_prefix("act_").unwrap_or(given);
    if is_digits(digits) {
        Ok(format!("act_{digits}"))
    } else {
        Err(AccountError::InvalidId {
            target: Target::AdAccount(given.to_owned()),
        })
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn base_url(api_base: &str) -> Result<Url, AccountError> {
    let problem = |problem: String| AccountError::ApiBase {
        base: api_base.to_owned(),
        problem,
    };
    let url = Url::parse(api_base).map_err(|e| problem(format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(problem("give an http or https URL".to_owned()));
    }
    if url.query().is_some() {
        return Err(problem(
            "it has a query; give the bare base, such as https://graph.facebook.com".to_owned(),
        ));
    }
    Ok(url)
}

fn read_token(token_file: Option<&Path>) -> Result<SecretString, AccountError> {
    let token = match token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| AccountError::TokenFile {
                path: path.to_owned(),
                problem: e.to_string(),
            })?;
            let token = text.trim().to_owned();
            if token.is_empty() {
                return Err(AccountError::TokenFile {
                    path: path.to_owned(),
                    problem: "the file is empty".to_owned(),
                });
            }
            token
        }
        None => std::env::var("META_ACCESS_TOKEN")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    };
    if token.is_empty() {
        return Err(AccountError::NoToken);
    }
    let source = token_file.map_or_else(
        || "META_ACCESS_TOKEN".to_owned(),
        |p| p.display().to_string(),
    );
    crate::settings::check_token(&token, &source)
        .map_err(|e| AccountError::BadToken(e.to_string()))?;
    Ok(SecretString::from(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset_target() -> Target {
        Target::Dataset("42".to_owned())
    }

    fn error_body(code: i64, extra: &str) -> String {
        format!(
            r#"{{"error":{{"message":"m","type":"OAuthException","code":{code}{extra},"fbtrace_id":"TRACE"}}}}"#
        )
    }

    fn stop(status: u16, body: &str) -> AccountError {
        match interpret(status, body, &dataset_target()) {
            Err(Failure::Stop(e)) => e,
            other => panic!("expected a final error, got {other:?}"),
        }
    }

    #[test]
    fn error_classes() {
        assert!(matches!(
            stop(400, &error_body(190, r#","error_subcode":463"#)),
            AccountError::Auth { code: 190, .. }
        ));
        for code in [10, 200, 294] {
            assert!(matches!(
                stop(403, &error_body(code, "")),
                AccountError::Permission { .. }
            ));
        }
        for (status, code) in [(400, 100), (404, 803), (404, 12345)] {
            assert!(
                matches!(
                    stop(status, &error_body(code, "")),
                    AccountError::NotFound { .. }
                ),
                "{status} {code}"
            );
        }
        assert!(matches!(
            stop(400, &error_body(17, "")),
            AccountError::RateLimited { code: 17, .. }
        ));
        assert!(matches!(
            stop(400, &error_body(12345, "")),
            AccountError::Graph { code: 12345, .. }
        ));
        assert!(matches!(
            stop(404, "<html>not found</html>"),
            AccountError::BadAnswer { status: 404, .. }
        ));
        assert!(matches!(
            interpret(500, &error_body(2, ""), &dataset_target()),
            Err(Failure::Retry(AccountError::Graph { code: 2, .. }))
        ));
        assert!(matches!(
            interpret(502, "<html>bad gateway</html>", &dataset_target()),
            Err(Failure::Retry(AccountError::BadAnswer { status: 502, .. }))
        ));
        assert!(interpret(200, r#"{"id":"42"}"#, &dataset_target()).is_ok());
    }

    #[test]
    fn messages_carry_advice_and_trace() {
        let auth = stop(400, &error_body(190, "")).to_string();
        assert!(auth.contains("expired or invalid"), "{auth}");
        assert!(auth.contains("fbtrace_id TRACE"), "{auth}");
        let missing = stop(400, &error_body(100, r#","error_subcode":33"#)).to_string();
        assert!(missing.starts_with("dataset 42 not found"), "{missing}");
        let denied = stop(403, &error_body(200, "")).to_string();
        assert!(denied.contains("Assign people"), "{denied}");
    }

    #[test]
    fn ad_account_ids() {
        assert_eq!(ad_account_node("123").unwrap(), "act_123");
        assert_eq!(ad_account_node(" act_123 ").unwrap(), "act_123");
        for bad in ["", "act_", "act_12x", "12/../34", "acct_1"] {
            let err = ad_account_node(bad).unwrap_err().to_string();
            assert!(err.contains("is not an ad account id"), "{err}");
        }
    }

    #[test]
    fn ids_cannot_change_the_path() {
        let access = GraphAccess::new(
            "http://127.0.0.1:9/prefix/",
            "v26.0",
            SecretString::from("t"),
            None,
        )
        .unwrap();
        let url = access
            .url(&["act_1", "adspixels"], &[("a", "b c")])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/prefix/v26.0/act_1/adspixels?a=b+c"
        );
        let url = access.url(&["1/../x?y"], &[]).unwrap();
        assert_eq!(url.path(), "/prefix/v26.0/1%2F..%2Fx%3Fy");
    }

    #[test]
    fn paging_keeps_the_token_home() {
        let first =
            Url::parse("https://graph.example/v26.0/act_1/adspixels?fields=id&limit=100").unwrap();
        let last = serde_json::json!({"data": [], "paging": {"cursors": {"after": "C"}}});
        assert_eq!(next_page(&last, &first), None);
        let cursor = serde_json::json!({"data": [], "paging": {
            "cursors": {"after": "C2"},
            "next": "https://elsewhere.example/v26.0/act_1/adspixels?access_token=SECRET&after=C2"
        }});
        assert_eq!(
            next_page(&cursor, &first).unwrap().as_str(),
            "https://graph.example/v26.0/act_1/adspixels?fields=id&limit=100&after=C2"
        );
        let same_origin = serde_json::json!({"paging": {
            "next": "https://graph.example/v26.0/act_1/adspixels?access_token=SECRET&offset=100"
        }});
        assert_eq!(
            next_page(&same_origin, &first).unwrap().as_str(),
            "https://graph.example/v26.0/act_1/adspixels?offset=100"
        );
        let elsewhere = serde_json::json!({"paging": {
            "next": "https://elsewhere.example/v26.0/act_1/adspixels?offset=100"
        }});
        assert_eq!(next_page(&elsewhere, &first), None);
    }

    #[test]
    fn tokens_and_bases_are_checked() {
        let err = GraphAccess::new("https://graph.facebook.com", "v26.0", "  ".into(), None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("no access token"), "{err}");
        for base in ["graph.facebook.com", "ftp://x", "https://x/?access_token=t"] {
            let err = GraphAccess::new(base, "v26.0", "t".into(), None)
                .unwrap_err()
                .to_string();
            assert!(err.contains("(--api-base or META_GRAPH_URL)"), "{err}");
        }
        let debug = format!(
            "{:?}",
            GraphAccess::new("http://x", "v26.0", "SECRET".into(), Some("s".into())).unwrap()
        );
        assert!(!debug.contains("SECRET"), "{debug}");
    }
}
