//! `mglint dot`: the lineage as a Graphviz diagram, built as `dot_structures` (graphviz-rust)
//! and printed by its printer. Nodes are shaped by kind and filled by the kind of license
//! they declare; their border says whether they have an error, a warning or neither;
//! edges carry their relation, and the path of every error is drawn in red from its
//! origin to the node. Generations (longest distance from a root) share a rank, left to
//! right, so a wide lineage stays readable.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as Dot, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use rustc_hash::FxHashSet;

use crate::checks::{Report, Severity};
use crate::engine::UNKNOWN;
use crate::graph::{Graph, NodeIx, NodeKind};
use crate::kb::{ClauseKind, Family, KnowledgeBase};

/// What a node's own license is, for its fill colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    ModelGo,
    Permissive,
    Copyleft,
    Restricted,
    UseRestricted,
    Unknown,
    Undeclared,
}

impl Class {
    const ALL: [Self; 7] = [
        Self::ModelGo,
        Self::Permissive,
        Self::Copyleft,
        Self::Restricted,
        Self::UseRestricted,
        Self::Unknown,
        Self::Undeclared,
    ];

    fn fill(self) -> &'static str {
        match self {
            Self::ModelGo => "#cfe2ff",
            Self::Permissive => "#d1f0d1",
            Self::Copyleft => "#fff3b0",
            Self::Restricted => "#ffd6cc",
            Self::UseRestricted => "#e8d5f5",
            Self::Unknown => "#d9d9d9",
            Self::Undeclared => "#ffffff",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            Self::ModelGo => "ModelGo, attribution at most (MG0, MG-BY)",
            Self::Permissive => "permissive / public domain",
            Self::Copyleft => "copyleft (share-alike)",
            Self::Restricted => "non-commercial / no-derivatives",
            Self::UseRestricted => "use restrictions (RAIL, Llama, Gemma, MG RAI)",
            Self::Unknown => "unknown license",
            Self::Undeclared => "no license declared",
        }
    }
}

/// The class of a node from the licenses its own value uses.
fn class(graph: &Graph, report: &Report, kb: &KnowledgeBase, v: NodeIx) -> Class {
    if graph.node(v).license.is_none() {
        return Class::Undeclared;
    }
    let terms = report.terms(v);
    if terms.is_empty() || terms.contains(&UNKNOWN) {
        return Class::Unknown;
    }
    let any = |f: &dyn Fn(&crate::kb::License) -> bool| terms.iter().any(|&t| f(kb.get(t)));
    if any(&|l| l.has(ClauseKind::NonCommercial) || l.has(ClauseKind::NoDerivatives)) {
        Class::Restricted
    } else if any(&|l| l.has(ClauseKind::ShareAlike)) {
        Class::Copyleft
    } else if any(&|l| l.has(ClauseKind::UseRestrictions)) {
        Class::UseRestricted
    } else if any(&|l| l.family == Family::ModelGo) {
        Class::ModelGo
    } else {
        Class::Permissive
    }
}

/// Whether the node's own license is a ModelGo license (drawn with a double outline, its
/// options told by the fill like any other license's clauses).
fn modelgo(report: &Report, kb: &KnowledgeBase, v: NodeIx) -> bool {
    report
        .terms(v)
        .iter()
        .any(|&t| t != UNKNOWN && kb.get(t).family == Family::ModelGo)
}

fn shape(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Model => "box",
        NodeKind::Dataset => "cylinder",
        NodeKind::Code => "note",
        NodeKind::Output => "parallelogram",
        NodeKind::Bundle => "component",
    }
}

/// A DOT string: quotes and backslashes escaped, newlines as `\n` (so an id with `"`,
/// `\`, braces or `->` stays one id).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The inverse of [`quote`] (for tests that parse the DOT back).
pub fn unquote(s: &str) -> String {
    let inner = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_owned()), Id::Escaped(quote(value)))
}

fn node_id(id: &str) -> NodeId {
    NodeId(Id::Escaped(quote(id)), None)
}

