//! Upstream models named by recipes and cards: each becomes a node whose license is found
//! offline, in the order of `importers.md`: `--licenses` mappings, the model's own card
//! (a local directory, or the local Hugging Face cache, following the card's own
//! `base_model` up so a lineage resolves), the built-in registry of model families, else
//! nothing (`missing-license`). `meta.license_source` records which.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use super::card;
use super::{ImportOptions, MetaValue, meta};
use crate::error::{InputCode, InputError};
use crate::graph::load::file_start;
use crate::graph::{GraphBuilder, Intent, LicenseText, Node, NodeKind, PendingEdge, Relation};
use crate::kb::KnowledgeBase;
use crate::source::{Location, Sources};
use crate::syntax::Limits;

/// How deep a chain of cards is followed, and how many models one run resolves: a cache
/// whose cards point at each other in a long loop must not keep mglint busy.
const MAX_DEPTH: u32 = 256;
const MAX_MODELS: usize = 100_000;
/// The largest card read from disk.
const MAX_CARD_BYTES: u64 = 16 << 20;

/// A model or dataset that a recipe or card names.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The node id: a Hugging Face id, `ORG/NAME` of a cache path, or a path as written.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// How the referring node was made from it.
    pub relation: Relation,
    /// Where the reference is written.
    pub location: Location,
    /// A pinned revision (`@rev`, or a cache snapshot).
    pub revision: Option<String>,
    /// The local directory (or card file) it names, when it is a path.
    local: Option<PathBuf>,
    /// How many cards were followed to get here.
    depth: u32,
}

impl Reference {
    /// A reference as written; a Hugging Face cache path becomes `ORG/NAME` with its
    /// snapshot as the revision.
    pub fn new(written: String, kind: NodeKind, relation: Relation, location: Location) -> Self {
        let (id, revision) = match cache_path_id(&written) {
            Some((id, rev)) => (id, rev),
            None => (written, None),
        };
        Self {
            id,
            kind,
            relation,
            location,
            revision,
            local: None,
            depth: 0,
        }
    }

    /// With a pinned revision (an empty one is none).
    pub fn at_revision(mut self, revision: Option<String>) -> Self {
        if let Some(rev) = revision.filter(|r| !r.is_empty()) {
            self.revision = Some(rev);
        }
        self
    }

    /// The edge from the referring node to this one.
    pub fn edge(&self) -> PendingEdge {
        PendingEdge {
            id: self.id.clone(),
            relation: self.relation,
            location: self.location,
        }
    }
}

/// `.../models--ORG--NAME/snapshots/REV[/...]` (or `datasets--`) -> (`ORG/NAME`, REV). The
/// `models--` directory must be the last part of the path or be followed by `snapshots`,
/// so a directory that merely starts with `models--` stays a path.
pub fn cache_path_id(path: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let i = parts.iter().position(|p| {
        (p.starts_with("models--") || p.starts_with("datasets--"))
            && p.split_once("--").is_some_and(|(_, repo)| !repo.is_empty())
    })?;
    if !matches!(parts.get(i + 1), None | Some(&"snapshots")) {
        return None;
    }
    let repo = parts[i].split_once("--")?.1;
    let id = repo.replacen("--", "/", 1);
    let revision = (parts.get(i + 1) == Some(&"snapshots"))
        .then(|| parts.get(i + 2).filter(|r| !r.is_empty()).map(|r| (*r).to_owned()))
        .flatten();
    Some((id, revision))
}

/// A path written in a recipe or card that is absolute on some machine: `/`, `\\`, `~`
/// or a drive letter. Those are kept as written (normalised); relative ones are relative
/// to the referring file.
fn is_absolute_anywhere(written: &str) -> bool {
    let bytes = written.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    written.starts_with(['/', '\\', '~']) || drive
}

/// Whether a reference names a local path rather than a Hugging Face id: it is absolute
/// (see above) or starts with `.`, or it exists relative to the referring file. Returns
/// the node id (the path, normalised: relative to the working directory when written
/// relative, as written otherwise) and the path to read.
fn local_path(written: &str, base: Option<&Path>) -> Option<(String, PathBuf)> {
    let absolute = is_absolute_anywhere(written);
    let joined = match base {
        Some(b) if !absolute => b.join(written),
        _ => PathBuf::from(written),
    };
    let readable = match written.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map_or_else(|| joined.clone(), |h| Path::new(&h).join(rest)),
        None => joined.clone(),
    };
    if !(absolute || written.starts_with('.') || readable.exists()) {
        return None;
    }
    Some((normalise(&joined.to_string_lossy()), readable))
}

