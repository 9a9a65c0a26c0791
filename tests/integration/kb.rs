//! The built-in knowledge base: every entry loads, validates and is findable.

use mglint::kb::{ClauseKind, KnowledgeBase, Lookup};

use crate::support::kb;

fn id_of(name: &str) -> Option<String> {
    match kb().lookup(name) {
        Lookup::Known { id, unversioned: false } => Some(kb().get(id).id.clone()),
        _ => None,
    }
}

#[test]
fn every_modelgo_id_of_both_versions_is_known() {
    let v1 = [
        "MG0",
        "MG-BY",
        "MG-BY-NC",
        "MG-BY-ND",
        "MG-BY-NC-ND",
        "MG-BY-OS",
        "MG-BY-NC-OS",
        "MG-BY-RAI",
        "MG-BY-NC-RAI",
    ];
    let v2 = [
        "MG0",
        "MG-BY",
        "MG-BY-NC",
        "MG-BY-ND",
        "MG-BY-NC-ND",
        "MG-BY-SA",
        "MG-BY-RAI",
        "MG-BY-NC-RAI",
    ];
    for (ids, version, generation) in [(&v1[..], "1.0", 1u8), (&v2[..], "2.0", 2u8)] {
        for id in ids {
            let full = format!("{id}-{version}");
            let found = id_of(&full).unwrap_or_else(|| panic!("{full} is not in the knowledge base"));
            assert_eq!(found, full);
            let Lookup::Known { id: ix, .. } = kb().lookup(&full) else {
                unreachable!()
            };
            assert_eq!(kb().get(ix).modelgo, Some(generation), "{full}");
        }
    }
}

#[test]
fn required_licenses_are_findable_by_spdx_and_hub_ids_in_any_case() {
    let pairs = [
        ("Apache-2.0", "apache-2.0"),
        ("MIT", "mit"),
        ("BSD-3-Clause", "bsd-3-clause"),
        ("CC0-1.0", "cc0-1.0"),
        ("Unlicense", "unlicense"),
        ("CC-BY-4.0", "cc-by-4.0"),
        ("CC-BY-SA-4.0", "cc-by-sa-4.0"),
        ("CC-BY-NC-4.0", "cc-by-nc-4.0"),
        ("CC-BY-ND-4.0", "cc-by-nd-4.0"),
        ("CC-BY-NC-SA-4.0", "cc-by-nc-sa-4.0"),
        ("CC-BY-NC-ND-4.0", "cc-by-nc-nd-4.0"),
        ("GPL-3.0", "gpl-3.0"),
        ("AGPL-3.0", "agpl-3.0"),
        ("LGPL-3.0", "lgpl-3.0"),
        ("OpenRAIL-M", "open-rail-m"),
        ("CreativeML-OpenRAIL-M", "creativeml-openrail-m"),
        ("BigScience-OpenRAIL-M", "bigscience-openrail-m"),
        ("BigScience-BLOOM-RAIL-1.0", "bigscience-bloom-rail-1.0"),
        ("Llama-2", "llama2"),
        ("Llama-3", "llama3"),
        ("Llama-3.1", "llama3.1"),
        ("Llama-3.2", "llama3.2"),
        ("Llama-3.3", "llama3.3"),
        ("Gemma", "gemma"),
    ];
    for (spdx, hub) in pairs {
        for written in [spdx.to_owned(), hub.to_owned(), spdx.to_uppercase(), hub.to_uppercase()] {
            assert_eq!(
                id_of(&written).as_deref(),
                Some(spdx),
                "`{written}` should resolve to {spdx}"
            );
        }
    }
    assert_eq!(id_of("GPL-3.0-only").as_deref(), Some("GPL-3.0"));
}

#[test]
fn every_builtin_clause_cites_its_source_and_ids_resolve_to_themselves() {
    let mut count = 0;
    for (ix, l) in kb().all() {
        count += 1;
        for c in &l.clauses {
            assert!(
                c.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
                "{}: clause {} has no source",
                l.id,
                c.kind.as_str()
            );
        }
        for name in std::iter::once(&l.id).chain(&l.aliases) {
            assert_eq!(
                kb().lookup(name),
                Lookup::Known {
                    id: ix,
                    unversioned: false
                },
                "`{name}` must resolve to {}",
                l.id
            );
        }
        if l.has(ClauseKind::ShareAlike) {
            for &c in &l.compatible {
                assert_ne!(c, ix, "{} lists itself as compatible", l.id);
            }
        }
        assert!(
            !l.has(ClauseKind::FlowDown) || l.has(ClauseKind::UseRestrictions),
            "{}: flow-down without use restrictions",
            l.id
        );
    }
    assert!(count >= 40, "only {count} licenses");
}

