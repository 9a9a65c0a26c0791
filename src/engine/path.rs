//! Rebuilding the path an obligation took, only for what is reported.
//!
//! A walk up the node's single input edges (a node with one is reached only by it), then
//! a breadth-first search backwards from there over `(node, atom)` states whose origin
//! set contains the origin, then a greedy walk forwards that picks, at each hop, the
//! smallest id among the nodes on some shortest path: the shortest path with ties broken
//! by the lexicographically smallest sequence of ids (`semantics.md` section 3). Node
//! indices are numbered in id order, so "smallest id" is "smallest index".

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;

use super::atom::{self, Atom};
use super::{Propagation, Upstream, inputs_of};
use crate::graph::{Graph, NodeIx, Relation, RelationClass};
use crate::kb::KnowledgeBase;

/// One hop of a path: the node and the relation it was made by (none for the origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// The node.
    pub node: NodeIx,
    /// How it was made from the previous hop.
    pub via: Option<Relation>,
}

/// A BFS state: a node and one obligation it carries.
type State = (NodeIx, Atom);

/// Finds paths for many findings, reusing its buffers and memoised atom transformations.
pub struct PathFinder<'a> {
    graph: &'a Graph,
    kb: &'a KnowledgeBase,
    prop: &'a Propagation,
    /// The graph's input edges as the search reads them ([`Propagation::upstream`]).
    upstream: &'a [Upstream],
    /// What each atom becomes along each relation class.
    travel_memo: Memo,
    /// What each license produces along each relation class (few: keyed by license, not
    /// by node, so the memo stays small over millions of findings).
    produce_memo: Memo,
    dist: Distances,
    /// States to expand, with where their node's input edges are.
    queue: VecDeque<(NodeIx, Atom, (u32, u32))>,
    /// Edges of the BFS towards the node: (from state, to state, relation), in the order
    /// the search records them, which is by the distance of the `to` state.
    steps: Vec<(State, State, Relation)>,
    /// Where the steps into the states at each distance start in `steps`: the walk looks
    /// at one distance's steps only, without sorting them.
    levels: Vec<usize>,
    /// First hops out of the origin: (state reached, relation).
    first: Vec<(State, Relation)>,
    /// Paths found from a search's start with more than [`PathFinder::WIDE`] input edges,
    /// by (start, origin, atoms searched for), `None` when the origin is not reached. A
    /// search there reads every input edge, and `suggest` asks it again for every origin
    /// of every node below: a merge of 2 000 models with 2 000 fine-tunes below took 4
    /// million searches (164 s).
    wide: HashMap<(NodeIx, NodeIx, Vec<Atom>), Option<Vec<Hop>>>,
    /// The hops `wide` holds (paths can be as long as the lineage).
    wide_hops: usize,
}

impl<'a> PathFinder<'a> {
    /// A path finder over one propagation result.
    pub fn new(graph: &'a Graph, kb: &'a KnowledgeBase, prop: &'a Propagation) -> Self {
        Self {
            graph,
            kb,
            prop,
            upstream: prop.upstream(graph),
            travel_memo: Memo::default(),
            produce_memo: Memo::default(),
            dist: Distances::new(graph.nodes.len()),
            queue: VecDeque::new(),
            steps: Vec::new(),
            levels: Vec::new(),
            first: Vec::new(),
            wide: HashMap::default(),
            wide_hops: 0,
        }
    }

    /// Input edges from which a search's paths are kept ([`PathFinder::wide`]).
    const WIDE: u32 = 16;
    /// Hops kept at most (8 MiB); then the paths are forgotten, all at once. Every reader
    /// of findings has a path finder, so this is per thread.
    const WIDE_KEPT: usize = 1 << 20;

    fn travelled(&mut self, b: Atom, class: RelationClass) -> &[Atom] {
        let kb = self.kb;
        self.travel_memo
            .get(u64::from(b.0), class, |out| atom::travel(kb, b, class, out))
    }

