//! `offconv mcp` as an MCP client sees it (issue 9): the server runs as a
//! child process and the test speaks JSON-RPC over its stdin and stdout,
//! against a sandbox child process.
//!
//! The sandbox's record lists which `user_data` keys arrived, not their
//! values; to prove that raw email and phone arrive hashed exactly as
//! `offconv hash` hashes them, the server talks to the sandbox through a
//! small capturing proxy in this file that keeps every request as sent.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use util::mcp::Mcp;
use util::*;

/// NOW (2026-11-26T12:00:00Z) in Unix seconds.
const NOW_UNIX: i64 = 1_795_694_400;
const TOKEN: &str = "tok-SECRET-mcp-0123456789";
const TOOLS: [&str; 5] = [
    "hash_value",
    "list_datasets",
    "send_offline_event",
    "upload_export",
    "validate_export",
];

/// A recording sandbox that takes only [`TOKEN`].
fn sandbox(t: &TestDir, extra: &[&str]) -> SandboxProcess {
    let mut args = vec!["--record", "record.ndjson", "--token", TOKEN, "--now", NOW];
    args.extend_from_slice(extra);
    SandboxProcess::start(t, &args)
}

/// One HTTP request as it reached the proxy.
#[derive(Debug, Clone)]
struct Captured {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// An HTTP/1.1 proxy that keeps every request and forwards it to
/// `upstream`, one request per connection.
struct CaptureProxy {
    url: String,
    seen: Arc<Mutex<Vec<Captured>>>,
}

impl CaptureProxy {
    fn start(upstream: &str) -> CaptureProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (log, upstream) = (Arc::clone(&seen), upstream.to_owned());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, upstream) = (Arc::clone(&log), upstream.clone());
                std::thread::spawn(move || forward(stream, &upstream, &log));
            }
        });
        CaptureProxy { url, seen }
    }

    fn requests(&self) -> Vec<Captured> {
        self.seen.lock().unwrap().clone()
    }
}

