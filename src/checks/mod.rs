//! The checks: from what each node carries and what it is for, to findings.
//!
//! [`check`] runs the engine (choosing `OR` alternatives), turns obligations into
//! [`Finding`]s with origins, and rebuilds a path only for each reported finding.

pub mod code;
pub mod permitted;

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;

use crate::error::{InputCode, InputError};

use code::Codes;
pub use code::{Code, Severity};
use permitted::{Constraints, Violation, permitted, violations};

use crate::engine::path::{Hop, PathFinder};
use crate::engine::{
    Atom, NodeIntent, NodeLicense, Ob, Overrides, Propagation, Stage, UNKNOWN, propagate, resolve_intents,
    resolve_licenses,
};
use crate::graph::{Distribute, Graph, NodeIx, NodeKind, Use};
use crate::kb::expr::Term;
use crate::kb::{ClauseKind, KnowledgeBase, LicId};
use crate::source::Location;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The code.
    pub code: Code,
    /// The severity (after caps and policy).
    pub severity: Severity,
    /// The node it is about.
    pub node: NodeIx,
    /// The nodes whose licenses cause it, sorted by id.
    pub origins: Vec<NodeIx>,
    /// The licenses of the origins that cause it (canonical ids, or the text as written).
    pub origin_licenses: Vec<String>,
    /// The path from the first origin to the node.
    pub path: Vec<Hop>,
    /// What is wrong or owed.
    pub message: String,
    /// How to fix or fulfil it.
    pub help: Cow<'static, str>,
    /// Where to point: the node, or the value a finding is about (a license).
    pub location: Location,
    /// The reason of the policy exception that accepts it, when one does: it stays in
    /// the report but does not count towards the exit status.
    pub suppressed: Option<String>,
    atoms: Vec<Atom>,
}

/// The name of the license an obligation came from: its id, or for unknown terms what the
/// origin wrote ("no license" when it wrote nothing).
fn license_name<'a>(kb: &'a KnowledgeBase, licenses: &'a [NodeLicense], lic: LicId, origin: NodeIx) -> &'a str {
    if lic == UNKNOWN {
        licenses[origin as usize].canonical().unwrap_or("no license")
    } else {
        &kb.get(lic).id
    }
}

/// One origin of an obligation: the node, the license that produced it there, and the
/// path it came by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The origin node.
    pub origin: NodeIx,
    /// Its license (canonical id, or the text as written).
    pub license: String,
    /// The license in the knowledge base ([`UNKNOWN`] when unknown or missing).
    pub lic: LicId,
    /// The shortest path from the origin to the node, each hop with its relation.
    pub path: Vec<Hop>,
}

/// An obligation with where each of its origins' share came from (`explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    /// The clause name.
    pub clause: &'static str,
    /// The share-alike target.
    pub target: Option<LicId>,
    /// Each origin, sorted by id.
    pub sources: Vec<Source>,
}

/// One obligation a node carries, grouped by clause (and target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    /// The clause name.
    pub clause: &'static str,
    /// The share-alike target.
    pub target: Option<LicId>,
    /// Origins, sorted by id.
    pub origins: Vec<NodeIx>,
}

/// What the report says about one node.
#[derive(Debug, Clone)]
pub struct NodeReport {
    /// The resolved intent.
    pub intent: NodeIntent,
    /// For derived nodes: the licenses it may be distributed under (empty: private use only).
    pub permitted: Option<Arc<Vec<LicId>>>,
    /// The `OR` alternative that was used, when the value has several.
    pub license_choice: Option<String>,
}

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Intent from outside the graph.
    pub overrides: Overrides,
    /// How recipes and model cards are read.
    pub import: crate::import::ImportOptions,
    /// The policy file's rules (empty: none), applied to the findings; `OR` choices
    /// avoid denied (and, on roots, not allowed) licenses.
    pub policy: crate::policy::Policy,
    /// The most memory the obligations tracked may take (`None`:
    /// [`crate::engine::MAX_TRACKED_BYTES`]); over it the graph is `limit-exceeded`.
    pub max_tracked_bytes: Option<usize>,
}

/// Where a finding sits in the report, and enough to count it and to rebuild it: the
/// report keeps these (a few bytes each) instead of the findings' texts and paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FindingKey {
    /// The severity (after caps and policy).
    pub severity: Severity,
    /// The code.
    pub code: Code,
    /// The node it is about.
    pub node: NodeIx,
    /// Which of the node's findings with this code, in the order the checks make them.
    nth: u32,
    /// Whether a policy exception accepts it.
    pub suppressed: bool,
}

/// The result of checking a graph.
///
/// Findings are kept as sorted [`FindingKey`]s and rebuilt, with their messages and
/// paths, when they are read ([`Report::findings`], [`Report::reader`]): a million-node
/// graph has millions of findings, and their texts would be most of the memory.
#[derive(Debug)]
pub struct Report {
    /// Per node, by node index.
    pub nodes: Vec<NodeReport>,
    /// Each node's license value.
    pub licenses: Vec<NodeLicense>,
    /// Policy exceptions that matched no finding (`unused-exception` warnings): they may
    /// name nodes the graph does not have, so they are kept apart from the findings.
    pub unused_exceptions: Vec<crate::policy::Exception>,
    /// The findings, sorted by severity, code, node id.
    keys: Vec<FindingKey>,
    intents: Vec<NodeIntent>,
    policy: crate::policy::Policy,
    prop: Propagation,
}

/// Findings read from a report ([`FindingReader::read`]): in the order they were made,
/// with where each stands in the report, so that they are not moved into report order.
pub struct Found {
    findings: Vec<Finding>,
    /// For each position read, in report order: the finding's index in `findings`.
    at: Vec<usize>,
}

impl Found {
    /// The findings in report order.
    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.at.iter().map(|&k| &self.findings[k])
    }

    /// The findings in report order, owned.
    pub fn into_ordered(self) -> Vec<Finding> {
        let mut slots: Vec<Option<Finding>> = self.findings.into_iter().map(Some).collect();
        self.at.iter().filter_map(|&k| slots[k].take()).collect()
    }
}

/// Rebuilds a report's findings, with their paths, from their keys. Each thread that reads
/// findings has its own (it holds the path search's per-node state).
pub struct FindingReader<'a> {
    ctx: Ctx<'a>,
    finder: PathFinder<'a>,
    keys: &'a [FindingKey],
}

