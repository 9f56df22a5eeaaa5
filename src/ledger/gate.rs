//! The ledger's place in the pipeline: a [`Sink`] around the uploader (or
//! the dry-run writer).
//!
//! Upload: each batch's events are claimed in one transaction before the
//! batch goes out; those already sent end `skipped` / `already_sent`;
//! those another live run holds wait (bounded by that run's life) and go
//! out in a later request once free, or end skipped once that run has sent
//! them. The uploader's report lines pass through a forwarder thread that
//! records the confirmed events (one transaction per batch) before the
//! lines reach the report. When the ledger cannot be written, nothing more
//! goes out: the remaining rows end `failed` / `ledger`.
//!
//! Dry run: the same lookups, read-only.

use std::collections::HashSet;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, bounded};

use super::run::{Broken, RunHold};
use super::{Claim, DAY, KEEP_DAYS, SentInfo, SharedStore, unix_now};
use crate::event::RequestMeta;
use crate::outcome::Reason;
use crate::pipeline::{Batch, BatchEvent, Ending, ReportTx, Sink, SinkTotals};
use crate::report::{ReportLine, Status};

/// What the gate needs to know about the run.
pub struct GateSpec {
    pub dataset: String,
    pub upload_tag: String,
    pub resend: bool,
    /// `--resume`: an event this job (same upload tag) sent before it
    /// stopped is reported `sent`, as the earlier report would have.
    pub resume: bool,
    /// The clock for entries (`--now` in fixtures); claims use the real one.
    pub now: Option<i64>,
    pub stop: crate::stop::RunStop,
}

impl GateSpec {
    fn entry_now(&self) -> i64 {
        self.now.unwrap_or_else(unix_now)
    }
    fn sent_after(&self) -> i64 {
        self.entry_now() - KEEP_DAYS * DAY
    }
}

/// A ledger opened for a job, before the pipeline starts.
pub struct LedgerHook {
    pub store: SharedStore,
    pub spec: GateSpec,
    /// `Some` for uploads (a registered run), `None` for dry runs.
    pub hold: Option<RunHold>,
}

impl LedgerHook {
    /// An upload's hook: registers the run and drops expired entries.
    pub fn for_upload(store: SharedStore, spec: GateSpec) -> anyhow::Result<LedgerHook> {
        let store = store.for_run(&spec.stop);
        store.expire(spec.sent_after())?;
        let hold = RunHold::start(SharedStore::clone(&store), &spec.upload_tag)?;
        Ok(LedgerHook {
            store,
            spec,
            hold: Some(hold),
        })
    }

    pub fn for_dry_run(store: SharedStore, spec: GateSpec) -> LedgerHook {
        let store = store.for_run(&spec.stop);
        LedgerHook {
            store,
            spec,
            hold: None,
        }
    }

    /// Set when the ledger failed during the run.
    pub fn broken(&self) -> Option<Arc<Broken>> {
        self.hold.as_ref().map(|h| Arc::clone(&h.broken))
    }

    /// Wraps the sink the factory makes. The factory gets the channel the
    /// inner sink reports to.
    pub fn wrap(
        self,
        report: ReportTx,
        inner: impl FnOnce(ReportTx) -> anyhow::Result<Box<dyn Sink>>,
    ) -> anyhow::Result<Box<dyn Sink>> {
        let LedgerHook { store, spec, hold } = self;
        let spec = Arc::new(spec);
        let (inner_report, forwarder) = match &hold {
            None => (report.clone(), None),
            Some(h) => {
                let (tx, rx) = bounded::<Vec<ReportLine>>(64);
                let f = Forwarder {
                    store: SharedStore::clone(&store),
                    spec: Arc::clone(&spec),
                    run_id: h.info.run_id.clone(),
                    broken: Arc::clone(&h.broken),
                    out: report.clone(),
                };
                let thread = std::thread::Builder::new()
                    .name("ledger".into())
                    .spawn(move || f.run(rx))?;
                (tx, Some(thread))
            }
        };
        Ok(Box::new(LedgerSink {
            inner: Some(inner(inner_report)?),
            store,
            spec,
            hold,
            report,
            forwarder,
            next_number: 1,
        }))
    }
}

pub struct LedgerSink {
    inner: Option<Box<dyn Sink>>,
    store: SharedStore,
    spec: Arc<GateSpec>,
    hold: Option<RunHold>,
    report: ReportTx,
    forwarder: Option<JoinHandle<()>>,
    next_number: u64,
}

