//! Routes and handlers: the Graph paths the sandbox serves, and the order in
//! which a request meets faults, the token check and the event checks.
//!
//! Every request, on any path, first gets its number and its seeded plan,
//! waits its latency, then meets (in this order): a dropped connection, an
//! HTML 502, a transient 5xx, the rate limit, the token check (missing,
//! unknown, then expired), and for events (see [`super::events`]) the body
//! checks and `--reject-event`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, OriginalUri, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use super::SandboxConfig;
use super::conn::{ConnHandle, Handling};
use super::events;
use super::faults::{Fault, FaultPlan, RateLimitCode, RequestPlan};
use super::graph::{self, GraphError};
use super::record::{Counters, Recorder, SeenEvents};

/// Large enough for 1,000 events with every field filled, and for the
/// oversized batches the "more than 1,000 events" check exists to refuse.
const BODY_LIMIT: usize = 64 << 20;

/// A dataset of the fixed list the sandbox shows every ad account.
#[derive(Serialize)]
struct Dataset {
    id: &'static str,
    name: &'static str,
    is_consolidated_container: bool,
    last_fired_time: &'static str,
}

/// What `GET /{version}/act_{id}/adspixels` lists, for every ad account:
/// two current datasets and an offline event set left over from the
/// legacy API (not a consolidated container).
const DATASETS: [Dataset; 3] = [
    Dataset {
        id: "1234567890123456",
        name: "Sandbox store sales",
        is_consolidated_container: true,
        last_fired_time: "2026-07-28T09:15:00+0000",
    },
    Dataset {
        id: "2345678901234567",
        name: "Sandbox phone orders",
        is_consolidated_container: true,
        last_fired_time: "2026-07-27T17:40:12+0000",
    },
    Dataset {
        id: "3456789012345678",
        name: "Sandbox legacy offline event set",
        is_consolidated_container: false,
        last_fired_time: "2025-05-13T23:59:58+0000",
    },
];

/// State shared by every handler.
#[derive(Debug)]
pub struct AppState {
    pub config: SandboxConfig,
    pub faults: FaultPlan,
    pub counters: Counters,
    pub seen: SeenEvents,
    pub recorder: Option<Recorder>,
    pub activity: Activity,
}

