//! Tests: rules. One tiny graph per rule of `semantics.md` sections 2-4, under both ModelGo
//! versions: what each clause carries along each relation class (presence and absence), every
//! finding code the engine implements, intent, license values and paths.

use mglint::checks::{CheckOptions, Finding, Report, Severity};
use mglint::engine::Overrides;
use mglint::graph::{Distribute, Graph, Relation, Use};

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every relation, with the row key used by the table tests. `generate+train` is a model
/// trained on the output of the upstream (the "models trained on outputs" rule).
const RELATIONS: [&str; 10] = [
    "copy",
    "finetune",
    "adapter",
    "merge",
    "quantize",
    "distill",
    "generate",
    "train",
    "combine",
    "generate+train",
];

/// `n0` (a root under `license`) then one node per relation in `vias`, each made from the
/// previous one; everything private and non-commercial, so only what is carried matters.
fn chain_yaml(license: &str, vias: &[&str]) -> String {
    let mut y =
        format!("intent: {{ use: non-commercial, distribute: private }}\nnodes:\n  - id: n0\n    license: {license}\n");
    for (i, via) in vias.iter().enumerate() {
        y.push_str(&format!("  - id: n{}\n    via: {via}\n    from: [n{i}]\n", i + 1));
    }
    y
}

/// The clauses the last node of the chain carries.
fn across(license: &str, relation: &str) -> Vec<String> {
    let vias: Vec<&str> = relation.split('+').collect();
    let (g, r) = check(&chain_yaml(license, &vias));
    clauses(&g, &r, &format!("n{}", vias.len()))
}

/// Asserts, for every relation of [`RELATIONS`], exactly which of the `watched` clauses the
/// node made from a `license` root carries (presence and absence). `expected` lists the
/// relations that carry something; every other relation must carry none of `watched`.
fn assert_row(license: &str, watched: &[&str], expected: &[(&str, &[&str])]) {
    assert_cells(license, &RELATIONS, watched, expected);
}

/// [`assert_row`] for some relations only (the others are asserted by a separate test).
fn assert_cells(license: &str, relations: &[&str], watched: &[&str], expected: &[(&str, &[&str])]) {
    for &relation in relations {
        let got: Vec<String> = across(license, relation)
            .into_iter()
            .filter(|c| watched.contains(&c.as_str()))
            .collect();
        let want: Vec<String> = expected
            .iter()
            .find(|(r, _)| *r == relation)
            .map_or_else(Vec::new, |(_, w)| w.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(got, want, "{license} across `{relation}`");
    }
}

/// Every relation of [`RELATIONS`] except one.
fn all_but(skip: &str) -> Vec<&'static str> {
    RELATIONS.into_iter().filter(|&r| r != skip).collect()
}

/// The ids of nodes.
fn ids<'g>(g: &'g Graph, nodes: &[u32]) -> Vec<&'g str> {
    nodes.iter().map(|&v| g.node(v).id.as_str()).collect()
}

/// The origins of a finding, by id.
fn origins<'g>(g: &'g Graph, f: &Finding) -> Vec<&'g str> {
    ids(g, &f.origins)
}

/// The finding, or a panic listing what was found.
fn must(g: &Graph, r: &Report, code: &str, node: &str) -> Finding {
    finding(g, r, code, node).unwrap_or_else(|| panic!("no `{code}` on `{node}`; findings: {:#?}", summary(g, r)))
}

/// Asserts a finding is absent, listing what was found.
fn absent(g: &Graph, r: &Report, code: &str, node: &str) {
    assert!(
        !has(g, r, code, node),
        "unexpected `{code}` on `{node}`; findings: {:#?}",
        summary(g, r)
    );
}

/// The summary lines about one node.
fn on(g: &Graph, r: &Report, node: &str) -> Vec<String> {
    summary(g, r)
        .into_iter()
        .filter(|s| s.rsplit(' ').next() == Some(node))
        .collect()
}

/// The permitted licenses of a derived node, by id.
fn permitted_ids(g: &Graph, r: &Report, node: &str) -> Vec<String> {
    let v = g.find(node).expect("node exists");
    r.nodes[v as usize]
        .permitted
        .as_ref()
        .expect("derived nodes have a permitted list")
        .iter()
        .map(|&l| kb().get(l).id.clone())
        .collect()
}

