//! The uploader: the pipeline's sink that sends batches to Meta.
//!
//! Each batch is a tokio task holding one permit of the `--concurrency`
//! semaphore. Within a task, a batch is a queue of parts: the whole batch
//! first, then, after a code 100, the pieces left once the bad event is
//! cut out (or the two halves when Meta does not say which event it was).
//! Every row of a batch is reported exactly once, whatever happens.

pub mod client;
pub mod limits;
pub mod outage;
pub mod retry;

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::Semaphore;

use crate::event::RequestMeta;
use crate::io_context::NamedFile;
use crate::outcome::Reason;
use crate::pipeline::{Batch, BatchEvent, Ending, ReportTx, Sink, SinkTotals};
use crate::progress::Counters;
use crate::report::{Status, no_detail};
use client::GraphClient;
use limits::{Pause, RateCap};
use outage::Outage;
use retry::{RetryPolicy, Verdict};

use crate::stop::{RunStop, StopCause};

/// How the uploader behaves; built from the `upload` arguments.
pub struct UploadSettings {
    pub concurrency: usize,
    pub rate: f64,
    pub retry: RetryPolicy,
    pub meta: RequestMeta,
    /// The run's stop: once set, nothing more is sent, waits end at once,
    /// requests in flight get the grace, the rest ends `failed`.
    pub stop: RunStop,
    /// `--outage-timeout`.
    pub outage_timeout: Duration,
    /// `--max-pause`: a longer rate-limit pause stops the run.
    pub max_pause: Duration,
    /// Requests in flight and retries, for the progress display.
    pub counters: Arc<Counters>,
}

/// Why the run stopped early, for the summary and the exit code.
#[derive(Debug, Clone)]
pub struct StopReason {
    pub code: i64,
    pub message: String,
}

/// State every batch task shares.
struct Shared {
    client: GraphClient,
    meta: RequestMeta,
    retry: RetryPolicy,
    rate: RateCap,
    pause: Pause,
    report: ReportTx,
    payloads: Option<Mutex<BufWriter<NamedFile>>>,
    stop: RunStop,
    outage: Arc<Outage>,
    max_pause: Duration,
    counters: Arc<Counters>,
    requests: AtomicU64,
    retries: AtomicU64,
    events_received: AtomicU64,
    /// First `seq` of every batch in flight: the dispatcher does not run
    /// more than `window` rows ahead of the oldest, which bounds the
    /// report's reorder buffer.
    in_flight: Mutex<BTreeSet<u64>>,
    finished: Condvar,
}

pub struct UploadSink {
    shared: Arc<Shared>,
    handle: Handle,
    permits: Arc<Semaphore>,
    concurrency: usize,
    window: u64,
    watchdog: tokio::task::JoinHandle<()>,
}

impl UploadSink {
    pub fn new(
        handle: Handle,
        client: GraphClient,
        settings: UploadSettings,
        report: ReportTx,
        payloads: Option<NamedFile>,
        batch_size: usize,
    ) -> UploadSink {
        let concurrency = settings.concurrency.max(1);
        let outage = Arc::new(Outage::new(settings.outage_timeout));
        let watchdog = {
            let (outage, stop) = (Arc::clone(&outage), settings.stop.clone());
            handle.spawn(async move { outage.watch(stop).await })
        };
        UploadSink {
            shared: Arc::new(Shared {
                client,
                meta: settings.meta,
                retry: settings.retry,
                rate: RateCap::new(settings.rate),
                pause: Pause::default(),
                report,
                payloads: payloads.map(|f| Mutex::new(BufWriter::with_capacity(1 << 20, f))),
                stop: settings.stop,
                outage,
                max_pause: settings.max_pause,
                counters: settings.counters,
                requests: AtomicU64::new(0),
                retries: AtomicU64::new(0),
                events_received: AtomicU64::new(0),
                in_flight: Mutex::new(BTreeSet::new()),
                finished: Condvar::new(),
            }),
            handle,
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            watchdog,
            window: (batch_size.max(1) * concurrency * 16).max(50_000) as u64,
        }
    }
}

