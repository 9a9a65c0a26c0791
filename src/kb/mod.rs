//! The license knowledge base: every license the checker knows, as data.
//!
//! The built-in entries live in `src/kb/data/*.yaml`, embedded in the binary; users add
//! or replace entries with their own files in the same format. Each entry lists its
//! clauses (`semantics.md` section 1), each with the section of the license text it
//! comes from. Nothing about a particular license is written in code: the engine only
//! knows clauses, grant flags and the ModelGo generation.

pub mod expr;

use rustc_hash::FxHashMap as HashMap;

use crate::error::{InputCode, InputError};
use crate::source::{Location, Sources};
use crate::syntax::read::{MapReader, expect_enum, expect_str};
use crate::syntax::{Kind, Limits, SyntaxError, Value, parse_json, parse_yaml};

/// Index of a license in the [`KnowledgeBase`].
pub type LicId = u16;

/// The built-in data files: each source's name (`src/kb/data/*.yaml`, which license
/// entries say they are defined in) and the JSON generated from it, embedded at compile
/// time. Reading JSON at start-up costs a fraction of parsing the YAML; a test checks that
/// the JSON (`src/kb/data/json/x.json` for `src/kb/data/x.yaml`) is the YAML's content.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("src/kb/data/modelgo-v1.yaml", include_str!("data/json/modelgo-v1.json")),
    ("src/kb/data/modelgo-v2.yaml", include_str!("data/json/modelgo-v2.json")),
    ("src/kb/data/open.yaml", include_str!("data/json/open.json")),
    (
        "src/kb/data/hub-permissive.yaml",
        include_str!("data/json/hub-permissive.json"),
    ),
    (
        "src/kb/data/hub-copyleft.yaml",
        include_str!("data/json/hub-copyleft.json"),
    ),
    (
        "src/kb/data/model-licenses.yaml",
        include_str!("data/json/model-licenses.json"),
    ),
    (
        "src/kb/data/vendor-models.yaml",
        include_str!("data/json/vendor-models.json"),
    ),
    (
        "src/kb/data/model-families.yaml",
        include_str!("data/json/model-families.json"),
    ),
];

/// A license clause the engine understands (`semantics.md` section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClauseKind {
    /// Keep credit and notices when distributing.
    Attribution,
    /// Ship the license text.
    LicenseCopy,
    /// Mark modifications in a distributed derivative.
    StateChanges,
    /// No commercial use.
    NonCommercial,
    /// Derivatives may not be distributed.
    NoDerivatives,
    /// Distributed derivatives carry this license and ship their source.
    ShareAlike,
    /// Behavioural use restrictions bind every copy and derivative.
    UseRestrictions,
    /// The use restrictions must be written into downstream licenses.
    FlowDown,
    /// The license cannot carry restrictions it does not contain.
    NoFurtherRestrictions,
    /// Offering the work as a service counts as distributing it.
    ServiceIsDistribution,
    /// What binds generated content.
    OutputTerms,
    /// The license defines extracted (distilled) models.
    Extraction,
    /// Llama 2: outputs may not improve other LLMs.
    LlamaOtherLlm,
    /// Llama 3.x: derived model names begin with "Llama".
    LlamaNaming,
}

impl ClauseKind {
    /// Every clause, in the order of `semantics.md`.
    pub const ALL: &'static [Self] = &[
        Self::Attribution,
        Self::LicenseCopy,
        Self::StateChanges,
        Self::NonCommercial,
        Self::NoDerivatives,
        Self::ShareAlike,
        Self::UseRestrictions,
        Self::FlowDown,
        Self::NoFurtherRestrictions,
        Self::ServiceIsDistribution,
        Self::OutputTerms,
        Self::Extraction,
        Self::LlamaOtherLlm,
        Self::LlamaNaming,
    ];

    /// The clause name used in data files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attribution => "attribution",
            Self::LicenseCopy => "license-copy",
            Self::StateChanges => "state-changes",
            Self::NonCommercial => "non-commercial",
            Self::NoDerivatives => "no-derivatives",
            Self::ShareAlike => "share-alike",
            Self::UseRestrictions => "use-restrictions",
            Self::FlowDown => "flow-down",
            Self::NoFurtherRestrictions => "no-further-restrictions",
            Self::ServiceIsDistribution => "service-is-distribution",
            Self::OutputTerms => "output-terms",
            Self::Extraction => "extraction",
            Self::LlamaOtherLlm => "llama-other-llm",
            Self::LlamaNaming => "llama-naming",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A license family, for grouping in lists and diagrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// The ModelGo licenses.
    ModelGo,
    /// Public-domain dedications.
    PublicDomain,
    /// Permissive open-source licenses.
    Permissive,
    /// Copyleft licenses.
    Copyleft,
    /// Creative Commons licenses.
    CreativeCommons,
    /// Responsible AI licenses.
    OpenRail,
    /// Meta's Llama licenses.
    Llama,
    /// Google's Gemma terms.
    Gemma,
    /// Licenses written for data (CDLA, ODC, PDDL, C-UDA).
    Data,
    /// A model publisher's own license (Qwen, DeepSeek, Mistral, FLUX, ...).
    Vendor,
    /// Anything else.
    Other,
}

