//! Valid events into batches of `--batch-size`, in input order.

use super::{Batch, BatchEvent};

/// Groups valid events, in input order, into batches.
pub struct Batcher {
    size: usize,
    next_number: u64,
    events: Vec<BatchEvent>,
}

impl Batcher {
    pub fn new(size: usize) -> Batcher {
        Batcher {
            size: size.max(1),
            next_number: 1,
            events: Vec::with_capacity(size.max(1)),
        }
    }

    /// Adds an event; returns the batch when it is full.
    pub fn push(&mut self, event: BatchEvent) -> Option<Batch> {
        self.events.push(event);
        (self.events.len() >= self.size).then(|| self.take())
    }

    /// The last, partial batch.
    pub fn flush(&mut self) -> Option<Batch> {
        (!self.events.is_empty()).then(|| self.take())
    }

    fn take(&mut self) -> Batch {
        let number = self.next_number;
        self.next_number += 1;
        Batch {
            number,
            events: std::mem::replace(&mut self.events, Vec::with_capacity(self.size)),
        }
    }
}
