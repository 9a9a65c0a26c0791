//! `--format json`: the machine-readable report (`cli.md`, "JSON output").
//!
//! Written compactly (one line) and streamed: findings and nodes are serialised straight
//! from the report, with no intermediate copy, so a million-node report costs little
//! more memory than the report itself. `jq .` pretty-prints it.

use std::cell::RefCell;

use serde::{Serialize, Serializer};

use super::{Outcome, Run};
use crate::checks::{Finding, Severity};
use crate::error::InputError;
use crate::graph::Graph;
use crate::source::{Location, Sources};

/// The version of the JSON report format.
pub const SCHEMA_VERSION: u32 = 1;

/// Serialises an iterator as a JSON array, once.
struct Seq<I>(RefCell<Option<I>>);

fn seq<I>(iter: I) -> Seq<I> {
    Seq(RefCell::new(Some(iter)))
}

impl<I> Serialize for Seq<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(iter) => s.collect_seq(iter),
            None => s.collect_seq(std::iter::empty::<()>()),
        }
    }
}

#[derive(Serialize)]
struct Report<'a, F, N> {
    schema_version: u32,
    tool: Tool<'a>,
    inputs: &'a [String],
    license_files: &'a [String],
    summary: Summary,
    findings: F,
    nodes: N,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_errors: Option<Vec<JInputError<'a>>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'static str,
    knowledge_base: &'a str,
}

#[derive(Serialize, Default)]
struct Summary {
    nodes: usize,
    edges: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JLocation<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

fn location<'a>(sources: &'a Sources, loc: Location) -> JLocation<'a> {
    JLocation {
        file: &sources.get(loc.file).name,
        line: loc.pos.line,
        column: loc.pos.column,
    }
}

#[derive(Serialize)]
struct JHop<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'static str>,
}

#[derive(Serialize)]
struct JFinding<'a, O, P> {
    code: &'static str,
    severity: &'static str,
    node: &'a str,
    origins: O,
    origin_licenses: &'a [String],
    path: P,
    message: &'a str,
    help: &'a str,
    location: JLocation<'a>,
}

#[derive(Serialize)]
struct JObligation<'a, O> {
    clause: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    origins: O,
}

#[derive(Serialize)]
struct JNode<'a, O> {
    id: &'a str,
    kind: &'static str,
    license: Option<&'a str>,
    #[serde(rename = "use")]
    use_: Option<&'static str>,
    distribute: &'static str,
    obligations: O,
    suggested_license: Option<&'a str>,
}

/// `cli.md` gives input errors exactly `code`, `message` and `location`: a hint (did you
/// mean ...) is part of the message.
#[derive(Serialize)]
struct JInputError<'a> {
    code: &'static str,
    message: String,
    location: Option<JLocation<'a>>,
}

fn ids<'a>(graph: &'a Graph, nodes: &'a [u32]) -> Seq<impl Iterator<Item = &'a str>> {
    seq(nodes.iter().map(|&o| graph.node(o).id.as_str()))
}

fn finding<'a>(graph: &'a Graph, sources: &'a Sources, f: &'a Finding) -> impl Serialize + 'a {
    JFinding {
        code: f.code.as_str(),
        severity: f.severity.as_str(),
        node: &graph.node(f.node).id,
        origins: ids(graph, &f.origins),
        origin_licenses: &f.origin_licenses,
        path: seq(f.path.iter().map(|h| JHop {
            id: &graph.node(h.node).id,
            via: h.via.map(|r| r.as_str()),
        })),
        message: &f.message,
        help: &f.help,
        location: location(sources, f.location),
    }
}

/// Writes the JSON report.
pub fn write(run: &Run<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let written = match &run.outcome {
        Outcome::Unusable(errors) => serde_json::to_writer(
            &mut w,
            &envelope(
                run,
                Summary::default(),
                [(); 0],
                [(); 0],
                Some(errors.iter().map(|e| input_error(run.sources, e)).collect()),
            ),
        ),
        Outcome::Checked { graph, report } => {
            // Node indices are in id order, so this is the documented order.
            let nodes = (0..graph.nodes.len() as u32).map(|v| {
                let node = graph.node(v);
                let nr = &report.nodes[v as usize];
                JNode {
                    id: &node.id,
                    kind: node.kind.as_str(),
                    license: report.licenses[v as usize].canonical(),
                    use_: nr.intent.use_.map(|u| u.as_str()),
                    distribute: nr.intent.distribute.as_str(),
                    obligations: seq(report.obligations(v).into_iter().map(|o| JObligation {
                        clause: o.clause,
                        target: o.target.map(|t| run.kb.get(t).id.as_str()),
                        origins: seq(o.origins.into_iter().map(|x| graph.node(x).id.as_str())),
                    })),
                    suggested_license: nr
                        .permitted
                        .as_ref()
                        .and_then(|p| p.first())
                        .map(|&l| run.kb.get(l).id.as_str()),
                }
            });
            let summary = Summary {
                nodes: graph.nodes.len(),
                edges: graph.edge_count(),
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
                infos: report.count(Severity::Info),
            };
            let findings = seq(report.findings.iter().map(|f| finding(graph, run.sources, f)));
            serde_json::to_writer(&mut w, &envelope(run, summary, findings, seq(nodes), None))
        }
    };
    // `From` keeps an I/O error's kind (a closed pipe is not a failure of ours).
    written.map_err(std::io::Error::from)?;
    std::io::Write::write_all(&mut w, b"\n")?;
    std::io::Write::flush(&mut w)
}

/// The report object around its findings and nodes.
fn envelope<'a, F, N>(
    run: &'a Run<'_>,
    summary: Summary,
    findings: F,
    nodes: N,
    input_errors: Option<Vec<JInputError<'a>>>,
) -> Report<'a, F, N> {
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "mglint",
            version: env!("CARGO_PKG_VERSION"),
            knowledge_base: run.kb.fingerprint(),
        },
        inputs: run.inputs,
        license_files: run.license_files,
        summary,
        findings,
        nodes,
        input_errors,
    }
}

fn input_error<'a>(sources: &'a Sources, e: &'a InputError) -> JInputError<'a> {
    JInputError {
        code: e.code.as_str(),
        message: match &e.help {
            Some(help) => format!("{} ({help})", e.message),
            None => e.message.clone(),
        },
        location: e.location.map(|l| location(sources, l)),
    }
}
