//! Every license family along derivative and output edges: what the knowledge base's
//! entries do once the engine carries them.

use mglint::kb::{ClauseKind, Family};

use crate::support::{check, has, kb};

/// A commercial, public fine-tune of a root under `license` that keeps the license.
fn finetune_of(license: &str) -> String {
    format!(
        "intent: {{ use: commercial, distribute: public }}\n\
         nodes:\n  - id: up/base\n    license: \"{license}\"\n  \
         - id: me/ft\n    license: \"{license}\"\n    via: finetune\n    from: [up/base]\n"
    )
}

/// Every entry, read from its own clauses: a commercial, public fine-tune that keeps the
/// license gets exactly the findings those clauses call for, and none they do not.
#[test]
fn every_entry_along_a_derivative_edge_reports_what_its_clauses_say() {
    for (_, l) in kb().all() {
        let (g, r) = check(&finetune_of(&l.id));
        let expect = [
            ("non-commercial", l.has(ClauseKind::NonCommercial)),
            ("no-derivatives", l.has(ClauseKind::NoDerivatives)),
            ("attribution", l.has(ClauseKind::Attribution)),
            ("use-restrictions", l.has(ClauseKind::UseRestrictions)),
            ("license-terms", !l.conditions.is_empty()),
            ("license-reading", l.reading.is_some()),
            ("revocable-license", l.revocable),
            ("share-alike", false),
            ("unknown-license", false),
        ];
        for (code, expected) in expect {
            assert_eq!(
                has(&g, &r, code, "me/ft"),
                expected,
                "{}: `{code}` on the fine-tune should be {expected}; findings: {:?}",
                l.id,
                crate::support::summary(&g, &r)
            );
        }
    }
}

/// Every family has at least one built-in entry, so each family's behaviour below is
/// exercised (`other` is the default for users' entries that name no family).
#[test]
fn every_family_has_entries() {
    for family in Family::ALL.iter().filter(|f| **f != Family::Other) {
        assert!(
            kb().all().any(|(_, l)| l.family == *family),
            "no license of family {}",
            family.as_str()
        );
    }
}

/// `up/base` under `license`; `me/ft`, a commercial public fine-tune declaring `declared`
/// (or nothing); `me/synthetic`, data generated with `up/base` and sold; `me/student`, a
/// commercial public model trained on that data under Apache-2.0.
fn lineage(license: &str, declared: Option<&str>) -> String {
    let declared = declared.map_or(String::new(), |d| format!("    license: \"{d}\"\n"));
    format!(
        "intent: {{ use: commercial, distribute: public }}\n\
         nodes:\n  - id: up/base\n    license: \"{license}\"\n  \
         - id: me/ft\n{declared}    via: finetune\n    from: [up/base]\n  \
         - id: me/synthetic\n    kind: output\n    license: CC0-1.0\n    via: generate\n    from: [up/base]\n  \
         - id: me/student\n    license: Apache-2.0\n    via: train\n    from: [me/synthetic]\n"
    )
}

/// The error and warning codes on a node, sorted.
fn problems(text: &str, node: &str) -> Vec<String> {
    let (g, r) = check(text);
    let mut codes: Vec<String> = r
        .keys()
        .iter()
        .filter(|f| g.node(f.node).id == node && f.severity != mglint::checks::Severity::Info)
        .map(|f| f.code.as_str().to_owned())
        .collect();
    codes.sort();
    codes
}

/// The info codes on a node, sorted.
fn notes(text: &str, node: &str) -> Vec<String> {
    let (g, r) = check(text);
    let mut codes: Vec<String> = r
        .keys()
        .iter()
        .filter(|f| g.node(f.node).id == node && f.severity == mglint::checks::Severity::Info)
        .map(|f| f.code.as_str().to_owned())
        .collect();
    codes.sort();
    codes
}

#[test]
fn public_domain_and_data_dedications_ask_nothing_anywhere() {
    for license in ["cc0-1.0", "unlicense", "pddl", "wtfpl"] {
        let text = lineage(license, Some("Apache-2.0"));
        for node in ["me/ft", "me/synthetic", "me/student"] {
            assert_eq!(problems(&text, node), Vec::<String>::new(), "{license} {node}");
        }
        assert!(!notes(&text, "me/ft").contains(&"attribution".to_owned()), "{license}");
    }
}

#[test]
fn permissive_licenses_ask_for_credit_on_derivatives_but_not_on_outputs() {
    for license in ["mit", "isc", "bsl-1.0", "zlib", "ncsa", "postgresql", "bsd", "afl-3.0"] {
        let text = lineage(license, Some("Apache-2.0"));
        assert_eq!(problems(&text, "me/ft"), Vec::<String>::new(), "{license}");
        assert!(notes(&text, "me/ft").contains(&"attribution".to_owned()), "{license}");
        assert!(
            !notes(&text, "me/student").contains(&"attribution".to_owned()),
            "{license}"
        );
        assert!(
            !notes(&text, "me/synthetic").contains(&"attribution".to_owned()),
            "{license}"
        );
    }
    // The family id `bsd` is read as BSD-4-Clause and says so where it is written.
    assert!(notes(&lineage("bsd", Some("MIT")), "up/base").contains(&"license-reading".to_owned()));
}

