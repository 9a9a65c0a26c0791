//! The propagation engine: what every node carries, from whom, in one topological pass.
//!
//! Each node's obligations are a sorted set of `(Atom, origin set)` pairs, hash-consed so
//! that equal sets are shared and the transformation of a set along a relation class is
//! computed once ([`Propagation`]). Paths are not stored: [`path`] rebuilds the shortest
//! one for a reported finding only. The engine never prints and never formats.

pub mod atom;
mod intent;
mod intern;
pub mod path;

use rustc_hash::FxHashMap as HashMap;

pub use atom::{Atom, Ob, Stage, UNKNOWN};
pub use intent::{IntentSource, NodeIntent, Overrides, resolve_intents};

use crate::graph::{Adjacency, Graph, NodeIx, RelationClass};
use crate::kb::expr::{LicenseValue, Term, resolve};
use crate::kb::{KnowledgeBase, LicId};
use intern::Interner;

/// A node's `license` value, resolved against the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeLicense {
    /// No `license` key.
    Undeclared,
    /// A value that could not be parsed as an expression (kept as written).
    Invalid {
        /// The text as written.
        text: String,
        /// Why it is not an expression.
        reason: String,
    },
    /// A resolved value.
    Value(LicenseValue),
}

impl NodeLicense {
    /// How many `OR` alternatives the value has.
    pub fn alternatives(&self) -> usize {
        match self {
            Self::Value(v) => v.alternatives.len(),
            _ => 1,
        }
    }

    /// The licenses of one alternative ([`UNKNOWN`] for unknown terms).
    pub fn terms(&self, choice: usize) -> Vec<LicId> {
        match self {
            Self::Undeclared => Vec::new(),
            Self::Invalid { .. } => vec![UNKNOWN],
            Self::Value(v) => v.alternatives[choice.min(v.alternatives.len() - 1)]
                .iter()
                .map(|t| match t {
                    Term::Known(id) => *id,
                    Term::Unknown(_) => UNKNOWN,
                })
                .collect(),
        }
    }

    /// The canonical text (`None` when undeclared).
    pub fn canonical(&self) -> Option<&str> {
        match self {
            Self::Undeclared => None,
            Self::Invalid { text, .. } => Some(text),
            Self::Value(v) => Some(&v.canonical),
        }
    }
}

/// Resolves every node's license value.
pub fn resolve_licenses(graph: &Graph, kb: &KnowledgeBase) -> Vec<NodeLicense> {
    // A hub's million nodes write a few dozen distinct values: each is parsed once.
    let mut resolved: HashMap<&[String], NodeLicense> = HashMap::default();
    graph
        .nodes
        .iter()
        .enumerate()
        .map(|(v, n)| match &n.license {
            // A root without a license may be named by a `--licenses` model mapping.
            None => match graph
                .is_root(v as NodeIx)
                .then(|| kb.model_license(&n.id, false))
                .flatten()
                .map(|m| m.license)
            {
                Some(l) => NodeLicense::Value(LicenseValue {
                    alternatives: vec![vec![Term::Known(l)]],
                    unversioned: Vec::new(),
                    canonical: kb.get(l).id.clone(),
                }),
                None => NodeLicense::Undeclared,
            },
            Some(text) => resolved
                .entry(&text.items)
                .or_insert_with(|| match resolve(&text.items, kb) {
                    Ok(v) => NodeLicense::Value(v),
                    Err(reason) => NodeLicense::Invalid {
                        text: text.items.join(" AND "),
                        reason,
                    },
                })
                .clone(),
        })
        .collect()
}

/// What a license's clauses produce across an edge of each relation class, by clause
/// name (`licenses show`). Marks on generated content (waiting for a model trained on
/// it) are named with ` (on outputs)`; obligations that bind the generating act only,
/// with ` (the generating act)`; bookkeeping obligations are left out.
pub fn travels(kb: &KnowledgeBase, lic: LicId) -> Vec<(RelationClass, Vec<String>)> {
    RelationClass::ALL
        .iter()
        .map(|&class| {
            let mut atoms = Vec::new();
            atom::produce(kb, lic, class, &mut atoms);
            let mut names: Vec<String> = atoms
                .iter()
                .filter_map(|a| {
                    let name = a.ob().clause_name()?;
                    Some(match a.stage() {
                        Stage::Marked => format!("{name} (on outputs)"),
                        Stage::Bound => format!("{name} (the generating act)"),
                        Stage::Carried | Stage::Own => name.to_owned(),
                    })
                })
                .collect();
            names.sort();
            names.dedup();
            (class, names)
        })
        .collect()
}

