//! `POST /{version}/{dataset_id}/events`: read the body (JSON or form),
//! check the token and every event, then refuse the whole request or accept
//! it: deduplicate, count, record.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, OriginalUri, Path, RawQuery, State};
use axum::http::{HeaderMap, header};

use super::body::{self, RawData};
use super::checks::{self, CheckedEvent, EventProblem, Refusal};
use super::conn::ConnHandle;
use super::graph::{self, GraphError};
use super::record::AcceptedRequest;
use super::server::{Answer, AppState, is_digits, is_version, outer_token};

pub(super) async fn post_edge(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    Path((version, node, edge)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let admitted = state.admit(&conn, query.as_deref(), &node).await?;
    let plan = &admitted.plan;
    if !is_version(&version) || edge != "events" {
        return Err(state.refuse(GraphError::unknown_path(uri.path()), plan));
    }
    // A token outside the body is checked before the body is read, so a
    // bad token is reported as such even with a malformed body.
    let outer = outer_token(&headers, query.as_deref());
    if let Some(token) = &outer {
        state.check_token(Some(token), plan)?;
    }
    if !is_digits(&node) {
        return Err(state.refuse(GraphError::no_such_object("post", &node), plan));
    }
    let body = body.map_err(|rejection| {
        let msg = format!(
            "The request body could not be read: {}",
            rejection.body_text()
        );
        state.refuse(
            GraphError::invalid_parameter(2_804_001, "Malformed Request Body", msg),
            plan,
        )
    })?;
    let malformed = |e: body::MalformedBody| {
        state.refuse(
            GraphError::invalid_parameter(2_804_001, "Malformed Request Body", e.0),
            plan,
        )
    };
    let mut request = if is_form(&headers, &body) {
        body::parse_form(&body)
    } else {
        body::parse_json(&body).map_err(malformed)?
    };
    if outer.is_none() {
        state.check_token(request.access_token.as_deref(), plan)?;
    }
    let refuse = |refusal: Refusal| state.refuse(refusal.to_graph_error(), plan);
    let data = request.data.take();
    let parsed;
    let events = match &data {
        None => return Err(refuse(Refusal::NoData)),
        Some(RawData::Events(events)) => events,
        // Form bodies (and some JSON ones) carry the events as JSON text.
        Some(RawData::Text(text)) => {
            parsed = body::parse_data(text).map_err(malformed)?;
            match &parsed {
                RawData::Events(events) => events,
                RawData::Text(_) => return Err(refuse(Refusal::DataNotList("a string"))),
                RawData::Other(found) => return Err(refuse(Refusal::DataNotList(found))),
            }
        }
        Some(RawData::Other(found)) => return Err(refuse(Refusal::DataNotList(found))),
    };
    let checked = checks::check_events(events, state.now()).map_err(refuse)?;
    if let Some(index) = checked.iter().position(|e| refused_by_fault(&state, e)) {
        let problem = EventProblem::RefusedByFault;
        return Err(refuse(Refusal::Event { index, problem }));
    }
    let keys: Vec<Option<u64>> = checked.iter().map(|e| state.seen.key(e)).collect();
    let duplicates = state.seen.insert(&keys);
    let duplicate_count = duplicates.iter().filter(|&&d| d).count();
    state
        .counters
        .accepted(checked.len() as u64, duplicate_count as u64);
    if let Some(recorder) = &state.recorder {
        recorder.record(&AcceptedRequest {
            dataset: &node,
            upload_tag: request.upload_tag.as_deref(),
            request: admitted.n,
            arrived_ms: admitted.arrived_ms,
            events: &checked,
            duplicates: &duplicates,
        });
    }
    Ok(graph::events_received(checked.len(), &plan.fbtrace_id))
}

/// `--reject-event`: decided by the event's identity alone, so the event is
/// refused again when the client resends it without its neighbours.
fn refused_by_fault(state: &AppState, event: &CheckedEvent<'_>) -> bool {
    match event.event_id {
        Some(id) => state.faults.rejects_event(&[id.as_bytes()]),
        // Without an id, name and time identify the event: a retry keeps both.
        None => state
            .faults
            .rejects_event(&[event.event_name.as_bytes(), &event.event_time.to_le_bytes()]),
    }
}

/// A form body, by its content type, unless it plainly holds a JSON object:
/// clients (curl -d among them) often send JSON under the form content type,
/// and Graph reads it all the same. A form field name never starts with `{`.
fn is_form(headers: &HeaderMap, body: &[u8]) -> bool {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    form_type && body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{')
}
