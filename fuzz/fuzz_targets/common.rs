//! Shared by the fuzz targets: check one input of a given kind, offline, and require
//! that it either checks or fails with located input errors (never a panic or a hang),
//! then write every output of it: the reports in every format, the diagram, the imported
//! graph file, `suggest` for every derived node and `explain` for one.

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
    // Every other output of the same input: none may panic, and the JSON ones must parse.
    let text = mglint::render::text::TextOptions { color: false, quiet: false };
    mglint::render::text::write(&run, text, &mut Vec::new()).expect("writing to a Vec");
    out.clear();
    mglint::render::sarif::write_sarif(&run, &mut out).expect("writing to a Vec");
    assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&out).is_ok(), "invalid SARIF");
    mglint::render::sarif::write_github(&run, &mut Vec::new()).expect("writing to a Vec");
    if let Ok((graph, report)) = &checked.result {
        use mglint::render::explain::{write_explain, write_suggest};
        mglint::render::dot::write(graph, report, kb, &mut Vec::new()).expect("writing to a Vec");
        mglint::render::graph::write(graph, &[name.to_owned()], false, &mut Vec::new()).expect("writing to a Vec");
        let derived: Vec<u32> = (0..graph.nodes.len() as u32).filter(|&v| !graph.is_root(v)).collect();
        for json in [false, true] {
            out.clear();
            write_suggest(graph, report, kb, &derived, json, &mut out).expect("writing to a Vec");
            if json {
                assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&out).is_ok(), "invalid suggest JSON");
            }
            // The last node in id order (an empty graph has none).
            if let Some(last) = (graph.nodes.len() as u32).checked_sub(1) {
                out.clear();
                write_explain(graph, report, kb, last, json, &mut out).expect("writing to a Vec");
                if json {
                    assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&out).is_ok(), "invalid explain JSON");
                }
            }
        }
    }
}

fn kb() -> &'static mglint::kb::KnowledgeBase {
    static KB: std::sync::OnceLock<mglint::kb::KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(mglint::kb::KnowledgeBase::builtin)
}
