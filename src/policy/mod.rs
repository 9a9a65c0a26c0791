//! The policy file (`mglint.toml`, `cli.md`): a team's default intent, denied or allowed
//! licenses, severity overrides, and reasoned exceptions. This module reads it (every
//! error at its line and column, as `invalid-config`); `checks::check` applies it (`CheckOptions::policy`).

use std::borrow::Cow;

use toml_span::value::Table;

use crate::checks::{Code, Severity};
use crate::error::{InputCode, InputError};
use crate::graph::{Distribute, Use};
use crate::kb::{KnowledgeBase, LicId, Lookup};
use crate::source::{Location, pos_of_offset};

/// The commented template `mglint init` writes.
pub const TEMPLATE: &str = include_str!("template.toml");

/// A finding accepted on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The code it accepts.
    pub code: Code,
    /// The node (id) it is about.
    pub node: String,
    /// When given, the findings whose origins are all this node.
    pub origin: Option<String>,
    /// Why: mandatory, shown with every suppressed finding.
    pub reason: String,
    /// Where it is written.
    pub location: Location,
}

/// A parsed policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `[intent] use`.
    pub use_: Option<Use>,
    /// `[intent] distribute`.
    pub distribute: Option<Distribute>,
    /// `[licenses] deny`, canonical.
    pub deny: Vec<LicId>,
    /// `[licenses] allow`, canonical, when set.
    pub allow: Option<Vec<LicId>>,
    /// `[severity]`: a code's severity, or `None` for `allow` (not reported).
    pub severity: Vec<(Code, Option<Severity>)>,
    /// `[[exceptions]]`.
    pub exceptions: Vec<Exception>,
}

