//! `recheck` (what `serve` runs after a save) finds exactly what a fresh `check` finds.

use std::collections::BTreeSet;
use std::path::Path;

use mxspec::check::{check_root, recheck};
use mxspec::diagnostics::Diagnostic;

use crate::common;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
        &dir.path().join("data"),
    );
    dir
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> BTreeSet<String> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    BTreeSet::from([rel.to_string()])
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<(String, &'static str, u32, u32, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.file.clone(),
                d.code.as_str(),
                d.line,
                d.column,
                d.message.clone(),
            )
        })
        .collect()
}

/// Applies each edit in turn; after each, the recheck equals a fresh check.
fn assert_recheck_matches(edits: &[(&str, &str, &str)]) {
    let dir = project();
    assert_recheck_matches_in(dir.path(), edits);
}

/// [`assert_recheck_matches`] on the project at `root`.
fn assert_recheck_matches_in(root: &Path, edits: &[(&str, &str, &str)]) {
    let mut report = check_root(root).unwrap();
    for (rel, from, to) in edits {
        let changed = edit(root, rel, from, to);
        report = recheck(report, &changed).unwrap();
        let fresh = check_root(root).unwrap();
        assert_eq!(
            codes(&report.diagnostics),
            codes(&fresh.diagnostics),
            "after editing {rel}"
        );
        assert_eq!(report.summary, fresh.summary, "after editing {rel}");
    }
}

const EXAMPLE: &str = "data/event-schemas/examples/m.room_key.withheld.yaml";
const CONTENT: &str = "data/event-schemas/schema/components/room_key_withheld_content.yaml";
const EVENT: &str = "data/event-schemas/schema/m.room_key.withheld.yaml";
const BASE: &str = "data/event-schemas/examples/core/event.json";

#[test]
fn a_bad_example_value_is_found_and_then_cleared() {
    assert_recheck_matches(&[
        (EXAMPLE, "\"m.unverified\"", "\"m.bogus\""),
        (EXAMPLE, "\"m.bogus\"", "\"m.unverified\""),
    ]);
}

#[test]
fn a_change_to_a_referenced_component_revalidates_the_examples_of_its_events() {
    // Removing `m.unverified` from the enum makes the example (which uses it) invalid,
    // although neither the example nor the event schema file changed.
    assert_recheck_matches(&[
        (CONTENT, "      - m.unverified\n", ""),
        (
            CONTENT,
            "      - m.blacklisted\n",
            "      - m.blacklisted\n      - m.unverified\n",
        ),
    ]);
}

#[test]
fn a_change_to_an_example_base_revalidates_the_examples_that_merge_it() {
    // Without its own `type`, the example inherits the base's, which the event's enum
    // refuses; fixing the base alone must clear the error.
    assert_recheck_matches(&[
        (EXAMPLE, "  \"type\": \"m.room_key.withheld\",\n", ""),
        (
            BASE,
            "\"org.example.custom.event\"",
            "\"m.room_key.withheld\"",
        ),
    ]);
}

#[test]
fn syntax_errors_metaschema_and_annotations_follow_edits() {
    assert_recheck_matches(&[
        (EVENT, "type: object\n", "type: objekt\n"),
        (EVENT, "type: objekt\n", "type: object\n"),
        (CONTENT, "format: mx-room-id", "format: mx-nope"),
        (CONTENT, "  reason:\n", "  reason: [\n"),
        (CONTENT, "  reason: [\n", "  reason:\n"),
    ]);
}

#[test]
fn a_change_to_a_file_an_inline_example_merges_revalidates_it() {
    let dir = project();
    let root = dir.path();
    let schema = "data/event-schemas/schema/m.inline_ref.yaml";
    let fragment = "data/event-schemas/examples/core/inline-info.json";
    std::fs::write(
        root.join(schema),
        "$schema: https://json-schema.org/draft/2020-12/schema\ntype: object\nproperties:\n  info:\n    type: object\n    properties:\n      n: {type: integer}\n    example:\n      $ref: ../examples/core/inline-info.json\n",
    )
    .unwrap();
    std::fs::write(root.join(fragment), "{\"n\": 1}\n").unwrap();
    assert_recheck_matches_in(
        root,
        &[(fragment, "1", "\"one\""), (fragment, "\"one\"", "1")],
    );
    // The wrong value was found (and cleared again above).
    edit(root, fragment, "1", "\"one\"");
    let found = check_root(root).unwrap();
    assert!(
        found
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "inline-example-invalid"),
        "{:?}",
        codes(&found.diagnostics)
    );
}