    /// Whether node `u`'s own licenses produce `a` along a relation of this class.
    fn produces(&mut self, u: NodeIx, class: RelationClass, a: Atom) -> bool {
        let (kb, prop) = (self.kb, self.prop);
        prop.terms(u).iter().any(|&t| {
            self.produce_memo
                .get(u64::from(t), class, |out| atom::produce(kb, t, class, out))
                .contains(&a)
        })
    }

    fn carries(&self, v: NodeIx, a: Atom, origin: NodeIx) -> bool {
        let obs = self.prop.obligations(v);
        obs.binary_search_by_key(&a, |p| p.0)
            .is_ok_and(|i| self.holds_origin(obs[i].1, origin))
    }

    /// Whether an origin set holds the origin: a state on a path from it.
    fn holds_origin(&self, set: u32, origin: NodeIx) -> bool {
        self.prop.origins(set).binary_search(&origin).is_ok()
    }

    /// Input edges at a span ([`Upstream::inputs`], [`inputs_of`]).
    fn edges(&self, (start, end): (u32, u32)) -> &'a [Upstream] {
        &self.upstream[start as usize..end as usize]
    }

    /// The shortest path from `origin` to `node` along which one of `atoms` travelled.
    ///
    /// A node with one input edge is reached only by that edge, so the search starts at
    /// the first node up the line with several (or whose input is the origin), and the
    /// hops walked up to it are added after: a fine-tune chain is walked, not searched.
    /// The path is the one [`PathFinder::searched_path`] finds.
    pub fn path(&mut self, node: NodeIx, atoms: &[Atom], origin: NodeIx) -> Vec<Hop> {
        self.find(node, atoms, origin, true)
    }

    /// [`PathFinder::path`] by the search alone, from `node` itself: slower on chains, and
    /// the reference the walk up single-input nodes is tested against.
    pub fn searched_path(&mut self, node: NodeIx, atoms: &[Atom], origin: NodeIx) -> Vec<Hop> {
        self.find(node, atoms, origin, false)
    }

    fn find(&mut self, node: NodeIx, atoms: &[Atom], origin: NodeIx, walk_up: bool) -> Vec<Hop> {
        let mut targets: Vec<Atom> = atoms
            .iter()
            .copied()
            .filter(|&a| self.carries(node, a, origin))
            .collect();
        if origin == node || targets.is_empty() {
            return vec![Hop { node, via: None }];
        }
        let unreached = || {
            vec![
                Hop {
                    node: origin,
                    via: None,
                },
                Hop { node, via: None },
            ]
        };
        // Below the search's start, nearest to `node` first.
        let mut below: Vec<Hop> = Vec::new();
        let mut next: Vec<Atom> = Vec::new();
        let (mut start, mut inputs) = (node, inputs_of(self.graph, node));
        while walk_up && let [e] = self.edges(inputs) {
            if e.from == origin {
                break;
            }
            // The states one hop up, as the search's step finds them (`distances`): the
            // upstream node's obligations from the origin that become a target here.
            let class = e.relation.class();
            next.clear();
            for &(b, set) in self.prop.obligations_at(e.obligations) {
                if self.travelled(b, class).iter().any(|t| targets.contains(t)) && self.holds_origin(set, origin) {
                    next.push(b);
                }
            }
            if next.is_empty() {
                return unreached();
            }
            below.push(Hop {
                node: start,
                via: Some(e.relation),
            });
            (start, inputs) = (e.from, e.inputs);
            std::mem::swap(&mut targets, &mut next);
        }
        let key = (inputs.1 - inputs.0 > Self::WIDE).then(|| (start, origin, targets.clone()));
        let above = match key.as_ref().and_then(|k| self.wide.get(k)) {
            Some(above) => above.clone(),
            None => {
                let above = self
                    .distances(start, inputs, &targets, origin)
                    .map(|total| self.walk(origin, total));
                if let Some(key) = key {
                    let hops = above.as_ref().map_or(0, Vec::len) + key.2.len();
                    if self.wide_hops + hops > Self::WIDE_KEPT {
                        self.wide.clear();
                        self.wide_hops = 0;
                    }
                    self.wide_hops += hops;
                    self.wide.insert(key, above.clone());
                }
                above
            }
        };
        let Some(mut hops) = above else {
            return unreached();
        };
        hops.extend(below.into_iter().rev());
        hops
    }

    /// Backward BFS: `dist[(v, a)]` = hops from state `(v, a)` to the node, whose input
    /// edges are at `inputs`. Records every step between consecutive levels and the
    /// origin's first hops. Returns the length of the shortest path from the origin.
    fn distances(&mut self, node: NodeIx, inputs: (u32, u32), targets: &[Atom], origin: NodeIx) -> Option<u32> {
        let prop = self.prop;
        self.dist.clear();
        self.queue.clear();
        self.steps.clear();
        self.levels.clear();
        self.first.clear();
        for &a in targets {
            self.dist.insert(node, a, 0);
            self.queue.push_back((node, a, inputs));
        }
        let mut best: Option<u32> = None;
        while let Some((v, a, inputs)) = self.queue.pop_front() {
            let d = self.dist.get(v, a).expect("queued states have a distance");
            if best.is_some_and(|b| d + 1 > b) {
                break;
            }
            // States leave the queue by distance: the first of distance `d` opens its level.
            if self.levels.len() == d as usize {
                self.levels.push(self.steps.len());
            }
            for e in self.edges(inputs) {
                let class = e.relation.class();
                if e.from == origin && self.produces(origin, class, a) {
                    best = Some(d + 1);
                    self.first.push(((v, a), e.relation));
                }
                for &(b, set) in prop.obligations_at(e.obligations) {
                    // The memoised transformation first: few of a parent's obligations
                    // become `a`, and the origin sets are the memory a search waits for.
                    if !self.travelled(b, class).contains(&a) {
                        continue;
                    }
                    let known = self.dist.get(e.from, b);
                    if known.is_some_and(|k| k != d + 1) || !self.holds_origin(set, origin) {
                        continue;
                    }
                    if known.is_none() {
                        self.dist.insert(e.from, b, d + 1);
                        self.queue.push_back((e.from, b, e.inputs));
                    }
                    self.steps.push(((e.from, b), (v, a), e.relation));
                }
            }
        }
        best
    }

    /// Forward greedy walk from the origin along the recorded steps.
    fn walk(&mut self, origin: NodeIx, total: u32) -> Vec<Hop> {
        let mut hops = vec![Hop {
            node: origin,
            via: None,
        }];
        let mut remaining = total - 1;
        let mut cands: Vec<(NodeIx, Relation, Atom)> = self
            .first
            .iter()
            .filter(|((w, a), _)| self.dist.get(*w, *a) == Some(remaining))
            .map(|&((w, a), rel)| (w, rel, a))
            .collect();
        let mut frontier = Vec::new();
        choose(&cands, &mut hops, &mut frontier);
        while remaining > 0 && !frontier.is_empty() {
            remaining -= 1;
            cands.clear();
            // The steps into states at distance `remaining`, from the frontier (sorted).
            let start = self.levels.get(remaining as usize).copied().unwrap_or(self.steps.len());
            let end = self
                .levels
                .get(remaining as usize + 1)
                .copied()
                .unwrap_or(self.steps.len());
            for &(from, (x, c), rel) in &self.steps[start..end] {
                if frontier.binary_search(&from).is_ok() && self.dist.get(x, c) == Some(remaining) {
                    cands.push((x, rel, c));
                }
            }
            choose(&cands, &mut hops, &mut frontier);
        }
        hops
    }
}