impl FindingReader<'_> {
    /// How many findings a renderer reads at a time. Each holds its path, and a path is
    /// as long as the lineage: 16 findings of a 100 000-node chain hold 13 MB, where the
    /// thousands read at a time before held gigabytes. Nodes are read once per read, so
    /// this costs little: findings come sorted by code, and a node has one per code.
    pub const CHUNK: usize = 16;

    /// The findings at positions `range` of the report.
    ///
    /// They are rebuilt node by node (the codes each node needs, its data warm in the
    /// cache) and kept in that order; [`Found`] gives them in report order.
    pub fn read(&mut self, range: std::ops::Range<usize>) -> Found {
        let keys = self.keys;
        let start = range.start;
        let mut order: Vec<usize> = range.collect();
        order.sort_unstable_by_key(|&i| (keys[i].node, i));
        let mut findings = Vec::with_capacity(order.len());
        let mut at = vec![0; order.len()];
        let mut picks: Vec<(usize, usize)> = Vec::new();
        for group in order.chunk_by(|&i, &j| keys[i].node == keys[j].node) {
            let v = keys[group[0]].node;
            let want = group.iter().fold(0, |m, &i| m | keys[i].code.bit());
            let made = self.ctx.node_findings(v, want, &mut []);
            // Which of the node's findings each key is: the `nth` with its code.
            picks.clear();
            picks.extend(group.iter().map(|&i| {
                let key = keys[i];
                let j = (0..made.len())
                    .filter(|&j| made[j].code == key.code)
                    .nth(key.nth as usize)
                    .unwrap_or_else(|| panic!("finding {key:?} is not made again from its node"));
                (j, i)
            }));
            picks.sort_unstable();
            let mut picked = picks.iter().peekable();
            for (j, mut f) in made.into_iter().enumerate() {
                let Some(&(_, i)) = picked.next_if(|p| p.0 == j) else {
                    continue;
                };
                if let Some(&first) = f.origins.first() {
                    f.path = self.finder.path(f.node, &f.atoms, first);
                }
                at[i - start] = findings.len();
                findings.push(f);
            }
        }
        Found { findings, at }
    }

    /// The shortest path from each of the first `max` origins of a finding of this report
    /// to its node (the finding itself has the first origin's): what a diagram highlights
    /// for errors. One reader serves every finding (its path search is sized to the graph).
    pub fn origin_paths(&mut self, f: &Finding, max: usize) -> Vec<Vec<Hop>> {
        f.origins
            .iter()
            .take(max)
            .map(|&o| self.finder.path(f.node, &f.atoms, o))
            .collect()
    }
}

/// `items` sorted, to be searched: borrowed when it already is (findings' atoms and
/// origins nearly always are), a sorted copy otherwise.
fn sorted<T: Ord + Clone>(items: &[T]) -> Cow<'_, [T]> {
    if items.is_sorted() {
        Cow::Borrowed(items)
    } else {
        let mut copy = items.to_vec();
        copy.sort_unstable();
        Cow::Owned(copy)
    }
}

/// Traces the obligations of nodes to their origins: each origin with its license and the
/// path its obligation came by. One tracer serves any number of nodes: its path search is
/// sized to the graph, so a tracer per node cost a pass over every node each time (a
/// hub's `suggest` spent seconds filling those arrays).
pub struct Tracer<'a> {
    report: &'a Report,
    kb: &'a KnowledgeBase,
    finder: PathFinder<'a>,
}

impl Tracer<'_> {
    /// The obligations node `v` carries, as [`Report::obligations`] groups them, each
    /// origin with its license and the path its obligation came by (for the first `paths`
    /// origins of each; the others have an empty path).
    pub fn trace(&mut self, v: NodeIx, paths: usize) -> Vec<Traced> {
        let report = self.report;
        let groups = report.obligations(v).into_iter().map(|o| {
            let atoms: Vec<Atom> = report
                .prop
                .obligations(v)
                .iter()
                .map(|&(a, _)| a)
                .filter(|&a| {
                    a.stage() != Stage::Marked
                        && a.ob().clause_name() == Some(o.clause)
                        && (a.ob() == Ob::ShareAlike).then(|| a.license()) == o.target
                })
                .collect();
            (o.clause, o.target, atoms)
        });
        self.traced(v, groups.collect(), paths)
    }

    /// What narrows the licenses node `v` may be released under, as `suggest` explains it:
    /// exactly the carried obligations its permitted licenses are computed from
    /// ([`permitted::narrowing_reason`]), plus unknown upstream terms as a caveat. Only
    /// the first `paths` sources of each have their path (the others an empty one): a
    /// node below thousands of origins has thousands, and each path is a search.
    pub fn narrowing(&mut self, v: NodeIx, paths: usize) -> Vec<Traced> {
        let kb = self.kb;
        let mut groups: Vec<(&'static str, Option<LicId>, Vec<Atom>)> = Vec::new();
        for &(a, _) in self.report.prop.obligations(v) {
            let reason = match permitted::narrowing_reason(kb, a) {
                Some(r) => r,
                None if a.ob() == Ob::UnknownTerms && a.is_live() => "unknown-terms",
                None => continue,
            };
            let target = (a.ob() == Ob::ShareAlike).then(|| a.license());
            match groups.iter_mut().find(|g| g.0 == reason && g.1 == target) {
                Some(g) => g.2.push(a),
                None => groups.push((reason, target, vec![a])),
            }
        }
        groups.sort_by_key(|g| (g.0, g.1));
        self.traced(v, groups, paths)
    }

    /// Groups of atoms with, per origin, its license and (for the first `paths` origins)
    /// its shortest path.
    fn traced(
        &mut self,
        v: NodeIx,
        groups: Vec<(&'static str, Option<LicId>, Vec<Atom>)>,
        paths: usize,
    ) -> Vec<Traced> {
        let (report, kb) = (self.report, self.kb);
        let prop = &report.prop;
        groups
            .into_iter()
            .map(|(clause, target, atoms)| {
                // Each origin with the license of the first obligation of the group (in the
                // node's order) that it is an origin of. In one pass: looking that up for
                // each origin scanned the node's obligations once per origin.
                let wanted = sorted(&atoms);
                let mut first: Vec<(NodeIx, LicId)> = Vec::new();
                for &(a, set) in prop.obligations(v) {
                    if wanted.binary_search(&a).is_ok() {
                        first.extend(prop.origins(set).iter().map(|&o| (o, a.license())));
                    }
                }
                // Stable: among equal origins the first obligation's license stays first.
                first.sort_by_key(|&(o, _)| o);
                first.dedup_by_key(|&mut (o, _)| o);
                let sources = first
                    .into_iter()
                    .enumerate()
                    .map(|(i, (origin, lic))| Source {
                        origin,
                        license: license_name(kb, &report.licenses, lic, origin).to_owned(),
                        lic,
                        path: if i < paths {
                            self.finder.path(v, &atoms, origin)
                        } else {
                            Vec::new()
                        },
                    })
                    .collect();
                Traced {
                    clause,
                    target,
                    sources,
                }
            })
            .collect()
    }
}

impl Report {
    /// The licenses the node's own value uses (the chosen `OR` alternative).
    pub fn terms(&self, v: NodeIx) -> &[LicId] {
        self.prop.terms(v)
    }

    /// Traces the obligations of nodes to their origins ([`Tracer`]).
    pub fn tracer<'a>(&'a self, graph: &'a Graph, kb: &'a KnowledgeBase) -> Tracer<'a> {
        Tracer {
            report: self,
            kb,
            finder: PathFinder::new(graph, kb, &self.prop),
        }
    }

    /// The findings, sorted by severity, code and node, each rebuilt with its path. The
    /// graph and knowledge base must be those the report was checked with (as for every
    /// method that takes them).
    pub fn findings<'a>(&'a self, graph: &'a Graph, kb: &'a KnowledgeBase) -> impl Iterator<Item = Finding> + 'a {
        const CHUNK: usize = FindingReader::CHUNK;
        let mut reader = self.reader(graph, kb);
        let len = self.keys.len();
        (0..len)
            .step_by(CHUNK)
            .flat_map(move |start| reader.read(start..(start + CHUNK).min(len)).into_ordered())
    }

    /// The findings about node `v`, in report order.
    pub fn findings_of(&self, graph: &Graph, kb: &KnowledgeBase, v: NodeIx) -> Vec<Finding> {
        let mut reader = self.reader(graph, kb);
        (0..self.keys.len())
            .filter(|&i| self.keys[i].node == v)
            .flat_map(|i| reader.read(i..i + 1).into_ordered())
            .collect()
    }

    /// A reader of the findings by position (`0..self.keys().len()`), for one thread.
    pub fn reader<'a>(&'a self, graph: &'a Graph, kb: &'a KnowledgeBase) -> FindingReader<'a> {
        FindingReader {
            ctx: Ctx {
                graph,
                kb,
                prop: &self.prop,
                licenses: &self.licenses,
                intents: &self.intents,
                policy: &self.policy,
                texts: true,
                reports: Some(&self.nodes),
            },
            finder: PathFinder::new(graph, kb, &self.prop),
            keys: &self.keys,
        }
    }

    /// The findings' keys, in report order.
    pub fn keys(&self) -> &[FindingKey] {
        &self.keys
    }

    /// What propagation found: every node's obligations, their origins, and what a
    /// [`PathFinder`] searches.
    pub fn propagation(&self) -> &Propagation {
        &self.prop
    }

    /// The obligations node `v` carries, grouped by clause (and share-alike target), each
    /// with its origins sorted by id. Computed on demand: the report does not keep a copy.
    pub fn obligations(&self, v: NodeIx) -> Vec<Obligation> {
        let mut grouped: Vec<Obligation> = Vec::new();
        for &(a, set) in self.prop.obligations(v) {
            if a.stage() == Stage::Marked {
                continue;
            }
            let Some(clause) = a.ob().clause_name() else { continue };
            let target = (a.ob() == Ob::ShareAlike).then(|| a.license());
            let origins = self.prop.origins(set);
            match grouped.iter_mut().find(|o| o.clause == clause && o.target == target) {
                Some(o) => o.origins.extend_from_slice(origins),
                None => grouped.push(Obligation {
                    clause,
                    target,
                    origins: origins.to_vec(),
                }),
            }
        }
        for o in &mut grouped {
            o.origins.sort_unstable();
            o.origins.dedup();
        }
        grouped.sort_by_key(|o| (o.clause, o.target));
        grouped
    }

    /// How many findings of a severity count: suppressed ones do not, unused exceptions
    /// are warnings.
    pub fn count(&self, severity: Severity) -> usize {
        let unused = if severity == Severity::Warning {
            self.unused_exceptions.len()
        } else {
            0
        };
        self.keys
            .iter()
            .filter(|k| k.severity == severity && !k.suppressed)
            .count()
            + unused
    }

    /// Whether anything at or above `threshold` counts against the run (suppressed
    /// findings do not; unused exceptions are warnings).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.keys.iter().any(|k| k.severity <= threshold && !k.suppressed)
            || (!self.unused_exceptions.is_empty() && Severity::Warning <= threshold)
    }
}

