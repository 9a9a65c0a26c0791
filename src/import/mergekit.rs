//! mergekit recipes (`mergekit-yaml`, `mergekit-multi` / `mergekit-mega`, `mergekit-moe`,
//! `mergekit-evolve`): every model a recipe names becomes an upstream node of the merge
//! (`importers.md`, `input-formats.md` section 1).

use std::path::Path;

use super::resolve::{Reference, Resolver};
use super::{MetaValue, at, is_recipe, meta, result_id};
use crate::error::{InputCode, InputError};
use crate::graph::{GraphBuilder, Intent, Node, NodeKind, PendingEdge, Relation};
use crate::source::{Location, Sources};
use crate::syntax::{Kind, Limits, Value, parse_yaml};

/// The documents of a YAML stream, each padded with the newlines before it so positions
/// stay positions in the file. A line `---` starts a document; `...` ends one.
fn documents(text: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut lines_before = 0usize;
    let mut started = false;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare.starts_with("--- ") || bare == "..." {
            if started && !current.trim().is_empty() {
                docs.push(std::mem::take(&mut current));
            }
            current.clear();
            lines_before += 1;
            current.push_str(&"\n".repeat(lines_before));
            started = true;
            continue;
        }
        if !started {
            started = true;
        }
        current.push_str(line);
        lines_before += 1;
    }
    if !current.trim().is_empty() {
        docs.push(current);
    }
    docs
}

/// Whether the first document of a YAML stream is a recipe (for detection).
pub fn first_document_is_recipe(text: &str, limits: &Limits) -> bool {
    documents(text)
        .first()
        .and_then(|d| parse_yaml(d, limits).ok())
        .is_some_and(|d| is_recipe(&d))
}

/// The kind of upstream a reference names, which decides its relation.
#[derive(Clone, Copy)]
enum Role {
    /// Merged weights (every merge method; a MoE base; evolve candidates).
    Weights,
    /// Tokenizer files or embedding rows copied from a donor.
    Tokenizer,
    /// A mixture-of-experts expert, included unchanged.
    Expert,
}

impl Role {
    fn relation(self) -> Relation {
        match self {
            Self::Weights => Relation::Merge,
            Self::Tokenizer | Self::Expert => Relation::Combine,
        }
    }
}

/// One model reference as written: `path[@rev][+lora[@rev]]`, or `{model, lora}`.
struct Ref {
    path: String,
    revision: Option<String>,
    location: Location,
}

/// Collects the references of one document.
struct Walker<'e> {
    file: u32,
    refs: Vec<(Ref, Role)>,
    errors: &'e mut Vec<InputError>,
}

