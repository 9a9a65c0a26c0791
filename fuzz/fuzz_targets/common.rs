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
    let outcome = match &checked.result {
        Err(errors) => {
            assert!(!errors.is_empty());
            mglint::render::Outcome::Unusable(errors)
        }
        Ok((graph, report)) => {
            // The report keeps keys and rebuilds findings when read: every key must rebuild.
            assert_eq!(report.findings(graph, kb).count(), report.keys().len());
            mglint::render::Outcome::Checked { graph, report }
        }
    };
    // The JSON writer is written by hand: it must always produce valid JSON.
    let run = mglint::render::Run {
        sources: &checked.sources,
        inputs: &[name.to_owned()],
        license_files: &[],
        kb,
        outcome,
    };
    let mut out = Vec::new();
    mglint::render::json::write(&run, &mut out).expect("writing to a Vec");
    assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&out).is_ok(), "invalid JSON report");
}

fn kb() -> &'static mglint::kb::KnowledgeBase {
    static KB: std::sync::OnceLock<mglint::kb::KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(mglint::kb::KnowledgeBase::builtin)
}