#[test]
fn copyleft_binds_relabelled_derivatives_never_outputs() {
    for license in [
        "gpl-2.0", "gpl-3.0", "lgpl-2.1", "mpl-2.0", "eupl-1.2", "epl-2.0", "osl-3.0", "gpl", "gfdl",
    ] {
        let text = lineage(license, Some("Apache-2.0"));
        assert_eq!(problems(&text, "me/ft"), ["share-alike"], "{license}");
        for node in ["me/synthetic", "me/student"] {
            assert_eq!(problems(&text, node), Vec::<String>::new(), "{license} {node}");
        }
    }
    // A listed compatible license satisfies share-alike; the version-less `gpl` accepts none.
    assert_eq!(
        problems(&lineage("gpl-2.0-or-later", Some("GPL-3.0")), "me/ft"),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(&lineage("cc-by-sa-3.0", Some("CC-BY-SA-4.0")), "me/ft"),
        Vec::<String>::new()
    );
    assert_eq!(problems(&lineage("gpl", Some("GPL-3.0")), "me/ft"), ["share-alike"]);
}

#[test]
fn creative_commons_nc_binds_derivatives_and_the_generating_act_only() {
    for license in ["cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nc-sa-3.0"] {
        let text = lineage(license, None);
        assert!(
            problems(&text, "me/ft").contains(&"non-commercial".to_owned()),
            "{license}"
        );
        // Generating sold data is a commercial use of the model ...
        assert_eq!(problems(&text, "me/synthetic"), ["non-commercial"], "{license}");
        // ... but the NC of a non-ModelGo license does not follow the data into a model.
        assert_eq!(problems(&text, "me/student"), Vec::<String>::new(), "{license}");
    }
    // ND: derivatives may not be shared; the family id `cc` is read as BY-NC-ND.
    assert_eq!(
        problems(&lineage("cc-by-nd-4.0", Some("CC-BY-ND-4.0")), "me/ft"),
        ["no-derivatives"]
    );
    assert_eq!(
        problems(&lineage("cc", Some("CC-BY-NC-ND-4.0")), "me/ft"),
        ["no-derivatives", "non-commercial"]
    );
}

#[test]
fn openrail_and_gemma_restrictions_flow_down_derivatives_not_outputs() {
    for license in [
        "openrail",
        "creativeml-openrail-m",
        "bigcode-openrail-m",
        "openrail++",
        "gemma",
        "hai-def",
    ] {
        let text = lineage(license, Some("Apache-2.0"));
        assert_eq!(problems(&text, "me/ft"), ["license-mismatch"], "{license}");
        assert!(
            notes(&text, "me/ft").contains(&"use-restrictions".to_owned()),
            "{license}"
        );
        assert!(
            !notes(&text, "me/student").contains(&"use-restrictions".to_owned()),
            "{license}"
        );
    }
}

#[test]
fn llama_licenses_name_derivatives_and_state_their_user_threshold() {
    for license in ["llama3.1", "llama3.2", "llama3.3", "llama4"] {
        let text = lineage(license, Some(license));
        assert_eq!(problems(&text, "me/ft"), ["llama-naming"], "{license}");
        // A model trained on the outputs inherits the naming duty (semantics.md section 2).
        assert_eq!(problems(&text, "me/student"), ["llama-naming"], "{license}");
        assert!(notes(&text, "me/ft").contains(&"license-terms".to_owned()), "{license}");
    }
    // Llama 2: outputs may not improve another LLM.
    assert_eq!(
        problems(&lineage("llama2", Some("llama2")), "me/student"),
        ["llama-other-llm"]
    );
}

#[test]
fn vendor_licenses_carry_non_commercial_terms_and_thresholds() {
    for license in [
        "flux-1-dev-non-commercial-license",
        "mnpl",
        "mrl",
        "qwen-research",
        "cpml",
    ] {
        let text = lineage(license, None);
        assert!(
            problems(&text, "me/ft").contains(&"non-commercial".to_owned()),
            "{license}"
        );
    }
    for license in ["qwen", "tongyi-qianwen", "stabilityai-community-license", "yi-license"] {
        let text = lineage(license, Some(license));
        assert!(
            !problems(&text, "me/ft").contains(&"non-commercial".to_owned()),
            "{license}"
        );
        assert!(notes(&text, "me/ft").contains(&"license-terms".to_owned()), "{license}");
    }
}

#[test]
fn data_licenses_share_alike_leaves_trained_models_open() {
    // ODbL data in a training set: whether the model is a derivative database is open.
    let text = "intent: { use: commercial, distribute: public }\nnodes:\n  - id: osm\n    kind: dataset\n    \
                license: odbl\n  - id: me/model\n    license: MIT\n    via: train\n    from: [osm]\n";
    assert_eq!(problems(text, "me/model"), ["review-needed"]);
    let text = text.replace("odbl", "cdla-permissive-2.0");
    assert_eq!(problems(&text, "me/model"), Vec::<String>::new());
}

/// A publisher's license is suggested only for its own derivatives, and a family reading
/// never is.
#[test]
fn suggestions_never_offer_readings_or_other_publishers_licenses() {
    let (g, r) = check(&lineage("mit", None));
    let v = g.find("me/ft").unwrap();
    let permitted = r.nodes[v as usize].permitted.clone().expect("derived node");
    assert!(!permitted.is_empty());
    for &l in permitted.iter() {
        let lic = kb().get(l);
        assert!(lic.reading.is_none(), "suggested the reading {}", lic.id);
        assert!(!lic.family.is_publisher_specific(), "suggested {}", lic.id);
    }
    let (g, r) = check(&lineage("llama3.1", None));
    let v = g.find("me/ft").unwrap();
    let permitted = r.nodes[v as usize].permitted.clone().expect("derived node");
    let ids: Vec<&str> = permitted.iter().map(|&l| kb().get(l).id.as_str()).collect();
    assert!(ids.contains(&"Llama-3.1"), "{ids:?}");
    assert!(!ids.contains(&"Llama-2") && !ids.contains(&"Qwen"), "{ids:?}");
}
