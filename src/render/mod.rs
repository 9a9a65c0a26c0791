//! Output formats. Only this module knows how a report looks on screen or on disk.

pub mod dot;
pub mod explain;
pub mod graph;
pub mod json;
pub mod licenses;
pub mod sarif;
pub mod text;

use crate::checks::Report;
use crate::error::InputError;
use crate::graph::Graph;
use crate::kb::KnowledgeBase;
use crate::source::Sources;

/// Everything a renderer may show about one run.
pub struct Run<'a> {
    /// The input files.
    pub sources: &'a Sources,
    /// The names of the inputs as given.
    pub inputs: &'a [String],
    /// The `--licenses` files.
    pub license_files: &'a [String],
    /// The knowledge base used.
    pub kb: &'a KnowledgeBase,
    /// The outcome: a checked graph and its report, or the input errors.
    pub outcome: Outcome<'a>,
}

/// What a run produced.
pub enum Outcome<'a> {
    /// The graph was checked.
    Checked {
        /// The graph.
        graph: &'a Graph,
        /// Its report.
        report: &'a Report,
    },
    /// The input could not be used.
    Unusable(&'a [InputError]),
}

/// The message and help of an `unused-exception` warning, shared by every format.
pub fn unused_exception_text(e: &crate::policy::Exception) -> (String, &'static str) {
    let origin = e.origin.as_ref().map_or(String::new(), |o| format!(" from `{o}`"));
    (
        format!(
            "the policy's exception for `{}` on `{}`{origin} matched no finding",
            e.code.as_str(),
            e.node
        ),
        "remove it from the policy file (the finding it accepted is gone), or fix its code, node or origin",
    )
}
