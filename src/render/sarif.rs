//! `--format sarif` (SARIF 2.1.0, for GitHub code scanning and other viewers) and
//! `--format github` (workflow commands that annotate the line in a pull request).
//! Findings and input errors alike become results at the line and column of the node
//! (or value) they are about, with the input path relative to the working directory.

use std::io::Write;

use serde::Serialize;

use super::{Outcome, Run};
use crate::checks::{Code, Finding, Severity};
use crate::error::InputError;
use crate::graph::Graph;
use crate::source::{Location, Sources};

/// One result to report, from a finding or an input error.
struct Item {
    rule: &'static str,
    level: &'static str,
    message: String,
    location: Option<Location>,
    /// The stable identity of the result across edits that move lines (code and node).
    fingerprint: Option<String>,
    suppressed: Option<String>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn items(run: &Run<'_>) -> Vec<Item> {
    match &run.outcome {
        Outcome::Checked { graph, report } => report
            .findings(graph, run.kb)
            .map(|f| finding_item(graph, f))
            .chain(report.unused_exceptions.iter().map(|e| {
                let (message, help) = super::unused_exception_text(e);
                Item {
                    rule: "unused-exception",
                    level: "warning",
                    message: format!("{message} (help: {help})"),
                    location: Some(e.location),
                    fingerprint: Some(fnv(&format!("unused-exception\0{}\0{}", e.code.as_str(), e.node))),
                    suppressed: None,
                }
            }))
            .collect(),
        Outcome::Unusable(errors) => errors.iter().map(error_item).collect(),
    }
}

fn finding_item(graph: &Graph, f: Finding) -> Item {
    let node = &graph.node(f.node).id;
    Item {
        rule: f.code.as_str(),
        level: level(f.severity),
        message: format!("{} (help: {})", f.message, f.help),
        location: Some(f.location),
        fingerprint: Some(fnv(&format!("{}\0{node}", f.code.as_str()))),
        suppressed: f.suppressed,
    }
}

fn error_item(e: &InputError) -> Item {
    Item {
        rule: e.code.as_str(),
        level: "error",
        message: match &e.help {
            Some(help) => format!("{} (help: {help})", e.message),
            None => e.message.clone(),
        },
        location: e.location,
        fingerprint: None,
        suppressed: None,
    }
}

/// A 64-bit FNV-1a hash in hex: stable across runs and platforms.
fn fnv(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// An input's path as a URI relative to the working directory (forward slashes), so
/// code scanning finds the file in the repository.
fn uri(sources: &Sources, loc: Location) -> String {
    let name = &sources.get(loc.file).name;
    let path = std::path::Path::new(name);
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.to_string_lossy().into_owned()))
        .unwrap_or_else(|| name.clone());
    // `./x` and `x` must be one file to code scanning.
    crate::import::normalise(&relative.replace('\\', "/"))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_fingerprints: Option<std::collections::BTreeMap<&'static str, String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

/// The rules: every finding code, then the input-error codes results use.
fn rules(results: &[Item]) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Code::ALL
        .iter()
        .map(|&c| Rule {
            id: c.as_str(),
            short_description: Text {
                text: c.summary().to_owned(),
            },
            help: Text {
                text: format!(
                    "{}. What it means, why, and how to fix it: docs/diagnostics.md#{}",
                    c.summary(),
                    c.as_str()
                ),
            },
            default_configuration: Configuration {
                level: level(c.default_severity()),
            },
        })
        .collect();
    for item in results {
        if !rules.iter().any(|r| r.id == item.rule) {
            rules.push(Rule {
                id: item.rule,
                short_description: Text {
                    text: "the input cannot be used".to_owned(),
                },
                help: Text {
                    text: format!("an input error: docs/diagnostics.md#{}", item.rule),
                },
                default_configuration: Configuration { level: "error" },
            });
        }
    }
    rules
}

/// Writes the SARIF 2.1.0 log.
pub fn write_sarif(run: &Run<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let items = items(run);
    let rules = rules(&items);
    let results: Vec<SarifResult<'_>> = items
        .iter()
        .map(|item| SarifResult {
            rule_id: item.rule,
            rule_index: rules.iter().position(|r| r.id == item.rule).unwrap_or(0),
            level: item.level,
            message: Text {
                text: item.message.clone(),
            },
            // Every result has a location (code scanning refuses a log otherwise): an error
            // about no place in particular points at the first input.
            locations: vec![match item.location {
                Some(loc) => SarifLocation {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: uri(run.sources, loc),
                        },
                        region: Region {
                            start_line: loc.pos.line.max(1),
                            start_column: loc.pos.column.max(1),
                        },
                    },
                },
                None => SarifLocation {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: crate::import::normalise(run.inputs.first().map_or(".", String::as_str)),
                        },
                        region: Region {
                            start_line: 1,
                            start_column: 1,
                        },
                    },
                },
            }],
            partial_fingerprints: item
                .fingerprint
                .clone()
                .map(|f| std::collections::BTreeMap::from([("mglintFinding/v1", f)])),
            suppressions: item
                .suppressed
                .as_deref()
                .map(|reason| Suppression {
                    kind: "external",
                    justification: reason,
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "mglint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// A workflow-command property or message, escaped as GitHub documents it.
fn escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// Writes one workflow command per result (`::error file=…,line=…,col=…,title=…::…`);
/// suppressed findings are left out, as they do not fail the run.
pub fn write_github(run: &Run<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    for item in items(run).iter().filter(|i| i.suppressed.is_none()) {
        let mut props = Vec::new();
        if let Some(loc) = item.location {
            props.push(format!("file={}", escape(&uri(run.sources, loc), true)));
            props.push(format!("line={}", loc.pos.line));
            props.push(format!("col={}", loc.pos.column));
        }
        props.push(format!("title={}", escape(&format!("mglint {}", item.rule), true)));
        let command = match item.level {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        writeln!(out, "::{command} {}::{}", props.join(","), escape(&item.message, false))?;
    }
    Ok(())
}
