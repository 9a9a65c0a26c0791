//! Permitted licenses of a derived node (`semantics.md` section 4), and what a declared
//! license violates.

use crate::engine::{Atom, Ob};
use crate::kb::{ClauseKind, KnowledgeBase, LicId};

/// What a node's carried obligations require of the license it is offered under.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    /// It may not be distributed at all.
    pub no_distribution: bool,
    /// Share-alike targets.
    pub share_alike: Vec<LicId>,
    /// Licenses whose NonCommercial terms it carries.
    pub non_commercial: Vec<LicId>,
    /// Licenses whose use restrictions it carries.
    pub use_restrictions: Vec<LicId>,
    /// ModelGo ancestors whose options must be kept.
    pub keep_options: Vec<LicId>,
    /// It is a copy of a work under a non-sublicensable license.
    pub copy_only: Vec<LicId>,
    /// Every license it inherits an obligation from.
    pub inherited: Vec<LicId>,
}

impl Constraints {
    /// The constraints from a node's carried obligations.
    pub fn from_atoms(atoms: impl Iterator<Item = Atom>) -> Self {
        let mut c = Self::default();
        for a in atoms.filter(|a| a.is_live()) {
            let lic = a.license();
            // Licenses of works it derives from (or includes), not of outputs it learned
            // from: only these may offer a publisher's license.
            if matches!(
                a.ob(),
                Ob::Attribution | Ob::LicenseCopy | Ob::UseRestrictions | Ob::Conditions
            ) {
                c.inherited.push(lic);
            }
            match a.ob() {
                Ob::NoDistribution | Ob::NoOutputUse => c.no_distribution = true,
                Ob::ShareAlike => c.share_alike.push(lic),
                Ob::NonCommercial => c.non_commercial.push(lic),
                Ob::UseRestrictions => c.use_restrictions.push(lic),
                Ob::KeepOptions => c.keep_options.push(lic),
                Ob::CopyOnly => c.copy_only.push(lic),
                _ => {}
            }
        }
        c.inherited.sort_unstable();
        c.inherited.dedup();
        c
    }
}

/// Why a carried obligation narrows the licenses a node may be released under, in the
/// words `suggest` uses; `None` when it does not. These are the obligations
/// [`Constraints::from_atoms`] and [`violations`] act on.
pub fn narrowing_reason(kb: &KnowledgeBase, a: Atom) -> Option<&'static str> {
    if !a.is_live() {
        return None;
    }
    Some(match a.ob() {
        Ob::NoDistribution => "no-distribution",
        Ob::NoOutputUse => "no-output-use",
        Ob::ShareAlike => "share-alike",
        Ob::NonCommercial => "non-commercial",
        Ob::UseRestrictions if kb.get(a.license()).has(ClauseKind::FlowDown) => "use-restrictions",
        Ob::KeepOptions => "modelgo-options",
        Ob::CopyOnly => "copy-keeps-license",
        _ => return None,
    })
}

/// One reason a license is not permitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Violation {
    /// It allows commercial use while the node carries NonCommercial terms from this license.
    DropsNonCommercial(LicId),
    /// It lacks use restrictions that this license requires to flow down.
    DropsFlowDown(LicId),
    /// It drops an option (BY, NC, RAI) of this ModelGo ancestor.
    DropsModelGoOption(LicId),
    /// It has `no-further-restrictions` but the node carries terms from this license it lacks.
    FurtherRestrictions(LicId),
    /// A copy of a work under this non-sublicensable license must keep it.
    RelabelledCopy(LicId),
    /// It is not this share-alike license or one it accepts.
    NotShareAlike(LicId),
}

impl Violation {
    /// The license the violation is about.
    pub fn license(self) -> LicId {
        match self {
            Self::DropsNonCommercial(l)
            | Self::DropsFlowDown(l)
            | Self::DropsModelGoOption(l)
            | Self::FurtherRestrictions(l)
            | Self::RelabelledCopy(l)
            | Self::NotShareAlike(l) => l,
        }
    }

    /// Whether the violation makes a `license-mismatch` an error (rather than a warning).
    pub fn is_error(self) -> bool {
        matches!(self, Self::DropsNonCommercial(_) | Self::DropsFlowDown(_))
    }
}

/// Why the licenses `declared` (all applying) do not satisfy `c`; empty when they do.
pub fn violations(kb: &KnowledgeBase, declared: &[LicId], c: &Constraints, with_share_alike: bool) -> Vec<Violation> {
    let has = |clause: ClauseKind| declared.iter().any(|&d| kb.get(d).has(clause));
    let mut out = Vec::new();
    if let Some(&l) = c.non_commercial.first()
        && !has(ClauseKind::NonCommercial)
    {
        out.push(Violation::DropsNonCommercial(l));
    }
    for &l in &c.use_restrictions {
        if kb.get(l).has(ClauseKind::FlowDown) && !has(ClauseKind::UseRestrictions) {
            out.push(Violation::DropsFlowDown(l));
            break;
        }
    }
    for &m in &c.keep_options {
        let lic = kb.get(m);
        let keeps = [
            ClauseKind::Attribution,
            ClauseKind::NonCommercial,
            ClauseKind::UseRestrictions,
        ]
        .into_iter()
        .all(|opt| !lic.has(opt) || has(opt));
        if !keeps {
            out.push(Violation::DropsModelGoOption(m));
        }
    }
    for &d in declared {
        let l = kb.get(d);
        if l.has(ClauseKind::NoFurtherRestrictions) {
            let extra_nc = c.non_commercial.iter().find(|_| !l.has(ClauseKind::NonCommercial));
            let extra_ur = c.use_restrictions.iter().find(|_| !l.has(ClauseKind::UseRestrictions));
            if let Some(&o) = extra_nc.or(extra_ur) {
                out.push(Violation::FurtherRestrictions(o));
            }
        }
    }
    for &m in &c.copy_only {
        // A relabelled copy of a share-alike work is the `share-alike` finding's to report.
        if !declared.contains(&m) && (with_share_alike || !c.share_alike.contains(&m)) {
            out.push(Violation::RelabelledCopy(m));
        }
    }
    if with_share_alike {
        for &x in &c.share_alike {
            if !declared.iter().any(|&d| kb.get(x).accepts(x, d)) {
                out.push(Violation::NotShareAlike(x));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every known license the node may be distributed under, least restrictive first,
/// ModelGo v2 first among equals, then by id. Empty when nothing may be distributed.
/// Candidates are the licenses anyone may release a work under, plus a publisher's own
/// license (Llama, Gemma, Qwen, ...) when the node inherits from it: Meta's license can
/// cover a Llama derivative, not an unrelated model. Readings of family ids (`cc`) are
/// never candidates.
pub fn permitted(kb: &KnowledgeBase, c: &Constraints) -> Vec<LicId> {
    if c.no_distribution {
        return Vec::new();
    }
    let mut out: Vec<LicId> = kb
        .all()
        .filter(|&(id, l)| l.reading.is_none() && (!l.family.is_publisher_specific() || c.inherited.contains(&id)))
        .map(|(id, _)| id)
        .filter(|&id| violations(kb, &[id], c, true).is_empty())
        .collect();
    out.sort_by(|&a, &b| {
        let (la, lb) = (kb.get(a), kb.get(b));
        la.restrictiveness()
            .cmp(&lb.restrictiveness())
            .then(lb.is_modelgo_v2().cmp(&la.is_modelgo_v2()))
            .then_with(|| la.id.cmp(&lb.id))
    });
    out
}
