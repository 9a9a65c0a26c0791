//! Helpers shared by the test modules.

use mglint::checks::{CheckOptions, Finding, Report};
use mglint::graph::Graph;
use mglint::kb::KnowledgeBase;
use std::sync::OnceLock;

/// The built-in knowledge base, loaded once per test binary.
pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(KnowledgeBase::builtin)
}

/// Checks one YAML/JSON text; panics on input errors (use `input_errors` for those).
pub fn check_with(text: &str, options: &CheckOptions) -> (Graph, Report) {
    let checked = mglint::check_inputs(vec![("test.yaml".to_owned(), text.to_owned())], kb(), options);
    match checked.result {
        Ok(r) => r,
        Err(errors) => panic!("unexpected input errors: {errors:#?}"),
    }
}

/// Checks one text with default options.
pub fn check(text: &str) -> (Graph, Report) {
    check_with(text, &CheckOptions::default())
}

/// One input error: `(code, line, column, message, help)`.
pub type ErrorRow = (String, u32, u32, String, Option<String>);

/// The input errors of a text read as the file `name` (its extension picks YAML or JSON).
pub fn errors_in(name: &str, text: &str) -> Vec<ErrorRow> {
    let checked = mglint::check_inputs(vec![(name.to_owned(), text.to_owned())], kb(), &CheckOptions::default());
    match checked.result {
        Ok(_) => Vec::new(),
        Err(errors) => error_rows(errors),
    }
}

/// Input errors as rows.
pub fn error_rows(errors: Vec<mglint::error::InputError>) -> Vec<ErrorRow> {
    errors
        .into_iter()
        .map(|e| {
            let (l, c) = e.location.map_or((0, 0), |l| (l.pos.line, l.pos.column));
            (e.code.as_str().to_owned(), l, c, e.message, e.help)
        })
        .collect()
}

/// `"severity code node"` for every finding, in report order.
pub fn summary(graph: &Graph, report: &Report) -> Vec<String> {
    report
        .keys()
        .iter()
        .map(|k| format!("{} {} {}", k.severity.as_str(), k.code.as_str(), graph.node(k.node).id))
        .collect()
}

/// The finding with this code on this node.
pub fn finding(graph: &Graph, report: &Report, code: &str, node: &str) -> Option<Finding> {
    report
        .findings(graph, kb())
        .find(|f| f.code.as_str() == code && graph.node(f.node).id == node)
}

/// Whether the node has a finding with this code.
pub fn has(graph: &Graph, report: &Report, code: &str, node: &str) -> bool {
    finding(graph, report, code, node).is_some()
}

/// The clause names of the obligations a node carries (`share-alike:TARGET` for share-alike).
pub fn clauses(graph: &Graph, report: &Report, node: &str) -> Vec<String> {
    let v = graph.find(node).expect("node exists");
    report
        .obligations(v)
        .iter()
        .map(|o| match o.target {
            Some(t) => format!("{}:{}", o.clause, kb().get(t).id),
            None => o.clause.to_owned(),
        })
        .collect()
}

/// The JSON report of a text, as a string.
pub fn json_report(name: &str, text: &str) -> String {
    let checked = mglint::check_inputs(vec![(name.to_owned(), text.to_owned())], kb(), &CheckOptions::default());
    let (out, value) = json_written(&checked, name);
    assert_eq!(out.matches('\n').count(), 1, "the report is one line");
    // Pretty-printed (keys in written order) so golden files can be reviewed by eye.
    serde_json::to_string_pretty(&value).expect("serialisable")
}

/// The JSON report of a checked input named `name`, as written and parsed back.
pub fn json_written(checked: &mglint::Checked, name: &str) -> (String, serde_json::Value) {
    let outcome = match &checked.result {
        Ok((g, r)) => mglint::render::Outcome::Checked { graph: g, report: r },
        Err(e) => mglint::render::Outcome::Unusable(e),
    };
    let run = mglint::render::Run {
        sources: &checked.sources,
        inputs: &[name.to_owned()],
        license_files: &[],
        kb: kb(),
        outcome,
    };
    let mut out = Vec::new();
    mglint::render::json::write(&run, &mut out).expect("write to a Vec");
    let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    (String::from_utf8(out).expect("UTF-8"), value)
}

/// The example graphs of `graphs/`, sorted.
pub fn graph_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("graphs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
        .collect();
    files.sort();
    files
}

/// A parsed document (YAML or JSON) as JSON, keys in written order.
pub fn as_json(v: &mglint::syntax::Value) -> serde_json::Value {
    use mglint::syntax::Kind;
    use serde_json::{Value, json};
    match &v.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => json!(b),
        Kind::Int(i) => json!(i),
        Kind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Kind::Str(s) => json!(s),
        Kind::Seq(items) => Value::Array(items.iter().map(as_json).collect()),
        Kind::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.name.to_string(), as_json(v))).collect()),
    }
}

/// The ids of a JSON report's (or written graph file's) `nodes`, in their order.
pub fn node_ids(report: &serde_json::Value) -> Vec<&str> {
    field_of_each(&report["nodes"], "id")
}

/// The string `key` of each object of a JSON list (`path` hops' ids, obligations' clauses).
pub fn field_of_each<'v>(list: &'v serde_json::Value, key: &str) -> Vec<&'v str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| item[key].as_str().expect("a string"))
        .collect()
}

/// Every path a report could ask for: `(node, origin, atoms)` for every node, every origin
/// of what it carries, and all its atoms together or each alone.
pub fn path_queries(graph: &Graph, prop: &mglint::engine::Propagation) -> Vec<(u32, u32, Vec<mglint::engine::Atom>)> {
    let mut queries = Vec::new();
    for v in 0..graph.nodes.len() as u32 {
        let all: Vec<_> = prop.obligations(v).iter().map(|p| p.0).collect();
        let mut origins: Vec<u32> = prop
            .obligations(v)
            .iter()
            .flat_map(|&(_, set)| prop.origins(set).iter().copied())
            .collect();
        origins.sort_unstable();
        origins.dedup();
        for &o in &origins {
            for atoms in std::iter::once(all.clone()).chain(all.iter().map(|&a| vec![a])) {
                queries.push((v, o, atoms));
            }
        }
    }
    queries
}

/// The strings of a JSON list (`origins`, `origin_licenses`).
pub fn strings(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_str().expect("a string").to_owned())
        .collect()
}
