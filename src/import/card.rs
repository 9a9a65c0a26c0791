//! Hugging Face model cards: the leading YAML front matter of a `README.md`
//! (`input-formats.md` section 2), read into one node and the references to its parents
//! and datasets.

use super::resolve::{Reference, Resolver};
use super::{MetaValue, at, meta, result_id};
use crate::error::{InputCode, InputError};
use crate::graph::load::file_start;
use crate::graph::{GraphBuilder, Intent, LicenseText, Node, NodeKind, PendingEdge, Relation};
use crate::source::{Location, Pos, Sources};
use crate::syntax::{Kind, Limits, Value, parse_yaml};

/// The front matter of a card: the YAML between a first line `---` and the next `---`
/// (or `...`) line, preceded by as many newlines as lines before it, so positions in the
/// parsed YAML are positions in the card. `None` when the card has no front matter.
pub fn front_matter(text: &str) -> Option<String> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = body.split_inclusive('\n');
    // Blank lines before the opening `---` are allowed, as on the Hub.
    let mut yaml = String::from("\n");
    loop {
        let line = lines.next()?;
        if line.trim_end() == "---" {
            break;
        }
        if !line.trim().is_empty() {
            return None;
        }
        yaml.push('\n');
    }
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Some(yaml);
        }
        yaml.push_str(line);
    }
    None
}

/// What mglint reads from a card's front matter.
#[derive(Debug)]
pub struct Card {
    /// `license` (all apply), `license_name` standing in for `other`; with the position.
    pub license: Option<(Vec<String>, Pos)>,
    /// `meta` entries to keep: `license_link`, the `license: other` it replaced.
    pub meta: Vec<(&'static str, MetaValue)>,
    /// `base_model` (or an older card's `model_link`), with positions.
    pub parents: Vec<(String, Pos)>,
    /// How the card's model was made from its parents, and whether that was inferred.
    pub relation: Relation,
    /// The relation was inferred from the number of parents.
    pub inferred: bool,
    /// `datasets`, with positions.
    pub datasets: Vec<(String, Pos)>,
}

/// A string or a list of strings, with each string's position; anything else is an error.
fn strings(v: &Value, file: u32, key: &str, errors: &mut Vec<InputError>) -> Vec<(String, Pos)> {
    match &v.kind {
        Kind::Null => Vec::new(),
        Kind::Str(s) if s.trim().is_empty() => Vec::new(),
        Kind::Str(s) => vec![(s.trim().to_owned(), v.pos)],
        Kind::Seq(items) => items.iter().flat_map(|i| strings(i, file, key, errors)).collect(),
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                at(file, v),
                format!(
                    "`{key}` in a model card must be a string or a list of strings, found {}",
                    v.type_name()
                ),
            ));
            Vec::new()
        }
    }
}

/// `https://huggingface.co/ORG/NAME[/...]` -> `ORG/NAME` (older cards' `model_link`).
fn hub_id_of_link(link: &str) -> Option<String> {
    let rest = link
        .strip_prefix("https://huggingface.co/")
        .or_else(|| link.strip_prefix("http://huggingface.co/"))?;
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let (org, name) = (parts.next()?, parts.next()?);
    Some(format!("{org}/{name}"))
}

/// A card with no metadata.
fn empty() -> Card {
    Card {
        license: None,
        meta: Vec::new(),
        parents: Vec::new(),
        relation: Relation::Finetune,
        inferred: false,
        datasets: Vec::new(),
    }
}

