//! A report that cannot be written (a full disk, a removed folder) ends
//! the run: the report is the journal a resume reads, so nothing more is
//! sent once a line could not be written, and the run ends with the
//! report's own error, naming its file ([`crate::io_context`]), instead of
//! what the other stages saw of it ("sending on a disconnected channel").

use std::sync::{Arc, Mutex};

use crate::stop::{RunStop, StopCause};

/// The report thread's error, once it failed; shared with the caller.
#[derive(Clone, Default)]
pub(super) struct ReportFailure(Arc<Mutex<Option<anyhow::Error>>>);

impl ReportFailure {
    /// The report thread's result: an error stops the run (nothing more
    /// is sent) and is kept for [`ReportFailure::instead_of`].
    pub fn keep<T>(&self, result: anyhow::Result<T>, stop: &RunStop) -> anyhow::Result<T> {
        let error = match result {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        stop.request(StopCause::Interrupted);
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
        Err(anyhow::anyhow!("the report could not be written"))
    }

    /// The error the run ends with: the report's, when it failed (the
    /// other stages' errors are then only its echo).
    pub fn instead_of(&self, other: anyhow::Error) -> anyhow::Error {
        match self.0.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(e) => anyhow::anyhow!(
                "{e:#}\n  the run stopped there: the report holds the rows written before it, and nothing more was sent (requests already under way could finish; a resume sends their rows again under the same event ids); make room (or fix the path), then run the same command again (an upload with --resume)"
            ),
            None => other,
        }
    }
}
