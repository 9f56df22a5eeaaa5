//! Unit tests of the Graph account calls.

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