/// A path with `.` and empty parts removed and `..` applied where it can be, `/`-separated
/// (`./models//a/../b/` -> `models/b`).
pub(crate) fn normalise(path: &str) -> String {
    let rooted = path.starts_with(['/', '\\']);
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Turns references into nodes, reading cards from disk as it goes.
pub struct Resolver<'a> {
    kb: &'a KnowledgeBase,
    /// The importers' options.
    pub options: &'a ImportOptions,
    /// Limits for every document read.
    pub limits: Limits,
    seen: FxHashSet<String>,
    queue: VecDeque<Reference>,
    resolved: usize,
    truncated: bool,
}

impl<'a> Resolver<'a> {
    /// A resolver over a knowledge base.
    pub fn new(kb: &'a KnowledgeBase, options: &'a ImportOptions, limits: Limits) -> Self {
        Self {
            kb,
            options,
            limits,
            seen: FxHashSet::default(),
            queue: VecDeque::new(),
            resolved: 0,
            truncated: false,
        }
    }

    /// The reference as a node id: a local model directory named in the file `from` gets
    /// its normalised path as id, so two files naming one directory name one node and
    /// equal spellings of different directories do not. Stage names and nodes the user
    /// declared stay as they are.
    pub fn localize(&self, mut r: Reference, from: Option<&Path>) -> Reference {
        let path_like = r.kind != NodeKind::Dataset || r.id.starts_with(['.', '/', '~']);
        if self.seen.contains(&r.id) || !path_like {
            return r;
        }
        if let Some((id, path)) = local_path(&r.id, from.and_then(Path::parent)) {
            r.id = id;
            r.local = Some(path);
        }
        r
    }

    /// Queues a reference (made with [`Resolver::localize`]) to become a node.
    pub fn request(&mut self, r: Reference) {
        self.queue.push_back(r);
    }

