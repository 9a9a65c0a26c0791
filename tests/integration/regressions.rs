//! Regression tests, each named after the problem it guards against (found in review).

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::*;

#[test]
fn or_choice_ignores_errors_the_node_does_not_cause() {
    let (g, r) = check(
        "nodes:
  - id: a
    license: MG-BY-NC-2.0 OR Apache-2.0
  - id: b
    license: MG-BY-NC-2.0 OR Apache-2.0
  - id: a-ft
    via: finetune
    from: [a]
  - id: b-ft
    via: finetune
    from: [b]
  - id: c
    license: cc-by-nc-4.0
  - id: c-ft
    via: finetune
    from: [c]
",
    );
    let errors: Vec<String> = summary(&g, &r).into_iter().filter(|s| s.starts_with("error")).collect();
    assert_eq!(
        errors,
        ["error non-commercial c-ft"],
        "only the unrelated NC pair is an error"
    );
    for node in ["a", "b"] {
        let v = g.find(node).unwrap();
        assert_eq!(
            r.nodes[v as usize].license_choice.as_deref(),
            Some("Apache-2.0"),
            "{node}"
        );
    }
}

#[test]
fn intent_of_several_files_is_the_strictest_whatever_their_order() {
    let upstream = (
        "up.yaml".to_owned(),
        "intent: { use: non-commercial }\nnodes:\n  - id: lab/nc\n    license: cc-by-nc-4.0\n".to_owned(),
    );
    let ours = (
        "ours.yaml".to_owned(),
        "intent: { use: commercial }\nnodes:\n  - id: acme/app\n    via: finetune\n    from: [lab/nc]\n".to_owned(),
    );
    for inputs in [[upstream.clone(), ours.clone()], [ours, upstream]] {
        let (g, r) = mglint::check_inputs(inputs.to_vec(), kb(), &Default::default())
            .result
            .expect("valid");
        assert!(
            has(&g, &r, "non-commercial", "acme/app"),
            "order {:?}",
            inputs.iter().map(|i| &i.0).collect::<Vec<_>>()
        );
    }
}

#[test]
fn review_of_share_alike_training_data_gets_its_own_help() {
    let (g, r) = check(
        "nodes:
  - id: wiki
    kind: dataset
    license: cc-by-sa-4.0
  - id: base
    license: apache-2.0
  - id: acme/model
    license: apache-2.0
    from:
      - { id: base, via: finetune }
      - { id: wiki, via: train }
",
    );
    let f = finding(&g, &r, "review-needed", "acme/model").expect("review-needed");
    assert!(f.help.contains("share-alike"), "{}", f.help);
    assert!(!f.help.contains("missing"), "{}", f.help);
}

#[test]
fn relabelled_copy_of_a_share_alike_work_is_reported_once() {
    let (g, r) = check(
        "nodes:\n  - id: gpl\n    license: gpl-3.0\n  - id: mirror\n    license: mit\n    via: copy\n    from: [gpl]\n",
    );
    assert!(has(&g, &r, "share-alike", "mirror"));
    assert!(!has(&g, &r, "license-mismatch", "mirror"), "{:?}", summary(&g, &r));
}

#[test]
fn license_mismatch_names_the_dropped_modelgo_option() {
    let (g, r) = check(
        "nodes:\n  - id: rai\n    license: MG-BY-RAI-2.0\n  - id: ft\n    license: MG-BY-2.0\n    via: finetune\n    from: [rai]\n",
    );
    let f = finding(&g, &r, "license-mismatch", "ft").expect("mismatch");
    assert!(f.message.contains("drops the RAI option"), "{}", f.message);
}

#[test]
fn findings_about_a_license_value_point_at_the_value() {
    let (g, r) = check("nodes:\n  - id: a\n    kind: dataset\n    license: MIT OR\n");
    let f = finding(&g, &r, "unknown-license", "a").expect("unknown");
    assert_eq!((f.location.pos.line, f.location.pos.column), (4, 14));
}

#[test]
fn an_empty_name_is_an_input_error() {
    let errors = errors_in("g.yaml", "nodes:\n  - id: a\n    name: \"\"\n    license: mit\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].0.as_str(), errors[0].1, errors[0].2),
        ("invalid-value", 3, 11)
    );
}

