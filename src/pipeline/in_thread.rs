//! The reader and the CPU stage of [`run`](super::run) on the calling
//! thread, without batching, sink or report: every row outcome of one
//! input, in order. The fuzz targets and their regression tests
//! ([`crate::fuzzing`]) call this: the same reading (chunks, line-item
//! orders, unclosed quotes) and mapping as a run, deterministic and
//! without threads.

use crossbeam_channel::unbounded;

use super::map::map_chunk_in;
use super::{Chunk, ReadError, quotes, reader};
use crate::mapper::{RowMapper, Scratch};
use crate::outcome::RowOutcome;
use crate::progress::Counters;
use crate::source::Input;
use crate::stop::RunStop;

/// The outcomes of `input`'s records as a run maps them, and the read
/// error that ended the input early, if any (a run stops there).
pub(crate) fn outcomes_in_thread(
    input: Input,
    mapper: &RowMapper,
) -> (Vec<RowOutcome>, Option<ReadError>) {
    // Unbounded: the reader never waits, so it runs to the end here.
    let (tx, rx) = unbounded::<Result<Chunk, ReadError>>();
    let (_recycle_tx, recycle_rx) = unbounded();
    let group = [mapper.plan().group_by];
    reader::read_chunks(
        vec![input],
        &group,
        tx,
        recycle_rx,
        &RunStop::new(),
        &Counters::default(),
    );
    let mut scratch = Scratch::default();
    let mut outcomes = Vec::new();
    for item in rx {
        match item {
            Ok(chunk) => outcomes.extend(map_chunk_in(mapper, chunk, &mut scratch).0),
            Err(e) => return (outcomes, Some(e)),
        }
    }
    (outcomes, None)
}

/// The rows of `input` as the user counts them, up to the first record
/// that cannot be read: each record, plus the rows a value with an
/// unclosed quote swallowed ([`quotes`]).
pub(crate) fn rows_of(mut input: Input) -> u64 {
    let (delimiter, columns) = (input.delimiter, input.header.len());
    let mut rows = 0;
    let mut record = crate::records::Record::new();
    while let Ok(true) = input.reader.read_byte_record(&mut record) {
        let swallowed = quotes::swallowed(&record, delimiter, columns);
        rows += 1 + swallowed.map_or(0, |s| s.rows as u64);
    }
    rows
}
