//! Obligations as small integers, and the table of what each clause produces along
//! each relation class (`semantics.md` section 2).
//!
//! An [`Atom`] is one obligation kind from one license at one stage, packed in a `u32`
//! so that per-node sets are sorted vectors of integers. Origins (which nodes' licenses
//! produced it) are kept beside it, not in it, so equal obligations from many upstreams
//! stay one atom.

use crate::graph::RelationClass;
use crate::kb::{ClauseKind, KnowledgeBase, LicId, License};

/// The license of an obligation whose license is unknown (or missing).
pub const UNKNOWN: LicId = LicId::MAX;

/// What an obligation asks of the node that carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Ob {
    /// Keep credit and notices.
    Attribution = 0,
    /// Ship the license text.
    LicenseCopy,
    /// Mark modifications.
    StateChanges,
    /// Ship the source / preferred adaptable form.
    SourceDisclosure,
    /// Say the model was extracted from the upstream's outputs (MG v2).
    ExtractedNotice,
    /// Say the content is AI-generated (MG v1).
    AiContentNotice,
    /// Say where a dataset of outputs came from (MG v2).
    ProvenanceNotice,
    /// No commercial use.
    NonCommercial,
    /// May not be distributed.
    NoDistribution,
    /// Outputs may not be used or distributed (MG-BY-ND-1.0).
    NoOutputUse,
    /// Distributed derivatives must carry the license.
    ShareAlike,
    /// Behavioural use restrictions.
    UseRestrictions,
    /// Llama 2 outputs or distillation improved this model.
    LlamaOtherLlm,
    /// Derived from a Llama 2 model (exempts from `LlamaOtherLlm`).
    LlamaLineage,
    /// The model's name must begin with "Llama".
    LlamaNaming,
    /// Depends on a revocable grant.
    Revocable,
    /// Depends on a license with conditions the graph cannot check.
    Conditions,
    /// Made from the outputs of a model whose license has conditions on such models.
    OutputConditions,
    /// A ModelGo ancestor whose options the node's license must keep.
    KeepOptions,
    /// A copy of a work under a non-sublicensable license: it keeps that license.
    CopyOnly,
    /// Trained on outputs of a model with derivative-only duties: intent decides.
    TrainedOnOutput,
    /// Trained on share-alike data: an open question.
    ShareAlikeData,
    /// Upstream terms unknown (unknown or missing license).
    UnknownTerms,
    /// The license itself, carried by a work and its verbatim copies: what derives from a
    /// copy derives from the original (`Stage::Own` only).
    License,
}

impl Ob {
    const ALL: [Self; 24] = [
        Self::Attribution,
        Self::LicenseCopy,
        Self::StateChanges,
        Self::SourceDisclosure,
        Self::ExtractedNotice,
        Self::AiContentNotice,
        Self::ProvenanceNotice,
        Self::NonCommercial,
        Self::NoDistribution,
        Self::NoOutputUse,
        Self::ShareAlike,
        Self::UseRestrictions,
        Self::LlamaOtherLlm,
        Self::LlamaLineage,
        Self::LlamaNaming,
        Self::Revocable,
        Self::Conditions,
        Self::OutputConditions,
        Self::KeepOptions,
        Self::CopyOnly,
        Self::TrainedOnOutput,
        Self::ShareAlikeData,
        Self::UnknownTerms,
        Self::License,
    ];

    /// The name shown in reports, or `None` for bookkeeping obligations.
    pub fn clause_name(self) -> Option<&'static str> {
        Some(match self {
            Self::Attribution => "attribution",
            Self::LicenseCopy => "license-copy",
            Self::StateChanges => "state-changes",
            Self::SourceDisclosure => "source-disclosure",
            Self::ExtractedNotice => "extracted-notice",
            Self::AiContentNotice => "ai-content-notice",
            Self::ProvenanceNotice => "provenance-notice",
            Self::NonCommercial => "non-commercial",
            Self::NoDistribution => "no-distribution",
            Self::NoOutputUse => "no-output-use",
            Self::ShareAlike => "share-alike",
            Self::UseRestrictions => "use-restrictions",
            Self::LlamaOtherLlm => "llama-other-llm",
            Self::LlamaNaming => "llama-naming",
            Self::Revocable => "revocable",
            Self::Conditions | Self::OutputConditions => "license-terms",
            Self::TrainedOnOutput | Self::ShareAlikeData | Self::UnknownTerms => "review-needed",
            Self::LlamaLineage | Self::KeepOptions | Self::CopyOnly | Self::License => return None,
        })
    }
}

