//! What the sandbox remembers: the counters behind the shutdown summary, the
//! `(event_name, event_id)` pairs seen (for deduplication), and the
//! `--record` file with one NDJSON line per accepted event.
//!
//! The record file is written by one thread fed through a channel: handlers
//! hand over a request's lines in one buffer and never wait on the disk. The
//! thread flushes whenever the channel runs empty (so the file is current
//! whenever the sandbox is idle) and at shutdown.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize, Serializer};

use super::body::UserData;
use super::checks::CheckedEvent;

/// The line `offconv sandbox` prints at shutdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxSummary {
    /// Every request received, whatever its answer (faults included).
    pub requests: u64,
    /// Events in accepted requests, duplicates included (Meta counts them
    /// in `events_received` too).
    pub accepted_events: u64,
    /// Requests answered with a Graph error, by error code.
    pub rejected_requests: BTreeMap<String, u64>,
    /// Accepted events whose `(event_name, event_id)` had been accepted before.
    pub duplicates: u64,
    /// Requests that carried `access_token` in the URL query.
    pub token_in_url: u64,
}

/// Live counters; [`Counters::summary`] reads them out.
#[derive(Debug, Default)]
pub struct Counters {
    requests: AtomicU64,
    accepted_events: AtomicU64,
    duplicates: AtomicU64,
    token_in_url: AtomicU64,
    rejected: Mutex<BTreeMap<u32, u64>>,
}

impl Counters {
    /// Counts a new request and returns its number (1-based).
    pub fn next_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn token_in_url(&self) {
        self.token_in_url.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rejected(&self, code: u32) {
        let mut rejected = self.rejected.lock().unwrap_or_else(|e| e.into_inner());
        *rejected.entry(code).or_default() += 1;
    }

    pub fn accepted(&self, events: u64, duplicates: u64) {
        self.accepted_events.fetch_add(events, Ordering::Relaxed);
        self.duplicates.fetch_add(duplicates, Ordering::Relaxed);
    }

    pub fn summary(&self) -> SandboxSummary {
        let rejected = self.rejected.lock().unwrap_or_else(|e| e.into_inner());
        SandboxSummary {
            requests: self.requests.load(Ordering::Relaxed),
            accepted_events: self.accepted_events.load(Ordering::Relaxed),
            rejected_requests: rejected
                .iter()
                .map(|(code, n)| (code.to_string(), *n))
                .collect(),
            duplicates: self.duplicates.load(Ordering::Relaxed),
            token_in_url: self.token_in_url.load(Ordering::Relaxed),
        }
    }
}

/// The `(event_name, event_id)` pairs accepted so far, kept as 64-bit keyed
/// hashes: no string is copied, and with a per-process random key a false
/// "duplicate" needs a 64-bit collision (about one in 10^8 after 600 million
/// events).
#[derive(Debug, Default)]
pub struct SeenEvents {
    hasher: RandomState,
    seen: Mutex<HashSet<u64, BuildHasherDefault<PassThrough>>>,
}

impl SeenEvents {
    /// The key of an event; `None` for events without an `event_id`, which
    /// Meta cannot deduplicate.
    pub fn key(&self, event: &CheckedEvent<'_>) -> Option<u64> {
        event
            .event_id
            .map(|id| self.hasher.hash_one((event.event_name, id)))
    }

    /// Marks the keys seen; returns, for each, whether it had been seen
    /// before (an earlier event of the same request counts). One lock per
    /// request keeps concurrent requests from contending per event.
    pub fn insert(&self, keys: &[Option<u64>]) -> Vec<bool> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.reserve(keys.len());
        keys.iter()
            .map(|key| key.is_some_and(|k| !seen.insert(k)))
            .collect()
    }
}

/// The keys are already hashes; hashing them again would only cost time.
#[derive(Debug, Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// One line of the `--record` file.
#[derive(Serialize)]
struct RecordLine<'a> {
    dataset: &'a str,
    upload_tag: Option<&'a str>,
    event_name: &'a str,
    event_id: Option<&'a str>,
    event_time: i64,
    user_data_keys: UserDataKeys<'a>,
    request: u64,
    /// Unix milliseconds when the request arrived: lets a test check the
    /// client's request rate from the server's side.
    arrived_ms: u64,
    dedup: bool,
    /// Written only for events under Limited Data Use.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    ldu: bool,
}

/// Serializes the names of the keys present, without collecting them.
struct UserDataKeys<'a>(&'a UserData<'a>);

impl Serialize for UserDataKeys<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.present_keys().map(|k| k.name()))
    }
}

/// What an accepted request contributes to the record.
pub struct AcceptedRequest<'a, 'e> {
    pub dataset: &'a str,
    pub upload_tag: Option<&'a str>,
    pub request: u64,
    pub arrived_ms: u64,
    pub events: &'a [CheckedEvent<'e>],
    pub duplicates: &'a [bool],
}

enum Message {
    Lines(Vec<u8>),
    Finish,
}

/// The `--record` file and the thread that writes it.
#[derive(Debug)]
pub struct Recorder {
    path: PathBuf,
    lines: mpsc::Sender<Message>,
    writer: Mutex<Option<JoinHandle<io::Result<()>>>>,
}

impl Recorder {
    /// Opens (appending to) the record file; failing here, at start-up, is
    /// better than losing the record later.
    pub fn open(path: &Path) -> io::Result<Recorder> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let (lines, rx) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("sandbox-record".into())
            .spawn(move || write_lines(file, rx))?;
        Ok(Recorder {
            path: path.to_owned(),
            lines,
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Queues the lines of one accepted request.
    pub fn record(&self, accepted: &AcceptedRequest<'_, '_>) {
        let mut buf = Vec::with_capacity(accepted.events.len() * 160);
        for (event, &dedup) in accepted.events.iter().zip(accepted.duplicates) {
            let line = RecordLine {
                dataset: accepted.dataset,
                upload_tag: accepted.upload_tag,
                event_name: event.event_name,
                event_id: event.event_id,
                event_time: event.event_time,
                user_data_keys: UserDataKeys(event.user_data),
                request: accepted.request,
                arrived_ms: accepted.arrived_ms,
                dedup,
                ldu: event.ldu,
            };
            // Writing plain structs into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut buf, &line);
            buf.push(b'\n');
        }
        // After `finish` the thread is gone and late lines are dropped: the
        // sandbox is shutting down and the summary has been taken.
        let _ = self.lines.send(Message::Lines(buf));
    }

    /// Writes out everything queued, flushes, and stops the writer thread.
    pub fn finish(&self) -> io::Result<()> {
        let _ = self.lines.send(Message::Finish);
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        match writer.map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the record writer panicked")),
            None => Ok(()),
        }
        .map_err(|e| io::Error::new(e.kind(), format!("writing {}: {e}", self.path.display())))
    }
}

fn write_lines(file: File, rx: mpsc::Receiver<Message>) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, file);
    // Keep draining after a write error so senders never back up; report the
    // first error at the end.
    let mut result = Ok(());
    let mut keep = |r: io::Result<()>| {
        if result.is_ok() {
            result = r;
        }
    };
    'run: while let Ok(message) = rx.recv() {
        let mut next = Some(message);
        while let Some(message) = next.take() {
            match message {
                Message::Lines(lines) => keep(out.write_all(&lines)),
                Message::Finish => break 'run,
            }
            next = rx.try_recv().ok();
        }
        // The channel ran empty: the sandbox is idle for now.
        keep(out.flush());
    }
    keep(out.flush());
    result
}
