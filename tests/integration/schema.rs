//! The graph file's JSON Schema (`mglint::graph::schema`): the checked-in copy in
//! `docs/graph.schema.json` is current, the schema lists what the loader and the docs list,
//! every example graph is valid under it, and it accepts and rejects what the loader does.
//!
//! The schema is checked with a small validator for the keywords it uses (below): a keyword
//! the validator does not know fails the tests, so the schema cannot outgrow it unnoticed.

use std::path::Path;

use mglint::error::InputCode;
use mglint::graph::load::{parse_document, read_graph};
use mglint::graph::{Distribute, GraphBuilder, NodeKind, Relation, Use};
use mglint::syntax::Limits;
use serde_json::{Value, json};

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("file exists")
}

fn schema() -> Value {
    serde_json::from_str(&mglint::graph::schema::json_schema()).expect("the schema is JSON")
}

#[test]
fn docs_graph_schema_json_is_current() {
    let generated = mglint::graph::schema::json_schema();
    let checked_in = read("docs/graph.schema.json").replace("\r\n", "\n");
    assert!(
        checked_in == generated,
        "docs/graph.schema.json is out of date: regenerate it with `cargo run -- schema > docs/graph.schema.json`"
    );
}

#[test]
fn the_schema_text_is_deterministic_pretty_json_with_a_final_newline() {
    let text = mglint::graph::schema::json_schema();
    assert_eq!(text, mglint::graph::schema::json_schema());
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    assert_eq!(text, format!("{}\n", serde_json::to_string_pretty(&schema()).unwrap()));
    assert_eq!(schema()["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

// ---------------------------------------------------------------------------------------
// What the schema lists.

fn def<'a>(schema: &'a Value, name: &str) -> &'a Value {
    schema["$defs"]
        .get(name)
        .unwrap_or_else(|| panic!("the schema defines `{name}`"))
}

/// The words an enum definition allows: `enum`, or the `const` of each `oneOf` branch
/// (what schemars makes of variants with doc comments).
fn words(definition: &Value) -> Vec<String> {
    let values: Vec<&Value> = match (definition.get("enum"), definition.get("oneOf")) {
        (Some(Value::Array(values)), None) => values.iter().collect(),
        (None, Some(Value::Array(branches))) => branches.iter().map(|b| &b["const"]).collect(),
        _ => panic!("not an enum: {definition}"),
    };
    values
        .into_iter()
        .map(|v| v.as_str().expect("a word").to_owned())
        .collect()
}

fn keys(object_schema: &Value) -> Vec<String> {
    object_schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

/// The keys in the first column of the markdown table under `## {section}`.
fn doc_table_keys(doc: &str, section: &str) -> Vec<String> {
    let start = doc
        .find(&format!("\n## {section}\n"))
        .unwrap_or_else(|| panic!("graph-format.md has `## {section}`"));
    doc[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| row.split('|').nth(1).unwrap().trim().trim_matches('`').to_owned())
        .collect()
}

#[test]
fn the_schema_requires_nodes_and_ids_and_allows_no_other_keys() {
    let s = schema();
    assert_eq!(s["type"], "object");
    assert_eq!(s["required"], json!(["nodes"]));
    assert_eq!(s["properties"]["nodes"]["type"], "array");
    assert_eq!(s["properties"]["nodes"]["items"]["$ref"], "#/$defs/Node");
    let mut version = s["properties"]["mglint"].clone();
    version.as_object_mut().unwrap().remove("description");
    assert_eq!(version, json!({ "type": "integer", "const": 1 }));
    assert_eq!(def(&s, "Node")["required"], json!(["id"]));
    assert_eq!(def(&s, "Edge")["required"], json!(["id"]));
    assert_eq!(def(&s, "Intent").get("required"), None);
    for object in [&s, def(&s, "Intent"), def(&s, "Node"), def(&s, "Edge")] {
        assert_eq!(object["additionalProperties"], json!(false), "{object}");
    }
    // `meta` is the one place where anything goes.
    let meta = def(&s, "Node")["properties"]["meta"].as_object().unwrap();
    assert_eq!(meta.keys().collect::<Vec<_>>(), ["description"]);
    // Keys are never null: `Option` in the schema types means "may be left out".
    assert!(!mglint::graph::schema::json_schema().contains("null"));
}

#[test]
fn the_schema_lists_the_keys_of_graph_format_md() {
    let s = schema();
    let doc = read("docs/graph-format.md");
    assert_eq!(keys(&s), doc_table_keys(&doc, "Top level"));
    assert_eq!(keys(def(&s, "Node")), doc_table_keys(&doc, "Nodes"));
    assert_eq!(keys(def(&s, "Intent")), ["use", "distribute"]);
    assert_eq!(keys(def(&s, "Edge")), ["id", "via"]);
    for (key, description) in [(&s, "mglint"), (def(&s, "Node"), "id"), (def(&s, "Node"), "meta")]
        .map(|(o, k)| (k, &o["properties"][k]["description"]))
    {
        assert!(
            description.as_str().is_some_and(|d| d.len() > 20),
            "`{key}` has no description"
        );
    }
}

#[test]
fn the_schema_enums_are_the_words_the_loader_reads() {
    let s = schema();
    let names = |all: Vec<&'static str>| all.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        words(def(&s, "Relation")),
        names(Relation::ALL.iter().map(|r| r.as_str()).collect())
    );
    assert_eq!(words(def(&s, "Relation")).len(), 9);
    assert_eq!(
        words(def(&s, "NodeKind")),
        names(NodeKind::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(words(def(&s, "NodeKind")).len(), 5);
    assert_eq!(
        words(def(&s, "Use")),
        names(Use::ALL.iter().map(|u| u.as_str()).collect())
    );
    assert_eq!(
        words(def(&s, "Distribute")),
        names(Distribute::ALL.iter().map(|d| d.as_str()).collect())
    );
    let node = def(&s, "Node");
    assert_eq!(node["properties"]["kind"]["$ref"], "#/$defs/NodeKind");
    assert_eq!(node["properties"]["via"]["$ref"], "#/$defs/Relation");
    assert_eq!(def(&s, "Edge")["properties"]["via"]["$ref"], "#/$defs/Relation");
    for intent in [node, def(&s, "Intent")] {
        assert_eq!(intent["properties"]["use"]["$ref"], "#/$defs/Use");
        assert_eq!(intent["properties"]["distribute"]["$ref"], "#/$defs/Distribute");
    }
}

// ---------------------------------------------------------------------------------------
// A validator for the keywords the schema uses (JSON Schema 2020-12 semantics).

struct Validator {
    root: Value,
}

impl Validator {
    fn new() -> Self {
        Self { root: schema() }
    }

    fn accepts(&self, instance: &Value) -> bool {
        self.valid(&self.root, instance)
    }

    fn valid(&self, schema: &Value, v: &Value) -> bool {
        let s = match schema {
            Value::Bool(b) => return *b,
            Value::Object(s) => s,
            _ => panic!("not a schema: {schema}"),
        };
        s.iter().all(|(keyword, k)| match keyword.as_str() {
            "$schema" | "title" | "description" | "$defs" | "then" | "else" => true,
            "$ref" => {
                let pointer = k.as_str().unwrap().strip_prefix('#').expect("a local $ref");
                self.valid(self.root.pointer(pointer).expect("$ref resolves"), v)
            }
            "type" => match k {
                Value::String(t) => has_type(v, t),
                Value::Array(ts) => ts.iter().any(|t| has_type(v, t.as_str().unwrap())),
                _ => panic!("bad type {k}"),
            },
            "const" => equal(k, v),
            "enum" => k.as_array().unwrap().iter().any(|e| equal(e, v)),
            "properties" => v.as_object().is_none_or(|o| {
                o.iter()
                    .all(|(key, value)| k.get(key).is_none_or(|sub| self.valid(sub, value)))
            }),
            "additionalProperties" => v.as_object().is_none_or(|o| {
                let listed = s.get("properties").and_then(Value::as_object);
                o.iter()
                    .filter(|(key, _)| listed.is_none_or(|p| !p.contains_key(*key)))
                    .all(|(_, value)| self.valid(k, value))
            }),
            "required" => v.as_object().is_none_or(|o| {
                k.as_array()
                    .unwrap()
                    .iter()
                    .all(|key| o.contains_key(key.as_str().unwrap()))
            }),
            "items" => v.as_array().is_none_or(|a| a.iter().all(|i| self.valid(k, i))),
            "contains" => v.as_array().is_none_or(|a| a.iter().any(|i| self.valid(k, i))),
            "minItems" => v.as_array().is_none_or(|a| a.len() as u64 >= k.as_u64().unwrap()),
            "minLength" => v
                .as_str()
                .is_none_or(|t| t.chars().count() as u64 >= k.as_u64().unwrap()),
            "maxLength" => v
                .as_str()
                .is_none_or(|t| t.chars().count() as u64 <= k.as_u64().unwrap()),
            "pattern" => {
                assert_eq!(k, r"\S", "the validator knows only the pattern `\\S`");
                v.as_str().is_none_or(|t| t.chars().any(|c| !c.is_whitespace()))
            }
            "anyOf" => k.as_array().unwrap().iter().any(|b| self.valid(b, v)),
            "oneOf" => k.as_array().unwrap().iter().filter(|b| self.valid(b, v)).count() == 1,
            "allOf" => k.as_array().unwrap().iter().all(|b| self.valid(b, v)),
            "not" => !self.valid(k, v),
            "if" => {
                let branch = if self.valid(k, v) { "then" } else { "else" };
                s.get(branch).is_none_or(|b| self.valid(b, v))
            }
            other => panic!("the test's validator does not know the keyword `{other}`: teach it"),
        })
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        // 2020-12: any number with a zero fractional part.
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => panic!("unknown type {t}"),
    }
}

/// JSON Schema equality: numbers compare by value (`1` equals `1.0`).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn parse(name: &str, text: &str) -> (mglint::syntax::Value, Value) {
    let doc = parse_document(name, text, 0, &Limits::default())
        .unwrap_or_else(|e| panic!("{name} does not parse: {}", e.message));
    let json = crate::support::as_json(&doc);
    (doc, json)
}

/// The codes of the loader's errors for a file (empty: accepted).
fn loader_errors(name: &str, text: &str) -> Vec<InputCode> {
    let (doc, _) = parse(name, text);
    let mut builder = GraphBuilder::new();
    read_graph(doc.into(), 0, &mut builder);
    match builder.finish() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.code).collect(),
    }
}

