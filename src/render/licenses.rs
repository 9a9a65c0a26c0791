//! `mglint licenses list` and `mglint licenses show ID`: the knowledge base, for people
//! (aligned text) and programs (JSON).

use std::io::Write;

use serde::Serialize;

use crate::engine::travels;
use crate::kb::{KnowledgeBase, LicId, License};

#[derive(Serialize)]
struct JClause<'a> {
    clause: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct JCondition<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct JLicense<'a> {
    id: &'a str,
    name: &'a str,
    family: &'static str,
    version: Option<&'a str>,
    modelgo: Option<u8>,
    url: Option<&'a str>,
    aliases: &'a [String],
    revocable: bool,
    sublicensable: bool,
    compatible: Vec<&'a str>,
    clauses: Vec<JClause<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    restriction_set: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reading: Option<&'a str>,
    terms: Vec<JCondition<'a>>,
    defined_in: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    travels: Option<Vec<JTravel>>,
}

#[derive(Serialize)]
struct JTravel {
    class: &'static str,
    produces: Vec<String>,
}

fn license<'a>(kb: &'a KnowledgeBase, id: LicId, with_travels: bool) -> JLicense<'a> {
    let l = kb.get(id);
    JLicense {
        id: &l.id,
        name: &l.name,
        family: l.family.as_str(),
        version: l.version.as_deref(),
        modelgo: l.modelgo,
        url: l.url.as_deref(),
        aliases: &l.aliases,
        revocable: l.revocable,
        sublicensable: l.sublicensable,
        compatible: l.compatible.iter().map(|&c| kb.get(c).id.as_str()).collect(),
        clauses: l
            .clauses
            .iter()
            .map(|c| JClause {
                clause: c.kind.as_str(),
                source: c.source.as_deref(),
            })
            .collect(),
        restriction_set: l.restriction_set.as_deref(),
        reading: l.reading.as_deref(),
        terms: l
            .conditions
            .iter()
            .map(|c| JCondition {
                text: &c.text,
                source: c.source.as_deref(),
            })
            .collect(),
        defined_in: &l.defined_in,
        travels: with_travels.then(|| {
            travels(kb, id)
                .into_iter()
                .map(|(class, produces)| JTravel {
                    class: class.as_str(),
                    produces,
                })
                .collect()
        }),
    }
}

#[derive(Serialize)]
struct Listing<'a> {
    schema_version: u32,
    knowledge_base: &'a str,
    licenses: Vec<JLicense<'a>>,
}

fn clause_names(l: &License) -> String {
    l.clauses.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>().join(", ")
}

/// The widest name in the `licenses list` table; `show ID` prints the whole name.
const NAME_WIDTH: usize = 50;

/// `text`, cut to `width` characters with an ellipsis when longer.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// Every license, in id order: an aligned table, or JSON.
pub fn write_list(kb: &KnowledgeBase, json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let ids = sorted_ids(kb);
    if json {
        let listing = Listing {
            schema_version: 1,
            knowledge_base: kb.fingerprint(),
            licenses: ids.iter().map(|&id| license(kb, id, false)).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &listing)?;
        return writeln!(out);
    }
    let rows: Vec<[String; 5]> = ids
        .iter()
        .map(|&id| {
            let l = kb.get(id);
            [
                l.id.clone(),
                truncate(&l.name, NAME_WIDTH),
                l.family.as_str().to_owned(),
                l.version.clone().unwrap_or_default(),
                clause_names(l),
            ]
        })
        .collect();
    let header = ["ID", "NAME", "FAMILY", "VERSION", "CLAUSES"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        for (c, width) in widths.iter().enumerate() {
            write!(out, "{:<width$}  ", row[c])?;
        }
        writeln!(out, "{}", row[4])?;
    }
    writeln!(out, "{} licenses (knowledge base {})", rows.len(), kb.fingerprint())
}

/// One license: its terms, clauses with their sources, and what travels along each
/// relation class.
pub fn write_show(kb: &KnowledgeBase, id: LicId, json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, &license(kb, id, true))?;
        return writeln!(out);
    }
    let l = kb.get(id);
    writeln!(out, "{} - {}", l.id, l.name)?;
    for (label, value) in facts(kb, l) {
        writeln!(out, "  {label}: {value}")?;
    }
    writeln!(out, "  defined in: {}", l.defined_in)?;
    writeln!(out, "clauses:")?;
    for c in &l.clauses {
        writeln!(
            out,
            "  {:<24} {}",
            c.kind.as_str(),
            c.source.as_deref().unwrap_or("(no source given)")
        )?;
    }
    if !l.conditions.is_empty() {
        writeln!(out, "terms the graph cannot check (reported as license-terms):")?;
        for c in &l.conditions {
            writeln!(out, "  - {}{}", c.text, source_suffix(c.source.as_deref()))?;
        }
    }
    writeln!(
        out,
        "what it produces across each relation class (semantics.md section 2):"
    )?;
    for (class, list) in travel_lines(kb, id) {
        writeln!(out, "  {class:<11} {list}")?;
    }
    Ok(())
}

