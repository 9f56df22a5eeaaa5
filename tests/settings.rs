//! Settings refused before the first row is read: exit 2, with a message
//! naming the setting, and nothing sent.

mod util;

use std::time::Instant;

use util::*;

const MAPPING: &str = r#"
[event]
name = "Purchase"
time_column = "purchased_at"
[custom_data]
value_column = "total"
currency = "USD"
[user_data]
em = "email"
"#;

fn refused(extra: &[&str], token: &str, names: &str) {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "sales.csv",
        "purchased_at,email,total\n2026-11-25 10:00:00,a@example.com,1.50\n",
    );
    let mut args = vec![
        "upload",
        "sales.csv",
        "--mapping",
        "m.toml",
        "--dataset",
        "42",
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    let mut cmd = t.cmd(&args);
    cmd.env("META_ACCESS_TOKEN", token);
    let started = Instant::now();
    let out = run_expect(&mut cmd, 2);
    let took = started.elapsed();
    offconv::say!("{extra:?}: refused in {took:?}");
    assert!(took.as_secs() < 10, "refused at once, not after retries");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(names), "{names}: {stderr}");
    assert!(!stderr.contains("tok\u{e4}"), "the token is never shown");
    assert!(!t.path("sales.csv.report.csv").exists(), "no row was read");
}

#[test]
fn bad_api_base_is_refused() {
    for base in [
        "graph.facebook.com",
        "ftp://graph.facebook.com",
        "https://graph.facebook.com:99999",
        "http://127.0.0.1:9?x=1",
        "http://127.0.0.1:9#frag",
        "http://127.0.0.1:9/a/../b",
    ] {
        refused(&["--api-base", base], "tok", "--api-base");
    }
}

#[test]
fn bad_api_version_is_refused() {
    refused(&["--api-version", "v26.0/../../x"], "tok", "--api-version");
    refused(&["--api-version", "26"], "tok", "--api-version");
}

#[test]
fn bad_tokens_are_refused() {
    refused(&[], "\u{feff}tok", "META_ACCESS_TOKEN");
    refused(&[], "tok\nen", "META_ACCESS_TOKEN");
    refused(&[], "tok\u{e4}", "META_ACCESS_TOKEN");
}

#[test]
fn bad_numbers_are_refused() {
    for (flag, value) in [
        ("--rate", "1e-20"),
        ("--rate", "nan"),
        ("--rate", "inf"),
        ("--rate", "-0"),
        ("--stop-grace", "nan"),
        ("--outage-timeout", "-1"),
        ("--max-pause", "inf"),
    ] {
        refused(&[&format!("{flag}={value}")], "tok", flag);
    }
}

#[test]
fn plain_http_to_another_machine_warns() {
    let t = TestDir::new();
    t.write("m.toml", MAPPING);
    t.write(
        "sales.csv",
        "purchased_at,email,total\n2026-11-25 10:00:00,a@example.com,1.50\n",
    );
    // Port 9 on a documentation address: nothing answers; the warning
    // comes first, and the outage timeout ends the run.
    let mut cmd = t.cmd(&[
        "upload",
        "sales.csv",
        "--mapping",
        "m.toml",
        "--dataset",
        "42",
        "--now",
        NOW,
        "--api-base",
        "http://192.0.2.1:9",
        "--outage-timeout",
        "1",
        "--stop-grace",
        "1",
    ]);
    cmd.env("META_ACCESS_TOKEN", "tok");
    let out = cmd.output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unencrypted"), "{stderr}");
}