impl Family {
    /// Every family, in documentation order.
    pub const ALL: &'static [Self] = &[
        Self::ModelGo,
        Self::PublicDomain,
        Self::Permissive,
        Self::Copyleft,
        Self::CreativeCommons,
        Self::OpenRail,
        Self::Llama,
        Self::Gemma,
        Self::Data,
        Self::Vendor,
        Self::Other,
    ];

    /// The family name used in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ModelGo => "modelgo",
            Self::PublicDomain => "public-domain",
            Self::Permissive => "permissive",
            Self::Copyleft => "copyleft",
            Self::CreativeCommons => "creative-commons",
            Self::OpenRail => "openrail",
            Self::Llama => "llama",
            Self::Gemma => "gemma",
            Self::Data => "data",
            Self::Vendor => "vendor",
            Self::Other => "other",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// A publisher's license for its own materials (Llama, Gemma, vendor licenses), as
    /// opposed to a license anyone may release a work under.
    pub fn is_publisher_specific(self) -> bool {
        matches!(self, Self::Llama | Self::Gemma | Self::Vendor)
    }
}

/// One clause of a license, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Which clause.
    pub kind: ClauseKind,
    /// The section of the license text.
    pub source: Option<String>,
}

/// A condition of a license that no edge of a graph can check (a user or revenue
/// threshold, a territory, a registration), with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// What the licensee must do or know, in one sentence.
    pub text: String,
    /// The section of the license text.
    pub source: Option<String>,
    /// It also binds models trained on the work's outputs (`outputs: true`), e.g. "no
    /// training of other models on outputs", "Built with ..." for such models.
    pub outputs: bool,
}

/// What binds generated content (`output-terms` parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputTerms {
    /// MG v1: generated content must say it is AI-generated.
    pub ai_content_notice: bool,
    /// MG v2: a collection of outputs distributed as a dataset needs a provenance notice.
    pub dataset_notice: bool,
    /// MG-BY-ND-1.0: outputs may not be used or distributed at all.
    pub forbid_output_use: bool,
}

/// One license.
#[derive(Debug, Clone)]
pub struct License {
    /// Canonical id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Family.
    pub family: Family,
    /// Version, as written by its authors.
    pub version: Option<String>,
    /// ModelGo generation (1 or 2) for ModelGo ids.
    pub modelgo: Option<u8>,
    /// Where the text lives.
    pub url: Option<String>,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// The grant can be revoked.
    pub revocable: bool,
    /// The grant allows sublicensing.
    pub sublicensable: bool,
    /// Share-alike: licenses a derivative may carry instead.
    pub compatible: Vec<LicId>,
    /// The clauses, in file order.
    pub clauses: Vec<Clause>,
    /// The named set of use restrictions, when the license has them.
    pub restriction_set: Option<String>,
    /// Output terms.
    pub output: OutputTerms,
    /// For an id that names no single text (a family such as `cc`, an ambiguous name):
    /// which reading the clauses encode. Such entries are never suggested.
    pub reading: Option<String>,
    /// Conditions the graph cannot check.
    pub conditions: Vec<Condition>,
    /// Which file defined the entry.
    pub defined_in: String,
    /// Whether the entry replaced a built-in one.
    pub overrides_builtin: bool,
    bits: u32,
}

