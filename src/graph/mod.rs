//! The derivation graph: artifacts, the relations between them, and intent.
//!
//! [`load`] reads graph files (`graph-format.md`) into a [`GraphBuilder`]; [`GraphBuilder::finish`]
//! resolves references, rejects cycles and fixes a topological order. Nodes are
//! addressed by dense `u32` indices ([`NodeIx`]) so the engine can keep per-node state in
//! flat vectors.

pub mod load;
pub mod schema;

use rustc_hash::FxHashMap as HashMap;

use crate::error::{InputCode, InputError};
use crate::source::Location;
use crate::syntax::Value;

/// Index of a node in a [`Graph`].
pub type NodeIx = u32;

/// The longest id accepted (a node's or a `from` reference's), in characters. An id is
/// written again in every finding, path and origin list below its node, so one huge id in
/// a small file would make a report of gigabytes; real ids (`org/name`, a local path) are
/// far shorter.
pub const MAX_ID_CHARS: usize = 1024;

/// Whether `id` is over [`MAX_ID_CHARS`] (characters are counted only past that many bytes).
fn too_long(id: &str) -> bool {
    id.len() > MAX_ID_CHARS && id.chars().count() > MAX_ID_CHARS
}

/// `id` as messages quote it (duplicate ids, cycles, a bare reference without `via`, the
/// limit itself): an id over the limit is cut to its first characters.
fn shown(id: &str) -> std::borrow::Cow<'_, str> {
    if too_long(id) {
        format!("{}…", id.chars().take(40).collect::<String>()).into()
    } else {
        id.into()
    }
}

/// The `limit-exceeded` error of an id over [`MAX_ID_CHARS`]: `what` is the id's place.
fn id_too_long(what: &str, id: &str, location: Location) -> InputError {
    InputError::at(
        InputCode::LimitExceeded,
        location,
        format!(
            "{what} is {} characters long, over the limit of {MAX_ID_CHARS}: `{}`",
            id.chars().count(),
            shown(id)
        ),
    )
    .with_help("an id names one model or dataset, such as a Hugging Face repo id (`org/name`)")
}

/// What an artifact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// Weights and architecture.
    Model,
    /// Training or evaluation data.
    Dataset,
    /// Software.
    Code,
    /// Generated content.
    Output,
    /// A separable collection shipped together.
    Bundle,
}

/// How a node was made from an upstream artifact (`via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// Verbatim redistribution.
    Copy,
    /// Further training of the upstream weights.
    Finetune,
    /// An adapter trained on top of the upstream model.
    Adapter,
    /// Inseparable combination of weights.
    Merge,
    /// The same network at lower precision.
    Quantize,
    /// A model trained to imitate the upstream model.
    Distill,
    /// Content produced by running the upstream model.
    Generate,
    /// The upstream was training data or tooling.
    Train,
    /// The upstream is included unchanged and separably.
    Combine,
}

/// The class of a relation, which decides what travels (`semantics.md` section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelationClass {
    /// `copy`.
    Copy,
    /// `finetune`, `adapter`, `merge`, `quantize`.
    Derivative,
    /// `distill`.
    Extracted,
    /// `generate`.
    Output,
    /// `train`.
    Input,
    /// `combine`.
    Part,
}

/// How an artifact is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Use {
    /// For commercial advantage or compensation.
    Commercial,
    /// Not commercial.
    NonCommercial,
}

/// Whether an artifact reaches third parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Distribute {
    /// Kept inside the organisation.
    Private,
    /// Files published or shipped.
    Public,
    /// Offered through an API, app or website.
    Service,
}

macro_rules! names {
    ($ty:ty { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),*];
            /// The name used in files and reports.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $name),* }
            }
            /// Parses the name used in files.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(NodeKind { Model => "model", Dataset => "dataset", Code => "code", Output => "output", Bundle => "bundle" });
names!(Relation {
    Copy => "copy", Finetune => "finetune", Adapter => "adapter", Merge => "merge", Quantize => "quantize",
    Distill => "distill", Generate => "generate", Train => "train", Combine => "combine",
});
names!(RelationClass { Copy => "copy", Derivative => "derivative", Extracted => "extracted", Output => "output", Input => "input", Part => "part" });
names!(Use { Commercial => "commercial", NonCommercial => "non-commercial" });
names!(Distribute { Private => "private", Public => "public", Service => "service" });

