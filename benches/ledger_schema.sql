-- The SQLite ledger's schema (src/ledger/sqlite.rs SCHEMA), for benches/ledger.sh
-- to fill a ledger before offconv opens it. Keep in step with the source.
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
INSERT INTO offconv_schema (version) VALUES (1);