impl License {
    /// Whether the license has a clause.
    pub fn has(&self, clause: ClauseKind) -> bool {
        self.bits & clause.bit() != 0
    }

    /// How restrictive the license is, for ordering suggestions: the clauses that ask
    /// something of a licensee. `output-terms`, `service-is-distribution` and `extraction`
    /// say when and to what the others apply, so they do not count: otherwise a ModelGo
    /// license would always rank behind a Creative Commons one with the same options.
    pub fn restrictiveness(&self) -> u32 {
        let definitional =
            ClauseKind::OutputTerms.bit() | ClauseKind::ServiceIsDistribution.bit() | ClauseKind::Extraction.bit();
        (self.bits & !definitional).count_ones()
    }

    /// ModelGo version 2.
    pub fn is_modelgo_v2(&self) -> bool {
        self.modelgo == Some(2)
    }

    /// Whether a derivative may carry `other` to satisfy this license's share-alike.
    pub fn accepts(&self, self_id: LicId, other: LicId) -> bool {
        other == self_id || self.compatible.contains(&other)
    }
}

/// How a written license name resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// A known license; `unversioned` when an MG id without version was read as the latest.
    Known {
        /// The license.
        id: LicId,
        /// Read from an unversioned ModelGo id.
        unversioned: bool,
    },
    /// Not in the knowledge base.
    Unknown,
}

/// The set of known licenses.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    licenses: Vec<License>,
    names: HashMap<String, LicId>,
    unversioned: HashMap<String, LicId>,
    /// Names by their [`loose_key`]; `None` when two licenses share a key.
    loose: HashMap<String, Option<LicId>>,
    models: Vec<ModelRule>,
    fingerprint: String,
}

impl KnowledgeBase {
    /// The built-in knowledge base. Panics only if the embedded data is broken, which
    /// the test suite rules out.
    pub fn builtin() -> Self {
        let mut sources = Sources::default();
        let mut kb = Self::empty();
        for (name, json) in BUILTIN_FILES {
            let file = sources.add(*name, *json);
            if let Err(errors) = kb.load_parsed(name, parse_json(json, &Limits::default()), file, true) {
                let first = &errors[0];
                panic!(
                    "embedded license data {name} is invalid: {} at {:?}",
                    first.message, first.location
                );
            }
        }
        kb
    }

    fn empty() -> Self {
        Self {
            licenses: Vec::new(),
            names: HashMap::default(),
            unversioned: HashMap::default(),
            loose: HashMap::default(),
            models: Vec::new(),
            fingerprint: String::new(),
        }
    }

    /// Adds the licenses and model mappings of one data file (built-in, or a user's
    /// `--licenses` file named `name`). A user entry with the id of an existing one
    /// replaces it. Errors in a user file are `invalid-config`.
    pub fn load(&mut self, name: &str, text: &str, file: u32, builtin: bool) -> Result<(), Vec<InputError>> {
        self.load_parsed(name, parse_yaml(text, &Limits::default()), file, builtin)
    }

