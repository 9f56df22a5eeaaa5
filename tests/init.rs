//! `offconv init`, `completions` and `man` end to end: the mapping written
//! for differently shaped exports (insta snapshots of the file and the
//! stderr summary), that every written mapping loads and binds to its
//! export, the overwrite rules, and the generated help and completions.
//!
//! Snapshots live in tests/snapshots/. After an intended change, run
//! `INSTA_UPDATE=always cargo nextest run --test init` and read the diff.

mod util;

use std::path::Path;
use std::process::Output;

use offconv::config::Mapping;
use util::*;

/// The exports under fixtures/init/ and the exit code `init` gives each.
const EXPORTS: [(&str, i32); 6] = [
    ("shopify_pos.csv", 0),
    ("eu_semicolon.csv", 0),
    ("minimal_unix.csv", 0),
    ("loyalty.csv", 0),
    ("us_ampm.csv", 0),
    ("inventory.csv", 1),
];

fn init_fixture(name: &str) -> String {
    fixtures().join("init").join(name).display().to_string()
}

/// Runs `offconv ARGS` in `t` with a fixed terminal width, so help text
/// wraps the same everywhere.
fn offconv(t: &TestDir, args: &[&str], code: i32) -> Output {
    let mut cmd = t.cmd(args);
    cmd.env("COLUMNS", "100");
    run_expect(&mut cmd, code)
}

/// Copies the export into the test dir and runs `init` on it there, so
/// the paths in the output are the bare file name.
fn run_init(name: &str, code: i32) -> (TestDir, String, String) {
    let t = TestDir::new();
    std::fs::copy(init_fixture(name), t.path(name)).expect("copy fixture");
    let out = offconv(&t, &["init", name], code);
    let mapping = t.read("offconv.toml");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(
        out.stdout.is_empty(),
        "init -o FILE prints nothing on stdout"
    );
    (t, mapping, stderr)
}

/// The mapping loads with the parser `upload` uses and binds to the
/// export's header.
fn assert_loads_and_resolves(text: &str, export: &str) {
    let mapping = Mapping::parse(text, Path::new("offconv.toml"))
        .unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
    let input = offconv::source::open(export, mapping.delimiter).expect("open export");
    mapping
        .resolve(&input.header, export)
        .unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
}

