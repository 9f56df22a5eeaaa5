//! The ledger (DESIGN.md section 7): which events each dataset has
//! confirmed, so that no run sends one twice, also past Meta's 7 days.
//!
//! One trait, [`Store`], with two stores behind it: a SQLite file (the
//! default, [`sqlite`]) and a PostgreSQL database shared by several machines
//! ([`postgres`]). The pipeline knows neither: [`gate::LedgerSink`] wraps
//! the uploader (or the dry-run writer), claims each batch's events before
//! it goes out and records them when Meta confirms them.
//!
//! Claims: an event is claimed (dataset, event id, run id, claimed at)
//! before its batch goes out. A claim is live while its run is: a run
//! writes a heartbeat every [`HEARTBEAT`]; a run whose heartbeat is older
//! than [`STALE_AFTER`], or whose process is gone from this very machine,
//! is dead, and its claims are free again.

use std::sync::Arc;

pub mod gate;
pub mod open;
mod pg_conn;
pub mod postgres;
pub mod run;
pub mod sqlite;

pub use open::{LedgerChoice, open_store};

/// How often a run tells the ledger it is alive.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);
/// A run whose heartbeat is older than this is taken for dead.
pub const STALE_AFTER_SECS: i64 = 60;
/// Entries are dropped this long after their last send: 62 days (the
/// oldest event Meta takes) plus Meta's own 7 days of deduplication.
pub const KEEP_DAYS: i64 = 69;
/// Seconds per day.
pub const DAY: i64 = 86_400;

/// The error of a ledger wait that the run's stop ended (not a fault of
/// the ledger: the run ends as its stop says, not as a ledger failure).
#[derive(Debug)]
pub struct StoppedWait;

impl std::fmt::Display for StoppedWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the run was stopped")
    }
}

impl std::error::Error for StoppedWait {}

/// How a first send is remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentInfo {
    /// Unix seconds of the first confirmed send.
    pub first_sent_at: i64,
    pub upload_tag: String,
}

impl SentInfo {
    /// The report's detail for a row skipped because of this entry.
    pub fn detail(&self, dataset: &str) -> String {
        let day = jiff::Timestamp::from_second(self.first_sent_at)
            .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|_| self.first_sent_at.to_string());
        format!(
            "already sent to dataset {dataset} on {day} (upload tag {}); --resend sends it again",
            self.upload_tag
        )
    }
}

/// What a claim found for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Claimed by this run: send it.
    Mine,
    /// Confirmed earlier: skip it.
    Sent(SentInfo),
    /// Claimed by a run that is alive (maybe this one, in another
    /// batch): wait for it.
    Busy,
}

impl Claim {
    /// The answer for each of `ids`, in order: claimed by this run
    /// (`mine`), else confirmed earlier (`sent`), else busy elsewhere.
    pub fn answers(
        ids: &[&str],
        mine: &std::collections::HashSet<String>,
        mut sent: std::collections::HashMap<String, SentInfo>,
    ) -> Vec<Claim> {
        ids.iter()
            .map(|id| {
                if mine.contains(*id) {
                    Claim::Mine
                } else if let Some(info) = sent.remove(*id) {
                    Claim::Sent(info)
                } else {
                    Claim::Busy
                }
            })
            .collect()
    }
}

/// One batch's claim: `ids` (distinct) for `run`. `live` are the runs
/// whose claims stand (this one among them); an entry sent before
/// `sent_after` does not count (expired); `resend` claims sent ones too.
pub struct ClaimAsk<'a> {
    pub dataset: &'a str,
    pub ids: &'a [&'a str],
    pub run: &'a str,
    pub live: &'a [String],
    pub sent_after: i64,
    pub resend: bool,
    pub now: i64,
}

/// A run that holds claims.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub run_id: String,
    /// For people reading the ledger.
    pub host: String,
    /// Boot id and PID namespace: two runs with the same scope can see
    /// each other's processes.
    pub scope: String,
    pub pid: u32,
    pub upload_tag: String,
}

/// A run as the ledger holds it.
#[derive(Debug, Clone)]
pub struct RunRow {
    pub run_id: String,
    pub scope: String,
    pub pid: i64,
    pub heartbeat_at: i64,
}

/// One line of `offconv ledger stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub dataset: String,
    /// `YYYY-MM-DD` (UTC) of the last send.
    pub day: String,
    pub events: u64,
}

/// One entry, for `offconv ledger export`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub dataset: String,
    pub event_id: String,
    pub first_sent_at: Option<i64>,
    pub first_upload_tag: Option<String>,
    pub sent_at: Option<i64>,
    pub sends: i64,
    pub run_id: Option<String>,
    pub claimed_at: Option<i64>,
}

/// A ledger store. Every method is one transaction; a batch of events is
/// one call, never one per event. Times are Unix seconds.
pub trait Store: Send + Sync {
    /// The ledger as the user named it (a path, or a URL without its
    /// password), for errors.
    fn name(&self) -> &str;
    /// This store with its waits ended by `stop` (a stopped run claims
    /// nothing more; confirmations get the stop's grace).
    fn for_run(self: Arc<Self>, stop: &crate::stop::RunStop) -> SharedStore;
    /// The runs that hold or held claims.
    fn runs(&self) -> anyhow::Result<Vec<RunRow>>;
    /// Adds (or refreshes) a run.
    fn register(&self, run: &RunInfo, now: i64) -> anyhow::Result<()>;
    fn heartbeat(&self, run_id: &str, now: i64) -> anyhow::Result<()>;
    /// Removes a run; claims it still holds stay until they go stale.
    fn unregister(&self, run_id: &str) -> anyhow::Result<()>;
    /// Claims `ids` (distinct) for `run_id`. `live` are the runs whose
    /// claims stand (this one among them); an entry sent before
    /// `sent_after` does not count (expired); `resend` claims sent ones
    /// too. One answer per id, in order.
    fn claim(&self, ask: &ClaimAsk<'_>) -> anyhow::Result<Vec<Claim>>;
    /// Reads without writing: the ids sent after `sent_after`.
    fn lookup(
        &self,
        dataset: &str,
        ids: &[&str],
        sent_after: i64,
    ) -> anyhow::Result<Vec<Option<SentInfo>>>;
    /// Records `sent` as confirmed at `now` with `upload_tag`, and gives up
    /// this run's claims on `released`.
    fn confirm(
        &self,
        dataset: &str,
        run: &str,
        sent: &[&str],
        released: &[&str],
        upload_tag: &str,
        now: i64,
    ) -> anyhow::Result<()>;
    /// Drops entries last sent before `before`, claims made before it, and
    /// runs silent since. Returns the entries dropped.
    fn expire(&self, before: i64) -> anyhow::Result<u64>;
    /// Events per dataset and day of last send.
    fn stats(&self) -> anyhow::Result<Vec<DayCount>>;
    /// Forgets a dataset's entries (those last sent before `before`, when
    /// given). Returns how many.
    fn forget(&self, dataset: &str, before: Option<i64>) -> anyhow::Result<u64>;
    /// Every entry, in key order.
    fn export(&self, each: &mut dyn FnMut(Entry) -> anyhow::Result<()>) -> anyhow::Result<()>;
}

/// A store shared by the jobs of one process (the MCP server's).
pub type SharedStore = Arc<dyn Store>;

/// Unix seconds now, from the system clock (claims and heartbeats always
/// use the real clock: they say whether a process is alive).
pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}
