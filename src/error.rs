//! Input errors: everything that makes an input unusable (exit status 2).
//!
//! Readers never stop at the first problem: they return every [`InputError`] they
//! find, each with its location, so a user fixes a file in one pass.

use crate::source::Location;

/// The stable code of an input error (`semantics.md` section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputCode {
    /// Not valid YAML or JSON.
    ParseError,
    /// A value of the wrong type or outside its enum.
    InvalidValue,
    /// A key the format does not have.
    UnknownField,
    /// An id declared twice.
    DuplicateId,
    /// A `from` entry naming no node.
    DanglingReference,
    /// The graph has a cycle.
    Cycle,
    /// A bare `from` entry on a node without `via`.
    MissingVia,
    /// A `mglint:` version other than 1.
    UnsupportedVersion,
    /// An input over a safety limit (size, nesting, aliases).
    LimitExceeded,
    /// A NODE argument that names no node.
    UnknownNode,
    /// A file the tool could not read.
    Io,
}

impl InputCode {
    /// The kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ParseError => "parse-error",
            Self::InvalidValue => "invalid-value",
            Self::UnknownField => "unknown-field",
            Self::DuplicateId => "duplicate-id",
            Self::DanglingReference => "dangling-reference",
            Self::Cycle => "cycle",
            Self::MissingVia => "missing-via",
            Self::UnsupportedVersion => "unsupported-version",
            Self::LimitExceeded => "limit-exceeded",
            Self::UnknownNode => "unknown-node",
            Self::Io => "io-error",
        }
    }
}

/// One reason an input cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Stable code.
    pub code: InputCode,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when the error is inside a file.
    pub location: Option<Location>,
    /// A hint (did you mean, how to fix).
    pub help: Option<String>,
}

impl InputError {
    /// An error at a location.
    pub fn at(code: InputCode, location: Location, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            location: Some(location),
            help: None,
        }
    }

    /// An error with no location (a file that cannot be read, a bad argument).
    pub fn nowhere(code: InputCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// Adds a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The closest candidate to `word` by edit distance, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(3) / 3).max(1))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}