#[test]
fn the_validator_follows_the_schema_keywords() {
    let v = Validator::new();
    assert!(v.valid(&json!({ "type": "integer" }), &json!(1.0)));
    assert!(!v.valid(&json!({ "type": "integer" }), &json!(1.5)));
    assert!(v.valid(&json!({ "if": { "const": 1 }, "then": false }), &json!(2)));
    assert!(!v.valid(&json!({ "if": { "const": 1 }, "then": false }), &json!(1)));
    assert!(!v.valid(&json!({ "oneOf": [true, true] }), &json!(1)));
    assert!(v.valid(&json!({ "properties": { "a": false } }), &json!({ "b": 1 })));
    assert!(!v.valid(&json!({ "additionalProperties": false }), &json!({ "b": 1 })));
}

#[test]
fn every_example_graph_is_valid_under_the_schema() {
    let v = Validator::new();
    let files = crate::support::graph_files();
    assert!(files.len() >= 8, "only {} example graphs", files.len());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (_, json) = parse(&name, &std::fs::read_to_string(&path).unwrap());
        assert!(v.accepts(&json), "graphs/{name} is not valid under the schema");
    }
}

#[test]
fn every_graph_in_graph_format_md_is_valid_under_the_schema() {
    let v = Validator::new();
    let doc = read("docs/graph-format.md");
    let mut checked = 0;
    for (lang, name) in [("yaml", "example.yaml"), ("json", "example.json")] {
        for block in doc.split(&format!("```{lang}\n")).skip(1) {
            let text = block.split("```").next().unwrap();
            if !text.contains("nodes") {
                continue; // a license file or a fragment
            }
            let (_, json) = parse(name, text);
            assert!(
                v.accepts(&json),
                "this example of graph-format.md is not valid:\n{text}"
            );
            assert_eq!(loader_errors(name, text), [], "the loader rejects:\n{text}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} graphs found in graph-format.md");
}

// ---------------------------------------------------------------------------------------
// The schema and the loader agree.

const ACCEPTED: &[&str] = &[
    "nodes: []",
    "mglint: 1\nnodes: [{id: a}]",
    r#"{"mglint": 1, "intent": {"use": "commercial"}, "nodes": [{"id": "a", "license": "MIT"}]}"#,
    "intent: {use: non-commercial, distribute: service}\nnodes: [{id: a, license: [MIT, Apache-2.0]}]",
    "nodes:\n  - {id: a, license: 'MIT OR Apache-2.0', meta: {anything: [1, {x: null}], authored: false}}\n  - {id: b, via: finetune, from: [a, {id: a, via: copy}]}",
    "nodes: [{id: a, meta: null}, {id: ' b', name: B, use: commercial, distribute: private}]",
    "nodes: [{id: a, via: copy}, {id: b, from: []}]",
    "nodes: [{id: a}, {id: b, via: train, from: [{id: a}]}]",
    "nodes: [{id: a}, {id: b, via: generate, from: [a]}]",
    "nodes: [{id: a}, {id: b, kind: output, from: [{id: a, via: generate}]}]",
    "nodes: [{id: a}, {id: b, kind: dataset, via: generate, from: [{id: a, via: train}]}]",
    "nodes: [{id: a}, {id: b, kind: bundle, via: combine, from: [a]}]",
];

const REJECTED: &[&str] = &[
    "",
    "- id: a",
    "{}",
    "nodes: {}",
    "nodes: [a]",
    "mglint: 2\nnodes: []",
    "mglint: '1'\nnodes: []",
    "mglint: 1.5\nnodes: []",
    "version: 1\nnodes: []",
    "intent: null\nnodes: []",
    "intent: {use: commercial, audience: all}\nnodes: []",
    "intent: {use: sold}\nnodes: []",
    "nodes: [{license: MIT}]",
    "nodes: [{id: ''}]",
    "nodes: [{id: 7}]",
    "nodes: [{id: a, notes: x}]",
    "nodes: [{id: a, kind: weights}]",
    "nodes: [{id: a, kind: null}]",
    "nodes: [{id: a, license: ''}]",
    "nodes: [{id: a, license: '  '}]",
    "nodes: [{id: a, license: []}]",
    "nodes: [{id: a, license: [MIT, '']}]",
    "nodes: [{id: a, license: [MIT, 2]}]",
    "nodes: [{id: a, license: {id: MIT}}]",
    "nodes:\n  - id: a\n    license:\n",
    "nodes: [{id: a, name: ''}]",
    "nodes: [{id: a, name: '  '}]",
    "nodes: [{id: a, use: personal}]",
    "nodes: [{id: a, distribute: internal}]",
    "nodes: [{id: a, via: fork}]",
    "nodes: [{id: a}, {id: b, from: [a]}]",
    "nodes: [{id: a}, {id: b, from: [{id: a}]}]",
    "nodes: [{id: a}, {id: b, from: [{id: a, via: fork}]}]",
    "nodes: [{id: a}, {id: b, from: [{via: copy}]}]",
    "nodes: [{id: a}, {id: b, from: [{id: a, via: copy, note: x}]}]",
    "nodes: [{id: a}, {id: b, via: copy, from: a}]",
    "nodes: [{id: a}, {id: b, via: copy, from: [7]}]",
    "nodes: [{id: a}, {id: b, kind: model, via: generate, from: [a]}]",
    "nodes: [{id: a}, {id: b, kind: dataset, from: [{id: a, via: generate}]}]",
    "nodes: [{id: a}, {id: b, kind: dataset, via: generate, from: [{id: a}]}]",
    "nodes: [{id: a}, {id: b, kind: code, via: train, from: [a, {id: a, via: generate}]}]",
];

/// Files the loader rejects for what a schema cannot see (references between nodes, and
/// JSON numbers, which compare by value in JSON Schema).
const ONLY_THE_LOADER_REJECTS: &[(&str, &[InputCode])] = &[
    (
        "nodes: [{id: a}, {id: a}]",
        &[InputCode::DuplicateId, InputCode::DuplicateId],
    ),
    (
        "nodes: [{id: b, via: copy, from: [a]}]",
        &[InputCode::DanglingReference],
    ),
    (
        "nodes: [{id: a, via: copy, from: [b]}, {id: b, via: copy, from: [a]}]",
        &[InputCode::Cycle],
    ),
    (r#"{"mglint": 1.0, "nodes": []}"#, &[InputCode::UnsupportedVersion]),
];

fn name_for(text: &str) -> &'static str {
    if text.starts_with('{') && text.contains('"') {
        "case.json"
    } else {
        "case.yaml"
    }
}

#[test]
fn the_schema_accepts_what_the_loader_accepts() {
    let v = Validator::new();
    for text in ACCEPTED {
        let name = name_for(text);
        assert_eq!(loader_errors(name, text), [], "the loader rejects:\n{text}");
        assert!(v.accepts(&parse(name, text).1), "the schema rejects:\n{text}");
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects_as_a_wrong_key_or_value() {
    let v = Validator::new();
    for text in REJECTED {
        let name = name_for(text);
        let codes = loader_errors(name, text);
        assert!(!codes.is_empty(), "the loader accepts:\n{text}");
        assert!(
            codes.iter().all(|c| matches!(
                c,
                InputCode::InvalidValue
                    | InputCode::UnknownField
                    | InputCode::MissingVia
                    | InputCode::UnsupportedVersion
            )),
            "{codes:?} for:\n{text}"
        );
        assert!(!v.accepts(&parse(name, text).1), "the schema accepts:\n{text}");
    }
}

#[test]
fn what_the_schema_cannot_see_is_left_to_the_loader() {
    let v = Validator::new();
    for (text, codes) in ONLY_THE_LOADER_REJECTS {
        let name = name_for(text);
        assert_eq!(loader_errors(name, text), *codes, "for:\n{text}");
        assert!(v.accepts(&parse(name, text).1), "the schema now rejects:\n{text}");
    }
}

#[test]
fn the_schema_and_the_loader_agree_on_the_longest_id() {
    let v = Validator::new();
    for (chars, accepted) in [(1024, true), (1025, false)] {
        let id = "é".repeat(chars);
        for text in [
            format!("nodes:\n  - id: {id}\n    license: MIT\n"),
            format!("nodes:\n  - id: a\n    license: MIT\n  - id: b\n    via: finetune\n    from: [a, {id}]\n"),
            format!("nodes:\n  - id: a\n    license: MIT\n  - id: b\n    from: [{{ id: {id}, via: merge }}]\n"),
        ] {
            let codes = loader_errors("g.yaml", &text);
            // A reference within the limit names no node: only the loader sees that.
            assert!(
                codes
                    .iter()
                    .all(|&c| matches!(c, InputCode::DanglingReference | InputCode::LimitExceeded)),
                "{codes:?}"
            );
            assert_eq!(
                codes.contains(&InputCode::LimitExceeded),
                !accepted,
                "{codes:?}, {chars} characters"
            );
            assert_eq!(
                v.accepts(&parse("g.yaml", &text).1),
                accepted,
                "the schema, {chars} characters"
            );
        }
    }
}
