#![no_main]
//! mergekit recipes (single and multi-document).

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check("recipe.yml", data, Some(mglint::import::InputKind::Mergekit));
});