/// A memoised transformation of an atom or a license along a relation class. The
/// results sit one after another in one array, and a small direct-mapped table in front
/// of the map answers the repeated questions of a search without hashing into the map
/// or following a pointer per result.
struct Memo {
    /// `(key, start, end)` of a recent result, at a slot chosen by the key.
    recent: Vec<(u64, u32, u32)>,
    /// Every result computed: where it sits in `results`.
    all: HashMap<u64, (u32, u32)>,
    results: Vec<Atom>,
}

impl Default for Memo {
    fn default() -> Self {
        Self {
            recent: vec![(u64::MAX, 0, 0); Self::RECENT],
            all: HashMap::default(),
            results: Vec::new(),
        }
    }
}

impl Memo {
    /// The table has `2^BITS` slots.
    const BITS: u32 = 10;
    const RECENT: usize = 1 << Self::BITS;

    /// The result for `(what, class)`, computed by `make` (appending it) the first time.
    fn get(&mut self, what: u64, class: RelationClass, make: impl FnOnce(&mut Vec<Atom>)) -> &[Atom] {
        // Three bits for the class (six of them), the atom or license above.
        const _: () = assert!(RelationClass::ALL.len() <= 8);
        let key = (what << 3) | class as u64;
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS)) as usize;
        let (k, start, end) = self.recent[slot];
        if k == key {
            return &self.results[start as usize..end as usize];
        }
        let results = &mut self.results;
        let (start, end) = *self.all.entry(key).or_insert_with(|| {
            let start = results.len();
            make(results);
            let at = |i: usize| u32::try_from(i).expect("fewer than 2^32 memoised atoms");
            (at(start), at(results.len()))
        });
        self.recent[slot] = (key, start, end);
        &self.results[start as usize..end as usize]
    }
}