fn with_overrides(use_: Option<Use>, distribute: Option<Distribute>) -> CheckOptions {
    CheckOptions {
        overrides: Overrides {
            use_,
            distribute,
            ..Default::default()
        },
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Section 2: where obligations start
// ---------------------------------------------------------------------------------------------

#[test]
fn root_license_binds_the_root_itself() {
    let (g, r) = check("nodes:\n  - id: solo\n    license: CC-BY-NC-4.0\n");
    let f = must(&g, &r, "non-commercial", "solo");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(origins(&g, &f), ["solo"]);
    assert_eq!(
        clauses(&g, &r, "solo"),
        ["attribution", "license-copy", "non-commercial"]
    );
}

#[test]
fn derived_node_declared_license_binds_only_what_derives_from_it() {
    let (g, r) = check(
        "nodes:
  - id: base
    license: MIT
  - id: ft
    via: finetune
    from: [base]
    license: MG-BY-NC-2.0
    use: commercial
    distribute: public
  - id: q
    via: quantize
    from: [ft]
    use: commercial
",
    );
    absent(&g, &r, "non-commercial", "ft");
    assert!(!clauses(&g, &r, "ft").contains(&"non-commercial".to_owned()));
    let f = must(&g, &r, "non-commercial", "q");
    assert_eq!(origins(&g, &f), ["ft"]);
}

#[test]
fn declaring_a_new_license_never_removes_an_inherited_obligation() {
    let (g, r) = check(
        "nodes:
  - id: base
    license: MG-BY-NC-2.0
  - id: relabelled
    via: finetune
    from: [base]
    license: MIT
  - id: app
    via: quantize
    from: [relabelled]
",
    );
    let f = must(&g, &r, "non-commercial", "app");
    assert_eq!(origins(&g, &f), ["base"]);
    assert_eq!(must(&g, &r, "license-mismatch", "relabelled").severity, Severity::Error);
}

// ---------------------------------------------------------------------------------------------
// Section 2 table, row "attribution, license-copy"
// ---------------------------------------------------------------------------------------------

const ATTRIBUTION: &[&str] = &[
    "ai-content-notice",
    "attribution",
    "extracted-notice",
    "license-copy",
    "state-changes",
];

#[test]
fn attribution_v1_along_every_relation() {
    const DERIV: &[&str] = &["attribution", "license-copy", "state-changes"];
    assert_row(
        "MG-BY-1.0",
        ATTRIBUTION,
        &[
            ("copy", &["attribution", "license-copy"]),
            ("finetune", DERIV),
            ("adapter", DERIV),
            ("merge", DERIV),
            ("quantize", DERIV),
            // v1: extracted = derivative.
            ("distill", DERIV),
            ("generate", &["ai-content-notice"]),
            ("combine", &["attribution", "license-copy"]),
        ],
    );
}

#[test]
fn attribution_v2_along_every_relation() {
    const DERIV: &[&str] = &["attribution", "license-copy", "state-changes"];
    // The `distill` cell is `mg_by_2_0_gives_no_attribution_across_distill`.
    assert_cells(
        "MG-BY-2.0",
        &all_but("distill"),
        ATTRIBUTION,
        &[
            ("copy", &["attribution", "license-copy"]),
            ("finetune", DERIV),
            ("adapter", DERIV),
            ("merge", DERIV),
            ("quantize", DERIV),
            // MG-BY-2.0 has no `extraction`: nothing across distill; no v2 AI-content notice.
            ("combine", &["attribution", "license-copy"]),
        ],
    );
}

#[test]
fn v2_extraction_ids_add_extracted_notice_across_distill() {
    for lic in [
        "MG-BY-NC-2.0",
        "MG-BY-ND-2.0",
        "MG-BY-NC-ND-2.0",
        "MG-BY-SA-2.0",
        "MG-BY-RAI-2.0",
        "MG-BY-NC-RAI-2.0",
    ] {
        let got: Vec<String> = across(lic, "distill")
            .into_iter()
            .filter(|c| ATTRIBUTION.contains(&c.as_str()))
            .collect();
        assert_eq!(got, ["attribution", "extracted-notice", "license-copy"], "{lic}");
    }
}

#[test]
fn mg_by_2_0_gives_no_attribution_across_distill() {
    assert_eq!(across("MG-BY-2.0", "distill"), Vec::<String>::new());
    // ... while a v1 id gives the derivative duties and no extracted notice.
    assert_eq!(
        across("MG-BY-1.0", "distill"),
        ["attribution", "license-copy", "state-changes"]
    );
}

#[test]
fn v1_distill_is_the_same_as_a_derivative() {
    for lic in [
        "MG-BY-1.0",
        "MG-BY-NC-1.0",
        "MG-BY-ND-1.0",
        "MG-BY-NC-ND-1.0",
        "MG-BY-OS-1.0",
        "MG-BY-NC-OS-1.0",
        "MG-BY-RAI-1.0",
        "MG-BY-NC-RAI-1.0",
    ] {
        assert_eq!(across(lic, "distill"), across(lic, "finetune"), "{lic}");
    }
}

#[test]
fn v1_ai_content_notice_for_all_but_nd_outputs() {
    for lic in [
        "MG0-1.0",
        "MG-BY-1.0",
        "MG-BY-NC-1.0",
        "MG-BY-OS-1.0",
        "MG-BY-NC-OS-1.0",
        "MG-BY-RAI-1.0",
    ] {
        assert!(
            across(lic, "generate").contains(&"ai-content-notice".to_owned()),
            "{lic}"
        );
    }
    for lic in [
        "MG-BY-ND-1.0",
        "MG-BY-NC-ND-1.0",
        "MG-BY-2.0",
        "MG-BY-NC-2.0",
        "Apache-2.0",
    ] {
        assert!(
            !across(lic, "generate").contains(&"ai-content-notice".to_owned()),
            "{lic}"
        );
    }
}

#[test]
fn attribution_of_other_licenses_does_not_cross_generate_or_train() {
    for lic in ["Apache-2.0", "CC-BY-4.0", "MIT"] {
        for relation in ["generate", "train"] {
            assert_eq!(across(lic, relation), Vec::<String>::new(), "{lic} across {relation}");
        }
        assert!(across(lic, "combine").contains(&"attribution".to_owned()), "{lic}");
    }
}

#[test]
fn attribution_of_other_licenses_does_not_cross_distill() {
    for lic in ["Apache-2.0", "CC-BY-4.0", "MIT"] {
        assert_eq!(across(lic, "distill"), Vec::<String>::new(), "{lic} across distill");
    }
}

// ---------------------------------------------------------------------------------------------
// Row "non-commercial"
// ---------------------------------------------------------------------------------------------

const NC: &[&str] = &["non-commercial", "provenance-notice", "review-needed"];

#[test]
fn nc_v1_along_every_relation() {
    const Y: &[&str] = &["non-commercial"];
    assert_row(
        "MG-BY-NC-1.0",
        NC,
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            ("generate", Y),
            ("train", Y),
            ("combine", Y),
            // v1 NC travels on through the output: no open question.
            ("generate+train", Y),
        ],
    );
}

#[test]
fn nc_v2_along_every_relation() {
    const Y: &[&str] = &["non-commercial"];
    assert_row(
        "MG-BY-NC-2.0",
        NC,
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            // Binds the generating act, plus the dataset provenance notice.
            ("generate", &["non-commercial", "provenance-notice"]),
            ("train", Y),
            ("combine", Y),
            // Stops at the output: a trained model carries only the open question.
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn nc_of_other_licenses_binds_the_output_and_stops() {
    const Y: &[&str] = &["non-commercial"];
    assert_row(
        "CC-BY-NC-4.0",
        NC,
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            // No `extraction`: distilling is still a use.
            ("distill", Y),
            // No provenance notice: that is MG v2's.
            ("generate", Y),
            ("train", Y),
            ("combine", Y),
        ],
    );
}

#[test]
fn nc_v1_travels_through_generated_output() {
    let (g, r) = check(
        "nodes:
  - id: teacher
    license: MG-BY-NC-1.0
  - id: synth
    via: generate
    from: [teacher]
  - id: student
    via: train
    from: [synth]
",
    );
    let f = must(&g, &r, "non-commercial", "student");
    assert_eq!(origins(&g, &f), ["teacher"]);
    let hops: Vec<(&str, Option<Relation>)> = f.path.iter().map(|h| (g.node(h.node).id.as_str(), h.via)).collect();
    assert_eq!(
        hops,
        [
            ("teacher", None),
            ("synth", Some(Relation::Generate)),
            ("student", Some(Relation::Train))
        ]
    );
    // v1 NC is not an open question.
    absent(&g, &r, "review-needed", "student");
}

#[test]
fn nc_v2_does_not_reach_a_model_trained_on_the_output() {
    let (g, r) = check(
        "nodes:
  - id: teacher
    license: MG-BY-NC-2.0
  - id: synth
    via: generate
    from: [teacher]
  - id: student
    via: train
    from: [synth]
",
    );
    absent(&g, &r, "non-commercial", "student");
    // It binds the generating act: the output's use is the commercial use of its sink.
    let f = must(&g, &r, "non-commercial", "synth");
    assert_eq!(origins(&g, &f), ["teacher"]);
    // The trained model gets the open question instead.
    let f = must(&g, &r, "review-needed", "student");
    assert_eq!(origins(&g, &f), ["teacher"]);
    assert!(f.help.contains("distill"), "{}", f.help);
}

#[test]
fn nc_v2_output_for_non_commercial_sinks_gives_no_error() {
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: private }
nodes:
  - id: teacher
    license: MG-BY-NC-2.0
  - id: synth
    via: generate
    from: [teacher]
  - id: student
    via: train
    from: [synth]
",
    );
    assert!(
        !summary(&g, &r).iter().any(|s| s.contains("non-commercial")),
        "{:#?}",
        summary(&g, &r)
    );
}

#[test]
fn mg_by_nc_nd_1_0_nc_crosses_generate_and_travels_on() {
    let (g, r) = check(&chain_yaml("MG-BY-NC-ND-1.0", &["generate", "train"]).replace(
        "intent: { use: non-commercial, distribute: private }",
        "intent: { use: commercial, distribute: private }",
    ));
    assert!(clauses(&g, &r, "n1").contains(&"non-commercial".to_owned()));
    assert!(clauses(&g, &r, "n2").contains(&"non-commercial".to_owned()));
    assert_eq!(origins(&g, &must(&g, &r, "non-commercial", "n2")), ["n0"]);
    // MG-BY-NC-ND-1.0 does not forbid output use (only MG-BY-ND-1.0 does).
    absent(&g, &r, "output-use-forbidden", "n1");
}

#[test]
fn nc_from_training_data_binds_the_trained_model() {
    let (g, r) = check(
        "nodes:
  - id: corpus
    kind: dataset
    license: cc-by-nc-4.0
  - id: model
    via: train
    from: [corpus]
",
    );
    let f = must(&g, &r, "non-commercial", "model");
    assert_eq!(origins(&g, &f), ["corpus"]);
    assert_eq!(f.origin_licenses, ["CC-BY-NC-4.0"]);
}

#[test]
fn nc_obligation_keeps_its_own_version_through_a_v2_licensed_node() {
    // The v1 NC produced at `base` consults the table with v1 at the generate edge, even
    // though `mid` declares v2 NC (whose own NC stops at the output).
    let (g, r) = check(
        "nodes:
  - id: base
    license: MG-BY-NC-1.0
  - id: mid
    via: finetune
    from: [base]
    license: MG-BY-NC-2.0
  - id: synth
    via: generate
    from: [mid]
  - id: student
    via: train
    from: [synth]
",
    );
    assert_eq!(origins(&g, &must(&g, &r, "non-commercial", "student")), ["base"]);
    assert_eq!(origins(&g, &must(&g, &r, "non-commercial", "synth")), ["base", "mid"]);
}

#[test]
fn travelled_obligations_consult_the_table_again_at_generate_and_train() {
    // The NC and attribution produced at `ft` (by `base`) are re-read at the generate edge
    // with the version of `base`: v1 travels on, v2 binds the output and stops.
    for (lic, out_clauses, student_nc) in [
        ("MG-BY-NC-1.0", &["ai-content-notice", "non-commercial"][..], true),
        ("MG-BY-NC-2.0", &["non-commercial", "provenance-notice"][..], false),
    ] {
        let (g, r) = check(&chain_yaml(lic, &["finetune", "generate", "train"]));
        let got: Vec<String> = clauses(&g, &r, "n2")
            .into_iter()
            .filter(|c| ATTRIBUTION.contains(&c.as_str()) || NC.contains(&c.as_str()))
            .filter(|c| c != "review-needed")
            .collect();
        assert_eq!(got, out_clauses, "{lic}");
        assert_eq!(
            clauses(&g, &r, "n3").contains(&"non-commercial".to_owned()),
            student_nc,
            "{lic}"
        );
    }
    let (g, r) = check(&format!(
        "{}    distribute: public
",
        chain_yaml("MG-BY-NC-2.0", &["finetune", "generate"])
    ));
    assert_eq!(origins(&g, &must(&g, &r, "provenance-notice", "n2")), ["n0"]);
}

// ---------------------------------------------------------------------------------------------
// Row "no-derivatives"
// ---------------------------------------------------------------------------------------------

const ND: &[&str] = &["no-distribution", "no-output-use", "provenance-notice", "review-needed"];

