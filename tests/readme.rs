//! The README's quick start works as written, on a fresh directory.

mod util;

use util::*;

fn quick_start() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("```sh")
        .nth(1)
        .expect("a sh block")
        .split("```")
        .next()
        .unwrap();
    block
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn readme_starts_with_the_two_commands() {
    let commands = quick_start();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(
        commands[0].starts_with("cargo run --release -- upload "),
        "{}",
        commands[0]
    );
    assert!(commands[0].contains("--sandbox"));
    assert_eq!(commands[1].trim(), "cargo nextest run");
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("cargo nextest run"),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn the_first_command_runs_the_whole_job_on_a_fresh_directory() {
    let commands = quick_start();
    let args: Vec<String> = commands[0]
        .split_once(" -- ")
        .expect("cargo run -- ARGS")
        .1
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    // A fresh directory holding what a new checkout holds.
    let t = TestDir::new();
    std::fs::create_dir(t.path("fixtures")).unwrap();
    for f in ["store_sales.csv", "store_sales.toml"] {
        std::fs::copy(fixture(f), t.path("fixtures").join(f)).unwrap();
    }
    let mut argv: Vec<&str> = args.iter().map(String::as_str).collect();
    // The sample's dates are fixed; so is the clock here.
    argv.extend(["--now", NOW]);
    let out = run_expect(&mut t.cmd(&argv), 0);
    let report = read_report(&t.path("fixtures/store_sales.csv.report.csv"));
    assert_eq!(report.len(), 1000);
    assert!(report.iter().all(|r| r.status == "sent"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1000 sent"), "{stderr}");
    // Run again: the report of the same job is not overwritten silently.
    let out = run_expect(&mut t.cmd(&argv), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
}
