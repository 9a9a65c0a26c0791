//! Importers: the real mergekit recipes and model cards of `tests/corpus/`, and a
//! Hugging Face cache built on disk to prove lineages resolve offline.

use std::path::{Path, PathBuf};

use mglint::checks::{CheckOptions, Report};
use mglint::graph::{Graph, Relation};
use mglint::import::ImportOptions;

use crate::support::{kb, summary};

/// Relative to the package root (the working directory of tests), so ids made from local
/// paths in recipes are the same on every machine.
const CORPUS: &str = "tests/corpus";

/// Every file of a corpus directory, sorted.
fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(CORPUS).join(dir))
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// Checks inputs with importer options; panics on input errors.
fn check_with(inputs: Vec<(String, String)>, import: ImportOptions) -> (Graph, Report) {
    let options = CheckOptions {
        import,
        ..Default::default()
    };
    let checked = mglint::check_inputs(inputs, kb(), &options);
    match checked.result {
        Ok(r) => r,
        Err(errors) => panic!("unexpected input errors: {errors:#?}"),
    }
}

/// Checks one corpus file by its path (so relative references resolve next to it).
fn check_file(path: &Path) -> (Graph, Report) {
    let text = std::fs::read_to_string(path).expect("corpus file");
    check_with(vec![(path.display().to_string(), text)], ImportOptions::default())
}

/// `UPSTREAM -[relation]-> NODE` for every edge into `node`, sorted.
fn inputs_of(g: &Graph, node: &str) -> Vec<String> {
    let v = g.find(node).unwrap_or_else(|| panic!("no node {node}"));
    let mut out: Vec<String> = g.inputs[v as usize]
        .iter()
        .map(|e| format!("{} -[{}]", g.node(e.from).id, e.relation))
        .collect();
    out.sort();
    out
}

/// The `meta` value of a node as a string, when it is one.
fn meta(g: &Graph, node: &str, key: &str) -> Option<String> {
    let n = g.node(g.find(node)?);
    let mglint::syntax::Kind::Map(entries) = &n.meta.as_ref()?.kind else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| &*k.name == key)
        .map(|(_, v)| match &v.kind {
            mglint::syntax::Kind::Str(s) => s.clone(),
            other => format!("{other:?}"),
        })
}

#[test]
fn every_corpus_recipe_imports_with_a_result_node_made_from_its_models() {
    let files = corpus("mergekit");
    assert!(files.len() >= 38);
    for path in files {
        let (g, _) = check_file(&path);
        // The result is the authored node nothing else is made from.
        let results: Vec<&str> = (0..g.nodes.len() as u32)
            .filter(|&v| g.node(v).authored && g.is_sink(v))
            .map(|v| g.node(v).id.as_str())
            .collect();
        assert_eq!(results.len(), 1, "{}: results {results:?}", path.display());
        assert!(!inputs_of(&g, results[0]).is_empty(), "{}", path.display());
        // Every model it names is a node of its own, not authored by the user.
        for v in 0..g.nodes.len() as u32 {
            let n = g.node(v);
            assert!(
                n.authored || g.is_root(v) || n.license_source().is_some(),
                "{}: {}",
                path.display(),
                n.id
            );
        }
    }
}

#[test]
fn every_corpus_card_imports_as_a_node_with_its_parents() {
    let files = corpus("model-cards");
    assert!(files.len() >= 31);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (g, _) = check_file(&path);
        let id = path.file_stem().unwrap().to_str().unwrap();
        let parents = inputs_of(&g, id);
        let card = mglint::import::front_matter(&text).unwrap_or_default();
        let declares_base = card.lines().any(|l| l.starts_with("base_model:") && !l.contains("[]"));
        assert_eq!(
            !parents.is_empty(),
            declares_base || card.contains("model_link:"),
            "{}: {parents:?}",
            path.display()
        );
    }
}