#[test]
fn nd_v1_along_every_relation() {
    const Y: &[&str] = &["no-distribution"];
    assert_row(
        "MG-BY-ND-1.0",
        ND,
        &[
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            ("generate", &["no-output-use"]),
            // v1 ND has derivative-only duties: a model trained on its output is an open question.
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn nd_v2_along_every_relation() {
    const Y: &[&str] = &["no-distribution"];
    assert_row(
        "MG-BY-ND-2.0",
        ND,
        &[
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            ("generate", &["provenance-notice"]),
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn nd_of_other_licenses_produces_nothing_across_distill() {
    const Y: &[&str] = &["no-distribution"];
    assert_row(
        "CC-BY-ND-4.0",
        ND,
        &[("finetune", Y), ("adapter", Y), ("merge", Y), ("quantize", Y)],
    );
}

#[test]
fn nd_produces_nothing_across_copy() {
    for lic in ["MG-BY-ND-1.0", "MG-BY-ND-2.0", "CC-BY-ND-4.0"] {
        let (g, r) = check(&format!(
            "nodes:
  - id: original
    license: {lic}
  - id: mirror
    via: copy
    from: [original]
    license: {lic}
"
        ));
        absent(&g, &r, "no-derivatives", "mirror");
        absent(&g, &r, "no-derivatives", "original");
        absent(&g, &r, "license-mismatch", "mirror");
    }
}

#[test]
fn nd_derivative_distributed_is_an_error_in_both_versions() {
    for lic in ["MG-BY-ND-1.0", "MG-BY-ND-2.0", "CC-BY-ND-4.0"] {
        let yaml = format!(
            "intent: {{ use: non-commercial, distribute: public }}
nodes:
  - id: original
    license: {lic}
  - id: tuned
    via: finetune
    from: [original]
"
        );
        let (g, r) = check(&yaml);
        let f = must(&g, &r, "no-derivatives", "tuned");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(origins(&g, &f), ["original"]);
        // Private use of the derivative is allowed.
        let (g, r) = check(&yaml.replace("distribute: public", "distribute: private"));
        absent(&g, &r, "no-derivatives", "tuned");
    }
}

#[test]
fn nd_extracted_model_distributed_is_an_error_for_modelgo_only() {
    for (lic, expected) in [("MG-BY-ND-1.0", true), ("MG-BY-ND-2.0", true), ("CC-BY-ND-4.0", false)] {
        let (g, r) = check(&format!(
            "intent: {{ use: non-commercial, distribute: public }}
nodes:
  - id: teacher
    license: {lic}
  - id: student
    via: distill
    from: [teacher]
"
        ));
        assert_eq!(
            has(&g, &r, "no-derivatives", "student"),
            expected,
            "{lic}: {:#?}",
            summary(&g, &r)
        );
    }
}

#[test]
fn nd_v1_output_use_is_forbidden() {
    let (g, r) = check(
        "nodes:
  - id: model
    license: MG-BY-ND-1.0
  - id: text
    via: generate
    from: [model]
",
    );
    let f = must(&g, &r, "output-use-forbidden", "text");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(origins(&g, &f), ["model"]);
    // Even used privately and non-commercially: the outputs may not be used at all.
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: private }
nodes:
  - id: model
    license: MG-BY-ND-1.0
  - id: text
    via: generate
    from: [model]
",
    );
    must(&g, &r, "output-use-forbidden", "text");
}

#[test]
fn nd_v2_output_gets_provenance_notice_when_distributed() {
    let yaml = "nodes:
  - id: model
    license: MG-BY-ND-2.0
  - id: dataset
    via: generate
    from: [model]
";
    let (g, r) = check(yaml);
    let f = must(&g, &r, "provenance-notice", "dataset");
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(origins(&g, &f), ["model"]);
    absent(&g, &r, "output-use-forbidden", "dataset");
    absent(&g, &r, "no-derivatives", "dataset");
    assert!(
        !on(&g, &r, "dataset").iter().any(|s| s.starts_with("error")),
        "{:#?}",
        summary(&g, &r)
    );
    let (g, r) = check(&format!("{yaml}    distribute: private\n"));
    absent(&g, &r, "provenance-notice", "dataset");
}

#[test]
fn nd_produces_nothing_across_train_or_combine() {
    for via in ["train", "combine"] {
        let (g, r) = check(&format!(
            "intent: {{ use: non-commercial, distribute: public }}
nodes:
  - id: original
    license: MG-BY-ND-2.0
  - id: app
    via: {via}
    from: [original]
    license: MIT
"
        ));
        absent(&g, &r, "no-derivatives", "app");
    }
}

#[test]
fn no_distribution_of_a_derivative_travels_into_a_bundle() {
    // Only share-alike stays with its part; a derivative of an ND work shipped inside a bundle
    // is still distributed.
    let (g, r) = check(
        "nodes:
  - id: original
    license: MG-BY-ND-2.0
  - id: tuned
    via: finetune
    from: [original]
  - id: app
    kind: bundle
    via: combine
    from: [tuned]
",
    );
    assert!(clauses(&g, &r, "app").contains(&"no-distribution".to_owned()));
    let f = must(&g, &r, "no-derivatives", "app");
    assert_eq!(origins(&g, &f), ["original"]);
    let hops: Vec<(&str, Option<Relation>)> = f.path.iter().map(|h| (g.node(h.node).id.as_str(), h.via)).collect();
    assert_eq!(
        hops,
        [
            ("original", None),
            ("tuned", Some(Relation::Finetune)),
            ("app", Some(Relation::Combine))
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Row "share-alike"
// ---------------------------------------------------------------------------------------------

#[test]
fn share_alike_v1_along_every_relation() {
    const Y: &[&str] = &["share-alike:MG-BY-OS-1.0", "source-disclosure"];
    assert_row(
        "MG-BY-OS-1.0",
        &["review-needed", "share-alike:MG-BY-OS-1.0", "source-disclosure"],
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            // Outputs are never copyleft; share-alike data is an open question; parts keep
            // their license.
            ("train", &["review-needed"]),
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn share_alike_v2_along_every_relation() {
    const Y: &[&str] = &["share-alike:MG-BY-SA-2.0", "source-disclosure"];
    assert_row(
        "MG-BY-SA-2.0",
        &["review-needed", "share-alike:MG-BY-SA-2.0", "source-disclosure"],
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            ("train", &["review-needed"]),
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn share_alike_of_other_licenses_along_every_relation_but_distill() {
    const Y: &[&str] = &["share-alike:CC-BY-SA-4.0", "source-disclosure"];
    // The `distill` cell is `share_alike_of_other_licenses_produces_nothing_across_distill`.
    assert_cells(
        "CC-BY-SA-4.0",
        &all_but("distill"),
        &["review-needed", "share-alike:CC-BY-SA-4.0", "source-disclosure"],
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("train", &["review-needed"]),
        ],
    );
    assert!(across("MG-BY-NC-OS-1.0", "distill").contains(&"share-alike:MG-BY-NC-OS-1.0".to_owned()));
}

#[test]
fn share_alike_of_other_licenses_produces_nothing_across_distill() {
    for lic in ["CC-BY-SA-4.0", "GPL-3.0"] {
        assert!(
            !across(lic, "distill")
                .iter()
                .any(|c| c.starts_with("share-alike") || c == "source-disclosure"),
            "{lic}: {:?}",
            across(lic, "distill")
        );
    }
    let (g, r) = check(
        "nodes:
  - id: teacher
    license: CC-BY-SA-4.0
  - id: student
    via: distill
    from: [teacher]
    license: MIT
",
    );
    absent(&g, &r, "share-alike", "student");
}

#[test]
fn share_alike_stays_with_its_part_across_combine() {
    let (g, r) = check(
        "nodes:
  - id: copyleft
    license: MG-BY-SA-2.0
  - id: permissive
    license: MIT
  - id: app
    kind: bundle
    via: combine
    from: [copyleft, permissive]
    license: Apache-2.0
",
    );
    assert!(!clauses(&g, &r, "app").iter().any(|c| c.starts_with("share-alike")));
    absent(&g, &r, "share-alike", "app");
    absent(&g, &r, "incompatible-licenses", "app");
    absent(&g, &r, "license-mismatch", "app");
    absent(&g, &r, "source-disclosure", "app");
    // The other duties travel with the part.
    let f = must(&g, &r, "attribution", "app");
    assert_eq!(origins(&g, &f), ["copyleft", "permissive"]);
}

#[test]
fn share_alike_derivative_must_carry_the_license() {
    let yaml = |declared: &str| {
        format!(
            "nodes:
  - id: base
    license: MG-BY-SA-2.0
  - id: tuned
    via: finetune
    from: [base]
{declared}"
        )
    };
    let (g, r) = check(&yaml("    license: MIT\n"));
    let f = must(&g, &r, "share-alike", "tuned");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.ends_with("it must carry MG-BY-SA-2.0"), "{}", f.message);
    assert!(clauses(&g, &r, "tuned").contains(&"share-alike:MG-BY-SA-2.0".to_owned()));
    assert_eq!(origins(&g, &f), ["base"]);
    let (g, r) = check(&yaml("    license: MG-BY-SA-2.0\n"));
    absent(&g, &r, "share-alike", "tuned");
    must(&g, &r, "source-disclosure", "tuned");
    // None declared: the error, and the suggestion of the share-alike license.
    let (g, r) = check(&yaml(""));
    must(&g, &r, "share-alike", "tuned");
    assert!(
        must(&g, &r, "suggested-license", "tuned")
            .message
            .contains("MG-BY-SA-2.0")
    );
    assert_eq!(permitted_ids(&g, &r, "tuned"), ["MG-BY-SA-2.0"]);
    // Private: no error.
    let (g, r) = check(&yaml("    license: MIT\n    distribute: private\n"));
    absent(&g, &r, "share-alike", "tuned");
}

#[test]
fn share_alike_copy_keeps_the_same_license() {
    let (g, r) = check(
        "nodes:
  - id: original
    license: MG-BY-OS-1.0
  - id: mirror
    via: copy
    from: [original]
    license: MIT
",
    );
    let f = must(&g, &r, "share-alike", "mirror");
    assert!(f.message.ends_with("it must carry MG-BY-OS-1.0"), "{}", f.message);
}

#[test]
fn share_alike_accepts_its_compatible_list() {
    let yaml = |declared: &str| {
        format!(
            "nodes:
  - id: base
    license: CC-BY-SA-4.0
  - id: tuned
    via: finetune
    from: [base]
    license: {declared}
"
        )
    };
    let (g, r) = check(&yaml("GPL-3.0"));
    absent(&g, &r, "share-alike", "tuned");
    let (g, r) = check(&yaml("CC-BY-4.0"));
    must(&g, &r, "share-alike", "tuned");
}

#[test]
fn share_alike_training_data_needs_review_at_each_distributed_node() {
    let yaml = "nodes:
  - id: wiki
    kind: dataset
    license: CC-BY-SA-4.0
  - id: model
    via: train
    from: [wiki]
    distribute: public
  - id: model-gguf
    via: quantize
    from: [model]
";
    let (g, r) = check(yaml);
    for node in ["model", "model-gguf"] {
        let f = must(&g, &r, "review-needed", node);
        assert_eq!(origins(&g, &f), ["wiki"]);
        absent(&g, &r, "share-alike", node);
    }
    // Not on a private non-commercial node.
    let (g, r) = check(&format!(
        "intent: {{ use: non-commercial, distribute: private }}\n{}",
        yaml.replace("    distribute: public\n", "")
    ));
    absent(&g, &r, "review-needed", "model");
    absent(&g, &r, "review-needed", "model-gguf");
}

// ---------------------------------------------------------------------------------------------
// Row "use-restrictions"
// ---------------------------------------------------------------------------------------------

const UR: &[&str] = &["review-needed", "use-restrictions"];

#[test]
fn use_restrictions_v1_along_every_relation() {
    const Y: &[&str] = &["use-restrictions"];
    assert_row(
        "MG-BY-RAI-1.0",
        UR,
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            // MG v1 RAI: output use may not breach the license.
            ("generate", Y),
            ("combine", Y),
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn use_restrictions_v2_along_every_relation() {
    const Y: &[&str] = &["use-restrictions"];
    assert_row(
        "MG-BY-RAI-2.0",
        UR,
        &[
            ("copy", Y),
            ("finetune", Y),
            ("adapter", Y),
            ("merge", Y),
            ("quantize", Y),
            ("distill", Y),
            ("combine", Y),
            ("generate+train", &["review-needed"]),
        ],
    );
}

#[test]
fn use_restrictions_of_other_licenses_do_not_cross_generate() {
    for lic in ["OpenRAIL-M", "Llama-2", "Gemma"] {
        assert!(
            !across(lic, "generate").contains(&"use-restrictions".to_owned()),
            "{lic}"
        );
        assert!(across(lic, "distill").contains(&"use-restrictions".to_owned()), "{lic}");
        assert!(!across(lic, "train").contains(&"use-restrictions".to_owned()), "{lic}");
    }
}

#[test]
fn v1_rai_output_carries_use_restrictions_to_the_output_only() {
    let (g, r) = check(
        "nodes:
  - id: model
    license: MG-BY-RAI-1.0
  - id: images
    via: generate
    from: [model]
    distribute: public
  - id: student
    via: train
    from: [images]
",
    );
    assert_eq!(origins(&g, &must(&g, &r, "use-restrictions", "images")), ["model"]);
    assert_eq!(origins(&g, &must(&g, &r, "ai-content-notice", "images")), ["model"]);
    absent(&g, &r, "use-restrictions", "student");
    must(&g, &r, "review-needed", "student");
}

// ---------------------------------------------------------------------------------------------
// Rows "llama-other-llm" and "llama-naming"
// ---------------------------------------------------------------------------------------------

#[test]
fn llama_other_llm_when_llama2_output_trains_another_model() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-7b-hf
    license: llama2
  - id: mistralai/Mistral-7B-v0.1
    license: Apache-2.0
  - id: synth
    via: generate
    from: [meta-llama/Llama-2-7b-hf]
  - id: acme/mistral-tuned
    from:
      - { id: mistralai/Mistral-7B-v0.1, via: finetune }
      - { id: synth, via: train }
",
    );
    let f = must(&g, &r, "llama-other-llm", "acme/mistral-tuned");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(origins(&g, &f), ["meta-llama/Llama-2-7b-hf"]);
    absent(&g, &r, "llama-other-llm", "synth");
}

#[test]
fn llama_other_llm_exempts_llama2_derivatives() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-7b-hf
    license: llama2
  - id: acme/llama-base-tuned
    via: finetune
    from: [meta-llama/Llama-2-7b-hf]
  - id: synth
    via: generate
    from: [meta-llama/Llama-2-7b-hf]
  - id: acme/llama-chat
    from:
      - { id: acme/llama-base-tuned, via: adapter }
      - { id: synth, via: train }
",
    );
    absent(&g, &r, "llama-other-llm", "acme/llama-chat");
}

#[test]
fn llama_other_llm_on_distill_unless_the_student_derives_from_llama2() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-13b-hf
    license: llama2
  - id: acme/student
    via: distill
    from: [meta-llama/Llama-2-13b-hf]
",
    );
    must(&g, &r, "llama-other-llm", "acme/student");
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-13b-hf
    license: llama2
  - id: meta-llama/Llama-2-7b-hf
    license: llama2
  - id: acme/student
    from:
      - { id: meta-llama/Llama-2-13b-hf, via: distill }
      - { id: meta-llama/Llama-2-7b-hf, via: finetune }
",
    );
    absent(&g, &r, "llama-other-llm", "acme/student");
}

#[test]
fn llama_other_llm_mark_travels_with_copies_of_the_output() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-7b-hf
    license: llama2
  - id: synth
    via: generate
    from: [meta-llama/Llama-2-7b-hf]
  - id: synth-mirror
    kind: dataset
    via: copy
    from: [synth]
  - id: acme/model
    via: train
    from: [synth-mirror]
",
    );
    let f = must(&g, &r, "llama-other-llm", "acme/model");
    let hops: Vec<&str> = f.path.iter().map(|h| g.node(h.node).id.as_str()).collect();
    assert_eq!(
        hops,
        ["meta-llama/Llama-2-7b-hf", "synth", "synth-mirror", "acme/model"]
    );
}

#[test]
fn llama_other_llm_through_further_outputs() {
    // Outputs of a Llama 2 derivative are Llama outputs too.
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-7b-hf
    license: llama2
  - id: acme/llama-tuned
    via: finetune
    from: [meta-llama/Llama-2-7b-hf]
  - id: synth
    via: generate
    from: [acme/llama-tuned]
  - id: acme/other
    via: train
    from: [synth]
",
    );
    must(&g, &r, "llama-other-llm", "acme/other");
}

#[test]
fn llama_naming_uses_the_last_id_segment_when_no_name() {
    let yaml = |id: &str| {
        format!(
            "nodes:
  - id: meta-llama/Llama-3.1-8B
    license: llama3.1
  - id: {id}
    via: finetune
    from: [meta-llama/Llama-3.1-8B]
"
        )
    };
    let (g, r) = check(&yaml("acme/chat-8b"));
    let f = must(&g, &r, "llama-naming", "acme/chat-8b");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(origins(&g, &f), ["meta-llama/Llama-3.1-8B"]);
    let (g, r) = check(&yaml("acme/llama-chat-8b"));
    absent(&g, &r, "llama-naming", "acme/llama-chat-8b");
    // Only the last segment counts.
    let (g, r) = check(&yaml("llama-fans/chat-8b"));
    must(&g, &r, "llama-naming", "llama-fans/chat-8b");
}

#[test]
fn llama_naming_name_overrides_the_id() {
    let yaml = |id: &str, name: &str| {
        format!(
            "nodes:
  - id: meta-llama/Llama-3.3-70B
    license: llama3.3
  - id: {id}
    name: {name}
    via: merge
    from: [meta-llama/Llama-3.3-70B]
"
        )
    };
    let (g, r) = check(&yaml("acme/chat", "Llama-Acme-Chat"));
    absent(&g, &r, "llama-naming", "acme/chat");
    let (g, r) = check(&yaml("acme/llama-chat", "AcmeChat"));
    must(&g, &r, "llama-naming", "acme/llama-chat");
}

#[test]
fn llama_naming_only_when_distributed_and_not_across_copy() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-3.2-1B
    license: llama3.2
  - id: acme/private-tune
    via: finetune
    from: [meta-llama/Llama-3.2-1B]
    distribute: private
  - id: mirror/weights
    via: copy
    from: [meta-llama/Llama-3.2-1B]
",
    );
    absent(&g, &r, "llama-naming", "acme/private-tune");
    absent(&g, &r, "llama-naming", "mirror/weights");
    // Llama 3.x counts making a model available as a service as distribution.
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-3.2-1B
    license: llama3.2
  - id: acme/chat-api
    via: finetune
    from: [meta-llama/Llama-3.2-1B]
    distribute: service
