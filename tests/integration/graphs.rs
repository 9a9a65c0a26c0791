//! The example graphs in `graphs/`: each documents its verdict in `# expect` lines at its
//! top, which this module checks against the real report, and each has a golden JSON report.

use std::path::Path;

use crate::support::{check, graph_files, json_report, summary};

struct Expectations {
    exit: Option<i32>,
    findings: Vec<String>,
}

fn expectations(text: &str) -> Expectations {
    let mut e = Expectations {
        exit: None,
        findings: Vec::new(),
    };
    for line in text.lines().take_while(|l| l.starts_with('#') || l.trim().is_empty()) {
        if let Some(v) = line.strip_prefix("# expect-exit:") {
            e.exit = Some(v.trim().parse().expect("expect-exit is a number"));
        } else if let Some(v) = line.strip_prefix("# expect:") {
            e.findings.push(v.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    e
}

#[test]
fn there_are_at_least_eight_example_graphs_each_with_a_verdict() {
    let files = graph_files();
    assert!(files.len() >= 8, "only {} example graphs", files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        let e = expectations(&text);
        assert!(e.exit.is_some(), "{} has no `# expect-exit:` line", f.display());
        assert!(
            text.lines().next().is_some_and(|l| l.starts_with("# ") && l.len() > 20),
            "{} does not start with a comment explaining the scenario",
            f.display()
        );
    }
}

#[test]
fn example_graphs_give_their_documented_verdicts() {
    let mut failures = Vec::new();
    for f in graph_files() {
        let text = std::fs::read_to_string(&f).expect("readable");
        let e = expectations(&text);
        let (graph, report) = check(&text);
        let got = summary(&graph, &report);
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        for want in &e.findings {
            if !got.contains(want) {
                failures.push(format!("{name}: expected `{want}`, not reported"));
            }
        }
        // Errors and warnings are listed exhaustively in the expectations.
        for g in got.iter().filter(|g| !g.starts_with("info ")) {
            if !e.findings.contains(g) {
                failures.push(format!("{name}: unexpected `{g}`"));
            }
        }
        let exit = i32::from(report.count(mglint::checks::Severity::Error) > 0);
        if Some(exit) != e.exit {
            failures.push(format!("{name}: exit {exit}, expected {:?}", e.exit));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn same_pipeline_under_mg_by_nc_1_0_and_2_0_gets_different_verdicts() {
    let read = |n: &str| std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs").join(n)).unwrap();
    let (g1, r1) = check(&read("synthetic-data-mg-by-nc-1.0.yaml"));
    let (g2, r2) = check(&read("synthetic-data-mg-by-nc-2.0.yaml"));
    assert_ne!(summary(&g1, &r1), summary(&g2, &r2));
    assert!(crate::support::has(&g1, &r1, "non-commercial", "acme/student-7b"));
    assert!(!crate::support::has(&g2, &r2, "non-commercial", "acme/student-7b"));
}

#[test]
fn golden_json_reports() {
    insta::glob!("../../graphs", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).expect("readable");
        let name = format!("graphs/{}", path.file_name().unwrap().to_string_lossy());
        insta::assert_snapshot!(json_report(&name, &text));
    });
}

#[test]
fn graphs_readme_lists_every_example() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/README.md")).unwrap();
    for f in graph_files() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("`{name}`")),
            "graphs/README.md does not list {name}"
        );
    }
}
