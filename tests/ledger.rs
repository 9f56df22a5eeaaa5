//! The ledger (DESIGN.md section 7) end to end against a sandbox process,
//! on both stores (a SQLite file, a real PostgreSQL server): overlapping
//! exports send only what is new, a dry run shows the skips and writes
//! nothing, `--no-ledger` and `--resend` send everything, two runs at once
//! deliver every event once, entries past 69 days are dropped.
//! tests/ledger_faults.rs: kills and ledgers that fail.

mod util;

use util::ledger::*;
use util::*;

/// `NAME::sqlite` and `NAME::postgres` run the scenario `NAME` on each.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name("sqlite")
            }
            #[test]
            fn postgres() {
                super::$name("postgres")
            }
        }
    )*};
}

on_both_stores!(
    an_overlapping_export_sends_only_the_new_half,
    validate_shows_the_skips_and_leaves_the_ledger_alone,
    no_ledger_and_resend_send_everything,
    two_runs_at_once_deliver_every_event_once,
    entries_past_69_days_are_dropped,
);

fn an_overlapping_export_sends_only_the_new_half(store: &str) {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named(store, "overlap") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let first = write_orders(&t, "week1.csv", 0, 100);
    let second = write_orders(&t, "week2.csv", 50, 150);
    let tag = ["--ledger", &l, "--upload-tag", "nightly-1"];
    run_expect(&mut upload(&t, &sb, &first, "r1.csv", &tag), 0);
    let out = run_expect(
        &mut upload(&t, &sb, &second, "r2.csv", &["--ledger", &l]),
        0,
    );
    let rows = read_report(&t.path("r2.csv"));
    each_row_once(&rows, 100);
    assert_eq!(count(&rows, "sent"), 50);
    let skipped: Vec<_> = rows.iter().filter(|r| r.status == "skipped").collect();
    assert_eq!(skipped.len(), 50);
    for r in &skipped {
        assert_eq!(r.reason, "already_sent");
        assert!(r.row <= 50, "row {} of the new half was skipped", r.row);
        assert!(
            r.detail.contains("nightly-1") && r.detail.contains("2026-"),
            "{}",
            r.detail
        );
    }
    let seen = deliveries(sb, &t);
    assert_eq!(seen.len(), 150);
    assert!(
        seen.values().all(|n| *n == 1),
        "an event was delivered twice"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped already_sent: 50"), "{stderr}");
}

fn validate_shows_the_skips_and_leaves_the_ledger_alone(store: &str) {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named(store, "validate") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let first = write_orders(&t, "a.csv", 0, 40);
    let second = write_orders(&t, "b.csv", 20, 60);
    run_expect(&mut upload(&t, &sb, &first, "r1.csv", &["--ledger", &l]), 0);
    let before = ledger.dump(&t);
    assert_eq!(before.lines().count(), 41, "{before}");
    let validate = [
        "validate",
        &second,
        "--mapping",
        "m.toml",
        "--dataset",
        DATASET,
        "--ledger",
        &l,
        "--now",
        NOW,
        "--report",
        "v.csv",
    ];
    run_expect(&mut t.cmd(&validate), 0);
    let rows = read_report(&t.path("v.csv"));
    assert_eq!(count(&rows, "valid"), 20);
    assert_eq!(count(&rows, "skipped"), 20);
    assert_eq!(ledger.dump(&t), before);
}

fn no_ledger_and_resend_send_everything(store: &str) {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named(store, "resend") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 30);
    run_expect(&mut upload(&t, &sb, &input, "r1.csv", &["--ledger", &l]), 0);
    let mut no_ledger = upload(&t, &sb, &input, "r2.csv", &["--no-ledger"]);
    run_expect(no_ledger.env("OFFCONV_LEDGER", &l), 0);
    assert_eq!(count(&read_report(&t.path("r2.csv")), "sent"), 30);
    let resend = ["--ledger", &l, "--resend"];
    run_expect(&mut upload(&t, &sb, &input, "r3.csv", &resend), 0);
    assert_eq!(count(&read_report(&t.path("r3.csv")), "sent"), 30);
    // Without --resend the same ledger skips them all.
    run_expect(&mut upload(&t, &sb, &input, "r4.csv", &["--ledger", &l]), 0);
    assert_eq!(count(&read_report(&t.path("r4.csv")), "skipped"), 30);
    let seen = deliveries(sb, &t);
    assert_eq!(seen.len(), 30);
    assert!(seen.values().all(|n| *n == 3), "{seen:?}");
    // The resend counts as a second send in the ledger.
    let dump = ledger.dump(&t);
    assert!(
        dump.lines()
            .skip(1)
            .all(|l| l.split(',').nth(5) == Some("2")),
        "{dump}"
    );
}