",
    );
    must(&g, &r, "llama-naming", "acme/chat-api");
}

#[test]
fn llama_naming_travels_through_output_and_distill() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-3-8B
    license: llama3
  - id: synth
    via: generate
    from: [meta-llama/Llama-3-8B]
  - id: acme/trained
    via: train
    from: [synth]
  - id: acme/distilled
    via: distill
    from: [meta-llama/Llama-3-8B]
",
    );
    absent(&g, &r, "llama-naming", "synth");
    must(&g, &r, "llama-naming", "acme/trained");
    must(&g, &r, "llama-naming", "acme/distilled");
}

// ---------------------------------------------------------------------------------------------
// Section 3: incompatible-licenses, license-mismatch
// ---------------------------------------------------------------------------------------------

#[test]
fn incompatible_licenses_two_share_alike_targets() {
    let (g, r) = check(
        "nodes:
  - id: mg-sa
    license: MG-BY-SA-2.0
  - id: cc-sa
    license: CC-BY-SA-4.0
  - id: merged
    via: merge
    from: [mg-sa, cc-sa]
",
    );
    let f = must(&g, &r, "incompatible-licenses", "merged");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(origins(&g, &f), ["cc-sa", "mg-sa"]);
    assert_eq!(permitted_ids(&g, &r, "merged"), Vec::<String>::new());
}

