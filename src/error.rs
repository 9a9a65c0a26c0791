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
    /// A YAML document read as a mergekit recipe names no models.
    NotARecipe,
    /// A user license file (or, later, a policy file) that cannot be used.
    InvalidConfig,
    /// A NODE argument that names no node.
    UnknownNode,
    /// A file the tool could not read.
    Io,
    /// `--render` without Graphviz's `dot` installed.
    ToolMissing,
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
            Self::NotARecipe => "not-a-recipe",
            Self::InvalidConfig => "invalid-config",
            Self::UnknownNode => "unknown-node",
            Self::Io => "io-error",
            Self::ToolMissing => "tool-missing",
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
    let lower: Vec<char> = word.to_ascii_lowercase().chars().collect();
    candidates
        .into_iter()
        .filter_map(|c| {
            let max = c.len().max(3).div_ceil(3);
            let d = edit_distance_within(&lower, &c.to_ascii_lowercase(), max)?;
            Some((d, c))
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The edit distance between `a` (as characters) and `b` when it is at most `max`. Two
/// words whose lengths differ by more are not compared: a long unknown word against
/// hundreds of short names cost a table of its length times theirs for each (half a
/// second for an 8 kB license text).
pub fn edit_distance_within(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    Some(edit_distance(a, &b)).filter(|&d| d <= max)
}

/// Edit distance over characters where swapping two neighbours counts as one edit
/// (optimal string alignment), so `modle` is one edit from `model`.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}
