//! Finding codes, their default severities and one-line summaries (`semantics.md` section 3).

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The intended use is not allowed.
    Error,
    /// Needs a human decision.
    Warning,
    /// An obligation to fulfil.
    Info,
}

impl Severity {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident => ($name:literal, $sev:ident, $summary:literal) ),* $(,)?) => {
        /// A finding code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = $summary] $variant ),* }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case code.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            /// What it means, in one line (the rule description in SARIF).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }

            /// The default severity.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),* }
            }

            /// The code's bit in a set of codes ([`Codes`]).
            pub(crate) fn bit(self) -> Codes {
                1 << (self as u32)
            }
        }

        const _: () = assert!(Code::ALL.len() <= Codes::BITS as usize, "a set of codes is one u64");
    };
}

/// A set of codes, one bit each.
pub(crate) type Codes = u64;

codes! {
    NonCommercial => ("non-commercial", Error, "a commercial node carries NonCommercial terms"),
    NoDerivatives => ("no-derivatives", Error, "a distributed node is a derivative of a NoDerivatives work"),
    OutputUseForbidden => ("output-use-forbidden", Error, "outputs of an MG-BY-ND-1.0 model are used or shipped"),
    ShareAlike => ("share-alike", Error, "a distributed derivative of a share-alike work does not carry that license"),
    IncompatibleLicenses => ("incompatible-licenses", Error, "a distributed node carries obligations no single license can satisfy"),
    LicenseMismatch => ("license-mismatch", Error, "a derived node declares a license outside its permitted licenses"),
    LlamaOtherLlm => ("llama-other-llm", Error, "Llama 2 outputs or distillation improve a model that is not a Llama 2 derivative"),
    LlamaNaming => ("llama-naming", Error, "a distributed model built with Llama 3.x does not begin its name with \"Llama\""),
    DeniedLicense => ("denied-license", Error, "the policy denies a license the node declares or inherits"),
    UnknownLicense => ("unknown-license", Warning, "a license value is not in the knowledge base"),
    MissingLicense => ("missing-license", Warning, "a root node declares no license"),
    ReviewNeeded => ("review-needed", Warning, "the licenses leave the verdict open"),
    UnusedException => ("unused-exception", Warning, "a policy exception matched no finding"),
    SuggestedLicense => ("suggested-license", Info, "a distributed derived node declares no license: what it may be released under"),
    Attribution => ("attribution", Info, "keep credit and notices of the upstream works"),
    LicenseCopy => ("license-copy", Info, "ship the upstream license texts"),
    StateChanges => ("state-changes", Info, "mark what you modified"),
    SourceDisclosure => ("source-disclosure", Info, "ship the source or preferred adaptable form"),
    UseRestrictions => ("use-restrictions", Info, "the upstream use restrictions bind this node and its recipients"),
    ProvenanceNotice => ("provenance-notice", Info, "a dataset of generated content must say which model made it"),
    AiContentNotice => ("ai-content-notice", Info, "generated content must say it is AI-generated"),
    ExtractedNotice => ("extracted-notice", Info, "an extracted model must say it was made from the upstream model's outputs"),
    RevocableLicense => ("revocable-license", Info, "the node depends on a revocable grant"),
    LicenseReading => ("license-reading", Info, "a license id that names no single text (a family such as `cc`) was read in its strictest reading"),
    LicenseTerms => ("license-terms", Info, "an upstream license has terms the graph cannot check (user or revenue thresholds, territory)"),
    UnversionedLicense => ("unversioned-license", Info, "a ModelGo id without version was read as the latest version"),
    LicenseOverride => ("license-override", Info, "a license the node uses is read as a user license file redefines it"),
}
