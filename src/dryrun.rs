//! The dry-run sink: the uploader's place in the pipeline taken by a
//! writer. Each batch becomes the request body it would be (for
//! `--payloads`) and its rows become `valid` in the report.
//!
//! The body goes to the dump straight from the events' own buffers, in
//! one `writev` per batch (its events and the two ends: at most 1002
//! pieces, under the kernel's 1024), not copied into a buffer first.

use std::io::{self, IoSlice, Write};

use crate::event::{BODY_HEAD, RequestMeta};
use crate::io_context::NamedFile;
use crate::pipeline::{Batch, Ending, ReportTx, Sink, SinkTotals};
use crate::report::{Status, no_detail};

pub struct DryRunSink {
    report: ReportTx,
    payloads: Option<NamedFile>,
    /// The body's end after the events, and the dump's line break.
    tail: Vec<u8>,
    requests: u64,
}

impl DryRunSink {
    pub fn new(report: ReportTx, payloads: Option<NamedFile>, meta: RequestMeta) -> DryRunSink {
        let mut tail = meta.tail().into_bytes();
        tail.push(b'\n');
        DryRunSink {
            report,
            payloads,
            tail,
            requests: 0,
        }
    }
}

/// Writes one dump line: the batch's body, its events separated by the
/// commas appended to them here.
fn write_body(out: &mut impl Write, tail: &[u8], batch: &mut Batch) -> io::Result<()> {
    let last = batch.events.len().saturating_sub(1);
    for e in &mut batch.events[..last] {
        e.json.push(',');
    }
    let mut slices = Vec::with_capacity(batch.events.len() + 2);
    slices.push(IoSlice::new(BODY_HEAD));
    slices.extend(batch.events.iter().map(|e| IoSlice::new(e.json.as_bytes())));
    slices.push(IoSlice::new(tail));
    write_all_vectored(out, &mut slices)
}

/// `Write::write_all_vectored`, which is not stable yet.
fn write_all_vectored(out: &mut impl Write, mut slices: &mut [IoSlice<'_>]) -> io::Result<()> {
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl Sink for DryRunSink {
    fn send(&mut self, mut batch: Batch) -> anyhow::Result<()> {
        self.requests += 1;
        if let Some(out) = &mut self.payloads {
            write_body(out, &self.tail, &mut batch)?;
        }
        let mut lines = Vec::with_capacity(batch.events.len());
        let ending = Ending {
            batch: batch.number,
            attempts: 0,
            status: Status::Valid,
            reason: None,
            detail: &no_detail(),
            fbtrace_id: &None,
        };
        for e in batch.events {
            e.report_lines(&ending, &mut lines);
        }
        self.report.send(lines)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<SinkTotals> {
        if let Some(mut out) = self.payloads {
            out.flush()?;
        }
        Ok(SinkTotals {
            requests: self.requests,
            ..SinkTotals::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BatchEvent;

    /// Takes at most 7 bytes a call, as a pipe or a full disk might.
    struct Short(Vec<u8>);

    impl Write for Short {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(7);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn batch(jsons: &[&str]) -> Batch {
        let events = jsons
            .iter()
            .enumerate()
            .map(|(i, json)| BatchEvent {
                seq: i as u64,
                file: 0,
                row: i as u64 + 1,
                rows: 1,
                event_id: format!("e{i}"),
                json: (*json).to_owned(),
                note: None,
            })
            .collect();
        Batch { number: 1, events }
    }

    #[test]
    fn the_dump_line_is_the_request_body_even_written_in_pieces() {
        let meta = RequestMeta {
            upload_tag: "store-2026-11-26".into(),
            test_event_code: None,
        };
        let sink_tail = DryRunSink::new(crossbeam_channel::bounded(1).0, None, meta.clone()).tail;
        for jsons in [
            &[][..],
            &["{\"a\":1}"],
            &["{\"a\":1}", "{\"b\":\"é\"}", "{}"],
        ] {
            let mut out = Short(Vec::new());
            write_body(&mut out, &sink_tail, &mut batch(jsons)).unwrap();
            let expected = format!("{}\n", meta.body(jsons.iter().copied()));
            assert_eq!(String::from_utf8(out.0).unwrap(), expected);
        }
    }
}
