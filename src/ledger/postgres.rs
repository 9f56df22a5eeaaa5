//! The ledger in a PostgreSQL database: shared by several machines or CI
//! runners. The schema is SQLite's ([`super::sqlite`]), created on first
//! use under an advisory lock, with a version table for later migrations.
//! Every call is one transaction and every batch one statement over arrays
//! (`unnest`, `= ANY`), never one per event.
//!
//! Claims rest on the database's atomicity: `INSERT … ON CONFLICT DO
//! UPDATE … WHERE … RETURNING` takes an event only when nobody holds it or
//! its holder is dead; a second run claiming the same event at the same
//! moment waits for the first's row lock and then sees its claim. Ids are
//! claimed in sorted order, so two overlapping batches never deadlock.
//! Heartbeats are written in the server's clock and read back against it,
//! so clocks that differ between machines do not make a live run look dead.

use std::sync::Arc;

use super::pg_conn::{self, Pool, Until, Work, work};
use super::{Claim, ClaimAsk, DayCount, Entry, RunInfo, RunRow, SentInfo, SharedStore, Store};
use crate::stop::RunStop;

/// The schema this build writes; a later change migrates from it.
pub const SCHEMA_VERSION: i32 = 1;

/// Serializes schema creation between runs that start at once.
const SCHEMA_LOCK: i64 = 0x6f66_6663_6f6e_7631; // "offconv1"

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS offconv_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS offconv_ledger (
    dataset TEXT NOT NULL,
    event_id TEXT NOT NULL,
    first_sent_at BIGINT,
    first_upload_tag TEXT,
    sent_at BIGINT,
    sends INTEGER NOT NULL DEFAULT 0,
    run_id TEXT,
    claimed_at BIGINT,
    PRIMARY KEY (dataset, event_id)
);
CREATE INDEX IF NOT EXISTS offconv_ledger_sent_at ON offconv_ledger (sent_at);
CREATE TABLE IF NOT EXISTS offconv_runs (
    run_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    scope TEXT NOT NULL,
    pid BIGINT NOT NULL,
    upload_tag TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
";

/// The server's clock in Unix seconds.
const SERVER_NOW: &str = "extract(epoch from clock_timestamp())::bigint";

pub struct PgStore {
    name: String,
    pool: Arc<Pool>,
    /// The run whose stop ends this store's waits (see [`Until`]).
    stop: Option<RunStop>,
}

impl PgStore {
    /// Connects to the ledger at `url` and, unless `read_only`, creates its
    /// tables. A read-only open of a database without them is `Ok(None)`.
    pub fn open(url: &str, read_only: bool) -> anyhow::Result<Option<PgStore>> {
        let name = super::open::redact(url);
        let target = pg_conn::parse(url, &name)?;
        let store = PgStore {
            pool: Arc::new(Pool::new(target, &name)?),
            name,
            stop: None,
        };
        let created = store.setup(read_only)?;
        Ok(created.then_some(store))
    }

    fn call<T: Send + 'static>(
        &self,
        what: &'static str,
        until: Until,
        work: Work<T>,
    ) -> anyhow::Result<T> {
        self.pool.call(what, self.stop.as_ref(), until, work)
    }

    /// Creates the tables (or, read-only, says whether they exist), and
    /// refuses a schema newer than this build's.
    fn setup(&self, read_only: bool) -> anyhow::Result<bool> {
        let version: Option<i32> = self.call(
            "open",
            Until::Timeout,
            work(move |c| {
                Box::pin(async move {
                    if read_only {
                        let t = c
                            .query_one("SELECT to_regclass('offconv_schema') IS NOT NULL", &[])
                            .await?;
                        if !t.get::<_, bool>(0) {
                            return Ok(None);
                        }
                    } else {
                        let tx = c.transaction().await?;
                        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
                            .await?;
                        tx.batch_execute(SCHEMA).await?;
                        tx.execute(
                            "INSERT INTO offconv_schema (version)
                                 SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM offconv_schema)",
                            &[&SCHEMA_VERSION],
                        )
                        .await?;
                        tx.commit().await?;
                    }
                    let row = c
                        .query_one("SELECT max(version) FROM offconv_schema", &[])
                        .await?;
                    Ok(Some(row.get::<_, Option<i32>>(0).unwrap_or(SCHEMA_VERSION)))
                })
            }),
        )?;
        match version {
            None => Ok(false),
            Some(v) if v > SCHEMA_VERSION => anyhow::bail!(
                "the ledger {} has schema version {v}, written by a newer offconv (this one knows {SCHEMA_VERSION})",
                self.name
            ),
            Some(_) => Ok(true),
        }
    }
}