/// The licenses that produce obligations for what derives from `v`, under its choice.
/// A root without a license produces unknown terms (a hole downstream).
fn producing_terms(graph: &Graph, licenses: &[NodeLicense], choices: &[usize], v: NodeIx) -> Vec<LicId> {
    match &licenses[v as usize] {
        NodeLicense::Undeclared if graph.is_root(v) => vec![UNKNOWN],
        l => l.terms(choices[v as usize]),
    }
}

/// The result of propagation: the obligations every node carries.
#[derive(Debug)]
pub struct Propagation {
    /// Per node, where its obligations are in `obligations`: one read, not a set id and
    /// then the set (the path search reads millions of these in no particular order).
    spans: Vec<(u32, u32)>,
    /// The distinct obligation sets, one after another.
    obligations: Vec<(Atom, u32)>,
    origin_sets: Interner<NodeIx>,
    terms: Adjacency<LicId>,
    /// Each input edge of the graph ([`Graph::inputs`], in the same places) as the path
    /// search reads it: made once, by the first [`path::PathFinder`], so that a check
    /// that searches no path (an `OR` choice round, a run without a report) pays nothing.
    upstream: std::sync::OnceLock<Vec<Upstream>>,
}

/// An input edge with what a path search reads next about its upstream node: where that
/// node's obligations are and where its own input edges are. A step of a search then
/// reads one record where it read the edge, the node's span and the node's edge list,
/// three cache misses apiece at hub scale.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Upstream {
    /// The upstream node.
    pub from: NodeIx,
    /// How the edge's node was made from it.
    pub relation: crate::graph::Relation,
    /// Where the upstream node's obligations are ([`Propagation::obligations_at`]).
    pub obligations: (u32, u32),
    /// Where the upstream node's own input edges are (in [`Propagation::upstream`]).
    pub inputs: (u32, u32),
}

/// Where node `v`'s input edges are among all of them, as a span.
pub(crate) fn inputs_of(graph: &Graph, v: NodeIx) -> (u32, u32) {
    let r = graph.inputs.range(v as usize);
    let at = |i: usize| u32::try_from(i).expect("fewer than 2^32 edges");
    (at(r.start), at(r.end))
}

impl Propagation {
    /// The obligations node `v` carries: `(atom, origin-set id)`, sorted by atom.
    pub fn obligations(&self, v: NodeIx) -> &[(Atom, u32)] {
        self.obligations_at(self.spans[v as usize])
    }

    /// The obligations at a span ([`Upstream::obligations`]).
    pub(crate) fn obligations_at(&self, (start, end): (u32, u32)) -> &[(Atom, u32)] {
        &self.obligations[start as usize..end as usize]
    }

    /// Every input edge of `graph` (the graph propagated) as a path search reads it, in
    /// the places of [`Graph::inputs`]; made on the first call.
    pub(crate) fn upstream(&self, graph: &Graph) -> &[Upstream] {
        self.upstream.get_or_init(|| {
            graph
                .inputs
                .items()
                .iter()
                .map(|e| Upstream {
                    from: e.from,
                    relation: e.relation,
                    obligations: self.spans[e.from as usize],
                    inputs: inputs_of(graph, e.from),
                })
                .collect()
        })
    }

    /// The nodes of an origin set, in node-index order.
    pub fn origins(&self, set: u32) -> &[NodeIx] {
        self.origin_sets.get(set)
    }

    /// The licenses node `v` produces obligations from (its chosen alternative).
    pub fn terms(&self, v: NodeIx) -> &[LicId] {
        &self.terms[v as usize]
    }
}

/// Mutable state of one propagation run.
struct Run<'a> {
    kb: &'a KnowledgeBase,
    sets: Interner<(Atom, u32)>,
    origin_sets: Interner<NodeIx>,
    travel_memo: HashMap<(u32, RelationClass), u32>,
    atom_memo: HashMap<(Atom, RelationClass), Vec<Atom>>,
    /// What a node's licenses produce along a relation class, by the id of the list of
    /// licenses in `term_lists` (nodes share a few lists).
    produce_memo: HashMap<(u32, RelationClass), Vec<Atom>>,
    term_lists: Interner<LicId>,
    union_memo: HashMap<(u32, u32), u32>,
}