#[test]
fn incompatible_licenses_share_alike_with_rai() {
    let yaml = "nodes:
  - id: sa
    license: MG-BY-SA-2.0
  - id: rai
    license: MG-BY-RAI-2.0
  - id: merged
    via: merge
    from: [sa, rai]
";
    let (g, r) = check(yaml);
    let f = must(&g, &r, "incompatible-licenses", "merged");
    assert_eq!(origins(&g, &f), ["rai", "sa"]);
    assert_eq!(permitted_ids(&g, &r, "merged"), Vec::<String>::new());
    // Only when distributed.
    let (g, r) = check(&format!("{yaml}    distribute: private\n"));
    absent(&g, &r, "incompatible-licenses", "merged");
}

#[test]
fn incompatible_licenses_share_alike_with_non_commercial() {
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: public }
nodes:
  - id: sa
    license: CC-BY-SA-4.0
  - id: nc
    license: CC-BY-NC-4.0
  - id: merged
    via: merge
    from: [sa, nc]
",
    );
    must(&g, &r, "incompatible-licenses", "merged");
}

#[test]
fn share_alike_with_its_own_non_commercial_terms_is_not_incompatible() {
    let (g, r) = public_derived("CC-BY-NC-SA-4.0", "finetune", "CC-BY-NC-SA-4.0", "non-commercial");
    absent(&g, &r, "incompatible-licenses", "derived");
    absent(&g, &r, "share-alike", "derived");
    absent(&g, &r, "license-mismatch", "derived");
}

#[test]
fn compatible_share_alike_targets_are_not_incompatible() {
    let (g, r) = check(
        "nodes:
  - id: gpl
    license: GPL-3.0
  - id: agpl
    license: AGPL-3.0
  - id: merged
    via: merge
    from: [gpl, agpl]
    license: AGPL-3.0
",
    );
    absent(&g, &r, "incompatible-licenses", "merged");
    absent(&g, &r, "share-alike", "merged");
}

fn derived_declared(base: &str, via: &str, declared: &str) -> (Graph, Report) {
    check(&format!(
        "intent: {{ use: non-commercial, distribute: public }}
nodes:
  - id: base
    license: {base}
  - id: derived
    via: {via}
    from: [base]
    license: {declared}
"
    ))
}

#[test]
fn license_mismatch_is_an_error_when_nc_is_dropped() {
    for (base, declared) in [
        ("MG-BY-NC-2.0", "MG-BY-2.0"),
        ("MG-BY-NC-1.0", "MG-BY-1.0"),
        ("CC-BY-NC-4.0", "Apache-2.0"),
    ] {
        let (g, r) = derived_declared(base, "finetune", declared);
        let f = must(&g, &r, "license-mismatch", "derived");
        assert_eq!(f.severity, Severity::Error, "{base} -> {declared}");
        assert_eq!(origins(&g, &f), ["base"]);
    }
}

#[test]
fn license_mismatch_is_an_error_when_flow_down_restrictions_are_dropped() {
    for (base, declared) in [("MG-BY-RAI-1.0", "MG-BY-1.0"), ("OpenRAIL-M", "Apache-2.0")] {
        let (g, r) = derived_declared(base, "finetune", declared);
        assert_eq!(
            must(&g, &r, "license-mismatch", "derived").severity,
            Severity::Error,
            "{base}"
        );
    }
}

#[test]
fn license_mismatch_is_a_warning_when_a_modelgo_option_is_dropped() {
    for (base, declared) in [
        ("MG-BY-2.0", "MG0-2.0"),
        ("MG-BY-1.0", "CC0-1.0"),
        ("MG-BY-RAI-2.0", "MG-BY-2.0"),
    ] {
        let (g, r) = derived_declared(base, "finetune", declared);
        assert_eq!(
            must(&g, &r, "license-mismatch", "derived").severity,
            Severity::Warning,
            "{base} -> {declared}"
        );
    }
}

#[test]
fn license_mismatch_is_a_warning_when_a_non_sublicensable_copy_is_relabelled() {
    for (base, declared) in [("CC-BY-4.0", "MIT"), ("MG-BY-ND-2.0", "MG-BY-ND-1.0")] {
        let (g, r) = derived_declared(base, "copy", declared);
        assert_eq!(
            must(&g, &r, "license-mismatch", "derived").severity,
            Severity::Warning,
            "{base} -> {declared}"
        );
    }
    // A sublicensable work may be relabelled.
    let (g, r) = derived_declared("MG-BY-2.0", "copy", "MG-BY-1.0");
    absent(&g, &r, "license-mismatch", "derived");
    let (g, r) = derived_declared("Apache-2.0", "copy", "MIT");
    absent(&g, &r, "license-mismatch", "derived");
    // The only permitted license of such a copy is its own.
    let (g, r) = check(
        "nodes:
  - id: original
    license: CC-BY-4.0
  - id: mirror
    via: copy
    from: [original]
",
    );
    assert_eq!(permitted_ids(&g, &r, "mirror"), ["CC-BY-4.0"]);
    assert!(
        must(&g, &r, "suggested-license", "mirror")
            .message
            .contains("CC-BY-4.0")
    );
}

#[test]
fn license_mismatch_allows_stricter_modelgo_options_in_either_version() {
    for (base, declared) in [
        ("MG-BY-2.0", "MG-BY-NC-2.0"),
        ("MG-BY-NC-2.0", "MG-BY-NC-RAI-2.0"),
        ("MG-BY-RAI-1.0", "MG-BY-RAI-2.0"),
        ("MG-BY-NC-1.0", "MG-BY-NC-2.0"),
    ] {
        let (g, r) = derived_declared(base, "finetune", declared);
        absent(&g, &r, "license-mismatch", "derived");
    }
}

#[test]
fn license_mismatch_leaves_share_alike_and_no_derivatives_to_their_codes() {
    let (g, r) = derived_declared("MG-BY-SA-2.0", "finetune", "MIT");
    must(&g, &r, "share-alike", "derived");
    absent(&g, &r, "license-mismatch", "derived");
    let (g, r) = derived_declared("MG-BY-ND-2.0", "finetune", "MIT");
    must(&g, &r, "no-derivatives", "derived");
    absent(&g, &r, "license-mismatch", "derived");
}

// ---------------------------------------------------------------------------------------------
// unknown-license, missing-license, review-needed
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_license_is_a_warning_and_kept_as_written() {
    for text in ["other", "unknown", "acme-proprietary-license"] {
        let (g, r) = check(&format!("nodes:\n  - id: thing\n    license: {text}\n"));
        let f = must(&g, &r, "unknown-license", "thing");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains(text), "{}", f.message);
    }
}

#[test]
fn unknown_license_suggests_a_close_id() {
    let (g, r) = check("nodes:\n  - id: thing\n    license: Apache-2.1\n");
    let f = must(&g, &r, "unknown-license", "thing");
    assert!(f.help.contains("did you mean `Apache-2.0`"), "{}", f.help);
}

#[test]
fn unknown_license_on_a_derived_node_needs_review_downstream() {
    let (g, r) = check(
        "nodes:
  - id: base
    license: MIT
  - id: tuned
    via: finetune
    from: [base]
    license: acme-custom
  - id: app
    via: quantize
    from: [tuned]
",
    );
    must(&g, &r, "unknown-license", "tuned");
    assert_eq!(origins(&g, &must(&g, &r, "review-needed", "app")), ["tuned"]);
    // A derived node with no license is "not declared yet": no hole downstream.
    let (g, r) = check(
        "nodes:
  - id: base
    license: MIT
  - id: tuned
    via: finetune
    from: [base]
  - id: app
    via: quantize
    from: [tuned]
",
    );
    absent(&g, &r, "review-needed", "app");
    absent(&g, &r, "missing-license", "tuned");
}