#[test]
fn lora_references_merge_both_the_model_and_the_adapter_and_cache_paths_become_hub_ids() {
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/26-issue442-lora-plus-local-adapters-della-linear.yml"));
    let result = "26-issue442-lora-plus-local-adapters-della-linear";
    let inputs = inputs_of(&g, result);
    assert_eq!(inputs.len(), 6, "{inputs:?}");
    assert!(inputs.contains(&"mistralai/Mistral-Nemo-Instruct-2407 -[merge]".to_owned()));
    // A local path is kept as written, normalised (no trailing `/`).
    assert!(inputs.contains(&"/home/xxxx/AI/LLM/models/LORA/Rocinante_1024 -[merge]".to_owned()));
    // `base_model` is a cache path: the Hub id, with the snapshot as the revision.
    assert_eq!(
        meta(&g, "mistralai/Mistral-Nemo-Instruct-2407", "revision").as_deref(),
        Some("e17a136e1dcba9c63ad771f2c85c1c312c563e6b")
    );
    assert_eq!(
        meta(&g, "/home/xxxx/AI/LLM/models/LORA/Rocinante_1024", "local_path").as_deref(),
        Some("Bool(true)")
    );
}

#[test]
fn multi_stage_recipes_make_a_node_per_stage_and_stage_names_are_edges() {
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/35-kansensakura-multimerge-passthrough-named.yml"));
    let result = "35-kansensakura-multimerge-passthrough-named";
    let inputs = inputs_of(&g, result);
    assert!(inputs.contains(&"knowledge_core -[merge]".to_owned()) && inputs.contains(&"rp_blend -[merge]".to_owned()));
    assert_eq!(inputs.len(), 6, "the model named twice is one upstream: {inputs:?}");
    // A relative path is relative to the recipe.
    assert!(inputs_of(&g, "rp_blend").contains(&"tests/corpus/mergekit/retokenized_FA -[merge]".to_owned()));
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/07-mergekit-example-mega-multidoc.yml"));
    assert_eq!(
        inputs_of(&g, "gradient-slerp-ties"),
        [
            "TheBloke/Llama-2-13B-fp16 -[merge]",
            "WizardLM/WizardMath-13B-V1.0 -[merge]",
            "gradient-slerp -[merge]"
        ]
    );
    assert!(g.node(g.find("gradient-slerp").unwrap()).authored);
    assert_eq!(
        inputs_of(&g, "gradient-slerp"),
        [
            "garage-bAInd/Platypus2-13B -[merge]",
            "psmathur/orca_mini_v3_13b -[merge]"
        ]
    );
}

#[test]
fn moe_experts_and_tokenizer_donors_are_parts_and_the_moe_base_is_merged() {
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/14-btx-gemma-moe-random-gate.yml"));
    let inputs = inputs_of(&g, "14-btx-gemma-moe-random-gate");
    assert!(
        inputs.contains(&"mhenrichsen/gemma-7b -[merge]".to_owned()),
        "{inputs:?}"
    );
    assert!(
        inputs.contains(&"Crystalcareai/Gemma-COT -[combine]".to_owned()),
        "{inputs:?}"
    );
    // A stage named in `tokenizer: source:` and merged too stays a merge.
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/37-karcher-named-inputs-tokenizer-from-stage.yml"));
    assert_eq!(
        inputs_of(&g, "37-karcher-named-inputs-tokenizer-from-stage"),
        ["First -[merge]", "Second -[merge]"]
    );
    // A tokenizer donor that is not merged is a part.
    let recipe = "merge_method: slerp\nbase_model: a/base\nmodels:\n  - model: a/base\n  - model: b/tuned\n\
                  tokenizer:\n  source: c/donor\n  tokens:\n    <|im_start|>:\n      source: { kind: model_token, model: d/tok }\n";
    let (g, _) = check_with(vec![("t.yml".into(), recipe.into())], ImportOptions::default());
    assert_eq!(
        inputs_of(&g, "t"),
        [
            "a/base -[merge]",
            "b/tuned -[merge]",
            "c/donor -[combine]",
            "d/tok -[combine]"
        ]
    );
}

