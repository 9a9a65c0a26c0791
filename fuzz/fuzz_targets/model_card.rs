#![no_main]
//! Hugging Face model cards (front matter and body).

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::check("README.md", data, Some(mglint::import::InputKind::ModelCard));
});
