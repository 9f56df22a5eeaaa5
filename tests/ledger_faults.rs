//! The ledger when things go wrong, on both stores: a run killed with
//! SIGKILL mid-run and a fresh run after it (new report, same ledger)
//! deliver every event, twice at most what was in flight; a ledger that
//! cannot be written (a read-only SQLite file, the PostgreSQL server
//! stopped mid-run) stops the run: exit 2, the report complete, nothing
//! sent that the ledger had not claimed.

mod util;

use std::collections::HashSet;

use util::ledger::*;
use util::postgres::PgServer;
use util::*;

/// Requests in flight at most: `--concurrency` (4, the default) batches
/// of `--batch-size` (20, [`upload`]'s).
const IN_FLIGHT: usize = 4 * 20;

#[test]
fn killed_mid_run_then_a_fresh_run_sqlite() {
    killed_mid_run_then_a_fresh_run("sqlite");
}

#[test]
fn killed_mid_run_then_a_fresh_run_postgres() {
    killed_mid_run_then_a_fresh_run("postgres");
}

fn killed_mid_run_then_a_fresh_run(store: &str) {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named(store, "killed") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 400);
    let mut first = upload(&t, &sb, &input, "r1.csv", &["--ledger", &l, "--rate", "10"]);
    let mut child = first.spawn().expect("start the upload");
    // Some batches confirmed, most not yet sent: kill it.
    wait_for_lines(&t.path("r1.csv"), 61, 60);
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    let killed_sent = read_lines_sent(&t.path("r1.csv"));
    assert!(killed_sent < 400, "the run finished before the kill");
    let out = run_expect(
        &mut upload(&t, &sb, &input, "r2.csv", &["--ledger", &l, "--rate", "0"]),
        0,
    );
    let rows = read_report(&t.path("r2.csv"));
    each_row_once(&rows, 400);
    assert_eq!(
        count(&rows, "sent") + count(&rows, "skipped"),
        400,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The report gets a batch's lines a moment before the ledger records
    // them: what the kill caught in between is sent again, as in flight.
    assert!(
        count(&rows, "skipped") + IN_FLIGHT >= killed_sent,
        "the confirmed ones are skipped"
    );
    let seen = deliveries(sb, &t);
    assert_eq!(seen.len(), 400, "every event delivered");
    let twice: usize = seen.values().map(|n| n - 1).sum();
    assert!(
        twice <= IN_FLIGHT,
        "{twice} double deliveries, more than in flight"
    );
}

/// Report lines with status `sent` in a report that may end mid-line.
fn read_lines_sent(path: &std::path::Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split(',').nth(2) == Some("sent"))
        .count()
}

#[test]
fn a_read_only_sqlite_ledger_stops_the_run_before_sending() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let first = write_orders(&t, "a.csv", 0, 20);
    run_expect(
        &mut upload(&t, &sb, &first, "r1.csv", &["--ledger", "l.sqlite"]),
        0,
    );
    let second = write_orders(&t, "b.csv", 0, 60);
    read_only(&t.path("l.sqlite"));
    let cmd = upload(&t, &sb, &second, "r2.csv", &["--ledger", "l.sqlite"]);
    let out = run_expect(&mut as_unprivileged(&t, &cmd), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("l.sqlite"),
        "the error names the ledger: {stderr}"
    );
    let seen = deliveries(sb, &t);
    assert_eq!(seen.len(), 20, "nothing more was sent");
}

/// Makes the ledger file read-only (root's writes aside: see
/// [`as_unprivileged`]).
fn read_only(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
}

/// Root writes a read-only file anyway: as root (CI), `cmd` runs as
/// `nobody`, with the test folder open to it.
fn as_unprivileged(t: &TestDir, cmd: &std::process::Command) -> std::process::Command {
    use std::os::unix::fs::PermissionsExt as _;
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let mut run = if root {
        std::fs::set_permissions(t.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let mut run = std::process::Command::new("setpriv");
        run.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(cmd.get_program());
        run
    } else {
        std::process::Command::new(cmd.get_program())
    };
    run.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => run.env(k, v),
            None => run.env_remove(k),
        };
    }
    run.current_dir(t.dir.path())
        .stdin(std::process::Stdio::null());
    run
}