/// Checks a graph: propagation, then every finding (kept as a key; see [`Report`]). A
/// graph whose obligations are too many to track is `limit-exceeded`.
pub fn check(graph: &Graph, kb: &KnowledgeBase, options: &CheckOptions) -> Result<Report, InputError> {
    let licenses = resolve_licenses(graph, kb);
    let intents = resolve_intents(graph, &options.overrides);
    let max_bytes = options.max_tracked_bytes.unwrap_or(crate::engine::MAX_TRACKED_BYTES);
    let too_much = |e: crate::engine::TooMuchToTrack| {
        InputError::nowhere(
            InputCode::LimitExceeded,
            format!(
                "the obligations of this graph are too many to track: after {} of its {} nodes they take over {} MiB",
                e.nodes_done,
                graph.nodes.len(),
                e.max_bytes >> 20
            ),
        )
        .with_help(
            "each node keeps the origins of every obligation it carries; when every node of a long chain adds \
             one (each declares a license that travels), each keeps the whole chain above it",
        )
    };
    let choices = choose_alternatives(graph, kb, &licenses, &intents, &options.policy, max_bytes).map_err(too_much)?;
    let prop = propagate(graph, kb, &licenses, &choices, max_bytes).map_err(too_much)?;
    let policy = options.policy.clone();
    let mut ctx = Ctx {
        graph,
        kb,
        prop: &prop,
        licenses: &licenses,
        intents: &intents,
        policy: &policy,
        texts: false,
        reports: None,
    };
    let nodes = ctx.node_reports();
    ctx.reports = Some(&nodes);
    let (keys, used) = ctx.keys();
    let unused_allowed = policy.severity.contains(&(Code::UnusedException, None));
    let unused_exceptions = policy
        .exceptions
        .iter()
        .zip(used)
        .filter(|(_, used)| !used && !unused_allowed)
        .map(|(e, _)| e.clone())
        .collect();
    Ok(Report {
        nodes,
        licenses,
        unused_exceptions,
        keys,
        intents,
        policy,
        prop,
    })
}

/// Whether a node's alternative uses a license the policy refuses: a denied one, or on a
/// root one outside `allow`.
fn refused(policy: &crate::policy::Policy, terms: &[LicId], root: bool) -> bool {
    terms.iter().any(|l| {
        policy.deny.contains(l) || (root && *l != UNKNOWN && policy.allow.as_ref().is_some_and(|a| !a.contains(l)))
    })
}

/// `OR` values: each node takes the first alternative, in written order, that causes no
/// error of its own: none on the node, none whose origins include it (semantics.md §1);
/// when every alternative does, the first. All such nodes are decided together, in
/// rounds: one propagation per round, and every node whose current alternative causes an
/// error moves to its next one. The rounds are bounded by the longest list of
/// alternatives, so the search costs a few propagations whatever the number of nodes.
fn choose_alternatives(
    graph: &Graph,
    kb: &KnowledgeBase,
    licenses: &[NodeLicense],
    intents: &[NodeIntent],
    policy: &crate::policy::Policy,
    max_bytes: usize,
) -> Result<Vec<usize>, crate::engine::TooMuchToTrack> {
    let n = graph.nodes.len();
    let mut choices = vec![0usize; n];
    let mut open: Vec<NodeIx> = (0..n as NodeIx)
        .filter(|&v| licenses[v as usize].alternatives() > 1)
        .collect();
    // The choice is made on the licenses' own findings, before the policy's overrides.
    let no_policy = crate::policy::Policy::default();
    while !open.is_empty() {
        let prop = propagate(graph, kb, licenses, &choices, max_bytes)?;
        let ctx = Ctx {
            graph,
            kb,
            prop: &prop,
            licenses,
            intents,
            policy: &no_policy,
            texts: false,
            reports: None,
        };
        // Errors a choice can cause are on the node or downstream of it.
        let errors: Vec<Finding> = downstream(graph, &open)
            .into_iter()
            .flat_map(|v| ctx.node_findings(v, Codes::MAX, &mut []))
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let mut still_open = Vec::new();
        for &v in &open {
            let causes_error = errors.iter().any(|f| f.node == v || f.origins.contains(&v))
                || refused(
                    policy,
                    &licenses[v as usize].terms(choices[v as usize]),
                    graph.is_root(v),
                );
            if !causes_error {
                continue;
            }
            let next = choices[v as usize] + 1;
            if next < licenses[v as usize].alternatives() {
                choices[v as usize] = next;
                still_open.push(v);
            } else {
                choices[v as usize] = 0;
            }
        }
        open = still_open;
    }
    Ok(choices)
}

/// The given nodes and every node that derives from them, in index order.
fn downstream(graph: &Graph, from: &[NodeIx]) -> Vec<NodeIx> {
    let mut seen = vec![false; graph.nodes.len()];
    let mut stack: Vec<NodeIx> = from.to_vec();
    for &v in from {
        seen[v as usize] = true;
    }
    while let Some(u) = stack.pop() {
        for &(w, _) in &graph.outputs[u as usize] {
            if !seen[w as usize] {
                seen[w as usize] = true;
                stack.push(w);
            }
        }
    }
    (0..graph.nodes.len() as NodeIx).filter(|&v| seen[v as usize]).collect()
}

