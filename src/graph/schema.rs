//! The JSON Schema of the graph file (`docs/graph-format.md`), for editors and other tools.
//!
//! The types here only document the format: the loader ([`super::load`]) reads graph files
//! itself, reporting every error with its line and column. They mirror the file key by key
//! (what is required, which words each key allows, that no other key is allowed outside
//! `meta`), and their doc comments, taken from `docs/graph-format.md`, become the schema's
//! descriptions. [`json_schema()`] prints the schema; `docs/graph.schema.json` is its
//! checked-in copy, which a test compares with it.
//!
//! The schema cannot say everything the loader checks: ids unique across the nodes (and
//! across files), `from` naming ids that exist, no cycles, and licenses the knowledge base
//! knows are checked by `mglint check` only.

use std::borrow::Cow;

use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde_json::Value;

/// The graph file's JSON Schema (draft 2020-12), as pretty-printed JSON ending in a newline.
///
/// The text is the same on every call and every platform: `docs/graph.schema.json` is a
/// copy of it (`mglint schema > docs/graph.schema.json`).
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft2020_12()
        .with_transform(KeysNotNull)
        .with_transform(UnwrapDescriptions)
        .into_generator();
    let schema = generator.into_root_schema_for::<GraphFile>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    text.push('\n');
    text
}

/// A graph file: where a set of ML artifacts came from, and what you do with the end
/// products. The same keys are read from YAML and from JSON. Any key not listed here is an
/// `unknown-field` error, except under a node's `meta`.
#[derive(JsonSchema)]
#[schemars(title = "mglint graph file", deny_unknown_fields)]
pub struct GraphFile {
    /// Format version; optional, 1 if absent. Only `1` exists (anything else is
    /// `unsupported-version`).
    pub mglint: Option<FormatVersion>,
    /// What you do with the end products (the sinks: nodes no other node lists in
    /// `from`). A sink's own `use` / `distribute` wins over it, and `--use` /
    /// `--distribute` on the command line too; without any of them a sink is taken as
    /// `commercial` and `public`, the strictest reading.
    pub intent: Option<Intent>,
    /// The artifacts, in any order. Ids are unique (across all input files).
    pub nodes: Vec<Node>,
}

/// The format version, `mglint: 1`: the only one.
pub struct FormatVersion;

impl JsonSchema for FormatVersion {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "FormatVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "const": 1 })
    }
}

/// What you do with the end products.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Intent {
    /// How the end products are used; built-in default `commercial`.
    #[serde(rename = "use")]
    pub use_: Option<Use>,
    /// Whether the end products reach third parties; built-in default `public`.
    pub distribute: Option<Distribute>,
}

/// One artifact: a model, a dataset, code, generated content or a bundle.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = node_rules)]
pub struct Node {
    /// Unique id, exact and case-sensitive; a Hugging Face repo id (`org/name`) is the
    /// usual choice.
    #[schemars(length(min = 1, max = super::MAX_ID_CHARS))]
    pub id: String,
    /// What the artifact is. Default `model` (`output` when made `via: generate`, and
    /// then no other kind is allowed).
    pub kind: Option<NodeKind>,
    /// The license of this artifact: one id, a list of ids (all apply), or an `AND`/`OR`
    /// expression (`AND` binds tighter than `OR`; parentheses allowed). Ids are
    /// case-insensitive; SPDX, Hugging Face Hub and ModelGo ids are all accepted, with
    /// common aliases. On a root (a node without `from`) it is the license you received
    /// the artifact under; on a derived node, the license you offer it under. Leave it out
    /// when none is declared yet.
    pub license: Option<License>,
    /// What this node was made from; default `[]`. Each entry is a bare id (it takes the
    /// node's `via`) or a map `{ id, via }`. The same upstream may appear twice with
    /// different relations (weights merged and tokenizer copied, say).
    pub from: Option<Vec<FromEntry>>,
    /// The relation for bare ids in `from` (and for `{ id }` entries without their own
    /// `via`). A bare id on a node without `via` is a `missing-via` error.
    pub via: Option<Relation>,
    /// How this artifact is used. On a sink it wins over `--use` and the top-level intent;
    /// on any other node it makes the node checked as used in its own right.
    #[serde(rename = "use")]
    pub use_: Option<Use>,
    /// Whether it reaches third parties. On a sink it wins over `--distribute` and the
    /// top-level intent; other nodes are `private` unless they say otherwise.
    pub distribute: Option<Distribute>,
    /// Display name, used by the Llama 3.x naming rule (`llama-naming`); default the last
    /// `/`-segment of `id`.
    #[schemars(pattern(r"\S"))]
    pub name: Option<String>,
    /// Anything else (urls, notes, revisions): kept, never checked, and the only place
    /// where any key is allowed. One key is read: `authored: false` marks a node you did
    /// not write (an upstream model `mglint import` brought in), whose findings are capped
    /// at warning.
    pub meta: Option<Value>,
}