impl Run<'_> {
    /// What the licenses of list `terms` (an id in `term_lists`) produce along a relation
    /// of this class, sorted.
    fn produced(&mut self, terms: u32, class: RelationClass) -> &[Atom] {
        let (kb, lists) = (self.kb, &self.term_lists);
        self.produce_memo.entry((terms, class)).or_insert_with(|| {
            let mut atoms = Vec::new();
            for &t in lists.get(terms) {
                atom::produce(kb, t, class, &mut atoms);
            }
            atoms.sort_unstable();
            atoms.dedup();
            atoms
        })
    }

    fn union_origins(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == 0 {
            return a;
        }
        if a == 0 {
            return b;
        }
        let key = if a < b { (a, b) } else { (b, a) };
        if let Some(&u) = self.union_memo.get(&key) {
            return u;
        }
        let (x, y) = (self.origin_sets.get(a), self.origin_sets.get(b));
        let mut merged = Vec::with_capacity(x.len() + y.len());
        let (mut i, mut j) = (0, 0);
        while i < x.len() || j < y.len() {
            let next = match (x.get(i), y.get(j)) {
                (Some(&p), Some(&q)) if p == q => {
                    i += 1;
                    j += 1;
                    p
                }
                (Some(&p), Some(&q)) if p < q => {
                    i += 1;
                    p
                }
                (Some(&p), None) => {
                    i += 1;
                    p
                }
                (_, Some(&q)) => {
                    j += 1;
                    q
                }
                (None, None) => unreachable!(),
            };
            merged.push(next);
        }
        let id = self.origin_sets.intern(&merged);
        self.union_memo.insert(key, id);
        id
    }

    /// Sorts pairs by atom and merges the origin sets of equal atoms, into `out`.
    fn normalise(&mut self, pairs: &mut [(Atom, u32)], out: &mut Vec<(Atom, u32)>) {
        pairs.sort_unstable_by_key(|p| p.0);
        out.clear();
        let mut start = 0;
        while start < pairs.len() {
            let a = pairs[start].0;
            let end = start + pairs[start..].iter().take_while(|p| p.0 == a).count();
            let merged = match &pairs[start..end] {
                [(_, o)] => *o,
                [(_, x), (_, y)] => self.union_origins(*x, *y),
                // Many inputs with one obligation (a merge of thousands of models): one
                // union of them all, not a chain of ever larger intermediate sets.
                group => self.union_all(group.iter().map(|p| p.1)),
            };
            out.push((a, merged));
            start = end;
        }
    }

    /// The union of many origin sets, interned once.
    fn union_all(&mut self, sets: impl Iterator<Item = u32>) -> u32 {
        let mut ids: Vec<u32> = sets.filter(|&s| s != 0).collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [] => 0,
            [one] => *one,
            _ => {
                let mut merged: Vec<NodeIx> = ids
                    .iter()
                    .flat_map(|&s| self.origin_sets.get(s).iter().copied())
                    .collect();
                merged.sort_unstable();
                merged.dedup();
                self.origin_sets.intern(&merged)
            }
        }
    }

    fn travel_set(&mut self, set: u32, class: RelationClass) -> u32 {
        if set == 0 {
            return 0;
        }
        if let Some(&t) = self.travel_memo.get(&(set, class)) {
            return t;
        }
        let items: Vec<(Atom, u32)> = self.sets.get(set).to_vec();
        let mut pairs = Vec::with_capacity(items.len());
        for (a, o) in items {
            let travelled = self.atom_memo.entry((a, class)).or_insert_with(|| {
                let mut v = Vec::new();
                atom::travel(self.kb, a, class, &mut v);
                v
            });
            pairs.extend(travelled.iter().map(|&b| (b, o)));
        }
        let mut normal = Vec::with_capacity(pairs.len());
        self.normalise(&mut pairs, &mut normal);
        let id = self.sets.intern(&normal);
        self.travel_memo.insert((set, class), id);
        id
    }
}

