//! The ledger in a SQLite file: the default, one machine. WAL mode so a
//! dry run reads while an upload writes, a busy timeout so two runs take
//! turns instead of failing, and every batch one statement (one
//! transaction), never one per event.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags, params};

use super::{Claim, ClaimAsk, DayCount, Entry, RunInfo, RunRow, SentInfo, Store};

/// The schema this build writes; a later change migrates from it.
pub const SCHEMA_VERSION: i64 = 1;

/// How long a statement waits for another run's write lock before the
/// ledger counts as unwritable.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS offconv_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS offconv_ledger (
    dataset TEXT NOT NULL,
    event_id TEXT NOT NULL,
    first_sent_at INTEGER,
    first_upload_tag TEXT,
    sent_at INTEGER,
    sends INTEGER NOT NULL DEFAULT 0,
    run_id TEXT,
    claimed_at INTEGER,
    PRIMARY KEY (dataset, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS offconv_ledger_sent_at ON offconv_ledger (sent_at);
CREATE TABLE IF NOT EXISTS offconv_runs (
    run_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    scope TEXT NOT NULL,
    pid INTEGER NOT NULL,
    upload_tag TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
";

pub struct SqliteStore {
    name: String,
    conn: Mutex<Connection>,
    /// Opened for reading only (`validate`): nothing is created or written.
    read_only: bool,
}

impl SqliteStore {
    /// Opens (and, unless `read_only`, creates) the ledger file. A
    /// read-only open of a file that does not exist is `Ok(None)`.
    pub fn open(path: &Path, read_only: bool) -> anyhow::Result<Option<SqliteStore>> {
        let name = path.display().to_string();
        if read_only && !path.exists() {
            return Ok(None);
        }
        let conn = if read_only {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        } else {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            }
            Connection::open(path)
        }
        .with_context(|| format!("cannot open the ledger {name}"))?;
        Self::setup(conn, name, read_only).map(Some)
    }

    /// A ledger that lives as long as the process (the sandbox's).
    pub fn in_memory() -> anyhow::Result<SqliteStore> {
        let conn = Connection::open_in_memory()?;
        Self::setup(conn, "(throw-away ledger in memory)".into(), false)
    }

    fn setup(conn: Connection, name: String, read_only: bool) -> anyhow::Result<SqliteStore> {
        let ctx = || format!("cannot open the ledger {name}");
        conn.busy_timeout(BUSY_TIMEOUT).with_context(ctx)?;
        if !read_only {
            prepare_retrying(&conn, &name)?;
        }
        conn.pragma_update(None, "cache_size", -32_000)
            .with_context(ctx)?;
        Ok(SqliteStore {
            name,
            conn: Mutex::new(conn),
            read_only,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn ctx(&self, what: &str) -> String {
        format!("cannot {what} the ledger {}", self.name)
    }

    /// Whether the tables exist (a read-only ledger may predate them).
    fn has_tables(&self, conn: &Connection) -> anyhow::Result<bool> {
        if !self.read_only {
            return Ok(true);
        }
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'offconv_ledger'",
            [],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}

/// The ids as the JSON array `json_each` reads.
fn json_ids(ids: &[&str]) -> String {
    serde_json::to_string(ids).expect("strings serialize")
}

impl Store for SqliteStore {
    fn name(&self) -> &str {
        &self.name
    }

    /// SQLite's only wait is its busy timeout, bounded on its own.
    fn for_run(self: std::sync::Arc<Self>, _stop: &crate::stop::RunStop) -> super::SharedStore {
        self
    }

    fn runs(&self) -> anyhow::Result<Vec<RunRow>> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached("SELECT run_id, scope, pid, heartbeat_at FROM offconv_runs")
            .with_context(|| self.ctx("read"))?;
        let rows = st
            .query_map([], |r| {
                Ok(RunRow {
                    run_id: r.get(0)?,
                    scope: r.get(1)?,
                    pid: r.get(2)?,
                    heartbeat_at: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .with_context(|| self.ctx("read"))?;
        Ok(rows)
    }

    fn register(&self, run: &RunInfo, now: i64) -> anyhow::Result<()> {
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO offconv_runs (run_id, host, scope, pid, upload_tag, started_at, heartbeat_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![run.run_id, run.host, run.scope, run.pid, run.upload_tag, now],
            )
            .with_context(|| self.ctx("write"))?;
        Ok(())
    }

    fn heartbeat(&self, run_id: &str, now: i64) -> anyhow::Result<()> {
        self.conn()
            .execute(
                "UPDATE offconv_runs SET heartbeat_at = ?2 WHERE run_id = ?1",
                params![run_id, now],
            )
            .with_context(|| self.ctx("write"))?;
        Ok(())
    }

    fn unregister(&self, run_id: &str) -> anyhow::Result<()> {
        self.conn()
            .execute("DELETE FROM offconv_runs WHERE run_id = ?1", [run_id])
            .with_context(|| self.ctx("write"))?;
        Ok(())
    }

    fn claim(&self, ask: &ClaimAsk<'_>) -> anyhow::Result<Vec<Claim>> {
        let ClaimAsk {
            dataset,
            ids,
            run,
            live,
            sent_after,
            resend,
            now,
        } = *ask;
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .with_context(|| self.ctx("write"))?;
        let ids_json = json_ids(ids);
        let live_json = serde_json::to_string(live)?;
        let mut mine = std::collections::HashSet::new();
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO offconv_ledger (dataset, event_id, run_id, claimed_at)
                     SELECT ?1, value, ?2, ?3 FROM json_each(?4) WHERE true
                     ON CONFLICT (dataset, event_id) DO UPDATE SET run_id = excluded.run_id, claimed_at = excluded.claimed_at
                     WHERE (offconv_ledger.run_id IS NULL OR offconv_ledger.run_id NOT IN (SELECT value FROM json_each(?5)))
                       AND (offconv_ledger.sent_at IS NULL OR offconv_ledger.sent_at < ?6 OR ?7)
                     RETURNING event_id",
                )
                .with_context(|| self.ctx("write"))?;
            let mut rows = st
                .query(params![
                    dataset, run, now, ids_json, live_json, sent_after, resend
                ])
                .with_context(|| self.ctx("write"))?;
            while let Some(r) = rows.next().with_context(|| self.ctx("write"))? {
                mine.insert(r.get::<_, String>(0)?);
            }
        }
        let mut sent = std::collections::HashMap::new();
        if mine.len() < ids.len() {
            let mut st = tx
                .prepare_cached(
                    "SELECT event_id, first_sent_at, first_upload_tag FROM offconv_ledger
                     WHERE dataset = ?1 AND event_id IN (SELECT value FROM json_each(?2))
                       AND sent_at >= ?3 AND first_sent_at IS NOT NULL",
                )
                .with_context(|| self.ctx("read"))?;
            let mut rows = st
                .query(params![dataset, ids_json, sent_after])
                .with_context(|| self.ctx("read"))?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let info = SentInfo {
                    first_sent_at: r.get(1)?,
                    upload_tag: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                };
                sent.insert(id, info);
            }
        }
        tx.commit().with_context(|| self.ctx("write"))?;
        Ok(Claim::answers(ids, &mine, sent))
    }

    fn lookup(
        &self,
        dataset: &str,
        ids: &[&str],
        sent_after: i64,
    ) -> anyhow::Result<Vec<Option<SentInfo>>> {
        let conn = self.conn();
        if !self.has_tables(&conn)? {
            return Ok(vec![None; ids.len()]);
        }
        let mut st = conn
            .prepare_cached(
                "SELECT event_id, first_sent_at, first_upload_tag FROM offconv_ledger
                 WHERE dataset = ?1 AND event_id IN (SELECT value FROM json_each(?2))
                   AND sent_at >= ?3 AND first_sent_at IS NOT NULL",
            )
            .with_context(|| self.ctx("read"))?;
        let mut rows = st
            .query(params![dataset, json_ids(ids), sent_after])
            .with_context(|| self.ctx("read"))?;
        let mut sent = std::collections::HashMap::new();
        while let Some(r) = rows.next().with_context(|| self.ctx("read"))? {
            let id: String = r.get(0)?;
            sent.insert(
                id,
                SentInfo {
                    first_sent_at: r.get(1)?,
                    upload_tag: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                },
            );
        }
        Ok(ids.iter().map(|id| sent.get(*id).cloned()).collect())
    }

    fn confirm(
        &self,
        dataset: &str,
        run: &str,
        sent: &[&str],
        released: &[&str],
        upload_tag: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .with_context(|| self.ctx("write"))?;
        if !sent.is_empty() {
            // Sent is sent, whoever holds the claim now.
            tx.prepare_cached(
                "UPDATE offconv_ledger SET sent_at = ?3, sends = sends + 1,
                     first_sent_at = coalesce(first_sent_at, ?3),
                     first_upload_tag = coalesce(first_upload_tag, ?4),
                     run_id = CASE WHEN run_id = ?5 THEN NULL ELSE run_id END,
                     claimed_at = CASE WHEN run_id = ?5 THEN NULL ELSE claimed_at END
                 WHERE dataset = ?1 AND event_id IN (SELECT value FROM json_each(?2))",
            )?
            .execute(params![dataset, json_ids(sent), now, upload_tag, run])
            .with_context(|| self.ctx("write"))?;
        }
        if !released.is_empty() {
            let ids = json_ids(released);
            tx.prepare_cached(
                "DELETE FROM offconv_ledger WHERE dataset = ?1 AND run_id = ?3 AND sent_at IS NULL
                   AND event_id IN (SELECT value FROM json_each(?2))",
            )?
            .execute(params![dataset, ids, run])
            .with_context(|| self.ctx("write"))?;
            tx.prepare_cached(
                "UPDATE offconv_ledger SET run_id = NULL, claimed_at = NULL
                 WHERE dataset = ?1 AND run_id = ?3 AND event_id IN (SELECT value FROM json_each(?2))",
            )?
            .execute(params![dataset, ids, run])
            .with_context(|| self.ctx("write"))?;
        }
        tx.commit().with_context(|| self.ctx("write"))?;
        Ok(())
    }

    fn expire(&self, before: i64) -> anyhow::Result<u64> {
        let mut conn = self.conn();
        let tx = conn.transaction().with_context(|| self.ctx("write"))?;
        let n = tx
            .execute(
                "DELETE FROM offconv_ledger WHERE sent_at < ?1 AND (run_id IS NULL OR claimed_at < ?1)",
                [before],
            )
            .with_context(|| self.ctx("write"))?;
        tx.execute(
            "DELETE FROM offconv_ledger WHERE sent_at IS NULL AND claimed_at < ?1",
            [before],
        )
        .with_context(|| self.ctx("write"))?;
        tx.execute("DELETE FROM offconv_runs WHERE heartbeat_at < ?1", [before])
            .with_context(|| self.ctx("write"))?;
        tx.commit().with_context(|| self.ctx("write"))?;
        Ok(n as u64)
    }

    fn stats(&self) -> anyhow::Result<Vec<DayCount>> {
        let conn = self.conn();
        if !self.has_tables(&conn)? {
            return Ok(Vec::new());
        }
        let mut st = conn.prepare(
            "SELECT dataset, date(sent_at, 'unixepoch'), count(*) FROM offconv_ledger
             WHERE sent_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(DayCount {
                    dataset: r.get(0)?,
                    day: r.get(1)?,
                    events: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| self.ctx("read"))?;
        Ok(rows)
    }

    fn forget(&self, dataset: &str, before: Option<i64>) -> anyhow::Result<u64> {
        let n = self
            .conn()
            .execute(
                "DELETE FROM offconv_ledger WHERE dataset = ?1 AND (?2 IS NULL OR sent_at < ?2)",
                params![dataset, before],
            )
            .with_context(|| self.ctx("write"))?;
        Ok(n as u64)
    }

    fn export(&self, each: &mut dyn FnMut(Entry) -> anyhow::Result<()>) -> anyhow::Result<()> {
        let conn = self.conn();
        if !self.has_tables(&conn)? {
            return Ok(());
        }
        let mut st = conn.prepare(
            "SELECT dataset, event_id, first_sent_at, first_upload_tag, sent_at, sends, run_id, claimed_at
             FROM offconv_ledger ORDER BY dataset, event_id",
        )?;
        let mut rows = st.query([]).with_context(|| self.ctx("read"))?;
        while let Some(r) = rows.next().with_context(|| self.ctx("read"))? {
            each(Entry {
                dataset: r.get(0)?,
                event_id: r.get(1)?,
                first_sent_at: r.get(2)?,
                first_upload_tag: r.get(3)?,
                sent_at: r.get(4)?,
                sends: r.get(5)?,
                run_id: r.get(6)?,
                claimed_at: r.get(7)?,
            })?;
        }
        Ok(())
    }
}

/// [`prepare`], again while another run holds the lock: SQLite answers
/// some lock conflicts at once, without its busy timeout (two runs that
/// both switch a new file to WAL, or both upgrade a read to a write), so
/// two runs started together on a new ledger take turns here instead of
/// one failing. Bounded by [`BUSY_TIMEOUT`].
fn prepare_retrying(conn: &Connection, name: &str) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let version = loop {
        match prepare(conn) {
            Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            done => break done.with_context(|| format!("cannot open the ledger {name}"))?,
        }
    };
    if let Some(v) = version.filter(|v| *v > SCHEMA_VERSION) {
        anyhow::bail!(
            "the ledger {name} has schema version {v}, written by a newer offconv (this one knows {SCHEMA_VERSION})"
        );
    }
    Ok(())
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// WAL mode and the schema; a new ledger gets this build's version.
/// Returns the version found (`None` for a new ledger).
fn prepare(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    // WAL: readers never block the writer; NORMAL sync is durable across
    // a process crash, which is what a claim needs.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(SCHEMA)?;
    let version: Option<i64> =
        conn.query_row("SELECT max(version) FROM offconv_schema", [], |r| r.get(0))?;
    if version.is_none() {
        conn.execute(
            "INSERT INTO offconv_schema (version) VALUES (?1)",
            [SCHEMA_VERSION],
        )?;
    }
    Ok(version)
}
