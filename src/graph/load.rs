//! Reading graph files (`graph-format.md`) into a [`GraphBuilder`], reporting every error.

use super::{Distribute, GraphBuilder, Intent, LicenseText, Node, NodeKind, PendingEdge, Relation, Use};
use crate::error::{InputCode, InputError};
use crate::source::{Location, Pos};
use crate::syntax::read::{MapReader, expect_enum, expect_str};
use crate::syntax::{Kind, Limits, Value, parse_json, parse_yaml};
use std::sync::LazyLock;

/// Whether a file is JSON (by name or by its first character) rather than YAML.
///
/// The extension decides (`.json`, or `.yaml` / `.yml`); without one, a text that starts
/// with `{` is read as JSON (YAML flow style is then tried if the JSON reading fails).
pub fn looks_like_json(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json")
        || (!lower.ends_with(".yaml") && !lower.ends_with(".yml") && text.trim_start().starts_with('{'))
}

/// Parses a file's text as YAML or JSON into a value tree, or one input error.
pub fn parse_document(name: &str, text: &str, file: u32, limits: &Limits) -> Result<Value, InputError> {
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(InputError::at(
            InputCode::ParseError,
            Location {
                file,
                pos: crate::source::pos_of_offset(text, offset),
            },
            "the file contains a NUL byte: it is not a text file",
        ));
    }
    let json = looks_like_json(name, text);
    let parsed = if json {
        // Sniffed, not named, JSON may still be YAML in flow style (`{nodes: [...]}`).
        parse_json(text, limits).or_else(|e| {
            if name.to_ascii_lowercase().ends_with(".json") || e.limit {
                Err(e)
            } else {
                parse_yaml(text, limits).map_err(|_| e)
            }
        })
    } else {
        parse_yaml(text, limits)
    };
    parsed.map_err(|e| {
        let code = if e.limit {
            InputCode::LimitExceeded
        } else {
            InputCode::ParseError
        };
        let what = if json { "JSON" } else { "YAML" };
        let message = if e.limit {
            format!(
                "the {what} exceeds a safety limit (nesting depth, aliases or size): {}",
                e.message
            )
        } else {
            format!("invalid {what}: {}", e.message)
        };
        InputError::at(code, Location { file, pos: e.pos }, message)
    })
}

/// A document that may be a graph file, parsed, with the nodes read while parsing.
#[derive(Debug)]
pub struct GraphDocument {
    /// The document. Its `nodes` list is empty here when its nodes were read one at a
    /// time as the parser reached them, so that a million-node file is never one tree.
    pub tree: Value,
    nodes: NodesRead,
}

/// Nodes read from a `nodes` list, with the errors found in them.
#[derive(Debug, Default)]
struct NodesRead {
    nodes: Vec<Node>,
    /// Each node's `from` references, in the places of `nodes`.
    edges: Vec<Vec<PendingEdge>>,
    errors: Vec<InputError>,
}

impl NodesRead {
    fn read(&mut self, item: &Value, file: u32) {
        if let Some((node, from)) = read_node(item, file, &mut self.errors) {
            self.nodes.push(node);
            self.edges.push(from);
        }
    }

    fn append(&mut self, mut other: NodesRead) {
        self.nodes.append(&mut other.nodes);
        self.edges.append(&mut other.edges);
        self.errors.append(&mut other.errors);
    }
}

/// JSON graph files at least this long are read on all cores (`syntax::parse_json_streaming`).
/// Below it, the other thread's allocator pages cost more than it saves: a 0.7 MB file
/// (10 000 nodes) took 2 ms longer as a whole process on two threads, an 11 MB one the same.
const PARALLEL_MIN_BYTES: usize = 8 << 20;

/// Parses a file like [`parse_document`], reading the nodes of its `nodes` list as they
/// are parsed, so that a million-node file is never one tree (and, for a long JSON file,
/// on all cores). A file that does not parse this way (not a mapping with a non-empty
/// `nodes` list, invalid, a NUL byte) takes the whole-tree path, with its JSON-or-YAML
/// fallback and messages.
pub fn parse_graph(name: &str, text: &str, file: u32, limits: &Limits) -> Result<GraphDocument, InputError> {
    let streamed = if text.contains('\0') {
        None
    } else if looks_like_json(name, text) {
        let parts = if text.len() < PARALLEL_MIN_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        };
        let each = |read: &mut NodesRead, item: Value| read.read(&item, file);
        crate::syntax::parse_json_streaming(text, limits, "nodes", parts, NodesRead::default, each)
            .ok()
            .map(|(tree, parts)| {
                let nodes = parts.into_iter().reduce(|mut all, part| {
                    all.append(part);
                    all
                });
                (tree, nodes.unwrap_or_default())
            })
    } else {
        let mut nodes = NodesRead::default();
        crate::syntax::parse_yaml_streaming(text, limits, "nodes", &mut |item| nodes.read(&item, file))
            .map(|tree| (tree, nodes))
    };
    match streamed {
        Some((tree, nodes)) => Ok(GraphDocument { tree, nodes }),
        None => parse_document(name, text, file, limits).map(GraphDocument::from),
    }
}

