//! The stdio transport of `offconv mcp`: one JSON-RPC message per line,
//! and an answer for every line the server cannot take (issue 16).
//!
//! rmcp's own stdio transport ignores a line that is not JSON, answers a
//! malformed request without its id, and drops a line over 16 MiB in
//! silence: each time the client waits forever on that id. Here:
//! - a line that is not JSON gets `-32700 Parse error` with `id: null`;
//! - JSON that is not a JSON-RPC request gets `-32600 Invalid Request`, with
//!   the request's id when it has a usable one (a string or an integer);
//! - a request whose `params` do not fit its method gets `-32602 Invalid
//!   params` with its id;
//! - a line longer than [`MAX_LINE`] (1 MiB) is never buffered whole: it
//!   gets `-32600` with the id found at its start ([`super::early_id`]).
//!
//! Notifications and responses are never answered (JSON-RPC forbids it);
//! one that cannot be read is logged and dropped. Error details name what
//! is wrong and where, never the values sent (they may be customer data).
//! Good lines go to rmcp as they are.

use std::io;

use rmcp::RoleServer;
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The longest line read: 1 MiB. offconv's tools take paths and one
/// sale's fields, a few KiB at most.
pub const MAX_LINE: usize = 1 << 20;

/// Replies and messages waiting for the writer; a client that stops
/// reading stops the server's answers, not its memory.
const QUEUE: usize = 64;

/// How long closing waits for the last answers to be written.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Newline-delimited JSON-RPC over a reader and a writer (stdin, stdout).
pub struct LineTransport<R> {
    read: BufReader<R>,
    line: Vec<u8>,
    /// The rest of an over-long line is being skipped.
    skipping: bool,
    /// An error answer not yet handed to the writer.
    pending: Option<Vec<u8>>,
    out: Option<mpsc::Sender<Vec<u8>>>,
    writer: Option<JoinHandle<()>>,
}

impl<R: AsyncRead + Unpin + Send> LineTransport<R> {
    /// Spawns the writer on the current runtime.
    pub fn new<W: AsyncWrite + Unpin + Send + 'static>(read: R, write: W) -> Self {
        let (out, queue) = mpsc::channel(QUEUE);
        LineTransport {
            read: BufReader::with_capacity(64 << 10, read),
            line: Vec::new(),
            skipping: false,
            pending: None,
            out: Some(out),
            writer: Some(tokio::spawn(write_lines(write, queue))),
        }
    }

    /// Reads one whole line into `self.line` (without its `\n`), never
    /// more than [`MAX_LINE`] bytes of it. Cancel-safe: every byte taken
    /// from the reader is in `self.line` (or skipped) before an await.
    async fn read_line(&mut self) -> io::Result<Line> {
        loop {
            let available = self.read.fill_buf().await?;
            if available.is_empty() {
                return Ok(Line::End);
            }
            let newline = available.iter().position(|&b| b == b'\n');
            let take = newline.map_or(available.len(), |i| i + 1);
            let mut oversized = false;
            if !self.skipping {
                let room = MAX_LINE.saturating_sub(self.line.len());
                let body = &available[..newline.unwrap_or(take)];
                self.line.extend_from_slice(&body[..body.len().min(room)]);
                oversized = body.len() > room;
            }
            self.read.consume(take);
            if oversized {
                // Answered now, from what was kept; the rest is skipped.
                self.skipping = newline.is_none();
                return Ok(Line::TooLong);
            }
            if newline.is_some() {
                if std::mem::take(&mut self.skipping) {
                    continue;
                }
                return Ok(Line::Whole);
            }
        }
    }

    /// Hands the pending answer to the writer. Cancel-safe: the answer
    /// stays pending until a slot in the queue is held.
    async fn flush_pending(&mut self) -> Option<()> {
        if self.pending.is_some() {
            let permit = self.out.as_ref()?.reserve().await.ok()?;
            if let Some(answer) = self.pending.take() {
                permit.send(answer);
            }
        }
        Some(())
    }
}

enum Line {
    Whole,
    TooLong,
    End,
}

/// Writes each queued message, then flushes; ends when every sender is
/// gone or the writer fails (the client went away).
async fn write_lines<W: AsyncWrite + Unpin>(mut write: W, mut queue: mpsc::Receiver<Vec<u8>>) {
    while let Some(message) = queue.recv().await {
        if let Err(e) = write.write_all(&message).await {
            tracing::debug!("mcp: cannot write to stdout: {e}");
            return;
        }
        if queue.is_empty() && write.flush().await.is_err() {
            return;
        }
    }
    let _ = write.flush().await;
}

