//! Integration tests of `offconv sandbox`: the real binary on a loopback
//! port, driven over HTTP, one test per check and per fault, asserting what a
//! client sees (statuses, Graph error shapes, headers), the `--record` lines
//! and the summary line printed at shutdown. The last test starts the sandbox
//! in-process through the library API, as `upload --sandbox` does.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The fixed clock of every test (`--now`), and event times around it.
const NOW_RFC3339: &str = "2026-07-29T12:00:00Z";
const DAY: i64 = 86_400;

fn now() -> i64 {
    NOW_RFC3339
        .parse::<jiff::Timestamp>()
        .expect("valid RFC 3339")
        .as_second()
}

fn sha(s: &str) -> String {
    const_hex::encode(Sha256::digest(s.as_bytes()))
}

/// A valid physical-store event a day old.
fn event(id: &str) -> Value {
    json!({
        "event_name": "Purchase",
        "event_time": now() - DAY,
        "action_source": "physical_store",
        "event_id": id,
        "user_data": {"em": [sha("jane@example.com")], "ph": sha("15551234567"), "external_id": "L-1"},
        "custom_data": {"value": 12.5, "currency": "USD", "order_id": id},
    })
}

fn events(n: usize, prefix: &str) -> Vec<Value> {
    (0..n).map(|i| event(&format!("{prefix}{i}"))).collect()
}

/// A running `offconv sandbox` child.
struct Sandbox {
    child: Child,
    stdout: BufReader<ChildStdout>,
    url: String,
}

impl Sandbox {
    /// Starts the binary with `args` (after `--listen 127.0.0.1:0 --now …`)
    /// and reads its first line for the address.
    fn spawn(args: &[&str]) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_offconv"))
            .args(["sandbox", "--listen", "127.0.0.1:0", "--now", NOW_RFC3339])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn offconv sandbox");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("first line");
        let url = first
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Sandbox { child, stdout, url }
    }

    fn events_url(&self) -> String {
        format!("{}/v26.0/1234567890123456/events", self.url)
    }

    /// Sends SIGINT and returns the summary line.
    fn interrupt(self) -> Value {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        self.finish()
    }

    /// Waits for the process to exit (at most 10 s) and returns its summary:
    /// the only line printed after the address.
    fn finish(mut self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "sandbox did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{status}");
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).expect("stdout");
        let lines: Vec<&str> = rest.lines().collect();
        assert_eq!(lines.len(), 1, "one summary line: {rest:?}");
        serde_json::from_str(lines[0]).expect("summary is JSON")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // A failed assertion must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        // A fresh connection per request: a dropped one cannot leak into the next.
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

/// An answer as a test looks at it.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn code(&self) -> i64 {
        self.body["error"]["code"].as_i64().unwrap_or(0)
    }

    fn user_msg(&self) -> &str {
        self.body["error"]["error_user_msg"].as_str().unwrap_or("")
    }
}

async fn read(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        body,
    }
}

async fn post(url: &str, body: &Value) -> Answer {
    let response = client()
        .post(url)
        .bearer_auth("T")
        .json(body)
        .send()
        .await
        .expect("send");
    read(response).await
}

async fn get(url: &str) -> Answer {
    let response = client()
        .get(url)
        .bearer_auth("T")
        .send()
        .await
        .expect("send");
    read(response).await
}

/// Asserts a whole-request refusal in Meta's shape.
fn assert_graph_error(answer: &Answer, status: u16, code: i64) {
    assert_eq!(answer.status.as_u16(), status, "{answer:?}");
    let error = &answer.body["error"];
    assert_eq!(error["code"], code, "{answer:?}");
    assert!(error["message"].is_string(), "{answer:?}");
    assert!(error["type"].is_string(), "{answer:?}");
    assert!(error["is_transient"].is_boolean(), "{answer:?}");
    assert_eq!(
        error["fbtrace_id"].as_str().map(str::len),
        Some(23),
        "{answer:?}"
    );
    if code == 100 {
        for field in ["error_subcode", "error_user_title", "error_user_msg"] {
            assert!(!error[field].is_null(), "{field} in {answer:?}");
        }
    }
}

