//! The dispatch thread: each chunk the reader cut goes to the CPU stage
//! (rayon) once a token says there is room, and its marker goes to the
//! consumer in input order, so the consumer can put the mapped chunks
//! back in order whichever worker finishes first.

use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender};

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

pub(super) fn spawn(
    lines: Lines,
    mappers: Arc<Vec<RowMapper>>,
) -> std::io::Result<thread::JoinHandle<()>> {
    thread::Builder::new()
        .name("dispatch".into())
        .spawn(move || dispatch(lines, &mappers))
}

fn dispatch(lines: Lines, mappers: &Arc<Vec<RowMapper>>) {
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
        let done = lines.done.clone();
        let mappers = Arc::clone(mappers);
        rayon::spawn(move || {
            let mapped = map_chunk(&mappers[chunk.file as usize], chunk);
            let _ = done.send((seq, mapped));
        });
        if lines.order.send(Ok(marker)).is_err() {
            return;
        }
    }
}
