//! The dry-run sink: the uploader's place in the pipeline taken by a
//! writer. Each batch becomes the request body it would be (for
//! `--payloads`) and its rows become `valid` in the report.

use std::io::{BufWriter, Write};

use crate::event::RequestMeta;
use crate::io_context::NamedFile;
use crate::pipeline::{Batch, Ending, ReportTx, Sink, SinkTotals};
use crate::report::{Status, no_detail};

pub struct DryRunSink {
    report: ReportTx,
    payloads: Option<BufWriter<NamedFile>>,
    meta: RequestMeta,
    requests: u64,
}

impl DryRunSink {
    pub fn new(report: ReportTx, payloads: Option<NamedFile>, meta: RequestMeta) -> DryRunSink {
        DryRunSink {
            report,
            payloads: payloads.map(|f| BufWriter::with_capacity(1 << 20, f)),
            meta,
            requests: 0,
        }
    }
}

impl Sink for DryRunSink {
    fn send(&mut self, batch: Batch) -> anyhow::Result<()> {
        self.requests += 1;
        if let Some(out) = &mut self.payloads {
            self.meta
                .write_body(out, batch.events.iter().map(|e| e.json.as_str()))?;
            out.write_all(b"\n")?;
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