/// The index a client reads from `error_user_msg`, as the module doc says.
fn bad_index(answer: &Answer) -> Option<usize> {
    let msg = answer.user_msg();
    let start = msg.find("data[")? + "data[".len();
    let end = start + msg[start..].find(']')?;
    msg[start..end].parse().ok()
}

/// The record's lines without `arrived_ms` (a clock reading), which is
/// checked for being a recent Unix time in milliseconds and removed.
fn record_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("record file")
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("record line is JSON");
            let arrived = v
                .as_object_mut()
                .and_then(|o| o.remove("arrived_ms"))
                .and_then(|a| a.as_u64())
                .expect("arrived_ms in every record line");
            assert!(
                arrived > 1_700_000_000_000,
                "arrived_ms is Unix milliseconds: {arrived}"
            );
            v
        })
        .collect()
}

#[tokio::test]
async fn accepts_valid_batches_records_them_and_counts_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("record.ndjson");
    let sandbox = Sandbox::spawn(&["--record", record.to_str().unwrap()]);

    let body = json!({"data": [event("a"), event("b")], "upload_tag": "nightly-1"});
    let answer = post(&sandbox.events_url(), &body).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["events_received"], 2);
    assert_eq!(answer.body["messages"], json!([]));
    assert_eq!(answer.body["fbtrace_id"].as_str().map(str::len), Some(23));

    // Form-encoded, as Meta's SDKs send: `data` is JSON text; token in the form.
    let data = json!([event("b"), event("c")]).to_string();
    let form = [
        ("data", data.as_str()),
        ("access_token", "T"),
        ("upload_tag", "nightly-1"),
    ];
    let response = client()
        .post(sandbox.events_url())
        .form(&form)
        .send()
        .await
        .unwrap();
    let answer = read(response).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    assert_eq!(answer.body["events_received"], 2);

    let summary = sandbox.interrupt();
    assert_eq!(
        summary,
        json!({"requests": 2, "accepted_events": 4, "rejected_requests": {}, "duplicates": 1, "token_in_url": 0})
    );
    let line = |id: &str, request: u64, dedup: bool| {
        json!({
            "dataset": "1234567890123456", "upload_tag": "nightly-1", "event_name": "Purchase",
            "event_id": id, "event_time": now() - DAY,
            "user_data_keys": ["em", "ph", "external_id"], "request": request, "dedup": dedup,
        })
    };
    assert_eq!(
        record_lines(&record),
        [
            line("a", 1, false),
            line("b", 1, false),
            line("b", 2, true),
            line("c", 2, false)
        ]
    );
}

