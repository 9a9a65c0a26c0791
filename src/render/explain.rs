//! `mglint explain FILE NODE` and `mglint suggest FILE [NODE]`: one node's obligations hop
//! by hop, and what each derived node may be released under and why (text and JSON,
//! `cli.md`).

use std::io::Write;

use serde::Serialize;

use crate::checks::{Report, Source, Traced, Tracer};
use crate::graph::{Graph, NodeIx};
use crate::kb::KnowledgeBase;

#[derive(Serialize)]
struct JHop<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'static str>,
}

fn hops<'a>(graph: &'a Graph, s: &Source) -> Vec<JHop<'a>> {
    s.path
        .iter()
        .map(|h| JHop {
            id: &graph.node(h.node).id,
            via: h.via.map(|r| r.as_str()),
        })
        .collect()
}

/// `a -[merge]-> b -[quantize]-> c`.
fn path_text(graph: &Graph, s: &Source) -> String {
    let mut out = String::new();
    for (i, h) in s.path.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!(" -[{}]-> ", h.via.map_or("?", |r| r.as_str())));
        }
        out.push_str(&graph.node(h.node).id);
    }
    out
}

/// "lab/nc (MG-BY-NC-2.0) via merge", with where an importer found the license.
fn origin_text(graph: &Graph, s: &Source) -> String {
    let node = graph.node(s.origin);
    let via = s
        .path
        .get(1)
        .and_then(|h| h.via)
        .map_or(String::new(), |r| format!(" via {r}"));
    let source = node
        .license_source()
        .map_or(String::new(), |src| format!(", per {src}"));
    format!("{} ({}{source}){via}", node.id, s.license)
}

#[derive(Serialize)]
struct JBecause<'a> {
    clause: &'static str,
    origins: Vec<&'a str>,
}

#[derive(Serialize)]
struct JSuggestion<'a> {
    id: &'a str,
    suggested_license: Option<&'a str>,
    /// `null` for a root (its license is the one it was received under), `[]` when
    /// nothing may be distributed.
    permitted_licenses: Option<Vec<&'a str>>,
    because: Vec<JBecause<'a>>,
}

/// What a node may be released under (`None` for a root), and the obligations that
/// narrow it: exactly those the permitted licenses are computed from.
struct Suggestion<'a> {
    permitted: Option<Vec<&'a str>>,
    because: Vec<Traced>,
}

/// `paths`: how many sources of each reason get their path (text: [`NAMED`], JSON: none).
fn suggestion<'a>(
    report: &'a Report,
    kb: &'a KnowledgeBase,
    tracer: &mut Tracer<'_>,
    v: NodeIx,
    paths: usize,
) -> Suggestion<'a> {
    let permitted = report.nodes[v as usize]
        .permitted
        .as_ref()
        .map(|p| p.iter().map(|&l| kb.get(l).id.as_str()).collect());
    Suggestion {
        permitted,
        because: tracer.narrowing(v, paths),
    }
}

