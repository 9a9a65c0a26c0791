//! What each node is used for and whether it is distributed (`graph-format.md`, "Intent").

use crate::graph::{Distribute, Graph, NodeIx, NodeKind, Use};

/// Where a node's intent field came from (shown by `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntentSource {
    /// The node's own `use`/`distribute`.
    Node,
    /// `--use` / `--distribute`.
    CommandLine,
    /// The graph file's top-level `intent`.
    Graph,
    /// The policy file's `[intent]`.
    Policy,
    /// The built-in default for sinks (commercial, public).
    Default,
    /// An intermediate node: private, no use of its own.
    Intermediate,
    /// Generated content: the most commercial use among the sinks it reaches.
    Sinks,
}

impl IntentSource {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Node => "node",
            Self::CommandLine => "command-line",
            Self::Graph => "graph",
            Self::Policy => "policy",
            Self::Default => "default",
            Self::Intermediate => "intermediate",
            Self::Sinks => "sinks",
        }
    }
}

/// The resolved intent of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeIntent {
    /// Its use; `None` for intermediate nodes that say nothing.
    pub use_: Option<Use>,
    /// Where `use_` came from.
    pub use_from: IntentSource,
    /// Its distribution.
    pub distribute: Distribute,
    /// Where `distribute` came from.
    pub distribute_from: IntentSource,
}

/// Intent given outside the graph file, in precedence order after the node's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--use`.
    pub use_: Option<Use>,
    /// `--distribute`.
    pub distribute: Option<Distribute>,
    /// The policy's `[intent] use`.
    pub policy_use: Option<Use>,
    /// The policy's `[intent] distribute`.
    pub policy_distribute: Option<Distribute>,
}

fn first<T: Copy>(options: [(Option<T>, IntentSource); 4], default: T) -> (T, IntentSource) {
    options
        .into_iter()
        .find_map(|(v, s)| v.map(|v| (v, s)))
        .unwrap_or((default, IntentSource::Default))
}

/// Resolves the intent of every node.
pub fn resolve_intents(graph: &Graph, overrides: &Overrides) -> Vec<NodeIntent> {
    let n = graph.nodes.len();
    let top = graph.intent;
    let mut intents: Vec<NodeIntent> = Vec::with_capacity(n);
    for v in 0..n as NodeIx {
        let own = graph.node(v).intent;
        let intent = if graph.is_sink(v) {
            let (u, uf) = first(
                [
                    (own.use_, IntentSource::Node),
                    (overrides.use_, IntentSource::CommandLine),
                    (top.use_, IntentSource::Graph),
                    (overrides.policy_use, IntentSource::Policy),
                ],
                Use::Commercial,
            );
            let (d, df) = first(
                [
                    (own.distribute, IntentSource::Node),
                    (overrides.distribute, IntentSource::CommandLine),
                    (top.distribute, IntentSource::Graph),
                    (overrides.policy_distribute, IntentSource::Policy),
                ],
                Distribute::Public,
            );
            NodeIntent {
                use_: Some(u),
                use_from: uf,
                distribute: d,
                distribute_from: df,
            }
        } else {
            NodeIntent {
                use_: own.use_,
                use_from: if own.use_.is_some() {
                    IntentSource::Node
                } else {
                    IntentSource::Intermediate
                },
                distribute: own.distribute.unwrap_or(Distribute::Private),
                distribute_from: if own.distribute.is_some() {
                    IntentSource::Node
                } else {
                    IntentSource::Intermediate
                },
            }
        };
        intents.push(intent);
    }
    // Generated content without a use of its own takes the most commercial use among the
    // sinks it reaches: one pass in reverse topological order.
    let mut reaches_commercial = vec![false; n];
    for &v in graph.order.iter().rev() {
        reaches_commercial[v as usize] = if graph.is_sink(v) {
            intents[v as usize].use_ == Some(Use::Commercial)
        } else {
            graph.outputs[v as usize]
                .iter()
                .any(|&(w, _)| reaches_commercial[w as usize])
        };
    }
    for v in 0..n {
        let node = &graph.nodes[v];
        if node.kind == NodeKind::Output && !graph.is_sink(v as NodeIx) && node.intent.use_.is_none() {
            intents[v].use_ = Some(if reaches_commercial[v] {
                Use::Commercial
            } else {
                Use::NonCommercial
            });
            intents[v].use_from = IntentSource::Sinks;
        }
    }
    intents
}
