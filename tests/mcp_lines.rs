//! `offconv mcp` answers every line it cannot take (issue 16): a JSON-RPC
//! error for a line that is not JSON, for JSON that is not a request, and
//! for a line over the 1 MiB limit, under the request's id when it has
//! one, so a client never waits forever on an id. Driven over the real
//! binary's stdin and stdout (`tests/mcp.rs` covers the tools).

mod util;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{Value, json};
use util::*;

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `offconv mcp --sandbox`, initialized.
    fn start(t: &TestDir) -> Server {
        let mut cmd = t.cmd(&["mcp", "--sandbox", "--now", NOW]);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().expect("start offconv mcp");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            stdin: child.stdin.take(),
            child,
            lines,
        };
        server.send_line(
            json!({
                "jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": {
                    "protocolVersion": "2025-11-25",
                    "capabilities": {},
                    "clientInfo": { "name": "offconv-tests", "version": "1" }
                }
            })
            .to_string()
            .as_bytes(),
        );
        assert_eq!(server.next()["id"], 0);
        server.send_line(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
        server
    }

    fn send_line(&mut self, line: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(line).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    fn next(&mut self) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(60))
            .expect("an answer within 60 s");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC: {line:?}: {e}"))
    }

    /// Every message up to the answer to `id`, that answer included.
    fn until(&mut self, id: u64) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let message = self.next();
            let done = message["id"] == id;
            seen.push(message);
            if done {
                return seen;
            }
        }
    }

    /// Closes stdin; the server must exit 0.
    fn close(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), Some(0));
    }
}

/// (id, code) of an error answer.
fn error_of(answer: &Value) -> (Value, i64) {
    assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
    assert!(
        answer.as_object().unwrap().contains_key("id"),
        "an error answer always carries an id, null when unknown: {answer}"
    );
    let code = answer["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("an error: {answer}"));
    (answer["id"].clone(), code)
}

#[test]
fn every_unreadable_line_gets_a_json_rpc_error() {
    let t = TestDir::new();
    let mut server = Server::start(&t);
    let bad: [&[u8]; 9] = [
        b"not json",
        br#"{"jsonrpc":"2.0","id":5,"method":"#,
        b"\xff\xfe{}",
        b"[1,2]",
        b"42",
        br#"{"foo":"bar","id":6}"#,
        br#"{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}"#,
        br#"{"jsonrpc":"2.0","id":"r-7","method":"tools/call","params":5}"#,
        // A notification is never answered, even when it cannot be read.
        br#"{"jsonrpc":"2.0","method":"notifications/progress","params":7}"#,
    ];
    for line in bad {
        server.send_line(line);
    }
    server.send_line(br#"{"jsonrpc":"2.0","id":100,"method":"ping"}"#);
    let seen = server.until(100);
    let errors: Vec<(Value, i64)> = seen[..seen.len() - 1].iter().map(error_of).collect();
    assert_eq!(
        errors,
        [
            (Value::Null, -32700),
            (Value::Null, -32700),
            (Value::Null, -32700),
            (Value::Null, -32600),
            (Value::Null, -32600),
            (json!(6), -32600),
            (Value::Null, -32600),
            (json!("r-7"), -32602),
        ],
        "{seen:#?}"
    );
    assert_eq!(seen.last().unwrap()["result"], json!({}), "still serving");
    server.close();
}

#[test]
fn a_line_over_one_mib_is_answered_under_its_id() {
    let t = TestDir::new();
    let mut server = Server::start(&t);
    let secret = "x".repeat(3 << 20);
    let long = json!({
        "jsonrpc": "2.0", "id": 9, "method": "tools/call",
        "params": { "name": "hash_value", "arguments": { "field": "em", "value": secret } }
    });
    server.send_line(long.to_string().as_bytes());
    // An id after the cut cannot be read: the answer's id is null.
    let late_id = format!(
        r#"{{"jsonrpc":"2.0","method":"tools/call","params":{{"pad":"{}"}},"id":10}}"#,
        "y".repeat(2 << 20)
    );
    server.send_line(late_id.as_bytes());
    // Just under the limit is read as usual.
    let pad = "z".repeat((1 << 20) - 200);
    let under = json!({
        "jsonrpc": "2.0", "id": 11, "method": "tools/call",
        "params": { "name": "hash_value", "arguments": {
            "field": "em", "value": "ann@example.com", "note": pad } }
    });
    assert!(under.to_string().len() < 1 << 20);
    server.send_line(under.to_string().as_bytes());
    let seen = server.until(11);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(error_of(&seen[0]), (json!(9), -32600));
    let reason = seen[0]["error"]["data"]["reason"].as_str().unwrap();
    assert!(reason.contains("1 MiB"), "{reason}");
    assert!(
        !seen[0].to_string().contains("xxxx"),
        "the value is not echoed"
    );
    assert_eq!(error_of(&seen[1]), (Value::Null, -32600));
    assert!(seen[2]["result"].is_object(), "{}", seen[2]);
    server.close();
}
