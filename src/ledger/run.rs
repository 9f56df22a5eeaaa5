//! One run's hold on the ledger: its entry in the runs table, the
//! heartbeat that keeps its claims standing, and the rule that tells a
//! live run from a dead one.
//!
//! The rule: a run is dead when its heartbeat is older than
//! [`STALE_AFTER_SECS`] (60 s; the heartbeat is written every 10 s), or at
//! once when it ran on this machine (same boot and PID namespace) and its
//! process no longer exists. A dead run's claims are free for others.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{HEARTBEAT, RunInfo, RunRow, STALE_AFTER_SECS, SharedStore, unix_now};

/// Set when the ledger could not be written: no batch goes out after.
#[derive(Default)]
pub struct Broken(Mutex<Option<String>>);

impl Broken {
    pub fn set(&self, message: String) {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.get_or_insert(message);
    }
    /// Records a ledger error, unless the run's stop ended the wait.
    pub fn record(&self, e: &anyhow::Error) {
        if e.downcast_ref::<super::StoppedWait>().is_none() {
            self.set(format!("{e:#}"));
        }
    }
    pub fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A registered run; unregisters when finished.
pub struct RunHold {
    pub store: SharedStore,
    pub info: RunInfo,
    pub broken: Arc<Broken>,
    beat: Option<(crossbeam_channel::Sender<()>, JoinHandle<()>)>,
}

impl RunHold {
    /// Registers the run and starts its heartbeat.
    pub fn start(store: SharedStore, upload_tag: &str) -> anyhow::Result<RunHold> {
        let info = RunInfo {
            run_id: new_run_id(),
            host: hostname(),
            scope: scope(),
            pid: std::process::id(),
            upload_tag: upload_tag.to_owned(),
        };
        store.register(&info, unix_now())?;
        let broken = Arc::new(Broken::default());
        let (tx, rx) = crossbeam_channel::bounded::<()>(0);
        let thread = {
            let store = SharedStore::clone(&store);
            let broken = Arc::clone(&broken);
            let run_id = info.run_id.clone();
            std::thread::Builder::new()
                .name("ledger-heartbeat".into())
                .spawn(move || {
                    while let Err(crossbeam_channel::RecvTimeoutError::Timeout) =
                        rx.recv_timeout(HEARTBEAT)
                    {
                        if let Err(e) = store.heartbeat(&run_id, unix_now()) {
                            broken.record(&e);
                        }
                    }
                })?
        };
        Ok(RunHold {
            store,
            info,
            broken,
            beat: Some((tx, thread)),
        })
    }

    /// The runs whose claims stand now, this one first.
    pub fn live_runs(&self) -> anyhow::Result<Vec<String>> {
        let now = unix_now();
        let mut live = vec![self.info.run_id.clone()];
        for run in self.store.runs()? {
            if run.run_id != self.info.run_id && is_alive(&run, &self.info.scope, now) {
                live.push(run.run_id);
            }
        }
        Ok(live)
    }

    /// Stops the heartbeat and leaves the runs table.
    pub fn finish(mut self) {
        self.end();
    }

    fn end(&mut self) {
        if let Some((tx, thread)) = self.beat.take() {
            drop(tx);
            let _ = thread.join();
            let _ = self.store.unregister(&self.info.run_id);
        }
    }
}

impl Drop for RunHold {
    fn drop(&mut self) {
        self.end();
    }
}

/// Whether a run's claims still stand.
pub fn is_alive(run: &RunRow, my_scope: &str, now: i64) -> bool {
    if now - run.heartbeat_at > STALE_AFTER_SECS {
        return false;
    }
    if run.scope == my_scope && !my_scope.is_empty() {
        return process_exists(run.pid);
    }
    true
}

fn process_exists(pid: i64) -> bool {
    if pid <= 0 {
        return false;
    }
    // A zombie (killed, not yet reaped) is gone as far as claims go.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => !std::path::Path::new("/proc/self").exists(),
    }
}

/// A run id nobody else has: time, process and randomness.
fn new_run_id() -> String {
    use rand::Rng as _;
    let r: u64 = rand::rng().random();
    format!(
        "{}-{}-{:016x}",
        jiff::Timestamp::now().as_second(),
        std::process::id(),
        r
    )
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// The machine and PID namespace: processes with the same scope see each
/// other's PIDs. Empty where it cannot be told (then only the heartbeat
/// decides).
fn scope() -> String {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    let ns = std::fs::read_link("/proc/self/ns/pid")
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if boot.trim().is_empty() || ns.is_empty() {
        return String::new();
    }
    format!("{}/{ns}", boot.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pid: i64, scope: &str, heartbeat_at: i64) -> RunRow {
        RunRow {
            run_id: "r".into(),
            scope: scope.into(),
            pid,
            heartbeat_at,
        }
    }

    #[test]
    fn a_silent_run_is_dead_after_a_minute() {
        assert!(is_alive(&row(1, "elsewhere", 1000), "here", 1059));
        assert!(!is_alive(&row(1, "elsewhere", 1000), "here", 1061));
    }

    #[test]
    fn a_gone_process_on_this_machine_is_dead_at_once() {
        let here = scope();
        assert!(!here.is_empty());
        let me = i64::from(std::process::id());
        assert!(is_alive(&row(me, &here, 1000), &here, 1001));
        // PIDs are below 2^22 on Linux.
        assert!(!is_alive(&row(1 << 23, &here, 1000), &here, 1001));
    }
}