/// How long a busy event waits between two looks.
const BUSY_POLL: Duration = Duration::from_millis(200);

impl LedgerSink {
    fn forward(&mut self, events: Vec<BatchEvent>) -> anyhow::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let number = self.next_number;
        self.next_number += 1;
        self.inner
            .as_mut()
            .expect("until finish")
            .send(Batch { number, events })
    }

    fn end_lines(&self, events: Vec<BatchEvent>, status: Status, reason: Reason, detail: &str) {
        if events.is_empty() {
            return;
        }
        let detail: Arc<str> = detail.into();
        let ending = Ending {
            batch: 0,
            attempts: 0,
            status,
            reason: Some(reason),
            detail: &detail,
            fbtrace_id: &None,
        };
        let mut lines = Vec::with_capacity(events.len());
        for e in events {
            e.report_lines(&ending, &mut lines);
        }
        for l in &mut lines {
            l.batch = None;
        }
        let _ = self.report.send(lines);
    }

    fn skip(&self, event: BatchEvent, info: &SentInfo) {
        if self.spec.resume && info.upload_tag == self.spec.upload_tag {
            let detail: Arc<str> =
                "confirmed before the earlier run of this job stopped (from the ledger)".into();
            let ending = Ending {
                batch: 0,
                attempts: 0,
                status: Status::Sent,
                reason: None,
                detail: &detail,
                fbtrace_id: &None,
            };
            let mut lines = Vec::new();
            event.report_lines(&ending, &mut lines);
            for l in &mut lines {
                l.batch = None;
            }
            let _ = self.report.send(lines);
            return;
        }
        let detail = info.detail(&self.spec.dataset);
        self.end_lines(vec![event], Status::Skipped, Reason::AlreadySent, &detail);
    }

    fn fail_ledger(&self, events: Vec<BatchEvent>, message: &str) {
        let detail = format!("not sent: {message}");
        self.end_lines(events, Status::Failed, Reason::Ledger, &detail);
    }

    fn dry(&mut self, batch: Batch) -> anyhow::Result<()> {
        let ids: Vec<&str> = batch.events.iter().map(|e| e.event_id.as_str()).collect();
        let found = self
            .store
            .lookup(&self.spec.dataset, &ids, self.spec.sent_after())?;
        let mut keep = Vec::with_capacity(batch.events.len());
        for (e, f) in batch.events.into_iter().zip(found) {
            match f {
                Some(info) if !self.spec.resend => self.skip(e, &info),
                _ => keep.push(e),
            }
        }
        self.forward(keep)
    }

    /// Claims `events`; sends the ones claimed, skips the sent ones and
    /// returns the busy ones.
    fn claim_round(&mut self, events: Vec<BatchEvent>) -> anyhow::Result<Vec<BatchEvent>> {
        let hold = self.hold.as_ref().expect("uploads hold a run");
        if let Some(message) = hold.broken.get() {
            self.fail_ledger(events, &message);
            return Ok(Vec::new());
        }
        let mut distinct: Vec<&str> = Vec::with_capacity(events.len());
        let mut seen = HashSet::with_capacity(events.len());
        for e in &events {
            if seen.insert(e.event_id.as_str()) {
                distinct.push(e.event_id.as_str());
            }
        }
        let answer = hold.live_runs().and_then(|live| {
            self.store.claim(&super::ClaimAsk {
                dataset: &self.spec.dataset,
                ids: &distinct,
                run: &hold.info.run_id,
                live: &live,
                sent_after: self.spec.sent_after(),
                resend: self.spec.resend,
                now: unix_now(),
            })
        });
        let claims = match answer {
            Ok(c) => c,
            Err(_) if self.spec.stop.is_stopped() => {
                // The stop ended the wait for the ledger: these rows are
                // the stop's, not the ledger's.
                self.end_lines(
                    events,
                    Status::Failed,
                    Reason::Interrupted,
                    "the run was stopped before this row was sent",
                );
                return Ok(Vec::new());
            }
            Err(e) => {
                let message = format!("{e:#}");
                hold.broken.set(message.clone());
                self.fail_ledger(events, &message);
                return Ok(Vec::new());
            }
        };
        let by_id: std::collections::HashMap<String, Claim> = distinct
            .iter()
            .map(|s| (*s).to_owned())
            .zip(claims)
            .collect();
        let (mut send, mut busy) = (Vec::new(), Vec::new());
        for e in events {
            match by_id.get(&e.event_id) {
                Some(Claim::Mine) => send.push(e),
                Some(Claim::Sent(info)) => {
                    let info = info.clone();
                    self.skip(e, &info);
                }
                _ => busy.push(e),
            }
        }
        self.forward(send)?;
        Ok(busy)
    }
}

