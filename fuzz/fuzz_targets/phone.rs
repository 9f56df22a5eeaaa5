//! `offconv::fuzzing::phone`: its doc says what the input is and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| offconv::fuzzing::phone(data));