impl Walker<'_> {
    fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
        match &v.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| &*k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The items of a list under `key`; anything but a list (or nothing) is an error, as in
    /// mergekit's own schema.
    fn items<'v>(&mut self, parent: &'v Value, key: &str) -> &'v [Value] {
        match Self::get(parent, key) {
            None => &[],
            Some(Value {
                kind: Kind::Seq(items), ..
            }) => items,
            // `models:` with nothing after it: an empty list.
            Some(Value { kind: Kind::Null, .. }) => &[],
            Some(v) => {
                self.errors.push(InputError::at(
                    InputCode::InvalidValue,
                    at(self.file, v),
                    format!("`{key}` must be a list, found {}", v.type_name()),
                ));
                &[]
            }
        }
    }

    /// The value of a key an entry must have (mergekit requires it); an error otherwise.
    fn required<'v>(&mut self, entry: &'v Value, key: &str, what: &str) -> Option<&'v Value> {
        let found = Self::get(entry, key);
        if found.is_none() {
            self.errors.push(InputError::at(
                InputCode::InvalidValue,
                at(self.file, entry),
                format!("{what} needs `{key}:`"),
            ));
        }
        found
    }

    /// `path@rev` -> (path, rev).
    fn split_revision(&mut self, s: &str, v: &Value) -> Option<(String, Option<String>)> {
        let mut parts = s.split('@');
        let path = parts.next().unwrap_or_default().trim().to_owned();
        let rev = parts.next().map(|r| r.trim().to_owned());
        if parts.next().is_some() || path.is_empty() {
            self.errors.push(InputError::at(
                InputCode::InvalidValue,
                at(self.file, v),
                format!("`{s}` is not a model reference: write `path`, `path@revision` or `model+lora`"),
            ));
            return None;
        }
        Some((path, rev))
    }

    /// A REF: a string (`a@rev+lora@rev`) or a map (`{model: .., lora: ..}`).
    fn reference(&mut self, v: &Value, role: Role) {
        let location = at(self.file, v);
        match &v.kind {
            Kind::Str(s) => {
                let halves: Vec<&str> = s.split('+').collect();
                if halves.len() > 2 {
                    self.errors.push(InputError::at(
                        InputCode::InvalidValue,
                        location,
                        format!("`{s}` has more than one `+`: a reference is `model` or `model+lora`"),
                    ));
                    return;
                }
                for half in halves {
                    if let Some((path, revision)) = self.split_revision(half, v) {
                        self.refs.push((
                            Ref {
                                path,
                                revision,
                                location,
                            },
                            role,
                        ));
                    }
                }
            }
            Kind::Map(_) => {
                for key in ["model", "lora"] {
                    let Some(part) = Self::get(v, key) else { continue };
                    match &part.kind {
                        Kind::Str(_) => self.reference(part, role),
                        Kind::Map(_) => match Self::get(part, "path") {
                            Some(p) if p.as_str().is_some() => {
                                let revision = Self::get(part, "revision").and_then(Value::as_str).map(str::to_owned);
                                self.refs.push((
                                    Ref {
                                        path: p.as_str().unwrap_or_default().to_owned(),
                                        revision,
                                        location: at(self.file, p),
                                    },
                                    role,
                                ));
                            }
                            _ => self.not_a_reference(part),
                        },
                        _ => self.not_a_reference(part),
                    }
                }
            }
            Kind::Null => {}
            _ => self.not_a_reference(v),
        }
    }

    fn not_a_reference(&mut self, v: &Value) {
        self.errors.push(InputError::at(
            InputCode::InvalidValue,
            at(self.file, v),
            format!(
                "a model reference must be a string or a `{{ model, lora }}` map, found {}",
                v.type_name()
            ),
        ));
    }

    /// A tokenizer source: `union` / `base` copy from the merged models themselves (no
    /// new upstream); anything else names a donor (`model:` prefix of older configs).
    fn tokenizer_source(&mut self, v: &Value) {
        if let Some(s) = v.as_str() {
            let s = s.trim();
            if matches!(s, "union" | "base" | "") {
                return;
            }
            let stripped = Value {
                pos: v.pos,
                kind: Kind::Str(s.strip_prefix("model:").unwrap_or(s).to_owned()),
            };
            return self.reference(&stripped, Role::Tokenizer);
        }
        self.reference(v, Role::Tokenizer);
    }

    /// `models`, `slices`, `base_model` of a recipe, a module or a genome.
    fn merge_config(&mut self, doc: &Value) {
        if let Some(base) = Self::get(doc, "base_model") {
            self.reference(base, Role::Weights);
        }
        for m in self.items(doc, "models") {
            if matches!(m.kind, Kind::Str(_)) {
                // evolve `genome.models` and mergekit-pytorch list bare references.
                self.reference(m, Role::Weights);
            } else if let Some(r) = self.required(m, "model", "a `models` entry") {
                self.reference(r, Role::Weights);
            }
            // A `lora:` key next to `model:` (an unmerged mergekit branch) names an
            // adapter merged in: its license matters even if mergekit may ignore it.
            if let Some(lora) = Self::get(m, "lora").filter(|_| Self::get(m, "model").is_some()) {
                self.reference(lora, Role::Weights);
            }
        }
        for slice in self.items(doc, "slices") {
            if let Some(base) = Self::get(slice, "base_model") {
                self.reference(base, Role::Weights);
            }
            if self.required(slice, "sources", "a slice").is_some() {
                for source in self.items(slice, "sources") {
                    if let Some(r) = self.required(source, "model", "a slice source") {
                        self.reference(r, Role::Weights);
                    }
                }
            }
        }
        if let Some(Kind::Map(modules)) = Self::get(doc, "modules").map(|m| &m.kind) {
            for (_, module) in modules {
                self.merge_config(module);
            }
        }
    }

    /// Every reference of one document.
    fn document(&mut self, doc: &Value) {
        self.merge_config(doc);
        if let Some(genome) = Self::get(doc, "genome") {
            self.merge_config(genome);
            if let Some(t) = Self::get(genome, "tokenizer_source") {
                self.tokenizer_source(t);
            }
        }
        for key in ["experts", "shared_experts"] {
            for expert in self.items(doc, key) {
                if let Some(r) = self.required(expert, "source_model", "an expert") {
                    self.reference(r, Role::Expert);
                }
            }
        }
        if let Some(t) = Self::get(doc, "tokenizer_source") {
            self.tokenizer_source(t);
        }
        if let Some(tokenizer) = Self::get(doc, "tokenizer") {
            if let Some(source) = Self::get(tokenizer, "source") {
                self.tokenizer_source(source);
            }
            if let Some(Kind::Map(tokens)) = Self::get(tokenizer, "tokens").map(|t| &t.kind) {
                for (_, token) in tokens {
                    match Self::get(token, "source") {
                        Some(s) if matches!(s.kind, Kind::Map(_)) => {
                            if let Some(m) = Self::get(s, "model") {
                                self.reference(m, Role::Tokenizer);
                            }
                        }
                        Some(s) => self.tokenizer_source(s),
                        None => {}
                    }
                }
            }
        }
    }
}