/// A JSON-RPC error answer as one line.
fn error_line(id: Option<Value>, code: i64, message: &str, reason: &str) -> Vec<u8> {
    let answer = json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": { "code": code, "message": message, "data": { "reason": reason } },
    });
    let mut line = serde_json::to_vec(&answer).expect("a JSON value serializes");
    line.push(b'\n');
    line
}

/// A usable request id: a string or an integer (MCP allows no other).
fn usable_id(id: Option<&Value>) -> Option<Value> {
    id.filter(|id| id.is_string() || id.is_i64() || id.is_u64())
        .cloned()
}

/// What to do with a line rmcp's types do not read: an answer, or
/// nothing (a notification or a response).
fn answer_for(line: &[u8], typed: &serde_json::Error) -> Option<Vec<u8>> {
    let value: Value = match serde_json::from_slice(line) {
        Ok(value) => value,
        Err(e) => {
            let reason = format!(
                "the line is not JSON ({} at line {}, column {})",
                describe(&e),
                e.line(),
                e.column()
            );
            return Some(error_line(None, -32700, "Parse error", &reason));
        }
    };
    let Some(object) = value.as_object() else {
        let reason = if value.is_array() {
            "batches are not supported: send one JSON-RPC object per line"
        } else {
            "a JSON-RPC message is a JSON object"
        };
        return Some(error_line(None, -32600, "Invalid Request", reason));
    };
    let method = object.get("method").and_then(Value::as_str);
    let Some(raw_id) = object.get("id") else {
        // A notification (or a response without an id): never answered.
        tracing::warn!(
            "mcp: dropped a notification the server cannot read ({})",
            method.map_or_else(|| "no method".to_owned(), |m| format!("method {m:?}"))
        );
        return None;
    };
    if method.is_none() && (object.contains_key("result") || object.contains_key("error")) {
        tracing::warn!("mcp: dropped a response the server cannot read");
        return None;
    }
    let id = usable_id(Some(raw_id));
    let well_formed = object.get("jsonrpc") == Some(&json!("2.0")) && method.is_some();
    Some(match (id, well_formed) {
        (Some(id), true) => error_line(
            Some(id),
            -32602,
            "Invalid params",
            &format!(
                "the params of {:?} do not fit the method ({}{})",
                method.unwrap_or_default(),
                describe(typed),
                at_column(typed)
            ),
        ),
        (id, _) => {
            let reason = if id.is_none() {
                "the id must be a string or an integer"
            } else {
                "a request needs \"jsonrpc\": \"2.0\" and a string \"method\""
            };
            error_line(id, -32600, "Invalid Request", reason)
        }
    })
}

/// ` at column N`, when serde knows where (not after buffering a value).
fn at_column(e: &serde_json::Error) -> String {
    if e.column() == 0 {
        String::new()
    } else {
        format!(" at column {}", e.column())
    }
}

/// A serde error's kind, without the text it quotes from the input.
fn describe(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Eof => "it ends too early",
        serde_json::error::Category::Data => "a field has the wrong type or is missing",
        serde_json::error::Category::Io => "a read error",
    }
}

impl<R: AsyncRead + Unpin + Send> Transport<RoleServer> for LineTransport<R> {
    type Error = io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), io::Error>> + Send + 'static {
        let out = self.out.clone();
        async move {
            let mut line = serde_json::to_vec(&item)?;
            line.push(b'\n');
            let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "stdout is closed");
            out.ok_or_else(closed)?
                .send(line)
                .await
                .map_err(|_| closed())
        }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        loop {
            self.flush_pending().await?;
            match self.read_line().await {
                Ok(Line::End) => return None,
                Err(e) => {
                    tracing::error!("mcp: cannot read stdin: {e}");
                    return None;
                }
                Ok(Line::TooLong) => {
                    let id = super::early_id::top_level_id(&self.line);
                    self.line.clear();
                    let reason = format!(
                        "the message is longer than {MAX_LINE} bytes (1 MiB), the most offconv mcp reads in one line"
                    );
                    self.pending = Some(error_line(id, -32600, "Invalid Request", &reason));
                    continue;
                }
                Ok(Line::Whole) => {}
            }
            let line = std::mem::take(&mut self.line);
            let text = line.strip_suffix(b"\r").unwrap_or(&line);
            let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<RxJsonRpcMessage<RoleServer>>(text) {
                Ok(message) => return Some(message),
                Err(e) => self.pending = answer_for(text, &e),
            }
        }
    }

    async fn close(&mut self) -> Result<(), io::Error> {
        let _ = self.flush_pending().await;
        drop(self.out.take());
        if let Some(writer) = self.writer.take() {
            let _ = tokio::time::timeout(CLOSE_WAIT, writer).await;
        }
        Ok(())
    }
}