/// When the sandbox last saw a request, for `--exit-after-idle`.
#[derive(Debug)]
pub struct Activity {
    since: Instant,
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    pub fn new() -> Activity {
        Activity {
            since: Instant::now(),
            last_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = self.since.elapsed().as_millis() as u64;
        self.last_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// How long no request has been in flight; zero while one is.
    pub fn idle_for(&self) -> Duration {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return Duration::ZERO;
        }
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.since.elapsed().saturating_sub(last)
    }
}

/// Marks a request in flight for as long as it lives.
struct InFlight(Arc<AppState>);

impl InFlight {
    fn enter(state: &Arc<AppState>) -> InFlight {
        state.activity.in_flight.fetch_add(1, Ordering::AcqRel);
        state.activity.touch();
        InFlight(state.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.activity.touch();
        self.0.activity.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/{version}/{node}", get(get_node))
        .route(
            "/{version}/{node}/{edge}",
            get(get_edge).post(events::post_edge),
        )
        .fallback(unknown_path)
        .method_not_allowed_fallback(unknown_path)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// A request that got past the faults and the rate limit.
pub(super) struct Admitted {
    pub(super) n: u64,
    /// Unix milliseconds when the request arrived (for the record).
    pub(super) arrived_ms: u64,
    pub(super) plan: RequestPlan,
    _in_flight: InFlight,
    _handling: Handling,
}

pub(super) type Answer = Result<Response, Response>;

impl AppState {
    /// A Graph error answer, counted by code.
    pub(super) fn refuse(&self, error: GraphError, plan: &RequestPlan) -> Response {
        self.counters.rejected(error.code);
        error.into_response(&plan.fbtrace_id)
    }

    /// Numbers the request, applies latency and the request-level faults.
    pub(super) async fn admit(
        self: &Arc<Self>,
        conn: &ConnHandle,
        query: Option<&str>,
        id: &str,
    ) -> Result<Admitted, Response> {
        let handling = conn.handling();
        let in_flight = InFlight::enter(self);
        let n = self.counters.next_request();
        let arrived_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let plan = self.faults.plan(n);
        if query_param(query, "access_token").is_some() {
            self.counters.token_in_url();
        }
        // Counted on arrival: a rate limit is about requests sent, whatever
        // later becomes of them.
        let over_limit = self.faults.over_rate_limit(Instant::now());
        if !plan.latency.is_zero() {
            tokio::time::sleep(plan.latency).await;
        }
        match plan.fault {
            Some(Fault::Drop) => {
                conn.cut();
                // Never written: the cut stream fails the write.
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
            Some(Fault::Html502) => return Err(graph::html_502()),
            Some(Fault::Transient { status }) => {
                return Err(self.refuse(GraphError::transient(status), &plan));
            }
            None => {}
        }
        if over_limit {
            let error = match plan.rate_limit_code {
                RateLimitCode::UserRequestLimit => GraphError::user_request_limit(),
                RateLimitCode::AdsManagement => GraphError::ads_management_limit(),
            };
            let mut response = self.refuse(error, &plan);
            let (name, value) =
                graph::business_use_case_usage(id, self.config.faults.regain_minutes);
            response.headers_mut().insert(name, value);
            return Err(response);
        }
        Ok(Admitted {
            n,
            arrived_ms,
            plan,
            _in_flight: in_flight,
            _handling: handling,
        })
    }

    /// The token check: missing or unknown, then expired.
    // The error is the finished answer, built once per refused request; its
    // size does not matter on this path.
    #[allow(clippy::result_large_err)]
    pub(super) fn check_token(
        &self,
        token: Option<&str>,
        plan: &RequestPlan,
    ) -> Result<(), Response> {
        let known = token.is_some_and(|t| {
            !t.is_empty() && self.config.token.as_deref().is_none_or(|want| want == t)
        });
        if !known {
            return Err(self.refuse(GraphError::invalid_token(), plan));
        }
        if plan.token_expired {
            return Err(self.refuse(GraphError::expired_token(), plan));
        }
        Ok(())
    }

    pub(super) fn now(&self) -> i64 {
        match self.config.now {
            Some(now) => now.as_second(),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        }
    }
}

/// The token from `Authorization: Bearer`, else from the URL query.
pub(super) fn outer_token<'a>(
    headers: &'a HeaderMap,
    query: Option<&'a str>,
) -> Option<std::borrow::Cow<'a, str>> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth")
        })
        .map(|(_, token)| token.trim().into());
    bearer.or_else(|| query_param(query, "access_token"))
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Graph versions look like `v26.0`.
pub(super) fn is_version(version: &str) -> bool {
    version
        .strip_prefix('v')
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(major, minor)| is_digits(major) && is_digits(minor))
}

pub(super) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

async fn get_node(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    Path((version, node)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Answer {
    let admitted = state.admit(&conn, query.as_deref(), &node).await?;
    let plan = &admitted.plan;
    if !is_version(&version) {
        return Err(state.refuse(GraphError::unknown_path(uri.path()), plan));
    }
    state.check_token(outer_token(&headers, query.as_deref()).as_deref(), plan)?;
    if !is_digits(&node) {
        return Err(state.refuse(GraphError::no_such_object("get", &node), plan));
    }
    // `check` asks for these three fields; datasets outside the fixed list
    // exist too, so any numeric id can be tried.
    #[derive(Serialize)]
    struct Node<'a> {
        id: &'a str,
        name: String,
        is_consolidated_container: bool,
    }
    let known = DATASETS.iter().find(|d| d.id == node);
    Ok(graph::json_response(&Node {
        id: &node,
        name: known.map_or_else(|| format!("Sandbox dataset {node}"), |d| d.name.to_owned()),
        is_consolidated_container: known.is_none_or(|d| d.is_consolidated_container),
    }))
}

async fn get_edge(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    Path((version, node, edge)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Answer {
    let admitted = state.admit(&conn, query.as_deref(), &node).await?;
    let plan = &admitted.plan;
    if !is_version(&version) || edge != "adspixels" {
        return Err(state.refuse(GraphError::unknown_path(uri.path()), plan));
    }
    state.check_token(outer_token(&headers, query.as_deref()).as_deref(), plan)?;
    if !node.strip_prefix("act_").is_some_and(is_digits) {
        return Err(state.refuse(GraphError::no_such_object("get", &node), plan));
    }
    Ok(graph::json_response(
        &serde_json::json!({ "data": DATASETS }),
    ))
}

async fn unknown_path(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    RawQuery(query): RawQuery,
    OriginalUri(uri): OriginalUri,
) -> Answer {
    let admitted = state.admit(&conn, query.as_deref(), "sandbox").await?;
    Err(state.refuse(GraphError::unknown_path(uri.path()), &admitted.plan))
}
