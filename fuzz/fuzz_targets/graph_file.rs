#![no_main]
//! Graph files, YAML or JSON (chosen by the first byte, so both parsers are exercised).
//! A JSON input is also read in parts on several threads, which must read what one
//! thread reads.

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let json = data.first() == Some(&b'{');
    let name = if json { "fuzz.json" } else { "fuzz.yaml" };
    common::check(name, data, Some(mglint::import::InputKind::Graph));
    if json && let Ok(text) = std::str::from_utf8(data) {
        let limits = mglint::syntax::Limits::default();
        let read = |parts| {
            let each = |items: &mut Vec<mglint::syntax::Value>, v| items.push(v);
            mglint::syntax::parse_json_streaming(text, &limits, "nodes", parts, Vec::new, each)
                .map(|(tree, sinks)| (tree, sinks.concat()))
        };
        assert_eq!(read(2 + data.len() % 5), read(1), "read in parts");
    }
});