impl Relation {
    /// The relation's class.
    pub fn class(self) -> RelationClass {
        match self {
            Self::Copy => RelationClass::Copy,
            Self::Finetune | Self::Adapter | Self::Merge | Self::Quantize => RelationClass::Derivative,
            Self::Distill => RelationClass::Extracted,
            Self::Generate => RelationClass::Output,
            Self::Train => RelationClass::Input,
            Self::Combine => RelationClass::Part,
        }
    }
}

/// Top-level or per-node intent; `None` means "not said here".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Intent {
    /// How it is used.
    pub use_: Option<Use>,
    /// Whether it is distributed.
    pub distribute: Option<Distribute>,
}

/// The license value of a node as written: one item, a list (all apply), or an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseText {
    /// The items as written; one string may be an `AND`/`OR` expression.
    pub items: Vec<String>,
    /// Where the value is written.
    pub location: Location,
}

/// One artifact.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// The license it is offered (roots: received) under.
    pub license: Option<LicenseText>,
    /// Display name (`None`: the last `/`-segment of the id).
    pub name: Option<String>,
    /// The node's own intent.
    pub intent: Intent,
    /// Free-form metadata, carried through.
    pub meta: Option<Value>,
    /// Where the node is written.
    pub location: Location,
    /// Whether the user wrote this node (false for ancestors an importer brought in).
    pub authored: bool,
}

impl Node {
    /// Where an importer found the node's license (`meta.license_source`).
    pub fn license_source(&self) -> Option<&str> {
        match &self.meta.as_ref()?.kind {
            crate::syntax::Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| &*k.name == "license_source")
                .and_then(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// The display name: `name`, else the last `/`-segment of the id.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .unwrap_or_else(|| self.id.rsplit('/').next().unwrap_or(&self.id))
    }
}

/// An upstream reference of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The upstream node.
    pub from: NodeIx,
    /// How this node was made from it.
    pub relation: Relation,
    /// Where the reference is written.
    pub location: Location,
}

/// Per node, a list of `T` (its edges): all the lists in one array, so that reading a
/// node's edges is one read into a compact array rather than a separate allocation per
/// node (a path search at hub scale reads millions of them in no particular order).
#[derive(Debug, Clone)]
pub struct Adjacency<T> {
    /// Where each node's list starts in `items`; node `v`'s ends where `v + 1`'s starts.
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T> Adjacency<T> {
    /// The lists of nodes `0..`, one after the other.
    pub fn from_lists(lists: impl IntoIterator<Item = Vec<T>>) -> Self {
        let mut starts = vec![0];
        let mut items = Vec::new();
        for list in lists {
            items.extend(list);
            starts.push(items.len());
        }
        Self { starts, items }
    }

    /// Every node's list, in node order.
    pub fn iter(&self) -> impl Iterator<Item = &[T]> {
        self.starts.windows(2).map(|w| &self.items[w[0]..w[1]])
    }

    /// The number of nodes.
    fn nodes(&self) -> usize {
        self.starts.len() - 1
    }

    /// The number of items in all lists.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// Where node `v`'s list is among all the items ([`Adjacency::items`]).
    pub fn range(&self, v: usize) -> std::ops::Range<usize> {
        self.starts[v]..self.starts[v + 1]
    }

    /// Every list's items, one list after another in node order.
    pub fn items(&self) -> &[T] {
        &self.items
    }
}

impl Adjacency<Edge> {
    /// Per node, the nodes made from it (with the relation), in node order: the edges the
    /// other way round, counted and placed without a list per node.
    fn reversed(&self) -> Adjacency<(NodeIx, Relation)> {
        let mut starts = vec![0; self.nodes() + 1];
        for e in &self.items {
            starts[e.from as usize + 1] += 1;
        }
        for v in 1..starts.len() {
            starts[v] += starts[v - 1];
        }
        let mut next = starts.clone();
        let mut items = vec![(0, Relation::Copy); self.items.len()];
        for (to, edges) in self.iter().enumerate() {
            for e in edges {
                items[next[e.from as usize]] = (to as NodeIx, e.relation);
                next[e.from as usize] += 1;
            }
        }
        Adjacency { starts, items }
    }
}

impl<T> std::ops::Index<usize> for Adjacency<T> {
    type Output = [T];