/// Reads a card's front matter. `Ok(None)`: the card has none.
pub fn parse(text: &str, file: u32, limits: &Limits) -> Result<Option<Card>, Vec<InputError>> {
    let Some(yaml) = front_matter(text) else {
        if super::opens_with_marker(text) {
            return Err(vec![
                InputError::at(
                    InputCode::ParseError,
                    file_start(file),
                    "the model card's front matter opened here is never closed by a `---` line",
                )
                .with_help("end the metadata block with a line `---`"),
            ]);
        }
        return Ok(None);
    };
    let doc = parse_yaml(&yaml, limits)
        .map_err(|e| vec![e.in_file(file, "invalid YAML in the model card's front matter")])?;
    let mut card = empty();
    let entries = match &doc.kind {
        Kind::Map(entries) => entries,
        Kind::Null => return Ok(Some(card)),
        _ => {
            return Err(vec![InputError::at(
                InputCode::InvalidValue,
                at(file, &doc),
                format!(
                    "a model card's front matter must be a map of keys, found {}",
                    doc.type_name()
                ),
            )]);
        }
    };
    let mut errors = Vec::new();
    let get = |key: &str| entries.iter().find(|(k, _)| &*k.name == key).map(|(_, v)| v);
    let licenses = get("license")
        .map(|v| strings(v, file, "license", &mut errors))
        .unwrap_or_default();
    let name_value = get("license_name");
    let name = name_value
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut items: Vec<String> = Vec::new();
    let mut pos = None;
    for (l, p) in &licenses {
        match (name, name_value) {
            (Some(n), Some(v)) if l.eq_ignore_ascii_case("other") => {
                // Findings about the license point at the name that says which it is.
                pos.get_or_insert(v.pos);
                card.meta.push(("license", MetaValue::Str(l.clone())));
                items.push(n.to_owned());
            }
            _ => {
                pos.get_or_insert(*p);
                items.push(l.clone());
            }
        }
    }
    if licenses.is_empty()
        && let (Some(n), Some(v)) = (name, get("license_name"))
    {
        // The Open LLM Leaderboard accepts a name without `license`.
        items.push(n.to_owned());
        pos = Some(v.pos);
    }
    if let Some(p) = pos.filter(|_| !items.is_empty()) {
        card.license = Some((items, p));
    }
    if let Some(link) = get("license_link").and_then(|v| v.as_str()) {
        card.meta.push(("license_link", MetaValue::Str(link.to_owned())));
    }
    // A parent written as a Hub URL is its id.
    card.parents = get("base_model")
        .map(|v| strings(v, file, "base_model", &mut errors))
        .unwrap_or_default()
        .into_iter()
        .map(|(p, pos)| (hub_id_of_link(&p).unwrap_or(p), pos))
        .collect();
    if card.parents.is_empty()
        && let Some(v) = get("model_link")
        && let Some(id) = v.as_str().and_then(hub_id_of_link)
    {
        card.parents.push((id, v.pos));
        card.meta.push(("parent_from", MetaValue::Str("model_link".to_owned())));
    }
    card.relation = match get("base_model_relation") {
        Some(v) => match v.as_str().map(str::trim) {
            Some("adapter") => Relation::Adapter,
            Some("merge") => Relation::Merge,
            Some("quantized") => Relation::Quantize,
            Some("finetune") => Relation::Finetune,
            _ => {
                errors.push(
                    InputError::at(
                        InputCode::InvalidValue,
                        at(file, v),
                        "`base_model_relation` must be `adapter`, `merge`, `quantized` or `finetune`",
                    )
                    .with_help("remove it to let mglint infer the relation from the number of parents"),
                );
                Relation::Finetune
            }
        },
        None => {
            card.inferred = !card.parents.is_empty();
            if card.parents.len() > 1 {
                Relation::Merge
            } else {
                Relation::Finetune
            }
        }
    };
    card.datasets = get("datasets")
        .map(|v| strings(v, file, "datasets", &mut errors))
        .unwrap_or_default();
    if errors.is_empty() { Ok(Some(card)) } else { Err(errors) }
}

/// The node a card stands for, its edges, and the references it makes: its parents
/// (by its relation) and its datasets (by `train`).
pub fn node_of(card: Card, id: String, file: u32, location: Location, authored: bool) -> (Node, Vec<Reference>) {
    let mut refs = Vec::new();
    for (parent, pos) in card.parents {
        refs.push(Reference::new(
            parent,
            NodeKind::Model,
            card.relation,
            Location { file, pos },
        ));
    }
    for (dataset, pos) in card.datasets {
        refs.push(Reference::new(
            dataset,
            NodeKind::Dataset,
            Relation::Train,
            Location { file, pos },
        ));
    }
    let mut entries = card.meta;
    if card.inferred {
        entries.push(("relation_inferred", MetaValue::Bool(true)));
    }
    let license = card.license.map(|(items, pos)| LicenseText {
        items,
        location: Location { file, pos },
    });
    let node = Node {
        id,
        kind: NodeKind::Model,
        license,
        name: None,
        intent: Intent::default(),
        meta: meta(location.pos, entries),
        location,
        authored,
    };
    (node, refs)
}

/// Reads a card given on the command line: its model is a node the user authored; its
/// parents and datasets are resolved like a recipe's references.
pub fn read(
    name: &str,
    text: &str,
    file: u32,
    sources: &mut Sources,
    resolver: &mut Resolver<'_>,
    builder: &mut GraphBuilder,
) {
    let card = match parse(text, file, &resolver.limits) {
        Ok(Some(card)) => card,
        // A README without front matter is a card that says nothing: its model is a node
        // with no license and no parents (only the leading block is metadata).
        Ok(None) => empty(),
        Err(errors) => {
            for e in errors {
                builder.error(e);
            }
            return;
        }
    };
    let mut card = card;
    if resolver.options.id.is_none()
        && let Some((_, Some(revision))) = super::resolve::cache_path_id(name)
    {
        card.meta.push(("revision", MetaValue::Str(revision)));
    }
    let id = result_id(name, resolver.options);
    resolver.claim(&id);
    let (node, refs) = node_of(card, id, file, file_start(file), true);
    let refs: Vec<Reference> = refs
        .into_iter()
        .map(|r| resolver.localize(r, Some(std::path::Path::new(name))))
        .collect();
    let edges: Vec<PendingEdge> = refs.iter().map(Reference::edge).collect();
    builder.add_imported(node, edges);
    for r in refs {
        resolver.request(r);
    }
    resolver.drain(sources, builder);
}
