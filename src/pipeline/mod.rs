//! The pipeline of DESIGN.md section 2: a reader thread, the CPU stage on
//! its worker threads, then batching in input order into a [`Sink`] (the
//! uploader, or the dry-run writer), with every final row outcome going to
//! the report thread.
//!
//! Every hand-over is a bounded channel, and the CPU stage has a fixed
//! number of chunks in flight, so memory stays flat whatever the input
//! size: a slow sink slows the reader down instead of queueing rows.

use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Sender, bounded};

mod batcher;
mod consume;
mod dispatch;
mod in_thread;
mod map;
mod quotes;
mod reader;
mod report_failure;
mod report_thread;
mod twins;
mod unread;

pub use batcher::Batcher;
pub(crate) use in_thread::{outcomes_in_thread, rows_of};

use crate::mapper::RowMapper;
use crate::outcome::RowOutcome;
use crate::progress::Counters;
use crate::records::Record;
use crate::report::{ReportLine, ReportWriter, Status};
use crate::resume::Previous;
use crate::source::Input;
use crate::stop::RunStop;
use crate::summary::Summary;

/// Records per chunk handed to the CPU stage: large enough to amortize the
/// hand-over, small enough to keep every core busy near the end. Every
/// queue holds chunks, so this sets the memory a run needs: 2048 gave a
/// peak RSS of 55 MB for 1M rows and up to 62 MB for 10M (the longer run
/// meets deeper queues), 1024 gives 43 MB for both. 256 keeps what a
/// worker reads and writes for a chunk (records, events) nearer its
/// cache: on the 1M-row dry-run benches CPU median 2.33 -> 2.25 s (US),
/// 2.55 -> 2.36 s (international), peak RSS 38 -> 24 MB (issue 18, third
/// round; 128 was no better).
const CHUNK_ROWS: usize = 256;

/// One valid event on its way to Meta.
#[derive(Debug, Clone)]
pub struct BatchEvent {
    pub seq: u64,
    pub file: u32,
    pub row: u64,
    /// Input rows the event stands for (an order's line items: this row
    /// and the ones after it).
    pub rows: u32,
    pub event_id: String,
    pub json: String,
    /// A warning for the report's detail.
    pub note: Option<Arc<str>>,
}

/// How an event ended, for its report lines.
pub struct Ending<'a> {
    pub batch: u64,
    pub attempts: u32,
    pub status: Status,
    pub reason: Option<crate::outcome::Reason>,
    pub detail: &'a Arc<str>,
    pub fbtrace_id: &'a Option<Arc<str>>,
}

impl BatchEvent {
    /// One report line per input row the event stands for, into `out`.
    pub fn report_lines(self, end: &Ending<'_>, out: &mut Vec<ReportLine>) {
        let detail = match (&self.note, end.detail.is_empty()) {
            (Some(note), true) => Some(Arc::clone(note)),
            (None, true) => None,
            (_, false) => Some(Arc::clone(end.detail)),
        };
        let rows = u64::from(self.rows.max(1));
        let mut event_id = Some(self.event_id);
        for r in 0..rows {
            // The last line takes the id; the others (an order's) copy it.
            let id = if r + 1 == rows {
                event_id.take()
            } else {
                event_id.clone()
            };
            out.push(ReportLine {
                seq: self.seq + r,
                file: self.file,
                row: self.row + r,
                status: end.status,
                event_id: id,
                batch: Some(end.batch),
                attempts: end.attempts,
                reason: end.reason,
                detail: detail.clone(),
                fbtrace_id: end.fbtrace_id.clone(),
            });
        }
    }
}

/// Whether the input's mapping groups line items into orders.
fn grouped(mappers: &[RowMapper], file: u32) -> bool {
    mappers
        .get(file as usize)
        .is_some_and(|m| m.plan().group_by.is_some())
}

/// Up to `--batch-size` events: one request.
#[derive(Debug, Clone)]
pub struct Batch {
    /// 1-based, in the order batches are formed.
    pub number: u64,
    pub events: Vec<BatchEvent>,
}

/// Where final report lines go; any thread may hold one.
pub type ReportTx = Sender<Vec<ReportLine>>;