#[test]
fn unversioned_modelgo_ids_read_as_the_latest_version() {
    for (written, expected) in [
        ("MG-BY-NC", "MG-BY-NC-2.0"),
        ("mg-by-os", "MG-BY-OS-1.0"),
        ("MG0", "MG0-2.0"),
        ("MG-BY-NC-OS", "MG-BY-NC-OS-1.0"),
    ] {
        match kb().lookup(written) {
            Lookup::Known { id, unversioned: true } => assert_eq!(kb().get(id).id, expected, "{written}"),
            other => panic!("{written}: {other:?}"),
        }
    }
}

#[test]
fn the_knowledge_base_fingerprint_is_stable_across_loads() {
    assert_eq!(KnowledgeBase::builtin().fingerprint(), kb().fingerprint());
    assert!(kb().fingerprint().starts_with("2026.11-"));
}

#[test]
fn a_malformed_license_file_is_an_error_with_a_location() {
    let mut kb = KnowledgeBase::builtin();
    let errors = kb
        .load(
            "acme.yaml",
            "licenses:\n  - id: acme-x\n    clauses: [attribution, not-a-clause]\n",
            7,
            false,
        )
        .expect_err("unknown clause");
    assert_eq!(errors[0].code.as_str(), "invalid-config");
    let loc = errors[0].location.expect("located");
    assert_eq!((loc.file, loc.pos.line, loc.pos.column), (7, 3, 28));
}

#[test]
fn user_files_add_licenses_aliases_and_model_mappings_and_replace_builtins() {
    let mut kb = KnowledgeBase::builtin();
    kb.load(
        "acme.yaml",
        "licenses:
  - id: acme-research-only
    name: ACME Research-Only Model License
    aliases: [acme-ro]
    clauses:
      - attribution
      - non-commercial
      - use-restrictions: { set: acme-aup }
  - id: MIT
    clauses: [attribution, license-copy, non-commercial]
models:
  \"acme/*\": acme-research-only
  \"acme/special-*\": mit
",
        3,
        false,
    )
    .expect("valid user file");
    let Lookup::Known { id, .. } = kb.lookup("ACME-RO") else {
        panic!("alias")
    };
    assert_eq!(kb.get(id).id, "acme-research-only");
    assert!(kb.get(id).has(ClauseKind::NonCommercial));
    let Lookup::Known { id: mit, .. } = kb.lookup("mit") else {
        panic!("mit")
    };
    assert!(kb.get(mit).overrides_builtin && kb.get(mit).has(ClauseKind::NonCommercial));
    assert_eq!(
        kb.model_license("acme/base-7b", false)
            .map(|m| kb.get(m.license).id.as_str()),
        Some("acme-research-only")
    );
    assert_eq!(
        kb.model_license("acme/special-1", false)
            .map(|m| kb.get(m.license).id.as_str()),
        Some("MIT"),
        "longest literal wins"
    );
    assert_eq!(kb.model_license("acme/x/y", false), None, "`*` does not cross `/`");
    assert_eq!(kb.model_license("other/x", false), None);
    assert!(
        kb.model_license("ACME/Base-7B", false).is_some(),
        "case does not matter"
    );
    assert_ne!(kb.fingerprint(), KnowledgeBase::builtin().fingerprint());
}

/// The license strings of a model card's front matter: `license` (string or list) and
/// `license_name`.
fn card_licenses(text: &str) -> Vec<String> {
    use mglint::syntax::{Kind, Limits, parse_yaml};
    // Only a leading front-matter block counts (one corpus card has its YAML at the end).
    let Some(body) = text.strip_prefix("---") else {
        return Vec::new();
    };
    let end = body.find("\n---").expect("front matter ends");
    let doc = parse_yaml(&body[..end], &Limits::default()).expect("front matter parses");
    let Kind::Map(entries) = &doc.kind else {
        panic!("front matter is a map")
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        if !matches!(&*key.name, "license" | "license_name") {
            continue;
        }
        match &value.kind {
            Kind::Str(s) => out.push(s.clone()),
            Kind::Seq(items) => out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned))),
            _ => {}
        }
    }
    out
}

