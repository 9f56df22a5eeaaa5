//! Issue 13, "nothing lost": ordinary mistakes that once lost sales. An
//! output path naming an input, a stderr that cannot be written.

mod util;

use util::*;

/// Copies the sample export and mapping into the test dir.
fn sample(t: &TestDir) -> (String, Vec<u8>, Vec<u8>) {
    let csv = std::fs::read(fixture("store_sales.csv")).unwrap();
    let toml = std::fs::read(fixture("store_sales.toml")).unwrap();
    t.write("sales.csv", &csv);
    t.write("offconv.toml", &toml);
    (t.path("sales.csv").display().to_string(), csv, toml)
}

#[test]
fn an_output_naming_an_input_is_refused_and_the_input_stays_intact() {
    let t = TestDir::new();
    let (_, csv, toml) = sample(&t);
    std::fs::hard_link(t.path("sales.csv"), t.path("linked.csv")).unwrap();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["validate", "sales.csv", "--report", "sales.csv"],
            "the report sales.csv",
            "the export sales.csv",
        ),
        (
            &["validate", "sales.csv", "--report", "./sales.csv"],
            "the report ./sales.csv",
            "the export sales.csv",
        ),
        (
            &["validate", "sales.csv", "--payloads", "linked.csv"],
            "the payload dump linked.csv",
            "the export sales.csv",
        ),
        (
            &["validate", "sales.csv", "--summary-json", "offconv.toml"],
            "the summary JSON offconv.toml",
            "the mapping file offconv.toml",
        ),
        (
            &["validate", "sales.csv", "--report", "offconv.toml"],
            "the report offconv.toml",
            "the mapping file offconv.toml",
        ),
        (
            &["upload", "--sandbox", "sales.csv", "--report", "sales.csv"],
            "the report sales.csv",
            "the export sales.csv",
        ),
        (
            &[
                "upload",
                "--sandbox",
                "sales.csv",
                "--payloads",
                "sales.csv",
            ],
            "the payload dump sales.csv",
            "the export sales.csv",
        ),
    ];
    for (args, output, input) in cases {
        let mut args = args.to_vec();
        args.extend(["--now", NOW]);
        let out = run_expect(&mut t.cmd(&args), 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(output) && err.contains(input),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read(t.path("sales.csv")).unwrap(), csv, "{args:?}");
        assert_eq!(
            std::fs::read(t.path("offconv.toml")).unwrap(),
            toml,
            "{args:?}"
        );
    }
    // The report's sidecar too: `x.csv.job.json` as the report `x.csv`.
    t.write("r.csv.job.json", b"{}");
    let out = run_expect(
        &mut t.cmd(&[
            "upload",
            "--sandbox",
            "r.csv.job.json",
            "--report",
            "r.csv",
            "--now",
            NOW,
        ]),
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("r.csv.job.json"), "{err}");
    assert_eq!(t.read("r.csv.job.json"), "{}");
    // And nothing else was written.
    assert!(!t.path("sales.csv.report.csv").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_does_not_panic_and_the_exit_code_tells_the_run() {
    let t = TestDir::new();
    let (csv, _, _) = sample(&t);
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    // A run that sent everything: 0, not 101.
    let out = t
        .cmd(&[
            "upload",
            "--sandbox",
            &csv,
            "--now",
            NOW,
            "--report",
            "up.csv",
        ])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = read_report(&t.path("up.csv"));
    assert!(!report.is_empty() && report.iter().all(|r| r.status == "sent"));
    // A run that failed: its own code, 2.
    let out = t
        .cmd(&["validate", "missing.csv", "--now", NOW])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // With rows rejected beyond the threshold: 1; with logs at trace.
    t.write("bad.csv", "order_id,purchased_at,email,phone,first_name,last_name,city,state,zip,country,total,currency\nA1,not a time,a@b.example,,,,,,,,1.00,USD\n");
    let out = t
        .cmd(&["validate", "bad.csv", "--now", NOW, "-v"])
        .env("RUST_LOG", "trace")
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_closed_stderr_pipe_does_not_panic() {
    let t = TestDir::new();
    let (csv, _, _) = sample(&t);
    let mut child = t
        .cmd(&["validate", &csv, "--now", NOW, "--report", "v.csv"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(!read_report(&t.path("v.csv")).is_empty());
}

/// A 10-row export with a notes column the mapping does not use.
fn ten_rows(notes: impl Fn(usize) -> String) -> String {
    let mut csv = String::from("order_id,purchased_at,email,notes,total,currency\n");
    for i in 1..=10 {
        csv.push_str(&format!(
            "SO-{i},2026-11-2{} 10:00:00,buyer{i}@example.com,{},1{i}.00,USD\n",
            i % 5,
            notes(i)
        ));
    }
    csv
}

const NOTES_MAPPING: &str = r#"
[event]
name = "Purchase"
action_source = "physical_store"
time_column = "purchased_at"
id_column = "order_id"
[custom_data]
value_column = "total"
currency_column = "currency"
order_id_column = "order_id"
[user_data]
em = "email"
"#;

#[test]
fn an_unclosed_quote_is_reported_on_its_row_and_no_row_vanishes() {
    let t = TestDir::new();
    t.write("m.toml", NOTES_MAPPING);
    // The quote on row 3 is never closed: it runs to the end of the file.
    t.write(
        "open.csv",
        ten_rows(|i| {
            if i == 3 {
                "\"gift wrap, fragile".into()
            } else {
                String::new()
            }
        }),
    );
    // The quote on row 3 is closed by a stray quote on row 6.
    t.write(
        "closed.csv",
        ten_rows(|i| match i {
            3 => "\"gift wrap, fragile".into(),
            6 => "fragile\"".into(),
            _ => String::new(),
        }),
    );
    // The same with Windows line ends: the opener's line is still 4.
    t.write(
        "crlf.csv",
        std::fs::read_to_string(t.path("open.csv"))
            .unwrap()
            .replace('\n', "\r\n"),
    );
    for (file, swallowed) in [
        ("open.csv", 4..=10u64),
        ("closed.csv", 4..=6),
        ("crlf.csv", 4..=10),
    ] {
        let out = run_expect(
            &mut t.cmd(&[
                "validate",
                file,
                "--mapping",
                "m.toml",
                "--now",
                NOW,
                "--report",
                "r.csv",
            ]),
            1,
        );
        let report = read_report(&t.path("r.csv"));
        let rows: Vec<u64> = report.iter().map(|r| r.row).collect();
        assert_eq!(
            rows,
            (1..=10).collect::<Vec<_>>(),
            "{file}: every row, in place"
        );
        let opener = &report[2];
        assert_eq!(
            (opener.status.as_str(), opener.reason.as_str()),
            ("rejected", "bad_row"),
            "{file}"
        );
        assert!(
            opener.detail.contains("unclosed quote")
                && opener.detail.contains("column notes")
                && opener.detail.contains("line 4"),
            "{file}: {opener:?}"
        );
        for r in &report {
            if swallowed.contains(&r.row) {
                assert_eq!(r.reason, "bad_row", "{file}: {r:?}");
                assert!(
                    r.detail.contains("unclosed quote on row 3"),
                    "{file}: {r:?}"
                );
            } else if r.row != 3 {
                assert_eq!(r.status, "valid", "{file}: {r:?}");
            }
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad_row"),
            "{file}: the summary counts them: {err}"
        );
    }
    // A real multi-line value is no unclosed quote.
    t.write(
        "multi.csv",
        ten_rows(|i| {
            if i == 3 {
                "\"gift wrap,\nfragile\"".into()
            } else {
                String::new()
            }
        }),
    );
    run_expect(
        &mut t.cmd(&[
            "validate",
            "multi.csv",
            "--mapping",
            "m.toml",
            "--now",
            NOW,
            "--report",
            "r.csv",
        ]),
        0,
    );
    assert_eq!(read_report(&t.path("r.csv")).len(), 10);
}
