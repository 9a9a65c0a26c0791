//! Reading what users already have: every input (a graph file, a mergekit recipe or a
//! Hugging Face model card) becomes nodes of one graph (`importers.md`).
//!
//! [`load`] detects each input's kind from its content, hands graph files to
//! [`crate::graph::load`] and recipes and cards to `mergekit` and `card`. Both
//! importers name upstream models; `resolve::Resolver` turns each name into a node and
//! finds its license offline: `--licenses` mappings, the model's own card (a local
//! directory or the local Hugging Face cache, following the card's own `base_model` up),
//! the built-in registry of model families, or nothing. Importers return every error.

mod card;
mod mergekit;
mod resolve;

use std::path::{Path, PathBuf};

use crate::error::{InputCode, InputError};
use crate::graph::load::{GraphDocument, file_start, looks_like_json, parse_graph, read_graph};
use crate::graph::{Graph, GraphBuilder};
use crate::kb::KnowledgeBase;
use crate::source::{Location, Pos, Sources};
use crate::syntax::{Key, Kind, Limits, Value};

pub use card::front_matter;
pub(crate) use resolve::normalise;

/// What an input file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A derivation-graph file (`graph-format.md`).
    Graph,
    /// A mergekit recipe (one or several YAML documents).
    Mergekit,
    /// A Hugging Face model card: a `README.md` with YAML front matter.
    ModelCard,
}

/// Options of the importers.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read every input as this kind (`--input-kind`) instead of detecting it.
    pub kind: Option<InputKind>,
    /// The id of the result node of a recipe or card (`--id`).
    pub id: Option<String>,
    /// The local Hugging Face hub cache, if there is one.
    pub hf_cache: Option<PathBuf>,
}

impl ImportOptions {
    /// The hub cache the Hugging Face libraries use: `$HF_HUB_CACHE`, else
    /// `$HF_HOME/hub`, else `~/.cache/huggingface/hub`.
    pub fn hf_cache_from(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
        let set = |name: &str| env(name).filter(|v| !v.is_empty());
        set("HF_HUB_CACHE")
            .map(PathBuf::from)
            .or_else(|| set("HF_HOME").map(|h| Path::new(&h).join("hub")))
            .or_else(|| set("HOME").map(|h| Path::new(&h).join(".cache/huggingface/hub")))
    }
}

/// Keys that make a YAML document a mergekit recipe.
const RECIPE_KEYS: &[&str] = &["merge_method", "models", "slices", "modules", "experts", "genome"];

/// Whether a parsed document is a recipe rather than a graph file.
fn is_recipe(doc: &Value) -> bool {
    match &doc.kind {
        Kind::Map(entries) => {
            !entries.iter().any(|(k, _)| &*k.name == "nodes")
                && entries.iter().any(|(k, _)| RECIPE_KEYS.contains(&&*k.name))
        }
        _ => false,
    }
}

/// Whether a text opens with a `---` line, after blank lines (a card's front matter, or a
/// YAML stream).
fn opens_with_marker(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_end() == "---")
}

/// Reads every input into one graph: graph files, recipes and cards alike, with the
/// ancestors the importers find. Every input error of every file is returned together.
pub fn load(
    sources: &mut Sources,
    inputs: Vec<(String, String)>,
    kb: &KnowledgeBase,
    options: &ImportOptions,
    limits: &Limits,
) -> Result<Graph, Vec<InputError>> {
    let mut builder = GraphBuilder::new();
    let mut resolver = resolve::Resolver::new(kb, options, *limits);
    // Graph files first: a node the user declares is theirs, and recipes and cards that
    // name it make an edge to it instead of looking it up, whatever the order of files.
    let mut imports = Vec::new();
    for (name, text) in inputs {
        // The text moves into `sources` (kept for snippets): no copy of a large input.
        let file = sources.add(name, text);
        let (name, text) = (&sources.get(file).name, &sources.get(file).text);
        if text.trim().is_empty() {
            builder.error(
                InputError::at(InputCode::ParseError, file_start(file), format!("{name} is empty"))
                    .with_help("a graph file needs at least `nodes:`; a recipe, `merge_method:` and `models:`"),
            );
            continue;
        }
        let is_markdown = name.to_ascii_lowercase().ends_with(".md");
        let forced = options.kind.or_else(|| is_markdown.then_some(InputKind::ModelCard));
        let input = match forced {
            Some(InputKind::Graph) => parse_graph(name, text, file, limits).map(Input::Graph),
            Some(kind) => Ok(Input::Import(kind)),
            None => classify(name, text, file, limits),
        };
        match input {
            Ok(Input::Graph(doc)) => read_graph(doc, file, &mut builder),
            Ok(Input::Import(kind)) => imports.push((file, kind)),
            Err(e) => builder.error(e),
        }
    }
    if !imports.is_empty() {
        let declared: Vec<String> = builder.ids().map(str::to_owned).collect();
        for id in &declared {
            resolver.claim(id);
        }
    }
    for (file, kind) in imports {
        let (name, text) = (sources.get(file).name.clone(), sources.get(file).text.clone());
        match kind {
            InputKind::Mergekit => mergekit::read(&name, &text, file, sources, &mut resolver, &mut builder),
            _ => card::read(&name, &text, file, sources, &mut resolver, &mut builder),
        }
    }
    builder.finish()
}