/// Each node's generation: the longest number of edges from a root.
fn generations(graph: &Graph) -> Vec<usize> {
    let mut depth = vec![0usize; graph.nodes.len()];
    for &v in &graph.order {
        depth[v as usize] = graph.inputs[v as usize]
            .iter()
            .map(|e| depth[e.from as usize] + 1)
            .max()
            .unwrap_or(0);
    }
    depth
}

/// How many origins of an error have their path drawn (the first, by id). A chain whose
/// every node declares a non-commercial license has an error per node from every node
/// above: searching all those paths was cubic (9 000 nodes: 51 s), for a diagram no one
/// could read.
const ERROR_PATHS: usize = 8;

/// The diagram as DOT structures.
pub fn diagram(graph: &Graph, report: &Report, kb: &KnowledgeBase) -> Dot {
    let mut worst: Vec<Option<Severity>> = vec![None; graph.nodes.len()];
    let mut on_error_path: FxHashSet<(NodeIx, NodeIx)> = FxHashSet::default();
    let mut paths = report.reader(graph, kb);
    for f in report.findings(graph, kb) {
        let w = &mut worst[f.node as usize];
        if f.severity != Severity::Info && w.is_none_or(|s| f.severity < s) {
            *w = Some(f.severity);
        }
        if f.severity == Severity::Error {
            for path in paths.origin_paths(&f, ERROR_PATHS) {
                on_error_path.extend(path.windows(2).map(|w| (w[0].node, w[1].node)));
            }
        }
    }
    let mut stmts: Vec<Stmt> = vec![
        Stmt::Attribute(attr("rankdir", "LR")),
        Stmt::Attribute(attr("fontname", "Helvetica")),
        Stmt::Attribute(attr("nodesep", "0.3")),
        Stmt::Attribute(attr("ranksep", "0.6")),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
            attr("style", "filled"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
            attr("color", "#555555"),
        ])),
    ];
    let gens = generations(graph);
    let max_gen = gens.iter().copied().max().unwrap_or(0);
    for g in 0..=max_gen {
        let mut rank = vec![Stmt::Attribute(attr("rank", "same"))];
        for v in (0..graph.nodes.len() as NodeIx).filter(|&v| gens[v as usize] == g) {
            let node = graph.node(v);
            let license = report.licenses[v as usize].canonical().unwrap_or("no license");
            let (color, width, status) = match worst[v as usize] {
                Some(Severity::Error) => ("#d00000", "3", "error"),
                Some(_) => ("#e69500", "2.5", "warning"),
                None => ("#666666", "1", "ok"),
            };
            let label = match &node.name {
                Some(name) => format!("{name}\n{}\n{license}", node.id),
                None => format!("{}\n{license}", node.id),
            };
            let mut attrs = vec![
                attr("label", &label),
                attr("shape", shape(node.kind)),
                attr("fillcolor", class(graph, report, kb, v).fill()),
                attr("color", color),
                attr("penwidth", width),
                attr("tooltip", &format!("{} ({}): {status}", node.id, node.kind)),
            ];
            if !node.authored {
                attrs.push(attr("style", "filled,dashed"));
            }
            if modelgo(report, kb, v) {
                attrs.push(attr("peripheries", "2"));
            }
            rank.push(Stmt::Node(Node::new(node_id(&node.id), attrs)));
        }
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("gen{g}")),
            stmts: rank,
        }));
    }
    for v in 0..graph.nodes.len() as NodeIx {
        for e in &graph.inputs[v as usize] {
            let mut attrs = vec![attr("label", e.relation.as_str())];
            if on_error_path.contains(&(e.from, v)) {
                attrs.extend([
                    attr("color", "#d00000"),
                    attr("fontcolor", "#d00000"),
                    attr("penwidth", "2.5"),
                ]);
            }
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(
                    Vertex::N(node_id(&graph.node(e.from).id)),
                    Vertex::N(node_id(&graph.node(v).id)),
                ),
                attributes: attrs,
            }));
        }
    }
    // The legend's id must not be a node's.
    let mut legend_id = String::from("mglint legend");
    while graph.find(&legend_id).is_some() {
        legend_id.push('*');
    }
    stmts.push(Stmt::Subgraph(legend(&legend_id)));
    Dot::DiGraph {
        id: Id::Plain("lineage".to_owned()),
        strict: false,
        stmts,
    }
}