    fn index(&self, v: usize) -> &[T] {
        &self.items[self.starts[v]..self.starts[v + 1]]
    }
}

/// A checked, acyclic derivation graph.
#[derive(Debug, Clone)]
pub struct Graph {
    /// The nodes, in id order (so node indices compare like ids).
    pub nodes: Vec<Node>,
    /// Upstream edges of each node.
    pub inputs: Adjacency<Edge>,
    /// Downstream neighbours of each node (with the relation).
    pub outputs: Adjacency<(NodeIx, Relation)>,
    /// Topological order: every node after its upstreams; roots in id order, then breadth
    /// first (deterministic whatever the order of the files).
    pub order: Vec<NodeIx>,
    /// The top-level intent of the graph file(s).
    pub intent: Intent,
}

impl Graph {
    /// The node with this id (a binary search: the nodes are in id order, so the graph
    /// keeps no second copy of a million ids).
    pub fn find(&self, id: &str) -> Option<NodeIx> {
        self.nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .ok()
            .map(|i| i as NodeIx)
    }

    /// The node at an index.
    pub fn node(&self, ix: NodeIx) -> &Node {
        &self.nodes[ix as usize]
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.inputs.total()
    }

    /// A node no other node lists in `from`.
    pub fn is_sink(&self, ix: NodeIx) -> bool {
        self.outputs[ix as usize].is_empty()
    }

    /// A node with no `from`.
    pub fn is_root(&self, ix: NodeIx) -> bool {
        self.inputs[ix as usize].is_empty()
    }
}

/// An upstream reference before ids are resolved.
#[derive(Debug, Clone)]
pub struct PendingEdge {
    /// The upstream id.
    pub id: String,
    /// The relation.
    pub relation: Relation,
    /// Where the reference is written.
    pub location: Location,
}

/// Collects nodes from one or more inputs, then checks and freezes them.
#[derive(Debug, Default)]
pub struct GraphBuilder {
    nodes: Vec<Node>,
    edges: Vec<Vec<PendingEdge>>,
    /// Every node's id, or none while the nodes are a list taken whole
    /// ([`GraphBuilder::add_nodes`]): `finish` sorts the ids anyway and sees repeats there.
    index: HashMap<String, NodeIx>,
    intent: Intent,
    errors: Vec<InputError>,
    reported_duplicates: rustc_hash::FxHashSet<NodeIx>,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an input error.
    pub fn error(&mut self, e: InputError) {
        self.errors.push(e);
    }

    /// Adds a file's top-level intent. When several files give one, the strictest reading
    /// wins field by field (commercial over non-commercial; public over service over
    /// private), so an upstream file can never quietly relax the checks of another.
    pub fn set_intent(&mut self, intent: Intent) {
        let use_rank = |u: Use| match u {
            Use::NonCommercial => 0,
            Use::Commercial => 1,
        };
        let distribute_rank = |d: Distribute| match d {
            Distribute::Private => 0,
            Distribute::Service => 1,
            Distribute::Public => 2,
        };
        self.intent.use_ = self
            .intent
            .use_
            .into_iter()
            .chain(intent.use_)
            .max_by_key(|&u| use_rank(u));
        self.intent.distribute = self
            .intent
            .distribute
            .into_iter()
            .chain(intent.distribute)
            .max_by_key(|&d| distribute_rank(d));
    }

    /// Makes room for `n` more nodes.
    fn reserve(&mut self, n: usize) {
        self.nodes.reserve(n);
        self.edges.reserve(n);
        self.index.reserve(n);
    }

    /// Adds nodes written by the user (`edges[i]` are `nodes[i]`'s references), as
    /// [`GraphBuilder::add_node`] one at a time. Into an empty builder the lists are taken
    /// as they are, not indexed: a million nodes are not copied once more, nor their ids.
    /// They are indexed when another node is added, or when `finish` finds a repeated id
    /// among them; either way a repeated id is reported as `add_node` reports it.
    pub fn add_nodes(&mut self, nodes: Vec<Node>, edges: Vec<Vec<PendingEdge>>) {
        assert_eq!(nodes.len(), edges.len(), "one list of references per node");
        if self.nodes.is_empty() {
            (self.nodes, self.edges) = (nodes, edges);
        } else {
            self.add_each(nodes, edges);
        }
    }