/// The most memory propagation gives the obligations it tracks by default (their origin
/// sets and obligation sets): 1 GiB. A lineage in which every node adds an origin to what
/// it passes on (a chain of nodes that each declare a license) gives each node sets as
/// long as the chain above it, so this grows with the square of the chain: a 1 MB file of
/// 15 000 such nodes took 736 MB, a 4 MB one would take 12 GB. The 1M-node hub tracks
/// 36 MB.
pub const MAX_TRACKED_BYTES: usize = 1 << 30;

/// Propagation stopped: what it tracks would take more than the bytes allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMuchToTrack {
    /// The nodes propagated when it stopped.
    pub nodes_done: usize,
    /// The bytes allowed.
    pub max_bytes: usize,
}

/// Propagates obligations through the graph in topological order. `choices[v]` picks the
/// `OR` alternative of node `v`'s license. Stops when what it tracks would take more than
/// `max_bytes` ([`MAX_TRACKED_BYTES`] by default).
pub fn propagate(
    graph: &Graph,
    kb: &KnowledgeBase,
    licenses: &[NodeLicense],
    choices: &[usize],
    max_bytes: usize,
) -> Result<Propagation, TooMuchToTrack> {
    let n = graph.nodes.len();
    let mut run = Run {
        kb,
        sets: Interner::default(),
        origin_sets: Interner::default(),
        travel_memo: HashMap::default(),
        atom_memo: HashMap::default(),
        produce_memo: HashMap::default(),
        term_lists: Interner::default(),
        union_memo: HashMap::default(),
    };
    let terms = Adjacency::from_lists((0..n as NodeIx).map(|v| producing_terms(graph, licenses, choices, v)));
    // Per node: its obligation set, and its list of licenses in `term_lists`, side by side
    // (the propagation reads both for each upstream node, in no particular order).
    let mut states: Vec<(u32, u32)> = terms.iter().map(|t| (0, run.term_lists.intern(t))).collect();
    let (mut pairs, mut normal, mut produced) = (Vec::new(), Vec::new(), Vec::new());
    for (done, &v) in graph.order.iter().enumerate() {
        let tracked = run.origin_sets.items() * size_of::<NodeIx>() + run.sets.items() * size_of::<(Atom, u32)>();
        if tracked > max_bytes {
            return Err(TooMuchToTrack {
                nodes_done: done,
                max_bytes,
            });
        }
        pairs.clear();
        if graph.is_root(v) {
            // A root's own license binds the root as if over a `copy` edge from itself;
            // an unknown license is reported on the root itself, not carried by it.
            let own = run.produced(states[v as usize].1, RelationClass::Copy);
            if own.iter().any(|a| a.ob() != Ob::UnknownTerms) {
                produced.clear();
                produced.extend(own.iter().copied().filter(|a| a.ob() != Ob::UnknownTerms));
                let me = run.origin_sets.intern(&[v]);
                pairs.extend(produced.iter().map(|&a| (a, me)));
            }
        }
        for e in &graph.inputs[v as usize] {
            let class = e.relation.class();
            let (state, term_list) = states[e.from as usize];
            let travelled = run.travel_set(state, class);
            pairs.extend_from_slice(run.sets.get(travelled));
            produced.clear();
            produced.extend_from_slice(run.produced(term_list, class));
            if !produced.is_empty() {
                let origin = run.origin_sets.intern(&[e.from]);
                pairs.extend(produced.iter().map(|&a| (a, origin)));
            }
        }
        run.normalise(&mut pairs, &mut normal);
        states[v as usize].0 = run.sets.intern(&normal);
    }
    // Only the sets some node carries: the interner also holds the intermediate sets
    // made while travelling, which no reader asks for.
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(n);
    let mut obligations: Vec<(Atom, u32)> = Vec::new();
    let mut copied: HashMap<u32, (u32, u32)> = HashMap::default();
    for &(id, _) in &states {
        let span = *copied.entry(id).or_insert_with(|| {
            let start = obligations.len();
            obligations.extend_from_slice(run.sets.get(id));
            let at = |i: usize| u32::try_from(i).expect("fewer than 2^32 obligations in distinct sets");
            (at(start), at(obligations.len()))
        });
        spans.push(span);
    }
    Ok(Propagation {
        spans,
        obligations,
        origin_sets: run.origin_sets,
        terms,
        upstream: std::sync::OnceLock::new(),
    })
}
