//! The reader thread: every input in turn, in chunks of records, and for
//! line-item exports the bookkeeping of orders.
//!
//! With `group_by`, a chunk never ends inside an order, so the CPU stage
//! sees each order whole. An order id that comes back after its order
//! closed (the export is not grouped) is marked, not merged: the set of
//! closed orders holds a 64-bit hash per order (about 16 bytes each with
//! the table's overhead, so 10 million orders take some 160 MB at worst;
//! a typical export of 10 million lines with three items an order, about
//! 55 MB). Hash collisions, at 2⁻⁶⁴ per pair, would be needed to mark a
//! good order wrongly.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use crate::records::Record;
use crossbeam_channel::Receiver;

use super::dispatch::ChunkSink;

use super::quotes::place;
use super::{CHUNK_ROWS, Chunk, ReadError};
use crate::mapper::{RowMapper, group_key};
use crate::progress::Counters;
use crate::source::Input;
use crate::stop::RunStop;

/// A fixed hasher: the same key gives the same hash in every run.
type FixedState = BuildHasherDefault<DefaultHasher>;

/// Orders seen so far in a line-item run.
#[derive(Default)]
struct Orders {
    /// The key of the order being read, if any.
    open: Option<Vec<u8>>,
    closed: HashSet<u64, BuildHasherDefault<IdentityHasher>>,
    /// Whether the open order's id had already been closed.
    open_reappeared: bool,
}

impl Orders {
    /// Takes the next record's key; returns (starts a new order, the order
    /// reappeared).
    fn next(&mut self, key: &[u8]) -> (bool, bool) {
        if key.is_empty() {
            self.close();
            return (true, false);
        }
        if self.open.as_deref() == Some(key) {
            return (false, self.open_reappeared);
        }
        self.close();
        self.open_reappeared = self.closed.contains(&hash(key));
        self.open = Some(key.to_vec());
        (true, self.open_reappeared)
    }

    fn close(&mut self) {
        if let Some(key) = self.open.take() {
            self.closed.insert(hash(&key));
        }
    }
}

fn hash(key: &[u8]) -> u64 {
    FixedState::default().hash_one(key)
}

/// The keys are hashes already.
#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
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

/// Starts the reader thread on `inputs` (each read with its mapper's
/// grouping).
pub(super) fn spawn(
    inputs: Vec<Input>,
    mappers: &[RowMapper],
    tx: impl ChunkSink + Send + 'static,
    recycled: Receiver<Vec<Record>>,
    stop: RunStop,
    counters: Arc<Counters>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let group_columns: Vec<Option<usize>> = mappers.iter().map(|m| m.plan().group_by).collect();
    std::thread::Builder::new()
        .name("reader".into())
        .spawn(move || read_chunks(inputs, &group_columns, tx, recycled, &stop, &counters))
}

