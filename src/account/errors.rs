//! What can go wrong in a Graph call, and the advice each failure carries.

use super::*;

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

pub(super) fn graph_detail(code: i64, message: &str, fbtrace_id: Option<&str>) -> String {
    match fbtrace_id {
        Some(trace) => format!("Graph error {code}: {message}; fbtrace_id {trace}"),
        None => format!("Graph error {code}: {message}"),
    }
}

/// Whether an attempt is worth repeating.
#[derive(Debug)]
pub(super) enum Failure {
    Retry(AccountError),
    Stop(AccountError),
}

/// Graph's `error` object; every field is optional because proxies and
/// old API versions send partial ones.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct GraphErrorBody {
    message: Option<String>,
    code: Option<i64>,
    error_user_msg: Option<String>,
    fbtrace_id: Option<String>,
    is_transient: Option<bool>,
}

/// Turns an HTTP answer into its JSON or a classified error.
pub(super) fn interpret(status: u16, text: &str, target: &Target) -> Result<Value, Failure> {
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
pub(super) fn classify(status: u16, body: GraphErrorBody, target: &Target) -> Failure {
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