#[test]
fn windows_paths_stay_local_paths() {
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/23-windows-local-path-dare-ties.yml"));
    let local: Vec<&str> = g
        .nodes
        .iter()
        .filter(|n| n.id.contains(":/") || n.id.contains(":\\"))
        .map(|n| n.id.as_str())
        .collect();
    assert!(!local.is_empty());
    for id in local {
        assert_eq!(meta(&g, id, "local_path").as_deref(), Some("Bool(true)"), "{id}");
    }
}

#[test]
fn a_yaml_file_naming_no_models_is_not_a_recipe_at_its_location() {
    // `merge_method` makes a YAML file a recipe; one that names no models is an error.
    let errors = crate::support::errors_in("merge.yml", "merge_method: slerp\ndtype: float16\n");
    assert_eq!((errors[0].0.as_str(), errors[0].1, errors[0].2), ("not-a-recipe", 1, 1));
    let options = CheckOptions {
        import: ImportOptions {
            kind: Some(mglint::import::InputKind::Mergekit),
            ..Default::default()
        },
        ..Default::default()
    };
    let checked = mglint::check_inputs(
        vec![("merge.yml".into(), "dtype: float16\nmerge_method: slerp\n".into())],
        kb(),
        &options,
    );
    let errors = checked.result.expect_err("not a recipe");
    assert_eq!(errors[0].code.as_str(), "not-a-recipe");
    let loc = errors[0].location.expect("located");
    assert_eq!((loc.pos.line, loc.pos.column), (1, 1));
}

#[test]
fn bad_references_are_errors_with_their_location_and_all_are_reported() {
    let recipe = "merge_method: linear\nmodels:\n  - model: a/b+c/d+e/f\n  - model: [1, 2]\n  - model: x/y@r1@r2\n";
    let options = CheckOptions::default();
    let checked = mglint::check_inputs(vec![("m.yml".into(), recipe.into())], kb(), &options);
    let errors = checked.result.expect_err("bad references");
    let at: Vec<(String, u32, u32)> = errors
        .iter()
        .map(|e| {
            let l = e.location.unwrap();
            (e.code.as_str().to_owned(), l.pos.line, l.pos.column)
        })
        .collect();
    assert_eq!(
        at,
        [
            ("invalid-value".to_owned(), 3, 12),
            ("invalid-value".to_owned(), 4, 12),
            ("invalid-value".to_owned(), 5, 12)
        ]
    );
}

/// Writes `models--ORG--NAME/snapshots/REV/README.md` (and `refs/main`) into `cache`.
fn cache_card(cache: &Path, id: &str, rev: &str, front_matter: &str) {
    let repo = cache.join(format!("models--{}", id.replace('/', "--")));
    let snapshot = repo.join("snapshots").join(rev);
    std::fs::create_dir_all(&snapshot).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs/main"), rev).unwrap();
    std::fs::write(snapshot.join("README.md"), format!("---\n{front_matter}---\n# {id}\n")).unwrap();
}

