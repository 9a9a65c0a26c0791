//! The binary as users and CI run it: exit statuses, formats, options.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::node_ids;

fn mglint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn mglint_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mglint-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const NC_SOLD: &str =
    "nodes:\n  - id: lab/base\n    license: cc-by-nc-4.0\n  - id: acme/app\n    via: finetune\n    from: [lab/base]\n";

#[test]
fn exit_status_is_0_without_errors_1_with_errors_2_on_bad_input() {
    assert_eq!(
        mglint(&["check", "graphs/clean-apache-pipeline.yaml"]).status.code(),
        Some(0)
    );
    assert_eq!(
        mglint(&["check", "graphs/merge-with-mg-by-nd-published.yaml"])
            .status
            .code(),
        Some(1)
    );
    let dir = temp_dir("exit");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "nodes:\n  - id: a\n    lisence: mit\n").unwrap();
    let o = mglint(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&o);
    assert!(text.contains("unknown-field"), "{text}");
    assert!(text.contains("bad.yaml:3:5"), "{text}");
    assert!(text.contains("did you mean `license`?"), "{text}");
    assert_eq!(mglint(&["check", "does/not/exist.yaml"]).status.code(), Some(2));
    assert_eq!(
        mglint(&["check", "--format", "yaml", "graphs/clean-apache-pipeline.yaml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn fail_on_moves_the_threshold() {
    let g = "graphs/unknown-and-missing-license-upstream.yaml";
    assert_eq!(mglint(&["check", g]).status.code(), Some(0));
    assert_eq!(mglint(&["check", "--fail-on", "warning", g]).status.code(), Some(1));
    assert_eq!(
        mglint(&[
            "check",
            "--fail-on",
            "never",
            "graphs/merge-with-mg-by-nd-published.yaml"
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        mglint(&["check", "--fail-on", "info", "graphs/clean-apache-pipeline.yaml"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn use_and_distribute_override_the_graph_intent() {
    let o = mglint_stdin(&["check", "-"], NC_SOLD);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = mglint_stdin(&["check", "--use", "non-commercial", "-"], NC_SOLD);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A node's own value beats the flag.
    let own = format!("{NC_SOLD}    use: commercial\n");
    assert_eq!(
        mglint_stdin(&["check", "--use", "non-commercial", "-"], &own)
            .status
            .code(),
        Some(1)
    );
    // The flag beats the graph's top-level intent.
    let top = format!("intent: {{ use: non-commercial }}\n{NC_SOLD}");
    assert_eq!(mglint_stdin(&["check", "-"], &top).status.code(), Some(0));
    assert_eq!(
        mglint_stdin(&["check", "--use", "commercial", "-"], &top).status.code(),
        Some(1)
    );
}

#[test]
fn json_report_has_the_documented_fields() {
    let o = mglint(&["check", "--format", "json", "graphs/merge-with-mg-by-nd-published.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "tool",
            "inputs",
            "license_files",
            "summary",
            "findings",
            "nodes"
        ]
    );
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"]["name"], "mglint");
    let f = &v["findings"][0];
    let mut fkeys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    fkeys.sort_unstable();
    assert_eq!(
        fkeys,
        [
            "code",
            "help",
            "location",
            "message",
            "node",
            "origin_licenses",
            "origins",
            "path",
            "severity"
        ]
    );
    assert_eq!(f["severity"], "error");
    assert_eq!(f["location"]["file"], "graphs/merge-with-mg-by-nd-published.yaml");
    let n = &v["nodes"][0];
    let mut nkeys: Vec<&str> = n.as_object().unwrap().keys().map(String::as_str).collect();
    nkeys.sort_unstable();
    assert_eq!(
        nkeys,
        [
            "distribute",
            "id",
            "kind",
            "license",
            "obligations",
            "suggested_license",
            "use"
        ]
    );
    let ids = node_ids(&v);
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "nodes are sorted by id");
}

#[test]
fn json_report_of_unusable_input_has_input_errors_and_zero_summary() {
    let o = mglint_stdin(
        &["check", "--format", "json", "-"],
        "nodes:\n  - id: a\n    from: [ghost]\n    via: merge\n",
    );
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    let e = &v["input_errors"][0];
    let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["code", "message", "location"]);
    assert_eq!(e["code"], "dangling-reference");
    assert_eq!(e["location"]["file"], "<stdin>");
    assert_eq!(e["location"]["line"], 3);
}

#[test]
fn several_files_form_one_graph_and_ids_declared_twice_are_reported_at_both_places() {
    let dir = temp_dir("multi");
    let a = dir.join("a.yaml");
    let b = dir.join("b.yaml");
    std::fs::write(&a, "nodes:\n  - id: lab/base\n    license: mit\n").unwrap();
    std::fs::write(&b, "nodes:\n  - id: acme/ft\n    via: finetune\n    from: [lab/base]\n").unwrap();
    let o = mglint(&["check", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    std::fs::write(&b, "nodes:\n  - id: lab/base\n    license: mit\n").unwrap();
    let o = mglint(&["check", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&o);
    assert!(text.contains("a.yaml:2:5") && text.contains("b.yaml:2:5"), "{text}");
}

#[test]
fn output_file_and_no_colour_when_not_a_terminal() {
    let dir = temp_dir("out");
    let out = dir.join("report.txt");
    let o = mglint(&[
        "check",
        "graphs/merge-with-mg-by-nd-published.yaml",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("error[no-derivatives]"), "{text}");
    assert!(!text.contains('\u{1b}'), "no ANSI escapes in a file");
    assert!(text.trim_end().ends_with("infos"), "ends with the summary line: {text}");
    let o = mglint(&[
        "check",
        "--color",
        "always",
        "graphs/merge-with-mg-by-nd-published.yaml",
    ]);
    assert!(stdout(&o).contains('\u{1b}'), "--color always colours");
}

#[test]
fn quiet_hides_infos_but_keeps_the_summary() {
    let o = mglint(&["check", "--quiet", "graphs/clean-apache-pipeline.yaml"]);
    let text = stdout(&o);
    assert!(!text.contains("note["), "{text}");
    assert!(text.contains("0 errors, 0 warnings, 6 infos"), "{text}");
}

#[test]
fn text_report_shows_snippet_path_and_help() {
    let o = mglint(&["check", "graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml"]);
    let text = stdout(&o);
    assert!(
        text.contains("error[non-commercial]: acme/support-bot-7b is used commercially"),
        "{text}"
    );
    assert!(
        text.contains("graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml:"),
        "{text}"
    );
    assert!(text.contains("- id: acme/support-bot-7b"), "snippet: {text}");
    assert!(
        text.contains("path: tatsu-lab/alpaca -[train]-> acme/support-bot-7b"),
        "{text}"
    );
    assert!(text.contains("help: "), "{text}");
}

#[test]
fn help_teaches_the_exit_statuses() {
    let o = mglint(&["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains("Exit status"), "{text}");
    assert!(text.contains("--fail-on"), "{text}");
}

#[test]
fn every_example_graph_checks_without_input_errors() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            let code = mglint(&["check", p.to_str().unwrap()]).status.code();
            assert!(matches!(code, Some(0 | 1)), "{}: exit {code:?}", p.display());
        }
    }
}

#[test]
fn readme_example_output_is_what_the_tool_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("README has a text block");
    let o = mglint(&[
        "check",
        "--quiet",
        "graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), block, "README's example output is stale");
}

#[test]
fn license_files_add_licenses_replace_builtins_and_map_models() {
    let dir = temp_dir("licenses");
    let lic = dir.join("acme-licenses.yaml");
    std::fs::write(
        &lic,
        "licenses:\n  - id: MIT\n    clauses: [attribution, non-commercial]\nmodels:\n  \"lab/*\": cc-by-nc-4.0\n",
    )
    .unwrap();
    let graph = dir.join("g.yaml");
    std::fs::write(
        &graph,
        "nodes:\n  - id: lab/base\n  - id: other/tool\n    license: mit\n  - id: acme/app\n    via: merge\n    from: [lab/base, other/tool]\n",
    )
    .unwrap();
    let o = mglint(&[
        "check",
        "--format",
        "json",
        "--licenses",
        lic.to_str().unwrap(),
        graph.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["license_files"][0], lic.to_str().unwrap());
    let codes: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["node"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("license-override".into(), "other/tool".into())),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.0 == "missing-license"),
        "lab/base is mapped: {codes:?}"
    );
    let nc = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "non-commercial")
        .expect("NC error");
    assert_eq!(nc["origins"], serde_json::json!(["lab/base", "other/tool"]));
    // Without the file: no NC from MIT, and the unlicensed root is reported.
    let o = mglint(&["check", graph.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("missing-license"));
}

#[test]
fn a_malformed_license_file_is_invalid_config_at_its_location() {
    let dir = temp_dir("badlicenses");
    let lic = dir.join("bad.yaml");
    std::fs::write(&lic, "licenses:\n  - id: acme\n    clauses: [atribution]\n").unwrap();
    let o = mglint(&[
        "check",
        "--licenses",
        lic.to_str().unwrap(),
        "graphs/clean-apache-pipeline.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&o);
    assert!(text.contains("error[invalid-config]"), "{text}");
    assert!(text.contains("bad.yaml:3:15"), "{text}");
    assert!(text.contains("did you mean `attribution`?"), "{text}");
}

#[test]
fn licenses_list_shows_every_license_as_a_table_and_as_json() {
    let o = mglint(&["licenses", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("ID "), "{text}");
    for id in [
        "MG-BY-NC-1.0",
        "MG-BY-SA-2.0",
        "Apache-2.0",
        "Llama-3.1",
        "Gemma",
        "CreativeML-OpenRAIL-M",
    ] {
        assert!(text.lines().any(|l| l.starts_with(&format!("{id} "))), "{id} missing");
    }
    let o = mglint(&["licenses", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let mg = v["licenses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["modelgo"].is_number())
        .count();
    assert_eq!(mg, 17);
    let nc = v["licenses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "CC-BY-NC-4.0")
        .unwrap();
    assert!(
        nc["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["clause"] == "non-commercial" && c["source"].is_string())
    );
}

#[test]
fn licenses_show_tells_what_travels_and_differs_between_modelgo_versions() {
    let v1 = stdout(&mglint(&["licenses", "show", "mg-by-nc-1.0"]));
    let v2 = stdout(&mglint(&["licenses", "show", "MG-BY-NC-2.0"]));
    let output_line = |t: &str| {
        t.lines()
            .find(|l| l.trim_start().starts_with("output "))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        output_line(&v1).contains("non-commercial,") || output_line(&v1).ends_with("non-commercial"),
        "{v1}"
    );
    assert!(output_line(&v2).contains("non-commercial (the generating act)"), "{v2}");
    assert!(v2.contains("§2.2(b)"), "sources are shown: {v2}");
    let o = mglint(&["licenses", "show", "mg-by-nc-3.0"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("closest: MG-BY-NC-1.0, MG-BY-NC-2.0"), "{err}");
}

/// The binary with a Hugging Face cache that does not exist, so the machine's own cache
/// never changes a result.
fn mglint_offline(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mglint"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HF_HUB_CACHE", "/nonexistent/mglint-test-cache")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    let input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        let mut input = input;
        input.write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

#[test]
fn check_reads_a_mergekit_recipe_and_names_where_upstream_licenses_came_from() {
    let o = mglint_offline(
        &[
            "check",
            "--color",
            "never",
            "tests/corpus/mergekit/23-windows-local-path-dare-ties.yml",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "llama-naming is an error");
    let out = stdout(&o);
    assert!(
        out.contains("error[llama-naming]: 23-windows-local-path-dare-ties is distributed"),
        "{out}"
    );
    assert!(
        out.contains(
            "= license: unsloth/Meta-Llama-3.1-8B-Instruct is Llama-3.1 per registry (`unsloth/Meta-Llama-3.1-*`)"
        ),
        "{out}"
    );
    // `--id` names the result, which then satisfies the Llama naming rule.
    let o = mglint_offline(
        &[
            "check",
            "--id",
            "acme/Llama-3.1-blend",
            "tests/corpus/mergekit/23-windows-local-path-dare-ties.yml",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn import_prints_a_graph_file_that_checks_the_same_in_yaml_and_json() {
    let recipe = "tests/corpus/mergekit/07-mergekit-example-mega-multidoc.yml";
    let direct = mglint_offline(&["check", "--format", "json", recipe], None);
    for format in ["yaml", "json"] {
        let imported = mglint_offline(&["import", "--format", format, recipe], None);
        assert_eq!(imported.status.code(), Some(0));
        let graph = stdout(&imported);
        let again = mglint_offline(&["check", "--format", "json", "-"], Some(&graph));
        let findings = |o: &Output| {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{} {} {}", f["severity"], f["code"], f["node"]))
                .collect::<Vec<_>>()
        };
        assert_eq!(findings(&direct), findings(&again), "{format}:\n{graph}");
        assert_eq!(direct.status.code(), again.status.code());
    }
}

#[test]
fn inputs_are_detected_from_content_or_forced_and_directories_mean_their_card() {
    // A recipe and a card on standard input.
    let recipe = "merge_method: linear\nmodels:\n  - model: mistralai/Mistral-7B-v0.1\n  - model: lab/x\n";
    let o = mglint_offline(&["import", "-"], Some(recipe));
    assert!(
        stdout(&o).contains("- { id: mistralai/Mistral-7B-v0.1, via: merge }"),
        "{}",
        stdout(&o)
    );
    let card = "---\nlicense: mit\nbase_model: mistralai/Mistral-7B-v0.1\n---\n# A fine-tune\n";
    let o = mglint_offline(&["import", "--id", "me/ft", "-"], Some(card));
    let out = stdout(&o);
    assert!(out.contains("- id: me/ft\n    license: mit\n"), "{out}");
    assert!(
        out.contains("{ id: mistralai/Mistral-7B-v0.1, via: finetune }"),
        "{out}"
    );
    // A directory holding README.md is its card; the directory names the node.
    let dir = temp_dir("card-dir").join("my-finetune");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), card).unwrap();
    let o = mglint_offline(&["import", dir.to_str().unwrap()], None);
    assert!(stdout(&o).contains("- id: my-finetune\n"), "{}", stdout(&o));
    // `--input-kind` forces the reading: this recipe is not a graph file.
    let o = mglint_offline(&["check", "--input-kind", "graph", "-"], Some(recipe));
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("unknown-field"), "{}", stdout(&o));
}

#[test]
fn import_of_unusable_input_exits_2_with_the_location_on_stderr() {
    let o = mglint_offline(&["import", "--input-kind", "mergekit", "-"], Some("dtype: float16\n"));
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("error[not-a-recipe]") && err.contains("<stdin>:1:1"),
        "{err}"
    );
}
