//! `--format json`: the machine-readable report (`cli.md`, "JSON output").
//!
//! Written compactly (one line) and streamed: findings and nodes are serialised straight
//! from the report, with no intermediate copy, so a million-node report costs little
//! more memory than the report itself. `jq .` pretty-prints it.

use std::cell::RefCell;
use std::io::Write;

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
    /// The reason of the policy exception that accepts it (`cli.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a str>,
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
        suppressed: f.suppressed.as_deref(),
    }
}

fn unused<'a>(
    sources: &'a Sources,
    e: &'a crate::policy::Exception,
    text: &'a (String, &'static str),
) -> impl Serialize + 'a {
    JFinding {
        code: "unused-exception",
        severity: Severity::Warning.as_str(),
        node: &e.node,
        origins: seq(std::iter::empty::<&str>()),
        origin_licenses: &[],
        path: seq(std::iter::empty::<JHop<'_>>()),
        message: &text.0,
        help: text.1,
        location: location(sources, e.location),
        suppressed: None,
    }
}

/// Writes the JSON report: the keys of `cli.md` in their documented order.
pub fn write(run: &Run<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let tool = Tool {
        name: "mglint",
        version: env!("CARGO_PKG_VERSION"),
        knowledge_base: run.kb.fingerprint(),
    };
    let summary = match &run.outcome {
        Outcome::Unusable(_) => Summary::default(),
        Outcome::Checked { graph, report } => Summary {
            nodes: graph.nodes.len(),
            edges: graph.edge_count(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
    };
    write!(w, "{{\"schema_version\":{SCHEMA_VERSION},\"tool\":")?;
    serde_json::to_writer(&mut w, &tool)?;
    w.write_all(b",\"inputs\":")?;
    serde_json::to_writer(&mut w, run.inputs)?;
    w.write_all(b",\"license_files\":")?;
    serde_json::to_writer(&mut w, run.license_files)?;
    w.write_all(b",\"summary\":")?;
    serde_json::to_writer(&mut w, &summary)?;
    match &run.outcome {
        Outcome::Unusable(errors) => {
            w.write_all(b",\"findings\":[],\"nodes\":[],\"input_errors\":")?;
            let errors: Vec<JInputError<'_>> = errors.iter().map(|e| input_error(run.sources, e)).collect();
            serde_json::to_writer(&mut w, &errors)?;
        }
        Outcome::Checked { graph, report } => {
            w.write_all(b",\"findings\":")?;
            // Unused exceptions sit where their code sorts among the findings.
            let texts: Vec<(String, &'static str)> = report
                .unused_exceptions
                .iter()
                .map(super::unused_exception_text)
                .collect();
            let (n, u) = (report.keys().len(), texts.len());
            let split = report
                .keys()
                .partition_point(|k| (k.severity, k.code) <= (Severity::Warning, crate::checks::Code::UnusedException));
            write_array(
                &mut w,
                n + u,
                || report.reader(graph, run.kb),
                |reader, range, items| {
                    // Item `i` is finding `i` before the unused exceptions, `i - u` after them.
                    let finding_at = |i: usize| if i <= split { i } else { i.max(split + u) - u };
                    let mut found = reader.read(finding_at(range.start)..finding_at(range.end)).into_iter();
                    for i in range {
                        if (split..split + u).contains(&i) {
                            let k = i - split;
                            items.push(&unused(run.sources, &report.unused_exceptions[k], &texts[k]))?;
                        } else if let Some(f) = found.next() {
                            items.push(&finding(graph, run.sources, &f))?;
                        }
                    }
                    Ok(())
                },
            )?;
            // Node indices are in id order, so this is the documented order.
            w.write_all(b",\"nodes\":")?;
            write_array(
                &mut w,
                graph.nodes.len(),
                || (),
                |(), mut range, items| range.try_for_each(|i| items.push(&node(run, graph, report, i as u32))),
            )?;
        }
    }
    w.write_all(b"}\n")?;
    w.flush()
}

/// A part of a JSON array being formatted: items separated by commas.
struct Items(Vec<u8>);

impl Items {
    fn push(&mut self, item: &impl Serialize) -> serde_json::Result<()> {
        if !self.0.is_empty() {
            self.0.push(b',');
        }
        serde_json::to_writer(&mut self.0, item)
    }
}

/// Writes a JSON array of `len` items; `format` serialises a range of them into [`Items`]
/// with a per-thread state made by `init`. Large arrays are formatted in batches, each
/// batch split over the available cores, and written in order: the output is the same as
/// a sequential run, the memory bounded by a batch.
fn write_array<W, S, I, F>(w: &mut W, len: usize, init: I, format: F) -> std::io::Result<()>
where
    W: Write,
    S: Send,
    I: Fn() -> S,
    F: Fn(&mut S, std::ops::Range<usize>, &mut Items) -> serde_json::Result<()> + Sync,
{
    const BATCH: usize = 1 << 14;
    const PER_THREAD_MIN: usize = 4096;
    let format = |state: &mut S, range: std::ops::Range<usize>| -> serde_json::Result<Vec<u8>> {
        let mut items = Items(Vec::new());
        format(state, range, &mut items)?;
        Ok(items.0)
    };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut states: Vec<S> = Vec::new();
    let mut first = true;
    w.write_all(b"[")?;
    for start in (0..len).step_by(BATCH) {
        let end = (start + BATCH).min(len);
        let threads = cores.min((end - start) / PER_THREAD_MIN).max(1);
        while states.len() < threads {
            states.push(init());
        }
        let chunk = (end - start).div_ceil(threads);
        let ranges = (0..threads).map(|t| (start + t * chunk).min(end)..(start + (t + 1) * chunk).min(end));
        let buffers: Vec<serde_json::Result<Vec<u8>>> = if threads == 1 {
            vec![format(&mut states[0], start..end)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = states
                    .iter_mut()
                    .zip(ranges)
                    .map(|(state, r)| scope.spawn(|| format(state, r)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a JSON thread panicked"))
                    .collect()
            })
        };
        for buf in buffers {
            let buf = buf?;
            if buf.is_empty() {
                continue;
            }
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            w.write_all(&buf)?;
        }
    }
    w.write_all(b"]")
}

fn node<'a>(run: &'a Run<'_>, graph: &'a Graph, report: &'a crate::checks::Report, v: u32) -> impl Serialize + 'a {
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