#[test]
fn postgres_stopped_mid_run_stops_the_run_and_nothing_is_sent_unclaimed() {
    let t = TestDir::new();
    let Some(pg) = PgServer::own("pg_stopped") else {
        return;
    };
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 400);
    let url = pg.url.replacen("postgres@", "postgres:s3cret-pw@", 1);
    // 20 batches at one every 2 s: the server is stopped once the first
    // batch is in the report, with some 38 s of the run to go, so even a
    // slow stop (pg_ctl under a loaded CI machine) lands mid-run; the
    // batches claimed before it (the four in flight and the one waiting
    // for a slot) still go out at the cap, the rest fails at once (11-12 s
    // in all here; 15-22 s with the stop after the third batch, with and
    // without four busy loops beside it). At 10 and at 2 a second,
    // fresh-clone CI runs once each found the run finished first; at 0.5
    // a second with the stop after the third batch, three found no row
    // failed (the message below says how the rows ended).
    let mut cmd = upload(
        &t,
        &sb,
        &input,
        "r.csv",
        &["--ledger", &url, "--rate", "0.5"],
    );
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = child.spawn().expect("start the upload");
    wait_for_lines(&t.path("r.csv"), 21, 60);
    let started = std::time::Instant::now();
    pg.halt(true);
    let halt_took = started.elapsed();
    let out = child.wait_with_output().expect("wait");
    let run_after_halt = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("127.0.0.1"),
        "the error names the ledger: {stderr}"
    );
    assert!(
        !stderr.contains("s3cret-pw"),
        "the password shows: {stderr}"
    );
    let rows = read_report(&t.path("r.csv"));
    each_row_once(&rows, 400);
    let failed: Vec<_> = rows.iter().filter(|r| r.status == "failed").collect();
    // Three fresh-clone CI runs found no row failed; say how the rows
    // ended and how long the stop took, so the next one shows why.
    let mut ended = std::collections::BTreeMap::<(&str, &str), usize>::new();
    for r in &rows {
        *ended
            .entry((r.status.as_str(), r.reason.as_str()))
            .or_default() += 1;
    }
    assert!(
        !failed.is_empty(),
        "no row failed: halt took {halt_took:?}, the run {run_after_halt:?} \
         from the halt; rows by status and reason {ended:?}; {stderr}"
    );
    assert!(
        failed
            .iter()
            .all(|r| r.reason == "ledger" || r.reason == "interrupted"),
        "{failed:?}"
    );
    assert!(!rows.iter().any(|r| r.detail.contains("s3cret-pw")));
    let sent: HashSet<String> = rows
        .iter()
        .filter(|r| r.status == "sent")
        .map(|r| r.event_id.clone())
        .collect();
    let seen = deliveries(sb, &t);
    let delivered: HashSet<String> = seen.keys().cloned().collect();
    assert_eq!(
        delivered, sent,
        "what Meta got is what the report says was sent"
    );
    // Back up: every event that went out is in the ledger, sent or claimed.
    pg.halt(false);
    let held: HashSet<String> = pg
        .query(
            "SELECT event_id FROM offconv_ledger WHERE sent_at IS NOT NULL OR run_id IS NOT NULL",
        )
        .into_iter()
        .collect();
    let unclaimed: Vec<_> = delivered.difference(&held).collect();
    assert!(unclaimed.is_empty(), "sent without a claim: {unclaimed:?}");
}

/// Ctrl-C during an upload with a PostgreSQL ledger ends the run as
/// interrupted (exit 130), not as a ledger failure: the stop ends the
/// ledger's waits, and those ends are not the ledger's fault.
#[test]
fn sigint_with_a_postgres_ledger_is_an_interruption() {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named("postgres", "sigint") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 400);
    let mut cmd = upload(&t, &sb, &input, "r.csv", &["--ledger", &l, "--rate", "5"]);
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the upload");
    wait_for_lines(&t.path("r.csv"), 41, 60);
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let rows = read_report(&t.path("r.csv"));
    each_row_once(&rows, 400);
    assert!(
        rows.iter()
            .all(|r| r.status == "sent" || (r.status == "failed" && r.reason == "interrupted")),
        "{stderr}"
    );
    drop(sb);
}
