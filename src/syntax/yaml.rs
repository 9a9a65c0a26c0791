//! YAML into a [`Value`] tree, through serde-saphyr with its resource budget.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use super::{Key, Kind, Limits, SyntaxError, Value};
use crate::source::Pos;

/// The raw value as the YAML deserializer hands it over, before positions are attached.
struct Raw(Kind);

fn pos_of(loc: serde_saphyr::Location) -> Pos {
    Pos {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX),
    }
}

fn spanned(s: Spanned<Raw>) -> Value {
    Value {
        pos: pos_of(s.referenced),
        kind: s.value.0,
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw(Kind::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw(Kind::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw(Kind::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw(Kind::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw(Kind::Str(v)))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw(Kind::Null))
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw(Kind::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(spanned(item));
        }
        Ok(Raw(Kind::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let key = map_key(key)?;
            let value = spanned(map.next_value::<Spanned<Raw>>()?);
            entries.push((key, value));
        }
        Ok(Raw(Kind::Map(entries)))
    }
}

/// A mapping key as read: a plain scalar, as its text.
fn map_key<E: de::Error>(key: Spanned<Raw>) -> Result<Key, E> {
    let pos = pos_of(key.referenced);
    let name = match key.value.0 {
        Kind::Str(s) => s,
        Kind::Int(i) => i.to_string(),
        Kind::Bool(b) => b.to_string(),
        Kind::Float(f) => f.to_string(),
        Kind::Null => "null".to_owned(),
        Kind::Seq(_) | Kind::Map(_) => {
            return Err(de::Error::custom("a mapping key must be a plain scalar"));
        }
    };
    Ok(Key { pos, name: name.into() })
}

/// A top-level mapping whose (first) `key` list is handed over item by item
/// ([`parse_yaml_streaming`]).
struct Streamed<'s> {
    key: &'s str,
    each: &'s mut dyn FnMut(Value),
    /// Items handed over; `None` until the list is met.
    items: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for &mut Streamed<'_> {
    type Value = Vec<(Key, Value)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Streamed<'_> {
    type Value = Vec<(Key, Value)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let key = map_key(key)?;
            let value = if self.items.is_none() && *key.name == *self.key {
                map.next_value_seed(Items(&mut *self))?;
                // Where the list starts is not known here; nothing reads it (a list that
                // is not one, or is empty, is read whole by the caller).
                Value {
                    pos: key.pos,
                    kind: Kind::Seq(Vec::new()),
                }
            } else {
                spanned(map.next_value::<Spanned<Raw>>()?)
            };
            entries.push((key, value));
        }
        Ok(entries)
    }
}

/// The streamed list itself.
struct Items<'a, 's>(&'a mut Streamed<'s>);

impl<'de> DeserializeSeed<'de> for Items<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0;
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            (self.0.each)(spanned(item));
            n += 1;
        }
        self.0.items = Some(n);
        Ok(())
    }
}

fn options(limits: &Limits) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_nodes = limits.max_values;
    budget.max_events = limits.max_values.saturating_mul(3);
    budget.max_total_scalar_bytes = usize::MAX / 2;
    // Alias expansion replays recorded events: keep "billion laughs" small and fast.
    budget.max_recorded_anchor_events = 200_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options
}

/// Parses one YAML document. An empty document is `Null`.
pub fn parse_yaml(text: &str, limits: &Limits) -> Result<Value, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Value {
            pos: Pos { line: 1, column: 1 },
            kind: Kind::Null,
        });
    }
    serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options(limits))
        .map(spanned)
        .map_err(|e| {
            let pos = e
                .location()
                .filter(|l| l.line() > 0)
                .map_or(Pos { line: 1, column: 1 }, pos_of);
            let raw = e.to_string();
            let limit = matches!(e, serde_saphyr::Error::Budget { .. })
                || ["budget breached", "recursion limit", "nesting limit", "too deep"]
                    .iter()
                    .any(|m| raw.contains(m));
            let message = first_line(&raw);
            SyntaxError { pos, message, limit }
        })
}

/// Parses one YAML document like [`parse_yaml`], but hands each item of the top-level
/// mapping's (first) `key` list to `each` as soon as it is read instead of keeping it: in
/// the tree returned that list is empty, and its position is its key's. `None` when the
/// document is not such a mapping with a non-empty list, or does not parse: the caller
/// then reads it whole, for the whole-tree reader's messages (what `each` was given is
/// to be dropped).
pub fn parse_yaml_streaming(text: &str, limits: &Limits, key: &str, each: &mut dyn FnMut(Value)) -> Option<Value> {
    let mut streamed = Streamed { key, each, items: None };
    let entries =
        serde_saphyr::with_deserializer_from_str_with_options(text, options(limits), |de| streamed.deserialize(de))
            .ok()?;
    (streamed.items? > 0).then_some(Value {
        pos: Pos { line: 1, column: 1 },
        kind: Kind::Map(entries),
    })
}

/// serde-saphyr renders `error: line L column C: message` and a snippet; we show the
/// location and the snippet ourselves, so keep only the message, in users' words rather
/// than the library's (no API hints, no debug structs).
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("invalid YAML").trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    let message = match line.strip_prefix("line ").and_then(|rest| rest.split_once(": ")) {
        Some((position, message)) if position.contains("column") => message,
        _ => line,
    };
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set ").next().unwrap_or(key);
        return format!("key `{key}` appears twice in a mapping");
    }
    if message.starts_with("multiple YAML documents") {
        return "the file holds several YAML documents (`---`); a graph file is one document".to_owned();
    }
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        let what = breach.split([' ', '{']).next().unwrap_or(breach);
        let plain = match what {
            "Depth" => "collections nested too deeply",
            "RecordedAnchorEvents" | "RecordedAnchorBytes" | "Aliases" | "Anchors" => "too much alias expansion",
            "Nodes" | "Events" => "too many values",
            _ => "a resource budget was exceeded",
        };
        return format!("{plain} ({what})");
    }
    message.to_owned()
}
