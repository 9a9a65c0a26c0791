//! Property tests over random derivation DAGs.

use proptest::prelude::*;

use crate::support::{check, kb, path_queries};

const LICENSES: &[&str] = &[
    "apache-2.0",
    "mit",
    "cc-by-nc-4.0",
    "cc-by-sa-4.0",
    "MG-BY-NC-1.0",
    "MG-BY-NC-2.0",
    "MG-BY-ND-1.0",
    "MG-BY-ND-2.0",
    "MG-BY-SA-2.0",
    "MG-BY-RAI-1.0",
    "MG-BY-RAI-2.0",
    "llama2",
    "llama3.1",
    "creativeml-openrail-m",
    "other",
    "MIT OR CC-BY-NC-4.0",
    "CC-BY-NC-4.0 OR MG-BY-SA-2.0",
];
const RELATIONS: &[&str] = &[
    "copy", "finetune", "adapter", "merge", "quantize", "distill", "generate", "train", "combine",
];

/// A node of a random DAG: license index (or none), and upstream (index, relation) pairs
/// with index < node.
type RandomNode = (Option<usize>, Vec<(usize, usize)>);

#[derive(Debug, Clone)]
struct Dag {
    nodes: Vec<RandomNode>,
    use_: bool,
    service: bool,
}

fn dag() -> impl Strategy<Value = Dag> {
    dag_of(10)
}

/// A random DAG of 2 to `max - 1` nodes.
fn dag_of(max: usize) -> impl Strategy<Value = Dag> {
    (2usize..max)
        .prop_flat_map(|n| {
            let nodes = (0..n)
                .map(|i| {
                    let lic = proptest::option::weighted(0.7, 0..LICENSES.len());
                    let ups = if i == 0 {
                        Just(Vec::new()).boxed()
                    } else {
                        proptest::collection::vec((0..i, 0..RELATIONS.len()), 0..3).boxed()
                    };
                    (lic, ups)
                })
                .collect::<Vec<_>>();
            (nodes, any::<bool>(), any::<bool>())
        })
        .prop_map(|(nodes, use_, service)| Dag { nodes, use_, service })
}

fn yaml(d: &Dag, order: &[usize]) -> String {
    let mut s = format!(
        "intent: {{ use: {}, distribute: {} }}\nnodes:\n",
        if d.use_ { "commercial" } else { "non-commercial" },
        if d.service { "service" } else { "public" }
    );
    for &i in order {
        let (lic, ups) = &d.nodes[i];
        s.push_str(&format!("  - id: org/n{i}\n"));
        if let Some(l) = lic {
            s.push_str(&format!("    license: {}\n", LICENSES[*l]));
        }
        // A generated node is content; only outputs may be made `via: generate`.
        let mut seen = std::collections::BTreeSet::new();
        let ups: Vec<_> = ups.iter().filter(|(u, r)| seen.insert((*u, *r))).collect();
        if !ups.is_empty() {
            s.push_str("    from:\n");
            for (u, r) in ups {
                s.push_str(&format!("      - {{ id: org/n{u}, via: {} }}\n", RELATIONS[*r]));
            }
        }
    }
    s
}

/// Everything about the findings except source locations, which depend on the order.
fn fingerprint(text: &str) -> Vec<String> {
    let (g, r) = check(text);
    let mut out: Vec<String> = r
        .findings(&g, kb())
        .map(|f| {
            let origins: Vec<&str> = f.origins.iter().map(|&o| g.node(o).id.as_str()).collect();
            let path: Vec<String> = f
                .path
                .iter()
                .map(|h| format!("{}<{}", g.node(h.node).id, h.via.map_or("", |v| v.as_str())))
                .collect();
            format!(
                "{} {} {} {:?} {:?} {}",
                f.severity.as_str(),
                f.code.as_str(),
                g.node(f.node).id,
                origins,
                path,
                f.message
            )
        })
        .collect();
    for v in 0..g.nodes.len() as u32 {
        for o in &r.obligations(v) {
            let origins: Vec<&str> = o.origins.iter().map(|&x| g.node(x).id.as_str()).collect();
            let target = o.target.map(|t| crate::support::kb().get(t).id.as_str());
            out.push(format!(
                "{} carries {} {:?} {:?}",
                g.node(v).id,
                o.clause,
                target,
                origins
            ));
        }
    }
    out.sort();
    out
}

