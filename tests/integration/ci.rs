//! mglint in CI: SARIF (checked against the SARIF object model), GitHub workflow
//! commands, and the policy file (intent, deny/allow, severities, reasoned exceptions).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NC_SOLD: &str = "graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml";

/// A scratch directory holding a copy of the README's example graph.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mglint-ci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(NC_SOLD, dir.join("lineage.yaml")).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(args)
        .current_dir(dir)
        .env("HF_HUB_CACHE", "/nonexistent/mglint-test-cache")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// `code node` of every finding that counts (not suppressed), and of the suppressed ones.
fn findings(report: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let mut counted = Vec::new();
    let mut suppressed = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        let row = format!("{} {}", f["code"].as_str().unwrap(), f["node"].as_str().unwrap());
        if f.get("suppressed").is_some() {
            suppressed.push(row);
        } else {
            counted.push(row);
        }
    }
    (counted, suppressed)
}

#[test]
fn sarif_follows_the_object_model_with_rules_locations_fingerprints_and_suppressions() {
    let dir = workspace("sarif");
    std::fs::write(
        dir.join("mglint.toml"),
        "[[exceptions]]\ncode = \"non-commercial\"\nnode = \"acme/support-bot-7b\"\nreason = \"licensed from Stanford, 2026-03-01\"\n",
    )
    .unwrap();
    let out = run(&dir, &["check", "--format", "sarif", "lineage.yaml"]);
    let sarif: serde_sarif::sarif::Sarif =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not SARIF 2.1.0: {e}\n{}", stdout(&out)));
    assert_eq!(serde_json::to_value(&sarif.version).unwrap(), "2.1.0");
    assert_eq!(sarif.runs.len(), 1);
    let raw = json(&out);
    let run0 = &raw["runs"][0];
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for code in mglint::checks::Code::ALL {
        assert!(rules.contains(&code.as_str()), "no rule for {}", code.as_str());
    }
    let results = run0["results"].as_array().unwrap();
    let mismatch = results
        .iter()
        .find(|r| r["ruleId"] == "license-mismatch")
        .expect("a result");
    assert_eq!(mismatch["level"], "error");
    let loc = &mismatch["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "lineage.yaml");
    assert_eq!(
        (
            loc["region"]["startLine"].as_u64(),
            loc["region"]["startColumn"].as_u64()
        ),
        (Some(39), Some(14))
    );
    assert!(mismatch["partialFingerprints"]["mglintFinding/v1"].is_string());
    assert_eq!(
        rules[mismatch["ruleIndex"].as_u64().unwrap() as usize],
        "license-mismatch"
    );
    let nc = results.iter().find(|r| r["ruleId"] == "non-commercial").unwrap();
    assert_eq!(
        nc["suppressions"][0]["justification"],
        "licensed from Stanford, 2026-03-01"
    );
    // The suppressed error no longer fails the run; the license mismatch still does.
    assert_eq!(out.status.code(), Some(1));
    // Input errors are results too.
    std::fs::write(dir.join("broken.yaml"), "nodes:\n  - id: a\n    kind: robot\n").unwrap();
    let out = run(&dir, &["check", "--no-policy", "--format", "sarif", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let raw = json(&out);
    let r = &raw["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "invalid-value");
    assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
}

#[test]
fn github_format_prints_workflow_commands_at_the_line() {
    let dir = workspace("github");
    let out = run(&dir, &["check", "--format", "github", "lineage.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=lineage.yaml,line=38,col=5,title=mglint non-commercial::acme/support-bot-7b is used commercially"
        )),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("::notice file=lineage.yaml,")),
        "{text}"
    );
}

/// Intent precedence, field by field: the node's own, `--use`/`--distribute`, the graph's
/// top-level intent, the policy's `[intent]`, the built-in default.
#[test]
fn intent_precedence_is_node_then_flags_then_graph_then_policy_then_default() {
    let dir = workspace("intent");
    let graph = "nodes:\n  - id: lab/base\n    license: cc-by-nc-4.0\n  - id: acme/app\n    via: finetune\n    from: [lab/base]\n";
    std::fs::write(dir.join("bare.yaml"), graph).unwrap();
    std::fs::write(dir.join("mglint.toml"), "[intent]\nuse = \"non-commercial\"\n").unwrap();
    // Policy over the default: non-commercial, so no error.
    assert_eq!(run(&dir, &["check", "bare.yaml"]).status.code(), Some(0));
    // Without the policy, the default (commercial) applies.
    assert_eq!(run(&dir, &["check", "--no-policy", "bare.yaml"]).status.code(), Some(1));
    // The graph's own intent over the policy.
    std::fs::write(
        dir.join("stated.yaml"),
        format!("intent: {{ use: commercial }}\n{graph}"),
    )
    .unwrap();
    assert_eq!(run(&dir, &["check", "stated.yaml"]).status.code(), Some(1));
    // The flag over the graph.
    assert_eq!(
        run(&dir, &["check", "--use", "non-commercial", "stated.yaml"])
            .status
            .code(),
        Some(0)
    );
    // The node's own over the flag.
    let own = graph.replace("    from: [lab/base]\n", "    from: [lab/base]\n    use: commercial\n");
    std::fs::write(dir.join("own.yaml"), own).unwrap();
    assert_eq!(
        run(&dir, &["check", "--use", "non-commercial", "own.yaml"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn policy_denies_allows_overrides_severities_and_accepts_reasoned_exceptions() {
    let dir = workspace("policy");
    std::fs::write(
        dir.join("team.toml"),
        r#"
[licenses]
deny = ["CC-BY-NC-4.0"]
allow = ["llama2", "cc-by-nc-4.0"]

[severity]
license-mismatch = "warning"
attribution = "allow"

[[exceptions]]
code = "non-commercial"
node = "acme/support-bot-7b"
origin = "tatsu-lab/alpaca"
reason = "written permission"

[[exceptions]]
code = "no-derivatives"
node = "acme/renamed"
reason = "old"
"#,
    )
    .unwrap();
    let out = run(
        &dir,
        &["check", "--policy", "team.toml", "--format", "json", "lineage.yaml"],
    );
    let report = json(&out);
    let (counted, suppressed) = findings(&report);
    assert_eq!(suppressed, ["non-commercial acme/support-bot-7b"]);
    // Denied where declared and where inherited; OpenAssistant's apache-2.0 is outside `allow`.
    for row in [
        "denied-license acme/support-bot-7b",
        "denied-license tatsu-lab/alpaca",
        "denied-license OpenAssistant/oasst1",
        "unused-exception acme/renamed",
    ] {
        assert!(counted.contains(&row.to_owned()), "{row}: {counted:?}");
    }
    assert!(!counted.iter().any(|r| r.starts_with("attribution ")), "{counted:?}");
    let mismatch = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "license-mismatch")
        .unwrap();
    assert_eq!(mismatch["severity"], "warning");
    let unused = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unused-exception")
        .unwrap();
    assert_eq!(unused["location"]["file"], "team.toml");
    assert_eq!(out.status.code(), Some(1), "denied licenses are errors");
}

#[test]
fn an_exception_with_several_origins_needs_them_all() {
    let dir = workspace("origins");
    let graph = "intent: { use: commercial }\nnodes:\n  - id: a\n    license: cc-by-nc-4.0\n  - id: b\n    license: cc-by-nc-4.0\n  - id: m\n    via: merge\n    from: [a, b]\n";
    std::fs::write(dir.join("m.yaml"), graph).unwrap();
    let exception = |origin: &str| {
        format!("[[exceptions]]\ncode = \"non-commercial\"\nnode = \"m\"\norigin = \"{origin}\"\nreason = \"ok\"\n")
    };
    std::fs::write(dir.join("one.toml"), exception("a")).unwrap();
    let out = run(&dir, &["check", "--policy", "one.toml", "--format", "json", "m.yaml"]);
    assert!(findings(&json(&out)).0.contains(&"non-commercial m".to_owned()));
    std::fs::write(dir.join("both.toml"), exception("a") + &exception("b")).unwrap();
    let out = run(&dir, &["check", "--policy", "both.toml", "--format", "json", "m.yaml"]);
    assert_eq!(findings(&json(&out)).1, ["non-commercial m"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_policy_error_is_invalid_config_at_its_line_and_column() {
    let dir = workspace("bad-policy");
    std::fs::write(
        dir.join("mglint.toml"),
        "[[exceptions]]\ncode = \"non-commercial\"\nnode = \"x\"\n\n[severity]\nreview-needed = \"fatal\"\n",
    )
    .unwrap();
    let out = run(&dir, &["check", "lineage.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("error[invalid-config]: an exception needs a `reason`") && text.contains("mglint.toml:1:1"),
        "{text}"
    );
    assert!(text.contains("mglint.toml:6:18"), "{text}");
}

/// `mglint init` writes a template that is a valid policy as written and with every
/// example uncommented; it never overwrites a file.
#[test]
fn init_writes_a_template_whose_examples_are_valid() {
    let kb = crate::support::kb();
    let template = mglint::policy::TEMPLATE;
    assert_eq!(
        mglint::policy::parse(template, 0, kb),
        Ok(mglint::policy::Policy::default())
    );
    let uncommented: String = template
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest.starts_with("[[") => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let policy = mglint::policy::parse(&uncommented, 0, kb).expect("the examples are valid");
    assert_eq!(policy.exceptions.len(), 1);
    assert_eq!(policy.deny.len(), 2);
    let dir = workspace("init");
    let out = run(&dir, &["init", "-o", "mglint.toml"]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(dir.join("mglint.toml")).unwrap(), template);
    assert_eq!(run(&dir, &["init", "-o", "mglint.toml"]).status.code(), Some(2));
    // `-o -` is standard output, not a file named `-`.
    let out = run(&dir, &["init", "-o", "-"]);
    assert_eq!(stdout(&out), template);
    assert!(!dir.join("-").exists());
}

#[test]
fn completions_and_the_man_page_are_generated() {
    let dir = workspace("completions");
    let bash = run(&dir, &["completions", "bash"]);
    assert!(stdout(&bash).contains("mglint") && stdout(&bash).contains("--format"));
    let man = run(&dir, &["man"]);
    assert!(
        stdout(&man).starts_with(".ie") || stdout(&man).contains(".TH mglint"),
        "{}",
        stdout(&man)
    );
}

/// The README's example in every format, with a policy that excepts one finding and has
/// one stale exception: golden outputs (reviewed by eye) and their exit statuses.
#[test]
fn golden_outputs_in_every_format() {
    let dir = workspace("golden");
    std::fs::write(
        dir.join("mglint.toml"),
        "[severity]\nattribution = \"allow\"\nlicense-copy = \"allow\"\nuse-restrictions = \"allow\"\nlicense-terms = \"allow\"\n\n\
         [[exceptions]]\ncode = \"license-mismatch\"\nnode = \"acme/support-bot-7b\"\nreason = \"relicensing agreed with legal, ticket LEGAL-42\"\n\n\
         [[exceptions]]\ncode = \"no-derivatives\"\nnode = \"acme/old-merge\"\nreason = \"merge retired\"\n",
    )
    .unwrap();
    for format in ["text", "json", "sarif", "github"] {
        let out = run(&dir, &["check", "--color", "never", "--format", format, "lineage.yaml"]);
        assert_eq!(out.status.code(), Some(1), "{format}: the NC error still fails the run");
        let mut shown = stdout(&out);
        if format == "json" || format == "sarif" {
            // Pretty-printed, with the version-dependent fields fixed, for review.
            let mut v: serde_json::Value = serde_json::from_str(&shown).unwrap();
            if format == "json" {
                v["tool"]["version"] = "X".into();
                v["tool"]["knowledge_base"] = "X".into();
            } else {
                v["runs"][0]["tool"]["driver"]["version"] = "X".into();
            }
            shown = serde_json::to_string_pretty(&v).unwrap();
        }
        insta::assert_snapshot!(format!("readme_example_{format}"), shown);
    }
}

/// Regressions from the CI review.
#[test]
fn an_allowlist_fails_a_recipe_whose_imported_bases_are_outside_it() {
    let dir = workspace("allow-recipe");
    std::fs::write(dir.join("mglint.toml"), "[licenses]\nallow = [\"Apache-2.0\"]\n").unwrap();
    std::fs::write(
        dir.join("merge.yml"),
        "merge_method: slerp\nbase_model: mistralai/Mistral-7B-v0.1\nmodels:\n  - model: meta-llama/Meta-Llama-3-8B-Instruct\n  - model: mistralai/Mistral-7B-v0.1\n",
    )
    .unwrap();
    let out = run(
        &dir,
        &["check", "--id", "acme/Llama-3-merge", "--format", "json", "merge.yml"],
    );
    let report = json(&out);
    let denied = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "denied-license" && f["node"] == "meta-llama/Meta-Llama-3-8B-Instruct")
        .expect("denied");
    assert_eq!(denied["severity"], "error");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_or_license_takes_the_branch_the_policy_allows() {
    let dir = workspace("or-policy");
    std::fs::write(dir.join("mglint.toml"), "[licenses]\ndeny = [\"AGPL-3.0\"]\n").unwrap();
    std::fs::write(
        dir.join("g.yaml"),
        "nodes:\n  - id: org/dual\n    license: AGPL-3.0 OR MIT\n  - id: acme/app\n    license: MIT\n    via: finetune\n    from: [org/dual]\n",
    )
    .unwrap();
    let out = run(&dir, &["check", "--format", "json", "g.yaml"]);
    let (counted, _) = findings(&json(&out));
    assert!(!counted.iter().any(|f| f.starts_with("denied-license")), "{counted:?}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn every_sarif_result_has_a_location_even_for_a_missing_file() {
    let dir = workspace("sarif-missing");
    let out = run(&dir, &["check", "--format", "sarif", "./missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "missing.yaml");
    assert_eq!(loc["region"]["startLine"], 1);
    assert!(
        v["runs"][0]["tool"]["driver"]["rules"][0].get("helpUri").is_none(),
        "no relative helpUri"
    );
}
