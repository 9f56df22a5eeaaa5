//! The fuzz targets' entry points on stable (README "Fuzzing"): every
//! hand-written seed of `fuzz/corpus/`, and each input a fuzzer found
//! crashing, kept here once fixed. The entry points
//! (`offconv::fuzzing`) assert their properties themselves: a case passes
//! when the call returns.

use std::path::Path;

use offconv::fuzzing;

/// Runs `entry` on every `seed-*` of `fuzz/corpus/<target>`; returns how
/// many there were.
fn seeds(target: &str, entry: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("seed-") {
            entry(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    n
}

#[test]
fn export_seeds() {
    assert!(seeds("export", fuzzing::export) >= 3);
}

#[test]
fn mapping_seeds() {
    assert!(seeds("mapping", fuzzing::mapping_file) >= 3);
}

#[test]
fn amount_seeds() {
    assert!(seeds("amount", fuzzing::amount) >= 3);
}

#[test]
fn time_seeds() {
    assert!(seeds("time", fuzzing::time) >= 3);
}

#[test]
fn phone_seeds() {
    assert!(seeds("phone", fuzzing::phone) >= 3);
}

/// Found by the `time` target (60 s on merged main, 2026-12-02): a
/// delimiter between the two bytes of one character (`\xCA,\xAA`). The
/// record's fields joined are valid UTF-8 ("ʪ"), each field is not;
/// slicing the record's text at the field's range panicked.
#[test]
fn a_character_split_by_a_delimiter() {
    fuzzing::time(&[0x00, 0xff, 0x36, 0xca, 0xff, 0xaa]);
}
