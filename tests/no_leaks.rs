//! Issue 13, "nothing leaked": a headerless export, whose first row is a
//! customer's data, must not come back in an error, a log line at
//! RUST_LOG=trace, or a mapping written by `init`.

mod util;

use util::*;

const HEADERLESS: &str = "SO-1,2026-11-25 10:00:00,wilhelmina.vexx@example.com,+1 415 555 0177,Wilhelmina,Vexx,Springfield,US,19.65,USD\n\
SO-2,2026-11-25 11:00:00,bartholomew.zink@example.com,+1 415 555 0188,Bartholomew,Zink,Shelbyville,US,9.65,USD\n";

/// Every cell of the export long enough to be unambiguous.
fn cells() -> Vec<&'static str> {
    HEADERLESS
        .lines()
        .flat_map(|l| l.split(','))
        .filter(|c| c.len() >= 4 && !["19.65", "9.65"].contains(c))
        .collect()
}

#[test]
fn a_headerless_export_is_described_never_echoed() {
    let t = TestDir::new();
    t.write("hl.csv", HEADERLESS);
    let commands: Vec<Vec<String>> = vec![
        vec![
            "validate".into(),
            "hl.csv".into(),
            "--mapping".into(),
            fixture("store_sales.toml"),
        ],
        vec![
            "upload".into(),
            "--sandbox".into(),
            "hl.csv".into(),
            "--mapping".into(),
            fixture("store_sales.toml"),
        ],
        vec![
            "init".into(),
            "hl.csv".into(),
            "-o".into(),
            "guessed.toml".into(),
        ],
        vec!["init".into(), "hl.csv".into(), "-o".into(), "-".into()],
    ];
    for args in commands {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--now", NOW]);
        let out = run_expect(t.cmd(&args).env("RUST_LOG", "trace"), 2);
        let mut seen = String::from_utf8_lossy(&out.stderr).into_owned();
        seen.push_str(&String::from_utf8_lossy(&out.stdout));
        if let Ok(mapping) = std::fs::read_to_string(t.path("guessed.toml")) {
            seen.push_str(&mapping);
        }
        for cell in cells() {
            assert!(!seen.contains(cell), "{args:?}: raw {cell:?} in\n{seen}");
        }
        assert!(seen.contains("no header line"), "{args:?}: {seen}");
        assert!(
            seen.contains("column 3 (an email address)"),
            "{args:?}: {seen}"
        );
    }
}