fn two_runs_at_once_deliver_every_event_once(store: &str) {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named(store, "two_at_once") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 400);
    let args = ["--ledger", &l, "--rate", "200"];
    let mut a = upload(&t, &sb, &input, "ra.csv", &args);
    let mut b = upload(&t, &sb, &input, "rb.csv", &args);
    let (ca, cb) = (a.spawn().unwrap(), b.spawn().unwrap());
    for out in [
        ca.wait_with_output().unwrap(),
        cb.wait_with_output().unwrap(),
    ] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
    }
    let seen = deliveries(sb, &t);
    assert_eq!(seen.len(), 400);
    assert!(
        seen.values().all(|n| *n == 1),
        "an event was delivered twice"
    );
    let (ra, rb) = (
        read_report(&t.path("ra.csv")),
        read_report(&t.path("rb.csv")),
    );
    each_row_once(&ra, 400);
    each_row_once(&rb, 400);
    assert_eq!(count(&ra, "sent") + count(&rb, "sent"), 400);
    assert_eq!(count(&ra, "skipped") + count(&rb, "skipped"), 400);
}

/// An entry is kept 69 days after its send (62 + 7), then dropped by the
/// next upload: `ledger export` before and after, the clock set by --now.
fn entries_past_69_days_are_dropped(store: &str) {
    let t = TestDir::new();
    let Some(ledger) = Ledger::named(store, "expiry") else {
        return;
    };
    let l = ledger.arg();
    let sb = sandbox(&t);
    let old = write_orders(&t, "old.csv", 0, 10);
    run_expect(&mut upload(&t, &sb, &old, "r1.csv", &["--ledger", &l]), 0);
    let ids = |dump: &str| -> Vec<String> {
        let mut v: Vec<String> = dump
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_owned())
            .collect();
        v.sort();
        v
    };
    // A later upload of other orders, `days` after the first.
    let later = |days: i64, from: usize, report: &str| {
        let now = jiff::Timestamp::from_second(1_795_694_400 + days * 86_400).unwrap();
        let day = (now - jiff::SignedDuration::from_hours(24))
            .strftime("%Y-%m-%d")
            .to_string();
        let sb = sandbox_at(&t, &now.to_string());
        let input = write_orders_on(&t, &format!("{report}.csv"), from, from + 5, &day);
        let now = now.to_string();
        run_expect(
            &mut upload_at(&t, &sb, &input, report, &now, &["--ledger", &l]),
            0,
        );
    };
    later(68, 100, "r2.csv");
    assert_eq!(
        ids(&ledger.dump(&t)).len(),
        15,
        "68 days on, the first run's entries stay"
    );
    later(70, 200, "r3.csv");
    let left = ids(&ledger.dump(&t));
    assert_eq!(left.len(), 10, "{left:?}");
    assert!(
        left.iter()
            .all(|id| id.starts_with("O001") || id.starts_with("O002")),
        "{left:?}"
    );
    drop(sb);
}

#[test]
fn the_default_ledger_lives_under_xdg_state_home() {
    let t = TestDir::new();
    let sb = sandbox(&t);
    let input = write_orders(&t, "a.csv", 0, 10);
    run_expect(&mut upload(&t, &sb, &input, "r1.csv", &[]), 0);
    assert!(t.path(".state/offconv/ledger.sqlite").exists());
    run_expect(&mut upload(&t, &sb, &input, "r2.csv", &[]), 0);
    assert_eq!(count(&read_report(&t.path("r2.csv")), "skipped"), 10);
}

#[test]
fn upload_sandbox_uses_a_throw_away_ledger_unless_one_is_given() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    let input = write_orders(&t, "a.csv", 0, 10);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "upload",
            &input,
            "--mapping",
            "m.toml",
            "--sandbox",
            "--now",
            NOW,
            "--force",
        ];
        args.extend_from_slice(extra);
        run_expect(&mut t.cmd(&args), 0);
        count(&read_report(&t.path("a.csv.report.csv")), "sent")
    };
    assert_eq!(run(&[]), 10);
    assert_eq!(run(&[]), 10, "the second sandbox run sends again");
    assert!(!t.path(".state/offconv/ledger.sqlite").exists());
    assert_eq!(run(&["--ledger", "l.sqlite"]), 10);
    assert_eq!(run(&["--ledger", "l.sqlite"]), 0, "a given ledger is used");
}