impl From<Value> for GraphDocument {
    /// A document parsed whole: its nodes are read from the tree.
    fn from(tree: Value) -> Self {
        Self {
            tree,
            nodes: NodesRead::default(),
        }
    }
}

/// Adds a parsed graph file to the builder.
pub fn read_graph(doc: GraphDocument, file: u32, builder: &mut GraphBuilder) {
    let NodesRead {
        nodes,
        edges,
        mut errors,
    } = doc.nodes;
    read_graph_into(&doc.tree, file, builder, &mut errors);
    builder.add_nodes(nodes, edges);
    for e in errors {
        builder.error(e);
    }
}

fn names<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&t| f(t)).collect()
}

// The choices listed in errors, made once (a million-node file asks for them per node).
static USE_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| names(Use::ALL, Use::as_str));
static DISTRIBUTE_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| names(Distribute::ALL, Distribute::as_str));
static RELATION_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| names(Relation::ALL, Relation::as_str));
static KIND_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| names(NodeKind::ALL, NodeKind::as_str));

const TOP_KEYS: &[&str] = &["mglint", "intent", "nodes"];
const INTENT_KEYS: &[&str] = &["use", "distribute"];
const NODE_KEYS: &[&str] = &[
    "id",
    "kind",
    "license",
    "from",
    "via",
    "use",
    "distribute",
    "name",
    "meta",
];
const EDGE_KEYS: &[&str] = &["id", "via"];

/// Reads the intent keys (`use`, `distribute`) of a map.
fn read_intent(m: &MapReader<'_>, file: u32, errors: &mut Vec<InputError>) -> Intent {
    Intent {
        use_: m
            .get("use")
            .and_then(|v| expect_enum(v, file, "use", Use::parse, &USE_NAMES, errors)),
        distribute: m
            .get("distribute")
            .and_then(|v| expect_enum(v, file, "distribute", Distribute::parse, &DISTRIBUTE_NAMES, errors)),
    }
}

fn read_graph_into(doc: &Value, file: u32, builder: &mut GraphBuilder, errors: &mut Vec<InputError>) {
    let Some(top) = MapReader::new(doc, file, "a graph file", TOP_KEYS, errors) else {
        return;
    };
    if let Some(v) = top.get("mglint")
        && !matches!(v.kind, Kind::Int(1))
    {
        errors.push(
            InputError::at(
                InputCode::UnsupportedVersion,
                top.loc(v),
                "unsupported graph format version: only `mglint: 1` exists",
            )
            .with_help("write `mglint: 1` or leave the key out"),
        );
    }
    if let Some(v) = top.get("intent")
        && let Some(m) = MapReader::new(v, file, "`intent`", INTENT_KEYS, errors)
    {
        builder.set_intent(read_intent(&m, file, errors));
    }
    let Some(nodes) = top.get("nodes") else {
        errors.push(
            InputError::at(
                InputCode::InvalidValue,
                Location { file, pos: doc.pos },
                "a graph file needs a `nodes` list",
            )
            .with_help("add `nodes:` with one entry per artifact"),
        );
        return;
    };
    let Kind::Seq(items) = &nodes.kind else {
        errors.push(InputError::at(
            InputCode::InvalidValue,
            top.loc(nodes),
            format!("`nodes` must be a list, found {}", nodes.type_name()),
        ));
        return;
    };
    for item in items {
        if let Some((node, edges)) = read_node(item, file, errors) {
            builder.add_node(node, edges);
        }
    }
}