/// The legend: one compact table (an HTML-like label), drawn after the last generation.
fn legend(id: &str) -> Subgraph {
    let mut rows = String::new();
    for c in Class::ALL {
        rows.push_str(&format!(
            r#"<TR><TD BGCOLOR="{}" BORDER="1"> </TD><TD ALIGN="LEFT">{}</TD></TR>"#,
            c.fill(),
            c.legend()
        ));
    }
    for (color, what) in [
        ("#d00000", "red border: the node has an error"),
        ("#e69500", "orange border: a warning"),
        ("#555555", "grey border: no error or warning"),
        ("#555555", "double outline: a ModelGo license"),
        ("#555555", "dashed border: brought in by an importer"),
        ("#d00000", "red edge: the path of an error"),
    ] {
        rows.push_str(&format!(
            r#"<TR><TD></TD><TD ALIGN="LEFT"><FONT COLOR="{color}">{what}</FONT></TD></TR>"#
        ));
    }
    let table = format!(
        r##"<<TABLE BORDER="1" COLOR="#bbbbbb" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2"><TR><TD COLSPAN="2"><B>Legend</B></TD></TR>{rows}</TABLE>>"##
    );
    Subgraph {
        id: Id::Plain("legend".to_owned()),
        stmts: vec![
            Stmt::Attribute(attr("rank", "sink")),
            Stmt::Node(Node::new(
                node_id(id),
                vec![
                    Attribute(Id::Plain("label".to_owned()), Id::Html(table)),
                    attr("shape", "plaintext"),
                    attr("style", ""),
                ],
            )),
        ],
    }
}

/// The diagram as DOT text.
pub fn write(graph: &Graph, report: &Report, kb: &KnowledgeBase, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text = diagram(graph, report, kb).print(&mut PrinterContext::default());
    writeln!(out, "{text}")
}

/// Runs Graphviz's `dot` on DOT text, writing `format` (`svg`, `png`) to `output` (`-`:
/// standard output). What Graphviz says on standard error (a bitmap scaled down, say) is
/// passed on. When `dot` is not installed this is a `tool-missing` error that says how
/// to install it.
pub fn render(dot: &[u8], format: &str, output: &str) -> Result<(), crate::error::InputError> {
    use crate::error::{InputCode, InputError};
    use std::process::{Command, Stdio};
    let mut command = Command::new("dot");
    command.arg(format!("-T{format}"));
    if output != "-" {
        command.arg("-o").arg(output);
    }
    let spawned = command
        .stdin(Stdio::piped())
        .stdout(if output == "-" { Stdio::inherit() } else { Stdio::null() })
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(InputError::nowhere(
                InputCode::ToolMissing,
                "rendering needs Graphviz's `dot`, which is not installed (or not on PATH)",
            )
            .with_help(
                "install Graphviz (`apt-get install graphviz`, `brew install graphviz`, `choco install graphviz`), \
                 or write DOT without --render and render it elsewhere",
            ));
        }
        Err(e) => return Err(InputError::nowhere(InputCode::Io, format!("cannot run `dot`: {e}"))),
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(dot)
            .map_err(|e| InputError::nowhere(InputCode::Io, format!("cannot write to `dot`: {e}")))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| InputError::nowhere(InputCode::Io, format!("`dot` failed: {e}")))?;
    let said = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        for line in said.lines().filter(|l| !l.trim().is_empty()) {
            eprintln!("graphviz: {line}");
        }
        Ok(())
    } else {
        Err(InputError::nowhere(
            InputCode::Io,
            format!("`dot` failed: {}", said.trim()),
        ))
    }
}