pub(super) fn read_chunks(
    inputs: Vec<Input>,
    group_columns: &[Option<usize>],
    tx: impl ChunkSink,
    recycled: Receiver<Vec<Record>>,
    stop: &RunStop,
    counters: &Counters,
) {
    // Bytes of the files before the current one, for the ETA.
    let mut bytes_before = 0u64;
    let mut seq = 0u64;
    let mut chunk_seq = 0u64;
    let mut orders = Orders::default();
    let mut inputs = inputs.into_iter().enumerate();
    while let Some((file, mut input)) = inputs.next() {
        let group = group_columns.get(file).copied().flatten();
        let mut row = 1u64;
        // With grouping: the record that opened the next chunk's first order.
        let mut carry: Option<(Record, bool)> = None;
        loop {
            if stop.is_stopped() {
                let at = Position {
                    seq,
                    chunk_seq,
                    row,
                };
                let carried = u64::from(carry.is_some());
                let files = std::iter::once((file, input)).chain(inputs.by_ref());
                drain(files, at, carried, &tx, stop);
                return;
            }
            // Records come back from the consumer once mapped, so their
            // buffers are grown once and then reused: no allocation per row.
            let mut records = recycled
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(CHUNK_ROWS));
            let mut reappeared = Vec::new();
            let mut swallowed = Vec::new();
            let mut filled = 0;
            let mut error = None;
            let mut more = true;
            if let Some((rec, flag)) = carry.take() {
                if records.is_empty() {
                    records.push(rec);
                } else {
                    records[0] = rec;
                }
                reappeared.push(flag);
                filled = 1;
                let extra = place(&input, &mut records, 0, row, &mut swallowed);
                reappeared.resize(reappeared.len() + extra, false);
                filled += extra;
            }
            loop {
                if filled == records.len() {
                    records.push(Record::new());
                }
                match input.reader.read_byte_record(&mut records[filled]) {
                    Ok(true) => {}
                    Ok(false) => {
                        more = false;
                        break;
                    }
                    Err(e) => {
                        error = Some(ReadError {
                            file: input.name.clone(),
                            row: row + filled as u64,
                            message: e.to_string(),
                        });
                        break;
                    }
                }
                let Some(column) = group else {
                    filled += 1 + place(
                        &input,
                        &mut records,
                        filled,
                        row + filled as u64,
                        &mut swallowed,
                    );
                    if filled >= CHUNK_ROWS {
                        break;
                    }
                    continue;
                };
                let (starts, flag) = orders.next(group_key(&records[filled], column));
                if starts && filled >= CHUNK_ROWS {
                    // Cut at the order boundary: this record opens the next chunk.
                    carry = Some((std::mem::take(&mut records[filled]), flag));
                    break;
                }
                reappeared.push(flag);
                let extra = place(
                    &input,
                    &mut records,
                    filled,
                    row + filled as u64,
                    &mut swallowed,
                );
                if extra > 0 {
                    // The stand-ins belong to no order.
                    orders.close();
                    reappeared.resize(reappeared.len() + extra, false);
                }
                filled += 1 + extra;
            }
            records.truncate(filled);
            let n = filled as u64;
            if n > 0 {
                let chunk = Chunk {
                    seq: chunk_seq,
                    file: file as u32,
                    first_row: row,
                    first_seq: seq,
                    records,
                    reappeared,
                    unread: 0,
                    swallowed,
                };
                chunk_seq += 1;
                seq += n;
                row += n;
                counters
                    .bytes_read
                    .store(bytes_before + input.bytes_read(), Ordering::Relaxed);
                if !tx.send(Ok(chunk)) {
                    return;
                }
            }
            if let Some(e) = error {
                let _ = tx.send(Err(e));
                return;
            }
            if !more && carry.is_none() {
                break;
            }
        }
        // An order does not continue into the next file.
        orders.close();
        bytes_before += input.bytes_read();
    }
}

/// Where the reader stands: the next record's run-wide and file position.
struct Position {
    seq: u64,
    chunk_seq: u64,
    row: u64,
}

/// Rows counted after a stop, per chunk sent.
const DRAIN_ROWS: u64 = 64 * 1024;

/// After a stop: counts the rest of every input without mapping it, so
/// each row still gets its report line, until the inputs end or the
/// stop's grace is over. `carried` rows of the current file were read
/// already (a record held over for the next chunk).
fn drain(
    files: impl Iterator<Item = (usize, Input)>,
    mut at: Position,
    carried: u64,
    tx: &impl ChunkSink,
    stop: &RunStop,
) {
    let deadline = stop.deadline().unwrap_or_else(Instant::now);
    let mut record = Record::new();
    let mut pending = carried;
    for (i, (file, mut input)) in files.enumerate() {
        if i > 0 {
            at.row = 1;
        }
        let mut more = true;
        while more {
            while pending < DRAIN_ROWS {
                match input.reader.read_byte_record(&mut record) {
                    Ok(true) => pending += 1,
                    // A broken record ends the count: the rows after it
                    // are read (and reported) by --resume.
                    Ok(false) | Err(_) => {
                        more = false;
                        break;
                    }
                }
            }
            if pending > 0 {
                let chunk = Chunk {
                    seq: at.chunk_seq,
                    file: file as u32,
                    first_row: at.row,
                    first_seq: at.seq,
                    records: Vec::new(),
                    reappeared: Vec::new(),
                    swallowed: Vec::new(),
                    unread: pending,
                };
                at.chunk_seq += 1;
                at.seq += pending;
                at.row += pending;
                pending = 0;
                if !tx.send(Ok(chunk)) {
                    return;
                }
            }
            if Instant::now() >= deadline {
                return;
            }
        }
    }
}
