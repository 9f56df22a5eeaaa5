//! Issue 15: `offconv init` on each corpus export writes a mapping that,
//! used as written, gives the same events and the same row verdicts as the
//! hand-written one. The mapping itself is snapshotted, so a change in what
//! init guesses shows in review.

use std::collections::BTreeMap;

use super::util::*;
use super::*;

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

/// What no export says and init leaves as a TODO for the user: the line
/// init writes commented out, and the line the user writes for it (the
/// hand-written mapping's). Magento's grid export and Toast's check
/// details carry no zone.
const USER_SETS: &[(&str, &str, &str)] = &[
    (
        "magento",
        "# timezone = \"America/Chicago\"",
        "timezone = \"America/Los_Angeles\"",
    ),
    (
        "toast",
        "# timezone = \"America/Chicago\"",
        "timezone = \"America/Chicago\"",
    ),
];

/// init's mapping with the TODO lines a user must fill filled; each TODO
/// must be there as init wrote it.
fn as_the_user_completes_it(system: &str, written: &str) -> String {
    let mut text = written.to_owned();
    for (_, todo, set) in USER_SETS.iter().filter(|(s, _, _)| *s == system) {
        assert!(
            text.contains(todo),
            "{system}: init no longer writes the TODO {todo:?}:\n{text}"
        );
        text = text.replacen(todo, set, 1);
    }
    text
}

#[test]
fn init_gives_the_events_of_the_hand_written_mapping() {
    // Every system of the corpus: init must agree on each.
    for system in READABLE {
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
        t.write("init.toml", as_the_user_completes_it(system, &written));
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

/// init's commented LDU lines sit in `[event]`, where the loader reads
/// them: uncommented in a line-item mapping (where `[contents]` follows
/// `[event]`), they put every event under LDU.
#[test]
fn init_ldu_lines_work_when_uncommented() {
    let t = TestDir::new();
    let source = export_file("shopify");
    std::fs::copy(&source, t.path("orders_export.csv")).expect("copy the export");
    run_expect(
        &mut t.cmd(&["init", "orders_export.csv", "-o", "init.toml", "-q"]),
        0,
    );
    let written = t.read("init.toml");
    let todo = "# data_processing_options = [\"LDU\"]";
    assert!(written.contains(todo), "{written}");
    assert!(written.contains("[contents]"), "{written}");
    t.write(
        "init.toml",
        written.replacen(todo, "data_processing_options = [\"LDU\"]", 1),
    );
    let e = validate_with(&t, "shopify", "init.toml", "ldu");
    assert!(!e.events.is_empty(), "{}", e.stderr);
    for ev in &e.events {
        assert_eq!(
            ev["data_processing_options"],
            serde_json::json!(["LDU"]),
            "{ev}"
        );
    }
}