#[test]
fn a_one_line_json_file_is_not_printed_once_per_finding() {
    let nodes: Vec<String> = (0..60)
        .map(|i| format!("{{\"id\":\"n{i}\",\"license\":\"cc-by-nc-4.0\"}},{{\"id\":\"m{i}\",\"via\":\"finetune\",\"from\":[\"n{i}\"]}}"))
        .collect();
    let json = format!("{{\"nodes\":[{}]}}", nodes.join(","));
    let dir = std::env::temp_dir().join(format!("mglint-oneline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("g.json"), &json).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(["check", "-q", "g.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("at g.json:1:"), "{}", &text[..text.len().min(500)]);
    assert!(
        text.len() < json.len() * 3,
        "the report repeats the file: {} bytes",
        text.len()
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(["check", "graphs/merge-with-mg-by-nd-published.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader is gone; mglint still exits by its findings (1), not as if it failed (2).
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_huge_input_limit_does_not_overflow() {
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args([
            "check",
            "--max-input-mib",
            "18446744073709551615",
            "graphs/clean-apache-pipeline.yaml",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_shortest_cycle_is_named_even_in_a_large_component() {
    let mut yaml = String::from("nodes:\n");
    for i in 0..300 {
        yaml.push_str(&format!(
            "  - id: n{i:03}\n    license: mit\n    via: finetune\n    from: [n{:03}]\n",
            (i + 299) % 300
        ));
    }
    // A short cycle inside the ring: n150 <-> n151.
    yaml = yaml.replace(
        "  - id: n150\n    license: mit\n    via: finetune\n    from: [n149]",
        "  - id: n150\n    license: mit\n    via: finetune\n    from: [n149, n151]",
    );
    let errors = errors_in("g.yaml", &yaml);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].3.contains("n150 -> n151 -> n150"), "{}", errors[0].3);
}

#[test]
fn many_or_choices_are_all_made() {
    let mut yaml = String::from("nodes:\n");
    for i in 0..300 {
        yaml.push_str(&format!(
            "  - id: r{i:03}\n    license: MG-BY-NC-2.0 OR Apache-2.0\n  - id: d{i:03}\n    via: finetune\n    from: [r{i:03}]\n"
        ));
    }
    let (g, r) = check(&yaml);
    assert_eq!(
        r.count(mglint::checks::Severity::Error),
        0,
        "{:?}",
        &summary(&g, &r)[..3]
    );
    let v = g.find("r299").unwrap();
    assert_eq!(r.nodes[v as usize].license_choice.as_deref(), Some("Apache-2.0"));
}

#[test]
fn repeated_or_terms_collapse_instead_of_exceeding_the_expansion_limit() {
    let value = ["(MIT OR Apache-2.0)"; 10].join(" AND ");
    let (g, r) = check(&format!("nodes:\n  - id: a\n    license: \"{value}\"\n"));
    assert!(!has(&g, &r, "unknown-license", "a"), "{:?}", summary(&g, &r));
}

/// Regression (review, issue 4): a node with 20 000 parents took 5.9 s and 1.8 GB,
/// because each parent's origins were merged into a chain of ever larger interned sets
/// (quadratic). They are now unioned once; this checks the union is whole and exact.
#[test]
fn a_merge_of_thousands_of_models_carries_every_origin_once() {
    let n = 3000;
    let mut text = String::from("nodes:\n");
    for i in 0..n {
        let license = if i % 2 == 0 { "mit" } else { "apache-2.0" };
        text.push_str(&format!("  - id: p{i:04}\n    license: {license}\n"));
    }
    let parents: Vec<String> = (0..n).map(|i| format!("p{i:04}")).collect();
    text.push_str(&format!(
        "  - id: merged\n    via: merge\n    from: [{}]\n",
        parents.join(", ")
    ));
    let (g, r) = crate::support::check(&text);
    let v = g.find("merged").unwrap();
    let attribution = r
        .obligations(v)
        .into_iter()
        .find(|o| o.clause == "attribution")
        .unwrap();
    assert_eq!(attribution.origins.len(), n);
    let mut ids: Vec<&str> = attribution.origins.iter().map(|&o| g.node(o).id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), n, "each origin once");
    let state_changes = r
        .obligations(v)
        .into_iter()
        .find(|o| o.clause == "state-changes")
        .unwrap();
    assert_eq!(state_changes.origins.len(), n / 2, "only the Apache-2.0 parents");
}

/// The report keeps only each finding's key and rebuilds the finding when it is read (a
/// million findings' texts were most of the memory): every key must give back its own
/// finding, whether read one at a time, by node or all at once, and with a policy that
/// changes severities and suppresses findings.
#[test]
fn findings_rebuilt_from_their_keys_are_the_findings_that_were_checked() {
    let policy_text =
        "[licenses]\ndeny = [\"MG-BY-NC-2.0\"]\n[severity]\nattribution = \"warning\"\nstate-changes = \"allow\"\n";
    let policy = mglint::policy::parse(policy_text, 0, kb()).expect("valid policy");
    for path in graph_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        for options in [
            mglint::checks::CheckOptions::default(),
            mglint::checks::CheckOptions {
                policy: policy.clone(),
                ..Default::default()
            },
        ] {
            let (g, r) = check_with(&text, &options);
            let all: Vec<_> = r.findings(&g, kb()).collect();
            assert_eq!(all.len(), r.keys().len(), "{}", path.display());
            for (i, (k, f)) in r.keys().iter().zip(&all).enumerate() {
                let what = format!("{}: finding {i}", path.display());
                assert_eq!((k.severity, k.code, k.node), (f.severity, f.code, f.node), "{what}");
                assert_eq!(k.suppressed, f.suppressed.is_some(), "{what}");
                assert_eq!(
                    r.reader(&g, kb()).read(i..i + 1).into_ordered(),
                    std::slice::from_ref(f),
                    "{what}"
                );
            }
            // Read together, rebuilt node by node, they come back in report order.
            let read = r.reader(&g, kb()).read(0..all.len());
            assert!(read.iter().eq(&all), "{}", path.display());
            if options.policy.severity.is_empty() {
                assert!(!all.iter().any(|f| f.code.as_str() == "denied-license"));
            } else {
                assert!(
                    !all.iter().any(|f| f.code.as_str() == "state-changes"),
                    "allowed codes are dropped"
                );
                assert!(
                    all.iter()
                        .all(|f| f.code.as_str() != "attribution" || f.severity == mglint::checks::Severity::Warning)
                );
            }
            for v in 0..g.nodes.len() as u32 {
                let of: Vec<_> = all.iter().filter(|f| f.node == v).cloned().collect();
                assert_eq!(r.findings_of(&g, kb(), v), of, "{}", path.display());
            }
        }
    }
}

/// A graph file's nodes (JSON, and since the second round YAML) are read one at a time
/// while it is parsed, so a million-node file is never held as one tree (it was most of
/// the 1.7 GiB peak). What
/// is read that way must be what the whole-tree reader reads, errors included, and a file
/// that turns out not to parse reports its parse error only, not the nodes read before.
#[test]
fn graph_files_read_while_parsing_match_the_whole_tree_reader() {
    let whole_tree = |name: &str, text: &str| -> Vec<ErrorRow> {
        let limits = mglint::syntax::Limits::default();
        let mut builder = mglint::graph::GraphBuilder::new();
        match mglint::graph::load::parse_document(name, text, 0, &limits) {
            Ok(doc) => mglint::graph::load::read_graph(doc.into(), 0, &mut builder),
            Err(e) => builder.error(e),
        }
        builder.finish().err().map(error_rows).unwrap_or_default()
    };
    let texts = [
        // Node errors, before and after other top-level keys.
        "{\"nodes\": [{\"id\": \"a\", \"via\": \"finetune\"}, {\"from\": [\"a\"]}, {\"id\": \"a\", \"colour\": 1}],\n \"intent\": {\"use\": \"sold\"}}",
        "{\"mglint\": 2, \"nodes\": [{\"id\": \"b\", \"from\": [\"nowhere\"], \"via\": \"finetune\"}]}",
        // Two `nodes` keys: the first list is the graph, the duplicate key an error.
        "{\"nodes\": [{\"id\": \"a\"}], \"nodes\": [{\"id\": \"b\"}]}",
        // `nodes` that is not a list, and a nested `nodes` key that is not the graph's.
        "{\"nodes\": {\"id\": \"a\"}}",
        "{\"nodes\": [{\"id\": \"a\", \"meta\": {\"nodes\": [1, 2]}}, {\"id\": \"a\"}]}",
        // Not JSON after all: a node error before the syntax error must not be reported.
        "{\"nodes\": [{\"id\": \"a\", \"via\": \"sideways\"}, {\"id\": \"b\",,}]}",
        "{\"nodes\": [{\"id\": \"a\", \"via\": \"sideways\"}, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    ];
    // Long enough to be read on several threads (over 8 MiB): node errors all along it.
    let long: String = (0..160_000)
        .map(|i| match i % 19_997 {
            0 => format!("{{\"id\": \"n{i}\", \"via\": \"sideways\"}},\n"),
            1 => format!("{{\"id\": \"n{i}\", \"from\": [\"nowhere-{i}\"], \"colour\": {i}}},\n"),
            _ => format!(
                "{{\"id\": \"n{i}\", \"from\": [\"n{}\"], \"license\": \"mit\"}},\n",
                i / 2
            ),
        })
        .collect();
    let long = format!("{{\"nodes\": [\n{}{{\"id\": \"n0\"}}]}}", long);
    assert!(long.len() > 8 << 20);
    for text in texts {
        for name in ["g.json", "g"] {
            let streamed = errors_in(name, text);
            assert!(!streamed.is_empty(), "{name}: {text}");
            assert_eq!(streamed, whole_tree(name, text), "{name}: {text}");
        }
    }
    let streamed = errors_in("g.json", &long);
    assert!(
        streamed.len() > 160_000,
        "a `missing-via` on every node but a few, and more"
    );
    assert_eq!(streamed, whole_tree("g.json", &long));
    // A sniffed file that is YAML in flow style still reads (the JSON reading fails, the
    // nodes it read are dropped and YAML reads them again).
    let (g, _) = check("{nodes: [{id: a, license: mit}, {id: b, via: finetune, from: [a]}]}");
    assert_eq!(g.nodes.len(), 2);
    // YAML graph files are read node by node too: the same errors as the whole tree, for
    // anchors and merge keys across nodes, keys around and twice, lists that are not.
    let yaml = [
        "nodes:\n  - &base\n    id: a\n    license: cc-by-nc-4.0\n  - <<: *base\n    id: b\n    via: sideways\n    from: [a]\n  - {id: c, colour: red}\nintent: {use: sold}\n",
        "mglint: 2\nnodes:\n  - id: b\n    from: [nowhere]\n    via: finetune\nextra: 1\n",
        "nodes:\n  - id: a\nnodes:\n  - id: b\n",
        "nodes: {id: a}\n",
        "nodes:\n",
        "nodes: []\nmerge_method: linear\n",
        "- id: a\n",
        "nodes:\n  - id: a\n    via: sideways\n  - id: b\n    bad: [unclosed\n",
        "nodes:\n  - id: a\n---\nnodes: []\n",
        "nodes:\n  - id: \"a\\0b\"\n    license: \"\\t\"\n",
    ];
    for text in yaml {
        let streamed = errors_in("g.yaml", text);
        assert!(!streamed.is_empty(), "{text}");
        assert_eq!(streamed, whole_tree("g.yaml", text), "{text}");
    }
    // The example graphs: the same graph, written back as a graph file.
    for path in graph_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let mut builder = mglint::graph::GraphBuilder::new();
        let doc = mglint::graph::load::parse_document(&name, &text, 0, &mglint::syntax::Limits::default()).unwrap();
        mglint::graph::load::read_graph(doc.into(), 0, &mut builder);
        let written = |g: &mglint::graph::Graph| {
            let mut out = Vec::new();
            mglint::render::graph::write(g, std::slice::from_ref(&name), false, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(written(&check(&text).0), written(&builder.finish().unwrap()), "{name}");
    }
}

/// The JSON report's findings and nodes are written by hand (serde_json's escaping loop
/// was 14 % of a hub-scale run). The bytes must be exactly what serde_json writes, for
/// ids that need escaping too: parsing the report and writing it back compactly (keys in
/// order) gives the same bytes.
#[test]
fn hand_written_json_report_is_byte_for_byte_what_serde_json_writes() {
    let ids = [
        "q\"uote",
        "back\\slash",
        "tab\tand\nnewline",
        "control\u{1}char",
        "ünï/cødé",
        "emoji 🦙",
        "del\u{7f}",
    ];
    let mut nodes = vec![serde_json::json!({ "id": ids[0], "license": "cc-by-nc-4.0" })];
    for pair in ids.windows(2) {
        nodes.push(serde_json::json!({ "id": pair[1], "via": "merge", "from": [pair[0], "root/\"x\""] }));
    }
    nodes.push(serde_json::json!({ "id": "root/\"x\"", "license": "not a \"license\"" }));
    let text = serde_json::to_string(&serde_json::json!({ "nodes": nodes })).unwrap();
    for name in ["g.json", "dir\\with \"quotes\".json"] {
        let checked = mglint::check_inputs(vec![(name.to_owned(), text.clone())], kb(), &Default::default());
        assert!(checked.result.is_ok(), "valid graph");
        let (out, value) = json_written(&checked, name);
        assert_eq!(out, serde_json::to_string(&value).unwrap() + "\n");
        let written = node_ids(&value);
        for id in ids {
            assert!(written.contains(&id), "{id:?} in {written:?}");
        }
        let findings = value["findings"].as_array().unwrap();
        assert!(
            findings
                .iter()
                .any(|f| f["path"].as_array().unwrap().iter().any(|h| h["id"] == ids[0])),
            "a path through an escaped id: {findings:#?}"
        );
    }
    // Input errors too.
    let bad = "{\"nodes\": [{\"id\": \"a\\\"b\", \"via\": \"side\\nways\"}]}";
    let checked = mglint::check_inputs(vec![("e.json".to_owned(), bad.to_owned())], kb(), &Default::default());
    assert!(checked.result.is_err(), "an input error");
    let (out, value) = json_written(&checked, "e.json");
    assert_eq!(out, serde_json::to_string(&value).unwrap() + "\n");
    assert!(
        value["input_errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("side\nways")
    );
}

/// A `denied-license` about the node's own license has the one-hop path every finding
/// about a node's own license has (it had an empty path while the policy was applied
/// after the checks).
#[test]
fn denied_own_license_has_the_one_hop_path_of_own_license_findings() {
    let policy = mglint::policy::parse("[licenses]\ndeny = [\"cc-by-nc-4.0\"]\n", 0, kb()).expect("valid policy");
    let options = mglint::checks::CheckOptions {
        policy,
        ..Default::default()
    };
    let (g, r) = check_with(
        "nodes:\n  - id: data\n    kind: dataset\n    license: cc-by-nc-4.0\n  - id: root\n",
        &options,
    );
    let denied = finding(&g, &r, "denied-license", "data").expect("denied");
    let missing = finding(&g, &r, "missing-license", "root").expect("missing");
    let ids =
        |f: &mglint::checks::Finding| -> Vec<String> { f.path.iter().map(|h| g.node(h.node).id.clone()).collect() };
    assert_eq!(ids(&denied), ["data"]);
    assert_eq!(ids(&missing), ["root"]);
}

/// `import --format json` writes its nodes one at a time (a million-node graph is never
/// one JSON value): the bytes must still be what serde_json pretty-prints for the whole
/// document, with and without an intent, and for a graph without nodes.
#[test]
fn imported_json_written_node_by_node_is_what_serde_json_pretty_prints() {
    let mut texts: Vec<(String, String)> = graph_files()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    texts.push((
        "empty.yaml".into(),
        "mglint: 1\nintent: {use: commercial}\nnodes: []\n".into(),
    ));
    texts.push(("bare.json".into(), r#"{"mglint":1,"nodes":[]}"#.into()));
    for (name, text) in texts {
        let (graph, _) = check(&text);
        let mut written = Vec::new();
        mglint::render::graph::write(&graph, std::slice::from_ref(&name), true, &mut written).unwrap();
        let written = String::from_utf8(written).unwrap();
        let whole: serde_json::Value = serde_json::from_str(&written).unwrap();
        let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(written, expected, "{name}");
        assert_eq!(whole["nodes"].as_array().unwrap().len(), graph.nodes.len(), "{name}");
    }
}

/// The path search keeps a short list of the states it reached and switches to per-node
/// slots once a search grows past a few dozen states: a long ladder (two nodes per level,
/// far more states than the list holds) must still give the shortest path with the
/// smallest ids, here alternating because `a` nodes derive only from `b` nodes.
#[test]
fn long_path_searches_keep_the_smallest_id_tie_break() {
    const LEVELS: usize = 40;
    let mut yaml = String::from("nodes:\n  - id: root\n    license: CC-BY-NC-4.0\n");
    for i in 1..=LEVELS {
        let (a_from, b_from) = if i == 1 {
            ("[root]".to_owned(), "[root]".to_owned())
        } else {
            let p = i - 1;
            (format!("[l{p:02}-b]"), format!("[l{p:02}-a, l{p:02}-b]"))
        };
        yaml += &format!("  - id: l{i:02}-a\n    via: finetune\n    from: {a_from}\n");
        yaml += &format!("  - id: l{i:02}-b\n    via: finetune\n    from: {b_from}\n");
    }
    yaml += &format!("  - id: top\n    via: merge\n    from: [l{LEVELS:02}-a, l{LEVELS:02}-b]\n");
    let (g, r) = check(&yaml);
    let f = finding(&g, &r, "non-commercial", "top").expect("non-commercial on top");
    let hops: Vec<&str> = f.path.iter().map(|h| g.node(h.node).id.as_str()).collect();
    let mut expected = vec!["root".to_owned()];
    expected.extend((1..=LEVELS).map(|i| format!("l{i:02}-{}", if i % 2 == 1 { 'a' } else { 'b' })));
    expected.push("top".to_owned());
    assert_eq!(hops, expected);
}

/// A column on a very long line (a minified JSON graph is one line) is found from marks
/// every thousand characters instead of by counting from the line start for every
/// finding; the byte it gives must be the one counting gives, multibyte characters
/// included, and past the end of the line it clamps to the line end.
#[test]
fn columns_on_long_lines_map_to_the_bytes_counting_gives() {
    let long: String = (0..5000)
        .map(|i| match i % 7 {
            0 => 'é',
            3 => '模',
            5 => '🦀',
            _ => 'a',
        })
        .collect();
    let text = format!("short line\n{long}\nlast");
    let mut sources = mglint::source::Sources::default();
    let file = sources.add("long.txt", text.clone());
    let line_start = text.find('\n').unwrap() + 1;
    for column in [1, 2, 1023, 1024, 1025, 2048, 2049, 4999, 5000, 5001, 9000] {
        let loc = mglint::source::Location {
            file,
            pos: mglint::source::Pos { line: 2, column },
        };
        let counted = line_start
            + long
                .char_indices()
                .nth(column as usize - 1)
                .map_or(long.len(), |(i, _)| i);
        assert_eq!(sources.byte_offset(loc), counted, "column {column}");
    }
}

/// Large JSON arrays are formatted on worker threads (started once per array) in
/// batches, and written in order: the report's findings and nodes must be exactly the
/// library's, in the library's order, for a graph large enough to take that path (over
/// 16 384 items in each array).
#[test]
fn json_arrays_formatted_on_worker_threads_keep_the_report_order() {
    const ROOTS: usize = 40;
    const NODES: usize = 17_000;
    let licenses = ["cc-by-nc-4.0", "apache-2.0", "llama2", "openrail", "MG-BY-NC-2.0"];
    let mut text = String::from("nodes:\n");
    for i in 0..NODES {
        // Ids out of id order, so that report order differs from the order of making.
        let id = format!("org{}/m-{:05}", (i * 7) % 13, (i * 7919) % NODES);
        if i < ROOTS {
            text += &format!("  - id: {id}\n    license: {}\n", licenses[i % licenses.len()]);
        } else {
            let parent = |p: usize| format!("org{}/m-{:05}", (p * 7) % 13, (p * 7919) % NODES);
            let (a, b) = ((i * 31) % i, (i * 17 + 3) % i);
            if i % 9 == 0 && a != b {
                text += &format!(
                    "  - id: {id}\n    via: merge\n    from: [{}, {}]\n",
                    parent(a),
                    parent(b)
                );
            } else {
                text += &format!("  - id: {id}\n    via: finetune\n    from: [{}]\n", parent(a));
            }
        }
    }
    let value = written_as_the_library_reads(text);
    let findings = value["findings"].as_array().unwrap().len();
    assert!(
        findings > 16_384,
        "{findings} findings: too few to take the threaded path"
    );
}

/// A report's parts are made on worker threads up to 16 MiB each; a worker that fills its
/// part stops, and the writing thread makes the rest of the part's items straight into the
/// writer before the next part. (Parts had no limit: a 2.9 MB chain whose nodes each carry
/// a commercial use took 7.3 GB, its findings' paths as long as the chain.) Here the first
/// thousand nodes each carry obligations from 600 roots, 19 kB of JSON apiece, so the
/// first part of the `nodes` array fills up; they are private and non-commercial, and the
/// filler is public domain, so that there are few findings to make.
#[test]
fn json_parts_that_fill_up_are_finished_on_the_writing_thread_in_order() {
    const ROOTS: usize = 600;
    const WIDE: usize = 1_030;
    const FILLER: usize = 15_400;
    let mut text = String::from("nodes:\n");
    for i in 0..ROOTS {
        text += &format!("  - id: r{i:04}\n    license: cc-by-nc-4.0\n");
    }
    text += "  - id: b-merge\n    via: merge\n    from: [";
    text += &(0..ROOTS).map(|i| format!("r{i:04}")).collect::<Vec<_>>().join(", ");
    text += "]\n";
    // Ids that sort before the roots: the wide nodes come first in the `nodes` array.
    for i in 0..WIDE {
        text += &format!(
            "  - id: b{i:04}\n    via: finetune\n    from: [b-merge]\n    use: non-commercial\n    distribute: private\n"
        );
    }
    for i in 0..FILLER {
        text += &format!("  - id: z{i:05}\n    license: cc0-1.0\n");
    }
    let value = written_as_the_library_reads(text);
    let nodes = value["nodes"].as_array().unwrap();
    assert!(
        nodes.len() > 16_384,
        "{} nodes: too few to take the threaded path",
        nodes.len()
    );
    let first_part: usize = nodes[..1024].iter().map(|n| n.to_string().len()).sum();
    assert!(
        first_part > 16 << 20,
        "{first_part} bytes: the first part does not fill up"
    );
}

/// Checks a graph file's text and writes its JSON report: the findings and nodes written
/// must be exactly the library's, in the library's order, and the bytes those serde_json
/// writes. Returns the report.
fn written_as_the_library_reads(text: String) -> serde_json::Value {
    let checked = mglint::check_inputs(vec![("hub.yaml".to_owned(), text)], kb(), &Default::default());
    let (out, value) = json_written(&checked, "hub.yaml");
    let (g, r) = checked.result.as_ref().expect("a valid graph");
    let written = value["findings"].as_array().unwrap();
    let mut made = 0;
    for (f, w) in r.findings(g, kb()).zip(written) {
        let path: Vec<&str> = f.path.iter().map(|h| g.node(h.node).id.as_str()).collect();
        let written_path = field_of_each(&w["path"], "id");
        assert_eq!(
            (f.code.as_str(), g.node(f.node).id.as_str(), f.message.as_str(), path),
            (
                w["code"].as_str().unwrap(),
                w["node"].as_str().unwrap(),
                w["message"].as_str().unwrap(),
                written_path
            ),
            "finding {made}"
        );
        made += 1;
    }
    assert_eq!(made, written.len());
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(node_ids(&value), ids);
    for (v, node) in value["nodes"].as_array().unwrap().iter().enumerate() {
        let obligations = r.obligations(v as u32);
        let clauses: Vec<&str> = obligations.iter().map(|o| o.clause).collect();
        assert_eq!(field_of_each(&node["obligations"], "clause"), clauses, "node {v}");
        let origins: Vec<usize> = obligations.iter().map(|o| o.origins.len()).collect();
        let written: Vec<usize> = node["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["origins"].as_array().unwrap().len())
            .collect();
        assert_eq!(written, origins, "node {v}");
    }
    assert_eq!(out, serde_json::to_string(&value).unwrap() + "\n");
    value
}

/// Guessing where the parts of a long JSON list start looked at a run of blank lines once
/// per line break in it: a file of millions of line breaks took hours to read in parts.
/// (Found in review; it fails by not finishing.)
#[test]
fn runs_of_blank_lines_are_looked_at_once_when_guessing_where_parts_start() {
    let limits = mglint::syntax::Limits::default();
    for blank in ["\n", "\r\n", "\n \t"] {
        let text = format!(
            "{{\"nodes\": [{{\"id\": \"a\"}}{}, {{\"id\": \"b\"}}]}}",
            blank.repeat(1 << 20)
        );
        let read = |parts| {
            let each = |items: &mut Vec<mglint::syntax::Value>, v| items.push(v);
            mglint::syntax::parse_json_streaming(&text, &limits, "nodes", parts, Vec::new, each)
                .map(|(tree, sinks)| (tree, sinks.concat()))
        };
        let one = read(1);
        assert_eq!(one.as_ref().map(|(_, items)| items.len()), Ok(2));
        assert_eq!(read(2), one);
        assert_eq!(read(7), one);
    }
}

/// `suggest` traces every node with one path search, and writes each node as it is made.
/// (A path search per node filled an array the size of the graph each time: 1.4 s for the
/// 100 000-node hub; and every node's paths were held until the end: 480 MB for a
/// 10 000-node chain.) Each node's suggestion must be what it gets alone.
#[test]
fn suggestions_made_with_one_tracer_are_what_each_node_gets_alone() {
    let mut chain = String::from("nodes:\n  - id: root\n    license: cc-by-nc-sa-4.0\n");
    for i in 0..200 {
        let from = if i == 0 {
            "root".to_owned()
        } else {
            format!("n{:03}", i - 1)
        };
        chain += &format!("  - id: n{i:03}\n    via: finetune\n    from: [{from}, root]\n    use: commercial\n");
    }
    let texts = graph_files()
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .chain([chain]);
    for text in texts {
        let (g, r) = check(&text);
        let derived: Vec<u32> = (0..g.nodes.len() as u32).filter(|&v| !g.is_root(v)).collect();
        let suggest = |nodes: &[u32], json: bool| {
            let mut out = Vec::new();
            mglint::render::explain::write_suggest(&g, &r, kb(), nodes, json, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let alone: String = derived.iter().map(|&v| suggest(&[v], false)).collect();
        assert_eq!(suggest(&derived, false), alone);
        // In the other order too: what one node's search leaves must not change the next.
        let backwards: Vec<u32> = derived.iter().rev().copied().collect();
        let alone: String = backwards.iter().map(|&v| suggest(&[v], false)).collect();
        assert_eq!(suggest(&backwards, false), alone);
        let all: serde_json::Value = serde_json::from_str(&suggest(&derived, true)).unwrap();
        let alone: Vec<serde_json::Value> = derived
            .iter()
            .map(|&v| serde_json::from_str::<serde_json::Value>(&suggest(&[v], true)).unwrap()["nodes"][0].clone())
            .collect();
        assert_eq!(all["nodes"].as_array().unwrap(), &alone);
    }
}

/// A path search that starts at a node with many input edges reads them all, and
/// `suggest` asked it again for every origin of every node below: a merge of 2 000 models
/// with 2 000 fine-tunes below took 164 s. The paths found there are kept; each must be
/// what a fresh search finds, for every node, origin and set of obligations, here with
/// licenses of several kinds merged and fine-tunes that also take a root of their own.
#[test]
fn paths_kept_for_wide_merges_are_what_a_fresh_search_finds() {
    use mglint::engine::path::PathFinder;
    let licenses = [
        "cc-by-nc-4.0",
        "cc-by-sa-4.0",
        "openrail",
        "apache-2.0",
        "MG-BY-NC-RAI-2.0",
    ];
    let mut text = String::from("nodes:\n");
    for i in 0..60 {
        text += &format!("  - id: r{i:02}\n    license: {}\n", licenses[i % licenses.len()]);
    }
    let roots: Vec<String> = (0..60).map(|i| format!("r{i:02}")).collect();
    text += &format!("  - id: m1\n    via: merge\n    from: [{}]\n", roots[..40].join(", "));
    // Share-alike does not travel along `distill`: from the roots both merges take, it
    // comes by `m1`, while other obligations come straight.
    let distilled: Vec<String> = roots[30..]
        .iter()
        .map(|r| format!("{{ id: {r}, via: distill }}"))
        .collect();
    text += &format!("  - id: m2\n    via: merge\n    from: [m1, {}]\n", distilled.join(", "));
    for i in 0..30 {
        let (parent, own) = (if i % 2 == 0 { "m1" } else { "m2" }, &roots[(i * 7) % 60]);
        text += &format!("  - id: f{i:02}\n    via: finetune\n    from: [{parent}, {{ id: {own}, via: train }}]\n");
        text += &format!("  - id: q{i:02}\n    via: quantize\n    from: [f{i:02}]\n");
    }
    let (g, r) = check(&text);
    let prop = r.propagation();
    let mut kept = PathFinder::new(&g, kb(), prop);
    let queries = path_queries(&g, prop);
    for (v, o, atoms) in &queries {
        let fresh = PathFinder::new(&g, kb(), prop).searched_path(*v, atoms, *o);
        assert_eq!(
            kept.path(*v, atoms, *o),
            fresh,
            "{} from {}",
            g.node(*v).id,
            g.node(*o).id
        );
    }
    let searched = queries.len();
    assert!(searched > 10_000, "{searched} paths");
}

/// Found by the `graph_file` fuzz target once it wrote every output: an 8 kB license text
/// was compared, character table by character table, with every known license name and
/// alias for each output's "did you mean" (half a second per output, 10 s in the fuzz
/// build). Names whose length differs from the word's by more than the distance allowed
/// are no longer compared; what is suggested must not change: nothing for the long text,
/// the close id for a near miss, whatever the case or the characters.
#[test]
fn a_long_unknown_license_gets_no_suggestion_and_near_misses_still_do() {
    let long = "distributed AIؒ model built on the Llama 3 Community License ".repeat(130);
    let text = format!(
        "nodes:\n  - id: a\n    license: {long}\n  - id: b\n    license: apache-2.1\n  - id: c\n    license: ÄPACHE-2.0\n"
    );
    let (g, r) = check(&text);
    let help = |node: &str| finding(&g, &r, "unknown-license", node).expect("unknown-license").help;
    assert!(!help("a").contains("did you mean"), "{}", help("a"));
    assert!(help("b").contains("did you mean `Apache-2.0`"), "{}", help("b"));
    assert!(help("c").contains("did you mean `Apache-2.0`"), "{}", help("c"));
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    use mglint::error::edit_distance_within;
    assert_eq!(edit_distance_within(&chars("modle"), "model", 1), Some(1));
    assert_eq!(edit_distance_within(&chars("mdoel"), "model", 0), None);
    assert_eq!(edit_distance_within(&chars("ääx"), "äa", 2), Some(2));
    assert_eq!(edit_distance_within(&chars(&long), "mit", 3), None);
}

/// A finding's origin licenses were found by scanning the node's obligations for each
/// origin, and the finding's atoms for each obligation: cubic for a node below thousands
/// of licenses (2 000 user licenses merged: 43 s). The non-commercial finding must still
/// name exactly its origins (the roots under an NC license) and the license each gave
/// its NC terms (not the attribution-only license the same root also carries).
#[test]
fn origin_licenses_below_hundreds_of_licenses_name_each_origins_own() {
    const N: usize = 300;
    let dir = std::env::temp_dir().join(format!("mglint-many-licenses-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut licenses = String::from("licenses:\n");
    let mut graph = String::from("nodes:\n");
    for i in 0..N {
        licenses += &format!("  - {{ id: b{i:03}, clauses: [attribution] }}\n");
        if i % 2 == 0 {
            licenses += &format!(
                "  - {{ id: l{i:03}, clauses: [attribution, non-commercial, {{ use-restrictions: {{ set: s{i} }} }}] }}\n"
            );
            graph += &format!("  - {{ id: r{i:03}, license: l{i:03} AND b{i:03} }}\n");
        } else {
            graph += &format!("  - {{ id: r{i:03}, license: b{i:03} }}\n");
        }
    }
    let roots: Vec<String> = (0..N).map(|i| format!("r{i:03}")).collect();
    graph += &format!("  - {{ id: s, via: merge, from: [{}] }}\n", roots.join(", "));
    std::fs::write(dir.join("licenses.yaml"), licenses).unwrap();
    std::fs::write(dir.join("graph.yaml"), graph).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(["check", "--format", "json", "--licenses", "licenses.yaml", "graph.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nc = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "non-commercial" && f["node"] == "s")
        .expect("non-commercial on s");
    let even = |name: &str| -> Vec<String> { (0..N).step_by(2).map(|i| format!("{name}{i:03}")).collect() };
    assert_eq!(strings(&nc["origins"]), even("r"));
    assert_eq!(strings(&nc["origin_licenses"]), even("l"));
    assert!(
        nc["message"].as_str().unwrap().contains("r000 (l000)"),
        "{}",
        nc["message"]
    );
}

/// `suggest` and `explain` searched a path for every origin of every reason and
/// obligation, to print how each came: cubic on a chain of licensed nodes (`suggest` of
/// 1 500 nodes: over a minute; `explain` of one node below 6 000: 38 s). Text names 8
/// origins of each and counts the rest; JSON lists every origin (and `explain`'s, every
/// path).
#[test]
fn suggest_and_explain_name_eight_origins_each_and_count_the_rest() {
    let mut text = String::from("nodes:\n");
    for i in 0..12 {
        text += &format!("  - id: r{i:02}\n    license: cc-by-nc-4.0\n");
    }
    let roots: Vec<String> = (0..12).map(|i| format!("r{i:02}")).collect();
    text += &format!("  - id: merged\n    via: merge\n    from: [{}]\n", roots.join(", "));
    let (g, r) = check(&text);
    let v = g.nodes.iter().position(|n| n.id == "merged").unwrap() as u32;
    let written = |explain: bool, json: bool| {
        let mut out = Vec::new();
        if explain {
            mglint::render::explain::write_explain(&g, &r, kb(), v, json, &mut out).unwrap();
        } else {
            mglint::render::explain::write_suggest(&g, &r, kb(), &[v], json, &mut out).unwrap();
        }
        String::from_utf8(out).unwrap()
    };
    // suggest: 8 reasons named with how they came, then a count.
    let text = written(false, false);
    let named: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("    non-commercial from r"))
        .collect();
    assert_eq!(named.len(), 8, "{text}");
    assert!(named.iter().all(|l| l.ends_with(" via merge")), "{text}");
    assert!(
        text.contains("    non-commercial from 4 more (--format json lists all)\n"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&written(false, true)).unwrap();
    // The entry of a list about the non-commercial clause.
    let nc_of = |list: &serde_json::Value| -> serde_json::Value {
        let list = list.as_array().unwrap();
        list.iter()
            .find(|x| x["clause"] == "non-commercial")
            .cloned()
            .expect("non-commercial")
    };
    let nc = nc_of(&json["nodes"][0]["because"]);
    assert_eq!(strings(&nc["origins"]), roots);
    // explain: 8 origins with their paths, then a count.
    let text = written(true, false);
    let section: Vec<&str> = text
        .split("\n  non-commercial\n")
        .nth(1)
        .expect("the non-commercial obligation")
        .lines()
        .take_while(|l| l.starts_with("    "))
        .collect();
    let from = section.iter().filter(|l| l.starts_with("    from r")).count();
    let paths = section.iter().filter(|l| l.ends_with(" -[merge]-> merged")).count();
    assert_eq!((from, paths), (8, 8), "{text}");
    assert_eq!(
        section.last(),
        Some(&"    from 4 more (--format json lists all)"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&written(true, true)).unwrap();
    let nc = nc_of(&json["nodes"][0]["obligations"]);
    assert_eq!(strings(&nc["origins"]), roots);
    let sources = nc["sources"].as_array().unwrap();
    assert!(sources.iter().all(|s| s["path"].as_array().unwrap().len() == 2), "{nc}");
    assert_eq!(sources.len(), 12);
}
