#![no_main]
//! Graph files, YAML or JSON (chosen by the first byte, so both parsers are exercised).

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let name = if data.first() == Some(&b'{') {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    common::check(name, data, Some(mglint::import::InputKind::Graph));
});
