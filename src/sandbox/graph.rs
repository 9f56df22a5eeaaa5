//! Graph API answers in Meta's shapes: the error body and the HTTP status and
//! headers that go with each kind of error, the success body, and the HTML
//! page a load balancer sends instead of an answer.
//!
//! Optional error fields (`error_subcode`, `error_user_title`,
//! `error_user_msg`) are present when Meta sends them for that kind of error,
//! and every code-100 error has all three. The subcodes of code-100 errors are
//! the sandbox's own (Meta documents few); clients branch on `code` and
//! `is_transient`, and take the event index from `error_user_msg`.

use std::borrow::Cow;

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The `error` object of a Graph error answer (without `fbtrace_id`, which
/// belongs to the request and is added when the answer is built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphError {
    pub message: Cow<'static, str>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub code: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_user_title: Option<Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_user_msg: Option<String>,
    pub is_transient: bool,
    #[serde(skip)]
    pub status: u16,
}

impl GraphError {
    /// Code 100, the code of every refused events request: one bad event
    /// refuses the whole request.
    pub fn invalid_parameter(subcode: u32, title: &'static str, user_msg: String) -> GraphError {
        GraphError {
            message: "Invalid parameter".into(),
            kind: "OAuthException",
            code: 100,
            error_subcode: Some(subcode),
            error_user_title: Some(title.into()),
            error_user_msg: Some(user_msg),
            is_transient: false,
            status: 400,
        }
    }

    /// Code 190 for a missing or unknown token.
    pub fn invalid_token() -> GraphError {
        GraphError {
            message: "Invalid OAuth access token.".into(),
            kind: "OAuthException",
            code: 190,
            error_subcode: None,
            error_user_title: None,
            error_user_msg: None,
            is_transient: false,
            status: 400,
        }
    }

    /// Code 190, subcode 463: the token was good and has expired.
    pub fn expired_token() -> GraphError {
        GraphError {
            message: "Error validating access token: Session has expired.".into(),
            error_subcode: Some(463),
            ..GraphError::invalid_token()
        }
    }

    /// Code 2, the temporary error Meta asks clients to retry.
    pub fn transient(status: u16) -> GraphError {
        GraphError {
            message: "An unexpected error has occurred. Please retry your request later.".into(),
            kind: "OAuthException",
            code: 2,
            error_subcode: None,
            error_user_title: None,
            error_user_msg: None,
            is_transient: true,
            status,
        }
    }

    /// Code 17, "User request limit reached" (HTTP 400, as Meta sends it).
    pub fn user_request_limit() -> GraphError {
        GraphError {
            message: "User request limit reached".into(),
            kind: "OAuthException",
            code: 17,
            error_subcode: Some(2_446_079),
            error_user_title: None,
            error_user_msg: None,
            is_transient: true,
            status: 400,
        }
    }

    /// Code 80004, the ads-management business use case limit (HTTP 429).
    pub fn ads_management_limit() -> GraphError {
        GraphError {
            message: "There have been too many calls to this ad-account. Wait a bit and try again."
                .into(),
            code: 80004,
            status: 429,
            ..GraphError::user_request_limit()
        }
    }

    /// Code 100, subcode 33: the node does not exist (a dataset id that is
    /// not a number, say).
    pub fn no_such_object(method: &str, id: &str) -> GraphError {
        GraphError {
            message: format!(
                "Unsupported {method} request. Object with ID '{id}' does not exist, \
                 cannot be loaded due to missing permissions, or does not support this operation."
            )
            .into(),
            kind: "GraphMethodException",
            code: 100,
            error_subcode: Some(33),
            error_user_title: Some("Object Not Found".into()),
            error_user_msg: Some(format!(
                "'{id}' is not a dataset or ad account id: ids are numbers."
            )),
            is_transient: false,
            status: 400,
        }
    }

    /// Code 2500 for a path the Graph API does not have.
    pub fn unknown_path(path: &str) -> GraphError {
        GraphError {
            message: format!("Unknown path components: {path}").into(),
            kind: "OAuthException",
            code: 2500,
            error_subcode: None,
            error_user_title: None,
            error_user_msg: None,
            is_transient: false,
            status: 400,
        }
    }

    /// The answer carrying this error.
    pub fn into_response(self, fbtrace_id: &str) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: WithTrace<'a>,
        }
        #[derive(Serialize)]
        struct WithTrace<'a> {
            #[serde(flatten)]
            error: &'a GraphError,
            fbtrace_id: &'a str,
        }
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = Body {
            error: WithTrace {
                error: &self,
                fbtrace_id,
            },
        };
        let mut response = (status, json_body(&body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, json_content_type());
        if self.code == 190 {
            // Meta names OAuth failures in this header too.
            let value = format!(
                "OAuth \"Facebook Platform\" \"invalid_token\" \"{}\"",
                self.message
            );
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(header::WWW_AUTHENTICATE, value);
            }
        }
        if self.code == 17 || self.code == 80004 {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// `X-Business-Use-Case-Usage` for a rate-limited answer about `id` (the
/// dataset or ad account). `estimated_time_to_regain_access` is in minutes in
/// Meta's API; 0 keeps clients that honour it quick in tests, and
/// `Retry-After: 1` gives them a wait in seconds.
pub fn business_use_case_usage(id: &str, regain_minutes: u64) -> (HeaderName, HeaderValue) {
    let usage = serde_json::json!({
        id: [{
            "type": "ads_management",
            "call_count": 100,
            "total_cputime": 20,
            "total_time": 20,
            "estimated_time_to_regain_access": regain_minutes
        }]
    });
    let value = HeaderValue::from_str(&usage.to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("{}"));
    (HeaderName::from_static("x-business-use-case-usage"), value)
}

/// The success answer to an events request.
pub fn events_received(count: usize, fbtrace_id: &str) -> Response {
    let body = serde_json::json!({
        "events_received": count,
        "messages": [],
        "fbtrace_id": fbtrace_id,
    });
    json_response(&body)
}

/// A 200 answer with this JSON body.
pub fn json_response<T: Serialize>(body: &T) -> Response {
    let mut response = json_body(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, json_content_type());
    response
}

/// The page a load balancer sends when the backend fails: not JSON at all.
pub fn html_502() -> Response {
    const PAGE: &str = "<html><head><title>502 Bad Gateway</title></head>\
        <body><center><h1>502 Bad Gateway</h1></center><hr><center>proxygen</center></body></html>\n";
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        PAGE,
    )
        .into_response()
}

fn json_body<T: Serialize>(body: &T) -> Vec<u8> {
    // Serializing these plain structs cannot fail; an empty body would show it did.
    serde_json::to_vec(body).unwrap_or_default()
}

fn json_content_type() -> HeaderValue {
    HeaderValue::from_static("application/json; charset=UTF-8")
}
