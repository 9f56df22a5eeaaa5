//! The dispatch thread: each chunk the reader cut goes to the CPU stage
//! once a token says there is room, and its marker goes to the consumer
//! in input order, so the consumer can put the mapped chunks back in
//! order whichever worker finishes first.
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

/// The channels the dispatcher joins.
pub(super) struct Lines {
    /// Chunks from the reader.
    pub chunks: Receiver<Result<Chunk, ReadError>>,
    /// Markers (and read errors, and unread chunks) to the consumer.
    pub order: Sender<Result<Chunk, ReadError>>,
    /// One token per chunk the CPU stage may hold.
    pub tokens: Receiver<()>,
    /// Mapped chunks, by sequence number, to the consumer.
    pub done: Sender<(u64, Mapped)>,
}

/// Starts the CPU stage's `workers` threads and the dispatcher feeding
/// them; the workers end when the dispatcher does.
pub(super) fn spawn(
    lines: Lines,
    mappers: Arc<Vec<RowMapper>>,
    workers: usize,
) -> std::io::Result<thread::JoinHandle<()>> {
    let (work_tx, work_rx) = bounded::<(Chunk, Sender<(u64, Mapped)>)>(workers);
    for i in 0..workers {
        let (work, mappers) = (work_rx.clone(), Arc::clone(&mappers));
        thread::Builder::new()
            .name(format!("cpu-{i}"))
            .spawn(move || work_on(&work, &mappers))?;
    }
    thread::Builder::new()
        .name("dispatch".into())
        .spawn(move || dispatch(lines, &work_tx))
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

fn dispatch(lines: Lines, work: &Sender<(Chunk, Sender<(u64, Mapped)>)>) {
    for item in lines.chunks {
        let chunk = match item {
            Ok(chunk) => chunk,
            Err(e) => {
                let _ = lines.order.send(Err(e));
                return;
            }
        };
        if chunk.unread > 0 {
            // Counted after a stop, never mapped.
            if lines.order.send(Ok(chunk)).is_err() {
                return;
            }
            continue;
        }
        if lines.tokens.recv().is_err() {
            return;
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
        if work.send((chunk, lines.done.clone())).is_err() {
            return;
        }
        if lines.order.send(Ok(marker)).is_err() {
            return;
        }
    }
}