/// How far an obligation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Stage {
    /// Travels on (`semantics.md` section 2: "once produced, an obligation travels").
    Carried = 0,
    /// Binds this node only (an MG v2 NC on the act of generating) and stops.
    Bound = 1,
    /// A mark on generated content, waiting for a model trained on it.
    Marked = 2,
    /// Binds a work and its verbatim copies (a root under its own license, a `copy`): along
    /// any other edge the license is consulted afresh through the `License` atom, so a
    /// copy is never a way around a license, and a root's own duties do not leak past
    /// the relation class that defines them.
    Own = 3,
}

/// One obligation: kind, stage and the license that produced it, packed in a `u32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Atom(pub u32);

impl Atom {
    /// Packs an atom.
    pub fn new(ob: Ob, stage: Stage, license: LicId) -> Self {
        Self((u32::from(license) << 8) | ((ob as u32) << 2) | stage as u32)
    }

    /// The obligation kind.
    pub fn ob(self) -> Ob {
        Ob::ALL[((self.0 >> 2) & 0x3F) as usize]
    }

    /// The stage.
    pub fn stage(self) -> Stage {
        match self.0 & 3 {
            0 => Stage::Carried,
            1 => Stage::Bound,
            2 => Stage::Marked,
            _ => Stage::Own,
        }
    }

    /// The license that produced it ([`UNKNOWN`] for unknown terms).
    pub fn license(self) -> LicId {
        (self.0 >> 8) as LicId
    }

    fn with_stage(self, stage: Stage) -> Self {
        Self::new(self.ob(), stage, self.license())
    }

    /// A live obligation of the node that carries it (not a mark on content, not bound
    /// to the generating act only).
    pub fn is_live(self) -> bool {
        matches!(self.stage(), Stage::Carried | Stage::Own)
    }
}

/// A row of the table in `semantics.md` section 2 (plus the bookkeeping rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Attribution,
    NonCommercial,
    NoDerivatives,
    ShareAlike,
    UseRestrictions,
    LlamaOtherLlm,
    LlamaNaming,
    Revocable,
    Conditions,
    ModelGoOptions,
    NotSublicensable,
}

fn rows(l: &License) -> impl Iterator<Item = Row> + '_ {
    [
        (
            l.has(ClauseKind::Attribution) || l.has(ClauseKind::LicenseCopy) || l.output.ai_content_notice,
            Row::Attribution,
        ),
        (l.has(ClauseKind::NonCommercial), Row::NonCommercial),
        (
            l.has(ClauseKind::NoDerivatives) || l.output.forbid_output_use,
            Row::NoDerivatives,
        ),
        (l.has(ClauseKind::ShareAlike), Row::ShareAlike),
        (l.has(ClauseKind::UseRestrictions), Row::UseRestrictions),
        (l.has(ClauseKind::LlamaOtherLlm), Row::LlamaOtherLlm),
        (l.has(ClauseKind::LlamaNaming), Row::LlamaNaming),
        (l.revocable, Row::Revocable),
        (!l.conditions.is_empty(), Row::Conditions),
        (l.modelgo.is_some(), Row::ModelGoOptions),
        (!l.sublicensable, Row::NotSublicensable),
    ]
    .into_iter()
    .filter_map(|(present, row)| present.then_some(row))
}

/// The row an obligation came from, to consult the table again along output and input edges.
fn row_of(ob: Ob) -> Option<Row> {
    Some(match ob {
        Ob::Attribution | Ob::LicenseCopy | Ob::StateChanges | Ob::ExtractedNotice => Row::Attribution,
        Ob::NonCommercial => Row::NonCommercial,
        Ob::NoDistribution => Row::NoDerivatives,
        Ob::ShareAlike => Row::ShareAlike,
        Ob::UseRestrictions => Row::UseRestrictions,
        Ob::LlamaOtherLlm | Ob::LlamaLineage => Row::LlamaOtherLlm,
        Ob::LlamaNaming => Row::LlamaNaming,
        Ob::Revocable => Row::Revocable,
        Ob::Conditions => Row::Conditions,
        _ => return None,
    })
}