struct Ctx<'a> {
    graph: &'a Graph,
    kb: &'a KnowledgeBase,
    prop: &'a Propagation,
    licenses: &'a [NodeLicense],
    intents: &'a [NodeIntent],
    policy: &'a crate::policy::Policy,
    /// Whether findings get their texts (messages, help, origin licenses): not when only
    /// their keys, severities and origins are wanted.
    texts: bool,
    /// Each node's report once computed (its permitted licenses are not computed again).
    reports: Option<&'a [NodeReport]>,
}

/// A predicate: a live obligation of this kind (not a mark on content).
fn live(ob: Ob) -> impl Fn(Atom) -> bool {
    move |a: Atom| a.ob() == ob && a.is_live()
}

/// Everything about one node that the checks look at.
#[derive(Clone, Copy)]
struct Facts<'a> {
    v: NodeIx,
    id: &'a str,
    intent: NodeIntent,
    /// `intent.distribute`, used by most checks.
    d: Distribute,
    obligations: &'a [(Atom, u32)],
    /// The codes of the findings wanted (rebuilding some findings), or all.
    want: Codes,
}

impl Facts<'_> {
    fn commercial(&self) -> bool {
        self.intent.use_ == Some(Use::Commercial)
    }

    /// Whether findings with this code are wanted: the checks skip the work of the others.
    fn wants(&self, code: Code) -> bool {
        self.want & code.bit() != 0
    }
}

impl<'a> Ctx<'a> {
    fn id(&self, v: NodeIx) -> &str {
        &self.graph.node(v).id
    }

