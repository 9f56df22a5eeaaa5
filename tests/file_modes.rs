//! Issue 13: the report and the payload dump (hashed PII) are created 0600
//! whatever the umask; a mode the user set is kept, by a resume too.
#![cfg(unix)]

mod util;

use std::os::unix::fs::PermissionsExt;

use util::*;

fn mode(t: &TestDir, name: &str) -> u32 {
    std::fs::metadata(t.path(name))
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn report_and_dump_are_private_and_a_users_mode_survives_a_resume() {
    let t = TestDir::new();
    t.write(
        "sales.csv",
        std::fs::read(fixture("store_sales.csv")).unwrap(),
    );
    t.write(
        "m.toml",
        std::fs::read(fixture("store_sales.toml")).unwrap(),
    );
    let upload = |extra: &[&str]| {
        let mut args = vec![
            "upload",
            "--sandbox",
            "sales.csv",
            "--mapping",
            "m.toml",
            "--now",
            NOW,
            "--report",
            "r.csv",
            "--payloads",
            "p.ndjson",
            "-q",
        ];
        args.extend_from_slice(extra);
        let mut cmd = t.cmd(&args);
        cmd.env("META_ACCESS_TOKEN", "tok");
        cmd.output().unwrap()
    };
    let first = upload(&[]);
    assert!(first.status.code().is_some_and(|c| c < 2), "{first:?}");
    assert_eq!(mode(&t, "r.csv"), 0o600);
    assert_eq!(mode(&t, "p.ndjson"), 0o600);

    std::fs::set_permissions(t.path("r.csv"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let again = upload(&["--resume"]);
    assert!(again.status.code().is_some_and(|c| c < 2), "{again:?}");
    assert_eq!(mode(&t, "r.csv"), 0o640, "the user's mode is kept");
    assert_eq!(mode(&t, "p.ndjson"), 0o600);
}