    fn add_each(&mut self, nodes: Vec<Node>, edges: Vec<Vec<PendingEdge>>) {
        self.reserve(nodes.len());
        for (node, from) in nodes.into_iter().zip(edges) {
            self.add_node(node, from);
        }
    }

    /// Whether every node is in `index` (a node is added to both, or to `nodes` alone in a
    /// list taken whole).
    fn indexed(&self) -> bool {
        self.index.len() == self.nodes.len()
    }

    /// Indexes a list taken whole, as if its nodes had been added one at a time (so a
    /// repeated id is reported as [`GraphBuilder::add_node`] reports it).
    fn index_all(&mut self) {
        if !self.indexed() {
            let (nodes, edges) = (std::mem::take(&mut self.nodes), std::mem::take(&mut self.edges));
            self.add_each(nodes, edges);
        }
    }

    /// Adds a node written by the user. A second node with the same id is a
    /// `duplicate-id` at both places.
    pub fn add_node(&mut self, node: Node, edges: Vec<PendingEdge>) {
        self.index_all();
        if let Some(&first) = self.index.get(&node.id) {
            let first_loc = self.nodes[first as usize].location;
            let msg = format!("node id `{}` is declared more than once", shown(&node.id));
            // Report the first declaration once, then every later one.
            if self.reported_duplicates.insert(first) {
                self.errors.push(
                    InputError::at(InputCode::DuplicateId, first_loc, msg.clone())
                        .with_help("ids must be unique across all input files"),
                );
            }
            self.errors.push(
                InputError::at(InputCode::DuplicateId, node.location, msg)
                    .with_help("ids must be unique across all input files"),
            );
            return;
        }
        let ix = NodeIx::try_from(self.nodes.len()).expect("fewer than 2^32 nodes");
        self.index.insert(node.id.clone(), ix);
        self.nodes.push(node);
        self.edges.push(edges);
    }

    /// Adds a node an importer made. Importers name the same model from several places
    /// (a recipe and a card, two recipes): nodes with equal ids merge into one, whose
    /// `from` is the union of both. A node the user wrote wins whole (its license and its
    /// `from`); two nodes the user wrote with one id are still a `duplicate-id`.
    pub fn add_imported(&mut self, node: Node, edges: Vec<PendingEdge>) {
        self.index_all();
        let Some(&ix) = self.index.get(&node.id) else {
            return self.add_node(node, edges);
        };
        let existing = &mut self.nodes[ix as usize];
        match (existing.authored, node.authored) {
            (true, true) => self.add_node(node, edges),
            (true, false) => {}
            (false, true) => {
                *existing = node;
                self.edges[ix as usize] = edges;
            }
            (false, false) => {
                if existing.license.is_none() && node.license.is_some() {
                    *existing = node;
                }
                let known = &mut self.edges[ix as usize];
                for e in edges {
                    if !known.iter().any(|k| k.id == e.id && k.relation == e.relation) {
                        known.push(e);
                    }
                }
            }
        }
    }

    /// The ids of the nodes added so far.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.id.as_str())
    }