#[test]
fn missing_license_on_roots_only() {
    let (g, r) = check(
        "nodes:
  - id: data
    kind: dataset
  - id: model
    via: train
    from: [data]
",
    );
    assert_eq!(must(&g, &r, "missing-license", "data").severity, Severity::Warning);
    absent(&g, &r, "missing-license", "model");
}

#[test]
fn review_needed_once_downstream_of_unknown_or_missing_licenses() {
    let yaml = "nodes:
  - id: mystery
    license: other
  - id: data
    kind: dataset
  - id: model
    from:
      - { id: mystery, via: finetune }
      - { id: data, via: train }
";
    let (g, r) = check(yaml);
    let f = must(&g, &r, "review-needed", "model");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(origins(&g, &f), ["data", "mystery"]);
    assert_eq!(
        summary(&g, &r)
            .iter()
            .filter(|s| s.starts_with("warning review-needed"))
            .count(),
        1
    );
    must(&g, &r, "unknown-license", "mystery");
    must(&g, &r, "missing-license", "data");
    // Not on a private, non-commercial node.
    let (g, r) = check(&format!("{yaml}    use: non-commercial\n    distribute: private\n"));
    absent(&g, &r, "review-needed", "model");
    // A commercial private node still needs review.
    let (g, r) = check(&format!("{yaml}    use: commercial\n    distribute: private\n"));
    must(&g, &r, "review-needed", "model");
}

#[test]
fn review_needed_for_a_model_trained_on_v2_nc_output() {
    let yaml = "nodes:
  - id: teacher
    license: MG-BY-NC-2.0
  - id: synth
    via: generate
    from: [teacher]
  - id: student
    via: train
    from: [synth]
";
    let (g, r) = check(&format!("{yaml}    use: non-commercial\n    distribute: public\n"));
    let f = must(&g, &r, "review-needed", "student");
    assert_eq!(origins(&g, &f), ["teacher"]);
    let (g, r) = check(&format!("{yaml}    use: non-commercial\n    distribute: private\n"));
    absent(&g, &r, "review-needed", "student");
    // A v2 license without `extraction` (MG-BY-2.0) leaves no question.
    let (g, r) = check(&yaml.replace("MG-BY-NC-2.0", "MG-BY-2.0"));
    absent(&g, &r, "review-needed", "student");
}

// ---------------------------------------------------------------------------------------------
// suggested-license (section 4)
// ---------------------------------------------------------------------------------------------

#[test]
fn suggested_license_nc_merged_with_rai_is_nc_rai() {
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: public }
nodes:
  - id: nc
    license: MG-BY-NC-2.0
  - id: rai
    license: MG-BY-RAI-2.0
  - id: merged
    via: merge
    from: [nc, rai]
",
    );
    let f = must(&g, &r, "suggested-license", "merged");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("MG-BY-NC-RAI-2.0"), "{}", f.message);
    let permitted = permitted_ids(&g, &r, "merged");
    assert_eq!(
        permitted[..2],
        ["MG-BY-NC-RAI-2.0", "MG-BY-NC-RAI-1.0"],
        "{permitted:?}"
    );
}

#[test]
fn suggested_license_by_merged_with_nd_is_private_use_only() {
    let (g, r) = check(
        "nodes:
  - id: by
    license: MG-BY-2.0
  - id: nd
    license: MG-BY-ND-2.0
  - id: merged
    via: merge
    from: [by, nd]
",
    );
    let f = must(&g, &r, "suggested-license", "merged");
    assert!(f.message.contains("private use only"), "{}", f.message);
    assert_eq!(permitted_ids(&g, &r, "merged"), Vec::<String>::new());
    must(&g, &r, "no-derivatives", "merged");
}

#[test]
fn suggested_license_only_for_distributed_undeclared_derived_nodes() {
    let yaml = "nodes:
  - id: base
    license: MG-BY-2.0
  - id: tuned
    via: finetune
    from: [base]
";
    let (g, r) = check(yaml);
    // The suggestion is the first permitted license; any license that keeps BY is permitted
    // (fewest restrictive clauses first), one that drops it is not.
    let permitted = permitted_ids(&g, &r, "tuned");
    let f = must(&g, &r, "suggested-license", "tuned");
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.message.ends_with(&format!("may be released under {}", permitted[0])),
        "{}",
        f.message
    );
    for lic in ["MG-BY-2.0", "MG-BY-1.0", "Apache-2.0", "MIT"] {
        assert!(permitted.contains(&lic.to_owned()), "{lic}: {permitted:?}");
    }
    for lic in ["MG0-2.0", "MG0-1.0", "CC0-1.0"] {
        assert!(!permitted.contains(&lic.to_owned()), "{lic}: {permitted:?}");
    }
    absent(&g, &r, "suggested-license", "base");
    let v = g.find("base").unwrap();
    assert!(r.nodes[v as usize].permitted.is_none(), "roots have no permitted list");
    let (g, r) = check(&format!("{yaml}    distribute: private\n"));
    absent(&g, &r, "suggested-license", "tuned");
    let (g, r) = check(&format!("{yaml}    license: MG-BY-2.0\n"));
    absent(&g, &r, "suggested-license", "tuned");
}

// ---------------------------------------------------------------------------------------------
// Info obligations, revocable-license, unversioned-license
// ---------------------------------------------------------------------------------------------

fn public_derived(base: &str, via: &str, declared: &str, use_: &str) -> (Graph, Report) {
    check(&format!(
        "intent: {{ use: {use_}, distribute: public }}
nodes:
  - id: base
    license: {base}
  - id: derived
    via: {via}
    from: [base]
    license: {declared}
"
    ))
}

#[test]
fn info_attribution_license_copy_state_changes_when_distributed() {
    let (g, r) = public_derived("MG-BY-2.0", "finetune", "MG-BY-2.0", "commercial");
    for code in ["attribution", "license-copy", "state-changes"] {
        let f = must(&g, &r, code, "derived");
        assert_eq!(f.severity, Severity::Info);
        assert_eq!(origins(&g, &f), ["base"]);
    }
    let (g, r) = check(
        "intent: { use: commercial, distribute: private }
nodes:
  - id: base
    license: MG-BY-2.0
  - id: derived
    via: finetune
    from: [base]
    license: MG-BY-2.0
",
    );
    assert_eq!(on(&g, &r, "derived"), Vec::<String>::new());
}

#[test]
fn info_source_disclosure_and_use_restrictions() {
    let (g, r) = public_derived("MG-BY-SA-2.0", "finetune", "MG-BY-SA-2.0", "commercial");
    must(&g, &r, "source-disclosure", "derived");
    let (g, r) = public_derived("MG-BY-RAI-2.0", "finetune", "MG-BY-RAI-2.0", "commercial");
    assert_eq!(origins(&g, &must(&g, &r, "use-restrictions", "derived")), ["base"]);
}

#[test]
fn info_output_notices_per_version() {
    let (g, r) = public_derived("MG-BY-NC-2.0", "generate", "MG-BY-NC-2.0", "non-commercial");
    must(&g, &r, "provenance-notice", "derived");
    absent(&g, &r, "ai-content-notice", "derived");
    let (g, r) = public_derived("MG-BY-1.0", "generate", "MG-BY-1.0", "commercial");
    must(&g, &r, "ai-content-notice", "derived");
    absent(&g, &r, "provenance-notice", "derived");
}

#[test]
fn info_extracted_notice_for_v2_extraction_ids() {
    let (g, r) = public_derived("MG-BY-NC-2.0", "distill", "MG-BY-NC-2.0", "non-commercial");
    assert_eq!(origins(&g, &must(&g, &r, "extracted-notice", "derived")), ["base"]);
    let (g, r) = public_derived("MG-BY-NC-1.0", "distill", "MG-BY-NC-1.0", "non-commercial");
    absent(&g, &r, "extracted-notice", "derived");
    must(&g, &r, "state-changes", "derived");
}

#[test]
fn revocable_license_when_distributed_or_commercial() {
    let (g, r) = public_derived("MG-BY-NC-2.0", "finetune", "MG-BY-NC-2.0", "non-commercial");
    let f = must(&g, &r, "revocable-license", "derived");
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(origins(&g, &f), ["base"]);
    // Irrevocable grants: MG-BY-NC-OS-1.0 (the only irrevocable NC), MG-BY-2.0, MG-BY-SA-2.0.
    for lic in ["MG-BY-NC-OS-1.0", "MG-BY-2.0", "MG-BY-SA-2.0"] {
        let (g, r) = public_derived(lic, "finetune", lic, "non-commercial");
        absent(&g, &r, "revocable-license", "derived");
    }
    // Commercial but private.
    let (g, r) = check(
        "intent: { use: commercial, distribute: private }
nodes:
  - id: base
    license: MG-BY-RAI-2.0
  - id: derived
    via: finetune
    from: [base]
",
    );
    must(&g, &r, "revocable-license", "derived");
    // Neither.
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: private }
nodes:
  - id: base
    license: MG-BY-RAI-2.0
  - id: derived
    via: finetune
    from: [base]
