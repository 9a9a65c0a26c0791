//! mglint: license compatibility along model derivation graphs.
//!
//! The pipeline is: [`import::load`] reads inputs (graph files through [`graph::load`],
//! mergekit recipes and model cards through the importers) into a [`graph::Graph`]
//! (collecting every input error); [`checks::check`] resolves licenses against the [`kb::KnowledgeBase`],
//! runs the [`engine`] and turns what each node carries into findings; [`render`]
//! writes them. [`cli`] is the command line over these.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checks;
pub mod cli;
pub mod engine;
pub mod error;
pub mod graph;
pub mod import;
pub mod kb;
pub mod policy;
pub mod render;
pub mod source;
pub mod syntax;

use checks::{CheckOptions, Report};
use error::InputError;
use graph::Graph;
use kb::KnowledgeBase;
use source::Sources;
use syntax::Limits;

/// The outcome of checking a set of inputs.
#[derive(Debug)]
pub struct Checked {
    /// The input files, for locations and snippets.
    pub sources: Sources,
    /// The graph and its report, or every input error.
    pub result: Result<(Graph, Report), Vec<InputError>>,
}

/// Reads `(name, text)` inputs into one graph and checks it: the library's front door.
///
/// ```
/// let kb = mglint::kb::KnowledgeBase::builtin();
/// let yaml = "nodes:\n  - id: a\n    license: cc-by-nc-4.0\n  - id: b\n    via: finetune\n    from: [a]\n";
/// let checked = mglint::check_inputs(vec![("g.yaml".into(), yaml.into())], &kb, &Default::default());
/// let (graph, report) = checked.result.unwrap();
/// assert!(report.findings(&graph, &kb).any(|f| f.code.as_str() == "non-commercial"));
/// ```
pub fn check_inputs(inputs: Vec<(String, String)>, kb: &KnowledgeBase, options: &CheckOptions) -> Checked {
    check_sources(Sources::default(), inputs, kb, options)
}

/// Like [`check_inputs`], adding the inputs to `sources`, which may already hold other
/// files (the `--licenses` files the knowledge base was extended with).
pub fn check_sources(
    mut sources: Sources,
    inputs: Vec<(String, String)>,
    kb: &KnowledgeBase,
    options: &CheckOptions,
) -> Checked {
    let loaded = load_sources(&mut sources, inputs, kb, &options.import);
    let result = loaded.and_then(|g| match checks::check(&g, kb, options) {
        Ok(report) => Ok((g, report)),
        Err(e) => Err(vec![e]),
    });
    Checked { sources, result }
}

/// Reads `(name, text)` inputs into one graph without checking it (what `mglint import`
/// prints), adding them to `sources`; the reading [`check_sources`] does.
pub fn load_sources(
    sources: &mut Sources,
    inputs: Vec<(String, String)>,
    kb: &KnowledgeBase,
    options: &import::ImportOptions,
) -> Result<Graph, Vec<InputError>> {
    import::load(sources, inputs, kb, options, &Limits::default())
}
