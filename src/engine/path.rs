//! Rebuilding the path an obligation took, only for what is reported.
//!
//! A breadth-first search backwards from the node over `(node, atom)` states whose origin
//! set contains the origin, then a greedy walk forwards that picks, at each hop, the
//! smallest id among the nodes on some shortest path: the shortest path with ties broken
//! by the lexicographically smallest sequence of ids (`semantics.md` section 3).

use std::collections::{HashMap, VecDeque};

use super::Propagation;
use super::atom::{self, Atom};
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

fn produced(kb: &KnowledgeBase, prop: &Propagation, u: NodeIx, class: RelationClass) -> Vec<Atom> {
    let mut out = Vec::new();
    for &t in prop.terms(u) {
        atom::produce(kb, t, class, &mut out);
    }
    out
}

fn carries(prop: &Propagation, v: NodeIx, a: Atom, origin: NodeIx) -> bool {
    let obs = prop.obligations(v);
    obs.binary_search_by_key(&a, |p| p.0)
        .is_ok_and(|i| prop.origins(obs[i].1).binary_search(&origin).is_ok())
}

/// The shortest path from `origin` to `node` along which one of `atoms` travelled.
pub fn path(
    graph: &Graph,
    kb: &KnowledgeBase,
    prop: &Propagation,
    node: NodeIx,
    atoms: &[Atom],
    origin: NodeIx,
) -> Vec<Hop> {
    let targets: Vec<Atom> = atoms
        .iter()
        .copied()
        .filter(|&a| carries(prop, node, a, origin))
        .collect();
    if origin == node || targets.is_empty() {
        return vec![Hop { node, via: None }];
    }
    // Backward BFS: dist[(v, a)] = hops from state (v, a) to the node.
    let mut dist: HashMap<(NodeIx, Atom), u32> = HashMap::new();
    let mut queue = VecDeque::new();
    for &a in &targets {
        dist.insert((node, a), 0);
        queue.push_back((node, a));
    }
    let mut best: Option<u32> = None;
    let mut atom_buf = Vec::new();
    while let Some((v, a)) = queue.pop_front() {
        let d = dist[&(v, a)];
        if best.is_some_and(|b| d + 1 > b) {
            break;
        }
        for e in &graph.inputs[v as usize] {
            let class = e.relation.class();
            if e.from == origin && produced(kb, prop, origin, class).contains(&a) {
                best = Some(best.map_or(d + 1, |b| b.min(d + 1)));
            }
            for &(b, set) in prop.obligations(e.from) {
                if prop.origins(set).binary_search(&origin).is_err() || dist.contains_key(&(e.from, b)) {
                    continue;
                }
                atom_buf.clear();
                atom::travel(kb, b, class, &mut atom_buf);
                if atom_buf.contains(&a) {
                    dist.insert((e.from, b), d + 1);
                    queue.push_back((e.from, b));
                }
            }
        }
    }
    let Some(total) = best else {
        return vec![
            Hop {
                node: origin,
                via: None,
            },
            Hop { node, via: None },
        ];
    };
    // Forward greedy walk from the origin.
    let mut hops = vec![Hop {
        node: origin,
        via: None,
    }];
    let mut remaining = total - 1;
    // First hop: edges out of the origin that produce an atom on a shortest path.
    let choose = |cands: Vec<(NodeIx, Relation, Atom)>, hops: &mut Vec<Hop>| -> Vec<(NodeIx, Atom)> {
        let Some(best_node) = cands
            .iter()
            .map(|c| c.0)
            .min_by(|&x, &y| graph.node(x).id.cmp(&graph.node(y).id))
        else {
            return Vec::new();
        };
        let via = cands
            .iter()
            .filter(|c| c.0 == best_node)
            .map(|c| c.1)
            .min()
            .unwrap_or(Relation::Copy);
        hops.push(Hop {
            node: best_node,
            via: Some(via),
        });
        let mut next: Vec<(NodeIx, Atom)> = cands
            .into_iter()
            .filter(|c| c.0 == best_node)
            .map(|c| (c.0, c.2))
            .collect();
        next.sort_unstable();
        next.dedup();
        next
    };
    let mut cands = Vec::new();
    for &(w, rel) in &graph.outputs[origin as usize] {
        for a in produced(kb, prop, origin, rel.class()) {
            if dist.get(&(w, a)) == Some(&remaining) {
                cands.push((w, rel, a));
            }
        }
    }
    let mut frontier = choose(cands, &mut hops);
    while remaining > 0 && !frontier.is_empty() {
        remaining -= 1;
        let mut cands = Vec::new();
        for &(w, b) in &frontier {
            for &(x, rel) in &graph.outputs[w as usize] {
                atom_buf.clear();
                atom::travel(kb, b, rel.class(), &mut atom_buf);
                for &c in &atom_buf {
                    if dist.get(&(x, c)) == Some(&remaining) {
                        cands.push((x, rel, c));
                    }
                }
            }
        }
        frontier = choose(cands, &mut hops);
    }
    hops
}