    /// [`KnowledgeBase::load`] of a file already parsed.
    fn load_parsed(
        &mut self,
        name: &str,
        tree: Result<Value, SyntaxError>,
        file: u32,
        builtin: bool,
    ) -> Result<(), Vec<InputError>> {
        let mut errors = match tree {
            Ok(doc) => self.load_file(name, &doc, file, builtin),
            Err(e) => vec![e.in_file(file, "invalid YAML")],
        };
        if !builtin {
            for e in &mut errors {
                if e.code != InputCode::LimitExceeded {
                    e.code = InputCode::InvalidConfig;
                }
            }
        }
        self.fingerprint = fingerprint(self);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn load_file(&mut self, name: &str, doc: &Value, file: u32, builtin: bool) -> Vec<InputError> {
        let mut errors = Vec::new();
        let (entries, models) = parse_file(doc, file, &mut errors);
        // First pass: register ids and aliases; second: resolve `compatible`.
        let mut pending = Vec::new();
        for (raw, loc) in entries {
            let key = raw.id.to_ascii_lowercase();
            let replaced = self
                .names
                .get(&key)
                .copied()
                .filter(|&i| self.licenses[i as usize].id.eq_ignore_ascii_case(&raw.id));
            let (ix, overrides) = match replaced {
                Some(_) if builtin => {
                    errors.push(InputError::at(
                        InputCode::InvalidValue,
                        loc,
                        format!("license `{}` is defined twice", raw.id),
                    ));
                    continue;
                }
                Some(i) => (i, true),
                None => {
                    let Ok(i) = LicId::try_from(self.licenses.len()) else {
                        errors.push(InputError::at(InputCode::LimitExceeded, loc, "too many licenses"));
                        continue;
                    };
                    self.licenses.push(raw.license.clone());
                    (i, false)
                }
            };
            let mut lic = raw.license.clone();
            lic.defined_in = name.to_owned();
            lic.overrides_builtin = overrides;
            for name in std::iter::once(&lic.id).chain(&lic.aliases) {
                let k = name.to_ascii_lowercase();
                match self.names.get(&k) {
                    Some(&other) if other != ix && builtin => errors.push(InputError::at(
                        InputCode::InvalidValue,
                        loc,
                        format!("`{name}` already names license `{}`", self.licenses[other as usize].id),
                    )),
                    _ => {
                        self.names.insert(k, ix);
                        let slot = self.loose.entry(loose_key(name)).or_insert(Some(ix));
                        if *slot != Some(ix) && !overrides {
                            *slot = None;
                        }
                    }
                }
            }
            if let Some(generation) = lic.modelgo {
                let base = unversioned_form(&lic.id).to_ascii_lowercase();
                let newer = self
                    .unversioned
                    .get(&base)
                    .is_none_or(|&cur| self.licenses[cur as usize].modelgo < Some(generation));
                if newer {
                    self.unversioned.insert(base, ix);
                }
            }
            self.licenses[ix as usize] = lic;
            pending.push((ix, raw.compatible, loc));
        }
        for (ix, compatible, loc) in pending {
            let mut ids = Vec::new();
            for name in compatible {
                match self.names.get(&name.to_ascii_lowercase()) {
                    Some(&c) => ids.push(c),
                    None => errors.push(InputError::at(
                        InputCode::InvalidValue,
                        loc,
                        format!("`compatible` names `{name}`, which is not a known license"),
                    )),
                }
            }
            self.licenses[ix as usize].compatible = ids;
        }
        for (pattern, license, loc) in models {
            match self.lookup(&license) {
                Lookup::Known { id, .. } => self.models.push(ModelRule {
                    pattern,
                    license: id,
                    file: name.to_owned(),
                    builtin,
                }),
                Lookup::Unknown => errors.push(InputError::at(
                    InputCode::InvalidValue,
                    loc,
                    format!("`{pattern}` maps to `{license}`, which is not a known license"),
                )),
            }
        }
        errors
    }

    /// Extends the knowledge base with users' license files (`--licenses`, later files
    /// win), adding each to `sources` so errors can point into it. Returns every error.
    pub fn load_user_files(&mut self, sources: &mut Sources, files: Vec<(String, String)>) -> Vec<InputError> {
        let mut errors = Vec::new();
        for (name, text) in files {
            let file = sources.add(name, text);
            let (name, text) = (sources.get(file).name.clone(), &sources.get(file).text);
            if let Err(mut e) = self.load(&name, text, file, false) {
                errors.append(&mut e);
            }
        }
        errors
    }

    /// The license that users' `--licenses` files (`builtin: false`) or the built-in
    /// registry of model families (`builtin: true`) map a model or dataset id to. The
    /// pattern with the most literal characters wins (`*` matches within one
    /// `/`-segment; case does not matter, as on the Hub); among equals, the later file.
    pub fn model_license(&self, id: &str, builtin: bool) -> Option<ModelMatch<'_>> {
        self.models
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.builtin == builtin && glob_match(&rule.pattern, id))
            .max_by_key(|(i, rule)| (rule.pattern.chars().filter(|&c| c != '*').count(), *i))
            .map(|(_, rule)| ModelMatch {
                license: rule.license,
                pattern: &rule.pattern,
                file: &rule.file,
            })
    }

    /// Looks a written license name up (case-insensitive; unversioned MG ids as the latest).
    pub fn lookup(&self, name: &str) -> Lookup {
        let key = name.trim().to_ascii_lowercase();
        if let Some(&id) = self.names.get(&key) {
            return Lookup::Known { id, unversioned: false };
        }
        if let Some(&id) = self.unversioned.get(&key) {
            return Lookup::Known { id, unversioned: true };
        }
        match self.loose.get(&loose_key(&key)) {
            Some(&Some(id)) => Lookup::Known { id, unversioned: false },
            _ => Lookup::Unknown,
        }
    }

    /// The license at an index.
    pub fn get(&self, id: LicId) -> &License {
        &self.licenses[id as usize]
    }

    /// All licenses, in load order.
    pub fn all(&self) -> impl Iterator<Item = (LicId, &License)> {
        self.licenses.iter().enumerate().map(|(i, l)| (i as LicId, l))
    }

    /// The closest known id to an unknown name, for hints.
    pub fn closest(&self, name: &str) -> Option<&str> {
        self.closest_ids(name, 1).into_iter().next()
    }

    /// Up to `n` distinct known ids close to an unknown name, closest first.
    pub fn closest_ids(&self, name: &str, n: usize) -> Vec<&str> {
        let lower: Vec<char> = name.to_ascii_lowercase().chars().collect();
        let mut scored: Vec<(usize, &str)> = self
            .names
            .iter()
            .filter_map(|(k, &id)| {
                let id = self.licenses[id as usize].id.as_str();
                let d = crate::error::edit_distance_within(&lower, k, (id.len() / 3).max(2))?;
                Some((d, id))
            })
            .collect();
        scored.sort_unstable();
        let mut out: Vec<&str> = Vec::new();
        for (_, id) in scored {
            if !out.contains(&id) && out.len() < n {
                out.push(id);
            }
        }
        out
    }

    /// A short, stable fingerprint of the data (`2026.11-<hash>`), shown in reports.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// A model-id pattern of a user license file.