",
    );
    absent(&g, &r, "revocable-license", "derived");
}

#[test]
fn unversioned_mg_by_nc_reads_as_v2() {
    let (g, r) = check(&chain_yaml("MG-BY-NC", &["generate", "train"]));
    let f = must(&g, &r, "unversioned-license", "n0");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("MG-BY-NC-2.0"), "{}", f.message);
    assert_eq!(
        r.licenses[g.find("n0").unwrap() as usize].canonical(),
        Some("MG-BY-NC-2.0")
    );
    // v2 behaviour: the NC stops at the output.
    assert!(!clauses(&g, &r, "n2").contains(&"non-commercial".to_owned()));
}

#[test]
fn unversioned_mg_by_os_reads_as_v1() {
    let (g, r) = check(&chain_yaml("MG-BY-OS", &["generate"]));
    assert!(
        must(&g, &r, "unversioned-license", "n0")
            .message
            .contains("MG-BY-OS-1.0")
    );
    assert_eq!(
        r.licenses[g.find("n0").unwrap() as usize].canonical(),
        Some("MG-BY-OS-1.0")
    );
    // v1 behaviour: an AI-generated-content notice on outputs.
    assert_eq!(clauses(&g, &r, "n1"), ["ai-content-notice"]);
    // A versioned id is not reported.
    let (g, r) = check(&chain_yaml("MG-BY-OS-1.0", &["generate"]));
    absent(&g, &r, "unversioned-license", "n0");
}

#[test]
fn unversioned_ids_read_as_the_latest_version_having_them() {
    for (written, read) in [
        ("mg-by-nc-os", "MG-BY-NC-OS-1.0"),
        ("MG0", "MG0-2.0"),
        ("mg-by-rai", "MG-BY-RAI-2.0"),
    ] {
        let (g, r) = check(&format!("nodes:\n  - id: root\n    license: {written}\n"));
        assert_eq!(r.licenses[0].canonical(), Some(read), "{written}");
        assert!(
            must(&g, &r, "unversioned-license", "root").message.contains(read),
            "{written}"
        );
        absent(&g, &r, "unknown-license", "root");
    }
}

// ---------------------------------------------------------------------------------------------
// Intent
// ---------------------------------------------------------------------------------------------

const NC_CHAIN: &str = "nodes:
  - id: base
    license: MG-BY-NC-2.0
  - id: ft
    via: finetune
    from: [base]
  - id: app
    via: quantize
    from: [ft]
";

#[test]
fn only_sinks_get_the_top_level_intent() {
    let (g, r) = check(&format!(
        "intent: {{ use: commercial, distribute: public }}\n{NC_CHAIN}"
    ));
    assert_eq!(on(&g, &r, "base"), Vec::<String>::new());
    assert_eq!(on(&g, &r, "ft"), Vec::<String>::new());
    must(&g, &r, "non-commercial", "app");
    for node in ["base", "ft"] {
        let i = r.nodes[g.find(node).unwrap() as usize].intent;
        assert_eq!((i.use_, i.distribute), (None, Distribute::Private), "{node}");
    }
    let i = r.nodes[g.find("app").unwrap() as usize].intent;
    assert_eq!((i.use_, i.distribute), (Some(Use::Commercial), Distribute::Public));
}

#[test]
fn sinks_default_to_commercial_public() {
    let (g, r) = check(NC_CHAIN);
    let i = r.nodes[g.find("app").unwrap() as usize].intent;
    assert_eq!((i.use_, i.distribute), (Some(Use::Commercial), Distribute::Public));
}

#[test]
fn a_node_own_intent_wins() {
    let yaml = NC_CHAIN
        .replace("    from: [base]\n", "    from: [base]\n    use: commercial\n")
        .replace("    from: [ft]\n", "    from: [ft]\n    use: non-commercial\n");
    let (g, r) = check(&format!("intent: {{ use: commercial, distribute: public }}\n{yaml}"));
    must(&g, &r, "non-commercial", "ft");
    absent(&g, &r, "non-commercial", "app");
}

#[test]
fn overrides_beat_the_graph_intent_but_not_the_node() {
    let graph = format!("intent: {{ use: non-commercial, distribute: private }}\n{NC_CHAIN}");
    let (g, r) = check(&graph);
    absent(&g, &r, "non-commercial", "app");
    let (g, r) = check_with(&graph, &with_overrides(Some(Use::Commercial), Some(Distribute::Public)));
    must(&g, &r, "non-commercial", "app");
    must(&g, &r, "attribution", "app");
    // The node's own `use`/`distribute` beat the override.
    let own = graph.replace(
        "    from: [ft]\n",
        "    from: [ft]\n    use: non-commercial\n    distribute: private\n",
    );
    let (g, r) = check_with(&own, &with_overrides(Some(Use::Commercial), Some(Distribute::Public)));
    absent(&g, &r, "non-commercial", "app");
    absent(&g, &r, "attribution", "app");
    // Overrides apply to sinks only.
    absent(&g, &r, "non-commercial", "ft");
}

#[test]
fn output_takes_the_most_commercial_use_of_the_sinks_it_reaches() {
    let yaml = "intent: { distribute: private }
nodes:
  - id: teacher
    license: MG-BY-NC-2.0
  - id: synth
    via: generate
    from: [teacher]
  - id: research
    via: train
    from: [synth]
    use: non-commercial
  - id: tuned
    via: train
    from: [synth]
  - id: product
    via: quantize
    from: [tuned]
    use: commercial
";
    let (g, r) = check(yaml);
    let i = r.nodes[g.find("synth").unwrap() as usize].intent;
    assert_eq!(i.use_, Some(Use::Commercial));
    must(&g, &r, "non-commercial", "synth");
    // Every sink non-commercial: the output is non-commercial too.
    let (g, r) = check(&yaml.replace("    use: commercial\n", "    use: non-commercial\n"));
    assert_eq!(
        r.nodes[g.find("synth").unwrap() as usize].intent.use_,
        Some(Use::NonCommercial)
    );
    absent(&g, &r, "non-commercial", "synth");
    // The output's own use wins.
    let (g, r) = check(&yaml.replace(
        "    from: [teacher]\n",
        "    from: [teacher]\n    use: non-commercial\n",
    ));
    absent(&g, &r, "non-commercial", "synth");
}

#[test]
fn service_is_distribution_for_modelgo_but_not_apache() {
    let (g, r) = check(
        "nodes:
  - id: apache-base
    license: Apache-2.0
  - id: svc
    via: finetune
    from: [apache-base]
    license: Apache-2.0
    distribute: service
",
    );
    for code in ["attribution", "license-copy", "state-changes"] {
        absent(&g, &r, code, "svc");
    }
    let (g, r) = check(
        "nodes:
  - id: apache-base
    license: Apache-2.0
  - id: mg-base
    license: MG-BY-2.0
  - id: svc
    via: merge
    from: [apache-base, mg-base]
    license: MG-BY-2.0
    distribute: service
",
    );
    let f = must(&g, &r, "attribution", "svc");
    assert_eq!(origins(&g, &f), ["mg-base"]);
    assert_eq!(f.origin_licenses, ["MG-BY-2.0"]);
}

#[test]
fn service_counts_for_agpl_share_alike_but_not_gpl() {
    let yaml = |lic: &str| {
        format!(
            "nodes:
  - id: base
    license: {lic}
  - id: svc
    via: finetune
    from: [base]
    license: MIT
    distribute: service
"
        )
    };
    let (g, r) = check(&yaml("GPL-3.0"));
    absent(&g, &r, "share-alike", "svc");
    absent(&g, &r, "source-disclosure", "svc");
    let (g, r) = check(&yaml("AGPL-3.0"));
    must(&g, &r, "share-alike", "svc");
    must(&g, &r, "source-disclosure", "svc");
}

#[test]
fn an_intermediate_node_with_its_own_intent_is_checked() {
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: private }
nodes:
  - id: original
    license: MG-BY-ND-1.0
  - id: tuned
    via: finetune
    from: [original]
    distribute: public
  - id: tuned-gguf
    via: quantize
    from: [tuned]
",
    );
    must(&g, &r, "no-derivatives", "tuned");
    absent(&g, &r, "no-derivatives", "tuned-gguf");
    // A root used in its own right is bound by its own license.
    let (g, r) = check(
        "intent: { use: non-commercial, distribute: private }
nodes:
  - id: base
    license: MG-BY-NC-1.0
    use: commercial
  - id: tuned
    via: finetune
    from: [base]
",
    );
    must(&g, &r, "non-commercial", "base");
    absent(&g, &r, "non-commercial", "tuned");
}

#[test]
fn service_counts_for_no_derivatives_of_modelgo() {
    let (g, r) = check(
        "nodes:
  - id: base
    license: MG-BY-ND-2.0
  - id: svc
    via: finetune
    from: [base]
    distribute: service
    use: non-commercial
",
    );
    must(&g, &r, "no-derivatives", "svc");
}

// ---------------------------------------------------------------------------------------------
// License values
// ---------------------------------------------------------------------------------------------