    /// Node positions in id order. Sorted by the ids' first bytes first, held in the keys
    /// (at hub scale each read of an id is a cache miss), then by the whole ids where those
    /// are equal.
    fn id_order(&self) -> Vec<NodeIx> {
        let nodes = &self.nodes;
        let mut keys: Vec<(u128, NodeIx)> = (0..nodes.len())
            .map(|i| {
                (
                    id_prefix(&nodes[i].id),
                    NodeIx::try_from(i).expect("fewer than 2^32 nodes"),
                )
            })
            .collect();
        keys.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| nodes[a.1 as usize].id.cmp(&nodes[b.1 as usize].id))
        });
        keys.into_iter().map(|(_, i)| i).collect()
    }

    /// Resolves references, finds cycles and orders the nodes; every input error found so
    /// far and here is returned together.
    pub fn finish(mut self) -> Result<Graph, Vec<InputError>> {
        // Number the nodes in id order: then "sorted by id" (origins, findings, the JSON
        // `nodes` list, path tie-breaks) is "sorted by index", and nothing depends on the
        // order in which the files list them.
        let mut by_id = self.id_order();
        if !self.indexed()
            && by_id
                .windows(2)
                .any(|w| self.nodes[w[0] as usize].id == self.nodes[w[1] as usize].id)
        {
            self.index_all();
            by_id = self.id_order();
        }
        // The nodes moved in place: a million nodes are not copied into new lists.
        permute(&mut self.nodes, &by_id);
        permute(&mut self.edges, &by_id);
        let n = self.nodes.len();
        let mut index: HashMap<&str, NodeIx> = HashMap::default();
        index.reserve(n);
        index.extend(
            self.nodes
                .iter()
                .enumerate()
                .map(|(i, node)| (node.id.as_str(), i as NodeIx)),
        );
        const MAX_SUGGESTIONS: usize = 100;
        let mut dangling = 0usize;
        let mut inputs = Adjacency {
            starts: Vec::with_capacity(n + 1),
            items: Vec::with_capacity(self.edges.iter().map(Vec::len).sum()),
        };
        inputs.starts.push(0);
        self.errors.extend(
            self.nodes
                .iter()
                .filter(|node| too_long(&node.id))
                .map(|node| id_too_long("this node's id", &node.id, node.location)),
        );
        for pending in std::mem::take(&mut self.edges) {
            for e in pending {
                match index.get(e.id.as_str()) {
                    Some(&from) => inputs.items.push(Edge {
                        from,
                        relation: e.relation,
                        location: e.location,
                    }),
                    // A reference to a node whose id is too long is that node's error.
                    None if too_long(&e.id) => {
                        self.errors
                            .push(id_too_long("the id this `from` entry names", &e.id, e.location));
                    }
                    None => {
                        let mut err = InputError::at(
                            InputCode::DanglingReference,
                            e.location,
                            format!("`from` names `{}`, which no node declares", e.id),
                        );
                        // Suggestions cost a pass over every id: a few are enough, so a file
                        // with thousands of broken references still fails fast.
                        let suggest = dangling < MAX_SUGGESTIONS;
                        dangling += 1;
                        let close = suggest
                            .then(|| crate::error::did_you_mean(&e.id, index.keys().copied()))
                            .flatten();
                        if let Some(close) = close {
                            err = err.with_help(format!("did you mean `{close}`?"));
                        } else {
                            err = err.with_help("add a node with this id, or fix the reference");
                        }
                        self.errors.push(err);
                    }
                }
            }
            inputs.starts.push(inputs.items.len());
        }
        let outputs = inputs.reversed();
        let order = match topo_order(&inputs, &outputs) {
            Ok(order) => order,
            Err(stuck) => {
                self.errors.extend(cycle_errors(&self.nodes, &inputs, &stuck));
                Vec::new()
            }
        };
        if !self.errors.is_empty() {
            self.errors
                .sort_by(|a, b| a.location.cmp(&b.location).then(a.code.cmp(&b.code)));
            return Err(self.errors);
        }
        Ok(Graph {
            nodes: self.nodes,
            inputs,
            outputs,
            order,
            intent: self.intent,
        })
    }
}

