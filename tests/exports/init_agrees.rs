//! Issue 15: `offconv init` on each corpus export writes a mapping that,
//! used as written, gives the same events and the same row verdicts as the
//! hand-written one. The mapping itself is snapshotted, so a change in what
//! init guesses shows in review.

use std::collections::BTreeMap;

use super::util::*;
use super::*;

/// `validate` of a system's export with the mapping at `mapping`.
fn validate_with(t: &TestDir, system: &str, mapping: &str, tag: &str) -> Export {
    let report = format!("{tag}.report.csv");
    let dump = format!("{tag}.ndjson");
    let out = t
        .cmd(&[
            "validate",
            &export_file(system).display().to_string(),
            "--mapping",
            mapping,
            "--now",
            NOW,
            "--report",
            &report,
            "--payloads",
            &dump,
        ])
        .output()
        .expect("run offconv");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        t.path(&report).exists(),
        "{system} ({tag}): no report; stderr:\n{stderr}"
    );
    let events = if t.path(&dump).exists() {
        read_payload_events(&t.path(&dump))
    } else {
        Vec::new()
    };
    Export {
        code: out.status.code(),
        stderr,
        report: read_report(&t.path(&report)),
        events,
    }
}

/// Events by event id.
fn by_id(e: &Export) -> BTreeMap<String, serde_json::Value> {
    e.events
        .iter()
        .map(|ev| {
            (
                ev["event_id"].as_str().expect("event_id").to_owned(),
                ev.clone(),
            )
        })
        .collect()
}

/// Row → (status, reason).
fn verdicts(e: &Export) -> BTreeMap<u64, (String, String)> {
    e.report
        .iter()
        .map(|r| (r.row, (r.status.clone(), r.reason.clone())))
        .collect()
}

/// The systems whose init mapping is checked: each joins once its
/// hand-written mapping loads and init writes the keys it needs live.
const INIT_AGREES: &[&str] = &["woocommerce"];

#[test]
fn init_gives_the_events_of_the_hand_written_mapping() {
    for system in INIT_AGREES {
        let t = TestDir::new();
        // A copy under its own name: the mapping's comments name the file
        // as given, and the snapshot must not hold this machine's path.
        let source = export_file(system);
        let name = source
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        std::fs::copy(&source, t.path(&name)).expect("copy the export");
        run_expect(&mut t.cmd(&["init", &name, "-o", "init.toml", "-q"]), 0);
        let written = t.read("init.toml");
        insta::assert_snapshot!(format!("init_{system}"), written);
        let hand = folder(system).join("mapping.toml").display().to_string();
        let by_hand = validate_with(&t, system, &hand, "hand");
        let by_init = validate_with(&t, system, "init.toml", "init");
        assert_eq!(
            verdicts(&by_init),
            verdicts(&by_hand),
            "{system}: row verdicts with init's mapping differ; init stderr:\n{}",
            by_init.stderr
        );
        assert_eq!(
            by_id(&by_init),
            by_id(&by_hand),
            "{system}: events with init's mapping differ"
        );
    }
}
