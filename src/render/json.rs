//! `--format json`: the machine-readable report (`cli.md`, "JSON output").

use serde::Serialize;

use super::{Outcome, Run};
use crate::checks::Finding;
use crate::error::InputError;
use crate::graph::Graph;
use crate::source::{LocationView, Sources};

/// The version of the JSON report format.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool<'a>,
    inputs: &'a [String],
    license_files: &'a [String],
    summary: Summary,
    findings: Vec<JFinding<'a>>,
    nodes: Vec<JNode<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_errors: Option<Vec<JInputError>>,
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
struct JHop<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'static str>,
}

#[derive(Serialize)]
struct JFinding<'a> {
    code: &'static str,
    severity: &'static str,
    node: &'a str,
    origins: Vec<&'a str>,
    origin_licenses: &'a [String],
    path: Vec<JHop<'a>>,
    message: &'a str,
    help: &'a str,
    location: LocationView,
}

#[derive(Serialize)]
struct JObligation<'a> {
    clause: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    origins: Vec<&'a str>,
}

#[derive(Serialize)]
struct JNode<'a> {
    id: &'a str,
    kind: &'static str,
    license: Option<&'a str>,
    #[serde(rename = "use")]
    use_: Option<&'static str>,
    distribute: &'static str,
    obligations: Vec<JObligation<'a>>,
    suggested_license: Option<&'a str>,
}

#[derive(Serialize)]
struct JInputError {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    location: Option<LocationView>,
}

/// Converts an input error for JSON.
fn input_error(sources: &Sources, e: &InputError) -> JInputError {
    JInputError {
        code: e.code.as_str(),
        message: e.message.clone(),
        help: e.help.clone(),
        location: e.location.map(|l| sources.describe(l)),
    }
}

fn finding<'a>(graph: &'a Graph, sources: &Sources, f: &'a Finding) -> JFinding<'a> {
    JFinding {
        code: f.code.as_str(),
        severity: f.severity.as_str(),
        node: &graph.node(f.node).id,
        origins: f.origins.iter().map(|&o| graph.node(o).id.as_str()).collect(),
        origin_licenses: &f.origin_licenses,
        path: f
            .path
            .iter()
            .map(|h| JHop {
                id: &graph.node(h.node).id,
                via: h.via.map(|r| r.as_str()),
            })
            .collect(),
        message: &f.message,
        help: &f.help,
        location: sources.describe(graph.node(f.node).location),
    }
}

/// Writes the JSON report.
pub fn write(run: &Run<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let tool = Tool {
        name: "mglint",
        version: env!("CARGO_PKG_VERSION"),
        knowledge_base: run.kb.fingerprint(),
    };
    let report = match &run.outcome {
        Outcome::Unusable(errors) => Report {
            schema_version: SCHEMA_VERSION,
            tool,
            inputs: run.inputs,
            license_files: run.license_files,
            summary: Summary::default(),
            findings: Vec::new(),
            nodes: Vec::new(),
            input_errors: Some(errors.iter().map(|e| input_error(run.sources, e)).collect()),
        },
        Outcome::Checked { graph, report } => {
            let mut order: Vec<u32> = (0..graph.nodes.len() as u32).collect();
            order.sort_by(|&a, &b| graph.node(a).id.cmp(&graph.node(b).id));
            let nodes = order
                .into_iter()
                .map(|v| {
                    let node = graph.node(v);
                    let nr = &report.nodes[v as usize];
                    JNode {
                        id: &node.id,
                        kind: node.kind.as_str(),
                        license: report.licenses[v as usize].canonical(),
                        use_: nr.intent.use_.map(|u| u.as_str()),
                        distribute: nr.intent.distribute.as_str(),
                        obligations: nr
                            .obligations
                            .iter()
                            .map(|o| JObligation {
                                clause: o.clause,
                                target: o.target.as_deref(),
                                origins: o.origins.iter().map(|&x| graph.node(x).id.as_str()).collect(),
                            })
                            .collect(),
                        suggested_license: nr
                            .permitted
                            .as_ref()
                            .and_then(|p| p.first())
                            .map(|&l| run.kb.get(l).id.as_str()),
                    }
                })
                .collect();
            Report {
                schema_version: SCHEMA_VERSION,
                tool,
                inputs: run.inputs,
                license_files: run.license_files,
                summary: Summary {
                    nodes: graph.nodes.len(),
                    edges: graph.edge_count(),
                    errors: report.count(crate::checks::Severity::Error),
                    warnings: report.count(crate::checks::Severity::Warning),
                    infos: report.count(crate::checks::Severity::Info),
                },
                findings: report.findings.iter().map(|f| finding(graph, run.sources, f)).collect(),
                nodes,
                input_errors: None,
            }
        }
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}