/// A node's `license`.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum License {
    /// One license id, or an expression such as `MIT OR Apache-2.0`.
    One(#[schemars(pattern(r"\S"))] String),
    /// A list of license ids: all apply (the union of their terms).
    All(#[schemars(length(min = 1), inner(pattern(r"\S")))] Vec<String>),
}

/// An entry of a node's `from`.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum FromEntry {
    /// The id of an upstream node, made into this node by the node's own `via`.
    Id(#[schemars(length(min = 1, max = super::MAX_ID_CHARS))] String),
    /// An upstream node and its relation.
    Edge(Edge),
}

/// An upstream node and how this node was made from it.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Edge {
    /// The id of the upstream node.
    #[schemars(length(min = 1, max = super::MAX_ID_CHARS))]
    pub id: String,
    /// How this node was made from it; default the node's `via`.
    pub via: Option<Relation>,
}

/// What an artifact is.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// Weights and architecture.
    Model,
    /// Training or evaluation data.
    Dataset,
    /// Software.
    Code,
    /// Generated content (text, images, a synthetic dataset).
    Output,
    /// A separable collection shipped together (an app, an ensemble, a pipeline, a
    /// mixture-of-experts router over unchanged experts).
    Bundle,
}

/// How a node was made from an upstream artifact.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Verbatim redistribution: a mirror, a re-upload, a format conversion that does not
    /// change the weights (class: copy).
    Copy,
    /// Further training of the upstream model's weights: SFT, RLHF, DPO, continued
    /// pre-training (class: derivative).
    Finetune,
    /// An adapter (LoRA, QLoRA, IA3, prefix) trained on the upstream model, shipped alone or
    /// merged in (class: derivative).
    Adapter,
    /// Inseparable combination of weights: linear, SLERP, TIES, DARE, task arithmetic,
    /// passthrough, model stock (class: derivative).
    Merge,
    /// The same network at lower precision or in another runtime format: GGUF, GPTQ, AWQ,
    /// EXL2, ONNX int8 (class: derivative).
    Quantize,
    /// A model trained to imitate the upstream model from its outputs or logits (class:
    /// extracted).
    Distill,
    /// Content produced by running the upstream model; the node's `kind` is then `output`
    /// (class: output).
    Generate,
    /// The upstream dataset, code or output was used as training data or tooling (class:
    /// input).
    Train,
    /// The upstream artifact is included unchanged and separably, usually in a `bundle`
    /// (class: part).
    Combine,
}

/// How an artifact is used.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Use {
    /// For commercial advantage or compensation.
    Commercial,
    /// Not commercial.
    NonCommercial,
}

/// Whether an artifact reaches third parties.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Distribute {
    /// Kept inside your organisation.
    Private,
    /// Files published or shipped.
    Public,
    /// Offered through an API, app or website.
    Service,
}

/// The rules of a node that tie its keys together, as the loader applies them.
fn node_rules(schema: &mut Schema) {
    let rules = serde_json::json!([
        {
            "description": "A node without `via` lists only `{ id, via }` entries in `from` (`missing-via`).",
            "if": { "not": { "required": ["via"] } },
            "then": {
                "properties": {
                    "from": { "items": { "type": "object", "required": ["via"] } }
                }
            }
        },
        {
            "description": "A node made `via: generate` is generated content: its `kind`, if given, is `output`.",
            "if": {
                "required": ["from"],
                "anyOf": [
                    {
                        "properties": {
                            "from": {
                                "contains": {
                                    "type": "object",
                                    "required": ["via"],
                                    "properties": { "via": { "const": "generate" } }
                                }
                            }
                        }
                    },
                    {
                        "required": ["via"],
                        "properties": {
                            "via": { "const": "generate" },
                            "from": {
                                "contains": {
                                    "anyOf": [
                                        { "type": "string" },
                                        { "type": "object", "not": { "required": ["via"] } }
                                    ]
                                }
                            }
                        }
                    }
                ]
            },
            "then": { "properties": { "kind": { "const": "output" } } }
        }
    ]);
    schema.insert("allOf".into(), rules);
}

/// Joins the lines of each paragraph of a description: doc comments are wrapped for the
/// source, not for the editors that show the schema.
#[derive(Clone)]
struct UnwrapDescriptions;

impl Transform for UnwrapDescriptions {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::String(text)) = schema.get_mut("description") {
            *text = text
                .split("\n\n")
                .map(|paragraph| paragraph.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n\n");
        }
        transform_subschemas(self, schema);
    }
}

/// Takes `null` out of the schemas of optional keys. An `Option` here means "the key may be
/// left out", which `required` already says; a key written with a null value (`license:`
/// with nothing after it) is an `invalid-value` error. (`meta` allows anything, null too:
/// its schema has no `type`.)
#[derive(Clone)]
struct KeysNotNull;

impl Transform for KeysNotNull {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                schema.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            values.retain(|v| !v.is_null());
            if let [only] = values.as_slice() {
                let only = only.clone();
                schema.remove("enum");
                schema.insert("const".into(), only);
            }
        }
        if let Some(Value::Array(alternatives)) = schema.get_mut("anyOf") {
            alternatives.retain(|a| *a != serde_json::json!({ "type": "null" }));
            if let [only] = alternatives.as_slice()
                && let Some(only) = only.as_object().cloned()
            {
                schema.remove("anyOf");
                for (key, value) in only {
                    schema.insert(key, value);
                }
            }
        }
        transform_subschemas(self, schema);
    }
}
