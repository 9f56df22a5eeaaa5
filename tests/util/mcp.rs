//! `offconv mcp` as a child process and a minimal MCP client for it
//! (JSON-RPC over its stdin and stdout), for the MCP tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use serde_json::{Value, json};

use super::{NOW, TestDir};

/// `offconv mcp` as a child process, and a minimal MCP client for it.
pub struct Mcp {
    pub child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Every line the server wrote on stdout.
    stdout: Vec<String>,
    stderr: Option<std::thread::JoinHandle<String>>,
    next_id: u64,
}

/// A failed assertion must not leave the server running.
impl Drop for Mcp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Mcp {
    pub fn start(t: &TestDir, args: &[&str], token: Option<&str>) -> Mcp {
        Mcp::start_with_env(t, args, token, &[])
    }

    pub fn start_with_env(
        t: &TestDir,
        args: &[&str],
        token: Option<&str>,
        env: &[(&str, &str)],
    ) -> Mcp {
        let mut argv = vec!["mcp", "--now", NOW];
        argv.extend_from_slice(args);
        let mut cmd = t.cmd(&argv);
        cmd.envs(env.iter().copied());
        if let Some(token) = token {
            cmd.env("META_ACCESS_TOKEN", token);
        }
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
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
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let mut mcp = Mcp {
            stdin: child.stdin.take(),
            child,
            lines,
            stdout: Vec::new(),
            stderr: Some(stderr),
            next_id: 1,
        };
        let init = mcp.request(
            "initialize",
            json!({
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": { "name": "offconv-tests", "version": "1" }
            }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "offconv", "{init}");
        assert!(
            init["result"]["capabilities"]["tools"].is_object(),
            "{init}"
        );
        mcp.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        mcp
    }

    pub fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// Sends a request without waiting; returns its id.
    pub fn start_request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request; returns its response and the notifications that
    /// came before it.
    pub fn request_with_notes(&mut self, method: &str, params: Value) -> (Value, Vec<Value>) {
        let id = self.start_request(method, params);
        self.response(id, method)
    }

    /// Reads until the response to `id`; returns it and the notifications
    /// that came before it.
    pub fn response(&mut self, id: u64, method: &str) -> (Value, Vec<Value>) {
        let mut notes = Vec::new();
        loop {
            let line = match self.lines.recv_timeout(Duration::from_secs(120)) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!("no answer to {method} in 120 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("offconv mcp closed stdout"),
            };
            self.stdout.push(line.clone());
            let message: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout holds only JSON-RPC, got {line:?}: {e}"));
            if message["id"] == id {
                return (message, notes);
            }
            notes.push(message);
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.request_with_notes(method, params).0
    }

    /// `tools/call`; returns the result and its text content.
    pub fn call(&mut self, tool: &str, arguments: Value) -> (Value, String) {
        let response = self.request(
            "tools/call",
            json!({ "name": tool, "arguments": arguments }),
        );
        let result = response["result"].clone();
        assert!(result.is_object(), "{tool}: a result, not {response}");
        let text = result["content"][0]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("{tool}: text content in {result}"))
            .to_owned();
        (result, text)
    }

    /// `tools/call` with `response_format: json`; returns `isError` and the
    /// parsed JSON.
    pub fn call_json(&mut self, tool: &str, mut arguments: Value) -> (bool, Value) {
        arguments["response_format"] = json!("json");
        let (result, text) = self.call(tool, arguments);
        let data = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{tool}: JSON text, got {text:?}: {e}"));
        (result["isError"] == true, data)
    }

    /// Closes stdin, as a client does when it is done; the server exits 0.
    /// Returns everything it wrote (stdout lines and stderr).
    pub fn close(mut self) -> String {
        drop(self.stdin.take());
        self.finish()
    }

    /// Waits for the server to exit 0; returns everything it wrote.
    pub fn finish(mut self) -> String {
        let status = self.child.wait().unwrap();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.stdout.push(line);
        }
        let stderr = self.stderr.take().unwrap().join().unwrap();
        assert_eq!(status.code(), Some(0), "stderr:\n{stderr}");
        format!("{}\n{stderr}", self.stdout.join("\n"))
    }
}
