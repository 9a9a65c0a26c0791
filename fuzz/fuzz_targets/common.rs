//! Shared by the fuzz targets: check one input of a given kind, offline, and require
//! that it either checks or fails with located input errors (never a panic or a hang).

use mglint::checks::CheckOptions;
use mglint::import::{ImportOptions, InputKind};

pub fn check(name: &str, data: &[u8], kind: Option<InputKind>) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = CheckOptions {
        import: ImportOptions {
            kind,
            ..ImportOptions::default()
        },
        ..CheckOptions::default()
    };
    let kb = kb();
    let checked = mglint::check_inputs(vec![(name.to_owned(), text.to_owned())], kb, &options);
    if let Err(errors) = &checked.result {
        assert!(!errors.is_empty());
    }
}

fn kb() -> &'static mglint::kb::KnowledgeBase {
    static KB: std::sync::OnceLock<mglint::kb::KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(mglint::kb::KnowledgeBase::builtin)
}