/// Keys of a recipe document that list models.
const MODEL_KEYS: &[&str] = &["models", "slices", "modules", "experts", "genome"];

/// One stage of a recipe: its node id, where it starts, and its references.
struct Stage {
    id: String,
    location: Location,
    method: Option<String>,
    refs: Vec<(Ref, Role)>,
}

/// Reads a recipe: each document is a stage (the unnamed one, or else the last, is the
/// result); each model it names is an upstream node, a stage name an edge between stages.
pub fn read(
    name: &str,
    text: &str,
    file: u32,
    sources: &mut Sources,
    resolver: &mut Resolver<'_>,
    builder: &mut GraphBuilder,
) {
    let mut errors = Vec::new();
    let mut stages = Vec::new();
    let docs = documents(text);
    let mut unnamed = 0;
    for doc_text in &docs {
        let doc = match parse_yaml(doc_text, &resolver.limits) {
            Ok(doc) => doc,
            Err(e) => {
                errors.push(e.in_file(file, "invalid YAML in the recipe"));
                continue;
            }
        };
        let location = at(file, &doc);
        if !MODEL_KEYS.iter().any(|k| Walker::get(&doc, k).is_some()) {
            errors.push(
                InputError::at(
                    InputCode::NotARecipe,
                    location,
                    format!("{name}: this document names no models: it has none of `models`, `slices`, `modules`, `experts` or `genome`"),
                )
                .with_help("a mergekit recipe lists the models it merges; a graph file has `nodes:`"),
            );
            continue;
        }
        let stage_name = Walker::get(&doc, "name").and_then(Value::as_str).map(str::to_owned);
        if stage_name.is_none() {
            unnamed += 1;
            if unnamed > 1 {
                errors.push(InputError::at(
                    InputCode::InvalidValue,
                    location,
                    "a multi-stage recipe may have one unnamed document (the final merge); give this one a `name:`",
                ));
                continue;
            }
        }
        let errors_before = errors.len();
        let refs = {
            let mut walker = Walker {
                file,
                refs: Vec::new(),
                errors: &mut errors,
            };
            walker.document(&doc);
            walker.refs
        };
        if refs.is_empty() && errors.len() == errors_before {
            errors.push(InputError::at(
                InputCode::NotARecipe,
                location,
                format!("{name}: this document's model lists are empty: it names no models"),
            ));
        }
        stages.push(Stage {
            id: stage_name.unwrap_or_else(|| result_id(name, resolver.options)),
            location,
            method: Walker::get(&doc, "merge_method")
                .or_else(|| Walker::get(&doc, "genome").and_then(|g| Walker::get(g, "merge_method")))
                .and_then(Value::as_str)
                .map(str::to_owned),
            refs,
        });
    }
    for e in errors {
        builder.error(e);
    }
    // `--id` names the result: the unnamed stage, or else the last one, whose name then
    // refers to the renamed node.
    let renamed = match (&resolver.options.id, stages.last_mut()) {
        (Some(id), Some(last)) if last.id != *id && unnamed == 0 => {
            Some((std::mem::replace(&mut last.id, id.clone()), id.clone()))
        }
        _ => None,
    };
    for stage in &stages {
        resolver.claim(&stage.id);
    }
    for stage in stages {
        let mut edges: Vec<PendingEdge> = Vec::new();
        let mut entries = vec![("imported_from", MetaValue::Str("mergekit".to_owned()))];
        if let Some(m) = stage.method {
            entries.push(("merge_method", MetaValue::Str(m)));
        }
        for (r, role) in stage.refs {
            let path = match &renamed {
                Some((old, new)) if r.path == *old => new.clone(),
                _ => r.path,
            };
            let reference = resolver.localize(
                Reference::new(path, NodeKind::Model, role.relation(), r.location).at_revision(r.revision),
                Some(Path::new(name)),
            );
            // The same model named twice is one upstream: merged weights win over a
            // tokenizer donor (a derivative carries more than a part).
            match edges.iter_mut().find(|e| e.id == reference.id) {
                Some(e) if e.relation == Relation::Combine && reference.relation == Relation::Merge => {
                    e.relation = Relation::Merge;
                }
                Some(_) => {}
                None => edges.push(reference.edge()),
            }
            if !resolver.knows(&reference.id) {
                resolver.request(reference);
            }
        }
        let node = Node {
            id: stage.id,
            kind: NodeKind::Model,
            license: None,
            name: None,
            intent: Intent::default(),
            meta: meta(stage.location.pos, entries),
            location: stage.location,
            authored: true,
        };
        builder.add_imported(node, edges);
    }
    resolver.drain(sources, builder);
}
