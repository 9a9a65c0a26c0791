//! Seeing why: `dot` diagrams parsed back and rendered with real Graphviz, and golden
//! `explain` / `suggest` outputs for the example graphs.

use std::path::Path;
use std::process::Command;

use graphviz_rust::dot_structures::{EdgeTy, Graph as Dot, Id, Stmt, Vertex};
use mglint::render::dot::{quote, unquote};

use crate::support::{check, kb};

/// The DOT text of a graph.
fn dot_of(text: &str) -> String {
    let (g, r) = check(text);
    let mut out = Vec::new();
    mglint::render::dot::write(&g, &r, kb(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn id_text(id: &Id) -> String {
    match id {
        Id::Escaped(s) => unquote(s),
        Id::Plain(s) | Id::Html(s) | Id::Anonymous(s) => s.clone(),
    }
}

/// Attributes as (key, value) text.
type Attrs = Vec<(String, String)>;
/// A node statement: id and attributes.
type DotNode = (String, Attrs);
/// An edge: from, to, attributes.
type DotEdge = (String, String, Attrs);

/// Every node statement and edge, subgraphs included.
fn walk(stmts: &[Stmt], nodes: &mut Vec<DotNode>, edges: &mut Vec<DotEdge>) {
    for s in stmts {
        match s {
            Stmt::Node(n) => nodes.push((
                id_text(&n.id.0),
                n.attributes.iter().map(|a| (id_text(&a.0), id_text(&a.1))).collect(),
            )),
            Stmt::Edge(e) => {
                if let EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) = &e.ty {
                    edges.push((
                        id_text(&a.0),
                        id_text(&b.0),
                        e.attributes.iter().map(|a| (id_text(&a.0), id_text(&a.1))).collect(),
                    ));
                }
            }
            Stmt::Subgraph(sub) => walk(&sub.stmts, nodes, edges),
            _ => {}
        }
    }
}

fn parsed(dot: &str) -> (Vec<DotNode>, Vec<DotEdge>) {
    let graph = graphviz_rust::parse(dot).unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{dot}"));
    let Dot::DiGraph { stmts, .. } = graph else {
        panic!("not a digraph")
    };
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    walk(&stmts, &mut nodes, &mut edges);
    (nodes, edges)
}

fn get<'a>(attrs: &'a Attrs, key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[test]
fn quoting_round_trips_hostile_ids() {
    for id in [
        "a\"b",
        "back\\slash",
        "{braces}",
        "a -> b",
        "trailing\\",
        "new\nline",
        "semi;colon[x]",
    ] {
        assert_eq!(unquote(&quote(id)), id);
    }
}

/// Ids with quotes, backslashes, braces and `->` stay one node each, the diagram parses
/// back (graphviz-rust's parser) with every node and edge, and each edge says its relation.
#[test]
fn dot_parses_back_with_every_node_and_edge_even_with_hostile_ids() {
    let text = r#"
intent: { use: commercial, distribute: public }
nodes:
  - id: "lab/\"quoted\" model"
    license: cc-by-nc-4.0
  - id: 'back\slash\'
    license: mit
  - id: "{braces} -> arrow"
    via: merge
    from: ["lab/\"quoted\" model", 'back\slash\']
"#;
    let dot = dot_of(text);
    let (nodes, edges) = parsed(&dot);
    let ids: Vec<&str> = nodes
        .iter()
        .map(|(id, _)| id.as_str())
        .filter(|id| !id.starts_with("mglint legend"))
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    for id in ["lab/\"quoted\" model", "back\\slash\\", "{braces} -> arrow"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert_eq!(edges.len(), 2);
    for (from, to, attrs) in &edges {
        assert_eq!(to, "{braces} -> arrow");
        assert_eq!(get(attrs, "label"), Some("merge"), "{from}");
    }
}

/// Error nodes are drawn red and thick, the path of each error is red from origin to node,
/// shapes follow kinds and fills follow the kind of license.
#[test]
fn dot_shows_status_error_paths_kinds_and_license_classes() {
    let text = std::fs::read_to_string("graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml").unwrap();
    let (nodes, edges) = parsed(&dot_of(&text));
    let node = |id: &str| &nodes.iter().find(|(n, _)| n == id).unwrap().1;
    let bot = node("acme/support-bot-7b");
    assert_eq!((get(bot, "color"), get(bot, "penwidth")), (Some("#d00000"), Some("3")));
    assert_eq!(get(node("tatsu-lab/alpaca"), "shape"), Some("cylinder"));
    assert_eq!(get(node("meta-llama/Llama-2-7b-chat-hf"), "shape"), Some("box"));
    // NC data and a Llama model are filled differently, and differently from Apache data.
    let fill = |id| get(node(id), "fillcolor").unwrap().to_owned();
    let fills = [
        fill("tatsu-lab/alpaca"),
        fill("meta-llama/Llama-2-7b-chat-hf"),
        fill("OpenAssistant/oasst1"),
    ];
    assert!(
        fills[0] != fills[1] && fills[1] != fills[2] && fills[0] != fills[2],
        "{fills:?}"
    );
    let red: Vec<(&str, &str)> = edges
        .iter()
        .filter(|(_, _, a)| get(a, "color") == Some("#d00000"))
        .map(|(f, t, _)| (f.as_str(), t.as_str()))
        .filter(|(f, _)| !f.starts_with("mglint legend"))
        .collect();
    assert_eq!(red, [("tatsu-lab/alpaca", "acme/support-bot-7b")]);
}

/// Generations share a rank, left to right: a 60-node lineage has one rank per depth.
#[test]
fn a_wide_lineage_is_ranked_by_generation() {
    let mut text = String::from("nodes:\n  - id: base\n    license: apache-2.0\n");
    for i in 0..30 {
        text.push_str(&format!("  - id: ft{i}\n    via: finetune\n    from: [base]\n"));
        text.push_str(&format!("  - id: q{i}\n    via: quantize\n    from: [ft{i}]\n"));
    }
    let dot = dot_of(&text);
    let graph = graphviz_rust::parse(&dot).unwrap();
    let Dot::DiGraph { stmts, .. } = graph else { panic!() };
    let ranks: Vec<usize> = stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Subgraph(sub) if id_text(&sub.id).starts_with("gen") => {
                Some(sub.stmts.iter().filter(|s| matches!(s, Stmt::Node(_))).count())
            }
            _ => None,
        })
        .collect();
    assert_eq!(ranks, [1, 30, 30]);
}

/// Whether Graphviz is installed; `.ci/run` installs it and sets `MGLINT_REQUIRE_GRAPHVIZ`
/// so CI can never skip the rendering tests.
fn graphviz() -> bool {
    let found = Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("MGLINT_REQUIRE_GRAPHVIZ").is_none(),
        "MGLINT_REQUIRE_GRAPHVIZ is set but Graphviz's `dot` is not installed"
    );
    found
}

#[test]
fn render_runs_real_graphviz_for_svg_and_png() {
    if !graphviz() {
        eprintln!("Graphviz not installed: rendering not tested here (CI installs it)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("mglint-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (format, magic) in [("svg", &b"<?xml"[..]), ("png", &b"\x89PNG"[..])] {
        let out = dir.join(format!("lineage.{format}"));
        let status = Command::new(env!("CARGO_BIN_EXE_mglint"))
            .args(["dot", "--render", format, "-o"])
            .arg(&out)
            .arg("graphs/merge-with-mg-by-nd-published.yaml")
            .status()
            .unwrap();
        assert!(status.success());
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{format}");
    }
    let svg = std::fs::read_to_string(dir.join("lineage.svg")).unwrap();
    assert!(svg.contains("Legend") && svg.contains("merge"));
}

#[test]
fn render_without_graphviz_is_tool_missing_with_how_to_install() {
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args([
            "dot",
            "--render",
            "svg",
            "-o",
            "/tmp/never.svg",
            "graphs/clean-apache-pipeline.yaml",
        ])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[tool-missing]") && err.contains("apt-get install graphviz"),
        "{err}"
    );
}

/// The diagrams of docs/diagrams.md are what the tool draws now: the DOT is compared
/// always, the SVG whenever Graphviz is installed (always in CI).
#[test]
fn docs_diagrams_are_what_the_tool_draws() {
    let dir = Path::new("docs/diagrams");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("dot") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let graph = format!("graphs/{stem}.yaml");
        let text = std::fs::read_to_string(&graph).unwrap();
        let expected = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            dot_of(&text),
            expected,
            "{} is stale: run `.ci/diagrams`",
            path.display()
        );
        if graphviz() {
            let svg = Command::new("dot").args(["-Tsvg"]).arg(&path).output().unwrap();
            let expected = std::fs::read(dir.join(format!("{stem}.svg"))).unwrap();
            assert!(
                svg.stdout == expected,
                "docs/diagrams/{stem}.svg is stale: run `.ci/diagrams`"
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} diagrams");
}

/// Golden `suggest` (every derived node) and `explain` (every node with an error or a
/// warning) for each example graph. Reviewed by eye when they change.
#[test]
fn golden_explain_and_suggest() {
    insta::glob!("../../graphs", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let (g, r) = check(&text);
        let mut out = Vec::new();
        let derived: Vec<u32> = (0..g.nodes.len() as u32).filter(|&v| !g.is_root(v)).collect();
        mglint::render::explain::write_suggest(&g, &r, kb(), &derived, false, &mut out).unwrap();
        let mut flagged: Vec<u32> = r
            .keys()
            .iter()
            .filter(|f| f.severity != mglint::checks::Severity::Info)
            .map(|f| f.node)
            .collect();
        flagged.sort_unstable();
        flagged.dedup();
        for v in flagged {
            out.extend_from_slice(b"\n--- explain ---\n");
            mglint::render::explain::write_explain(&g, &r, kb(), v, false, &mut out).unwrap();
        }
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    });
}

/// `explain --format json` has the fields cli.md names, and each obligation its path.
#[test]
fn explain_json_has_the_documented_fields() {
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args([
            "explain",
            "--format",
            "json",
            "graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml",
            "acme/support-bot-7b",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let node = &v["nodes"][0];
    for key in [
        "id",
        "suggested_license",
        "permitted_licenses",
        "because",
        "obligations",
        "findings",
        "intent",
    ] {
        assert!(node.get(key).is_some(), "missing {key}: {node}");
    }
    assert_eq!(node["intent"]["use_from"], "graph");
    let nc = node["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "non-commercial")
        .expect("NC obligation");
    assert_eq!(nc["origins"][0], "tatsu-lab/alpaca");
    assert_eq!(nc["path"][1]["via"], "train");
    assert_eq!(node["because"][0]["clause"], "non-commercial");
}

#[test]
fn explain_of_an_unknown_node_is_exit_2_with_the_closest_id() {
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args([
            "explain",
            "graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml",
            "acme/support-bot",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown-node") && err.contains("did you mean `acme/support-bot-7b`?"),
        "{err}"
    );
}

/// Regressions from the review of `suggest`, `explain` and `dot`.
#[test]
fn suggestions_agree_with_the_checks() {
    let suggest_json = |file: &str, node: &str| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
            .args(["suggest", "--format", "json", file, node])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["nodes"][0].clone()
    };
    // Outputs that may not be used at all may not be released either.
    let labels = suggest_json(
        "graphs/mg-by-nd-1.0-outputs-used-for-training.yaml",
        "acme/invoice-labels",
    );
    assert_eq!(labels["permitted_licenses"], serde_json::json!([]));
    assert_eq!(labels["because"][0]["clause"], "no-output-use");
    // A v2 NC binds only the generating act: it narrows nothing downstream, and is no reason.
    let data = suggest_json("graphs/synthetic-data-mg-by-nc-2.0.yaml", "acme/synthetic-instruct-50k");
    assert!(
        data["because"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["clause"] != "non-commercial"),
        "{data}"
    );
    // A model trained on Llama 2 outputs is no Llama 2 derivative: Meta's license is not offered.
    let student = suggest_json(
        "graphs/llama2-outputs-train-mistral-finetune.yaml",
        "acme/helper-mistral-7b",
    );
    let permitted: Vec<&str> = student["permitted_licenses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(!permitted.contains(&"Llama-2"), "{permitted:?}");
    // A root is not "private use only".
    let root = suggest_json(
        "graphs/merge-nc-and-rai-suggested-license.yaml",
        "mistralai/Mistral-7B-v0.1",
    );
    assert!(root["permitted_licenses"].is_null(), "{root}");
}

#[test]
fn every_origin_of_an_error_has_its_path_drawn() {
    let text = std::fs::read_to_string("graphs/mg-by-sa-merged-with-mg-by-rai-published.yaml").unwrap();
    let (_, edges) = parsed(&dot_of(&text));
    let red: Vec<&str> = edges
        .iter()
        .filter(|(f, _, a)| get(a, "color") == Some("#d00000") && !f.starts_with("mglint legend"))
        .map(|(f, _, _)| f.as_str())
        .collect();
    assert!(
        red.contains(&"opencollab/mistral-7b-open-sa") && red.contains(&"safeai-lab/mistral-7b-guarded"),
        "{red:?}"
    );
}

#[test]
fn a_node_named_like_the_legend_or_differing_by_a_carriage_return_stays_itself() {
    let text = "nodes:\n  - id: \"mglint legend\"\n    license: mit\n  - id: \"lab/a\\rb\"\n    license: mit\n  - id: lab/ab\n    license: cc-by-nc-4.0\n";
    let (nodes, _) = parsed(&dot_of(text));
    let ids: Vec<&str> = nodes.iter().map(|(id, _)| id.as_str()).collect();
    for id in ["mglint legend", "lab/a\rb", "lab/ab"] {
        assert_eq!(ids.iter().filter(|&&i| i == id).count(), 1, "{id}: {ids:?}");
    }
    assert_eq!(ids.len(), 4, "three nodes and a legend: {ids:?}");
}

/// An error the policy makes (a denied license, or a code raised to `error`) is an error
/// like any other: the diagram draws its path in red. (Before findings kept their
/// obligations whatever their severity, these errors had no path to draw.)
#[test]
fn errors_made_by_the_policy_have_their_paths_drawn() {
    let text = "nodes:\n  - id: a\n    license: mit\n  - id: b\n    from: [a]\n    via: finetune\n  - id: c\n    license: apache-2.0\n  - id: d\n    from: [c]\n    via: finetune\n";
    for (policy, red) in [
        ("[licenses]\ndeny = [\"mit\"]\n", vec![("a", "b")]),
        ("[severity]\nattribution = \"error\"\n", vec![("a", "b"), ("c", "d")]),
        ("", vec![]),
    ] {
        let options = mglint::checks::CheckOptions {
            policy: mglint::policy::parse(policy, 0, kb()).expect("valid policy"),
            ..Default::default()
        };
        let (g, r) = crate::support::check_with(text, &options);
        let mut out = Vec::new();
        mglint::render::dot::write(&g, &r, kb(), &mut out).unwrap();
        let (_, edges) = parsed(&String::from_utf8(out).unwrap());
        let drawn: Vec<(&str, &str)> = edges
            .iter()
            .filter(|(f, _, a)| get(a, "color") == Some("#d00000") && !f.starts_with("mglint legend"))
            .map(|(f, t, _)| (f.as_str(), t.as_str()))
            .collect();
        assert_eq!(drawn, red, "policy {policy:?}");
    }
}

/// An error's paths are drawn from its first 8 origins by id: a chain whose every node
/// declares a non-commercial license has an error per node from every node above, and
/// searching all those paths was cubic (9 000 nodes: 51 s).
#[test]
fn the_paths_of_an_errors_first_eight_origins_are_drawn() {
    let mut text = String::from("nodes:\n");
    for i in 0..12 {
        text += &format!("  - id: r{i:02}\n    license: cc-by-nc-4.0\n");
    }
    let roots: Vec<String> = (0..12).map(|i| format!("r{i:02}")).collect();
    text += &format!("  - id: merged\n    via: merge\n    from: [{}]\n", roots.join(", "));
    let (_, edges) = parsed(&dot_of(&text));
    let mut red: Vec<&str> = edges
        .iter()
        .filter(|(f, _, a)| get(a, "color") == Some("#d00000") && !f.starts_with("mglint legend"))
        .map(|(f, _, _)| f.as_str())
        .collect();
    red.sort_unstable();
    assert_eq!(red, roots[..8]);
}