#[derive(Debug, Clone)]
struct ModelRule {
    pattern: String,
    license: LicId,
    /// The file that wrote the rule.
    file: String,
    /// A rule of the built-in registry of model families (`model-families.yaml`).
    builtin: bool,
}

/// A model-id rule that matched: the license, and the pattern and file that say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelMatch<'a> {
    /// The license.
    pub license: LicId,
    /// The pattern that matched.
    pub pattern: &'a str,
    /// The file that holds the rule.
    pub file: &'a str,
}

/// `*` matches any run of characters except `/`; everything else matches itself, ignoring
/// ASCII case (Hugging Face ids are case-insensitive).
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative matching with one backtrack point per star (classic wildcard matching,
    // with the star not crossing `/`).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi].eq_ignore_ascii_case(&t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star.filter(|&(_, st)| t[st] != '/') {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// How model cards vary a license name: case, spaces, `-` and `_`, and a trailing
/// "license" or "licence" (`llama3-license` and `llama 3` share one key with `llama3`).
/// Only those: "community" or "agreement" tell texts apart (the NVIDIA Open Model
/// *Agreement* is not the NVIDIA Open Model *License*). Keys two licenses share match
/// neither.
fn loose_key(name: &str) -> String {
    let mut key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    while let Some(rest) = ["license", "licence"]
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
    {
        key.truncate(rest.len());
    }
    key
}

/// `MG-BY-NC-2.0` -> `MG-BY-NC`.
fn unversioned_form(id: &str) -> &str {
    match id.rfind('-') {
        Some(i) if id[i + 1..].chars().all(|c| c.is_ascii_digit() || c == '.') => &id[..i],
        _ => id,
    }
}

fn fingerprint(kb: &KnowledgeBase) -> String {
    // FNV-1a over the canonical content, so the value changes only when the data does.
    let mut h: u32 = 0x811c_9dc5;
    for l in &kb.licenses {
        for b in
            l.id.bytes()
                .chain(l.bits.to_le_bytes())
                .chain(l.compatible.iter().flat_map(|c| c.to_le_bytes()))
        {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    format!("2026.11-{h:08x}")
}

struct RawLicense {
    id: String,
    license: License,
    compatible: Vec<String>,
}

const FILE_KEYS: &[&str] = &["licenses", "models"];
const ENTRY_KEYS: &[&str] = &[
    "id",
    "name",
    "family",
    "version",
    "modelgo",
    "url",
    "aliases",
    "revocable",
    "sublicensable",
    "compatible",
    "clauses",
    "reading",
    "terms",
];
const PARAM_KEYS: &[&str] = &[
    "source",
    "set",
    "ai-content-notice",
    "dataset-notice",
    "forbid-output-use",
];

/// A `models:` entry: pattern, license name, where it is written.
type ModelEntry = (String, String, Location);

fn parse_file(doc: &Value, file: u32, errors: &mut Vec<InputError>) -> (Vec<(RawLicense, Location)>, Vec<ModelEntry>) {
    let Some(top) = MapReader::new(doc, file, "a license file", FILE_KEYS, errors) else {
        return (Vec::new(), Vec::new());
    };
    let mut models = Vec::new();
    if let Some(v) = top.get("models") {
        match &v.kind {
            Kind::Map(entries) => {
                for (key, value) in entries {
                    if let Some(license) = expect_str(value, file, "a license id", errors) {
                        models.push((
                            key.name.to_string(),
                            license.to_owned(),
                            Location { file, pos: value.pos },
                        ));
                    }
                }
            }
            _ => errors.push(InputError::at(
                InputCode::InvalidValue,
                top.loc(v),
                "`models` must be a map of model-id patterns to license ids",
            )),
        }
    }
    let Some(list) = top.get("licenses") else {
        return (Vec::new(), models);
    };
    let Kind::Seq(items) = &list.kind else {
        errors.push(InputError::at(
            InputCode::InvalidValue,
            top.loc(list),
            "`licenses` must be a list",
        ));
        return (Vec::new(), models);
    };
    let entries = items
        .iter()
        .filter_map(|item| parse_entry(item, file, errors).map(|l| (l, Location { file, pos: item.pos })))
        .collect();
    (entries, models)
}

fn string_list(v: &Value, file: u32, what: &str, errors: &mut Vec<InputError>) -> Vec<String> {
    match &v.kind {
        Kind::Seq(items) => items
            .iter()
            .filter_map(|i| expect_str(i, file, what, errors))
            .map(str::to_owned)
            .collect(),
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                Location { file, pos: v.pos },
                format!("{what} must be a list of strings"),
            ));
            Vec::new()
        }
    }
}