fn read_node(item: &Value, file: u32, errors: &mut Vec<InputError>) -> Option<(Node, Vec<PendingEdge>)> {
    let m = MapReader::new(item, file, "a node", NODE_KEYS, errors)?;
    let location = Location { file, pos: item.pos };
    let id = match m.get("id") {
        Some(v) => match expect_str(v, file, "`id`", errors) {
            Some("") => {
                errors.push(InputError::at(
                    InputCode::InvalidValue,
                    m.loc(v),
                    "`id` must not be empty",
                ));
                None
            }
            other => other,
        },
        None => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                location,
                "a node needs an `id`",
            ));
            None
        }
    };
    let via = m
        .get("via")
        .and_then(|v| expect_enum(v, file, "relation (`via`)", Relation::parse, &RELATION_NAMES, errors));
    let via_given = m.get("via").is_some();
    let mut edges = Vec::new();
    if let Some(from) = m.get("from") {
        match &from.kind {
            Kind::Seq(entries) => {
                for entry in entries {
                    if let Some(e) = read_edge(entry, file, via, via_given, errors) {
                        edges.push(e);
                    }
                }
            }
            _ => errors.push(InputError::at(
                InputCode::InvalidValue,
                m.loc(from),
                format!(
                    "`from` must be a list of ids or {{ id, via }} maps, found {}",
                    from.type_name()
                ),
            )),
        }
    }
    let generated = edges.iter().any(|e| e.relation == Relation::Generate);
    let kind = match m.get("kind") {
        Some(v) => {
            let kind = expect_enum(v, file, "kind", NodeKind::parse, &KIND_NAMES, errors);
            if generated && kind.is_some_and(|k| k != NodeKind::Output) {
                errors.push(
                    InputError::at(
                        InputCode::InvalidValue,
                        m.loc(v),
                        "a node made `via: generate` is generated content: its kind must be `output`",
                    )
                    .with_help("remove `kind`, or use another relation"),
                );
            }
            kind
        }
        None if generated => Some(NodeKind::Output),
        None => Some(NodeKind::Model),
    };
    let license = m.get("license").and_then(|v| read_license(v, file, errors));
    let name = m.get("name").and_then(|v| match expect_str(v, file, "`name`", errors) {
        Some(n) if n.trim().is_empty() => {
            errors.push(
                InputError::at(InputCode::InvalidValue, m.loc(v), "`name` must not be empty")
                    .with_help("leave the key out to use the last `/`-segment of the id"),
            );
            None
        }
        other => other.map(str::to_owned),
    });
    let intent = read_intent(&m, file, errors);
    let node = Node {
        id: id?.to_owned(),
        kind: kind?,
        license,
        name,
        intent,
        authored: m.get("meta").is_none_or(|meta| !declares_not_authored(meta)),
        meta: m.get("meta").cloned(),
        location,
    };
    Some((node, edges))
}

/// `meta.authored: false`: a node `mglint import` brought in from a recipe's or card's
/// references, whose findings stay capped at warning when the file is checked.
fn declares_not_authored(meta: &Value) -> bool {
    match &meta.kind {
        Kind::Map(entries) => entries
            .iter()
            .any(|(k, v)| &*k.name == "authored" && v.kind == Kind::Bool(false)),
        _ => false,
    }
}

fn read_license(v: &Value, file: u32, errors: &mut Vec<InputError>) -> Option<LicenseText> {
    let location = Location { file, pos: v.pos };
    let items = match &v.kind {
        Kind::Str(s) => vec![s.clone()],
        Kind::Seq(items) => items
            .iter()
            .filter_map(|i| expect_str(i, file, "a license in a list", errors).map(str::to_owned))
            .collect(),
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                location,
                format!(
                    "`license` must be a license id, a list of ids or an expression, found {}",
                    v.type_name()
                ),
            ));
            return None;
        }
    };
    if items.is_empty() || items.iter().any(|s| s.trim().is_empty()) {
        errors.push(
            InputError::at(InputCode::InvalidValue, location, "`license` must not be empty")
                .with_help("leave the key out when no license is declared"),
        );
        return None;
    }
    Some(LicenseText { items, location })
}

fn read_edge(
    entry: &Value,
    file: u32,
    via: Option<Relation>,
    via_given: bool,
    errors: &mut Vec<InputError>,
) -> Option<PendingEdge> {
    let location = Location { file, pos: entry.pos };
    match &entry.kind {
        Kind::Str(id) => {
            let Some(relation) = via else {
                if !via_given {
                    errors.push(
                        InputError::at(
                            InputCode::MissingVia,
                            location,
                            format!("`from: {}` has no relation: the node has no `via`", super::shown(id)),
                        )
                        .with_help(format!(
                            "add `via:` to the node, or write `{{ id: {}, via: finetune }}`",
                            super::shown(id)
                        )),
                    );
                }
                return None;
            };
            Some(PendingEdge {
                id: id.clone(),
                relation,
                location,
            })
        }
        Kind::Map(_) => {
            let m = MapReader::new(entry, file, "a `from` entry", EDGE_KEYS, errors)?;
            let id = match m.get("id") {
                Some(v) => expect_str(v, file, "`id`", errors),
                None => {
                    errors.push(InputError::at(
                        InputCode::InvalidValue,
                        location,
                        "a `from` entry needs an `id`",
                    ));
                    None
                }
            };
            let relation = match m.get("via") {
                Some(v) => expect_enum(v, file, "relation (`via`)", Relation::parse, &RELATION_NAMES, errors),
                None if via.is_some() => via,
                None => {
                    if !via_given {
                        errors.push(
                            InputError::at(
                                InputCode::MissingVia,
                                location,
                                "this `from` entry has no `via`, and neither has the node",
                            )
                            .with_help("add `via:` to the entry or to the node"),
                        );
                    }
                    None
                }
            };
            Some(PendingEdge {
                id: id?.to_owned(),
                relation: relation?,
                location,
            })
        }
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                location,
                format!(
                    "a `from` entry must be an id or a {{ id, via }} map, found {}",
                    entry.type_name()
                ),
            ));
            None
        }
    }
}

/// The position of the start of a file (for errors about a whole file).
pub fn file_start(file: u32) -> Location {
    Location {
        file,
        pos: Pos { line: 1, column: 1 },
    }
}