    fn lic_name(&self, lic: LicId, origin: NodeIx) -> &'a str {
        license_name(self.kb, self.licenses, lic, origin)
    }

    /// Whether an obligation from `lic` makes a node with this distribution "distributed".
    fn distributed(&self, d: Distribute, lic: LicId) -> bool {
        match d {
            Distribute::Private => false,
            Distribute::Public => true,
            Distribute::Service => lic == UNKNOWN || self.kb.get(lic).has(ClauseKind::ServiceIsDistribution),
        }
    }

    /// Node indices are numbered in id order, so sorting by index sorts by id.
    fn sorted_by_id(mut nodes: Vec<NodeIx>) -> Vec<NodeIx> {
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// Union of origins of the matching atoms, and those atoms, for a finding with `code`:
    /// nothing when that code is not wanted.
    fn gather(&self, f: &Facts<'_>, code: Code, pred: impl Fn(Atom) -> bool) -> (Vec<NodeIx>, Vec<Atom>) {
        let mut origins = Vec::new();
        let mut atoms = Vec::new();
        if !f.wants(code) {
            return (origins, atoms);
        }
        for &(a, set) in f.obligations {
            if pred(a) {
                atoms.push(a);
                origins.extend_from_slice(self.prop.origins(set));
            }
        }
        (Self::sorted_by_id(origins), atoms)
    }

    fn finding(
        &self,
        code: Code,
        v: NodeIx,
        origins: Vec<NodeIx>,
        atoms: Vec<Atom>,
        texts: impl FnOnce() -> (String, Cow<'static, str>),
    ) -> Finding {
        let mut severity = code.default_severity();
        if !self.graph.node(v).authored && severity == Severity::Error {
            severity = Severity::Warning;
        }
        let mut names: Vec<&str> = Vec::new();
        if self.texts {
            // The licenses the finding's origins gave its atoms. Sorted lists, searched: a
            // node below thousands of licenses carries thousands of atoms from as many
            // origins, and scanning them for each other was cubic.
            let (wanted, from) = (sorted(&atoms), sorted(&origins));
            for &(a, set) in self.prop.obligations(v) {
                if wanted.binary_search(&a).is_ok() {
                    for &o in self.prop.origins(set) {
                        if from.binary_search(&o).is_ok() {
                            names.push(self.lic_name(a.license(), o));
                        }
                    }
                }
            }
        }
        if names.is_empty() && self.texts {
            names.extend(origins.iter().filter_map(|&o| self.licenses[o as usize].canonical()));
        }
        names.sort_unstable();
        names.dedup();
        let origin_licenses = names.into_iter().map(str::to_owned).collect();
        // Only read findings have texts: keys are made without them.
        let (message, help) = if self.texts {
            texts()
        } else {
            (String::new(), Cow::Borrowed(""))
        };
        Finding {
            code,
            severity,
            node: v,
            origins,
            origin_licenses,
            path: Vec::new(),
            message,
            help,
            // Findings about the node's own license value point at that value.
            location: match (code, &self.graph.node(v).license) {
                (
                    Code::UnknownLicense
                    | Code::UnversionedLicense
                    | Code::LicenseReading
                    | Code::LicenseMismatch
                    | Code::LicenseOverride,
                    Some(text),
                ) => text.location,
                _ => self.graph.node(v).location,
            },
            suppressed: None,
            atoms,
        }
    }

    /// "X (LIC)" or "X (LIC) and 2 more"; "its own license (LIC)" when X is the node.
    fn origin_phrase(&self, v: NodeIx, origins: &[NodeIx], atoms: &[Atom]) -> String {
        const NAMED: usize = 2;
        if !self.texts {
            return String::new();
        }
        if origins.is_empty() {
            return "an upstream work".to_owned();
        }
        let named: Vec<String> = origins
            .iter()
            .take(NAMED)
            .map(|&o| {
                let obligations = self.prop.obligations(v);
                let lic = atoms
                    .iter()
                    .find(|&&a| {
                        // Obligations are sorted by atom, origin sets by node.
                        obligations
                            .binary_search_by_key(&a, |p| p.0)
                            .is_ok_and(|i| self.prop.origins(obligations[i].1).binary_search(&o).is_ok())
                    })
                    .map_or_else(
                        || self.licenses[o as usize].canonical().unwrap_or("no license"),
                        |a| self.lic_name(a.license(), o),
                    );
                if o == v {
                    format!("its own license ({lic})")
                } else {
                    format!("{} ({lic})", self.id(o))
                }
            })
            .collect();
        match origins.len() {
            1 => named[0].clone(),
            2 => format!("{} and {}", named[0], named[1]),
            n => format!("{}, {} and {} more", named[0], named[1], n - NAMED),
        }
    }

    /// The keys of the findings of the nodes in `nodes`, and which policy exceptions
    /// matched one.
    fn keys_of(&self, nodes: std::ops::Range<NodeIx>) -> (Vec<FindingKey>, Vec<bool>) {
        let mut keys = Vec::new();
        let mut used = vec![false; self.policy.exceptions.len()];
        for v in nodes {
            let found = self.node_findings(v, Codes::MAX, &mut used);
            for (i, f) in found.iter().enumerate() {
                keys.push(FindingKey {
                    severity: f.severity,
                    code: f.code,
                    node: v,
                    nth: found[..i].iter().filter(|g| g.code == f.code).count() as u32,
                    suppressed: f.suppressed.is_some(),
                });
            }
        }
        (keys, used)
    }

    /// The keys of every finding, sorted by severity, code and node, and which policy
    /// exceptions matched one. Nodes are independent here, so large graphs are split over
    /// the available cores; the sort makes the result the same whatever the split.
    fn keys(&self) -> (Vec<FindingKey>, Vec<bool>) {
        const PER_THREAD_MIN: usize = 20_000;
        let n = self.graph.nodes.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(n / PER_THREAD_MIN)
            .clamp(1, 16);
        let (mut keys, used) = if threads == 1 {
            self.keys_of(0..n as NodeIx)
        } else {
            let chunk = n.div_ceil(threads);
            std::thread::scope(|scope| {
                // A range whose thread cannot be started (a process limit) is done here.
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let range = (t * chunk).min(n) as NodeIx..((t + 1) * chunk).min(n) as NodeIx;
                        let mine = range.clone();
                        std::thread::Builder::new()
                            .spawn_scoped(scope, move || self.keys_of(mine))
                            .map_err(|_| range)
                    })
                    .collect();
                let mut keys = Vec::new();
                let mut used = vec![false; self.policy.exceptions.len()];
                for handle in handles {
                    let (part, part_used) = match handle {
                        Ok(thread) => thread.join().expect("a findings thread panicked"),
                        Err(range) => self.keys_of(range),
                    };
                    keys.extend_from_slice(&part);
                    used.iter_mut().zip(part_used).for_each(|(u, p)| *u |= p);
                }
                (keys, used)
            })
        };
        keys.sort_unstable();
        (keys, used)
    }

    /// The licenses a node declares (its chosen alternative), if it declares a value.
    fn declared(&self, v: NodeIx) -> Option<&[LicId]> {
        matches!(self.licenses[v as usize], NodeLicense::Value(_)).then(|| self.prop.terms(v))
    }

    /// Every finding about node `v` with a code in `want`, in the order the checks make
    /// them, without paths, the policy applied: severity overrides (`allow` drops the
    /// code) and exceptions, whose indices are marked in `used`.
    fn node_findings(&self, v: NodeIx, want: Codes, used: &mut [bool]) -> Vec<Finding> {
        let f = Facts {
            v,
            id: &self.graph.node(v).id,
            intent: self.intents[v as usize],
            d: self.intents[v as usize].distribute,
            obligations: self.prop.obligations(v),
            want,
        };
        let mut out = Vec::new();
        self.own_license_findings(&f, &mut out);
        self.restriction_findings(&f, &mut out);
        self.share_alike_findings(&f, &mut out);
        self.derived_license_findings(&f, &mut out);
        self.llama_findings(&f, &mut out);
        self.review_findings(&f, &mut out);
        self.obligation_findings(&f, &mut out);
        self.denied_findings(&f, &mut out);
        out.retain_mut(|finding| {
            if !f.wants(finding.code) {
                return false;
            }
            match self.policy.severity.iter().find(|(c, _)| *c == finding.code) {
                Some((_, None)) => return false,
                Some((_, Some(s))) => {
                    finding.severity = if self.graph.node(v).authored || *s != Severity::Error {
                        *s
                    } else {
                        Severity::Warning
                    };
                }
                None => {}
            }
            finding.suppressed = self.exception(finding, used);
            true
        });
        out
    }

    /// `denied-license`: denied licenses a node declares or inherits, and on a root
    /// licenses outside the policy's `allow`.
    fn denied_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let policy = self.policy;
        if !f.wants(Code::DeniedLicense) || (policy.deny.is_empty() && policy.allow.is_none()) {
            return;
        }
        let v = f.v;
        let declared = self.prop.terms(v);
        let mut origins: Vec<NodeIx> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut atoms: Vec<Atom> = Vec::new();
        for &l in declared.iter().filter(|l| policy.deny.contains(l)) {
            origins.push(v);
            names.push(self.kb.get(l).id.clone());
        }
        if let Some(allow) = &policy.allow
            && self.graph.is_root(v)
        {
            for &l in declared.iter().filter(|&&l| l != UNKNOWN && !allow.contains(&l)) {
                origins.push(v);
                names.push(self.kb.get(l).id.clone());
            }
        }
        for &(a, set) in f.obligations {
            if a.is_live() && a.license() != UNKNOWN && policy.deny.contains(&a.license()) {
                atoms.push(a);
                origins.extend(self.prop.origins(set).iter().copied());
                names.push(self.kb.get(a.license()).id.clone());
            }
        }
        if origins.is_empty() {
            return;
        }
        names.sort();
        names.dedup();
        let node = self.graph.node(v);
        out.push(Finding {
            code: Code::DeniedLicense,
            // The team's own rule: an error even on a model an importer brought in, or an
            // allowlist could never fail a recipe's check.
            severity: Severity::Error,
            node: v,
            message: if self.texts {
                format!(
                    "{} declares or inherits {}, which the policy does not allow",
                    node.id,
                    names.join(", ")
                )
            } else {
                String::new()
            },
            origin_licenses: names,
            origins: Self::sorted_by_id(origins),
            path: Vec::new(),
            help: Cow::Borrowed("replace the upstream, or change [licenses] in the policy file if the team agrees"),
            location: node.license.as_ref().map_or(node.location, |l| l.location),
            suppressed: None,
            atoms,
        });
    }

    /// The reason of the policy exception that accepts a finding, if one does, marking
    /// the exceptions used. Every origin must be excepted when `origin` is given.
    fn exception(&self, f: &Finding, used: &mut [bool]) -> Option<String> {
        let exceptions = &self.policy.exceptions;
        if exceptions.is_empty() {
            return None;
        }
        let node = self.id(f.node);
        let matching: Vec<usize> = (0..exceptions.len())
            .filter(|&i| exceptions[i].code == f.code && exceptions[i].node == node)
            .collect();
        let mut mark = |i: usize| {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        };
        if let Some(i) = matching.iter().copied().find(|&i| exceptions[i].origin.is_none()) {
            mark(i);
            return Some(exceptions[i].reason.clone());
        }
        let excepts = |i: usize, o: NodeIx| exceptions[i].origin.as_deref() == Some(self.id(o));
        let covered = !f.origins.is_empty() && f.origins.iter().all(|&o| matching.iter().any(|&i| excepts(i, o)));
        if !covered {
            return None;
        }
        let reasons: Vec<&str> = matching
            .iter()
            .copied()
            .filter(|&i| f.origins.iter().any(|&o| excepts(i, o)))
            .map(|i| {
                mark(i);
                exceptions[i].reason.as_str()
            })
            .collect();
        Some(reasons.join("; "))
    }

    /// The node's own license value: missing, unreadable, unknown or unversioned.
    fn own_license_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, .. } = *f;
        // The node's own license value.
        match &self.licenses[v as usize] {
            NodeLicense::Undeclared if self.graph.is_root(v) => out.push(self.finding(
                Code::MissingLicense,
                v,
                vec![v],
                Vec::new(),
                || {
                    (
                        format!("{id} declares no license"),
                        "add `license:` with the license you received it under; until then nothing downstream can be fully checked".into(),
                    )
                },
            )),
            NodeLicense::Invalid { text, reason } => out.push(self.finding(
                Code::UnknownLicense,
                v,
                vec![v],
                Vec::new(),
                || {
                    (
                        format!("{id}: license `{text}` cannot be read: {reason}"),
                        "write one license id, a list of ids, or an expression with AND / OR".into(),
                    )
                },
            )),
            NodeLicense::Value(value) => {
                let unknown: Vec<&str> = value
                    .alternatives
                    .iter()
                    .flatten()
                    .filter_map(|t| match t {
                        Term::Unknown(s) => Some(s.as_str()),
                        Term::Known(_) => None,
                    })
                    .collect();
                if let Some(first) = unknown.first() {
                    let texts = || {
                        let lower = first.to_ascii_lowercase();
                        let close = (!matches!(lower.as_str(), "other" | "unknown")).then(|| self.kb.closest(first)).flatten();
                        let help = match close {
                            Some(close) => format!("did you mean `{close}`? Until the license is known, its terms are not checked"),
                            None => "use a known license id (`mglint licenses list`, docs/licenses.md) or define it with `--licenses FILE`; until then its terms are not checked".to_owned(),
                        };
                        (format!("{id}: license `{}` is not in the knowledge base", unknown.join("`, `")), help.into())
                    };
                    out.push(self.finding(Code::UnknownLicense, v, vec![v], Vec::new(), texts));
                }
                let overridden = self
                    .prop
                    .terms(v)
                    .iter()
                    .copied()
                    .find(|&l| l != UNKNOWN && self.kb.get(l).overrides_builtin);
                if let Some(l) = overridden {
                    let lic = self.kb.get(l);
                    out.push(self.finding(
                        Code::LicenseOverride,
                        v,
                        vec![v],
                        Vec::new(),
                        || {
                            (
                                format!("{id}: `{}` is read as {} defines it, not as the built-in entry", lic.id, lic.defined_in),
                                "this is your team's reading of the license; remove it from the --licenses file to use the built-in one".into(),
                            )
                        },
                    ));
                }
                let read = value.alternatives.iter().flatten().find_map(|t| match *t {
                    Term::Known(l) => self.kb.get(l).reading.as_ref(),
                    Term::Unknown(_) => None,
                });
                if let Some(reading) = read {
                    out.push(self.finding(
                        Code::LicenseReading,
                        v,
                        vec![v],
                        Vec::new(),
                        || {
                            (
                                format!("{id}: {reading}"),
                                "write the exact license id (`mglint licenses list`) so it is checked as written".into(),
                            )
                        },
                    ));
                }
                if let Some((written, lic)) = value.unversioned.first() {
                    out.push(self.finding(
                        Code::UnversionedLicense,
                        v,
                        vec![v],
                        Vec::new(),
                        || {
                            (
                                format!("{id}: `{written}` has no version; read as {}, the latest", self.kb.get(*lic).id),
                                format!("write `{}` to make the version explicit", self.kb.get(*lic).id).into(),
                            )
                        },
                    ));
                }
            }
            NodeLicense::Undeclared => {}
        }
    }

    /// What the node may not do: commercial use, distributing a derivative, using outputs.
    fn restriction_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, d, .. } = *f;
        // non-commercial: any stage (a v2 NC binds the generating act).
        if f.commercial() {
            let (origins, atoms) = self.gather(f, Code::NonCommercial, |a| {
                a.ob() == Ob::NonCommercial && a.stage() != Stage::Marked
            });
            if !origins.is_empty() {
                let from = self.origin_phrase(v, &origins, &atoms);
                let first = origins.first().copied();
                let texts = || {
                    let help = match first {
                        Some(o) if o != v => format!("use it non-commercially, or replace {}", self.id(o)),
                        _ => "use it non-commercially, or obtain a commercial license".to_owned(),
                    };
                    (
                        format!("{id} is used commercially but inherits NonCommercial terms from {from}"),
                        help.into(),
                    )
                };
                out.push(self.finding(Code::NonCommercial, v, origins, atoms, texts));
            }
        }
        // no-derivatives
        let (origins, atoms) = self.gather(f, Code::NoDerivatives, |a| {
            live(Ob::NoDistribution)(a) && self.distributed(d, a.license())
        });
        if !origins.is_empty() {
            let from = self.origin_phrase(v, &origins, &atoms);
            out.push(self.finding(
                Code::NoDerivatives,
                v,
                origins,
                atoms,
                || {
                    (
                        format!(
                            "{id} is distributed ({d}) but is a derivative of {from}, which forbids distributing derivatives"
                        ),
                        "keep it private, or build it without the NoDerivatives work".into(),
                    )
                },
            ));
        }
        // output-use-forbidden
        let (origins, atoms) = self.gather(f, Code::OutputUseForbidden, live(Ob::NoOutputUse));
        if !origins.is_empty() {
            let from = self.origin_phrase(v, &origins, &atoms);
            out.push(self.finding(Code::OutputUseForbidden, v, origins, atoms, || {
                (
                    format!(
                        "{id} uses or ships outputs of {from}, whose outputs may not be used, copied or distributed"
                    ),
                    "generate this content with another model".into(),
                )
            }));
        }
    }

    /// Share-alike: the declared license, and obligations no single license satisfies.
    fn share_alike_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, d, .. } = *f;
        let declared = self.declared(v);
        // share-alike
        let sa_dist: Vec<(Atom, u32)> = f
            .obligations
            .iter()
            .copied()
            .filter(|&(a, _)| live(Ob::ShareAlike)(a) && self.distributed(d, a.license()))
            .collect();
        let unmet: Vec<Atom> = sa_dist
            .iter()
            .map(|p| p.0)
            .filter(|a| match &declared {
                Some(t) => !t
                    .iter()
                    .any(|&l| l != UNKNOWN && self.kb.get(a.license()).accepts(a.license(), l)),
                None => true,
            })
            .collect();
        if !unmet.is_empty() && f.wants(Code::ShareAlike) {
            let (origins, atoms) = self.gather(f, Code::ShareAlike, |a| unmet.contains(&a));
            let targets: Vec<String> = unmet.iter().map(|a| self.kb.get(a.license()).id.clone()).collect();
            let from = self.origin_phrase(v, &origins, &atoms);
            let declared_text = self.licenses[v as usize]
                .canonical()
                .map_or("no license".to_owned(), |c| format!("`{c}`"));
            out.push(self.finding(Code::ShareAlike, v, origins, atoms, || {
                (
                    format!(
                        "{id} is distributed ({d}) under {declared_text}, but as it comes from {from} it must carry {}",
                        targets.join(" and ")
                    ),
                    format!(
                        "license it under {} (or a license {} accepts) and ship its source",
                        targets[0], targets[0]
                    )
                    .into(),
                )
            }));
        }
        // incompatible-licenses
        if !sa_dist.is_empty() && f.wants(Code::IncompatibleLicenses) {
            let mut culprits: Vec<Atom> = Vec::new();
            let mut why = Vec::new();
            for (i, &(x, _)) in sa_dist.iter().enumerate() {
                for &(y, _) in &sa_dist[i + 1..] {
                    let (lx, ly) = (x.license(), y.license());
                    let common = self
                        .kb
                        .all()
                        .any(|(l, _)| self.kb.get(lx).accepts(lx, l) && self.kb.get(ly).accepts(ly, l));
                    if !common {
                        culprits.extend([x, y]);
                        why.push(format!(
                            "{} and {} are share-alike with no license acceptable to both",
                            self.kb.get(lx).id,
                            self.kb.get(ly).id
                        ));
                    }
                }
                let target = self.kb.get(x.license());
                if target.has(ClauseKind::NoFurtherRestrictions) {
                    let extra: Vec<Atom> = f
                        .obligations
                        .iter()
                        .map(|p| p.0)
                        .filter(|a| a.is_live())
                        .filter(|a| {
                            (a.ob() == Ob::NonCommercial && !target.has(ClauseKind::NonCommercial))
                                || (a.ob() == Ob::UseRestrictions && !target.has(ClauseKind::UseRestrictions))
                        })
                        .collect();
                    if !extra.is_empty() {
                        let terms: Vec<&str> = extra
                            .iter()
                            .map(|a| {
                                if a.ob() == Ob::NonCommercial {
                                    "NonCommercial terms"
                                } else {
                                    "use restrictions"
                                }
                            })
                            .collect();
                        let mut terms = terms;
                        terms.dedup();
                        why.push(format!(
                            "{} allows no further restrictions, but {id} carries {}",
                            target.id,
                            terms.join(" and ")
                        ));
                        culprits.push(x);
                        culprits.extend(extra);
                    }
                }
            }
            if !culprits.is_empty() {
                let (origins, atoms) = self.gather(f, Code::IncompatibleLicenses, |a| culprits.contains(&a));
                out.push(self.finding(Code::IncompatibleLicenses, v, origins, atoms, || {
                    (
                        format!(
                            "{id} is distributed ({d}) but no single license can satisfy its upstreams: {}",
                            why.join("; ")
                        ),
                        "keep it private, or remove one of the conflicting upstream works".into(),
                    )
                }));
            }
        }
    }

    /// A derived node's license: outside its permitted licenses, or a suggestion when absent.
    fn derived_license_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, d, .. } = *f;
        let declared = self.declared(v);
        let known_declared = declared.filter(|t| !t.contains(&UNKNOWN));
        if !self.graph.is_root(v) && (f.wants(Code::LicenseMismatch) || f.wants(Code::SuggestedLicense)) {
            let constraints = Constraints::from_atoms(f.obligations.iter().map(|p| p.0));
            if let Some(decl) = known_declared
                && !constraints.no_distribution
                && f.wants(Code::LicenseMismatch)
            {
                let bad = violations(self.kb, decl, &constraints, false);
                if !bad.is_empty() {
                    out.push(self.mismatch(f, &bad));
                }
            }
            let node_distributed = match d {
                Distribute::Private => false,
                Distribute::Public => true,
                Distribute::Service => f.obligations.iter().any(|&(a, _)| self.distributed(d, a.license())),
            };
            if declared.is_none() && node_distributed && f.wants(Code::SuggestedLicense) {
                let texts = || {
                    let allowed = match self.reports.and_then(|r| r[v as usize].permitted.clone()) {
                        Some(known) => known,
                        None => Arc::new(permitted(self.kb, &constraints)),
                    };
                    match allowed.first() {
                        Some(&l) => (
                            format!(
                                "{id} is distributed without a declared license; it may be released under {}",
                                self.kb.get(l).id
                            ),
                            Cow::Owned(format!(
                                "add `license: {}` to the node ({} known licenses are permitted)",
                                self.kb.get(l).id,
                                allowed.len()
                            )),
                        ),
                        None => (
                            format!(
                                "{id} is distributed without a declared license, but no license permits distributing it: private use only"
                            ),
                            Cow::Borrowed("keep it private"),
                        ),
                    }
                };
                let (origins, atoms) = self.gather(f, Code::SuggestedLicense, |a| {
                    a.is_live() && a.ob().clause_name().is_some()
                });
                out.push(self.finding(Code::SuggestedLicense, v, origins, atoms, texts));
            }
        }
    }

    /// The Llama rules: improving other LLMs, and naming.
    fn llama_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, d, .. } = *f;
        // Asked first: at hub scale, reading the node is a cache miss.
        if !f.wants(Code::LlamaOtherLlm) && !f.wants(Code::LlamaNaming) {
            return;
        }
        let node = self.graph.node(v);
        if node.kind == NodeKind::Model {
            let lineage = f.obligations.iter().any(|p| p.0.ob() == Ob::LlamaLineage);
            let (origins, atoms) = self.gather(f, Code::LlamaOtherLlm, live(Ob::LlamaOtherLlm));
            if !origins.is_empty() && !lineage {
                let from = self.origin_phrase(v, &origins, &atoms);
                out.push(self.finding(
                    Code::LlamaOtherLlm,
                    v,
                    origins,
                    atoms,
                    || {
                        (
                            format!("{id} is not a Llama 2 derivative but was improved with outputs or distillation of {from}"),
                            "Llama 2 outputs may only improve Llama 2 and its derivatives: train a Llama 2 derivative, or use other data".into(),
                        )
                    },
                ));
            }
            if f.wants(Code::LlamaNaming) {
                let (origins, atoms) = self.gather(f, Code::LlamaNaming, |a| {
                    live(Ob::LlamaNaming)(a) && self.distributed(d, a.license())
                });
                // The name last: at hub scale, reading a node's id is a cache miss.
                let name = (!origins.is_empty()).then(|| node.display_name());
                if let Some(name) = name.filter(|n| !n.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("llama"))) {
                    let from = self.origin_phrase(v, &origins, &atoms);
                    out.push(self.finding(
                        Code::LlamaNaming,
                        v,
                        origins,
                        atoms,
                        || {
                            (
                                format!("{id} is distributed ({d}) and built with {from}, but its name `{name}` does not begin with \"Llama\""),
                                format!("rename it (e.g. `name: Llama-{name}`)").into(),
                            )
                        },
                    ));
                }
            }
        }
    }

    /// Where the licenses leave the verdict open.
    fn review_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, d, .. } = *f;
        // review-needed
        {
            let (origins, atoms) = self.gather(f, Code::ReviewNeeded, |a| {
                a.is_live()
                    && matches!(a.ob(), Ob::UnknownTerms | Ob::TrainedOnOutput | Ob::ShareAlikeData)
                    && (f.commercial() || self.distributed(d, a.license()))
            });
            if !origins.is_empty() {
                // Each open question: the reason it is open, and what settles it.
                let open: Vec<(&str, &str)> = [
                    (
                        Ob::UnknownTerms,
                        "an upstream license is unknown or missing, so its terms are not checked",
                        "declare the missing or unknown licenses",
                    ),
                    (
                        Ob::TrainedOnOutput,
                        "it was trained on outputs of a model whose license has duties for derivatives or extracted models, and whether it imitates that model depends on intent",
                        "if it is meant to imitate the upstream model, say so with `via: distill`",
                    ),
                    (
                        Ob::ShareAlikeData,
                        "it was trained on share-alike data, and whether a trained model is an adaptation of its data is unsettled",
                        "have someone decide whether the model adapts its share-alike training data",
                    ),
                ]
                .into_iter()
                .filter(|(ob, ..)| atoms.iter().any(|a| a.ob() == *ob))
                .map(|(_, reason, help)| (reason, help))
                .collect();
                let from = self.origin_phrase(v, &origins, &atoms);
                let texts = || {
                    let (reasons, helps): (Vec<&str>, Vec<&str>) = open.into_iter().unzip();
                    (
                        format!("{id} needs review (from {from}): {}", reasons.join("; ")),
                        format!(
                            "{}; otherwise have the decision reviewed and recorded",
                            helps.join("; ")
                        )
                        .into(),
                    )
                };
                out.push(self.finding(Code::ReviewNeeded, v, origins, atoms, texts));
            }
        }
    }

    /// Obligations to fulfil when distributed, and dependence on revocable grants.
    fn obligation_findings(&self, f: &Facts<'_>, out: &mut Vec<Finding>) {
        let Facts { v, id, d, .. } = *f;
        // Obligations to fulfil when distributed.
        let infos = [
            (
                Ob::Attribution,
                Code::Attribution,
                "keep the credit and notices of",
                "keep their copyright, attribution and notice files with every copy",
            ),
            (
                Ob::LicenseCopy,
                Code::LicenseCopy,
                "ship the license text of",
                "include each upstream license text with the files or service terms",
            ),
            (
                Ob::StateChanges,
                Code::StateChanges,
                "mark what you changed relative to",
                "state prominently what was modified, and when",
            ),
            (
                Ob::SourceDisclosure,
                Code::SourceDisclosure,
                "give recipients the source (preferred form for modification) as required by",
                "publish the training and inference code and weights in their preferred form",
            ),
            (
                Ob::UseRestrictions,
                Code::UseRestrictions,
                "respect and pass on the use restrictions of",
                "include the use restrictions in your terms and make recipients bound by them",
            ),
            (
                Ob::ProvenanceNotice,
                Code::ProvenanceNotice,
                "say which model generated this data, as required by",
                "add a prominent notice that the dataset was generated with the upstream model",
            ),
            (
                Ob::AiContentNotice,
                Code::AiContentNotice,
                "say the content is AI-generated, as required by",
                "label the content as AI-generated and name the model",
            ),
            (
                Ob::ExtractedNotice,
                Code::ExtractedNotice,
                "say the model was made from outputs of",
                "add a prominent notice that the model was created from the upstream model's outputs",
            ),
        ];
        for (ob, code, what, help) in infos {
            let (origins, atoms) = self.gather(f, code, |a| live(ob)(a) && self.distributed(d, a.license()));
            if !origins.is_empty() {
                let from = self.origin_phrase(v, &origins, &atoms);
                out.push(self.finding(code, v, origins, atoms, || {
                    (format!("{id} is distributed ({d}): {what} {from}"), help.into())
                }));
            }
        }
        let (origins, atoms) = self.gather(f, Code::RevocableLicense, |a| {
            live(Ob::Revocable)(a) && (self.distributed(d, a.license()) || f.commercial())
        });
        if !origins.is_empty() {
            let from = self.origin_phrase(v, &origins, &atoms);
            out.push(self.finding(Code::RevocableLicense, v, origins, atoms, || {
                (
                    format!("{id} depends on a revocable grant from {from}"),
                    "the licensor may terminate the grant; keep a record of compliance".into(),
                )
            }));
        }
        let (origins, atoms) = self.gather(f, Code::LicenseTerms, |a| {
            (live(Ob::Conditions)(a) || live(Ob::OutputConditions)(a))
                && (self.distributed(d, a.license()) || f.commercial())
        });
        if !origins.is_empty() {
            // A license reached only through outputs contributes its output terms only.
            let mut licenses: Vec<(LicId, bool)> = atoms
                .iter()
                .map(|a| {
                    (
                        a.license(),
                        atoms
                            .iter()
                            .any(|b| b.license() == a.license() && b.ob() == Ob::Conditions),
                    )
                })
                .collect();
            licenses.sort_unstable_by(|a, b| self.kb.get(a.0).id.cmp(&self.kb.get(b.0).id));
            licenses.dedup();
            let conditions: Vec<String> = licenses
                .iter()
                .flat_map(|&(l, all)| {
                    let lic = self.kb.get(l);
                    // Name the license only when there are several.
                    let prefix = if licenses.len() > 1 {
                        format!("{}: ", lic.id)
                    } else {
                        String::new()
                    };
                    lic.conditions
                        .iter()
                        .filter(move |c| all || c.outputs)
                        .map(move |c| match &c.source {
                            Some(source) => format!("{prefix}{} ({source})", c.text),
                            None => format!("{prefix}{}", c.text),
                        })
                })
                .collect();
            let from = self.origin_phrase(v, &origins, &atoms);
            out.push(self.finding(Code::LicenseTerms, v, origins, atoms, || {
                (
                    format!(
                        "{id} depends on {from}, whose license has terms the graph cannot check: {}",
                        conditions.join("; ")
                    ),
                    "check these terms against your organisation and product before release".into(),
                )
            }));
        }
    }

    fn mismatch(&self, f: &Facts<'_>, bad: &[Violation]) -> Finding {
        let v = f.v;
        let licenses: Vec<LicId> = bad.iter().map(|b| b.license()).collect();
        let (origins, atoms) = self.gather(f, Code::LicenseMismatch, |a| {
            a.is_live() && licenses.contains(&a.license()) && a.ob().clause_name().is_some()
                || (licenses.contains(&a.license()) && matches!(a.ob(), Ob::KeepOptions | Ob::CopyOnly))
        });
        let texts = || {
            let id = self.id(v);
            let declared = self.licenses[v as usize].canonical().unwrap_or_default();
            let reasons: Vec<String> = bad
                .iter()
                .map(|&b| {
                    let l = &self.kb.get(b.license()).id;
                    match b {
                        Violation::DropsNonCommercial(_) => {
                            format!("it allows commercial use, but {id} carries NonCommercial terms ({l})")
                        }
                        Violation::DropsFlowDown(_) => {
                            format!("it lacks the use restrictions of {l}, which must flow down")
                        }
                        Violation::DropsModelGoOption(m) => {
                            let declared_terms = self.prop.terms(v);
                            let dropped: Vec<&str> = [
                                (ClauseKind::Attribution, "BY"),
                                (ClauseKind::NonCommercial, "NC"),
                                (ClauseKind::UseRestrictions, "RAI"),
                            ]
                            .into_iter()
                            .filter(|&(c, _)| {
                                self.kb.get(m).has(c)
                                    && !declared_terms.iter().any(|&t| t != UNKNOWN && self.kb.get(t).has(c))
                            })
                            .map(|(_, name)| name)
                            .collect();
                            format!(
                                "it drops the {} option of the ModelGo license {l} (a remix may only add options)",
                                dropped.join(" and ")
                            )
                        }
                        Violation::FurtherRestrictions(_) => {
                            format!("it allows no further restrictions, but {id} carries terms of {l}")
                        }
                        Violation::RelabelledCopy(_) => {
                            format!("a copy of a work under {l} (not sublicensable) must keep {l}")
                        }
                        Violation::NotShareAlike(_) => format!("it is not {l}"),
                    }
                })
                .collect();
            let help = match permitted(self.kb, &Constraints::from_atoms(f.obligations.iter().map(|p| p.0))).first() {
                Some(&l) => format!("declare a permitted license, e.g. `license: {}`", self.kb.get(l).id),
                None => "nothing may be distributed: keep it private".to_owned(),
            };
            (
                format!(
                    "{id} declares `{declared}`, which it may not be offered under: {}",
                    reasons.join("; ")
                ),
                help.into(),
            )
        };
        let mut finding = self.finding(Code::LicenseMismatch, v, origins, atoms, texts);
        if !bad.iter().any(|b| b.is_error()) && finding.severity == Severity::Error {
            finding.severity = Severity::Warning;
        }
        finding
    }

    fn node_reports(&self) -> Vec<NodeReport> {
        let mut memo: HashMap<Vec<Atom>, Arc<Vec<LicId>>> = HashMap::default();
        (0..self.graph.nodes.len() as NodeIx)
            .map(|v| {
                let obligations = self.prop.obligations(v);
                let permitted = (!self.graph.is_root(v)).then(|| {
                    let atoms: Vec<Atom> = obligations.iter().map(|p| p.0).filter(|a| a.is_live()).collect();
                    Arc::clone(memo.entry(atoms).or_insert_with_key(|atoms| {
                        Arc::new(permitted(self.kb, &Constraints::from_atoms(atoms.iter().copied())))
                    }))
                });
                let license_choice = match &self.licenses[v as usize] {
                    NodeLicense::Value(value) if value.alternatives.len() > 1 => Some(
                        self.prop
                            .terms(v)
                            .iter()
                            .map(|&l| {
                                if l == UNKNOWN {
                                    "unknown".to_owned()
                                } else {
                                    self.kb.get(l).id.clone()
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(" AND "),
                    ),
                    _ => None,
                };
                NodeReport {
                    intent: self.intents[v as usize],
                    permitted,
                    license_choice,
                }
            })
            .collect()
    }
}