fn bool_value(v: &Value, file: u32, what: &str, errors: &mut Vec<InputError>) -> bool {
    match v.kind {
        Kind::Bool(b) => b,
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                Location { file, pos: v.pos },
                format!("{what} must be true or false"),
            ));
            false
        }
    }
}

fn parse_entry(item: &Value, file: u32, errors: &mut Vec<InputError>) -> Option<RawLicense> {
    let m = MapReader::new(item, file, "a license entry", ENTRY_KEYS, errors)?;
    let loc = Location { file, pos: item.pos };
    let Some(id) = m.get("id").and_then(|v| expect_str(v, file, "`id`", errors)) else {
        errors.push(InputError::at(
            InputCode::InvalidValue,
            loc,
            "a license entry needs an `id`",
        ));
        return None;
    };
    let text = |key: &str, errors: &mut Vec<InputError>| {
        m.get(key)
            .and_then(|v| expect_str(v, file, key, errors))
            .map(str::to_owned)
    };
    let family_names: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
    let family = m
        .get("family")
        .and_then(|v| expect_enum(v, file, "family", Family::parse, &family_names, errors))
        .unwrap_or(Family::Other);
    let modelgo = m.get("modelgo").and_then(|v| match v.kind {
        Kind::Int(g @ (1 | 2)) => Some(g as u8),
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                m.loc(v),
                "`modelgo` must be 1 or 2",
            ));
            None
        }
    });
    let mut license = License {
        id: id.to_owned(),
        name: text("name", errors).unwrap_or_else(|| id.to_owned()),
        family,
        version: text("version", errors),
        modelgo,
        url: text("url", errors),
        aliases: m
            .get("aliases")
            .map(|v| string_list(v, file, "`aliases`", errors))
            .unwrap_or_default(),
        revocable: m
            .get("revocable")
            .is_some_and(|v| bool_value(v, file, "`revocable`", errors)),
        sublicensable: m
            .get("sublicensable")
            .is_some_and(|v| bool_value(v, file, "`sublicensable`", errors)),
        compatible: Vec::new(),
        clauses: Vec::new(),
        restriction_set: None,
        output: OutputTerms::default(),
        reading: text("reading", errors),
        conditions: m.get("terms").map(|v| conditions(v, file, errors)).unwrap_or_default(),
        defined_in: String::new(),
        overrides_builtin: false,
        bits: 0,
    };
    if let Some(v) = m.get("clauses") {
        match &v.kind {
            Kind::Seq(items) => {
                for c in items {
                    parse_clause(c, file, &mut license, errors);
                }
            }
            _ => errors.push(InputError::at(
                InputCode::InvalidValue,
                m.loc(v),
                "`clauses` must be a list",
            )),
        }
    }
    let compatible = m
        .get("compatible")
        .map(|v| string_list(v, file, "`compatible`", errors))
        .unwrap_or_default();
    Some(RawLicense {
        id: id.to_owned(),
        license,
        compatible,
    })
}