fn forward(client: TcpStream, upstream: &str, log: &Mutex<Vec<Captured>>) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let mut out = TcpStream::connect(upstream).unwrap();
    let mut head = request_line.clone();
    for (name, value) in &headers {
        if name != "connection" {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("connection: close\r\n\r\n");
    out.write_all(head.as_bytes()).unwrap();
    out.write_all(&body).unwrap();
    let mut answer = Vec::new();
    out.read_to_end(&mut answer).unwrap();
    log.lock().unwrap().push(Captured {
        request_line: request_line.trim_end().to_owned(),
        headers,
        body: String::from_utf8(body).unwrap(),
    });
    let mut client = client;
    client.write_all(&answer).unwrap();
}

/// `offconv hash --field FIELD VALUE`: (normalized, sha256).
fn offconv_hash(t: &TestDir, field: &str, value: &str) -> (String, String) {
    let out = run_expect(&mut t.cmd(&["hash", "--field", field, value]), 0);
    let line = String::from_utf8(out.stdout).unwrap();
    let (normalized, hash) = line.trim_end().split_once('\t').unwrap();
    (normalized.to_owned(), hash.to_owned())
}

fn record(t: &TestDir) -> Vec<Value> {
    t.read("record.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The fixture export and its mapping, copied into the test's directory
/// (the report goes beside the export).
fn store_sales(t: &TestDir) -> (String, String) {
    let csv = t.path("store_sales.csv");
    let mapping = t.path("store_sales.toml");
    std::fs::copy(fixture("store_sales.csv"), &csv).unwrap();
    std::fs::copy(fixture("store_sales.toml"), &mapping).unwrap();
    (csv.display().to_string(), mapping.display().to_string())
}

#[test]
fn lists_five_tools_with_schemas_and_truthful_annotations() {
    let t = TestDir::new();
    let mut mcp = Mcp::start(&t, &[], None);
    let response = mcp.request("tools/list", json!({}));
    let tools = response["result"]["tools"].as_array().expect("tools");
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, TOOLS);
    let tool = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap();
    // (readOnly, destructive, idempotent, openWorld)
    let expected = [
        ("hash_value", (true, false, true, false)),
        ("list_datasets", (true, false, true, true)),
        ("send_offline_event", (false, false, true, true)),
        ("upload_export", (false, true, true, true)),
        ("validate_export", (false, false, true, false)),
    ];
    for (name, (read_only, destructive, idempotent, open_world)) in expected {
        let t = tool(name);
        let a = &t["annotations"];
        assert_eq!(a["readOnlyHint"], read_only, "{name}: {a}");
        assert_eq!(a["destructiveHint"], destructive, "{name}: {a}");
        assert_eq!(a["idempotentHint"], idempotent, "{name}: {a}");
        assert_eq!(a["openWorldHint"], open_world, "{name}: {a}");
        assert!(a["title"].is_string(), "{name}");
        assert!(
            t["description"].as_str().unwrap().len() > 60,
            "{name} says what it does"
        );
        let schema = &t["inputSchema"];
        assert_eq!(schema["type"], "object", "{name}");
        assert_eq!(schema["additionalProperties"], false, "{name}");
        for (property, spec) in schema["properties"].as_object().unwrap() {
            assert!(
                spec["description"].as_str().is_some_and(|d| !d.is_empty())
                    || spec.get("$ref").is_some()
                    || spec.get("allOf").is_some(),
                "{name}.{property} has a description: {spec}"
            );
        }
    }

    let send = &tool("send_offline_event")["inputSchema"];
    let properties = send["properties"].as_object().unwrap();
    for key in [
        "event_set_id",
        "dataset_id",
        "event_name",
        "event_time",
        "email",
        "em",
        "phone",
        "ph",
        "fn",
        "ln",
        "ct",
        "st",
        "zip",
        "zp",
        "country",
        "external_id",
        "currency",
        "value",
        "content_name",
        "order_id",
        "upload_tag",
        "response_format",
        "action_source",
        "event_id",
        "test_event_code",
    ] {
        assert!(
            properties.contains_key(key),
            "send_offline_event takes {key}"
        );
    }
    assert_eq!(send["required"], json!(["event_name", "event_time"]));
    assert_eq!(properties["event_time"]["type"], "integer");
    let required = |name: &str| tool(name)["inputSchema"]["required"].clone();
    assert_eq!(
        required("validate_export"),
        json!(["csv_path", "mapping_path"])
    );
    assert_eq!(
        required("upload_export"),
        json!(["csv_path", "mapping_path"])
    );
    assert_eq!(required("list_datasets"), json!(["ad_account_id"]));
    assert_eq!(required("hash_value"), json!(["field", "value"]));
    let upload = tool("upload_export")["inputSchema"]["properties"].clone();
    for key in ["dataset_id", "upload_tag", "dry_run", "resume", "force"] {
        assert!(upload.get(key).is_some(), "upload_export takes {key}");
    }
    mcp.close();
}

#[test]
fn every_tool_against_the_sandbox_and_the_token_stays_secret() {
    let t = TestDir::new();
    let sandbox = sandbox(&t, &[]);
    let proxy = CaptureProxy::start(&sandbox.addr);
    let mut mcp = Mcp::start(&t, &["--api-base", &proxy.url], Some(TOKEN));

    // send_offline_event: raw customer data in, hashed out.
    let email = " John.Smith@Example.COM ";
    let phone = "+1 (312) 555-0142";
    let (is_error, sent) = mcp.call_json(
        "send_offline_event",
        json!({
            "event_set_id": "1234567890",
            "event_name": "Purchase",
            "event_time": NOW_UNIX - 2 * 3600,
            "email": email,
            "phone": phone,
            "fn": "John",
            "zip": "60614",
            "currency": "USD",
            "value": 42.5,
            "order_id": "ORD-1",
            "upload_tag": "agent-test",
        }),
    );
    assert!(!is_error, "{sent}");
    assert_eq!(sent["events_received"], 1);
    assert_eq!(sent["match_keys"], json!(["em", "ph", "fn", "zp"]));
    let event_id = sent["event_id"].as_str().unwrap().to_owned();
    assert!(event_id.starts_with("oc-"), "{event_id}");
    assert!(sent["fbtrace_id"].as_str().is_some_and(|s| !s.is_empty()));

    let posts: Vec<Captured> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.request_line.starts_with("POST "))
        .collect();
    assert_eq!(posts.len(), 1);
    let body: Value = serde_json::from_str(&posts[0].body).unwrap();
    let event = &body["data"][0];
    let user = &event["user_data"];
    assert_eq!(user["em"], json!([offconv_hash(&t, "em", email).1]));
    assert_eq!(user["ph"], json!([offconv_hash(&t, "ph", phone).1]));
    assert_eq!(user["fn"], json!([offconv_hash(&t, "fn", "John").1]));
    assert_eq!(event["event_id"], event_id.as_str());
    assert_eq!(event["action_source"], "physical_store");
    assert_eq!(event["custom_data"]["order_id"], "ORD-1");
    assert_eq!(body["upload_tag"], "agent-test");
    assert!(!posts[0].body.contains("Smith") && !posts[0].body.contains("555"));

    // validate_export: nothing sent, a summary and a report.
    let (csv, mapping) = store_sales(&t);
    let (is_error, checked) = mcp.call_json(
        "validate_export",
        json!({ "csv_path": csv, "mapping_path": mapping }),
    );
    assert!(!is_error, "{checked}");
    assert_eq!(checked["dry_run"], true);
    assert_eq!(checked["rows"], 1000);
    assert_eq!(checked["valid"], 1000);
    assert_eq!(checked["rejected"], 0);
    assert_eq!(checked["complete"], true);
    assert!(
        checked["match_keys"]["em"].as_f64().unwrap() > 0.5,
        "{checked}"
    );
    let report = checked["report"].as_str().unwrap().to_owned();
    assert_eq!(report, format!("{csv}.report.csv"));
    assert!(
        read_report(std::path::Path::new(&report))
            .iter()
            .all(|r| r.status == "valid")
    );

    // upload_export: progress notifications, then the summary.
    let (response, notes) = mcp.request_with_notes(
        "tools/call",
        json!({
            "name": "upload_export",
            "arguments": {
                "csv_path": csv,
                "mapping_path": mapping,
                "dataset_id": "1234567890",
                "upload_tag": "store-nightly",
                "response_format": "json",
            },
            "_meta": { "progressToken": "upload-1" },
        }),
    );
    let result = &response["result"];
    assert_eq!(result["isError"], false, "{response}");
    let uploaded: Value =
        serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).expect("JSON summary");
    assert_eq!(uploaded["sent"], 1000, "{uploaded}");
    assert_eq!(uploaded["events_received"], 1000);
    assert_eq!(uploaded["upload_tag"], "store-nightly");
    assert_eq!(uploaded["complete"], true);
    let progress: Vec<f64> = notes
        .iter()
        .filter(|n| n["method"] == "notifications/progress")
        .map(|n| {
            assert_eq!(n["params"]["progressToken"], "upload-1");
            n["params"]["progress"].as_f64().unwrap()
        })
        .collect();
    assert!(!progress.is_empty(), "progress notifications: {notes:?}");
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    assert_eq!(progress.last(), Some(&1000.0));
    let report_rows = read_report(std::path::Path::new(&format!("{csv}.report.csv")));
    assert_eq!(report_rows.len(), 1000);
    assert!(report_rows.iter().all(|r| r.status == "sent"));

    // The same job again is refused, not silently re-run, and checking
    // must not overwrite its report either.
    let (is_error, again) = mcp.call_json(
        "upload_export",
        json!({ "csv_path": csv, "mapping_path": mapping, "dataset_id": "1234567890", "upload_tag": "store-nightly" }),
    );
    assert!(is_error, "{again}");
    assert!(
        again["message"].as_str().unwrap().contains("resume: true"),
        "{again}"
    );
    let (is_error, refused) = mcp.call_json(
        "validate_export",
        json!({ "csv_path": csv, "mapping_path": mapping }),
    );
    assert!(is_error, "{refused}");
    assert_eq!(refused["error"], "report_in_use");

    // list_datasets: the sandbox's fixed list.
    let (is_error, listed) = mcp.call_json("list_datasets", json!({ "ad_account_id": "act_42" }));
    assert!(!is_error, "{listed}");
    let datasets = listed["datasets"].as_array().unwrap();
    assert_eq!(datasets.len(), 3, "{listed}");
    assert!(datasets.iter().all(|d| d["id"].is_string()));

    // hash_value: what `offconv hash` prints.
    let (is_error, hashed) = mcp.call_json("hash_value", json!({ "field": "em", "value": email }));
    assert!(!is_error);
    let (normalized, hash) = offconv_hash(&t, "em", email);
    assert_eq!(hashed["normalized"], normalized.as_str());
    assert_eq!(hashed["sha256"], hash.as_str());
    let (_, markdown) = mcp.call("hash_value", json!({ "field": "phone", "value": phone }));
    assert!(
        markdown.contains(&offconv_hash(&t, "ph", phone).1),
        "{markdown}"
    );

    let everything = mcp.close();
    let summary = sandbox.stop();

    // The sandbox took every event, each once, with the keys sent.
    let events = record(&t);
    assert_eq!(events.len(), 1001);
    let one = events
        .iter()
        .find(|e| e["event_id"] == event_id.as_str())
        .unwrap();
    assert_eq!(one["user_data_keys"], json!(["em", "ph", "fn", "zp"]));
    assert_eq!(one["upload_tag"], "agent-test");
    assert_eq!(summary["duplicates"], 0);
    assert_eq!(summary["token_in_url"], 0);

    // The token went in the Authorization header only, and appears in no
    // result, notification or log line.
    for r in proxy.requests() {
        assert!(!r.request_line.contains(TOKEN), "{}", r.request_line);
        assert!(!r.body.contains(TOKEN));
        let auth = r.headers.iter().find(|(n, _)| n == "authorization");
        assert_eq!(
            auth.map(|(_, v)| v.as_str()),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert!(
        !everything.contains(TOKEN),
        "the token leaked:\n{everything}"
    );
}

#[test]
fn bad_input_is_an_error_result_that_says_what_to_fix() {
    let t = TestDir::new();
    let mut mcp = Mcp::start(&t, &[], None);
    let sale = |extra: Value| {
        let mut args = json!({
            "event_set_id": "1234567890",
            "event_name": "Purchase",
            "event_time": NOW_UNIX - 3600,
            "email": "ana@example.com",
            "currency": "EUR",
            "value": 10,
        });
        for (k, v) in extra.as_object().unwrap() {
            args[k] = v.clone();
        }
        args
    };
    let cases = [
        (json!({ "email": null }), "no_match_keys", "email"),
        (json!({ "email": "not an email" }), "no_match_keys", "email"),
        (
            json!({ "event_time": NOW_UNIX - 70 * 86_400 }),
            "too_old",
            "62 days",
        ),
        (
            json!({ "event_time": NOW_UNIX + 86_400 }),
            "in_future",
            "future",
        ),
        (json!({ "currency": "XYZ" }), "bad_currency", "ISO 4217"),
        (json!({ "value": -5 }), "bad_value", "negative"),
        (json!({ "event_set_id": "act_12" }), "bad_dataset", "digits"),
        (
            json!({ "action_source": "shop" }),
            "bad_action_source",
            "physical_store",
        ),
        // Good input, but no token and no sandbox.
        (json!({}), "no_token", "META_ACCESS_TOKEN"),
    ];
    for (extra, reason, hint) in cases {
        let (is_error, answer) = mcp.call_json("send_offline_event", sale(extra.clone()));
        assert!(is_error, "{extra}: {answer}");
        assert_eq!(answer["error"], reason, "{extra}: {answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(hint), "{extra}: {message}");
    }
    // A wrongly typed or unknown argument is an error result too.
    let (result, text) = mcp.call("send_offline_event", sale(json!({ "emial": "x@y.z" })));
    assert_eq!(result["isError"], true, "{result}");
    assert!(text.contains("emial"), "{text}");
    // In markdown, the reason and the fix are in the text.
    let (result, text) = mcp.call(
        "send_offline_event",
        sale(json!({ "event_time": NOW_UNIX - 70 * 86_400 })),
    );
    assert_eq!(result["isError"], true);
    assert!(
        text.contains("too_old") && text.contains("event_time"),
        "{text}"
    );
    // A report path that holds something else is left alone.
    let notes = t.write("notes.txt", "keep me\n").display().to_string();
    let (is_error, answer) = mcp.call_json(
        "validate_export",
        json!({ "csv_path": "sales.csv", "mapping_path": "m.toml", "report_path": notes }),
    );
    assert!(is_error, "{answer}");
    assert_eq!(answer["error"], "report_in_use");
    assert_eq!(t.read("notes.txt"), "keep me\n");
    // A missing export is an error result that names it.
    let (is_error, answer) = mcp.call_json(
        "validate_export",
        json!({ "csv_path": "missing.csv", "mapping_path": "missing.toml" }),
    );
    assert!(is_error);
    assert!(
        answer["message"].as_str().unwrap().contains("missing.toml"),
        "{answer}"
    );
    mcp.close();
}

#[test]
fn sandbox_flag_serves_every_tool_in_process() {
    let t = TestDir::new();
    let mut mcp = Mcp::start(&t, &["--sandbox"], None);
    let tools = mcp.request("tools/list", json!({}));
    for tool in tools["result"]["tools"].as_array().unwrap() {
        assert_eq!(
            tool["annotations"]["openWorldHint"], false,
            "nothing leaves the machine: {tool}"
        );
    }
    let (is_error, sent) = mcp.call_json(
        "send_offline_event",
        json!({
            "event_name": "Purchase",
            "event_time": NOW_UNIX - 600,
            "em": "a@b.co",
            "currency": "USD",
            "value": 1,
        }),
    );
    assert!(!is_error, "{sent}");
    assert_eq!(sent["events_received"], 1);
    assert_eq!(sent["dataset_id"], "1234567890");
    let (csv, mapping) = store_sales(&t);
    let (is_error, uploaded) = mcp.call_json(
        "upload_export",
        json!({ "csv_path": csv, "mapping_path": mapping }),
    );
    assert!(!is_error, "{uploaded}");
    assert_eq!(uploaded["sent"], 1000);
    let (is_error, listed) = mcp.call_json("list_datasets", json!({ "ad_account_id": "1" }));
    assert!(!is_error, "{listed}");
    mcp.close();
}

/// Regression guard for the server's own signal handling: SIGINT mid-job
/// stops the job the way a first Ctrl-C stops `offconv upload` (requests in
/// flight finish, every row in the report once), the call still gets its
/// answer, the server exits 0, and a resume finishes the job.
#[test]
fn sigint_stops_an_upload_cleanly_and_a_resume_finishes_it() {
    let t = TestDir::new();
    let n = 40_000;
    let mut csv = String::from("order_id,purchased_at,email,total\n");
    for i in 0..n {
        csv.push_str(&format!(
            "S{i:06},2026-11-25 10:{:02}:00,buyer{i}@example.com,{}.50\n",
            i % 60,
            i % 90
        ));
    }
    let csv_path = t.write("sales.csv", csv).display().to_string();
    let mapping = t
        .write(
            "m.toml",
            "[event]\ntime_column = \"purchased_at\"\nid_column = \"order_id\"\n\
             [custom_data]\nvalue_column = \"total\"\ncurrency = \"USD\"\n\
             [user_data]\nem = \"email\"\n",
        )
        .display()
        .to_string();
    let sandbox = sandbox(&t, &["--latency-ms", "500"]);
    let api_base = format!("http://{}", sandbox.addr);
    let arguments = json!({
        "csv_path": csv_path,
        "mapping_path": mapping,
        "dataset_id": "1234567890",
        "response_format": "json",
    });

    let mut mcp = Mcp::start(&t, &["--api-base", &api_base], Some(TOKEN));
    let id = mcp.start_request(
        "tools/call",
        json!({ "name": "upload_export", "arguments": arguments }),
    );
    std::thread::sleep(Duration::from_millis(1200));
    Command::new("kill")
        .args(["-INT", &mcp.child.id().to_string()])
        .status()
        .expect("kill");
    let (response, _) = mcp.response(id, "upload_export");
    let stopped: Value =
        serde_json::from_str(response["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(stopped["stopped"], "interrupted", "{stopped}");
    assert!(
        stopped["next_step"]
            .as_str()
            .unwrap()
            .contains("resume: true")
    );
    let sent_first = stopped["sent"].as_u64().unwrap();
    assert!(sent_first > 0 && sent_first < n, "{stopped}");
    mcp.finish();
    // Rows read are final in the report (rows not read yet are not in it).
    let report = read_report(&t.path("sales.csv.report.csv"));
    let rows: std::collections::HashSet<u64> = report.iter().map(|r| r.row).collect();
    assert_eq!(rows.len(), report.len(), "each row at most once");
    assert_eq!(
        report.iter().filter(|r| r.status == "sent").count() as u64,
        sent_first
    );
    assert!(
        report
            .iter()
            .all(|r| r.status == "sent" || (r.status == "failed" && r.reason == "interrupted"))
    );

    let mut mcp = Mcp::start(&t, &["--api-base", &api_base], Some(TOKEN));
    let mut resume = arguments.clone();
    resume["resume"] = json!(true);
    let (is_error, finished) = mcp.call_json("upload_export", resume);
    assert!(!is_error, "{finished}");
    assert_eq!(finished["sent"], n, "{finished}");
    assert_eq!(finished["sent_by_earlier_run"], sent_first);
    mcp.close();
    let report = read_report(&t.path("sales.csv.report.csv"));
    assert_eq!(report.len(), n as usize);
    assert!(report.iter().all(|r| r.status == "sent"));
    let summary = sandbox.stop();
    assert_eq!(record(&t).len(), n as usize, "every event delivered once");
    assert_eq!(summary["duplicates"], 0);
}

/// Issue 13: at RUST_LOG=trace nothing the agent sent (customer data) is
/// logged raw, and a headerless export's error describes its first row
/// instead of printing it.
#[test]
fn trace_logs_and_errors_hold_no_raw_customer_data() {
    let t = TestDir::new();
    let mut mcp = Mcp::start_with_env(&t, &["--sandbox"], None, &[("RUST_LOG", "trace")]);
    let (is_error, sent) = mcp.call_json(
        "send_offline_event",
        json!({
            "event_name": "Purchase",
            "event_time": NOW_UNIX - 600,
            "em": "zebulon.quark@example.com",
            "phone": "+1 312 555 0199",
            "fn": "Zebulon",
            "ln": "Quarkington",
            "currency": "USD",
            "value": 1,
        }),
    );
    assert!(!is_error, "{sent}");
    // A headerless export: its first row is taken as the header.
    let headerless = t.write(
        "headerless.csv",
        "SO-1,2026-11-25 10:00:00,wilhelmina.vexx@example.com,+1 415 555 0177,Wilhelmina,Vexx,Springfield,US,19.65,USD\n",
    );
    let (csv, mapping) = store_sales(&t);
    drop(csv);
    let (is_error, _) = mcp.call_json(
        "validate_export",
        json!({ "csv_path": headerless.display().to_string(), "mapping_path": mapping }),
    );
    assert!(is_error);
    let everything = mcp.close();
    for raw in [
        "zebulon.quark@example.com",
        "Zebulon",
        "Quarkington",
        "555 0199",
        "wilhelmina",
        "Wilhelmina",
        "Vexx",
        "555 0177",
    ] {
        assert!(
            !everything.contains(raw),
            "raw {raw:?} in stdout or stderr at trace:\n{everything}"
        );
    }
    assert!(everything.contains("no header line"), "{everything}");
}
