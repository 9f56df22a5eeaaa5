//! Serving on stdio, and stopping well. The CLI's Ctrl-C handler is not
//! used here: it belongs to one job on the main thread and ends the process
//! with code 130. This process serves many calls, some running jobs, so the
//! client closing stdin or a SIGINT/SIGTERM stops every running job the way
//! a first Ctrl-C stops `offconv upload` (requests in flight finish, the
//! report is complete and resumable), every call still gets its answer
//! (`stopped: interrupted`), and the server exits 0. Only a second signal
//! exits at once, with 130; the reports on disk still hold every row Meta
//! confirmed.

use std::sync::Arc;

use anyhow::Context as _;
use rmcp::ServiceExt as _;

use super::{OffconvServer, Settings};

/// Serves the MCP protocol on stdin/stdout until the client closes stdin or
/// a SIGINT/SIGTERM comes. Either way running jobs are stopped the way a
/// first Ctrl-C stops `offconv upload` (their reports stay complete and
/// resumable) and waited for; a second signal exits at once.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let server = OffconvServer::new(settings);
    let exports = Arc::clone(&server.exports);
    let running = server
        .serve(super::lines::LineTransport::new(
            tokio::io::stdin(),
            tokio::io::stdout(),
        ))
        .await
        .context("the MCP client did not complete the handshake")?;
    let cancel = running.cancellation_token();
    let mut signals = Signals::new()?;
    let waiting = running.waiting();
    tokio::pin!(waiting);
    tokio::select! {
        quit = &mut waiting => {
            quit.context("the MCP service failed")?;
        }
        () = signals.next() => {
            tracing::info!("stopping: running jobs finish their requests in flight, then offconv mcp exits");
            exports.stop_all();
            tokio::select! {
                () = exports.wait_idle() => {}
                () = signals.next() => std::process::exit(130),
            }
            cancel.cancel();
            let _ = waiting.await;
            return Ok(());
        }
    }
    // The client went away: stop what it started, and let it end cleanly.
    exports.stop_all();
    exports.wait_idle().await;
    Ok(())
}

/// SIGINT and SIGTERM, as one stream.
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> anyhow::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt()).context("cannot watch SIGINT")?,
            terminate: signal(SignalKind::terminate()).context("cannot watch SIGTERM")?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}