fn fixture_cache(name: &str) -> PathBuf {
    let cache = std::env::temp_dir().join(format!("mglint-hf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    cache_card(&cache, "meta-llama/Llama-2-7b-hf", "aaa111", "license: llama2\n");
    cache_card(
        &cache,
        "lab/chat-7b",
        "bbb222",
        "license: cc-by-nc-4.0\nbase_model: meta-llama/Llama-2-7b-hf\nbase_model_relation: finetune\n",
    );
    // An older snapshot with another license, pinned by revision.
    cache_card(
        &cache,
        "lab/chat-7b",
        "0ld000",
        "license: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf\n",
    );
    std::fs::write(cache.join("models--lab--chat-7b/refs/main"), "bbb222").unwrap();
    cache
}

/// A quantized model's card resolves its whole lineage from the local cache: its parent's
/// card, and that card's parent, with the source of each license recorded.
#[test]
fn a_card_resolves_its_lineage_offline_from_a_hugging_face_cache() {
    let cache = fixture_cache("lineage");
    let card = "---\nlicense: cc-by-nc-4.0\nbase_model: lab/chat-7b\nbase_model_relation: quantized\n---\n# GGUF\n";
    let import = ImportOptions {
        hf_cache: Some(cache.clone()),
        id: Some("me/chat-7b-GGUF".into()),
        ..Default::default()
    };
    let (g, r) = check_with(vec![("README.md".into(), card.into())], import);
    assert_eq!(inputs_of(&g, "me/chat-7b-GGUF"), ["lab/chat-7b -[quantize]"]);
    assert_eq!(inputs_of(&g, "lab/chat-7b"), ["meta-llama/Llama-2-7b-hf -[finetune]"]);
    let source = meta(&g, "lab/chat-7b", "license_source").expect("license source");
    assert!(
        source.starts_with("model card ") && source.contains("bbb222"),
        "{source}"
    );
    assert!(!g.node(g.find("meta-llama/Llama-2-7b-hf").unwrap()).authored);
    // Obligations of the whole lineage reach the quantization.
    let s = summary(&g, &r);
    assert!(s.contains(&"error non-commercial me/chat-7b-GGUF".to_owned()), "{s:?}");
    assert!(s.contains(&"info license-terms me/chat-7b-GGUF".to_owned()), "{s:?}");
    let _ = std::fs::remove_dir_all(cache);
}

#[test]
fn a_pinned_revision_picks_its_snapshot_of_the_cache() {
    let cache = fixture_cache("pinned");
    let recipe = "merge_method: slerp\nbase_model: lab/chat-7b@0ld000\nmodels:\n  - model: lab/chat-7b@0ld000\n";
    let import = ImportOptions {
        hf_cache: Some(cache.clone()),
        ..Default::default()
    };
    let (g, _) = check_with(vec![("merge.yml".into(), recipe.into())], import);
    let node = g.node(g.find("lab/chat-7b").unwrap());
    assert_eq!(node.license.as_ref().unwrap().items, ["apache-2.0"]);
    assert_eq!(meta(&g, "lab/chat-7b", "revision").as_deref(), Some("0ld000"));
    let _ = std::fs::remove_dir_all(cache);
}

#[test]
fn license_mappings_come_before_cards_and_cards_before_nothing() {
    let cache = fixture_cache("order");
    let mut kb = mglint::kb::KnowledgeBase::builtin();
    kb.load("ours.yaml", "models:\n  \"lab/*\": mit\n", 9, false).unwrap();
    let options = CheckOptions {
        import: ImportOptions {
            hf_cache: Some(cache.clone()),
            ..Default::default()
        },
        ..Default::default()
    };
    let recipe = "merge_method: linear\nmodels:\n  - model: lab/chat-7b\n  - model: nobody/knows\n";
    let checked = mglint::check_inputs(vec![("m.yml".into(), recipe.into())], &kb, &options);
    let (g, r) = checked.result.expect("valid");
    assert_eq!(
        g.node(g.find("lab/chat-7b").unwrap()).license.as_ref().unwrap().items,
        ["MIT"]
    );
    assert_eq!(
        meta(&g, "lab/chat-7b", "license_source").as_deref(),
        Some("--licenses ours.yaml (`lab/*`)")
    );
    // The card's parent still joins the lineage.
    assert_eq!(inputs_of(&g, "lab/chat-7b"), ["meta-llama/Llama-2-7b-hf -[finetune]"]);
    assert!(g.node(g.find("nobody/knows").unwrap()).license.is_none());
    assert!(summary(&g, &r).contains(&"warning missing-license nobody/knows".to_owned()));
    let _ = std::fs::remove_dir_all(cache);
}

/// `mglint import` prints a graph file that checks exactly like the recipe or card it came
/// from, for every file of the corpus.
#[test]
fn an_imported_graph_checks_like_its_recipe_or_card() {
    for path in corpus("mergekit").into_iter().chain(corpus("model-cards")) {
        let (g, r) = check_file(&path);
        let mut yaml = Vec::new();
        mglint::render::graph::write(&g, &[path.display().to_string()], false, &mut yaml).unwrap();
        let yaml = String::from_utf8(yaml).unwrap();
        let (g2, r2) = check_with(vec![("imported.yaml".into(), yaml.clone())], ImportOptions::default());
        assert_eq!(summary(&g, &r), summary(&g2, &r2), "{}:\n{yaml}", path.display());
        assert_eq!(g.edge_count(), g2.edge_count(), "{}", path.display());
    }
}

#[test]
fn relations_follow_the_card_or_are_inferred_and_marked() {
    let (g, _) = check_file(&Path::new(CORPUS).join("model-cards/13-gguf-quant-no-license-relation-quantized.md"));
    let id = "13-gguf-quant-no-license-relation-quantized";
    assert!(inputs_of(&g, id).iter().all(|e| e.ends_with("-[quantize]")));
    assert_eq!(meta(&g, id, "relation_inferred"), None);
    let (g, _) = check_file(&Path::new(CORPUS).join("model-cards/02-merge-yi15-declared-apache.md"));
    let id = "02-merge-yi15-declared-apache";
    let v = g.find(id).unwrap();
    assert!(g.inputs[v as usize].len() >= 2);
    assert!(g.inputs[v as usize].iter().all(|e| e.relation == Relation::Merge));
    assert_eq!(meta(&g, id, "relation_inferred").as_deref(), Some("Bool(true)"));
}

/// The graph files `mglint import` prints for a representative dozen of the corpus:
/// recipes with a base, multi-stage names, MoE, Windows and cache paths, LoRA, a
/// tokenizer block, modules; cards with `other` + `license_name`, an adapter, a merge, a
/// list of licenses, datasets; two of them in JSON as well. Reviewed by eye when they change.
#[test]
fn golden_imported_graphs() {
    for file in [
        "mergekit/01-mergekit-example-bio-merge-ties.yml",
        "mergekit/07-mergekit-example-mega-multidoc.yml",
        "mergekit/14-btx-gemma-moe-random-gate.yml",
        "mergekit/23-windows-local-path-dare-ties.yml",
        "mergekit/24-windows-hf-cache-path-linear-slices.yml",
        "mergekit/26-issue442-lora-plus-local-adapters-della-linear.yml",
        "mergekit/31-issue394-tokenizer-block-union.yml",
        "mergekit/35-kansensakura-multimerge-passthrough-named.yml",
        "mergekit/36-karcher-modules-default-slices-intermediate-dir.yml",
        "model-cards/08-flux-dev-schnell-merge-relation-merge.md",
        "model-cards/11-medgemma-lora-hai-def-terms-adapter.md",
        "model-cards/14-gguf-quant-license-other-mnpl.md",
        "model-cards/27-quant-license-as-list-mit-on-yi.md",
        "model-cards/28-quant-mit-on-yi-finetune-datasets.md",
    ] {
        let path = Path::new(CORPUS).join(file);
        let (g, _) = check_file(&path);
        let name = file.replace('/', "__");
        // Two in JSON too (written node by node): the content pinned, not only the layout.
        let json_too = file.starts_with("mergekit/07-") || file.starts_with("model-cards/11-");
        for json in [false, true].into_iter().filter(|&json| !json || json_too) {
            let mut out = Vec::new();
            mglint::render::graph::write(&g, &[format!("tests/corpus/{file}")], json, &mut out).unwrap();
            let name = if json { format!("json__{name}") } else { name.clone() };
            insta::assert_snapshot!(name, String::from_utf8(out).unwrap());
        }
    }
}

/// Regression (review): a graph file listed after a recipe that names one of its nodes
/// was a `duplicate-id`. The user's node wins, whatever the order of the files.
#[test]
fn a_graph_file_node_wins_over_a_recipe_reference_in_any_order() {
    let recipe = (
        "m.yml".to_owned(),
        "merge_method: linear\nmodels:\n  - model: lab/x\n  - model: lab/y\n".to_owned(),
    );
    let graph = (
        "ours.yaml".to_owned(),
        "nodes:\n  - id: lab/x\n    license: cc-by-nc-4.0\n  - id: up/base\n    license: mit\n  - id: lab/y\n    license: mit\n    via: finetune\n    from: [up/base]\n"
            .to_owned(),
    );
    let mut results = Vec::new();
    for inputs in [vec![recipe.clone(), graph.clone()], vec![graph, recipe]] {
        let (g, r) = check_with(inputs, ImportOptions::default());
        let x = g.node(g.find("lab/x").unwrap());
        assert!(x.authored && x.license.as_ref().unwrap().items == ["cc-by-nc-4.0"]);
        assert_eq!(inputs_of(&g, "lab/y"), ["up/base -[finetune]"]);
        results.push(summary(&g, &r));
    }
    assert_eq!(results[0], results[1]);
    assert!(
        results[0].contains(&"error non-commercial m".to_owned()),
        "{:?}",
        results[0]
    );
}

/// Regression (review): a pinned revision missing from the cache silently read another
/// revision's card. It still falls back, and says so.
#[test]
fn a_pinned_revision_missing_from_the_cache_says_which_card_was_read() {
    let cache = fixture_cache("missing-rev");
    let recipe = "merge_method: linear\nmodels:\n  - model: lab/chat-7b@v9\n";
    let import = ImportOptions {
        hf_cache: Some(cache.clone()),
        ..Default::default()
    };
    let (g, _) = check_with(vec![("m.yml".into(), recipe.into())], import);
    let source = meta(&g, "lab/chat-7b", "license_source").unwrap();
    assert!(
        source.contains("bbb222") && source.ends_with("; revision v9 is not in the cache"),
        "{source}"
    );
    let _ = std::fs::remove_dir_all(cache);
}

/// Regression (review): `--id` was ignored when every stage of a recipe had a name.
#[test]
fn id_names_the_last_stage_when_every_stage_is_named() {
    let recipe = "name: first\nmerge_method: slerp\nmodels:\n  - model: a/b\n---\nname: second\nmerge_method: linear\nmodels:\n  - model: first\n";
    let import = ImportOptions {
        id: Some("acme/final".into()),
        ..Default::default()
    };
    let (g, _) = check_with(vec![("m.yml".into(), recipe.into())], import);
    assert_eq!(inputs_of(&g, "acme/final"), ["first -[merge]"]);
    assert!(g.find("second").is_none());
}

/// Regression (review): a front matter that never closed was read as no metadata.
#[test]
fn an_unclosed_front_matter_is_a_parse_error() {
    let errors = crate::support::errors_in("README.md", "---\nlicense: mit\nbase_model: a/b\n");
    assert_eq!(
        (errors[0].0.as_str(), errors[0].1, errors[0].2),
        ("parse-error", 1, 1),
        "{errors:?}"
    );
}

/// Regression (review): a `lora:` key next to `model:` (recipe 08) was dropped with its
/// adapters' licenses.
#[test]
fn a_lora_key_beside_model_is_an_upstream() {
    let (g, _) = check_file(&Path::new(CORPUS).join("mergekit/08-mergekit-branch-whisper-lora-key.yml"));
    let inputs = inputs_of(&g, "08-mergekit-branch-whisper-lora-key");
    assert!(inputs.iter().any(|e| e.contains("lora")), "{inputs:?}");
}

/// Regression (review): equal spellings of different local directories were one node,
/// and one directory written two ways was two.
#[test]
fn local_paths_are_relative_to_the_file_that_names_them() {
    let recipe = |name: &str| {
        (
            format!("{name}/{name}.yml"),
            "merge_method: linear\nmodels:\n  - model: ./base\n  - model: ./other\n".to_owned(),
        )
    };
    let (g, _) = check_with(vec![recipe("teamA"), recipe("teamB")], ImportOptions::default());
    assert!(g.find("teamA/base").is_some() && g.find("teamB/base").is_some());
    let two_ways = (
        "proj/sub/recipe.yml".to_owned(),
        "merge_method: linear\nmodels:\n  - model: ./x/../base\n  - model: ../sub/base\n".to_owned(),
    );
    let (g, _) = check_with(vec![two_ways], ImportOptions::default());
    assert_eq!(inputs_of(&g, "recipe"), ["proj/sub/base -[merge]"]);
}

/// Regression (review): model lists of the wrong shape were dropped with exit 0.
#[test]
fn misshapen_model_lists_are_errors_at_their_location() {
    for (recipe, line, column) in [
        ("merge_method: linear\nmodels: meta-llama/Llama-2-7b-hf\n", 2, 9),
        (
            "merge_method: linear\nmodels:\n  - modle: meta-llama/Llama-2-7b-hf\n",
            3,
            5,
        ),
        (
            "merge_method: passthrough\nslices:\n  - sources:\n      - modl: a/b\n",
            4,
            9,
        ),
        (
            "merge_method: passthrough\nslices:\n  - source:\n      - model: a/b\n",
            3,
            5,
        ),
        ("base_model: a/b\nexperts:\n  - source: c/d\n", 3, 5),
        ("merge_method: linear\nmodels:\n", 1, 1),
    ] {
        let errors = crate::support::errors_in("m.yml", recipe);
        assert!(!errors.is_empty(), "{recipe}");
        assert_eq!((errors[0].1, errors[0].2), (line, column), "{recipe}: {errors:?}");
    }
}

/// Regression (review): a card with more parents than the resolver follows hung in
/// did-you-mean searches for the parents it had not made nodes.
#[test]
fn a_card_loop_in_the_cache_stops_at_the_limit_without_dangling_references() {
    let cache = std::env::temp_dir().join(format!("mglint-hf-loop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    cache_card(&cache, "loop/a", "r1", "license: mit\nbase_model: loop/b\n");
    cache_card(&cache, "loop/b", "r1", "license: mit\nbase_model: loop/a\n");
    let import = ImportOptions {
        hf_cache: Some(cache.clone()),
        ..Default::default()
    };
    let options = CheckOptions {
        import,
        ..Default::default()
    };
    let card = "---\nbase_model: loop/a\n---\n";
    let errors = mglint::check_inputs(vec![("README.md".into(), card.into())], kb(), &options)
        .result
        .expect_err("a cycle");
    assert!(
        errors.iter().all(|e| e.code.as_str() != "dangling-reference"),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.code.as_str() == "cycle"), "{errors:?}");
    let _ = std::fs::remove_dir_all(cache);
}

/// Regression (review): small reading details of cards and references.
#[test]
fn cards_and_references_read_as_the_hub_writes_them() {
    // Blank lines before the front matter, as the Hub accepts.
    let (g, _) = check_with(
        vec![("c.md".into(), "\n\n---\nlicense: mit\n---\n".into())],
        ImportOptions::default(),
    );
    assert_eq!(g.node(g.find("c").unwrap()).license.as_ref().unwrap().items, ["mit"]);
    // A front matter that is a list is an error, not an empty card.
    let errors = crate::support::errors_in("c.md", "---\n- a\n- b\n---\n");
    assert_eq!(errors[0].0, "invalid-value", "{errors:?}");
    // A parent written as a Hub URL is its id; `license: other` points at `license_name`.
    let card = "---\nlicense: other\nlicense_name: mnpl\nbase_model: https://huggingface.co/mistralai/Codestral-22B-v0.1\n---\n";
    let (g, _) = check_with(vec![("c.md".into(), card.into())], ImportOptions::default());
    assert_eq!(inputs_of(&g, "c"), ["mistralai/Codestral-22B-v0.1 -[finetune]"]);
    assert_eq!(
        g.node(g.find("c").unwrap()).license.as_ref().unwrap().location.pos.line,
        3
    );
    // A directory that merely starts with `models--` is a path, not a cache entry; an empty
    // revision is none; mergekit's own copy of a recipe is named after its directory.
    let recipe = "merge_method: linear\nmodels:\n  - model: /srv/models--2024/llama-ft\n  - model: a/b@\n";
    let (g, _) = check_with(
        vec![("out/my-merge/mergekit_config.yml".into(), recipe.into())],
        ImportOptions::default(),
    );
    assert_eq!(
        inputs_of(&g, "my-merge"),
        ["/srv/models--2024/llama-ft -[merge]", "a/b -[merge]"]
    );
    assert_eq!(meta(&g, "a/b", "revision"), None);
}
