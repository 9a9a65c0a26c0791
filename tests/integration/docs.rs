//! The docs say what the tool does: every code has its section in `docs/diagnostics.md`,
//! and every example there prints what the page shows.

use std::path::Path;
use std::process::Command;

use mglint::checks::Code;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("doc exists")
}

/// The first fenced block of a language after `from` in `text`.
fn fenced<'a>(text: &'a str, lang: &str) -> Option<&'a str> {
    let start = text.find(&format!("```{lang}\n"))? + lang.len() + 4;
    let end = text[start..].find("```")?;
    Some(&text[start..start + end])
}

#[test]
fn every_finding_code_has_a_section_in_diagnostics_md() {
    let doc = read("docs/diagnostics.md");
    for code in Code::ALL {
        assert!(
            doc.contains(&format!("\n## `{}`\n", code.as_str())),
            "docs/diagnostics.md has no section for `{}`",
            code.as_str()
        );
    }
}

#[test]
fn diagnostics_md_examples_print_what_the_page_shows() {
    let doc = read("docs/diagnostics.md");
    let findings_part = doc.split("\n# Input errors").next().expect("page");
    let dir = std::env::temp_dir().join(format!("mglint-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    for section in findings_part.split("\n## `").skip(1) {
        let code = section.split('`').next().unwrap();
        let (Some(yaml), Some(shown)) = (fenced(section, "yaml"), fenced(section, "text")) else {
            continue;
        };
        std::fs::write(dir.join("lineage.yaml"), yaml).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
            .args(["check", "--color", "never", "lineage.yaml"])
            .current_dir(&dir)
            .output()
            .unwrap();
        let printed = String::from_utf8(out.stdout).unwrap();
        assert!(
            printed.contains(shown.trim_end()),
            "docs/diagnostics.md `{code}`: the example now prints\n{printed}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} examples checked");
}

#[test]
fn docs_licenses_md_is_generated_from_the_knowledge_base() {
    let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
        .args(["licenses", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let fresh = String::from_utf8(out.stdout).unwrap();
    assert!(fresh.contains("## MG-BY-NC-2.0") && fresh.contains("| output | non-commercial (the generating act)"));
    assert_eq!(
        read("docs/licenses.md"),
        fresh,
        "docs/licenses.md is stale: regenerate it with `cargo run -- licenses --format markdown > docs/licenses.md`"
    );
}

/// The worked examples of the importer and diagram docs: each ```console block starts with
/// `$ mglint ARGS` (run from the repository root, offline: no Hugging Face cache) and the
/// rest of the block is exactly what it prints.
#[test]
fn importer_docs_examples_print_what_the_pages_show() {
    let mut checked = 0;
    for page in ["docs/mergekit.md", "docs/model-cards.md", "docs/diagrams.md"] {
        let doc = read(page);
        for block in doc.split("```console\n").skip(1) {
            let block = &block[..block.find("```").expect("closed block")];
            let (command, shown) = block.split_once('\n').expect("a command line");
            let args: Vec<&str> = command
                .strip_prefix("$ mglint ")
                .unwrap_or_else(|| panic!("{page}: `{command}` does not start with `$ mglint `"))
                .split_whitespace()
                .collect();
            let out = Command::new(env!("CARGO_BIN_EXE_mglint"))
                .args(&args)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("HF_HUB_CACHE", "/nonexistent/mglint-docs-cache")
                .output()
                .unwrap();
            let printed = String::from_utf8(out.stdout).unwrap();
            assert_eq!(printed, shown, "{page}: `{command}` now prints\n{printed}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} examples checked");
}