/// Whether outputs of a model under `l` leave an open question for a model trained on them
/// (`semantics.md` section 2, "Models trained on outputs").
fn output_leaves_question(l: &License, row: Row) -> bool {
    let defines_imitation = l.modelgo == Some(1) || (l.modelgo == Some(2) && l.has(ClauseKind::Extraction));
    defines_imitation
        && match row {
            Row::NoDerivatives | Row::ShareAlike | Row::UseRestrictions => true,
            Row::NonCommercial => l.modelgo == Some(2),
            _ => false,
        }
}

/// What one row of a license produces when it crosses an edge of `class`.
fn produce_row(kb: &KnowledgeBase, lic: LicId, row: Row, class: RelationClass, out: &mut Vec<Atom>) {
    use RelationClass as C;
    let l = kb.get(lic);
    let carried = |ob| Atom::new(ob, Stage::Carried, lic);
    let v1 = l.modelgo == Some(1);
    let extraction = l.has(ClauseKind::Extraction);
    let mut push = |ob| out.push(carried(ob));
    match (row, class) {
        (Row::Attribution, C::Copy | C::Part) => {
            if l.has(ClauseKind::Attribution) {
                push(Ob::Attribution);
            }
            if l.has(ClauseKind::LicenseCopy) {
                push(Ob::LicenseCopy);
            }
        }
        (Row::Attribution, C::Derivative) | (Row::Attribution, C::Extracted) if class == C::Derivative || v1 => {
            if l.has(ClauseKind::Attribution) {
                push(Ob::Attribution);
            }
            if l.has(ClauseKind::LicenseCopy) {
                push(Ob::LicenseCopy);
            }
            if l.has(ClauseKind::StateChanges) {
                push(Ob::StateChanges);
            }
        }
        (Row::Attribution, C::Extracted) if extraction => {
            if l.has(ClauseKind::Attribution) {
                push(Ob::Attribution);
            }
            if l.has(ClauseKind::LicenseCopy) {
                push(Ob::LicenseCopy);
            }
            push(Ob::ExtractedNotice);
        }
        (Row::Attribution, C::Output) if l.output.ai_content_notice => push(Ob::AiContentNotice),
        (Row::NonCommercial, C::Copy | C::Derivative | C::Extracted | C::Input | C::Part) => push(Ob::NonCommercial),
        (Row::NonCommercial, C::Output) => {
            if v1 {
                push(Ob::NonCommercial);
            } else {
                out.push(Atom::new(Ob::NonCommercial, Stage::Bound, lic));
            }
            if l.output.dataset_notice {
                out.push(carried(Ob::ProvenanceNotice));
            }
        }
        (Row::NoDerivatives, C::Derivative) => push(Ob::NoDistribution),
        (Row::NoDerivatives, C::Extracted) if l.modelgo.is_some() => push(Ob::NoDistribution),
        (Row::NoDerivatives, C::Output) => {
            if l.output.forbid_output_use {
                push(Ob::NoOutputUse);
            }
            if l.output.dataset_notice {
                push(Ob::ProvenanceNotice);
            }
        }
        (Row::ShareAlike, C::Copy | C::Derivative) => {
            push(Ob::ShareAlike);
            push(Ob::SourceDisclosure);
        }
        (Row::ShareAlike, C::Extracted) if l.modelgo.is_some() => {
            push(Ob::ShareAlike);
            push(Ob::SourceDisclosure);
        }
        (Row::ShareAlike, C::Input) => push(Ob::ShareAlikeData),
        (Row::UseRestrictions, C::Copy | C::Derivative | C::Extracted | C::Part) => push(Ob::UseRestrictions),
        (Row::UseRestrictions, C::Output) if v1 => push(Ob::UseRestrictions),
        (Row::LlamaOtherLlm, C::Copy | C::Derivative) => push(Ob::LlamaLineage),
        (Row::LlamaOtherLlm, C::Extracted) => push(Ob::LlamaOtherLlm),
        (Row::LlamaOtherLlm, C::Output) => out.push(Atom::new(Ob::LlamaOtherLlm, Stage::Marked, lic)),
        (Row::LlamaNaming, C::Derivative | C::Extracted) => push(Ob::LlamaNaming),
        (Row::LlamaNaming, C::Output) => out.push(Atom::new(Ob::LlamaNaming, Stage::Marked, lic)),
        (Row::Revocable, C::Copy | C::Derivative | C::Extracted | C::Part) => push(Ob::Revocable),
        // MG v1 licenses cover Output too (its Distribution includes "any Output thereof").
        (Row::Revocable, C::Output) if v1 => push(Ob::Revocable),
        (Row::Conditions, C::Copy | C::Derivative | C::Extracted | C::Part) => push(Ob::Conditions),
        (Row::Conditions, C::Output) if l.conditions.iter().any(|c| c.outputs) => {
            out.push(Atom::new(Ob::OutputConditions, Stage::Marked, lic));
        }
        (Row::ModelGoOptions, C::Copy | C::Derivative) => push(Ob::KeepOptions),
        (Row::ModelGoOptions, C::Extracted) if v1 || extraction => push(Ob::KeepOptions),
        (Row::NotSublicensable, C::Copy) => push(Ob::CopyOnly),
        _ => {}
    }
    if class == C::Output && output_leaves_question(l, row) {
        out.push(Atom::new(Ob::TrainedOnOutput, Stage::Marked, lic));
    }
}