/// BFS distances of `(node, atom)` states. Most searches reach a few states: those are
/// found by scanning the list, which stays in the cache. A search that grows past
/// `SMALL` states (a long chain) links them from a slot per node instead, reset by the
/// nodes touched, so a million-hop search costs no hashing and no quadratic scan.
struct Distances {
    head: Vec<u32>,
    /// `(node, atom, distance, next entry of the node)`; the links are kept only once
    /// the search is large.
    entries: Vec<(NodeIx, Atom, u32, u32)>,
    touched: Vec<NodeIx>,
}

impl Distances {
    const NONE: u32 = u32::MAX;
    const SMALL: usize = 32;

    fn new(nodes: usize) -> Self {
        Self {
            head: vec![Self::NONE; nodes],
            entries: Vec::new(),
            touched: Vec::new(),
        }
    }

    fn large(&self) -> bool {
        self.entries.len() > Self::SMALL
    }

    fn clear(&mut self) {
        for &v in &self.touched {
            self.head[v as usize] = Self::NONE;
        }
        self.touched.clear();
        self.entries.clear();
    }

    fn get(&self, v: NodeIx, a: Atom) -> Option<u32> {
        if !self.large() {
            return self.entries.iter().find(|e| e.0 == v && e.1 == a).map(|e| e.2);
        }
        let mut i = self.head[v as usize];
        while i != Self::NONE {
            let (_, b, d, next) = self.entries[i as usize];
            if b == a {
                return Some(d);
            }
            i = next;
        }
        None
    }

    fn insert(&mut self, v: NodeIx, a: Atom, d: u32) {
        self.entries.push((v, a, d, Self::NONE));
        if self.entries.len() == Self::SMALL + 1 {
            // The search outgrew the list: link every entry from its node's slot.
            for i in 0..self.entries.len() {
                self.link(i);
            }
        } else if self.large() {
            self.link(self.entries.len() - 1);
        }
    }

    fn link(&mut self, i: usize) {
        let v = self.entries[i].0 as usize;
        if self.head[v] == Self::NONE {
            self.touched.push(v as NodeIx);
        }
        self.entries[i].3 = self.head[v];
        self.head[v] = u32::try_from(i).expect("fewer than 2^32 states");
    }
}

/// Picks the smallest node among the candidates, records the hop, and puts its states in
/// `next` (sorted).
fn choose(cands: &[(NodeIx, Relation, Atom)], hops: &mut Vec<Hop>, next: &mut Vec<(NodeIx, Atom)>) {
    next.clear();
    let Some(best) = cands.iter().map(|c| c.0).min() else {
        return;
    };
    let via = cands
        .iter()
        .filter(|c| c.0 == best)
        .map(|c| c.1)
        .min()
        .unwrap_or(Relation::Copy);
    hops.push(Hop {
        node: best,
        via: Some(via),
    });
    next.extend(cands.iter().filter(|c| c.0 == best).map(|c| (c.0, c.2)));
    next.sort_unstable();
    next.dedup();
}
