//! Text output: rustc / cargo-deny style diagnostics with source snippets.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};

use super::{Outcome, Run};
use crate::checks::{Finding, Report, Severity};
use crate::graph::Graph;
use crate::source::{Location, Sources};

/// Options of the text renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
    /// Hide info findings.
    pub quiet: bool,
}

/// codespan's view of our input files (no copy of their text).
struct Files<'s>(&'s Sources);

impl<'a> codespan_reporting::files::Files<'a> for Files<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.file(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.file(id)?.line_of(byte_index))
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.file(id)?
            .line_range(line_index)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: self.file(id)?.line_count().saturating_sub(1),
            })
    }
}

impl Files<'_> {
    fn file(&self, id: usize) -> Result<&crate::source::SourceFile, codespan_reporting::files::Error> {
        self.0
            .files()
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

/// Lines longer than this are not shown as snippets (a minified JSON file is one line).
const MAX_SNIPPET_LINE: usize = 240;

/// Points a diagnostic at a location: a snippet with the token underlined, or, when the
/// line is too long to show, a note with `file:line:column`.
fn at(d: Diagnostic<usize>, sources: &Sources, loc: Location, notes: &mut Vec<String>) -> Diagnostic<usize> {
    let span = sources.token_span(loc);
    let file = sources.get(loc.file);
    // The line from the file's line index: searching for its ends would cost the whole
    // line for every finding on a one-line file.
    let line = file.line_range(file.line_of(span.start)).unwrap_or(0..file.text.len());
    let shown = file.text[line.clone()].strip_suffix('\n').map_or(line.len(), str::len);
    if shown > MAX_SNIPPET_LINE {
        notes.push(format!(
            "at {}:{}:{}",
            sources.get(loc.file).name,
            loc.pos.line,
            loc.pos.column
        ));
        d
    } else {
        d.with_labels(vec![Label::primary(loc.file as usize, span)])
    }
}

fn path_note(graph: &Graph, f: &Finding) -> Option<String> {
    if f.path.len() < 2 {
        return None;
    }
    let mut s = String::from("path: ");
    for (i, hop) in f.path.iter().enumerate() {
        if i > 0 {
            s.push_str(&format!(" -[{}]-> ", hop.via.map_or("?", |r| r.as_str())));
        }
        s.push_str(&graph.node(hop.node).id);
    }
    Some(s)
}

/// Where the licenses of a finding's origins came from, when an importer found them.
fn license_notes(graph: &Graph, report: &Report, f: &Finding, notes: &mut Vec<String>) {
    for &o in &f.origins {
        let node = graph.node(o);
        if let (Some(source), Some(license)) = (node.license_source(), report.licenses[o as usize].canonical()) {
            notes.push(format!("license: {} is {license} per {source}", node.id));
        }
    }
}

fn emit(out: &mut dyn WriteColor, files: &Files<'_>, d: &Diagnostic<usize>) -> std::io::Result<()> {
    let config = Config::default();
    term::emit_to_write_style(out, &config, files, d).map_err(|e| match e {
        // Keep the kind (a closed pipe is not a failure of ours).
        codespan_reporting::files::Error::Io(io) => io,
        other => std::io::Error::other(other),
    })
}

/// Writes the text report.
pub fn write(run: &Run<'_>, options: TextOptions, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut color_out;
    let mut plain_out;
    let w: &mut dyn WriteColor = if options.color {
        color_out = Ansi::new(out);
        &mut color_out
    } else {
        plain_out = NoColor::new(out);
        &mut plain_out
    };
    let files = Files(run.sources);
    match &run.outcome {
        Outcome::Unusable(errors) => {
            for e in errors.iter() {
                let mut d = Diagnostic::error().with_code(e.code.as_str()).with_message(&e.message);
                let mut notes = Vec::new();
                if let Some(loc) = e.location {
                    d = at(d, run.sources, loc, &mut notes);
                }
                if let Some(help) = &e.help {
                    notes.push(format!("help: {help}"));
                }
                emit(w, &files, &d.with_notes(notes))?;
            }
            writeln!(
                w,
                "the input could not be used: {} error{} (exit status 2)",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            )?;
        }
        Outcome::Checked { graph, report } => {
            for f in report.findings(graph, run.kb) {
                if options.quiet && f.severity == Severity::Info {
                    continue;
                }
                let d = match f.severity {
                    Severity::Error => Diagnostic::error(),
                    Severity::Warning => Diagnostic::warning(),
                    Severity::Info => Diagnostic::note(),
                };
                let mut notes = Vec::new();
                let d = at(
                    d.with_code(f.code.as_str()).with_message(&f.message),
                    run.sources,
                    f.location,
                    &mut notes,
                );
                if let Some(p) = path_note(graph, &f) {
                    notes.push(p);
                }
                license_notes(graph, report, &f, &mut notes);
                notes.push(format!("help: {}", f.help));
                if let Some(reason) = &f.suppressed {
                    notes.push(format!("suppressed by the policy: {reason}"));
                }
                emit(w, &files, &d.with_notes(notes))?;
            }
            for e in &report.unused_exceptions {
                let (message, help) = super::unused_exception_text(e);
                let mut notes = Vec::new();
                let d = at(
                    Diagnostic::warning()
                        .with_code("unused-exception")
                        .with_message(message),
                    run.sources,
                    e.location,
                    &mut notes,
                );
                notes.push(format!("help: {help}"));
                emit(w, &files, &d.with_notes(notes))?;
            }
            for (v, nr) in report.nodes.iter().enumerate() {
                if let Some(choice) = &nr.license_choice {
                    writeln!(
                        w,
                        "note: {}: chose `{choice}` from `{}`",
                        graph.nodes[v].id,
                        report.licenses[v].canonical().unwrap_or_default()
                    )?;
                }
            }
            writeln!(
                w,
                "{} errors, {} warnings, {} infos",
                report.count(Severity::Error),
                report.count(Severity::Warning),
                report.count(Severity::Info)
            )?;
        }
    }
    Ok(())
}
