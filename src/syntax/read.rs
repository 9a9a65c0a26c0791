//! Helpers for reading a [`Value`] tree against a schema, collecting every error.

use super::{Key, Kind, Value};
use crate::error::{InputCode, InputError, did_you_mean};
use crate::source::Location;

/// Reads the map entries of `value` against a list of known keys, reporting unknown and
/// repeated keys. Returns the entries that are known.
pub struct MapReader<'a> {
    file: u32,
    entries: Vec<(&'a Key, &'a Value)>,
}

impl<'a> MapReader<'a> {
    /// `None` (with an error recorded) when `value` is not a map.
    pub fn new(value: &'a Value, file: u32, what: &str, known: &[&str], errors: &mut Vec<InputError>) -> Option<Self> {
        let Kind::Map(entries) = &value.kind else {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                Location { file, pos: value.pos },
                format!("{what} must be a map, found {}", value.type_name()),
            ));
            return None;
        };
        let mut kept = Vec::with_capacity(entries.len());
        for (i, (key, v)) in entries.iter().enumerate() {
            let loc = Location { file, pos: key.pos };
            if !known.contains(&&*key.name) {
                let mut err = InputError::at(
                    InputCode::UnknownField,
                    loc,
                    format!("unknown key `{}` in {what}", key.name),
                );
                err = match did_you_mean(&key.name, known.iter().copied()) {
                    Some(close) => err.with_help(format!("did you mean `{close}`?")),
                    None => err.with_help(format!("known keys: {}", known.join(", "))),
                };
                errors.push(err);
            } else if entries[..i].iter().any(|(k, _)| k.name == key.name) {
                errors.push(InputError::at(
                    InputCode::InvalidValue,
                    loc,
                    format!("key `{}` appears twice in {what}", key.name),
                ));
            } else {
                kept.push((key, v));
            }
        }
        Some(Self { file, entries: kept })
    }

    /// The value of a key, if present.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.entries.iter().find(|(k, _)| &*k.name == name).map(|(_, v)| *v)
    }

    /// The location of a value.
    pub fn loc(&self, v: &Value) -> Location {
        Location {
            file: self.file,
            pos: v.pos,
        }
    }
}

/// A string value, or an `invalid-value` error.
pub fn expect_str<'v>(v: &'v Value, file: u32, what: &str, errors: &mut Vec<InputError>) -> Option<&'v str> {
    match &v.kind {
        Kind::Str(s) => Some(s),
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                Location { file, pos: v.pos },
                format!("{what} must be a string, found {}", v.type_name()),
            ));
            None
        }
    }
}

/// An enum value given by name, or an `invalid-value` error listing the choices.
pub fn expect_enum<T: Copy>(
    v: &Value,
    file: u32,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    choices: &[&str],
    errors: &mut Vec<InputError>,
) -> Option<T> {
    let s = expect_str(v, file, what, errors)?;
    if let Some(t) = parse(s) {
        return Some(t);
    }
    let mut err = InputError::at(
        InputCode::InvalidValue,
        Location { file, pos: v.pos },
        format!("`{s}` is not a valid {what}; expected one of: {}", choices.join(", ")),
    );
    if let Some(close) = did_you_mean(s, choices.iter().copied()) {
        err = err.with_help(format!("did you mean `{close}`?"));
    }
    errors.push(err);
    None
}