/// Every license string in the real model cards of the corpus resolves to an entry,
/// except the Hub's `other` / `unknown` placeholders (a card with `other` names the
/// license in `license_name`, which must resolve).
#[test]
fn every_license_string_in_the_corpus_model_cards_resolves() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/model-cards");
    let mut seen = 0;
    let mut unresolved = Vec::new();
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("card");
        for name in card_licenses(&text) {
            seen += 1;
            let placeholder = matches!(name.to_ascii_lowercase().as_str(), "other" | "unknown" | "");
            if !placeholder && kb().lookup(&name) == Lookup::Unknown {
                unresolved.push(format!("{}: {name}", path.display()));
            }
        }
    }
    assert!(seen >= 25, "only {seen} license strings found");
    assert!(unresolved.is_empty(), "unresolved: {unresolved:#?}");
}

/// Every license id the Hugging Face Hub accepts (its validation list, as of hub-docs
/// PR #1619) resolves to an entry, except `other` and `unknown`, which stay unknown.
#[test]
fn every_hugging_face_hub_license_id_resolves() {
    const HUB: &str = "apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m \
        bigscience-bloom-rail-1.0 bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause \
        bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0 \
        cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0 \
        cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0 \
        cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 \
        eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research \
        intel-research lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl openmdw-1.0 \
        openmdw-1.1 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr \
        deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 \
        llama3.3 llama4 grok2-community gemma";
    let missing: Vec<&str> = HUB
        .split_whitespace()
        .filter(|id| kb().lookup(id) == Lookup::Unknown)
        .collect();
    assert!(missing.is_empty(), "Hub ids without an entry: {missing:?}");
    for placeholder in ["other", "unknown"] {
        assert_eq!(
            kb().lookup(placeholder),
            Lookup::Unknown,
            "`{placeholder}` must stay unknown"
        );
    }
}

/// The family ids of the Hub name no single text: each is read strictly and says so.
#[test]
fn hub_family_ids_are_strict_readings_never_suggested() {
    for family in ["cc", "gpl", "lgpl", "bsd", "openrail", "gfdl", "llama-license"] {
        let Lookup::Known { id, .. } = kb().lookup(family) else {
            panic!("`{family}` is unknown")
        };
        let l = kb().get(id);
        assert!(l.reading.is_some(), "`{family}` ({}) has no `reading`", l.id);
    }
    // `odc-by` and `odbl` are listed as families, but only version 1.0 of each exists.
    assert_eq!(id_of("odc-by").as_deref(), Some("ODC-By-1.0"));
    assert_eq!(id_of("odbl").as_deref(), Some("ODbL-1.0"));
}

/// Model cards write one license many ways: spacing, `-`/`_`, case and a trailing
/// "license" do not matter.
#[test]
fn license_names_match_across_spacing_case_and_a_trailing_license_word() {
    for (written, expected) in [
        ("llama 3", "Llama-3"),
        ("llama3-license", "Llama-3"),
        ("llama 3 community license", "Llama-3"),
        ("llama-2-license", "Llama-2"),
        ("llama 3.1", "Llama-3.1"),
        ("cc by nc 4.0", "CC-BY-NC-4.0"),
        ("Apache 2.0 License", "Apache-2.0"),
        ("qwen-license", "Qwen"),
        ("yi", "Yi-License"),
    ] {
        assert_eq!(id_of(written).as_deref(), Some(expected), "`{written}`");
    }
    // `llama-license` is its own (strict) reading, not Llama 2; other words tell different
    // texts apart.
    assert_eq!(id_of("llama-license").as_deref(), Some("llama-license"));
    assert_eq!(id_of("NVIDIA Open Model Agreement"), None);
    assert_eq!(id_of("Qwen Community License"), None);
}

/// Two licenses whose names differ only in the ways above match neither loosely: a guess
/// between them would be a silent wrong verdict.
#[test]
fn a_loose_name_shared_by_two_licenses_matches_neither() {
    let mut kb = KnowledgeBase::builtin();
    kb.load(
        "acme.yaml",
        "licenses:\n  - id: acme-1\n    aliases: [Foo Model]\n  - id: acme-2\n    aliases: [foo_model]\n",
        3,
        false,
    )
    .expect("valid user file");
    assert!(matches!(kb.lookup("foo model"), Lookup::Known { .. }), "exact alias");
    assert_eq!(kb.lookup("FOO-MODEL license"), Lookup::Unknown);
}