/// What happens to full batches: the uploader sends them, the dry run
/// writes them down. A sink reports every event of every batch it is
/// given to the report channel exactly once.
pub trait Sink {
    /// Takes one batch. Blocks when the sink is saturated (back-pressure).
    fn send(&mut self, batch: Batch) -> anyhow::Result<()>;
    /// Waits for every batch to be final. Returns the number of requests
    /// made and retries.
    fn finish(self: Box<Self>) -> anyhow::Result<SinkTotals>;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SinkTotals {
    pub requests: u64,
    pub retries: u64,
    pub events_received: u64,
}

/// What the pipeline needs besides the sink.
pub struct Job {
    pub inputs: Vec<Input>,
    /// One mapper per input (each input has its own header).
    pub mappers: Vec<RowMapper>,
    pub batch_size: usize,
    /// The run's stop: once set, the rest of the input is only counted,
    /// each row not read reported `failed` with the stop's reason (for
    /// as long as the stop's grace lasts).
    pub stop: RunStop,
    /// Live counts for the progress display.
    pub counters: Arc<Counters>,
    /// `--resume`: the earlier report; rows it has as `sent` are not sent
    /// again, their lines are carried over.
    pub previous: Option<Previous>,
}

struct Chunk {
    seq: u64,
    file: u32,
    first_row: u64,
    first_seq: u64,
    records: Vec<Record>,
    /// Line items: per record, whether its order id reappeared after the
    /// order closed (the export is not grouped). Empty without grouping.
    reappeared: Vec<bool>,
    /// After a stop: rows counted but not read into `records` (nor mapped).
    unread: u64,
    /// Records rejected `bad_row` whatever they hold, with the detail: an
    /// unclosed quote and the rows it swallowed ([`quotes`]).
    swallowed: Vec<(usize, Arc<str>)>,
}

/// A chunk's outcomes, and its records to be reused.
type Mapped = (Vec<RowOutcome>, Vec<Record>);

/// A read error ends the run: the rows read before it are still reported.
#[derive(Debug, thiserror::Error)]
#[error("{file}: cannot read record {row}: {message}")]
pub struct ReadError {
    pub file: String,
    pub row: u64,
    pub message: String,
}

/// Runs the whole pipeline; returns the summary once every row is in the
/// report. `report` is moved to the report thread and given back flushed.
pub fn run<W: std::io::Write + Send + 'static>(
    job: Job,
    sink_factory: impl FnOnce(ReportTx) -> anyhow::Result<Box<dyn Sink>>,
    report: ReportWriter<W>,
) -> anyhow::Result<(Summary, W)> {
    let failure = report_failure::ReportFailure::default();
    run_stages(job, sink_factory, report, &failure).map_err(|e| failure.instead_of(e))
}

fn run_stages<W: std::io::Write + Send + 'static>(
    job: Job,
    sink_factory: impl FnOnce(ReportTx) -> anyhow::Result<Box<dyn Sink>>,
    report: ReportWriter<W>,
    failure: &report_failure::ReportFailure,
) -> anyhow::Result<(Summary, W)> {
    let started = Instant::now();
    let Job {
        inputs,
        mappers,
        batch_size,
        stop,
        counters,
        previous,
    } = job;
    let mappers: Arc<Vec<RowMapper>> = Arc::new(mappers);

    // Batches of lines (up to a batch each): a report thread that falls
    // behind slows the sink down instead of queueing a million lines.
    let (report_tx, report_rx) = bounded::<Vec<ReportLine>>(64);
    let report_thread = report_thread::spawn(
        report,
        report_rx,
        Arc::clone(&counters),
        failure.clone(),
        stop.clone(),
    )?;

    let (recycle_tx, recycle_rx) = bounded::<Vec<Record>>(8);

    // CPU stage: at most `in_flight` chunks between the reader and the
    // consumer, on the CPU workers, re-ordered by chunk sequence. Two a
    // worker, and four the reader may cut ahead (a channel of four chunks
    // to the dispatch thread before the reader handed them over itself).
    let workers = dispatch::cpu_workers();
    let in_flight = workers * 2 + 4;
    let (tokens_tx, tokens_rx) = bounded::<()>(in_flight);
    for _ in 0..in_flight {
        tokens_tx.send(()).expect("sized for it");
    }
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<(u64, Mapped)>();
    let (order_tx, order_rx) = bounded::<Result<Chunk, ReadError>>(in_flight);
    let dispatch = dispatch::spawn(
        dispatch::Lines {
            order: order_tx,
            tokens: tokens_rx,
            done: done_tx,
        },
        Arc::clone(&mappers),
        workers,
    )?;
    let reader = reader::spawn(
        inputs,
        &mappers,
        dispatch,
        recycle_rx,
        stop.clone(),
        Arc::clone(&counters),
    )?;

    let mut sink = sink_factory(report_tx.clone())?;
    let mut consumer = consume::Consumer {
        mappers: &mappers,
        counters: &counters,
        report_tx: &report_tx,
        summary: Summary::default(),
        batcher: Batcher::new(batch_size),
        twins: twins::Twins::default(),
        previous,
    };
    let end = consumer.drain(
        &consume::Queues {
            order: order_rx,
            done: done_rx,
            tokens: tokens_tx,
            recycle: recycle_tx,
        },
        &stop,
        sink.as_mut(),
    )?;
    let consume::Consumer {
        mut summary,
        mut batcher,
        twins,
        ..
    } = consumer;
    if let Some(batch) = batcher.flush() {
        sink.send(batch)?;
    }
    let totals = sink.finish()?;
    drop(report_tx);
    if matches!(end, consume::End::Abandoned) {
        // The reader may be blocked on a pipe that never ends: leave it.
        drop(reader);
    } else {
        let _ = reader.join();
    }
    let (counts, out) = report_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the report thread panicked"))??;

    add_totals(&mut summary, counts, twins.repeats, totals);
    summary.finish(started.elapsed().as_secs_f64());
    if let consume::End::ReadError(e) = end {
        return Err(e.into());
    }
    Ok((summary, out))
}

/// What the report thread counted, the sink's totals and the repeated
/// rows, into the run's summary.
fn add_totals(
    summary: &mut Summary,
    counts: report_thread::Counts,
    repeats: u64,
    totals: SinkTotals,
) {
    summary.valid = counts.valid;
    summary.sent = counts.sent;
    summary.rejected = counts.rejected;
    summary.failed = counts.failed;
    summary.rejected_by_reason = counts.rejected_by_reason;
    summary.failed_by_reason = counts.failed_by_reason;
    summary.skipped = counts.skipped;
    summary.skipped_by_reason = counts.skipped_by_reason;
    summary.identical_rows = repeats;
    summary.requests = totals.requests;
    summary.retries = totals.retries;
    summary.events_received = totals.events_received;
}
