//! Tests: input_errors. One test per input error code of `graph-format.md` ("Errors in the
//! file"), each with its exact line and column; every error of a file is reported at once,
//! sorted by location; hostile input is an error, not a crash.

use crate::support::*;

/// The input errors of a YAML text.
fn input_errors(text: &str) -> Vec<ErrorRow> {
    errors_in("test.yaml", text)
}

/// `(code, line, column)` of every error of a YAML text.
fn where_(text: &str) -> Vec<(String, u32, u32)> {
    input_errors(text)
        .into_iter()
        .map(|(c, l, col, _, _)| (c, l, col))
        .collect()
}

fn at(code: &str, line: u32, column: u32) -> (String, u32, u32) {
    (code.to_owned(), line, column)
}

/// The only error of a text, or a panic listing them.
fn only(name: &str, text: &str) -> ErrorRow {
    let mut errors = errors_in(name, text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

// ---------------------------------------------------------------------------------------------
// parse-error
// ---------------------------------------------------------------------------------------------

#[test]
fn parse_error_bad_yaml_indentation() {
    let (code, line, column, message, _) = only("g.yaml", "nodes:\n  - id: a\n  license: MIT\n");
    assert_eq!((code.as_str(), line, column), ("parse-error", 3, 3));
    assert!(message.contains("YAML"), "{message}");
}

#[test]
fn parse_error_yaml_unclosed_quote() {
    let (code, line, column, _, _) = only("g.yaml", "nodes:\n  - id: \"unterminated\n");
    assert_eq!((code.as_str(), line, column), ("parse-error", 2, 9));
}

#[test]
fn parse_error_bad_json_with_its_line_and_column() {
    // A trailing comma: the parser stops at the `}` where a key was expected.
    let text = "{\n  \"nodes\": [\n    { \"id\": \"a\", \"license\": \"MIT\", }\n  ]\n}\n";
    let (code, line, column, message, _) = only("g.json", text);
    assert_eq!((code.as_str(), line, column), ("parse-error", 3, 36));
    assert!(message.contains("JSON"), "{message}");
}

#[test]
fn parse_error_truncated_json() {
    // Ends after column 21: the error is at the end of the input.
    let (code, line, column, message, _) = only("g.json", "{\"nodes\": [{\"id\": \"a\"");
    assert_eq!((code.as_str(), line, column), ("parse-error", 1, 22));
    assert!(message.contains("end of input"), "{message}");
}

#[test]
fn json_positions_count_characters_across_crlf_multibyte_text_and_escapes() {
    // Columns count characters, not bytes; a CRLF line break is one line break.
    let (code, line, column, _, _) = only("g.json", "{\"nodes\": [\r\n {\"id\": \"é日🦀\u{1}\"}]}");
    assert_eq!((code.as_str(), line, column), ("parse-error", 2, 13));
    // An unterminated string after multibyte text: the end of the input.
    let (code, line, column, _, _) = only("g.json", "{\"nodes\": [{\"id\": \"日本");
    assert_eq!((code.as_str(), line, column), ("parse-error", 1, 22));
    // After an escape (two characters in the file) the value is where the file has it.
    let (code, line, column, _, _) = only("g.json", "{\"nodes\": [{\"id\": \"é\\nb\", \"kind\": \"bogus\"}]}");
    assert_eq!((code.as_str(), line, column), ("invalid-value", 1, 35));
}

#[test]
fn parse_error_json_is_detected_by_content_too() {
    // Without an extension (standard input), a text starting with `{` is read as JSON.
    let (code, line, column, message, _) = only("<stdin>", "{\"nodes\": [}");
    assert_eq!((code.as_str(), line, column), ("parse-error", 1, 12));
    assert!(message.contains("JSON"), "{message}");
}

#[test]
fn a_yaml_file_in_flow_style_is_yaml_even_when_it_starts_with_a_brace() {
    assert!(errors_in("g.yaml", "{nodes: [{id: a, license: mit}]}").is_empty());
    assert!(
        errors_in("<stdin>", "{nodes: [{id: a, license: mit}]}").is_empty(),
        "sniffed JSON falls back to YAML"
    );
}

#[test]
fn parse_error_empty_file() {
    for text in ["", "  \n\n"] {
        let (code, line, column, _, _) = only("g.yaml", text);
        assert_eq!((code.as_str(), line, column), ("parse-error", 1, 1), "{text:?}");
    }
}

#[test]
fn parse_error_nul_byte() {
    let (code, line, column, message, _) = only("g.yaml", "nodes:\n  - id: a\0b\n");
    assert_eq!((code.as_str(), line, column), ("parse-error", 2, 10));
    assert!(message.contains("NUL"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// invalid-value
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_value_wrong_type() {
    assert_eq!(
        where_("nodes:\n  - id: [a]\n    license: 42\n"),
        [at("invalid-value", 2, 9), at("invalid-value", 3, 14)]
    );
    let errors = input_errors("nodes:\n  - id: [a]\n    license: 42\n");
    assert!(errors[0].3.contains("string"), "{}", errors[0].3);
}

#[test]
fn invalid_value_graph_is_not_a_map() {
    assert_eq!(where_("- a\n- b\n"), [at("invalid-value", 1, 1)]);
    assert_eq!(where_("nodes: 3\n"), [at("invalid-value", 1, 8)]);
}

#[test]
fn invalid_value_wrong_enum_with_did_you_mean() {
    let text = "nodes:
  - id: m
    license: MIT
  - id: x
    via: finetuen
    from: [m]
    use: comercial
";
    let errors = errors_in("g.yaml", text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let (code, line, column, message, help) = &errors[0];
    assert_eq!((code.as_str(), *line, *column), ("invalid-value", 5, 10));
    assert!(message.contains("finetuen"), "{message}");
    assert!(
        message.contains("did you mean `finetune`")
            || help.as_deref().is_some_and(|h| h.contains("did you mean `finetune`")),
        "{message} / {help:?}"
    );
    let (code, line, column, _, help) = &errors[1];
    assert_eq!((code.as_str(), *line, *column), ("invalid-value", 7, 10));
    assert!(help.as_deref().is_some_and(|h| h.contains("`commercial`")), "{help:?}");
}

#[test]
fn invalid_value_wrong_enum_in_json() {
    let text = "{\n  \"nodes\": [\n    { \"id\": \"a\", \"via\": \"finetuen\", \"from\": [\"a\"] }\n  ]\n}\n";
    let (code, line, column, _, help) = only("g.json", text);
    assert_eq!((code.as_str(), line, column), ("invalid-value", 3, 25));
    assert!(help.is_some_and(|h| h.contains("did you mean `finetune`")));
}

#[test]
fn invalid_value_kind_model_on_a_generated_node() {
    let text = "nodes:
  - id: m
    license: MIT
  - id: out
    kind: model
    via: generate
    from: [m]
";
    let (code, line, column, message, _) = only("g.yaml", text);
    assert_eq!((code.as_str(), line, column), ("invalid-value", 5, 11));
    assert!(message.contains("output"), "{message}");
    // `kind: output`, or no kind, is fine.
    assert_eq!(where_(&text.replace("kind: model", "kind: output")), []);
    assert_eq!(where_(&text.replace("    kind: model\n", "")), []);
}

// ---------------------------------------------------------------------------------------------
// unknown-field
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_field_with_did_you_mean() {
    let (code, line, column, message, help) = only("g.yaml", "nodes:\n  - id: m\n    lisence: MIT\n");
    assert_eq!((code.as_str(), line, column), ("unknown-field", 3, 5));
    assert!(message.contains("lisence"), "{message}");
    assert_eq!(help.as_deref(), Some("did you mean `license`?"));
}

#[test]
fn unknown_field_anywhere_but_meta() {
    let text = "intent:
  usage: commercial
nodes:
  - id: m
    license: MIT
    meta: { anything: [1, 2], nested: { ok: true } }
  - id: x
    from:
      - { id: m, via: finetune, why: tuned }
";
    assert_eq!(where_(text), [at("unknown-field", 2, 3), at("unknown-field", 9, 33)]);
}

// ---------------------------------------------------------------------------------------------
// duplicate-id, dangling-reference
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_id_reported_at_both_places() {
    let text = "nodes:
  - id: a
    license: MIT
  - id: a
    license: Apache-2.0
";
    assert_eq!(where_(text), [at("duplicate-id", 2, 5), at("duplicate-id", 4, 5)]);
    assert!(input_errors(text)[0].3.contains("`a`"));
}

#[test]
fn dangling_reference() {
    let text = "nodes:
  - id: base
    license: MIT
  - id: x
    via: finetune
    from: [ghost]
";
    let (code, line, column, message, _) = only("g.yaml", text);
    assert_eq!((code.as_str(), line, column), ("dangling-reference", 6, 12));
    assert!(message.contains("ghost"), "{message}");
    // Ids are exact (case-sensitive).
    assert_eq!(
        where_(&text.replace("[ghost]", "[Base]")),
        [at("dangling-reference", 6, 12)]
    );
}

// ---------------------------------------------------------------------------------------------
// cycle
// ---------------------------------------------------------------------------------------------

#[test]
fn cycle_of_three_named_in_order_from_the_smallest_id() {
    let text = "nodes:
  - id: c
    via: finetune
    from: [b]
  - id: a
    via: finetune
    from: [c]
  - id: b
    via: finetune
    from: [a]
";
    let (code, line, column, message, _) = only("g.yaml", text);
    // Reported at the node the cycle starts from (`a`, line 5).
    assert_eq!((code.as_str(), line, column), ("cycle", 5, 5));
    assert!(message.contains("a -> b -> c -> a"), "{message}");
    assert!(message.contains('3'), "{message}");
}

#[test]
fn cycle_names_the_shortest_cycle_and_the_component_size() {
    // One component of four nodes: a <-> b, and b -> c -> d -> b.
    let text = "nodes:
  - id: a
    via: finetune
    from: [b]
  - id: b
    via: finetune
    from: [a, d]
  - id: c
    via: finetune
    from: [b]
  - id: d
    via: finetune
    from: [c]
";
    let (code, line, column, message, _) = only("g.yaml", text);
    assert_eq!((code.as_str(), line, column), ("cycle", 2, 5));
    assert!(message.contains("a -> b -> a"), "{message}");
    assert!(message.contains("4 nodes"), "{message}");
}

#[test]
fn cycle_one_per_component() {
    let text = "nodes:
  - id: a
    via: finetune
    from: [b]
  - id: b
    via: finetune
    from: [a]
  - id: p
    via: merge
    from: [q]
  - id: q
    via: merge
    from: [p]
";
    assert_eq!(where_(text), [at("cycle", 2, 5), at("cycle", 8, 5)]);
}

#[test]
fn cycle_self_loop() {
    let (code, line, column, message, _) = only("g.yaml", "nodes:\n  - id: s\n    via: finetune\n    from: [s]\n");
    assert_eq!((code.as_str(), line, column), ("cycle", 2, 5));
    assert!(message.contains("`s`"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// missing-via, unsupported-version
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_via_on_a_bare_entry() {
    let text = "nodes:\n  - id: a\n    license: MIT\n  - id: b\n    from: [a]\n";
    let (code, line, column, _, help) = only("g.yaml", text);
    assert_eq!((code.as_str(), line, column), ("missing-via", 5, 12));
    assert!(help.is_some_and(|h| h.contains("via")));
    // A map entry without `via` on a node without one.
    let text = "nodes:\n  - id: a\n    license: MIT\n  - id: b\n    from:\n      - { id: a }\n";
    assert_eq!(where_(text), [at("missing-via", 6, 9)]);
    // The node's `via` covers bare entries; an entry's own `via` wins.
    let text = "nodes:
  - id: a
    license: MIT
  - id: b
    via: finetune
    from: [a, { id: a, via: copy }]
";
    assert_eq!(where_(text), []);
}

#[test]
fn unsupported_version() {
    let (code, line, column, _, _) = only("g.yaml", "mglint: 2\nnodes:\n  - id: a\n    license: MIT\n");
    assert_eq!((code.as_str(), line, column), ("unsupported-version", 1, 9));
    assert_eq!(where_("mglint: 1\nnodes:\n  - id: a\n    license: MIT\n"), []);
    assert_eq!(
        where_("mglint: \"1\"\nnodes:\n  - id: a\n    license: MIT\n")[0].0,
        "unsupported-version"
    );
}

// ---------------------------------------------------------------------------------------------
// limit-exceeded: an error, not a crash
// ---------------------------------------------------------------------------------------------

#[test]
fn limit_exceeded_yaml_nested_100000_deep() {
    let text = format!("nodes: {}", "[".repeat(100_000));
    let (code, line, column, _, _) = only("g.yaml", &text);
    assert_eq!(code, "limit-exceeded");
    // At one of the brackets (columns 8 to 100_007), which one depends on the limit.
    assert_eq!(line, 1);
    assert!((8..=100_007).contains(&column), "{column}");
}

#[test]
fn limit_exceeded_json_nested_100000_deep() {
    let text = format!("{{\"nodes\": {}", "[".repeat(100_000));
    let (code, line, column, _, _) = only("g.json", &text);
    assert_eq!(code, "limit-exceeded");
    assert_eq!(line, 1);
    assert!((11..=100_010).contains(&column), "{column}");
}

#[test]
fn limit_exceeded_yaml_billion_laughs() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        text.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    text.push_str("nodes: *i\n");
    let (code, line, _, _, _) = only("g.yaml", &text);
    assert_eq!(code, "limit-exceeded");
    assert!((1..=10).contains(&line), "{line}");
}

/// An id is written again in every finding and path below its node: a 100 kB id over a
/// chain of a thousand nodes made a 400 MB report from a 250 kB file.
#[test]
fn limit_exceeded_id_over_1024_characters_quoted_short() {
    let long = "r".repeat(100_000);
    let text = format!(
        "nodes:\n  - id: {long}\n    license: CC-BY-NC-4.0\n  - id: b\n    via: finetune\n    from: [{long}]\n"
    );
    // One error, at the node: the reference to it is that node's problem.
    let (code, line, column, message, _) = only("g.yaml", &text);
    assert_eq!((code.as_str(), line, column), ("limit-exceeded", 2, 5));
    assert!(message.contains("100000 characters"), "{message}");
    assert!(message.len() < 200, "the id is quoted whole: {} bytes", message.len());
}

/// Every message that quotes an id quotes an over-long one short (found in review: the
/// cycle and `missing-via` messages quoted it whole).
#[test]
fn messages_quote_over_long_ids_short() {
    let long = "c".repeat(5000);
    for text in [
        format!("nodes:\n  - id: {long}\n    via: finetune\n    from: [{long}]\n"),
        format!("nodes:\n  - id: a\n    license: MIT\n  - id: b\n    from: [{long}]\n"),
        format!("nodes:\n  - id: {long}\n    license: MIT\n  - id: {long}\n    license: MIT\n"),
    ] {
        let errors = input_errors(&text);
        assert!(!errors.is_empty());
        for (code, _, _, message, help) in errors {
            let help = help.unwrap_or_default();
            assert!(
                message.len() + help.len() < 400,
                "{code}: {} + {} bytes",
                message.len(),
                help.len()
            );
        }
    }
}

#[test]
fn limit_exceeded_dangling_reference_over_1024_characters() {
    let text = format!(
        "nodes:\n  - id: a\n    license: MIT\n  - id: b\n    via: finetune\n    from: [a, {}]\n",
        "x".repeat(1025)
    );
    let (code, line, column, message, _) = only("g.yaml", &text);
    assert_eq!((code.as_str(), line, column), ("limit-exceeded", 6, 15));
    assert!(message.contains("1025 characters"), "{message}");
}

#[test]
fn ids_of_1024_characters_are_accepted_however_many_bytes_they_take() {
    // 1024 two-byte characters: 2048 bytes, within the limit, as the schema's `maxLength`
    // (which counts characters) says.
    let id = "é".repeat(1024);
    let text = format!("nodes:\n  - id: {id}\n    license: MIT\n  - id: b\n    via: finetune\n    from: [{id}]\n");
    assert_eq!(where_(&text), []);
    assert_eq!(
        where_(&text.replacen(&id, &format!("{id}é"), 1))[0],
        at("limit-exceeded", 2, 5)
    );
}

#[test]
fn limit_exceeded_model_named_by_a_recipe_over_1024_characters() {
    let text = format!(
        "merge_method: linear\nmodels:\n  - model: a/b\n  - model: {}\n",
        "m".repeat(2000)
    );
    let (code, line, column, _, _) = only("merge.yml", &text);
    assert_eq!((code.as_str(), line, column), ("limit-exceeded", 4, 12));
}

// ---------------------------------------------------------------------------------------------
// Every error at once, sorted by location
// ---------------------------------------------------------------------------------------------

#[test]
fn all_errors_of_a_file_are_reported_at_once_sorted_by_location() {
    // Found in this order: the unknown key and the bad enum while reading, the dangling
    // reference when resolving; reported by location.
    let text = "nodes:
  - id: a
    license: MIT
  - id: b
    via: finetune
    from: [ghost]
    lisence: MIT
  - id: c
    via: finetuen
    from: [a]
";
    assert_eq!(
        where_(text),
        [
            at("dangling-reference", 6, 12),
            at("unknown-field", 7, 5),
            at("invalid-value", 9, 10),
        ]
    );
}

#[test]
fn all_errors_of_a_file_with_every_kind_of_problem() {
    let text = "mglint: 2
nodes:
  - id: a
    license: MIT
  - id: a
    license: MIT
  - id: b
    from: [a]
  - id: s
    via: finetune
    from: [s]
";
    assert_eq!(
        where_(text),
        [
            at("unsupported-version", 1, 9),
            at("duplicate-id", 3, 5),
            at("duplicate-id", 5, 5),
            at("missing-via", 8, 12),
            at("cycle", 9, 5),
        ]
    );
}

/// Each node keeps the origins of every obligation it carries: in a chain whose every
/// node declares a license that travels, each keeps the whole chain above it, which grows
/// with the square of the chain (a 1 MB file took 736 MB, a 4 MB one would take 12 GB).
/// Over the memory allowed (1 GiB by default) the graph is `limit-exceeded`.
#[test]
fn limit_exceeded_obligations_too_many_to_track() {
    let mut text = String::from("nodes:\n  - id: n0000\n    license: cc-by-nc-4.0\n");
    for i in 1..1000 {
        text += &format!(
            "  - id: n{i:04}\n    license: cc-by-nc-4.0\n    via: finetune\n    from: [n{:04}]\n",
            i - 1
        );
    }
    // 1 000 nodes keep about half a million origins: 2 MB.
    let (g, _) = check(&text);
    assert_eq!(g.nodes.len(), 1000);
    let options = mglint::checks::CheckOptions {
        max_tracked_bytes: Some(1 << 20),
        ..Default::default()
    };
    let checked = mglint::check_inputs(vec![("chain.yaml".to_owned(), text)], kb(), &options);
    let errors = error_rows(checked.result.expect_err("over the limit"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let (code, line, _, message, help) = &errors[0];
    assert_eq!((code.as_str(), *line), ("limit-exceeded", 0));
    assert!(message.contains("of its 1000 nodes they take over 1 MiB"), "{message}");
    assert!(help.as_deref().is_some_and(|h| h.contains("chain")), "{help:?}");
}
