//! The consumer's part of the pipeline: one mapped chunk's outcomes, in
//! input order, each to a batch for the sink or a line for the report
//! (and, under `--resume`, a row an earlier run sent carried over).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::unread::unread_lines;
use super::{BatchEvent, Batcher, Chunk, Mapped, ReadError, ReportTx, Sink, grouped, twins};
use crate::mapper::RowMapper;
use crate::outcome::{Reason, RowOutcome, Verdict};
use crate::progress::Counters;
use crate::records::Record;
use crate::report::{ReportLine, Status};
use crate::resume::Previous;
use crate::stop::RunStop;
use crate::summary::Summary;

use super::unread::carried_over;

/// What the consumer keeps from chunk to chunk.
pub(super) struct Consumer<'a> {
    pub mappers: &'a [RowMapper],
    pub counters: &'a Counters,
    pub report_tx: &'a ReportTx,
    pub summary: Summary,
    pub batcher: Batcher,
    pub twins: twins::Twins,
    pub previous: Option<Previous>,
}

/// The consumer's ends of the CPU stage's channels.
pub(super) struct Queues {
    /// The chunks' markers in input order (and read errors, and chunks
    /// counted but not read after a stop).
    pub order: Receiver<Result<Chunk, ReadError>>,
    /// Mapped chunks, in the order the workers finish them.
    pub done: Receiver<(u64, Mapped)>,
    /// A token back for each chunk taken: room for the next.
    pub tokens: Sender<()>,
    /// Records back to the reader, to be filled again.
    pub recycle: Sender<Vec<Record>>,
}

/// How the input ended for the consumer.
pub(super) enum End {
    /// Every chunk taken.
    Done,
    /// The reader failed; the rows before are all taken.
    ReadError(ReadError),
    /// The run stopped and its grace is over with the reader still busy.
    Abandoned,
}

/// The input rows an outcome stands for (an order: its lines).
fn rows_of(outcome: &RowOutcome) -> u32 {
    match &outcome.verdict {
        Verdict::Valid(ev) => ev.rows.max(1),
        Verdict::Rejected { .. } | Verdict::Skipped { .. } => 1,
    }
}

impl Consumer<'_> {
    /// Takes every chunk in input order until the input ends.
    pub fn drain(
        &mut self,
        q: &Queues,
        stop: &RunStop,
        sink: &mut dyn Sink,
    ) -> anyhow::Result<End> {
        let mut ready: std::collections::BTreeMap<u64, Mapped> = Default::default();
        loop {
            let marker = match next_marker(&q.order, stop) {
                Next::Item(Ok(m)) => m,
                Next::Item(Err(e)) => return Ok(End::ReadError(e)),
                Next::End => return Ok(End::Done),
                Next::Abandoned => return Ok(End::Abandoned),
            };
            if marker.unread > 0 {
                let lines = unread_lines(&marker, stop, self.previous.as_mut(), &mut self.summary);
                Counters::add(&self.counters.rows_read, marker.unread);
                self.report_tx.send(lines)?;
                continue;
            }
            let (outcomes, records) = loop {
                if let Some(o) = ready.remove(&marker.seq) {
                    break o;
                }
                let (seq, o) = q.done.recv().expect("a worker answers every chunk");
                ready.insert(seq, o);
            };
            let _ = q.tokens.send(());
            let _ = q.recycle.try_send(records);
            self.take(outcomes, sink)?;
        }
    }

    /// One chunk's outcomes: full batches go to `sink`, the other rows'
    /// lines to the report.
    pub fn take(&mut self, outcomes: Vec<RowOutcome>, sink: &mut dyn Sink) -> anyhow::Result<()> {
        let chunk_rows: u64 = outcomes.iter().map(|o| u64::from(rows_of(o))).sum();
        Counters::add(&self.counters.rows_read, chunk_rows);
        let mut rejected = Vec::new();
        for outcome in outcomes {
            let rows = rows_of(&outcome);
            self.summary.rows += u64::from(rows);
            if self.carried(&outcome, rows, &mut rejected) {
                continue;
            }
            let at = Place {
                seq: outcome.seq,
                file: outcome.file,
                row: outcome.row,
            };
            match outcome.verdict {
                Verdict::Valid(ev) => {
                    self.summary.count_keys(ev.keys);
                    if twins::watched(self.mappers, outcome.file) {
                        self.twins.see(&ev.event_id);
                    }
                    if ev.rows > 1 || grouped(self.mappers, outcome.file) {
                        self.summary.orders += 1;
                        self.summary.orders_with_conflicting_customer_data +=
                            u64::from(ev.conflicting_customer_data);
                    }
                    let full = self.batcher.push(BatchEvent {
                        seq: at.seq,
                        file: at.file,
                        row: at.row,
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
                            self.report_tx.send(std::mem::take(&mut rejected))?;
                        }
                        sink.send(batch)?;
                    }
                }
                Verdict::Rejected {
                    rejection,
                    event_id,
                } => rejected.push(unsent_line(
                    at,
                    Status::Rejected,
                    rejection.reason,
                    rejection.detail,
                    event_id,
                )),
                Verdict::Skipped { skip, event_id } => rejected.push(unsent_line(
                    at,
                    Status::Skipped,
                    skip.reason,
                    skip.detail,
                    event_id,
                )),
            }
        }
        if !rejected.is_empty() {
            self.report_tx.send(rejected)?;
        }
        Ok(())
    }

    /// `--resume`: whether the earlier run sent every row of `outcome`;
    /// then their lines are carried over into `lines`.
    fn carried(&mut self, outcome: &RowOutcome, rows: u32, lines: &mut Vec<ReportLine>) -> bool {
        let Some(prev) = self.previous.as_mut() else {
            return false;
        };
        // Every row of an order shares its status: the first tells.
        let earlier: Vec<_> = (0..u64::from(rows))
            .filter_map(|r| prev.take(outcome.file, outcome.row + r))
            .collect();
        if earlier.len() != rows as usize
            || !earlier.iter().all(|l| l.status() == Status::Sent.as_str())
        {
            return false;
        }
        self.summary.sent_by_earlier_run += u64::from(rows);
        for (r, line) in earlier.iter().enumerate() {
            lines.push(carried_over(outcome.seq + r as u64, line));
        }
        true
    }
}

/// Where an outcome's row is: its sequence number, file and row.
#[derive(Clone, Copy)]
struct Place {
    seq: u64,
    file: u32,
    row: u64,
}

/// The report line of a row that goes to no batch.
fn unsent_line(
    at: Place,
    status: Status,
    reason: Reason,
    detail: impl Into<Arc<str>>,
    event_id: Option<String>,
) -> ReportLine {
    ReportLine {
        seq: at.seq,
        file: at.file,
        row: at.row,
        status,
        event_id,
        batch: None,
        attempts: 0,
        reason: Some(reason),
        detail: Some(detail.into()),
        fbtrace_id: None,
    }
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