/// `validate` with `mapping` on `csv`: the output.
fn validate(mapping: &str, csv: &str, code: i32) -> String {
    let t = TestDir::new();
    t.write("m.toml", mapping);
    t.write("sales.csv", csv);
    let out = run_expect(
        &mut t.cmd(&["validate", "sales.csv", "--mapping", "m.toml", "--now", NOW]),
        code,
    );
    if code == 2 {
        assert!(!t.path("sales.csv.report.csv").exists(), "no row was read");
    }
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const SALE: &str = "purchased_at,email,total\n2026-11-25 10:00:00,a@example.com,1.50\n";

#[test]
fn country_default_and_phone_region_must_be_iso_codes() {
    // "Narnia" once became Namibia (its first two letters).
    for (key, value) in [
        ("country_default", "Narnia"),
        ("country_default", "ZZ"),
        ("phone_region", "Narnia"),
        ("phone_region", "ZZ"),
    ] {
        let mapping = format!("{MAPPING}[normalize]\n{key} = \"{value}\"\n");
        let stderr = validate(&mapping, SALE, 2);
        assert!(
            stderr.contains(&format!("{key} = \"{value}\"")) && stderr.contains("m.toml"),
            "{key}: {stderr}"
        );
    }
    for value in ["US", "de", "DEU", "Germany"] {
        let mapping = format!("{MAPPING}[normalize]\ncountry_default = \"{value}\"\n");
        validate(&mapping, SALE, 0);
    }
}

#[test]
fn a_duplicated_header_name_the_mapping_reads_is_refused() {
    let csv =
        "purchased_at,email,total,email\n2026-11-25 10:00:00,a@example.com,1.50,b@example.com\n";
    let stderr = validate(MAPPING, csv, 2);
    assert!(
        stderr.contains("[user_data] em = \"email\"") && stderr.contains("columns 2 and 4"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("a@example.com"),
        "no value shown: {stderr}"
    );
    // Names that differ only in case and spaces are the same name to the
    // mapping when neither matches exactly.
    let csv =
        "purchased_at,Email ,total,EMAIL\n2026-11-25 10:00:00,a@example.com,1.50,b@example.com\n";
    assert!(validate(MAPPING, csv, 2).contains("columns 2 and 4"));
    // A duplicate the mapping does not read is fine.
    let csv = "purchased_at,email,total,note,note\n2026-11-25 10:00:00,a@example.com,1.50,x,y\n";
    let stderr = validate(MAPPING, csv, 0);
    assert!(!stderr.contains("note"), "{stderr}");
}

#[test]
fn a_column_fed_to_two_keys_is_a_warning_unless_meant() {
    let csv =
        "purchased_at,email,total,order,name\n2026-11-25 10:00:00,a@example.com,1.50,A-1,Ann Lee\n";
    let mapping = format!(
        "{}\n",
        MAPPING
            .replace(
                "time_column = \"purchased_at\"",
                "time_column = \"purchased_at\"\nid_column = \"order\""
            )
            .replace(
                "currency = \"USD\"",
                "currency = \"USD\"\norder_id_column = \"order\""
            )
            .replace(
                "em = \"email\"",
                "em = \"email\"\nfn = \"name\"\nln = \"name\""
            )
    );
    let stderr = validate(&mapping, csv, 0);
    assert!(
        stderr.contains("warning")
            && stderr.contains("column \"name\" (column 5 of sales.csv)")
            && stderr.contains("[user_data] fn and [user_data] ln"),
        "{stderr}"
    );
    // id_column and order_id_column on one column: no warning.
    assert!(!stderr.contains("column \"order\""), "{stderr}");
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
}

#[test]
fn check_refuses_bad_settings_before_calling() {
    let t = TestDir::new();
    let sandbox = SandboxProcess::start(&t, &["--now", NOW]);
    for (args, token, names) in [
        (
            vec!["--api-base", "graph.facebook.com"],
            "tok",
            "--api-base",
        ),
        (
            vec!["--api-version", "v26.0/../../x"],
            "tok",
            "--api-version",
        ),
        (vec![], "tok\nen", "META_ACCESS_TOKEN"),
        (vec![], "\u{feff}tok", "META_ACCESS_TOKEN"),
    ] {
        for command in [
            &["check", "--dataset", "1234567890"][..],
            &["datasets", "--ad-account", "act_1"],
        ] {
            let mut cmd = t.cmd(command);
            if !args.contains(&"--api-base") {
                cmd.args(["--api-base", &sandbox.url]);
            }
            cmd.args(&args).env("META_ACCESS_TOKEN", token);
            let started = Instant::now();
            let out = run_expect(&mut cmd, 2);
            assert!(
                started.elapsed().as_secs() < 10,
                "at once, not after retries"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(names), "{command:?} {args:?}: {stderr}");
        }
    }
    assert_eq!(sandbox.stop()["requests"], 0, "nothing was asked");
}