#[test]
fn license_list_and_and_expression_all_apply() {
    for value in ["[MG-BY-NC-2.0, MG-BY-RAI-2.0]", "MG-BY-NC-2.0 AND MG-BY-RAI-2.0"] {
        let (g, r) = check(&chain_yaml(value, &["finetune"]));
        let c = clauses(&g, &r, "n1");
        assert!(c.contains(&"non-commercial".to_owned()), "{value}: {c:?}");
        assert!(c.contains(&"use-restrictions".to_owned()), "{value}: {c:?}");
        let (g, r) = check(&chain_yaml(value, &["finetune"]).replace("use: non-commercial", "use: commercial"));
        let f = must(&g, &r, "non-commercial", "n1");
        assert_eq!(f.origin_licenses, ["MG-BY-NC-2.0"], "{value}");
    }
}

#[test]
fn license_or_picks_the_first_alternative_without_error() {
    // A commercially used root: the NC branch gives an error, MIT does not.
    let (g, r) = check("nodes:\n  - id: dual\n    license: CC-BY-NC-4.0 OR MIT\n");
    absent(&g, &r, "non-commercial", "dual");
    let v = g.find("dual").unwrap() as usize;
    assert_eq!(r.nodes[v].license_choice.as_deref(), Some("MIT"));
    // Downstream too.
    let (g, r) = check(
        "nodes:
  - id: dual
    license: CC-BY-NC-4.0 OR MIT
  - id: tuned
    via: finetune
    from: [dual]
",
    );
    absent(&g, &r, "non-commercial", "tuned");
    // In written order: when the first branch gives no error, it is the one used.
    let (g, r) = check(
        "intent: { use: non-commercial }
nodes:
  - id: dual
    license: CC-BY-NC-4.0 OR MIT
",
    );
    let v = g.find("dual").unwrap() as usize;
    assert_eq!(r.nodes[v].license_choice.as_deref(), Some("CC-BY-NC-4.0"));
    assert!(clauses(&g, &r, "dual").contains(&"non-commercial".to_owned()));
}

#[test]
fn license_and_binds_tighter_than_or() {
    // SPDX: `A AND B OR C` is `(A AND B) OR C`, so the commercial root can pick Apache-2.0.
    let (g, r) = check("nodes:\n  - id: dual\n    license: CC-BY-NC-4.0 AND MIT OR Apache-2.0\n");
    absent(&g, &r, "non-commercial", "dual");
    assert_eq!(r.nodes[0].license_choice.as_deref(), Some("Apache-2.0"));
    // Parentheses group.
    let (g, r) = check("nodes:\n  - id: dual\n    license: (CC-BY-NC-4.0 OR MIT) AND Apache-2.0\n");
    absent(&g, &r, "non-commercial", "dual");
    assert_eq!(r.nodes[0].license_choice.as_deref(), Some("Apache-2.0 AND MIT"));
}

#[test]
fn license_or_on_a_derived_node_picks_a_permitted_alternative() {
    let (g, r) = check(
        "intent: { use: non-commercial }
nodes:
  - id: base
    license: MG-BY-NC-2.0
  - id: tuned
    via: finetune
    from: [base]
    license: MIT OR MG-BY-NC-2.0
",
    );
    absent(&g, &r, "license-mismatch", "tuned");
    let v = g.find("tuned").unwrap() as usize;
    assert_eq!(r.nodes[v].license_choice.as_deref(), Some("MG-BY-NC-2.0"));
}

#[test]
fn license_ids_are_case_insensitive() {
    for (written, canonical) in [
        ("APACHE-2.0", "Apache-2.0"),
        ("cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("llama2", "Llama-2"),
        ("mg-by-nc-1.0", "MG-BY-NC-1.0"),
    ] {
        let (g, r) = check(&format!("nodes:\n  - id: root\n    license: {written}\n"));
        absent(&g, &r, "unknown-license", "root");
        assert_eq!(r.licenses[0].canonical(), Some(canonical), "{written}");
    }
    let (g, r) = check(&chain_yaml("cc-by-nc-4.0", &["finetune"]).replace("use: non-commercial", "use: commercial"));
    assert_eq!(must(&g, &r, "non-commercial", "n1").origin_licenses, ["CC-BY-NC-4.0"]);
}

// ---------------------------------------------------------------------------------------------
// Findings: one per (code, node), origins sorted by id, shortest path with ties broken
// ---------------------------------------------------------------------------------------------

#[test]
fn path_lists_each_hop_with_its_relation() {
    let (g, r) = check(
        "nodes:
  - id: base
    license: MG-BY-NC-2.0
  - id: ft
    via: finetune
    from: [base]
  - id: q
    via: quantize
    from: [ft]
  - id: merged
    via: merge
    from: [q]
",
    );
    let f = must(&g, &r, "non-commercial", "merged");
    let hops: Vec<(&str, Option<Relation>)> = f.path.iter().map(|h| (g.node(h.node).id.as_str(), h.via)).collect();
    assert_eq!(
        hops,
        [
            ("base", None),
            ("ft", Some(Relation::Finetune)),
            ("q", Some(Relation::Quantize)),
            ("merged", Some(Relation::Merge)),
        ]
    );
}

#[test]
fn path_on_the_origin_itself_is_one_hop() {
    let (g, r) = check("nodes:\n  - id: solo\n    license: MG-BY-NC-2.0\n");
    let f = must(&g, &r, "non-commercial", "solo");
    assert_eq!(f.path.len(), 1);
    assert_eq!(g.node(f.path[0].node).id, "solo");
    assert_eq!(f.path[0].via, None);
}

#[test]
fn path_ties_are_broken_by_the_smallest_id_sequence() {
    let (g, r) = check(
        "nodes:
  - id: root
    license: CC-BY-NC-4.0
  - id: p-2
    via: finetune
    from: [root]
  - id: p-1
    via: adapter
    from: [root]
  - id: a-2
    via: quantize
    from: [p-2]
  - id: z-1
    via: quantize
    from: [p-1]
  - id: top
    via: merge
    from: [a-2, z-1]
",
    );
    let f = must(&g, &r, "non-commercial", "top");
    let hops: Vec<&str> = f.path.iter().map(|h| g.node(h.node).id.as_str()).collect();
    assert_eq!(hops, ["root", "p-1", "z-1", "top"]);
    assert_eq!(f.path[1].via, Some(Relation::Adapter));
}

#[test]
fn path_is_the_shortest() {
    let (g, r) = check(
        "nodes:
  - id: a-root
    license: CC-BY-NC-4.0
  - id: b-long
    via: finetune
    from: [a-root]
  - id: c-long
    via: finetune
    from: [b-long]
  - id: top
    from:
      - { id: c-long, via: merge }
      - { id: a-root, via: train }
",
    );
    let f = must(&g, &r, "non-commercial", "top");
    let hops: Vec<(&str, Option<Relation>)> = f.path.iter().map(|h| (g.node(h.node).id.as_str(), h.via)).collect();
    assert_eq!(hops, [("a-root", None), ("top", Some(Relation::Train))]);
}

#[test]
fn origins_are_sorted_by_id_and_one_finding_per_code_and_node() {
    let (g, r) = check(
        "nodes:
  - id: zeta
    license: CC-BY-NC-4.0
  - id: alpha
    license: MG-BY-NC-2.0
  - id: merged
    via: merge
    from: [zeta, alpha]
",
    );
    let f = must(&g, &r, "non-commercial", "merged");
    assert_eq!(origins(&g, &f), ["alpha", "zeta"]);
    assert_eq!(f.origin_licenses, ["CC-BY-NC-4.0", "MG-BY-NC-2.0"]);
    assert_eq!(g.node(f.path[0].node).id, "alpha");
    assert_eq!(
        summary(&g, &r)
            .iter()
            .filter(|s| s.as_str() == "error non-commercial merged")
            .count(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Undeclared copies (a possible gap: see the ignore reasons)
// ---------------------------------------------------------------------------------------------

#[test]
fn nd_reaches_a_derivative_of_an_undeclared_copy() {
    let (g, r) = check(
        "nodes:
  - id: original
    license: MG-BY-ND-2.0
  - id: mirror
    via: copy
    from: [original]
  - id: tuned
    via: finetune
    from: [mirror]
",
    );
    must(&g, &r, "no-derivatives", "tuned");
}

#[test]
fn llama_naming_reaches_a_derivative_of_an_undeclared_copy() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-3-8B
    license: llama3
  - id: mirror/Llama-3-8B
    via: copy
    from: [meta-llama/Llama-3-8B]
  - id: acme/chat
    via: finetune
    from: [mirror/Llama-3-8B]
",
    );
    must(&g, &r, "llama-naming", "acme/chat");
}

#[test]
fn llama_other_llm_on_distilling_an_undeclared_copy_of_llama2() {
    let (g, r) = check(
        "nodes:
  - id: meta-llama/Llama-2-7b-hf
    license: llama2
  - id: mirror/Llama-2-7b-hf
    via: copy
    from: [meta-llama/Llama-2-7b-hf]
  - id: acme/student
    via: distill
    from: [mirror/Llama-2-7b-hf]
",
    );
    must(&g, &r, "llama-other-llm", "acme/student");
}
