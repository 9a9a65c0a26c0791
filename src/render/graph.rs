//! `mglint import`: a graph as a graph file (`graph-format.md`), YAML or JSON, to commit
//! and edit. Nodes come upstream first (the graph's topological order), so the file
//! reads from the base models down to the result.

use std::io::Write;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value as Json, json};

use crate::graph::{Distribute, Graph, NodeIx, NodeKind, Use};
use crate::syntax::{Kind, Value};

/// A positioned value as JSON (`meta` is free-form).
fn to_json(v: &Value) -> Json {
    match &v.kind {
        Kind::Null => Json::Null,
        Kind::Bool(b) => json!(b),
        Kind::Int(i) => json!(i),
        Kind::Float(f) => json!(f),
        Kind::Str(s) => json!(s),
        Kind::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Json::Object(entries.iter().map(|(k, v)| (k.name.to_string(), to_json(v))).collect()),
    }
}

/// The graph file's lines before its nodes (`mglint`, `intent`) as a JSON object.
fn header(graph: &Graph) -> Map<String, Json> {
    let mut doc = Map::new();
    doc.insert("mglint".into(), json!(1));
    let intent = &graph.intent;
    if intent.use_.is_some() || intent.distribute.is_some() {
        let mut i = Map::new();
        if let Some(u) = intent.use_ {
            i.insert("use".into(), json!(Use::as_str(u)));
        }
        if let Some(d) = intent.distribute {
            i.insert("distribute".into(), json!(Distribute::as_str(d)));
        }
        doc.insert("intent".into(), Json::Object(i));
    }
    doc
}

/// One node of the graph file. A node an importer brought in (not authored) says so in
/// `meta.authored: false`, so checking the file gives the findings checking the recipe or
/// card gave. Nodes are made one at a time: a million-node graph is never one JSON value.
fn node(graph: &Graph, v: NodeIx) -> Map<String, Json> {
    let node = graph.node(v);
    let mut n = Map::new();
    n.insert("id".into(), json!(node.id));
    if node.kind != NodeKind::Model {
        n.insert("kind".into(), json!(node.kind.as_str()));
    }
    if let Some(l) = &node.license {
        n.insert(
            "license".into(),
            match l.items.as_slice() {
                [one] => json!(one),
                many => json!(many),
            },
        );
    }
    if let Some(name) = &node.name {
        n.insert("name".into(), json!(name));
    }
    if let Some(u) = node.intent.use_ {
        n.insert("use".into(), json!(u.as_str()));
    }
    if let Some(d) = node.intent.distribute {
        n.insert("distribute".into(), json!(d.as_str()));
    }
    let from: Vec<Json> = graph.inputs[v as usize]
        .iter()
        .map(|e| json!({ "id": graph.node(e.from).id, "via": e.relation.as_str() }))
        .collect();
    if !from.is_empty() {
        n.insert("from".into(), Json::Array(from));
    }
    let mut meta = match node.meta.as_ref().map(to_json) {
        Some(Json::Object(m)) => m,
        _ => Map::new(),
    };
    if !node.authored {
        meta.insert("authored".into(), json!(false));
    }
    if !meta.is_empty() {
        n.insert("meta".into(), Json::Object(meta));
    }
    n
}

/// The whole graph file for serde: the header, then `nodes` made one at a time as they
/// are serialised, so a million-node graph is never one JSON value.
struct Document<'g>(&'g Graph);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let header = header(self.0);
        let mut map = serializer.serialize_map(Some(header.len() + 1))?;
        for (key, value) in &header {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("nodes", &Nodes(self.0))?;
        map.end()
    }
}

/// The `nodes` list, in topological order.
struct Nodes<'g>(&'g Graph);

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.order.iter().map(|&v| node(self.0, v)))
    }
}

/// A scalar as YAML: plain when it cannot be read as anything but that string, else a
/// JSON string (which YAML reads the same).
fn scalar(v: &Json) -> String {
    let Json::String(s) = v else {
        return v.to_string();
    };
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "._/-+@".contains(c))
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain { s.clone() } else { v.to_string() }
}

/// A value in YAML flow style (JSON with plain scalars where safe).
fn flow(v: &Json) -> String {
    match v {
        Json::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Json::Object(m) => format!(
            "{{ {} }}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", scalar(&json!(k)), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => scalar(other),
    }
}

/// Writes the graph file, nodes in topological order (upstream first): YAML (a comment
/// naming the inputs, then block style with flow maps for edges and `meta`), or JSON
/// (what `serde_json` writes pretty-printed).
pub fn write(graph: &Graph, inputs: &[String], json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    if json {
        serde_json::to_writer_pretty(&mut out, &Document(graph))?;
        writeln!(out)?;
        return out.flush();
    }
    writeln!(out, "# Imported by mglint from {}.", inputs.join(", "))?;
    writeln!(
        out,
        "# Edit it (licenses, intent) and check it with `mglint check`; meta.license_source says where each license was found."
    )?;
    for (key, value) in header(graph) {
        writeln!(out, "{key}: {}", flow(&value))?;
    }
    writeln!(out, "nodes:")?;
    for &v in &graph.order {
        for (i, (k, v)) in node(graph, v).iter().enumerate() {
            let lead = if i == 0 { "  - " } else { "    " };
            match (k.as_str(), v) {
                ("from", Json::Array(edges)) => {
                    writeln!(out, "{lead}from:")?;
                    for e in edges {
                        writeln!(out, "      - {}", flow(e))?;
                    }
                }
                _ => writeln!(out, "{lead}{k}: {}", flow(v))?,
            }
        }
    }
    out.flush()
}
