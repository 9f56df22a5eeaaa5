//! The pipeline of DESIGN.md section 2: a reader thread, the CPU stage on
//! rayon, then batching in input order into a [`Sink`] (the uploader, or
//! the dry-run writer), with every final row outcome going to the report
//! thread.
//!
//! Every hand-over is a bounded channel, and the CPU stage has a fixed
//! number of chunks in flight, so memory stays flat whatever the input
//! size: a slow sink slows the reader down instead of queueing rows.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, bounded};
use csv::ByteRecord;

mod batcher;
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
use map::map_chunk;
use report_thread::write_report;
use unread::{carried_over, unread_lines};

use crate::mapper::RowMapper;
use crate::outcome::{RowOutcome, Verdict};
use crate::progress::Counters;
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
    records: Vec<ByteRecord>,
    /// Line items: per record, whether its order id reappeared after the
    /// order closed (the export is not grouped). Empty without grouping.
    reappeared: Vec<bool>,
    /// After a stop: rows counted but not read into `records` (nor mapped).
    unread: u64,
    /// Records rejected `bad_row` whatever they hold, with the detail: an
    /// unclosed quote and the rows it swallowed ([`quotes`]).
    swallowed: Vec<(usize, Arc<str>)>,
}

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
    // Named workers, so a profile tells the CPU stage from the rest. Only
    // the first call builds the pool; later runs reuse it.
    let _ = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("cpu-{i}"))
        .build_global();
    let Job {
        inputs,
        mappers,
        batch_size,
        stop,
        counters,
        mut previous,
    } = job;
    let mappers: Arc<Vec<RowMapper>> = Arc::new(mappers);

    // Batches of lines (up to a batch each): a report thread that falls
    // behind slows the sink down instead of queueing a million lines.
    let (report_tx, report_rx) = bounded::<Vec<ReportLine>>(64);
    let report_thread = thread::Builder::new().name("report".into()).spawn({
        let counters = Arc::clone(&counters);
        let (failure, stop) = (failure.clone(), stop.clone());
        move || failure.keep(write_report(report, report_rx, &counters), &stop)
    })?;

    let (chunk_tx, chunk_rx) = bounded::<Result<Chunk, ReadError>>(4);
    let (recycle_tx, recycle_rx) = bounded::<Vec<ByteRecord>>(8);
    let group_columns: Vec<Option<usize>> = mappers.iter().map(|m| m.plan().group_by).collect();
    let reader_counters = Arc::clone(&counters);
    let reader_stop = stop.clone();
    let reader = thread::Builder::new()
        .name("reader".into())
        .spawn(move || {
            reader::read_chunks(
                inputs,
                &group_columns,
                chunk_tx,
                recycle_rx,
                &reader_stop,
                &reader_counters,
            )
        })?;

    // CPU stage: at most `in_flight` chunks between the reader and the
    // consumer, processed on rayon, re-ordered by chunk sequence.
    let in_flight = rayon::current_num_threads() * 2 + 2;
    let (tokens_tx, tokens_rx) = bounded::<()>(in_flight);
    for _ in 0..in_flight {
        tokens_tx.send(()).expect("sized for it");
    }
    type Mapped = (Vec<RowOutcome>, Vec<ByteRecord>);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<(u64, Mapped)>();
    let (order_tx, order_rx) = bounded::<Result<Chunk, ReadError>>(in_flight);
    let dispatcher = {
        let mappers = Arc::clone(&mappers);
        thread::Builder::new()
            .name("dispatch".into())
            .spawn(move || {
                for item in chunk_rx {
                    let chunk = match item {
                        Ok(chunk) => chunk,
                        Err(e) => {
                            let _ = order_tx.send(Err(e));
                            return;
                        }
                    };
                    if chunk.unread > 0 {
                        // Counted after a stop, never mapped.
                        if order_tx.send(Ok(chunk)).is_err() {
                            return;
                        }
                        continue;
                    }
                    if tokens_rx.recv().is_err() {
                        return;
                    }
                    let seq = chunk.seq;
                    let marker = Chunk {
                        seq,
                        file: chunk.file,
                        first_row: chunk.first_row,
                        first_seq: chunk.first_seq,
                        records: Vec::new(),
                        reappeared: Vec::new(),
                        unread: 0,
                        swallowed: Vec::new(),
                    };
                    let done_tx = done_tx.clone();
                    let mappers = Arc::clone(&mappers);
                    rayon::spawn(move || {
                        let mapped = map_chunk(&mappers[chunk.file as usize], chunk);
                        let _ = done_tx.send((seq, mapped));
                    });
                    if order_tx.send(Ok(marker)).is_err() {
                        return;
                    }
                }
            })?
    };

    let mut sink = sink_factory(report_tx.clone())?;
    let mut summary = Summary::default();
    let mut batcher = Batcher::new(batch_size);
    let mut twins = twins::Twins::default();
    let mut ready: std::collections::BTreeMap<u64, Mapped> = Default::default();
    let mut read_error = None;
    let mut abandoned = false;
    loop {
        let marker = match next_marker(&order_rx, &stop) {
            Next::Item(Ok(m)) => m,
            Next::Item(Err(e)) => {
                read_error = Some(e);
                break;
            }
            Next::End => break,
            Next::Abandoned => {
                abandoned = true;
                break;
            }
        };
        if marker.unread > 0 {
            let lines = unread_lines(&marker, &stop, previous.as_mut(), &mut summary);
            Counters::add(&counters.rows_read, marker.unread);
            report_tx.send(lines)?;
            continue;
        }
        let (outcomes, records) = loop {
            if let Some(o) = ready.remove(&marker.seq) {
                break o;
            }
            let (seq, o) = done_rx.recv().expect("a worker answers every chunk");
            ready.insert(seq, o);
        };
        let _ = tokens_tx.send(());
        let _ = recycle_tx.try_send(records);
        let mut rejected = Vec::new();
        let chunk_rows: u64 = outcomes
            .iter()
            .map(|o| match &o.verdict {
                Verdict::Valid(ev) => u64::from(ev.rows.max(1)),
                Verdict::Rejected { .. } | Verdict::Skipped { .. } => 1,
            })
            .sum();
        Counters::add(&counters.rows_read, chunk_rows);
        for outcome in outcomes {
            let rows = match &outcome.verdict {
                Verdict::Valid(ev) => ev.rows.max(1),
                Verdict::Rejected { .. } | Verdict::Skipped { .. } => 1,
            };
            summary.rows += u64::from(rows);
            if let Some(prev) = previous.as_mut() {
                // Every row of an order shares its status: the first tells.
                let lines: Vec<_> = (0..u64::from(rows))
                    .filter_map(|r| prev.take(outcome.file, outcome.row + r))
                    .collect();
                if lines.len() == rows as usize
                    && lines.iter().all(|l| l.status() == Status::Sent.as_str())
                {
                    summary.sent_by_earlier_run += u64::from(rows);
                    for (r, line) in lines.iter().enumerate() {
                        rejected.push(carried_over(outcome.seq + r as u64, line));
                    }
                    continue;
                }
            }
            match outcome.verdict {
                Verdict::Valid(ev) => {
                    summary.count_keys(ev.keys);
                    if twins::watched(&mappers, outcome.file) {
                        twins.see(&ev.event_id);
                    }
                    if ev.rows > 1 || grouped(&mappers, outcome.file) {
                        summary.orders += 1;
                        summary.orders_with_conflicting_customer_data +=
                            u64::from(ev.conflicting_customer_data);
                    }
                    let full = batcher.push(BatchEvent {
                        seq: outcome.seq,
                        file: outcome.file,
                        row: outcome.row,
                        rows,
                        event_id: ev.event_id,
                        json: ev.json,
                        note: ev.note.map(Into::into),
                    });
                    if let Some(batch) = full {
                        // The chunk's rejected rows so far first: they
                        // come before some of the batch's rows, which
                        // would otherwise wait for them in the report's
                        // reorder buffer (78 % of all lines did).
                        if !rejected.is_empty() {
                            report_tx.send(std::mem::take(&mut rejected))?;
                        }
                        sink.send(batch)?;
                    }
                }
                Verdict::Rejected {
                    rejection,
                    event_id,
                } => rejected.push(ReportLine {
                    seq: outcome.seq,
                    file: outcome.file,
                    row: outcome.row,
                    status: Status::Rejected,
                    event_id,
                    batch: None,
                    attempts: 0,
                    reason: Some(rejection.reason),
                    detail: Some(rejection.detail.into()),
                    fbtrace_id: None,
                }),
                Verdict::Skipped { skip, event_id } => rejected.push(ReportLine {
                    seq: outcome.seq,
                    file: outcome.file,
                    row: outcome.row,
                    status: Status::Skipped,
                    event_id,
                    batch: None,
                    attempts: 0,
                    reason: Some(skip.reason),
                    detail: Some(skip.detail.into()),
                    fbtrace_id: None,
                }),
            }
        }
        if !rejected.is_empty() {
            report_tx.send(rejected)?;
        }
    }
    if let Some(batch) = batcher.flush() {
        sink.send(batch)?;
    }
    let totals = sink.finish()?;
    drop(report_tx);
    drop(order_rx);
    if abandoned {
        // The reader may be blocked on a pipe that never ends: leave it.
        drop(reader);
        drop(dispatcher);
    } else {
        let _ = reader.join();
        let _ = dispatcher.join();
    }
    let (counts, out) = report_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the report thread panicked"))??;

    summary.valid = counts.valid;
    summary.sent = counts.sent;
    summary.rejected = counts.rejected;
    summary.failed = counts.failed;
    summary.rejected_by_reason = counts.rejected_by_reason;
    summary.failed_by_reason = counts.failed_by_reason;
    summary.skipped = counts.skipped;
    summary.skipped_by_reason = counts.skipped_by_reason;
    summary.identical_rows = twins.repeats;
    summary.requests = totals.requests;
    summary.retries = totals.retries;
    summary.events_received = totals.events_received;
    summary.finish(started.elapsed().as_secs_f64());
    if let Some(e) = read_error {
        return Err(e.into());
    }
    Ok((summary, out))
}

enum Next {
    Item(Result<Chunk, ReadError>),
    End,
    /// The run stopped and its grace is over with the reader still busy.
    Abandoned,
}

/// The next chunk, waiting no longer than a stop's grace.
fn next_marker(rx: &Receiver<Result<Chunk, ReadError>>, stop: &RunStop) -> Next {
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(item) => return Next::Item(item),
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Next::End,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if stop.deadline().is_some_and(|d| Instant::now() >= d) {
                    return Next::Abandoned;
                }
            }
        }
    }
}