/// A user file's `terms` reach distributed and commercial nodes downstream; a term with
/// `outputs: true` also reaches a model trained on generated data, which gets only those.
#[test]
fn user_terms_reach_derivatives_and_output_terms_reach_models_trained_on_outputs() {
    let mut kb = KnowledgeBase::builtin();
    kb.load(
        "acme.yaml",
        "licenses:\n  - id: acme-model\n    terms:\n      - { text: Tell ACME before launch., source: \"§9\" }\n      \
         - { text: Do not train other models on outputs., source: \"§4\", outputs: true }\n",
        3,
        false,
    )
    .expect("valid user file");
    let graph = "intent: { use: commercial, distribute: public }\nnodes:\n  - id: acme/base\n    license: acme-model\n  \
                 - id: me/ft\n    via: finetune\n    from: [acme/base]\n  - id: me/data\n    kind: output\n    \
                 via: generate\n    from: [acme/base]\n  - id: me/student\n    via: train\n    from: [me/data]\n";
    let checked = mglint::check_inputs(
        vec![("g.yaml".to_owned(), graph.to_owned())],
        &kb,
        &mglint::checks::CheckOptions::default(),
    );
    let (g, r) = checked.result.expect("valid graph");
    let terms = |node: &str| {
        r.findings(&g, &kb)
            .find(|f| f.code.as_str() == "license-terms" && g.node(f.node).id == node)
            .map(|f| f.message)
    };
    let ft = terms("me/ft").expect("terms on the fine-tune");
    assert!(
        ft.contains("Tell ACME before launch. (§9)") && ft.contains("Do not train other models"),
        "{ft}"
    );
    let student = terms("me/student").expect("output terms on the student");
    assert!(
        student.contains("Do not train other models on outputs. (§4)"),
        "{student}"
    );
    assert!(!student.contains("Tell ACME"), "{student}");
}

#[test]
fn a_term_without_text_is_an_error_at_its_location() {
    let mut kb = KnowledgeBase::builtin();
    let errors = kb
        .load(
            "acme.yaml",
            "licenses:\n  - id: acme-x\n    terms:\n      - { source: \"§2\" }\n",
            4,
            false,
        )
        .expect_err("term without text");
    assert_eq!(errors[0].code.as_str(), "invalid-config");
    assert!(errors[0].message.contains("`text`"), "{}", errors[0].message);
    let loc = errors[0].location.expect("located");
    assert_eq!((loc.pos.line, loc.pos.column), (4, 9));
}

/// A data file added to `src/kb/data/` but not embedded would be silently ignored.
#[test]
fn every_data_file_is_embedded() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/kb/data");
    for entry in std::fs::read_dir(dir).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !file.ends_with(".yaml") {
            continue;
        }
        let name = format!("src/kb/data/{file}");
        assert!(
            mglint::kb::BUILTIN_FILES.iter().any(|(n, _)| *n == name),
            "{name} is not in BUILTIN_FILES"
        );
    }
}

/// The built-in data is embedded as JSON generated from `src/kb/data/*.yaml`: parsing the
/// YAML at every start was most of a small run's time. The YAML is the source; this test
/// fails when the JSON is out of date, and `MGLINT_REGENERATE=1 cargo test --test
/// integration kb::` rewrites it.
#[test]
fn embedded_license_data_is_the_yaml_sources() {
    let root = env!("CARGO_MANIFEST_DIR");
    let regenerate = std::env::var_os("MGLINT_REGENERATE").is_some();
    for (name, embedded) in mglint::kb::BUILTIN_FILES {
        let yaml = std::fs::read_to_string(format!("{root}/{name}")).unwrap();
        let tree = mglint::syntax::parse_yaml(&yaml, &mglint::syntax::Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let json = serde_json::to_string_pretty(&crate::support::as_json(&tree)).unwrap() + "\n";
        let generated = name
            .replace("src/kb/data/", "src/kb/data/json/")
            .replace(".yaml", ".json");
        if regenerate {
            std::fs::write(format!("{root}/{generated}"), &json).unwrap();
        } else {
            assert!(
                *embedded == json,
                "{generated} is out of date with {name}: run `MGLINT_REGENERATE=1 cargo test --test integration kb::`"
            );
        }
    }
}

/// The built-in registry of model families answers for well-known bases, and only as the
/// registry (never as a user's mapping).
#[test]
fn the_registry_knows_well_known_base_models() {
    for (id, expected) in [
        ("meta-llama/Llama-2-7b-hf", "Llama-2"),
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", "Llama-3.1"),
        ("mistralai/Mistral-7B-v0.1", "Apache-2.0"),
        ("Qwen/Qwen2.5-72B-Instruct", "Qwen"),
        ("Qwen/Qwen2.5-7B-Instruct", "Apache-2.0"),
        ("black-forest-labs/FLUX.1-dev", "FLUX.1-dev-NC"),
        ("google/gemma-2-9b-it", "Gemma"),
    ] {
        let found = kb().model_license(id, true).map(|m| kb().get(m.license).id.as_str());
        assert_eq!(found, Some(expected), "{id}");
        assert_eq!(kb().model_license(id, false), None, "{id}");
    }
}