fn json_suggestion<'a>(graph: &'a Graph, v: NodeIx, s: &Suggestion<'a>) -> JSuggestion<'a> {
    JSuggestion {
        id: &graph.node(v).id,
        suggested_license: s.permitted.as_ref().and_then(|p| p.first().copied()),
        permitted_licenses: s.permitted.clone(),
        because: s
            .because
            .iter()
            .map(|t| JBecause {
                clause: t.clause,
                origins: t.sources.iter().map(|s| graph.node(s.origin).id.as_str()).collect(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

const TOOL: Tool = Tool {
    name: "mglint",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
struct Listing<T> {
    schema_version: u32,
    tool: Tool,
    /// The nodes: a sequence.
    nodes: T,
}

/// The `nodes` of `suggest --format json`, each made as it is written: a node's
/// suggestion holds every origin of what narrows it, and below a long chain of licensed
/// nodes that is the whole chain.
struct Suggested<'a> {
    graph: &'a Graph,
    report: &'a Report,
    kb: &'a KnowledgeBase,
    nodes: &'a [NodeIx],
    tracer: std::cell::RefCell<Tracer<'a>>,
}

impl Serialize for Suggested<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tracer = &mut *self.tracer.borrow_mut();
        serializer.collect_seq(self.nodes.iter().map(|&v| {
            let s = suggestion(self.report, self.kb, tracer, v, 0);
            json_suggestion(self.graph, v, &s)
        }))
    }
}

/// How many permitted licenses (and origins of each obligation or reason) text output
/// names before "and N more".
const SHOWN: usize = 8;

/// The most origins of one obligation or reason text output names, and so traces.
const NAMED: usize = SHOWN + 1;

/// How many of `len` origins text output names: all up to [`NAMED`] ("1 more" would take
/// the line the one more takes), else [`SHOWN`]. Each named origin is a path search.
fn shown(len: usize) -> usize {
    if len > NAMED { SHOWN } else { len }
}

/// The permitted licenses of each node and why the stricter ones are needed.
pub fn write_suggest(
    graph: &Graph,
    report: &Report,
    kb: &KnowledgeBase,
    nodes: &[NodeIx],
    json: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if json {
        let listing = Listing {
            schema_version: 1,
            tool: TOOL,
            nodes: Suggested {
                graph,
                report,
                kb,
                nodes,
                tracer: report.tracer(graph, kb).into(),
            },
        };
        serde_json::to_writer_pretty(&mut *out, &listing)?;
        return writeln!(out);
    }
    if nodes.is_empty() {
        writeln!(
            out,
            "no derived nodes: every node is a root, released under the license it was received under"
        )?;
    }
    let mut tracer = report.tracer(graph, kb);
    for &v in nodes {
        writeln!(out, "{}", graph.node(v).id)?;
        let s = suggestion(report, kb, &mut tracer, v, NAMED);
        write_suggestion_lines(graph, v, report, &s, out)?;
    }
    Ok(())
}

fn write_suggestion_lines(
    graph: &Graph,
    v: NodeIx,
    report: &Report,
    s: &Suggestion<'_>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match s.permitted.as_deref() {
        None => writeln!(out, "  a root: its license is the one you received it under")?,
        Some([]) => writeln!(out, "  private use only: it may not be distributed under any license")?,
        Some(permitted) => {
            writeln!(out, "  suggested: {}", permitted[0])?;
            let more = permitted.len().saturating_sub(SHOWN);
            let tail = if more > 0 {
                format!(", and {more} more (--format json lists all)")
            } else {
                String::new()
            };
            writeln!(
                out,
                "  permitted, least restrictive first: {}{tail}",
                permitted[..permitted.len().min(SHOWN)].join(", ")
            )?;
        }
    }
    if let Some(declared) = report.licenses[v as usize].canonical().filter(|_| !graph.is_root(v)) {
        writeln!(out, "  declared: {declared}")?;
    }
    if !s.because.is_empty() {
        writeln!(out, "  because:")?;
        for t in &s.because {
            let shown = shown(t.sources.len());
            for src in &t.sources[..shown] {
                writeln!(out, "    {} from {}", t.clause, origin_text(graph, src))?;
            }
            if shown < t.sources.len() {
                let more = t.sources.len() - shown;
                writeln!(out, "    {} from {more} more (--format json lists all)", t.clause)?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JSource<'a> {
    origin: &'a str,
    license: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    license_source: Option<&'a str>,
    path: Vec<JHop<'a>>,
}

#[derive(Serialize)]
struct JObligation<'a> {
    clause: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    origins: Vec<&'a str>,
    path: Vec<JHop<'a>>,
    sources: Vec<JSource<'a>>,
}

#[derive(Serialize)]
struct JIntent {
    #[serde(rename = "use")]
    use_: Option<&'static str>,
    use_from: &'static str,
    distribute: &'static str,
    distribute_from: &'static str,
}

#[derive(Serialize)]
struct JFinding<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
}

#[derive(Serialize)]
struct JExplained<'a> {
    #[serde(flatten)]
    suggestion: JSuggestion<'a>,
    kind: &'static str,
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license_source: Option<&'a str>,
    intent: JIntent,
    obligations: Vec<JObligation<'a>>,
    findings: Vec<JFinding<'a>>,
}

/// Everything NODE carries and why, its intent, findings and permitted licenses.
pub fn write_explain(
    graph: &Graph,
    report: &Report,
    kb: &KnowledgeBase,
    v: NodeIx,
    json: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut tracer = report.tracer(graph, kb);
    let traced = tracer.trace(v, if json { usize::MAX } else { NAMED });
    let s = suggestion(report, kb, &mut tracer, v, if json { 0 } else { NAMED });
    let node = graph.node(v);
    let intent = report.nodes[v as usize].intent;
    let findings = report.findings_of(graph, kb, v);
    let target = |t: &Traced| t.target.map(|l| kb.get(l).id.as_str());
    if json {
        let explained = JExplained {
            suggestion: json_suggestion(graph, v, &s),
            kind: node.kind.as_str(),
            license: report.licenses[v as usize].canonical(),
            license_source: node.license_source(),
            intent: JIntent {
                use_: intent.use_.map(|u| u.as_str()),
                use_from: intent.use_from.as_str(),
                distribute: intent.distribute.as_str(),
                distribute_from: intent.distribute_from.as_str(),
            },
            obligations: traced
                .iter()
                .map(|t| JObligation {
                    clause: t.clause,
                    target: target(t),
                    origins: t.sources.iter().map(|s| graph.node(s.origin).id.as_str()).collect(),
                    path: t.sources.first().map(|s| hops(graph, s)).unwrap_or_default(),
                    sources: t
                        .sources
                        .iter()
                        .map(|s| JSource {
                            origin: &graph.node(s.origin).id,
                            license: &s.license,
                            license_source: graph.node(s.origin).license_source(),
                            path: hops(graph, s),
                        })
                        .collect(),
                })
                .collect(),
            findings: findings
                .iter()
                .map(|f| JFinding {
                    code: f.code.as_str(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                    help: &f.help,
                })
                .collect(),
        };
        let listing = Listing {
            schema_version: 1,
            tool: TOOL,
            nodes: [explained],
        };
        serde_json::to_writer_pretty(&mut *out, &listing)?;
        return writeln!(out);
    }
    writeln!(out, "{} ({})", node.id, node.kind)?;
    match report.licenses[v as usize].canonical() {
        Some(l) => {
            let source = node.license_source().map_or(String::new(), |s| format!(" (per {s})"));
            let choice = report.nodes[v as usize]
                .license_choice
                .as_ref()
                .map_or(String::new(), |c| format!(", read as `{c}`"));
            writeln!(out, "  license: {l}{source}{choice}")?;
        }
        None => writeln!(out, "  license: none declared")?,
    }
    writeln!(
        out,
        "  use: {} (from {})",
        intent.use_.map_or("none of its own", |u| u.as_str()),
        intent.use_from.as_str()
    )?;
    writeln!(
        out,
        "  distribute: {} (from {})",
        intent.distribute.as_str(),
        intent.distribute_from.as_str()
    )?;
    if traced.is_empty() {
        writeln!(out, "obligations: none")?;
    } else {
        writeln!(out, "obligations:")?;
    }
    for t in &traced {
        match target(t) {
            Some(x) => writeln!(out, "  {} (must carry {x})", t.clause)?,
            None => writeln!(out, "  {}", t.clause)?,
        }
        let shown = shown(t.sources.len());
        for src in &t.sources[..shown] {
            let node = graph.node(src.origin);
            let source = node.license_source().map_or(String::new(), |s| format!(", per {s}"));
            writeln!(out, "    from {} ({}{source})", node.id, src.license)?;
            if src.path.len() > 1 {
                writeln!(out, "      {}", path_text(graph, src))?;
            }
        }
        if shown < t.sources.len() {
            writeln!(
                out,
                "    from {} more (--format json lists all)",
                t.sources.len() - shown
            )?;
        }
    }
    if findings.is_empty() {
        writeln!(out, "findings: none")?;
    } else {
        writeln!(out, "findings:")?;
        for f in &findings {
            let tag = match f.severity {
                crate::checks::Severity::Error => "error",
                crate::checks::Severity::Warning => "warning",
                crate::checks::Severity::Info => "note",
            };
            writeln!(out, "  {tag}[{}]: {}", f.code.as_str(), f.message)?;
        }
    }
    writeln!(out, "may be released under:")?;
    write_suggestion_lines(graph, v, report, &s, out)
}
