//! The hand-over from the reader to the CPU stage: each chunk the reader
//! cut goes to the workers once a token says there is room, and its
//! marker goes to the consumer in input order, so the consumer can put
//! the mapped chunks back in order whichever worker finishes first.
//!
//! The reader hands over itself ([`Dispatch::send`], on its own thread).
//! A dispatch thread between the two was one more wake-up per chunk and
//! a sixth of the run's context switches (3,070 of 19,100 on 1M rows).
//!
//! The CPU stage is one worker thread per core (`cpu-0`, `cpu-1`, …)
//! taking chunks from one channel. It was rayon's pool: a rayon worker
//! out of work yields its core 32 times before it sleeps, and with the
//! reader, the consumer and the report writer sharing the same cores a
//! worker ran out of work at every chunk (5,800 `sched_yield` calls on
//! 264k rows); a worker blocked on a channel sleeps after a few.

use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender, bounded};

use super::map::map_chunk;
use super::{Chunk, Mapped, ReadError};
use crate::mapper::RowMapper;

/// Where the reader's chunks go: what it calls once per chunk (or read
/// error); `false` when nobody is listening any more, so it stops.
pub(super) trait ChunkSink {
    fn send(&self, item: Result<Chunk, ReadError>) -> bool;
}

/// Every item, in order, on a channel (the in-thread reading of
/// [`super::outcomes_in_thread`]).
impl ChunkSink for Sender<Result<Chunk, ReadError>> {
    fn send(&self, item: Result<Chunk, ReadError>) -> bool {
        Sender::send(self, item).is_ok()
    }
}

/// The channels the hand-over joins.
pub(super) struct Lines {
    /// Markers (and read errors, and unread chunks) to the consumer.
    pub order: Sender<Result<Chunk, ReadError>>,
    /// One token per chunk the CPU stage may hold.
    pub tokens: Receiver<()>,
    /// Mapped chunks, by sequence number, to the consumer.
    pub done: Sender<(u64, Mapped)>,
}

/// The reader's side of the CPU stage.
pub(super) struct Dispatch {
    lines: Lines,
    work: Sender<(Chunk, Sender<(u64, Mapped)>)>,
}

/// Starts the CPU stage's `workers` threads; they end when the returned
/// [`Dispatch`] is dropped (the reader's end).
pub(super) fn spawn(
    lines: Lines,
    mappers: Arc<Vec<RowMapper>>,
    workers: usize,
) -> std::io::Result<Dispatch> {
    let (work, work_rx) = bounded::<(Chunk, Sender<(u64, Mapped)>)>(workers);
    for i in 0..workers {
        let (work, mappers) = (work_rx.clone(), Arc::clone(&mappers));
        thread::Builder::new()
            .name(format!("cpu-{i}"))
            .spawn(move || work_on(&work, &mappers))?;
    }
    Ok(Dispatch { lines, work })
}

/// The threads of the CPU stage: as many as the machine has cores.
pub(super) fn cpu_workers() -> usize {
    thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// A worker's loop. A panic while mapping (a bug: input never panics)
/// ends the process, as it did on rayon's pool: the consumer would
/// otherwise wait for that chunk for ever.
fn work_on(work: &Receiver<(Chunk, Sender<(u64, Mapped)>)>, mappers: &[RowMapper]) {
    for (chunk, done) in work {
        let seq = chunk.seq;
        let mapper = &mappers[chunk.file as usize];
        let mapped =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| map_chunk(mapper, chunk)))
                .unwrap_or_else(|_| std::process::abort());
        let _ = done.send((seq, mapped));
    }
}

impl ChunkSink for Dispatch {
    /// A chunk to the workers (waiting for a token) and its marker to the
    /// consumer; a read error or an unread chunk (counted after a stop,
    /// never mapped) straight to the consumer.
    fn send(&self, item: Result<Chunk, ReadError>) -> bool {
        let lines = &self.lines;
        let chunk = match item {
            Ok(chunk) if chunk.unread == 0 => chunk,
            other => return lines.order.send(other).is_ok(),
        };
        if lines.tokens.recv().is_err() {
            return false;
        }
        let marker = Chunk {
            seq: chunk.seq,
            file: chunk.file,
            first_row: chunk.first_row,
            first_seq: chunk.first_seq,
            records: Vec::new(),
            reappeared: Vec::new(),
            unread: 0,
            swallowed: Vec::new(),
        };
        self.work.send((chunk, lines.done.clone())).is_ok() && lines.order.send(Ok(marker)).is_ok()
    }
}
