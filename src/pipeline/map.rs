//! The CPU stage's work on one chunk: each record (or, for line items,
//! each order) mapped to its outcome, with the worker's scratch.

use crate::records::Record;

use super::{Chunk, quotes};
use crate::mapper::{OrderVerdict, RowMapper, Scratch, group_key};
use crate::outcome::{Reason, Rejection, RowOutcome, Verdict};

thread_local! {
    /// Each CPU worker's buffers and memo, kept from chunk to chunk.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

pub(super) fn map_chunk(mapper: &RowMapper, chunk: Chunk) -> (Vec<RowOutcome>, Vec<Record>) {
    SCRATCH.with_borrow_mut(|scratch| map_chunk_in(mapper, chunk, scratch))
}

/// [`map_chunk`] with the given buffers.
pub(super) fn map_chunk_in(
    mapper: &RowMapper,
    mut chunk: Chunk,
    scratch: &mut Scratch,
) -> (Vec<RowOutcome>, Vec<Record>) {
    let swallowed = std::mem::take(&mut chunk.swallowed);
    let first_row = chunk.first_row;
    let (mut outcomes, records) = map_chunk_with(mapper, chunk, scratch);
    if !swallowed.is_empty() {
        quotes::reject(&mut outcomes, first_row, &swallowed);
    }
    (outcomes, records)
}

fn map_chunk_with(
    mapper: &RowMapper,
    chunk: Chunk,
    scratch: &mut Scratch,
) -> (Vec<RowOutcome>, Vec<Record>) {
    let outcome = |i: usize, verdict: Verdict| RowOutcome {
        seq: chunk.first_seq + i as u64,
        file: chunk.file,
        row: chunk.first_row + i as u64,
        verdict,
    };
    let records = &chunk.records;
    let Some(column) = mapper.plan().group_by else {
        let outcomes = records
            .iter()
            .enumerate()
            .map(|(i, rec)| outcome(i, mapper.map(rec, scratch)))
            .collect();
        return (outcomes, chunk.records);
    };
    // Line items: the reader cut the chunk at an order boundary.
    let mut outcomes = Vec::with_capacity(records.len());
    let mut i = 0;
    while i < records.len() {
        let key = group_key(&records[i], column);
        let mut end = i + 1;
        while !key.is_empty() && end < records.len() && group_key(&records[end], column) == key {
            end += 1;
        }
        let name = mapper.plan().column_name(column).to_owned();
        if key.is_empty() {
            let rejection = Rejection::new(
                Reason::BadValue,
                format!("column {name}: the order id is empty, so the line cannot join an order"),
            );
            outcomes.push(outcome(
                i,
                Verdict::Rejected {
                    rejection,
                    event_id: None,
                },
            ));
        } else if chunk.reappeared.get(i).copied().unwrap_or(false) {
            // The order's id, so the rows can be found next to the order
            // that was sent.
            let event_id = mapper.order_event_id_of(&records[i..end]);
            for r in i..end {
                let rejection = Rejection::new(
                    Reason::OrderNotContiguous,
                    format!(
                        "column {name}: this order id appeared on earlier rows that were already sent as an order; sort the export by {name} so each order's lines are together"
                    ),
                );
                let event_id = event_id.clone();
                outcomes.push(outcome(
                    r,
                    Verdict::Rejected {
                        rejection,
                        event_id,
                    },
                ));
            }
        } else {
            match mapper.map_order(&records[i..end], chunk.first_row + i as u64, scratch) {
                OrderVerdict::Valid { event, .. } => {
                    outcomes.push(outcome(i, Verdict::Valid(event)))
                }
                OrderVerdict::Rejected(verdicts) => {
                    for (r, v) in verdicts.into_iter().enumerate() {
                        outcomes.push(outcome(i + r, v));
                    }
                }
            }
        }
        i = end;
    }
    (outcomes, chunk.records)
}