fn owned(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

fn sent_info(row: &tokio_postgres::Row) -> (String, SentInfo) {
    (
        row.get(0),
        SentInfo {
            first_sent_at: row.get(1),
            upload_tag: row.get::<_, Option<String>>(2).unwrap_or_default(),
        },
    )
}

const SENT: &str = "SELECT event_id, first_sent_at, first_upload_tag FROM offconv_ledger
     WHERE dataset = $1 AND event_id = ANY($2) AND sent_at >= $3 AND first_sent_at IS NOT NULL";

impl Store for PgStore {
    fn name(&self) -> &str {
        &self.name
    }

    fn for_run(self: Arc<Self>, stop: &RunStop) -> SharedStore {
        Arc::new(PgStore {
            name: self.name.clone(),
            pool: Arc::clone(&self.pool),
            stop: Some(stop.clone()),
        })
    }

    fn runs(&self) -> anyhow::Result<Vec<RunRow>> {
        let here = super::unix_now();
        self.call(
            "read",
            Until::Stop,
            work(move |c| {
                Box::pin(async move {
                    let q = format!(
                        "SELECT run_id, scope, pid, heartbeat_at, {SERVER_NOW} FROM offconv_runs"
                    );
                    let rows = c.query(&q, &[]).await?;
                    // Heartbeats are in the server's clock: read them as
                    // ages, then place them on this machine's clock.
                    Ok(rows
                        .iter()
                        .map(|r| RunRow {
                            run_id: r.get(0),
                            scope: r.get(1),
                            pid: r.get(2),
                            heartbeat_at: here - (r.get::<_, i64>(4) - r.get::<_, i64>(3)),
                        })
                        .collect())
                })
            }),
        )
    }

    fn register(&self, run: &RunInfo, _now: i64) -> anyhow::Result<()> {
        let run = run.clone();
        self.call(
            "write",
            Until::Timeout,
            work(move |c| {
                Box::pin(async move {
                    let q = format!(
                        "INSERT INTO offconv_runs (run_id, host, scope, pid, upload_tag, started_at, heartbeat_at)
                         VALUES ($1, $2, $3, $4, $5, {SERVER_NOW}, {SERVER_NOW})
                         ON CONFLICT (run_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at"
                    );
                    let pid = i64::from(run.pid);
                    c.execute(&q, &[&run.run_id, &run.host, &run.scope, &pid, &run.upload_tag])
                        .await?;
                    Ok(())
                })
            }),
        )
    }

    fn heartbeat(&self, run_id: &str, _now: i64) -> anyhow::Result<()> {
        let run_id = run_id.to_owned();
        self.call(
            "write",
            Until::Stop,
            work(move |c| {
                Box::pin(async move {
                    let q = format!(
                        "UPDATE offconv_runs SET heartbeat_at = {SERVER_NOW} WHERE run_id = $1"
                    );
                    c.execute(&q, &[&run_id]).await?;
                    Ok(())
                })
            }),
        )
    }

    fn unregister(&self, run_id: &str) -> anyhow::Result<()> {
        let run_id = run_id.to_owned();
        self.call(
            "write",
            Until::Timeout,
            work(move |c| {
                Box::pin(async move {
                    c.execute("DELETE FROM offconv_runs WHERE run_id = $1", &[&run_id])
                        .await?;
                    Ok(())
                })
            }),
        )
    }

    fn claim(&self, ask: &ClaimAsk<'_>) -> anyhow::Result<Vec<Claim>> {
        let dataset = ask.dataset.to_owned();
        let ids = owned(ask.ids);
        let run = ask.run.to_owned();
        let live = ask.live.to_vec();
        let (sent_after, resend, now) = (ask.sent_after, ask.resend, ask.now);
        let (mine, sent) = self.call(
            "write",
            Until::Stop,
            work(move |c| {
                Box::pin(async move {
                    let tx = c.transaction().await?;
                    // A claim must be on disk before its batch goes out,
                    // whatever the server's default.
                    tx.batch_execute("SET LOCAL synchronous_commit TO on").await?;
                    let rows = tx
                        .query(
                            "INSERT INTO offconv_ledger (dataset, event_id, run_id, claimed_at)
                             SELECT $1, id, $2, $3 FROM unnest($4::text[]) AS id ORDER BY id
                             ON CONFLICT (dataset, event_id) DO UPDATE
                               SET run_id = excluded.run_id, claimed_at = excluded.claimed_at
                             WHERE (offconv_ledger.run_id IS NULL OR NOT offconv_ledger.run_id = ANY($5))
                               AND (offconv_ledger.sent_at IS NULL OR offconv_ledger.sent_at < $6 OR $7)
                             RETURNING event_id",
                            &[&dataset, &run, &now, &ids, &live, &sent_after, &resend],
                        )
                        .await?;
                    let mine: std::collections::HashSet<String> =
                        rows.iter().map(|r| r.get(0)).collect();
                    let mut sent = std::collections::HashMap::new();
                    if mine.len() < ids.len() {
                        for r in tx.query(SENT, &[&dataset, &ids, &sent_after]).await? {
                            let (id, info) = sent_info(&r);
                            sent.insert(id, info);
                        }
                    }
                    tx.commit().await?;
                    Ok((mine, sent))
                })
            }),
        )?;
        Ok(Claim::answers(ask.ids, &mine, sent))
    }

    fn lookup(
        &self,
        dataset: &str,
        ids: &[&str],
        sent_after: i64,
    ) -> anyhow::Result<Vec<Option<SentInfo>>> {
        let dataset = dataset.to_owned();
        let wanted = owned(ids);
        let sent: std::collections::HashMap<String, SentInfo> = self.call(
            "read",
            Until::Stop,
            work(move |c| {
                Box::pin(async move {
                    let rows = c.query(SENT, &[&dataset, &wanted, &sent_after]).await?;
                    Ok(rows.iter().map(sent_info).collect())
                })
            }),
        )?;
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
        let dataset = dataset.to_owned();
        let run = run.to_owned();
        let (sent, released) = (owned(sent), owned(released));
        let tag = upload_tag.to_owned();
        self.call(
            "write",
            Until::Grace,
            work(move |c| {
                Box::pin(async move {
                    let tx = c.transaction().await?;
                    tx.batch_execute("SET LOCAL synchronous_commit TO on")
                        .await?;
                    if !sent.is_empty() {
                        // Sent is sent, whoever holds the claim now.
                        tx.execute(
                            "UPDATE offconv_ledger SET sent_at = $3, sends = sends + 1,
                                 first_sent_at = coalesce(first_sent_at, $3),
                                 first_upload_tag = coalesce(first_upload_tag, $4),
                                 run_id = CASE WHEN run_id = $5 THEN NULL ELSE run_id END,
                                 claimed_at = CASE WHEN run_id = $5 THEN NULL ELSE claimed_at END
                             WHERE dataset = $1 AND event_id = ANY($2)",
                            &[&dataset, &sent, &now, &tag, &run],
                        )
                        .await?;
                    }
                    if !released.is_empty() {
                        tx.execute(
                            "DELETE FROM offconv_ledger WHERE dataset = $1 AND run_id = $3
                               AND sent_at IS NULL AND event_id = ANY($2)",
                            &[&dataset, &released, &run],
                        )
                        .await?;
                        tx.execute(
                            "UPDATE offconv_ledger SET run_id = NULL, claimed_at = NULL
                             WHERE dataset = $1 AND run_id = $3 AND event_id = ANY($2)",
                            &[&dataset, &released, &run],
                        )
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                })
            }),
        )
    }

    fn expire(&self, before: i64) -> anyhow::Result<u64> {
        self.call(
            "write",
            Until::Timeout,
            work(move |c| {
                Box::pin(async move {
                    let tx = c.transaction().await?;
                    let n = tx
                        .execute(
                            "DELETE FROM offconv_ledger WHERE sent_at < $1
                               AND (run_id IS NULL OR claimed_at < $1)",
                            &[&before],
                        )
                        .await?;
                    tx.execute(
                        "DELETE FROM offconv_ledger WHERE sent_at IS NULL AND claimed_at < $1",
                        &[&before],
                    )
                    .await?;
                    // Runs are timed by the server's clock; gone after a day.
                    let q = format!(
                        "DELETE FROM offconv_runs WHERE heartbeat_at < {SERVER_NOW} - 86400"
                    );
                    tx.execute(&q, &[]).await?;
                    tx.commit().await?;
                    Ok(n)
                })
            }),
        )
    }

    fn stats(&self) -> anyhow::Result<Vec<DayCount>> {
        self.call(
            "read",
            Until::Timeout,
            work(move |c| {
                Box::pin(async move {
                    let rows = c
                        .query(
                            "SELECT dataset, to_char(to_timestamp(sent_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                                    count(*) FROM offconv_ledger
                             WHERE sent_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
                            &[],
                        )
                        .await?;
                    Ok(rows
                        .iter()
                        .map(|r| DayCount {
                            dataset: r.get(0),
                            day: r.get(1),
                            events: r.get::<_, i64>(2) as u64,
                        })
                        .collect())
                })
            }),
        )
    }

    fn forget(&self, dataset: &str, before: Option<i64>) -> anyhow::Result<u64> {
        let dataset = dataset.to_owned();
        self.call(
            "write",
            Until::Timeout,
            work(move |c| {
                Box::pin(async move {
                    c.execute(
                        "DELETE FROM offconv_ledger WHERE dataset = $1
                           AND ($2::bigint IS NULL OR sent_at < $2)",
                        &[&dataset, &before],
                    )
                    .await
                })
            }),
        )
    }

    fn export(&self, each: &mut dyn FnMut(Entry) -> anyhow::Result<()>) -> anyhow::Result<()> {
        // Pages in key order, so a ledger of millions never sits in memory.
        const PAGE: i64 = 10_000;
        let mut after: Option<(String, String)> = None;
        loop {
            let from = after.clone();
            let page: Vec<Entry> = self.call(
                "read",
                Until::Timeout,
                work(move |c| {
                    Box::pin(async move {
                        let (d, e) = from.unwrap_or_default();
                        let first = d.is_empty() && e.is_empty();
                        let rows = c
                            .query(
                                "SELECT dataset, event_id, first_sent_at, first_upload_tag, sent_at,
                                        sends::bigint, run_id, claimed_at
                                 FROM offconv_ledger WHERE $1 OR (dataset, event_id) > ($2, $3)
                                 ORDER BY dataset, event_id LIMIT $4",
                                &[&first, &d, &e, &PAGE],
                            )
                            .await?;
                        Ok(rows
                            .iter()
                            .map(|r| Entry {
                                dataset: r.get(0),
                                event_id: r.get(1),
                                first_sent_at: r.get(2),
                                first_upload_tag: r.get(3),
                                sent_at: r.get(4),
                                sends: r.get(5),
                                run_id: r.get(6),
                                claimed_at: r.get(7),
                            })
                            .collect())
                    })
                }),
            )?;
            let full = page.len() as i64 == PAGE;
            if let Some(last) = page.last() {
                after = Some((last.dataset.clone(), last.event_id.clone()));
            }
            for entry in page {
                each(entry)?;
            }
            if !full {
                return Ok(());
            }
        }
    }
}