impl Sink for UploadSink {
    fn send(&mut self, batch: Batch) -> anyhow::Result<()> {
        let shared = &self.shared;
        if let Some(cause) = shared.stop.cause() {
            fail_all(
                shared,
                batch.number,
                batch.events,
                0,
                cause.reason(),
                &cause.detail(),
                None,
            );
            return Ok(());
        }
        let first = batch.events.first().map_or(0, |e| e.seq);
        {
            let mut in_flight = shared.in_flight.lock().expect("lock");
            while in_flight
                .first()
                .is_some_and(|oldest| first.saturating_sub(*oldest) > self.window)
            {
                in_flight = shared.finished.wait(in_flight).expect("lock");
            }
            in_flight.insert(first);
        }
        let permit = self
            .handle
            .block_on(Arc::clone(&self.permits).acquire_owned())?;
        let shared = Arc::clone(shared);
        self.handle.spawn(async move {
            upload_batch(&shared, batch).await;
            let mut in_flight = shared.in_flight.lock().expect("lock");
            in_flight.remove(&first);
            shared.finished.notify_all();
            drop(permit);
        });
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<SinkTotals> {
        self.watchdog.abort();
        let all = u32::try_from(self.concurrency).unwrap_or(u32::MAX);
        let _all = self
            .handle
            .block_on(Arc::clone(&self.permits).acquire_many_owned(all))?;
        let shared = &self.shared;
        if let Some(p) = &shared.payloads {
            p.lock().expect("lock").flush()?;
        }
        Ok(SinkTotals {
            requests: shared.requests.load(Ordering::SeqCst),
            retries: shared.retries.load(Ordering::SeqCst),
            events_received: shared.events_received.load(Ordering::SeqCst),
        })
    }
}

/// One part of a batch and how many attempts its rows have had so far.
struct Part {
    events: Vec<BatchEvent>,
    attempts: u32,
}

/// Sends one batch to its end: every event ends sent, rejected or failed.
async fn upload_batch(shared: &Shared, batch: Batch) {
    let number = batch.number;
    let mut parts = VecDeque::from([Part {
        events: batch.events,
        attempts: 0,
    }]);
    while let Some(part) = parts.pop_front() {
        send_part(shared, number, part, &mut parts).await;
    }
}

async fn send_part(shared: &Shared, number: u64, mut part: Part, parts: &mut VecDeque<Part>) {
    let body = shared
        .meta
        .body(part.events.iter().map(|e| e.json.as_str()));
    if let Some(p) = &shared.payloads {
        let mut p = p.lock().expect("lock");
        let _ = p
            .write_all(body.as_bytes())
            .and_then(|()| p.write_all(b"\n"));
    }
    let mut retries = 0u32;
    loop {
        if let Some(cause) = shared.stop.cause() {
            // Nothing new goes out after a stop: not a retry, not a request
            // that waited behind the rate cap.
            fail_all(
                shared,
                number,
                part.events,
                part.attempts,
                cause.reason(),
                &cause.detail(),
                None,
            );
            return;
        }
        let ready = shared.stop.unless_stopped(async {
            shared.pause.wait().await;
            shared.rate.ready().await;
            shared.pause.wait().await;
        });
        if ready.await.is_none() || shared.stop.is_stopped() {
            continue;
        }
        part.attempts += 1;
        shared.requests.fetch_add(1, Ordering::Relaxed);
        shared.counters.in_flight.fetch_add(1, Ordering::Relaxed);
        let answer = shared
            .stop
            .within_grace(shared.client.post_events(&body))
            .await;
        shared.counters.in_flight.fetch_sub(1, Ordering::Relaxed);
        let Some(answer) = answer else {
            // The grace after a stop ran out with the request in flight: it
            // may have reached Meta, which dedups a resend of it.
            let detail = shared
                .stop
                .cause()
                .map(StopCause::detail)
                .unwrap_or_default();
            let detail = format!("abandoned in flight when the stop's grace ran out; {detail}");
            let reason = shared
                .stop
                .cause()
                .map_or(Reason::Interrupted, StopCause::reason);
            fail_all(
                shared,
                number,
                part.events,
                part.attempts,
                reason,
                &detail,
                None,
            );
            return;
        };
        if let Some(wait) = answer.usage.self_imposed_pause() {
            shared.pause.extend(wait);
        }
        let (reason, detail) = match answer.verdict {
            Verdict::Accepted {
                events_received,
                fbtrace_id,
            } => {
                shared.outage.success();
                shared
                    .events_received
                    .fetch_add(events_received, Ordering::Relaxed);
                let trace: Option<Arc<str>> = fbtrace_id.map(Into::into);
                let ending = Ending {
                    batch: number,
                    attempts: part.attempts,
                    status: Status::Sent,
                    reason: None,
                    detail: &no_detail(),
                    fbtrace_id: &trace,
                };
                report(shared, part.events, &ending);
                return;
            }
            Verdict::Invalid {
                message,
                index,
                fbtrace_id,
            } => {
                isolate(shared, number, part, index, &message, fbtrace_id, parts);
                return;
            }
            Verdict::Auth { code, message } => {
                let message = format!(
                    "Graph error {code}: {message} (the token is expired or lacks permission for this dataset)"
                );
                shared.stop.request(StopCause::Auth(StopReason {
                    code,
                    message: message.clone(),
                }));
                fail_all(
                    shared,
                    number,
                    part.events,
                    part.attempts,
                    Reason::Auth,
                    &message,
                    None,
                );
                return;
            }
            Verdict::Fatal {
                code,
                message,
                fbtrace_id,
            } => {
                let detail = match code {
                    Some(c) => format!("Graph error {c}: {message}"),
                    None => message,
                };
                fail_all(
                    shared,
                    number,
                    part.events,
                    part.attempts,
                    Reason::Network,
                    &detail,
                    fbtrace_id.map(Into::into),
                );
                return;
            }
            Verdict::RateLimited { detail, wait } => {
                if let Some(asked) = wait.filter(|w| *w > shared.max_pause) {
                    // Waiting it out would hold the job for longer than the
                    // user allows: stop, and say when Meta expects us back.
                    let until = jiff::Timestamp::now()
                        .checked_add(jiff::SignedDuration::try_from(asked).unwrap_or_default())
                        .unwrap_or(jiff::Timestamp::MAX);
                    shared
                        .stop
                        .request(StopCause::LongPause { wait: asked, until });
                    continue;
                }
                let wait = wait
                    .unwrap_or_default()
                    .max(shared.retry.backoff(retries + 1));
                shared.pause.extend(wait);
                let until = jiff::Timestamp::now().as_second() + wait.as_secs() as i64;
                shared
                    .counters
                    .paused_until
                    .fetch_max(until.max(0) as u64, Ordering::Relaxed);
                (Reason::RateLimited, detail)
            }
            Verdict::Transient { detail } => {
                shared.outage.failure(&detail);
                shared.outage.check(&shared.stop);
                let backoff = tokio::time::sleep(shared.retry.backoff(retries));
                if shared.stop.unless_stopped(backoff).await.is_none() {
                    continue;
                }
                (Reason::Network, detail)
            }
        };
        if retries >= shared.retry.max_retries {
            let detail = format!(
                "gave up after {} attempts; last answer: {detail}",
                part.attempts
            );
            fail_all(
                shared,
                number,
                part.events,
                part.attempts,
                reason,
                &detail,
                None,
            );
            return;
        }
        retries += 1;
        shared.retries.fetch_add(1, Ordering::Relaxed);
        Counters::add(&shared.counters.retries, 1);
    }
}

/// Code 100: report the named event rejected and queue the rest, or split
/// the part in halves when Meta did not name one.
fn isolate(
    shared: &Shared,
    number: u64,
    mut part: Part,
    index: Option<usize>,
    message: &str,
    fbtrace_id: Option<String>,
    parts: &mut VecDeque<Part>,
) {
    let trace: Option<Arc<str>> = fbtrace_id.map(Into::into);
    let detail: Arc<str> = format!("Meta refused this event: {message}").into();
    let reject = |e: BatchEvent, attempts: u32| {
        let ending = Ending {
            batch: number,
            attempts,
            status: Status::Rejected,
            reason: Some(Reason::Graph100),
            detail: &detail,
            fbtrace_id: &trace,
        };
        report(shared, vec![e], &ending);
    };
    match index {
        Some(i) if i < part.events.len() => {
            let bad = part.events.remove(i);
            reject(bad, part.attempts);
            if !part.events.is_empty() {
                parts.push_front(part);
            }
        }
        _ if part.events.len() == 1 => {
            reject(part.events.remove(0), part.attempts);
        }
        _ => {
            let tail = part.events.split_off(part.events.len() / 2);
            parts.push_front(Part {
                events: tail,
                attempts: part.attempts,
            });
            parts.push_front(part);
        }
    }
}

/// Reports every row of `events` as ending the same way.
fn report(shared: &Shared, events: Vec<BatchEvent>, ending: &Ending<'_>) {
    let mut lines = Vec::with_capacity(events.len());
    for e in events {
        e.report_lines(ending, &mut lines);
    }
    let _ = shared.report.send(lines);
}

fn fail_all(
    shared: &Shared,
    batch: u64,
    events: Vec<BatchEvent>,
    attempts: u32,
    reason: Reason,
    detail: &str,
    fbtrace_id: Option<Arc<str>>,
) {
    let ending = Ending {
        batch,
        attempts,
        status: Status::Failed,
        reason: Some(reason),
        detail: &detail.into(),
        fbtrace_id: &fbtrace_id,
    };
    report(shared, events, &ending);
}