    /// Whether a model id is already a node (or queued to become one).
    pub fn knows(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// Marks an id as a node of its own (a recipe's stage, a card given on the command
    /// line), so references to it are edges, not new upstream nodes.
    pub fn claim(&mut self, id: &str) {
        self.seen.insert(id.to_owned());
    }

    /// Turns every queued reference into a node, following cards up their `base_model`.
    pub fn drain(&mut self, sources: &mut Sources, builder: &mut GraphBuilder) {
        while let Some(r) = self.queue.pop_front() {
            if self.seen.contains(&r.id) {
                continue;
            }
            if self.resolved >= MAX_MODELS || r.depth > MAX_DEPTH {
                if !self.truncated {
                    self.truncated = true;
                    builder.error(
                        InputError::at(
                            InputCode::LimitExceeded,
                            r.location,
                            format!(
                                "following model cards up from here went past {MAX_MODELS} models or {MAX_DEPTH} generations"
                            ),
                        )
                        .with_help("the cards in the Hugging Face cache may point at each other in a loop"),
                    );
                }
                // A bare node, so edges to it stay edges (the run stops at the limit).
                self.seen.insert(r.id.clone());
                builder.add_imported(bare(&r, None, Vec::new()), Vec::new());
                continue;
            }
            self.seen.insert(r.id.clone());
            self.resolved += 1;
            self.resolve(r, sources, builder);
        }
    }

    /// The card of a model: `README.md` in its local directory, or in the Hugging Face
    /// cache snapshot its revision pins (else the one `refs/main` names, else the last).
    /// A pinned revision missing from the cache falls back like an unpinned one, and the
    /// second value says so (the license may differ between revisions).
    fn card_path(&self, r: &Reference, local: Option<&Path>) -> Option<(PathBuf, Option<String>)> {
        if let Some(dir) = local {
            let card = if dir.is_dir() {
                dir.join("README.md")
            } else {
                dir.to_path_buf()
            };
            return card.is_file().then_some((card, None));
        }
        let cache = self.options.hf_cache.as_deref()?;
        let prefix = if r.kind == NodeKind::Dataset {
            "datasets"
        } else {
            "models"
        };
        let repo = cache.join(format!("{prefix}--{}", r.id.replace('/', "--")));
        let snapshots = repo.join("snapshots");
        // A revision names a snapshot or a ref, never a path out of the repository.
        let safe = |rev: &&str| !rev.contains("..") && !rev.starts_with(['/', '\\']);
        let pinned = r.revision.as_deref().filter(safe).and_then(|rev| {
            let direct = snapshots.join(rev);
            if direct.is_dir() {
                return Some(direct);
            }
            let sha = std::fs::read_to_string(repo.join("refs").join(rev)).ok()?;
            Some(snapshots.join(sha.trim()))
        });
        let main = || {
            std::fs::read_to_string(repo.join("refs/main"))
                .ok()
                .map(|sha| snapshots.join(sha.trim()))
                .filter(|d| d.is_dir())
        };
        let last = || {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir(&snapshots)
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            dirs.sort();
            dirs.pop()
        };
        let missing = r
            .revision
            .as_ref()
            .filter(|_| pinned.is_none())
            .map(|rev| format!("revision {rev} is not in the cache"));
        let card = pinned.or_else(main).or_else(last)?.join("README.md");
        card.is_file().then_some((card, missing))
    }

    /// Makes the node of one reference and queues the references its card makes.
    fn resolve(&mut self, r: Reference, sources: &mut Sources, builder: &mut GraphBuilder) {
        let local = r.local.clone();
        let mut entries = Vec::new();
        if let Some(rev) = &r.revision {
            entries.push(("revision", MetaValue::Str(rev.clone())));
        }
        if local.is_some() {
            entries.push(("local_path", MetaValue::Bool(true)));
        }
        // 1. A `--licenses` mapping.
        let mut license = self.kb.model_license(&r.id, false).map(|m| {
            let source = format!("--licenses {} (`{}`)", m.file, m.pattern);
            (self.kb.get(m.license).id.clone(), r.location, source)
        });
        // 2. The model's own card, whose parents become nodes too.
        let mut edges = Vec::new();
        if let Some((path, missing)) = self.card_path(&r, local.as_deref()) {
            match read_card(&path) {
                Ok(text) => {
                    let shown = path.display().to_string();
                    let file = sources.add(shown.clone(), text);
                    let text = sources.get(file).text.clone();
                    match card::parse(&text, file, &self.limits) {
                        Ok(Some(card)) => {
                            let (node, refs) = card::node_of(card, r.id.clone(), file, file_start(file), false);
                            if license.is_none()
                                && let Some(l) = node.license
                            {
                                let what = if r.kind == NodeKind::Dataset {
                                    "dataset card"
                                } else {
                                    "model card"
                                };
                                let note = missing.as_ref().map_or(String::new(), |m| format!("; {m}"));
                                license = Some((l.items.join(" AND "), l.location, format!("{what} {shown}{note}")));
                            }
                            if let Some(m) = node.meta {
                                entries.extend(meta_entries(m));
                            }
                            for parent in refs {
                                let mut parent = self.localize(parent, Some(&path));
                                parent.depth = r.depth + 1;
                                edges.push(parent.edge());
                                self.queue.push_back(parent);
                            }
                        }
                        Ok(None) => {}
                        Err(errors) => {
                            for e in errors {
                                builder.error(e);
                            }
                        }
                    }
                }
                Err(e) => builder.error(InputError::at(
                    InputCode::Io,
                    r.location,
                    format!("cannot read the card of {} at {}: {e}", r.id, path.display()),
                )),
            }
        }
        // 3. The built-in registry of model families.
        if license.is_none()
            && let Some(m) = self.kb.model_license(&r.id, true)
        {
            license = Some((
                self.kb.get(m.license).id.clone(),
                r.location,
                format!("registry (`{}`)", m.pattern),
            ));
        }
        let license = license.map(|(item, location, source)| {
            entries.push(("license_source", MetaValue::Str(source)));
            LicenseText {
                items: vec![item],
                location,
            }
        });
        builder.add_imported(bare(&r, license, entries), edges);
    }
}

/// The node of a reference: not authored, with what was found out about it.
fn bare(r: &Reference, license: Option<LicenseText>, entries: Vec<(&'static str, MetaValue)>) -> Node {
    Node {
        id: r.id.clone(),
        kind: r.kind,
        license,
        name: None,
        intent: Intent::default(),
        meta: meta(r.location.pos, entries),
        location: r.location,
        authored: false,
    }
}

/// A card's text, refusing files too large to be one (rather than reading a part).
fn read_card(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CARD_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CARD_BYTES {
        return Err(std::io::Error::other(format!(
            "it is larger than {} MiB, too large for a model card",
            MAX_CARD_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::other(format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The entries of an importer-built `meta` map, to merge into another.
fn meta_entries(v: crate::syntax::Value) -> Vec<(&'static str, MetaValue)> {
    let crate::syntax::Kind::Map(entries) = v.kind else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter_map(|(k, v)| {
            let key: &'static str = match &*k.name {
                "license" => "license",
                "license_link" => "license_link",
                "parent_from" => "parent_from",
                "relation_inferred" => "relation_inferred",
                _ => return None,
            };
            let value = match v.kind {
                crate::syntax::Kind::Str(s) => MetaValue::Str(s),
                crate::syntax::Kind::Bool(b) => MetaValue::Bool(b),
                _ => return None,
            };
            Some((key, value))
        })
        .collect()
}