/// Everything a license produces across an edge of `class` (its "as if over a `copy` edge
/// from itself" for a root is `class = Copy`). Unknown terms produce one `UnknownTerms`.
pub fn produce(kb: &KnowledgeBase, lic: LicId, class: RelationClass, out: &mut Vec<Atom>) {
    if lic == UNKNOWN {
        out.push(Atom::new(Ob::UnknownTerms, Stage::Carried, UNKNOWN));
        return;
    }
    let start = out.len();
    for row in rows(kb.get(lic)) {
        produce_row(kb, lic, row, class, out);
    }
    if class == RelationClass::Copy {
        for a in &mut out[start..] {
            *a = a.with_stage(Stage::Own);
        }
        out.push(Atom::new(Ob::License, Stage::Own, lic));
    }
}

/// What an obligation already carried by a node becomes on an edge of `class`.
pub fn travel(kb: &KnowledgeBase, atom: Atom, class: RelationClass, out: &mut Vec<Atom>) {
    use RelationClass as C;
    let ob = atom.ob();
    match atom.stage() {
        Stage::Bound => {}
        Stage::Own => match class {
            C::Copy => out.push(atom),
            _ if ob == Ob::License => produce(kb, atom.license(), class, out),
            _ => {}
        },
        Stage::Marked => match class {
            C::Copy | C::Part | C::Derivative => out.push(atom),
            C::Input => out.push(atom.with_stage(Stage::Carried)),
            C::Extracted | C::Output => {}
        },
        Stage::Carried if ob == Ob::UnknownTerms => out.push(atom),
        Stage::Carried => match class {
            C::Copy | C::Derivative | C::Extracted => {
                let lic = atom.license();
                let keep = match ob {
                    Ob::CopyOnly => class == C::Copy,
                    Ob::LlamaLineage => class != C::Extracted,
                    Ob::KeepOptions => {
                        let l = kb.get(lic);
                        class != C::Extracted || l.modelgo == Some(1) || l.has(ClauseKind::Extraction)
                    }
                    _ => true,
                };
                if keep {
                    out.push(atom);
                }
            }
            C::Part => {
                if !matches!(
                    ob,
                    Ob::ShareAlike | Ob::SourceDisclosure | Ob::KeepOptions | Ob::CopyOnly | Ob::LlamaLineage
                ) {
                    out.push(atom);
                }
            }
            C::Output | C::Input => {
                if let Some(row) = row_of(ob) {
                    // Only the obligations this row yields (not the whole license again).
                    let before = out.len();
                    produce_row(kb, atom.license(), row, class, out);
                    // An attribution row consulted for a `StateChanges` atom yields the same as
                    // for `Attribution`; duplicates are merged by the caller.
                    let _ = before;
                }
            }
        },
    }
}
