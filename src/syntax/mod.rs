//! Raw input syntax: YAML and JSON read into one tree of values that keep their positions.
//!
//! Every reader of structured input (graph files, license files, later recipes and
//! cards) works on this [`Value`] tree, so each can report every problem with its
//! line and column instead of stopping at the first serde error.

mod json;
pub mod read;
mod yaml;

pub use json::{parse_json, parse_json_streaming};
pub use yaml::{parse_yaml, parse_yaml_streaming};

use crate::source::Pos;

/// Limits that keep hostile input harmless.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Maximum nesting depth of collections.
    pub max_depth: usize,
    /// Maximum number of YAML aliases.
    pub max_aliases: usize,
    /// Maximum number of values in one document.
    pub max_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 64,
            max_aliases: 10_000,
            max_values: 50_000_000,
        }
    }
}

/// A value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Where the value starts.
    pub pos: Pos,
    /// The value.
    pub kind: Kind,
}

/// The shape of a [`Value`].
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Value>),
    /// A mapping, in written order; keys are strings with their positions.
    Map(Vec<(Key, Value)>),
}

/// A mapping key and its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Where the key is written.
    pub pos: Pos,
    /// The key text (shared: a graph file repeats the same few keys millions of times).
    pub name: std::sync::Arc<str>,
}

impl Value {
    /// A short name of the value's type for messages ("a string", "a list").
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a map",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the reader stopped.
    pub pos: Pos,
    /// What went wrong.
    pub message: String,
    /// Whether a safety limit (rather than malformed text) stopped the reader.
    pub limit: bool,
}

impl SyntaxError {
    /// The input error for this syntax error in `file`: `limit-exceeded` when a safety
    /// limit stopped the reader, else `parse-error`, with `what` saying what was read
    /// ("invalid YAML in the recipe: ...").
    pub fn in_file(self, file: u32, what: &str) -> crate::error::InputError {
        use crate::error::{InputCode, InputError};
        let code = if self.limit {
            InputCode::LimitExceeded
        } else {
            InputCode::ParseError
        };
        InputError::at(
            code,
            crate::source::Location { file, pos: self.pos },
            format!("{what}: {}", self.message),
        )
    }
}
