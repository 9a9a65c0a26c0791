//! License values: one id, a list of ids (all apply), or an SPDX-style `AND`/`OR` expression.
//!
//! A value is normalised to alternatives (`OR`), each a set of terms that all apply (`AND`).

use super::{KnowledgeBase, LicId, Lookup};

/// One license term of a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    /// A known license.
    Known(LicId),
    /// A name the knowledge base does not know, as written.
    Unknown(String),
}

/// A resolved license value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseValue {
    /// The alternatives, in written order; each is a sorted set of terms that all apply.
    pub alternatives: Vec<Vec<Term>>,
    /// Names written without a version and read as the latest ModelGo version.
    pub unversioned: Vec<(String, LicId)>,
    /// The canonical text of the value (`MIT OR Apache-2.0`).
    pub canonical: String,
}

/// Most alternatives a value may expand to (a guard against exponential `AND` of `OR`s).
const MAX_ALTERNATIVES: usize = 64;

#[derive(Debug, Clone)]
enum Expr {
    Name(String),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// Resolves the written items of a `license` value (a list means `AND`).
pub fn resolve(items: &[String], kb: &KnowledgeBase) -> Result<LicenseValue, String> {
    let exprs = items.iter().map(|s| parse(s)).collect::<Result<Vec<_>, _>>()?;
    let expr = if exprs.len() == 1 {
        exprs.into_iter().next().unwrap_or(Expr::And(Vec::new()))
    } else {
        Expr::And(exprs)
    };
    let mut unversioned = Vec::new();
    let alternatives = expand(&expr, kb, &mut unversioned)?;
    Ok(LicenseValue {
        canonical: canonical(&expr, kb, true),
        alternatives,
        unversioned,
    })
}

fn expand(e: &Expr, kb: &KnowledgeBase, unversioned: &mut Vec<(String, LicId)>) -> Result<Vec<Vec<Term>>, String> {
    Ok(match e {
        Expr::Name(n) => vec![vec![match kb.lookup(n) {
            Lookup::Known { id, unversioned: u } => {
                if u {
                    unversioned.push((n.clone(), id));
                }
                Term::Known(id)
            }
            Lookup::Unknown => Term::Unknown(n.clone()),
        }]],
        Expr::Or(parts) => {
            let mut out: Vec<Vec<Term>> = Vec::new();
            for p in parts {
                for alt in expand(p, kb, unversioned)? {
                    if !out.contains(&alt) {
                        out.push(alt);
                    }
                }
            }
            out
        }
        Expr::And(parts) => {
            let mut out: Vec<Vec<Term>> = vec![Vec::new()];
            for p in parts {
                let sub = expand(p, kb, unversioned)?;
                let mut next = Vec::with_capacity(out.len() * sub.len());
                for a in &out {
                    for b in &sub {
                        let mut t: Vec<Term> = a.iter().chain(b).cloned().collect();
                        t.sort();
                        t.dedup();
                        // Equal alternatives collapse, keeping the first in written order.
                        if !next.contains(&t) {
                            next.push(t);
                        }
                    }
                }
                if next.len() > MAX_ALTERNATIVES {
                    return Err(format!(
                        "the license expression expands to more than {MAX_ALTERNATIVES} alternatives"
                    ));
                }
                out = next;
            }
            out
        }
    })
}

fn canonical(e: &Expr, kb: &KnowledgeBase, top: bool) -> String {
    match e {
        Expr::Name(n) => match kb.lookup(n) {
            Lookup::Known { id, .. } => kb.get(id).id.clone(),
            Lookup::Unknown => n.clone(),
        },
        Expr::And(parts) | Expr::Or(parts) => {
            let sep = if matches!(e, Expr::And(_)) { " AND " } else { " OR " };
            let inner = parts
                .iter()
                .map(|p| canonical(p, kb, false))
                .collect::<Vec<_>>()
                .join(sep);
            if top || parts.len() < 2 {
                inner
            } else {
                format!("({inner})")
            }
        }
    }
}

/// Parses `A`, `A AND B`, `A OR (B AND C)`; `AND` binds tighter than `OR`; operators
/// are case-insensitive when written in capitals or lowercase.
fn parse(s: &str) -> Result<Expr, String> {
    let tokens = tokenize(s);
    if tokens.is_empty() {
        return Err("empty license value".to_owned());
    }
    // Without operators or parentheses the whole text is one name, spaces and all
    // ("Llama 2 Community License").
    if !tokens
        .iter()
        .any(|t| t == "(" || t == ")" || is_op(t, "AND") || is_op(t, "OR"))
    {
        return Ok(Expr::Name(s.trim().to_owned()));
    }
    let mut p = ExprParser { tokens, i: 0, depth: 0 };
    let e = p.or()?;
    if p.i < p.tokens.len() {
        return Err(format!("unexpected `{}` in license expression `{s}`", p.tokens[p.i]));
    }
    Ok(e)
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c == '(' || c == ')' || c.is_whitespace() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

struct ExprParser {
    tokens: Vec<String>,
    i: usize,
    depth: usize,
}

fn is_op(t: &str, op: &str) -> bool {
    t == op || t == op.to_ascii_lowercase()
}

impl ExprParser {
    fn or(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.and()?];
        while self.tokens.get(self.i).is_some_and(|t| is_op(t, "OR")) {
            self.i += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.atom()?];
        while self.tokens.get(self.i).is_some_and(|t| is_op(t, "AND")) {
            self.i += 1;
            parts.push(self.atom()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let Some(t) = self.tokens.get(self.i).cloned() else {
            return Err("license expression ends early".to_owned());
        };
        self.i += 1;
        if t == "(" {
            self.depth += 1;
            if self.depth > 32 {
                return Err("license expression nested too deeply".to_owned());
            }
            let e = self.or()?;
            if self.tokens.get(self.i).map(String::as_str) != Some(")") {
                return Err("missing `)` in license expression".to_owned());
            }
            self.i += 1;
            self.depth -= 1;
            return Ok(e);
        }
        if t == ")" || is_op(&t, "AND") || is_op(&t, "OR") {
            return Err(format!("expected a license id, found `{t}`"));
        }
        Ok(Expr::Name(t))
    }
}