impl Sink for LedgerSink {
    fn send(&mut self, batch: Batch) -> anyhow::Result<()> {
        if self.hold.is_none() {
            return self.dry(batch);
        }
        let mut busy = self.claim_round(batch.events)?;
        // Held by a live run (or by this one, in a request in flight):
        // wait until it is sent, given up, or its run is gone. Every
        // claim ends within its run's life, and Ctrl-C ends the wait.
        while !busy.is_empty() {
            if self.spec.stop.is_stopped() {
                self.end_lines(
                    busy,
                    Status::Failed,
                    Reason::Interrupted,
                    "the run was stopped before this row was sent",
                );
                break;
            }
            std::thread::sleep(BUSY_POLL);
            busy = self.claim_round(busy)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<SinkTotals> {
        let totals = self.inner.take().expect("once").finish();
        if let Some(f) = self.forwarder.take() {
            let _ = f.join();
        }
        if let Some(hold) = self.hold.take() {
            hold.finish();
        }
        totals
    }
}

/// Passes the uploader's lines on to the report, then records the
/// confirmations in the ledger.
struct Forwarder {
    store: SharedStore,
    spec: Arc<GateSpec>,
    run_id: String,
    broken: Arc<Broken>,
    out: ReportTx,
}

impl Forwarder {
    fn run(self, rx: Receiver<Vec<ReportLine>>) {
        for lines in rx {
            let mut sent = Vec::new();
            let mut released = Vec::new();
            for l in &lines {
                if let Some(id) = l.event_id.as_deref() {
                    match l.status {
                        Status::Sent => sent.push(id),
                        _ => released.push(id),
                    }
                }
            }
            sent.sort_unstable();
            sent.dedup();
            released.sort_unstable();
            released.dedup();
            let sent: Vec<String> = sent.into_iter().map(str::to_owned).collect();
            let released: Vec<String> = released.into_iter().map(str::to_owned).collect();
            // The report (the resume journal) first, as promptly as
            // without a ledger; then the ledger, one transaction.
            let _ = self.out.send(lines);
            let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
            let released: Vec<&str> = released.iter().map(String::as_str).collect();
            if let Err(e) = self.store.confirm(
                &self.spec.dataset,
                &self.run_id,
                &sent,
                &released,
                &self.spec.upload_tag,
                self.spec.entry_now(),
            ) {
                self.broken.record(&e);
            }
        }
    }
}

fn gate_spec(spec: &crate::job::JobSpec, dataset: &str, meta: &RequestMeta) -> GateSpec {
    GateSpec {
        dataset: dataset.to_owned(),
        upload_tag: meta.upload_tag.clone(),
        resend: spec.resend,
        resume: spec.resume,
        now: spec.now.map(|t| t.as_second()),
        stop: spec.stop.clone(),
    }
}

/// Opens an upload's ledger and registers the run. An error names the
/// ledger; nothing has been read or sent then.
pub fn hook_for_upload(
    spec: &crate::job::JobSpec,
    dataset: &str,
    meta: &RequestMeta,
    sandboxed: bool,
) -> anyhow::Result<Option<LedgerHook>> {
    let Some(store) = super::open_store(&spec.ledger, false, sandboxed)? else {
        return Ok(None);
    };
    LedgerHook::for_upload(store, gate_spec(spec, dataset, meta)).map(Some)
}

/// A dry run's ledger, read-only: `None` without a dataset (the key is
/// dataset + event id) or when the ledger file does not exist yet.
pub fn hook_for_dry_run(
    spec: &crate::job::JobSpec,
    meta: &RequestMeta,
) -> anyhow::Result<Option<LedgerHook>> {
    let Some(dataset) = spec.dataset.as_deref() else {
        return Ok(None);
    };
    let Some(store) = super::open_store(&spec.ledger, true, false)? else {
        return Ok(None);
    };
    Ok(Some(LedgerHook::for_dry_run(
        store,
        gate_spec(spec, dataset, meta),
    )))
}
