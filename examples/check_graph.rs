//! Checks a graph file with the library and prints its errors.
//!
//! `cargo run --example check_graph -- graphs/merge-with-mg-by-nd-published.yaml`

use mglint::checks::{CheckOptions, Severity};
use mglint::kb::KnowledgeBase;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "graphs/merge-with-mg-by-nd-published.yaml".to_owned());
    let text = std::fs::read_to_string(&path)?;
    let kb = KnowledgeBase::builtin();
    let checked = mglint::check_inputs(vec![(path.clone(), text)], &kb, &CheckOptions::default());
    match checked.result {
        Err(errors) => {
            for e in errors {
                println!("input error [{}]: {}", e.code.as_str(), e.message);
            }
        }
        Ok((graph, report)) => {
            for f in report.findings(&graph, &kb).filter(|f| f.severity == Severity::Error) {
                let origins: Vec<&str> = f.origins.iter().map(|&o| graph.node(o).id.as_str()).collect();
                println!(
                    "{} on {} (from {}): {}",
                    f.code.as_str(),
                    graph.node(f.node).id,
                    origins.join(", "),
                    f.help
                );
            }
            println!(
                "{} errors in {} nodes",
                report.count(Severity::Error),
                graph.nodes.len()
            );
        }
    }
    Ok(())
}