/// (node, clause, origin) triples of every obligation.
fn obligations(text: &str) -> std::collections::BTreeSet<(String, String, String)> {
    let (g, r) = check(text);
    let mut out = std::collections::BTreeSet::new();
    for v in 0..g.nodes.len() as u32 {
        for o in &r.obligations(v) {
            for &x in &o.origins {
                out.insert((g.node(v).id.clone(), o.clause.to_owned(), g.node(x).id.clone()));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reordering_nodes_never_changes_the_findings(d in dag(), seed in any::<u64>()) {
        let n = d.nodes.len();
        let forward: Vec<usize> = (0..n).collect();
        let mut shuffled = forward.clone();
        // A deterministic shuffle from the seed (Fisher-Yates with an LCG).
        let mut x = seed | 1;
        for i in (1..n).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(fingerprint(&yaml(&d, &forward)), fingerprint(&yaml(&d, &shuffled)));
    }

    #[test]
    fn adding_an_upstream_edge_to_a_derived_node_never_removes_an_obligation(d in dag(), pick in any::<(usize, usize, usize)>()) {
        let n = d.nodes.len();
        let order: Vec<usize> = (0..n).collect();
        let before = obligations(&yaml(&d, &order));
        let mut more = d.clone();
        // A root's license is the one it was received under, a derived node's the one it is
        // offered under (graph-format.md): giving a root its first upstream changes what its
        // license means, so the property is about nodes that already derive from something.
        let derived: Vec<usize> = (1..n).filter(|&i| !d.nodes[i].1.is_empty()).collect();
        prop_assume!(!derived.is_empty());
        // An `OR` value is a choice the checker makes per graph, not an obligation.
        prop_assume!(d.nodes.iter().all(|(l, _)| l.is_none_or(|l| !LICENSES[l].contains(" OR "))));
        let to = derived[pick.0 % derived.len()];
        let from = pick.1 % to;
        more.nodes[to].1.push((from, pick.2 % RELATIONS.len()));
        let after = obligations(&yaml(&more, &order));
        let lost: Vec<_> = before.difference(&after).collect();
        prop_assert!(lost.is_empty(), "lost {:?}", lost);
    }

    #[test]
    fn a_graph_and_its_imported_form_in_json_and_yaml_check_alike(d in dag()) {
        let order: Vec<usize> = (0..d.nodes.len()).collect();
        let text = yaml(&d, &order);
        let (g, _) = check(&text);
        for json in [false, true] {
            let mut written = Vec::new();
            mglint::render::graph::write(&g, &["g.yaml".to_owned()], json, &mut written).unwrap();
            let written = String::from_utf8(written).unwrap();
            prop_assert_eq!(fingerprint(&text), fingerprint(&written), "{}", written);
        }
    }

    #[test]
    fn output_is_identical_across_runs(d in dag()) {
        let order: Vec<usize> = (0..d.nodes.len()).collect();
        let text = yaml(&d, &order);
        prop_assert_eq!(crate::support::json_report("g.yaml", &text), crate::support::json_report("g.yaml", &text));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The path search starts at the first node up the line with several input edges
    /// (the hops up single-input nodes are walked): the path must be the one the search
    /// from the node itself finds, for every obligation, origin and set of atoms.
    #[test]
    fn walking_up_single_input_nodes_finds_the_searched_path(d in dag_of(24), seed in any::<u64>()) {
        use mglint::engine::path::PathFinder;
        // Ids in an order unrelated to the topological one, so that ties between paths
        // are broken by ids that do not follow the edges.
        let n = d.nodes.len();
        let mut names: Vec<usize> = (0..n).collect();
        let mut rng = seed;
        for i in (1..n).rev() {
            rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            names.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let mut text = yaml(&d, &(0..n).collect::<Vec<_>>());
        for (i, name) in names.iter().enumerate() {
            for end in ["\n", ","] {
                text = text.replace(&format!("org/n{i}{end}"), &format!("org/x{name:02}{end}"));
            }
        }
        prop_assert!(!text.contains("org/n"), "every id renamed: {}", text);
        let (g, r) = check(&text);
        let prop = r.propagation();
        let mut finder = PathFinder::new(&g, kb(), prop);
        for (v, o, atoms) in path_queries(&g, prop) {
            prop_assert_eq!(finder.path(v, &atoms, o), finder.searched_path(v, &atoms, o));
        }
    }
}

/// A graph-like JSON document from `seed`: a `nodes` list of `items` objects with nested
/// maps and lists, line breaks between tokens at random (so that some lines start with a
/// `{` that is not a list item), strings with escaped line breaks and braces, and other
/// top-level keys before and after the list.
fn jsonish(seed: u64, items: usize) -> String {
    let mut rng = seed | 1;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let gap = |out: &mut String, next: &mut dyn FnMut(u64) -> u64| match next(6) {
        0 => out.push('\n'),
        1 => out.push_str("\n  "),
        2 => out.push_str(" \r\n\t"),
        _ => {}
    };
    let mut out = String::from("{\"mglint\": 1,");
    gap(&mut out, &mut next);
    out.push_str("\"nodes\": [");
    for i in 0..items {
        if i > 0 {
            out.push(',');
        }
        gap(&mut out, &mut next);
        out.push_str(&format!("{{\"id\": \"org/n{i}\","));
        gap(&mut out, &mut next);
        out.push_str("\"from\": [");
        for k in 0..next(3) {
            if k > 0 {
                out.push(',');
            }
            gap(&mut out, &mut next);
            out.push_str(&format!(
                "{{\"id\": \"org/n{}\", \"via\": \"finetune\"}}",
                next(i as u64 + 1)
            ));
        }
        out.push(']');
        if next(2) == 0 {
            out.push(',');
            gap(&mut out, &mut next);
            out.push_str("\"meta\": {\"note\": \"a\\n{b}\\\\\", \"list\": [1, -2.5e3, true, null,");
            gap(&mut out, &mut next);
            out.push_str("{\"deep\": [[], {}]}]}");
        }
        out.push('}');
    }
    gap(&mut out, &mut next);
    out.push_str("], \"intent\": {\"use\": \"commercial\"}}");
    out
}

/// The tree and the items `parse_json_streaming` reads in `parts` parts, in order.
fn streamed(
    text: &str,
    limits: &mglint::syntax::Limits,
    parts: usize,
) -> Result<(mglint::syntax::Value, Vec<mglint::syntax::Value>), mglint::syntax::SyntaxError> {
    let each = |items: &mut Vec<mglint::syntax::Value>, v| items.push(v);
    mglint::syntax::parse_json_streaming(text, limits, "nodes", parts, Vec::new, each)
        .map(|(tree, sinks)| (tree, sinks.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Reading a streamed list on several threads gives what one thread reads: the tree,
    /// every item with its position, in order, and the same error for broken text or a
    /// value limit reached inside another thread's part.
    #[test]
    fn json_lists_read_in_parts_read_as_one_thread_does(
        seed in any::<u64>(),
        items in 1usize..120,
        parts in 2usize..9,
        cut in any::<prop::sample::Index>(),
        byte in prop::sample::select(vec![b'x', b'{', b'}', b',', b'"', b'\n', b']']),
        max_values in prop::option::of(10usize..3000),
    ) {
        let text = jsonish(seed, items);
        let mut limits = mglint::syntax::Limits::default();
        if let Some(max) = max_values {
            limits.max_values = max;
        }
        let one = streamed(&text, &limits, 1);
        if max_values.is_none() {
            prop_assert_eq!(one.as_ref().map(|(_, items)| items.len()).ok(), Some(items));
        }
        prop_assert_eq!(&streamed(&text, &limits, parts), &one);
        // The same text with one byte changed: an error somewhere, or not.
        let mut broken = text.into_bytes();
        let at = cut.index(broken.len());
        broken[at] = byte;
        let broken = String::from_utf8(broken).expect("ASCII");
        prop_assert_eq!(streamed(&broken, &limits, parts), streamed(&broken, &limits, 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Nodes are numbered in id order, whatever the ids: long shared prefixes, NUL and
    /// other low bytes, multi-byte characters, ids that are prefixes of others. The sort
    /// compares the ids' first 16 bytes before the whole ids.
    #[test]
    fn nodes_are_numbered_in_id_order(ids in prop::collection::btree_set("(org/base-model-x|org/base-model-x-|a)?[\\x00\\x01a-c/\u{e9}\u{1F600}]{0,20}", 1..60), seed in any::<u64>()) {
        let mut shuffled: Vec<String> = ids.iter().cloned().collect();
        let mut rng = seed;
        for i in (1..shuffled.len()).rev() {
            rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            shuffled.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let node = |id: String| mglint::graph::Node {
            id,
            kind: mglint::graph::NodeKind::Model,
            license: None,
            name: None,
            intent: Default::default(),
            meta: None,
            location: mglint::source::Location { file: 0, pos: mglint::source::Pos { line: 1, column: 1 } },
            authored: true,
        };
        let mut builder = mglint::graph::GraphBuilder::new();
        let n = shuffled.len();
        builder.add_nodes(shuffled.into_iter().map(node).collect(), vec![Vec::new(); n]);
        let g = builder.finish().expect("unique ids, no references");
        let numbered: Vec<&str> = g.nodes.iter().map(|v| v.id.as_str()).collect();
        let sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
        prop_assert_eq!(numbered, sorted);
    }
}
