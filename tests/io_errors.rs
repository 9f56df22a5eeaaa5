//! Issue 13: every I/O error names the file and what offconv was doing.
//! A full disk once said "sending on a disconnected channel" (the report)
//! or a bare "No space left on device" (the dump). Tests run as root
//! here, and root ignores directory permissions, so failures come from
//! /dev/full, a file size limit (`ulimit -f`, as a disk filling up in the
//! middle of a run), or a directory where a file must go.

mod util;

use util::*;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn validate_args(report: &str) -> Vec<&str> {
    vec![
        "validate",
        "sales.csv",
        "--mapping",
        "sales.toml",
        "--report",
        report,
        "--now",
        NOW,
    ]
}

fn dir_with_sales() -> TestDir {
    let t = TestDir::new();
    std::fs::copy(fixture("store_sales.csv"), t.path("sales.csv")).unwrap();
    std::fs::copy(fixture("store_sales.toml"), t.path("sales.toml")).unwrap();
    t
}

#[test]
fn a_full_disk_under_the_payload_dump_names_the_dump() {
    let t = dir_with_sales();
    let mut dry = validate_args("r.csv");
    dry.extend(["--payloads", "/dev/full"]);
    let mut upload = vec!["upload", "--sandbox", "--no-ledger"];
    upload.extend(&dry[1..]);
    for args in [dry, upload] {
        let out = run_expect(&mut t.cmd(&args), 2);
        let text = stderr(&out);
        assert!(
            text.contains("cannot write the payload dump /dev/full: No space left on device"),
            "{args:?}: {text}"
        );
    }
}

/// The disk fills up after 20 KiB of report: the error names the report
/// and says the run stopped, instead of "sending on a disconnected
/// channel" or a bare "File too large".
#[test]
fn a_report_that_stops_growing_is_named_and_stops_the_upload() {
    let t = dir_with_sales();
    let sandbox = SandboxProcess::start(&t, &["--record", "rec.ndjson", "--now", NOW]);
    let bin = env!("CARGO_BIN_EXE_offconv");
    let script = format!(
        "trap '' XFSZ; ulimit -f 20; exec {bin} upload sales.csv --mapping sales.toml --now {NOW} --api-base {} --dataset 123 --no-ledger --batch-size 50 --concurrency 1 -q",
        sandbox.url
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.current_dir(t.dir.path())
        .args(["-c", &script])
        .env("META_ACCESS_TOKEN", "test-token")
        .env("XDG_STATE_HOME", t.path(".state"));
    let out = run_expect(&mut cmd, 2);
    let text = stderr(&out);
    assert!(
        text.contains("cannot write the report sales.csv.report.csv: File too large"),
        "{text}"
    );
    assert!(text.contains("the run stopped there"), "{text}");
    assert!(!text.contains("disconnected channel"), "{text}");
    let summary = sandbox.stop();
    let accepted = summary["accepted_events"].as_u64().unwrap();
    // The report fills at about 300 of 1,000 rows: the run stopped
    // sending then, one request (50 events) at most being under way.
    assert!(
        accepted < 500,
        "{accepted} events sent after the report failed"
    );
}

#[test]
fn a_dry_run_report_that_stops_growing_is_named() {
    let t = dir_with_sales();
    let bin = env!("CARGO_BIN_EXE_offconv");
    let script = format!(
        "trap '' XFSZ; ulimit -f 20; exec {bin} validate sales.csv --mapping sales.toml --now {NOW} --report r.csv -q"
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.current_dir(t.dir.path()).args(["-c", &script]);
    let text = stderr(&run_expect(&mut cmd, 2));
    assert!(
        text.contains("cannot write the report r.csv: File too large"),
        "{text}"
    );
}

#[test]
fn each_file_of_a_job_is_named_when_it_cannot_be_written() {
    let t = dir_with_sales();
    // A regular file where a folder must be: as root, too.
    let cases: Vec<(Vec<&str>, &str, Option<&str>)> = vec![
        (
            validate_args("sales.toml/r.csv"),
            "cannot write the report sales.toml/r.csv: Not a directory",
            None,
        ),
        (
            {
                let mut a = validate_args("s.csv");
                a.extend(["--summary-json", "/dev/full"]);
                a
            },
            "cannot write the summary /dev/full: No space left on device",
            None,
        ),
        (
            vec![
                "upload",
                "--sandbox",
                "--no-ledger",
                "sales.csv",
                "--mapping",
                "sales.toml",
                "--report",
                "j.csv",
                "--now",
                NOW,
            ],
            "cannot write the job record j.csv.job.json: Is a directory",
            Some("j.csv.job.json"),
        ),
        (
            vec![
                "upload",
                "--sandbox",
                "--no-ledger",
                "sales.csv",
                "--mapping",
                "sales.toml",
                "--report",
                "a.csv",
                "--now",
                NOW,
            ],
            "cannot write the report's sidecar a.csv.ahead: Is a directory",
            Some("a.csv.ahead"),
        ),
        (
            vec!["init", "sales.csv", "-o", "/dev/full", "--force"],
            "cannot write the mapping /dev/full: No space left on device",
            None,
        ),
    ];
    for (args, expected, dir) in cases {
        if let Some(dir) = dir {
            std::fs::create_dir(t.path(dir)).unwrap();
        }
        let text = stderr(&run_expect(&mut t.cmd(&args), 2));
        assert!(text.contains(expected), "{args:?}: {text}");
    }
}