/// Kahn's algorithm, iterative. On a cycle, returns the nodes that could not be ordered.
fn topo_order(inputs: &Adjacency<Edge>, outputs: &Adjacency<(NodeIx, Relation)>) -> Result<Vec<NodeIx>, Vec<NodeIx>> {
    let n = inputs.nodes();
    let mut indegree: Vec<u32> = inputs.iter().map(|e| e.len() as u32).collect();
    let mut order: Vec<NodeIx> = (0..n as NodeIx).filter(|&i| indegree[i as usize] == 0).collect();
    let mut head = 0;
    while head < order.len() {
        let v = order[head];
        head += 1;
        for &(w, _) in &outputs[v as usize] {
            indegree[w as usize] -= 1;
            if indegree[w as usize] == 0 {
                order.push(w);
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err((0..n as NodeIx).filter(|&i| indegree[i as usize] > 0).collect())
    }
}

/// One `cycle` error per strongly connected component among the unordered nodes.
fn cycle_errors(nodes: &[Node], inputs: &Adjacency<Edge>, stuck: &[NodeIx]) -> Vec<InputError> {
    use petgraph::graph::DiGraph;
    let mut g: DiGraph<NodeIx, ()> = DiGraph::new();
    let mut local = HashMap::default();
    for &v in stuck {
        local.insert(v, g.add_node(v));
    }
    for &v in stuck {
        for e in &inputs[v as usize] {
            if let Some(&from) = local.get(&e.from) {
                g.add_edge(from, local[&v], ());
            }
        }
    }
    let mut errors = Vec::new();
    for component in petgraph::algo::tarjan_scc(&g) {
        let members: Vec<NodeIx> = component.iter().map(|&i| g[i]).collect();
        let is_cycle = members.len() > 1 || inputs[members[0] as usize].iter().any(|e| e.from == members[0]);
        if !is_cycle {
            continue;
        }
        let cycle = shortest_cycle(inputs, &members);
        let names: Vec<_> = cycle.iter().map(|&v| shown(&nodes[v as usize].id)).collect();
        let first = cycle[0];
        let message = if members.len() == 1 {
            format!("`{}` derives from itself", names[0])
        } else {
            format!(
                "cycle: {} -> {} ({} nodes in this strongly connected component)",
                names.join(" -> "),
                names[0],
                members.len()
            )
        };
        errors.push(
            InputError::at(InputCode::Cycle, nodes[first as usize].location, message)
                .with_help("a derivation graph must be acyclic: remove one of these `from` entries"),
        );
    }
    errors
}

/// The shortest cycle inside a component, starting at its smallest id, in derivation order.
fn shortest_cycle(inputs: &Adjacency<Edge>, members: &[NodeIx]) -> Vec<NodeIx> {
    let in_comp: std::collections::HashSet<NodeIx> = members.iter().copied().collect();
    // Candidate start nodes: all members for small components, else the smallest id only.
    // Node indices are in id order. A BFS from every member finds the shortest cycle;
    // past a few thousand members (quadratic work) only the smallest id is tried.
    let mut starts: Vec<NodeIx> = members.to_vec();
    starts.sort_unstable();
    if starts.len() > 4096 {
        starts.truncate(1);
    }
    let mut best: Option<Vec<NodeIx>> = None;
    for &s in &starts {
        // BFS backwards along `from` edges (upstream direction) from s until we reach s again.
        let mut parent: HashMap<NodeIx, NodeIx> = HashMap::default();
        let mut queue = std::collections::VecDeque::from([s]);
        let mut found = false;
        while let Some(v) = queue.pop_front() {
            let mut ups: Vec<NodeIx> = inputs[v as usize]
                .iter()
                .map(|e| e.from)
                .filter(|u| in_comp.contains(u))
                .collect();
            ups.sort_unstable();
            for u in ups {
                if u == s {
                    parent.insert(s, v);
                    found = true;
                    break;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(u) {
                    e.insert(v);
                    queue.push_back(u);
                }
            }
            if found {
                break;
            }
        }
        if !found {
            continue;
        }
        // parent[u] = the node that lists u in `from`, i.e. the next node downstream of u.
        let mut cycle = vec![s];
        let mut v = parent[&s];
        while v != s {
            cycle.push(v);
            v = parent[&v];
        }
        // `cycle` is in derivation order: s -> parent[s] -> ... -> back to s.
        if best.as_ref().is_none_or(|b| cycle.len() < b.len()) {
            best = Some(cycle);
        }
    }
    best.unwrap_or_else(|| members.to_vec())
}

/// An id's first 16 bytes, big-endian, zero-padded. Where two ids' prefixes differ,
/// they order as the ids do (a zero of padding is below any byte but a zero, and ids
/// whose prefixes are equal are compared whole).
fn id_prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = id.len().min(16);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// Reorders `items` so that the item at `order[i]` moves to `i`, in place, following the
/// permutation's cycles.
fn permute<T>(items: &mut [T], order: &[NodeIx]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed[start] {
            continue;
        }
        // Position `i` takes the item from `order[i]`: walk the cycle from `start`.
        let mut i = start;
        loop {
            placed[i] = true;
            let from = order[i] as usize;
            if from == start {
                break;
            }
            items.swap(i, from);
            i = from;
        }
    }
}