fn snapshot_export(name: &str, code: i32) {
    let (t, mapping, stderr) = run_init(name, code);
    let stem = name.trim_end_matches(".csv");
    insta::assert_snapshot!(format!("{stem}_mapping"), mapping);
    insta::assert_snapshot!(format!("{stem}_summary"), stderr);
    if code == 0 {
        assert_loads_and_resolves(&mapping, &init_fixture(name));
        // And the binary agrees: validate gets past the mapping (exit 2
        // would mean it could not load or bind it).
        let out = t
            .cmd(&["validate", name, "--now", NOW, "--report", "r.csv"])
            .output()
            .expect("run validate");
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn shopify_pos_export() {
    snapshot_export("shopify_pos.csv", 0);
}

#[test]
fn european_semicolon_export() {
    snapshot_export("eu_semicolon.csv", 0);
}

#[test]
fn minimal_phone_and_unix_time_export() {
    snapshot_export("minimal_unix.csv", 0);
}

#[test]
fn loyalty_export() {
    snapshot_export("loyalty.csv", 0);
}

#[test]
fn us_am_pm_dollar_export() {
    snapshot_export("us_ampm.csv", 0);
}

#[test]
fn export_without_time_or_customer_gets_todos_and_exit_1() {
    snapshot_export("inventory.csv", 1);
    let (_t, mapping, stderr) = run_init("inventory.csv", 1);
    assert!(mapping.contains("# TODO: no column looks like the time of the sale"));
    assert!(mapping.contains("# TODO: no column looks like customer information"));
    assert!(
        stderr.contains("could not find the time of the sale"),
        "{stderr}"
    );
}

#[test]
fn every_fixture_mapping_loads_and_resolves() {
    for (name, code) in EXPORTS.iter().filter(|(_, code)| *code == 0) {
        let (_t, mapping, _) = run_init(name, *code);
        assert_loads_and_resolves(&mapping, &init_fixture(name));
    }
    // The hand-written fixtures of the other tests, in every compression.
    for name in [
        "store_sales.csv",
        "store_sales.csv.gz",
        "store_sales.csv.zst",
        "messy.csv",
    ] {
        let t = TestDir::new();
        let out = offconv(&t, &["init", &fixture(name), "-o", "-"], 0);
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(
            text.contains("time_column = \"purchased_at\""),
            "{name}:\n{text}"
        );
        assert_loads_and_resolves(&text, &fixture(name));
    }
}

#[test]
fn stdout_output_and_stdin_input() {
    let t = TestDir::new();
    let export = std::fs::read(init_fixture("us_ampm.csv")).expect("read fixture");
    let mut cmd = t.cmd(&["init", "-", "-o", "-"]);
    let out = run_stdin(&mut cmd, &export, 0);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("time_format = \"%m/%d/%Y %I:%M %p\""),
        "{text}"
    );
    assert!(!t.path("offconv.toml").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wrote the mapping to stdout from stdin"),
        "{stderr}"
    );
    assert!(
        stderr.contains("next: offconv validate EXPORT.csv --mapping offconv.toml"),
        "{stderr}"
    );
}

#[test]
fn refuses_to_overwrite_without_force() {
    let t = TestDir::new();
    t.write("offconv.toml", "# hand-tuned\n");
    let input = init_fixture("loyalty.csv");
    let out = offconv(&t, &["init", &input], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("offconv.toml exists; pass --force"),
        "{stderr}"
    );
    assert_eq!(t.read("offconv.toml"), "# hand-tuned\n");

    offconv(&t, &["init", &input, "--force"], 0);
    assert!(
        t.read("offconv.toml")
            .contains("external_id = \"member_id\"")
    );

    offconv(&t, &["init", &input, "-o", "other.toml", "-q"], 0);
    assert!(t.read("other.toml").contains("[user_data]"));
}

#[test]
fn unreadable_input_is_exit_2() {
    let t = TestDir::new();
    offconv(&t, &["init", "missing.csv"], 2);
    t.write("empty.csv", "");
    offconv(&t, &["init", "empty.csv"], 2);
    assert!(!t.path("offconv.toml").exists());
}

#[test]
fn help_snapshots() {
    let t = TestDir::new();
    let out = offconv(&t, &["--help"], 0);
    insta::assert_snapshot!("help", String::from_utf8(out.stdout).expect("UTF-8"));
    let out = offconv(&t, &["init", "--help"], 0);
    insta::assert_snapshot!("init_help", String::from_utf8(out.stdout).expect("UTF-8"));
}

#[test]
fn completions_for_every_shell() {
    let t = TestDir::new();
    let out = offconv(&t, &["completions", "bash"], 0);
    let bash = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        bash.contains("upload") && bash.contains("validate"),
        "{bash}"
    );
    assert!(bash.contains("--mapping"), "{bash}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = offconv(&t, &["completions", shell], 0);
        let script = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(script.contains("validate"), "{shell}:\n{script}");
    }
    offconv(&t, &["completions", "tcsh"], 2);
}

#[test]
fn man_page_is_roff_from_the_same_definitions() {
    let t = TestDir::new();
    let out = offconv(&t, &["man"], 0);
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        page.starts_with(".ie") || page.contains(".TH offconv"),
        "{page}"
    );
    assert!(page.contains("validate"), "{page}");
    // Hidden from --help: it is for packagers, not users.
    let help = String::from_utf8(offconv(&t, &["--help"], 0).stdout).expect("UTF-8");
    assert!(!help.contains("\n  man "), "{help}");
}

/// The job setups under examples/ (owned with `init`, as the other place a
/// new user starts from): their mappings load and fit the export header
/// they are written for, and their scripts are valid bash.
#[test]
fn example_setups_load_and_parse() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for dir in ["nightly", "github-actions", "backfill"] {
        let path = examples.join(dir).join("offconv.toml");
        let mapping = Mapping::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let input = offconv::source::open(&fixture("store_sales.csv"), None).expect("fixture");
        mapping
            .resolve(&input.header, "store_sales.csv")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for script in ["nightly/run.sh", "backfill/backfill.sh"] {
        let out = std::process::Command::new("bash")
            .arg("-n")
            .arg(examples.join(script))
            .output()
            .expect("run bash -n");
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