/// Reads the policy file `file` (already in the sources as `text`); every problem is an
/// `invalid-config` error at its place.
pub fn parse(text: &str, file: u32, kb: &KnowledgeBase) -> Result<Policy, Vec<InputError>> {
    let at = |offset: usize| Location {
        file,
        pos: pos_of_offset(text, offset),
    };
    let mut errors = Vec::new();
    let doc = match toml_span::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            return Err(vec![InputError::at(
                InputCode::InvalidConfig,
                at(e.span.start),
                format!("the policy file is not valid TOML: {}", e.kind),
            )]);
        }
    };
    let mut policy = Policy::default();
    let Some(top) = doc.as_table() else {
        return Ok(policy);
    };
    let err = |errors: &mut Vec<InputError>, offset: usize, message: String| {
        errors.push(InputError::at(InputCode::InvalidConfig, at(offset), message));
    };
    for (key, _) in top.iter() {
        if !matches!(&*key.name, "intent" | "licenses" | "severity" | "exceptions") {
            err(
                &mut errors,
                key.span.start,
                format!(
                    "unknown section `{}`: a policy has [intent], [licenses], [severity] and [[exceptions]]",
                    key.name
                ),
            );
        }
    }
    let section = |name: &str| top.iter().find(|(k, _)| k.name == name).map(|(_, v)| v);
    // Strings of a table, with their value offsets; anything else is an error.
    let strings = |table: &Table<'_>, errors: &mut Vec<InputError>| -> Vec<(String, String, usize, usize)> {
        table
            .iter()
            .filter_map(|(k, v)| match v.as_str() {
                Some(s) => Some((k.name.to_string(), s.to_owned(), k.span.start, v.span.start)),
                None => {
                    err(errors, v.span.start, format!("`{}` must be a string", k.name));
                    None
                }
            })
            .collect()
    };
    if let Some(v) = section("intent") {
        match v.as_table() {
            Some(t) => {
                for (key, value, key_at, value_at) in strings(t, &mut errors) {
                    match key.as_str() {
                        "use" => match Use::parse(&value) {
                            Some(u) => policy.use_ = Some(u),
                            None => err(
                                &mut errors,
                                value_at,
                                format!("`use` must be `commercial` or `non-commercial`, not `{value}`"),
                            ),
                        },
                        "distribute" => match Distribute::parse(&value) {
                            Some(d) => policy.distribute = Some(d),
                            None => err(
                                &mut errors,
                                value_at,
                                format!("`distribute` must be `private`, `public` or `service`, not `{value}`"),
                            ),
                        },
                        _ => err(
                            &mut errors,
                            key_at,
                            format!("unknown key `{key}` in [intent] (it has `use` and `distribute`)"),
                        ),
                    }
                }
            }
            None => err(&mut errors, v.span.start, "[intent] must be a table".to_owned()),
        }
    }
    if let Some(v) = section("licenses") {
        match v.as_table() {
            Some(t) => {
                for (k, list) in t.iter() {
                    let names: Vec<(Cow<'_, str>, usize)> = match list.as_array() {
                        Some(items) => items
                            .iter()
                            .filter_map(|i| match i.as_str() {
                                Some(s) => Some((Cow::Borrowed(s), i.span.start)),
                                None => {
                                    err(&mut errors, i.span.start, "a license must be a string".to_owned());
                                    None
                                }
                            })
                            .collect(),
                        None => {
                            err(
                                &mut errors,
                                list.span.start,
                                format!("`{}` must be a list of license ids", k.name),
                            );
                            continue;
                        }
                    };
                    let mut ids = Vec::new();
                    for (name, offset) in names {
                        match kb.lookup(&name) {
                            Lookup::Known { id, .. } => ids.push(id),
                            Lookup::Unknown => {
                                let hint = kb
                                    .closest(&name)
                                    .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
                                err(&mut errors, offset, format!("`{name}` is not a known license{hint}"));
                            }
                        }
                    }
                    match &*k.name {
                        "deny" => policy.deny = ids,
                        "allow" => policy.allow = Some(ids),
                        other => err(
                            &mut errors,
                            k.span.start,
                            format!("unknown key `{other}` in [licenses] (it has `deny` and `allow`)"),
                        ),
                    }
                }
            }
            None => err(&mut errors, v.span.start, "[licenses] must be a table".to_owned()),
        }
    }
    if let Some(v) = section("severity") {
        match v.as_table() {
            Some(t) => {
                for (key, value, key_at, value_at) in strings(t, &mut errors) {
                    let Some(code) = Code::ALL.iter().copied().find(|c| c.as_str() == key) else {
                        err(
                            &mut errors,
                            key_at,
                            format!("`{key}` is not a finding code (docs/diagnostics.md lists them)"),
                        );
                        continue;
                    };
                    let severity = match value.as_str() {
                        "error" => Some(Severity::Error),
                        "warning" => Some(Severity::Warning),
                        "info" => Some(Severity::Info),
                        "allow" => None,
                        _ => {
                            err(
                                &mut errors,
                                value_at,
                                format!("a severity is `error`, `warning`, `info` or `allow`, not `{value}`"),
                            );
                            continue;
                        }
                    };
                    if code == Code::UnusedException && severity.is_some() {
                        err(
                            &mut errors,
                            value_at,
                            "`unused-exception` can only be `allow` (it is a warning otherwise)".to_owned(),
                        );
                        continue;
                    }
                    policy.severity.push((code, severity));
                }
            }
            None => err(&mut errors, v.span.start, "[severity] must be a table".to_owned()),
        }
    }
    if let Some(v) = section("exceptions") {
        match v.as_array() {
            Some(items) => {
                for item in items {
                    let Some(t) = item.as_table() else {
                        err(
                            &mut errors,
                            item.span.start,
                            "an exception is a table ([[exceptions]])".to_owned(),
                        );
                        continue;
                    };
                    let mut fields = strings(t, &mut errors);
                    let mut take = |name: &str| fields.iter().position(|f| f.0 == name).map(|i| fields.remove(i));
                    let (code, node, origin, reason) = (take("code"), take("node"), take("origin"), take("reason"));
                    for (key, _, key_at, _) in fields {
                        err(
                            &mut errors,
                            key_at,
                            format!("unknown key `{key}` in an exception (it has `code`, `node`, `origin`, `reason`)"),
                        );
                    }
                    let start = item.span.start;
                    let code = match code {
                        Some((_, c, _, offset)) => match Code::ALL.iter().copied().find(|k| k.as_str() == c) {
                            Some(code) => Some(code),
                            None => {
                                err(&mut errors, offset, format!("`{c}` is not a finding code"));
                                None
                            }
                        },
                        None => {
                            err(&mut errors, start, "an exception needs `code`".to_owned());
                            None
                        }
                    };
                    if node.is_none() {
                        err(&mut errors, start, "an exception needs `node`".to_owned());
                    }
                    let reason = reason.map(|r| r.1).filter(|r| !r.trim().is_empty());
                    if reason.is_none() {
                        err(
                            &mut errors,
                            start,
                            "an exception needs a `reason`: say why the finding is accepted (who allowed it, when)"
                                .to_owned(),
                        );
                    }
                    if let (Some(code), Some(node), Some(reason)) = (code, node, reason) {
                        policy.exceptions.push(Exception {
                            code,
                            node: node.1,
                            origin: origin.map(|o| o.1),
                            reason,
                            location: at(start),
                        });
                    }
                }
            }
            None => err(
                &mut errors,
                v.span.start,
                "`exceptions` must be written [[exceptions]]".to_owned(),
            ),
        }
    }
    if errors.is_empty() { Ok(policy) } else { Err(errors) }
}