#[tokio::test]
async fn token_from_header_body_or_query_and_query_is_counted() {
    let sandbox = Sandbox::spawn(&["--token", "secret"]);
    let url = sandbox.events_url();
    let one = json!({"data": [event("x")]});
    let c = client();

    let header = c
        .post(&url)
        .bearer_auth("secret")
        .json(&one)
        .send()
        .await
        .unwrap();
    assert_eq!(read(header).await.status, StatusCode::OK);
    let in_body = json!({"data": [event("y")], "access_token": "secret"});
    assert_eq!(
        read(c.post(&url).json(&in_body).send().await.unwrap())
            .await
            .status,
        StatusCode::OK
    );
    let in_query = c
        .post(format!("{url}?access_token=secret"))
        .json(&one)
        .send()
        .await
        .unwrap();
    assert_eq!(read(in_query).await.status, StatusCode::OK);

    let missing = read(c.post(&url).json(&one).send().await.unwrap()).await;
    assert_graph_error(&missing, 400, 190);
    assert_eq!(
        missing.body["error"]["message"],
        "Invalid OAuth access token."
    );
    assert_eq!(missing.body["error"]["type"], "OAuthException");
    let wrong = read(
        c.post(&url)
            .bearer_auth("other")
            .json(&one)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_graph_error(&wrong, 400, 190);
    let wrong_in_query = c
        .post(format!("{url}?access_token=nope"))
        .json(&one)
        .send()
        .await
        .unwrap();
    assert_graph_error(&read(wrong_in_query).await, 400, 190);

    let summary = sandbox.interrupt();
    assert_eq!(summary["token_in_url"], 2);
    assert_eq!(summary["rejected_requests"], json!({"190": 3}));
    assert_eq!(summary["accepted_events"], 3);
    assert_eq!(summary["duplicates"], 1);
}

/// Each of Meta's checks refuses the whole request with code 100 and names
/// the first bad event as `data[INDEX]`.
#[tokio::test]
async fn each_check_refuses_the_whole_request_naming_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("record.ndjson");
    let sandbox = Sandbox::spawn(&["--record", record.to_str().unwrap()]);
    let url = sandbox.events_url();

    let with = |f: &dyn Fn(&mut Value)| {
        let mut e = event("bad");
        f(&mut e);
        e
    };
    let without = |field: &str| {
        let mut e = event("bad");
        e.as_object_mut().unwrap().remove(field);
        e
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("no event_name", without("event_name"), "event_name"),
        ("no event_time", without("event_time"), "event_time"),
        (
            "no action_source",
            without("action_source"),
            "action_source",
        ),
        (
            "63 days old",
            with(&|e| e["event_time"] = json!(now() - 63 * DAY)),
            "62 days",
        ),
        (
            "website 8 days old",
            with(&|e| {
                e["action_source"] = json!("website");
                e["event_time"] = json!(now() - 8 * DAY);
            }),
            "7 days",
        ),
        (
            "11 minutes ahead",
            with(&|e| e["event_time"] = json!(now() + 660)),
            "in the future",
        ),
        (
            "raw email",
            with(&|e| e["user_data"]["em"] = json!(["jane@example.com"])),
            "user_data.em",
        ),
        (
            "uppercase hash",
            with(&|e| e["user_data"]["ph"] = json!(sha("x").to_uppercase())),
            "user_data.ph",
        ),
        (
            "raw zip",
            with(&|e| e["user_data"]["zp"] = json!("60601")),
            "user_data.zp",
        ),
        (
            "no customer info",
            with(&|e| e["user_data"] = json!({})),
            "no customer information",
        ),
        (
            "no user_data",
            without("user_data"),
            "no customer information",
        ),
        ("not an object", json!("Purchase"), "must be an object"),
    ];
    for (index, (name, bad, reason)) in cases.into_iter().enumerate() {
        // The bad event sits after `index` good ones, so every case checks a
        // different index.
        let mut batch = events(index, &format!("ok{index}-"));
        batch.push(bad);
        batch.extend(events(2, &format!("after{index}-")));
        let answer = post(&url, &json!({"data": batch})).await;
        assert_graph_error(&answer, 400, 100);
        assert_eq!(bad_index(&answer), Some(index), "{name}: {answer:?}");
        assert!(
            answer
                .user_msg()
                .starts_with(&format!("Invalid parameter at data[{index}]: ")),
            "{name}: {answer:?}"
        );
        assert!(answer.user_msg().contains(reason), "{name}: {answer:?}");
        assert!(
            !answer.user_msg().contains("jane"),
            "no PII echoed: {answer:?}"
        );
    }

    // external_id may be any string, or a list of them.
    let mut free_form = event("ext");
    free_form["user_data"] = json!({"external_id": ["Loyalty 42", "x"]});
    assert_eq!(
        post(&url, &json!({"data": [free_form]})).await.status,
        StatusCode::OK
    );

    // Whole-request refusals name no event.
    let too_many = post(&url, &json!({"data": events(1001, "many")})).await;
    assert_graph_error(&too_many, 400, 100);
    assert_eq!(bad_index(&too_many), None);
    assert!(too_many.user_msg().contains("1000"), "{too_many:?}");
    let exactly_1000 = post(&url, &json!({"data": events(1000, "max")})).await;
    assert_eq!(exactly_1000.body["events_received"], 1000);
    assert_graph_error(&post(&url, &json!({"upload_tag": "x"})).await, 400, 100);

    // Form-encoded bodies are checked the same way.
    let data = json!([event("f0"), {"event_name": "Purchase"}]).to_string();
    let form = [("data", data.as_str()), ("access_token", "T")];
    let answer = read(client().post(&url).form(&form).send().await.unwrap()).await;
    assert_graph_error(&answer, 400, 100);
    assert_eq!(bad_index(&answer), Some(1));

    let summary = sandbox.interrupt();
    assert_eq!(summary["rejected_requests"], json!({"100": 15}));
    assert_eq!(summary["accepted_events"], 1001);
    // Refused requests leave nothing in the record.
    let recorded = record_lines(&record);
    assert_eq!(recorded.len(), 1001);
    assert!(
        recorded
            .iter()
            .all(|l| l["event_id"] == "ext" || l["event_id"].as_str().unwrap().starts_with("max"))
    );
}