/// The whole knowledge base as a Markdown page (`docs/licenses.md` is this output,
/// compared by a test so the docs never drift from the data).
pub fn write_markdown(kb: &KnowledgeBase, out: &mut dyn Write) -> std::io::Result<()> {
    let ids = sorted_ids(kb);
    writeln!(out, "# Licenses\n")?;
    writeln!(
        out,
        "<!-- Generated by `mglint licenses --format markdown > docs/licenses.md` from src/kb/data/; do not edit. -->\n"
    )?;
    writeln!(
        out,
        "The {} licenses mglint knows (knowledge base `{}`), each with the clauses read from its text \
         and the section each comes from, and what its clauses produce along each relation class \
         (`semantics.md` section 2). Ids and aliases match case-insensitively.\n",
        ids.len(),
        kb.fingerprint()
    )?;
    writeln!(out, "| id | name | family | version |\n|---|---|---|---|")?;
    for &id in &ids {
        let l = kb.get(id);
        writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} |",
            l.id,
            anchor(&l.id),
            l.name,
            l.family.as_str(),
            l.version.as_deref().unwrap_or("")
        )?;
    }
    for &id in &ids {
        let l = kb.get(id);
        writeln!(out, "\n## {}\n\n{}\n", l.id, l.name)?;
        for (label, value) in facts(kb, l) {
            writeln!(out, "- {label}: {value}")?;
        }
        writeln!(out, "\n| clause | source |\n|---|---|")?;
        for c in &l.clauses {
            writeln!(
                out,
                "| `{}` | {} |",
                c.kind.as_str(),
                c.source.as_deref().unwrap_or("").replace('|', "\\|")
            )?;
        }
        if !l.conditions.is_empty() {
            writeln!(out, "\nTerms the graph cannot check (reported as `license-terms`):\n")?;
            for c in &l.conditions {
                writeln!(out, "- {}{}", c.text, source_suffix(c.source.as_deref()))?;
            }
        }
        writeln!(out, "\n| relation class | produces |\n|---|---|")?;
        for (class, list) in travel_lines(kb, id) {
            writeln!(out, "| {class} | {list} |")?;
        }
    }
    Ok(())
}

/// Every license id, in case-insensitive id order.
fn sorted_ids(kb: &KnowledgeBase) -> Vec<LicId> {
    let mut ids: Vec<LicId> = kb.all().map(|(id, _)| id).collect();
    ids.sort_by_cached_key(|&id| kb.get(id).id.to_ascii_lowercase());
    ids
}

/// The descriptive lines of a license, shared by `licenses show` and the Markdown page.
fn facts(kb: &KnowledgeBase, l: &License) -> Vec<(&'static str, String)> {
    let mut lines = vec![(
        "family",
        format!(
            "{}{}",
            l.family.as_str(),
            l.modelgo.map_or(String::new(), |g| format!(" (ModelGo v{g})"))
        ),
    )];
    lines.extend(l.version.as_ref().map(|v| ("version", v.clone())));
    lines.extend(l.url.as_ref().map(|u| ("text", u.clone())));
    if !l.aliases.is_empty() {
        lines.push(("aliases", l.aliases.join(", ")));
    }
    let revocable = if l.revocable { "revocable" } else { "irrevocable" };
    let sublicensable = if l.sublicensable {
        "sublicensable"
    } else {
        "not sublicensable"
    };
    lines.push(("grant", format!("{revocable}, {sublicensable}")));
    if let Some(reading) = &l.reading {
        lines.push((
            "reading",
            format!("{reading} (reported as license-reading; never suggested)"),
        ));
    }
    if !l.compatible.is_empty() {
        let names: Vec<&str> = l.compatible.iter().map(|&c| kb.get(c).id.as_str()).collect();
        lines.push(("share-alike also accepts", names.join(", ")));
    }
    lines
}

/// ` (source)` after a term, when the data names one.
fn source_suffix(source: Option<&str>) -> String {
    source.map_or(String::new(), |s| format!(" ({s})"))
}

/// What a license produces along each relation class, one line per class.
fn travel_lines(kb: &KnowledgeBase, id: LicId) -> Vec<(&'static str, String)> {
    travels(kb, id)
        .into_iter()
        .map(|(class, produces)| {
            let list = if produces.is_empty() {
                "nothing".to_owned()
            } else {
                produces.join(", ")
            };
            (class.as_str(), list)
        })
        .collect()
}

/// The GitHub anchor of a heading.
fn anchor(heading: &str) -> String {
    heading
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}