/// `terms:`: a list of `{ text, source, outputs }`.
fn conditions(v: &Value, file: u32, errors: &mut Vec<InputError>) -> Vec<Condition> {
    let Kind::Seq(items) = &v.kind else {
        errors.push(InputError::at(
            InputCode::InvalidValue,
            Location { file, pos: v.pos },
            "`terms` must be a list of `{ text, source, outputs }`",
        ));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let m = MapReader::new(item, file, "a term", &["text", "source", "outputs"], errors)?;
            let field = |key: &str, errors: &mut Vec<InputError>| {
                m.get(key)
                    .and_then(|v| expect_str(v, file, key, errors))
                    .map(str::to_owned)
            };
            let source = field("source", errors);
            let Some(text) = field("text", errors) else {
                errors.push(InputError::at(
                    InputCode::InvalidValue,
                    Location { file, pos: item.pos },
                    "a term needs a `text`",
                ));
                return None;
            };
            let outputs = m
                .get("outputs")
                .is_some_and(|v| bool_value(v, file, "`outputs`", errors));
            Some(Condition { text, source, outputs })
        })
        .collect()
}

fn parse_clause(c: &Value, file: u32, license: &mut License, errors: &mut Vec<InputError>) {
    let names: Vec<&str> = ClauseKind::ALL.iter().map(|c| c.as_str()).collect();
    let (name_value, params) = match &c.kind {
        Kind::Str(_) => (c, None),
        Kind::Map(entries) if entries.len() == 1 => {
            let (k, v) = &entries[0];
            let key = Value {
                pos: k.pos,
                kind: Kind::Str(k.name.to_string()),
            };
            return parse_clause_named(&key, Some(v), file, license, errors, &names);
        }
        _ => {
            errors.push(InputError::at(
                InputCode::InvalidValue,
                Location { file, pos: c.pos },
                "a clause is a name or a one-key map `{ name: { parameters } }`",
            ));
            return;
        }
    };
    parse_clause_named(name_value, params, file, license, errors, &names);
}

fn parse_clause_named(
    name: &Value,
    params: Option<&Value>,
    file: u32,
    license: &mut License,
    errors: &mut Vec<InputError>,
    names: &[&str],
) {
    let Some(kind) = expect_enum(name, file, "clause", ClauseKind::parse, names, errors) else {
        return;
    };
    let mut source = None;
    if let Some(p) = params.filter(|p| p.kind != Kind::Null) {
        let Some(m) = MapReader::new(p, file, "clause parameters", PARAM_KEYS, errors) else {
            return;
        };
        source = m
            .get("source")
            .and_then(|v| expect_str(v, file, "`source`", errors))
            .map(str::to_owned);
        if let Some(set) = m.get("set").and_then(|v| expect_str(v, file, "`set`", errors)) {
            license.restriction_set = Some(set.to_owned());
        }
        let flag =
            |key: &str, errors: &mut Vec<InputError>| m.get(key).is_some_and(|v| bool_value(v, file, key, errors));
        if kind == ClauseKind::OutputTerms {
            license.output = OutputTerms {
                ai_content_notice: flag("ai-content-notice", errors),
                dataset_notice: flag("dataset-notice", errors),
                forbid_output_use: flag("forbid-output-use", errors),
            };
        }
    }
    license.bits |= kind.bit();
    license.clauses.push(Clause { kind, source });
}