/// An input, once its kind is known.
enum Input {
    /// A graph file, parsed.
    Graph(GraphDocument),
    /// A recipe or a card, read by its importer.
    Import(InputKind),
}

/// The kind of an input that does not say, from its content. A text that cannot be read
/// as YAML or JSON is a recipe when its first document is one (a multi-stage recipe), a
/// card when it opens with a front-matter block followed by Markdown, and otherwise the
/// graph reader's parse error.
fn classify(name: &str, text: &str, file: u32, limits: &Limits) -> Result<Input, InputError> {
    match parse_graph(name, text, file, limits) {
        Ok(doc) if is_recipe(&doc.tree) => Ok(Input::Import(InputKind::Mergekit)),
        Ok(doc) => Ok(Input::Graph(doc)),
        Err(_) if !looks_like_json(name, text) && mergekit::first_document_is_recipe(text, limits) => {
            Ok(Input::Import(InputKind::Mergekit))
        }
        Err(_) if !looks_like_json(name, text) && opens_with_marker(text) => Ok(Input::Import(InputKind::ModelCard)),
        Err(e) => Err(e),
    }
}

/// The id of the result node of a recipe or card read from `name`: `--id`, else a Hugging
/// Face cache path's `ORG/NAME`, else the directory of a `README.md`, else the file stem.
fn result_id(name: &str, options: &ImportOptions) -> String {
    if let Some(id) = &options.id {
        return id.clone();
    }
    if let Some((id, _)) = resolve::cache_path_id(name) {
        return id;
    }
    let path = Path::new(name);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or(name);
    // A card is named after its model's directory, and so is the recipe mergekit copies
    // into every output directory.
    let named_by_dir = path.file_name().and_then(|f| f.to_str()).is_some_and(|f| {
        ["README.md", "mergekit_config.yml", "mergekit_moe_config.yml"]
            .iter()
            .any(|n| f.eq_ignore_ascii_case(n))
    });
    if named_by_dir
        && let Some(dir) = path.parent().and_then(|p| {
            // `README.md` alone names the working directory.
            let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
            std::fs::canonicalize(p).ok().or_else(|| Some(p.to_path_buf()))
        })
        && let Some(dir_name) = dir.file_name().and_then(|d| d.to_str())
    {
        return dir_name.to_owned();
    }
    stem.to_owned()
}

/// A `meta` map built by an importer: string entries at one position.
fn meta(pos: Pos, entries: Vec<(&str, MetaValue)>) -> Option<Value> {
    if entries.is_empty() {
        return None;
    }
    let kind = Kind::Map(
        entries
            .into_iter()
            .map(|(k, v)| {
                let value = match v {
                    MetaValue::Str(s) => Kind::Str(s),
                    MetaValue::Bool(b) => Kind::Bool(b),
                };
                (Key { pos, name: k.into() }, Value { pos, kind: value })
            })
            .collect(),
    );
    Some(Value { pos, kind })
}

/// A value of an importer's `meta` entry.
#[derive(Debug)]
enum MetaValue {
    Str(String),
    Bool(bool),
}

/// The location of a value in a file.
fn at(file: u32, v: &Value) -> Location {
    Location { file, pos: v.pos }
}