#[tokio::test]
async fn malformed_bodies_get_graph_errors_not_crashes() {
    let sandbox = Sandbox::spawn(&[]);
    let url = sandbox.events_url();
    let bodies: [&[u8]; 9] = [
        b"",
        b"{",
        b"not json",
        b"[1,2,3]",
        b"{\"data\": {\"a\": 1}}",
        b"{\"data\": \"[{]\"}",
        b"{\"data\": [[], null, 7]}",
        b"{\"data\": [{\"user_data\": [1], \"event_time\": {}}]}",
        b"\xff\xfe\x00garbage",
    ];
    for body in bodies {
        let response = client()
            .post(&url)
            .bearer_auth("T")
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let answer = read(response).await;
        assert_graph_error(&answer, 400, 100);
    }
    // Still serving.
    assert_eq!(
        post(&url, &json!({"data": [event("ok")]})).await.status,
        StatusCode::OK
    );
    let summary = sandbox.interrupt();
    assert_eq!(summary["rejected_requests"], json!({"100": 9}));
}

#[tokio::test]
async fn serves_check_and_datasets_endpoints() {
    let sandbox = Sandbox::spawn(&[]);
    let dataset = get(&format!("{}/v26.0/1234567890123456", sandbox.url)).await;
    assert_eq!(dataset.status, StatusCode::OK);
    assert_eq!(
        dataset.body,
        json!({"id": "1234567890123456", "name": "Sandbox store sales", "is_consolidated_container": true})
    );
    let any = get(&format!("{}/v26.0/42?fields=id,name", sandbox.url)).await;
    assert_eq!(any.body["id"], "42");

    let list = get(&format!("{}/v26.0/act_1001/adspixels", sandbox.url)).await;
    assert_eq!(list.status, StatusCode::OK);
    let data = list.body["data"].as_array().expect("Graph list shape");
    assert_eq!(data.len(), 3);
    for dataset in data {
        for field in ["id", "name", "is_consolidated_container", "last_fired_time"] {
            assert!(!dataset[field].is_null(), "{field} in {dataset}");
        }
    }

    let no_token = read(
        client()
            .get(format!("{}/v26.0/42", sandbox.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_graph_error(&no_token, 400, 190);
    assert_graph_error(
        &get(&format!("{}/v26.0/not-a-number", sandbox.url)).await,
        400,
        100,
    );
    assert_graph_error(&get(&format!("{}/nope", sandbox.url)).await, 400, 2500);
    let summary = sandbox.interrupt();
    assert_eq!(summary["requests"], 6);
    assert_eq!(
        summary["rejected_requests"],
        json!({"100": 1, "190": 1, "2500": 1})
    );
}

// Faults. Each is reproducible from --seed: sequential requests get
// sequential numbers, so a run with the same seed sees the same faults.

/// Outcome of one request, for comparing fault patterns between runs.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Answered(u16, i64),
    Dropped,
}

async fn outcomes(sandbox: &Sandbox, n: usize) -> Vec<Outcome> {
    let mut seen = Vec::new();
    for i in 0..n {
        let body = json!({"data": [event(&format!("e{i}"))]});
        let sent = client()
            .post(sandbox.events_url())
            .bearer_auth("T")
            .json(&body)
            .send()
            .await;
        seen.push(match sent {
            Ok(response) => {
                let answer = read(response).await;
                Outcome::Answered(answer.status.as_u16(), answer.code())
            }
            Err(e) => {
                assert!(!e.is_connect(), "the sandbox must stay up: {e}");
                Outcome::Dropped
            }
        });
    }
    seen
}

#[tokio::test]
async fn fail_rate_answers_transient_5xx_reproducibly() {
    let args = ["--seed", "7", "--fail-rate", "0.5"];
    let first = Sandbox::spawn(&args);
    let pattern = outcomes(&first, 16).await;
    let summary = first.interrupt();
    let second = Sandbox::spawn(&args);
    assert_eq!(
        outcomes(&second, 16).await,
        pattern,
        "same seed, same faults"
    );
    drop(second);

    let failed = pattern
        .iter()
        .filter(|o| !matches!(o, Outcome::Answered(200, 0)))
        .count();
    assert!((2..=14).contains(&failed), "{pattern:?}");
    for outcome in &pattern {
        assert!(
            matches!(outcome, Outcome::Answered(200 | 500 | 503, _)),
            "{outcome:?}"
        );
    }
    assert_eq!(summary["rejected_requests"], json!({"2": failed}));

    let always = Sandbox::spawn(&["--fail-rate", "1"]);
    let answer = post(&always.events_url(), &json!({"data": [event("a")]})).await;
    assert!(matches!(answer.status.as_u16(), 500 | 503), "{answer:?}");
    assert_graph_error(&answer, answer.status.as_u16(), 2);
    assert_eq!(answer.body["error"]["is_transient"], true);
}

#[tokio::test]
async fn drop_rate_closes_connections_without_an_answer() {
    let args = ["--seed", "3", "--drop-rate", "0.5"];
    let first = Sandbox::spawn(&args);
    let pattern = outcomes(&first, 12).await;
    let summary = first.interrupt();
    let second = Sandbox::spawn(&args);
    assert_eq!(outcomes(&second, 12).await, pattern);
    drop(second);
    let dropped = pattern.iter().filter(|o| **o == Outcome::Dropped).count();
    assert!((1..=11).contains(&dropped), "{pattern:?}");
    assert_eq!(summary["requests"], 12);
    assert_eq!(summary["accepted_events"], 12 - dropped as u64);

    let always = Sandbox::spawn(&["--drop-rate", "1"]);
    assert_eq!(
        outcomes(&always, 2).await,
        [Outcome::Dropped, Outcome::Dropped]
    );
    assert_eq!(always.interrupt()["requests"], 2);
}

#[tokio::test]
async fn html_502_rate_sends_a_load_balancer_page() {
    let sandbox = Sandbox::spawn(&["--html-502-rate", "1"]);
    let response = client()
        .post(sandbox.events_url())
        .bearer_auth("T")
        .json(&json!({"data": [event("a")]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let text = response.text().await.unwrap();
    assert!(text.starts_with("<html>"), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
    let summary = sandbox.interrupt();
    assert_eq!(summary["requests"], 1);
    assert_eq!(summary["rejected_requests"], json!({}));
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sandbox = Sandbox::spawn(&["--latency-ms", "150-200"]);
    for _ in 0..2 {
        let start = Instant::now();
        let answer = post(&sandbox.events_url(), &json!({"data": [event("a")]})).await;
        let elapsed = start.elapsed();
        assert_eq!(answer.status, StatusCode::OK);
        assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    }
}

#[tokio::test]
async fn rate_limit_refuses_requests_above_n_per_second_with_usage_headers() {
    let sandbox = Sandbox::spawn(&["--seed", "5", "--rate-limit", "2"]);
    let mut answers = Vec::new();
    for i in 0..5 {
        answers.push(
            post(
                &sandbox.events_url(),
                &json!({"data": [event(&format!("r{i}"))]}),
            )
            .await,
        );
    }
    assert!(
        answers[..2].iter().all(|a| a.status == StatusCode::OK),
        "{answers:?}"
    );
    for answer in &answers[2..] {
        match answer.code() {
            17 => assert_graph_error(answer, 400, 17),
            80004 => assert_graph_error(answer, 429, 80004),
            other => panic!("code {other}: {answer:?}"),
        }
        assert_eq!(answer.body["error"]["is_transient"], true);
        assert_eq!(answer.headers["retry-after"], "1");
        let usage: Value = serde_json::from_str(
            answer.headers["x-business-use-case-usage"]
                .to_str()
                .unwrap(),
        )
        .expect("usage header is JSON");
        let entry = &usage["1234567890123456"][0];
        assert_eq!(entry["type"], "ads_management");
        assert_eq!(entry["estimated_time_to_regain_access"], 0);
    }
    // The next window admits requests again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        post(&sandbox.events_url(), &json!({"data": [event("later")]}))
            .await
            .status,
        StatusCode::OK
    );
    let summary = sandbox.interrupt();
    let limited: u64 = summary["rejected_requests"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(limited, 3);
    assert_eq!(summary["accepted_events"], 3);
}

#[tokio::test]
async fn rate_limit_code_is_chosen_by_the_seed() {
    let codes = |sandbox: Sandbox| async move {
        let seen: Vec<i64> = outcomes(&sandbox, 12)
            .await
            .into_iter()
            .map(|o| match o {
                Outcome::Answered(400, 17) => 17,
                Outcome::Answered(429, 80004) => 80004,
                other => panic!("{other:?}"),
            })
            .collect();
        seen
    };
    let args = ["--seed", "9", "--rate-limit", "0"];
    let first = codes(Sandbox::spawn(&args)).await;
    assert_eq!(codes(Sandbox::spawn(&args)).await, first);
    assert!(first.contains(&17) && first.contains(&80004), "{first:?}");
}

#[tokio::test]
async fn token_expires_after_n_requests() {
    let sandbox = Sandbox::spawn(&["--expire-token-after", "2"]);
    let mut answers = Vec::new();
    for i in 0..4 {
        answers.push(
            post(
                &sandbox.events_url(),
                &json!({"data": [event(&format!("t{i}"))]}),
            )
            .await,
        );
    }
    assert_eq!(answers[0].status, StatusCode::OK);
    assert_eq!(answers[1].status, StatusCode::OK);
    for answer in &answers[2..] {
        assert_graph_error(answer, 400, 190);
        assert_eq!(answer.body["error"]["error_subcode"], 463);
    }
    let summary = sandbox.interrupt();
    assert_eq!(summary["rejected_requests"], json!({"190": 2}));
}

/// The uploader's isolation loop: drop the named event, resend the rest,
/// until the request is accepted. Every refused event is refused again when
/// sent alone, whatever its request number.
#[tokio::test]
async fn reject_event_refuses_the_same_events_when_retried() {
    async fn isolate(sandbox: &Sandbox) -> (Vec<String>, usize) {
        let mut pending = events(30, "iso-");
        let mut refused = Vec::new();
        loop {
            let answer = post(&sandbox.events_url(), &json!({"data": pending})).await;
            if answer.status == StatusCode::OK {
                return (refused, pending.len());
            }
            assert_graph_error(&answer, 400, 100);
            let index = bad_index(&answer).expect("the refusal names an event");
            assert!(answer.user_msg().contains("--reject-event"), "{answer:?}");
            let event = pending.remove(index);
            refused.push(event["event_id"].as_str().unwrap().to_owned());
            // Alone, at a new request number, it is refused again.
            let alone = post(&sandbox.events_url(), &json!({"data": [event]})).await;
            assert_eq!(bad_index(&alone), Some(0), "{alone:?}");
        }
    }
    let args = ["--seed", "11", "--reject-event", "0.2"];
    let first = Sandbox::spawn(&args);
    let (refused, accepted) = isolate(&first).await;
    assert!(!refused.is_empty() && refused.len() < 20, "{refused:?}");
    assert_eq!(refused.len() + accepted, 30);
    let summary = first.interrupt();
    assert_eq!(summary["accepted_events"], accepted);

    // Same seed, same refused events; a request number that differs (one
    // request sent first) changes nothing.
    let second = Sandbox::spawn(&args);
    let _ = get(&format!("{}/v26.0/1", second.url)).await;
    assert_eq!(isolate(&second).await.0, refused);
}

#[test]
fn exits_after_idle_and_prints_the_summary() {
    let sandbox = Sandbox::spawn(&["--exit-after-idle", "0.5"]);
    let start = Instant::now();
    let summary = sandbox.finish();
    assert!(start.elapsed() >= Duration::from_millis(400));
    assert_eq!(
        summary,
        json!({"requests": 0, "accepted_events": 0, "rejected_requests": {}, "duplicates": 0, "token_in_url": 0})
    );
}

#[test]
fn sigterm_stops_it_too() {
    let sandbox = Sandbox::spawn(&[]);
    let status = Command::new("kill")
        .args(["-TERM", &sandbox.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(sandbox.finish()["requests"], 0);
}

/// `upload --sandbox` starts one in-process on an ephemeral port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_in_process_through_the_library() {
    use offconv::sandbox::{SandboxConfig, start};
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("in-process.ndjson");
    let config = SandboxConfig {
        record: Some(record.clone()),
        token: Some("T".into()),
        now: Some(NOW_RFC3339.parse().unwrap()),
        ..SandboxConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox = start(config, listener).await.unwrap();
    let url = format!("{}/v26.0/1234567890123456/events", sandbox.url());
    let answer = post(
        &format!("{url}?access_token=T"),
        &json!({"data": events(3, "lib")}),
    )
    .await;
    assert_eq!(answer.body["events_received"], 3);
    assert_eq!(sandbox.summary().accepted_events, 3);
    let summary = sandbox.shutdown().await;
    assert_eq!(summary.requests, 1);
    assert_eq!(summary.token_in_url, 1);
    assert_eq!(record_lines(&record).len(), 3);
}

/// Limited Data Use (issue 14): `data_processing_options` holds only
/// "LDU" (or nothing), its country is 0 or 1 and its state 0 or 1000, and
/// both go only with "LDU".
#[tokio::test]
async fn limited_data_use_fields_are_checked_as_meta_does() {
    let sandbox = Sandbox::spawn(&[]);
    let url = sandbox.events_url();
    let with = |fields: Value| {
        let mut e = event("ldu");
        for (k, v) in fields.as_object().unwrap() {
            e[k] = v.clone();
        }
        e
    };
    for ok in [
        json!({"data_processing_options": []}),
        json!({"data_processing_options": ["LDU"]}),
        json!({"data_processing_options": ["LDU"], "data_processing_options_country": 0, "data_processing_options_state": 0}),
        json!({"data_processing_options": ["LDU"], "data_processing_options_country": 1, "data_processing_options_state": 1000}),
    ] {
        let answer = post(&url, &json!({"data": [with(ok.clone())]})).await;
        assert_eq!(answer.status, StatusCode::OK, "{ok}: {answer:?}");
    }
    for (bad, reason) in [
        (
            json!({"data_processing_options": "LDU"}),
            "must be a list of strings",
        ),
        (json!({"data_processing_options": ["CCPA"]}), "only \"LDU\""),
        (
            json!({"data_processing_options": ["LDU"], "data_processing_options_country": 2}),
            "data_processing_options_country must be 0 or 1",
        ),
        (
            json!({"data_processing_options": ["LDU"], "data_processing_options_state": 1001}),
            "data_processing_options_state must be 0 or 1000",
        ),
        (
            json!({"data_processing_options_country": 1, "data_processing_options_state": 1000}),
            "only with data_processing_options [\"LDU\"]",
        ),
        (
            json!({"data_processing_options": [], "data_processing_options_state": 0}),
            "only with data_processing_options [\"LDU\"]",
        ),
    ] {
        let answer = post(&url, &json!({"data": [event("ok"), with(bad.clone())]})).await;
        assert_graph_error(&answer, 400, 100);
        assert_eq!(bad_index(&answer), Some(1), "{bad}: {answer:?}");
        assert!(answer.user_msg().contains(reason), "{bad}: {answer:?}");
    }
}
