//! Integration tests of `mxspec check`: the real binary on fixture projects.
//!
//! Each fixture under `tests/fixtures/check/<case>/data/` is a minimal project shaped like
//! upstream's `data/` folder. The expected line and column of every diagnostic are counted
//! by hand from the fixture text (1-based, in characters): a bad scalar is reported where
//! the scalar starts, an object or list at the key that holds it, the document root where
//! the document starts, and a problem with a whole file at line 0, column 0. Fixtures that
//! need big files or symlinks are made at run time in a temporary folder.

use std::fs;
use std::path::Path;

use crate::common::{
    self, check, check_json, error, fixture, manifest_dir, mxspec, mxspec_in, warning,
};

const SCHEMA: &str = "data/event-schemas/schema";
const EXAMPLES: &str = "data/event-schemas/examples";

/// Root-relative path of a file under `data/event-schemas/schema/`.
fn schema(name: &str) -> String {
    format!("{SCHEMA}/{name}")
}

/// Root-relative path of a file under `data/event-schemas/examples/`.
fn example(name: &str) -> String {
    format!("{EXAMPLES}/{name}")
}

/// A copy of the check fixture `name` at `<a temporary folder>/root`, for a test that
/// edits it: the folder (kept while the test runs) and the root.
fn fixture_copy(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    common::copy_dir(&fixture(name), &root);
    (tmp, root)
}

// ---------------------------------------------------------------------------------------
// A clean project
// ---------------------------------------------------------------------------------------

#[test]
fn clean_project_passes_with_no_diagnostics() {
    // Two schemas (m.sample and core-event-schema/event), two examples of m.sample (one
    // merging core/event.json), one inline `example` (content.body).
    let report = check_json(&fixture("clean"));
    report.assert_exactly(&[]);
    assert_eq!(report.run.status, Some(0));
    assert_eq!(
        (
            report.summary.schemas,
            report.summary.examples,
            report.summary.inline_examples
        ),
        (2, 2, 1),
        "{}",
        report.describe()
    );
}

#[test]
fn default_root_is_the_current_folder() {
    let root = fixture("example-invalid-type");
    let explicit = check_json(&root);
    let implicit = mxspec_in(Some(&root), ["check", "--format", "json"]);
    assert_eq!(implicit.status, Some(1), "{implicit:?}");
    assert_eq!(implicit.stdout, explicit.run.stdout);
    // The same project named with `./` and a trailing slash gives the same report.
    let dotted = mxspec_in(
        Some(&root.join("..")),
        [
            "check",
            "--root",
            "./example-invalid-type/",
            "--format",
            "json",
        ],
    );
    assert_eq!(dotted.stdout, explicit.run.stdout);
}

// ---------------------------------------------------------------------------------------
// Reading files: syntax, duplicate keys, budgets
// ---------------------------------------------------------------------------------------

#[test]
fn yaml_syntax_error_points_at_the_unclosed_bracket() {
    // Line 5 is `  tags: [a, b`; the `[` is column 9.
    let report = check_json(&fixture("yaml-syntax"));
    let want = error("yaml-syntax", schema("m.sample.yaml"), 5, 9);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(
        report.get(&want).message.contains('['),
        "{}",
        report.describe()
    );
    // A file that cannot be parsed is not counted as a schema.
    assert_eq!(report.summary.schemas, 0);
}

#[test]
fn a_line_indented_with_a_tab_is_an_error_at_the_tab_saying_so() {
    // Line 4 is a tab, then `type: string`: the tab shows as spaces, so the message says
    // it is there.
    let report = check_json(&fixture("yaml-tab"));
    let want = error("yaml-syntax", schema("m.sample.yaml"), 4, 1);
    let message = &report.only(&want).message;
    assert!(
        message.contains("this line is indented with a tab; YAML indents with spaces only"),
        "{message}"
    );
    // A tab inside a flow mapping is allowed: an error on its line is the parser's, at
    // the parser's column, with no word of the tab.
    let (_tmp, root) = fixture_copy("yaml-tab");
    std::fs::write(
        root.join("data/event-schemas/schema/m.sample.yaml"),
        "type: object\nx: {a: 1,\n\tb: 2 c: d: e}\n",
    )
    .unwrap();
    let report = check_json(&root);
    assert_eq!(report.diagnostics.len(), 1, "{}", report.describe());
    let d = &report.diagnostics[0];
    assert!(!d.message.contains("tab"), "{}", d.message);
    assert_ne!(d.column, 1, "{}", report.describe());
}

#[test]
fn yaml_errors_found_a_line_late_say_what_to_look_for_above() {
    let (_tmp, root) = fixture_copy("yaml-syntax");
    let file = root.join("data/event-schemas/schema/m.sample.yaml");
    let cases = [
        // A tab indents line 3; the parser stops at the end of line 2's value.
        (
            "a:\n  version: 1.0.0\n\tb: 2\n",
            3,
            1,
            "this line is indented with a tab",
        ),
        // A quote left open on line 2: the parser stops at line 3.
        (
            "a:\n  summary: \"Gets things\n  b: 2\n",
            3,
            3,
            "a quoted string that starts above may not be closed",
        ),
        // A bracket left open on line 2.
        (
            "a:\n  summary: [Gets things\n  b: 2\n",
            3,
            4,
            "look above it for a `[` or `{` left open",
        ),
        (
            "a:\n  title: {a: b\n  c: 2\n",
            3,
            4,
            "look above it for a `[` or `{` left open",
        ),
        // Anything else: the indentation above.
        (
            "a:\n  b: 1\n c: 2\n",
            3,
            2,
            "look at the indentation of the lines above it",
        ),
    ];
    for (text, line, column, hint) in cases {
        std::fs::write(&file, text).unwrap();
        let report = check_json(&root);
        let want = error("yaml-syntax", schema("m.sample.yaml"), line, column);
        let message = &report.only(&want).message;
        assert!(message.contains(hint), "{text:?}: {message}");
    }
}

#[test]
fn check_reads_what_the_pages_text_alone_shows() {
    // The page's line 6 opens `{{% event ...` and never closes it: `check` says so, as
    // `build` does, without rendering (the link into the page is build's to check).
    let report = check_json(&common::build_fixture("unclosed-shortcode"));
    let want = error("shortcode", "content/_index.md", 6, 1);
    assert!(report.only(&want).message.contains("not closed with `%}}`"));
    assert_eq!(report.run.status, Some(1));
    // A front matter that does not parse, on another page.
    let (_tmp, root) = fixture_copy("yaml-tab");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: [open\n---\nText.\n",
    )
    .unwrap();
    let report = check_json(&root);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.file == "content/_index.md"),
        "{}",
        report.describe()
    );
    // A box opened and never closed.
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: T\n---\nText.\n\n{{% boxes/note %}}\nA note.\n",
    )
    .unwrap();
    let report = check_json(&root);
    let want = error("shortcode", "content/_index.md", 6, 1);
    assert!(report.get(&want).message.contains("never closed"));
}

#[test]
fn json_syntax_error_in_an_example_fragment() {
    // A comma is missing after the `}` of line 4; the parser stops at the `"` that opens
    // `"type"` on line 5, column 5.
    let report = check_json(&fixture("json-syntax"));
    report.assert_exactly(&[error("json-syntax", example("core/event.json"), 5, 5)]);
}

#[test]
fn json_syntax_column_counts_characters_not_bytes() {
    // Line 2 is `    "content": {"body": "héllo wörld" "oops": 1},`. The comma is
    // missing before `"oops"`, whose quote is character 39 (byte 41: `é` and `ö` are two
    // bytes each in UTF-8).
    let report = check_json(&fixture("json-syntax-non-ascii"));
    report.assert_exactly(&[error("json-syntax", example("core/event.json"), 2, 39)]);
}

#[test]
fn duplicate_key_in_yaml_points_at_the_second_key() {
    // `body` is a key of `properties` on lines 3 and 5 (column 3).
    let report = check_json(&fixture("duplicate-key-yaml"));
    let want = error("duplicate-key", schema("m.sample.yaml"), 5, 3);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(report.get(&want).message.contains("body"));
}

#[test]
fn duplicate_key_in_json_points_at_the_second_key() {
    // `"type"` is on lines 2 and 4 (column 5, the opening quote).
    let report = check_json(&fixture("duplicate-key-json"));
    let want = error("duplicate-key", example("core/event.json"), 4, 5);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(report.get(&want).message.contains("type"));
}

/// Where a "billion laughs" file of lines `aN: &aN [item, ...]` crosses `limit` replayed
/// alias events: a replay of an anchored sequence emits its start and end events plus the
/// events of its items (1 per scalar, the anchor's own size per alias). Returns the 1-based
/// line and character column of the alias whose replay crosses the limit.
fn alias_bomb_breach(text: &str, limit: usize) -> Option<(u32, u32)> {
    let mut size = std::collections::HashMap::new();
    let mut total = 0usize;
    for (i, line) in text.lines().enumerate() {
        let Some(anchor_at) = line.find(": &") else {
            continue;
        };
        let anchor = line[anchor_at + 3..].split(' ').next()?;
        let open = line.find('[')?;
        let close = line.rfind(']')?;
        let mut events = 2;
        let mut at = open + 1;
        for item in line[open + 1..close].split(',') {
            let start = at + (item.len() - item.trim_start().len());
            at += item.len() + 1;
            match item.trim().strip_prefix('*') {
                Some(name) => {
                    let replay: usize = *size.get(name)?;
                    total += replay;
                    if total > limit {
                        let column = line[..start].chars().count() + 1;
                        return Some((i as u32 + 1, column as u32));
                    }
                    events += replay;
                }
                None => events += 1,
            }
        }
        size.insert(anchor.to_string(), events);
    }
    None
}

#[test]
fn yaml_alias_bomb_is_refused_at_the_alias_that_crosses_the_budget() {
    let root = fixture("yaml-budget");
    let text = fs::read_to_string(root.join(schema("m.bomb.yaml"))).unwrap();
    assert!(text.len() < 1024, "the bomb must be a small file");
    let (line, column) = alias_bomb_breach(&text, mxspec::source::MAX_ALIAS_REPLAY)
        .expect("the fixture must exceed the alias budget");
    // By hand: a replay of a0 is 12 events, a1 122, a2 1222, a3 12222. Lines a1..a3 replay
    // 120 + 1220 + 12220 = 13560 events; seven `*a3` on the a4 line bring 99114, so the
    // 8th `*a3` (line 6, column 45) crosses 100000.
    assert_eq!((line, column), (6, 45));
    let report = check_json(&root);
    report.assert_exactly(&[error("yaml-budget", schema("m.bomb.yaml"), line, column)]);
}

#[test]
fn yaml_budget_message_is_not_truncated() {
    let report = check_json(&fixture("yaml-budget"));
    let d = &report.diagnostics[0];
    assert_eq!(
        d.message.matches('(').count(),
        d.message.matches(')').count(),
        "unbalanced parentheses in {:?}",
        d.message
    );
    assert!(!d.message.ends_with("(used"), "{:?}", d.message);
}

#[test]
fn yaml_1_2_no_and_on_stay_strings() {
    // The schema's `enum: [no, on]` and `enum: [yes, off, y, n]` sit under `type: string`
    // and the examples write the same words: under YAML 1.2 every one is a string and the
    // project is clean. `true`/`false` still are booleans (`really: type: boolean`).
    let report = check_json(&fixture("yaml12-booleans"));
    report.assert_exactly(&[]);
    assert_eq!(report.summary.examples, 2);
}

// ---------------------------------------------------------------------------------------
// Examples against their schemas
// ---------------------------------------------------------------------------------------

#[test]
fn example_with_a_wrong_type_points_at_the_scalar() {
    // Line 4 is `    "body": 12`; `12` starts at column 13.
    let report = check_json(&fixture("example-invalid-type"));
    let want = error("example-invalid", example("m.sample.yaml"), 4, 13);
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/content/body");
    let d = report.get(&want);
    assert_eq!(
        d.schema_path.as_deref(),
        Some("data/event-schemas/schema/m.sample.yaml#/properties/content/properties/body/type")
    );
    assert!(d.message.contains("12"), "{}", d.message);
    assert_eq!(report.summary.examples, 1);
}

#[test]
fn example_of_a_schema_built_on_others_gets_each_error_once_at_the_schema_that_says_it() {
    // m.sample is `allOf: [state_event]`, state_event `allOf: [room_event, event]` and
    // room_event `allOf: [event]`: event.yaml is reached twice. Each wrong value is
    // reported once, with the place of the keyword it breaks, in whichever document.
    let report = check_json(&fixture("example-invalid-all-of"));
    let found: Vec<(u32, u32, &str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.line,
                d.column,
                d.instance_path.as_deref().unwrap_or(""),
                d.schema_path.as_deref().unwrap_or(""),
            )
        })
        .collect();
    let core = "data/event-schemas/schema/core-event-schema";
    let own = "data/event-schemas/schema/m.sample.yaml";
    let want = [
        (2, 11, "/type", format!("{own}#/properties/type/type")),
        (
            2,
            11,
            "/type",
            format!("{core}/event.yaml#/properties/type/type"),
        ),
        (2, 11, "/type", format!("{own}#/properties/type/enum")),
        (
            3,
            15,
            "/event_id",
            format!("{core}/room_event.yaml#/properties/event_id/type"),
        ),
        (
            4,
            16,
            "/state_key",
            format!("{core}/state_event.yaml#/properties/state_key/type"),
        ),
        (
            6,
            13,
            "/content/body",
            format!("{own}#/definitions/body/type"),
        ),
    ];
    let want: Vec<(u32, u32, &str, &str)> = want
        .iter()
        .map(|(l, c, i, s)| (*l, *c, *i, s.as_str()))
        .collect();
    assert_eq!(found, want, "{}", report.describe());
    assert!(report
        .diagnostics
        .iter()
        .all(|d| d.code == "example-invalid"));
}

#[test]
fn example_missing_a_required_key_points_at_the_holding_key_or_document_start() {
    let report = check_json(&fixture("example-invalid-required"));
    // m.sample.yaml: `content` (line 3, column 3, its opening quote) lacks `body`.
    let nested = error("example-invalid", example("m.sample.yaml"), 3, 3);
    // m.sample$no_type.yaml: the document (which starts at 1:1) lacks `type`, required
    // by core-event-schema/event.yaml through `allOf`.
    let root = error("example-invalid", example("m.sample$no_type.yaml"), 1, 1);
    report.assert_exactly(&[nested.clone(), root.clone()]);
    report.assert_instance_path(&nested, "/content");
    report.assert_instance_path(&root, "");
    assert!(report.get(&nested).message.contains("\"body\""));
    assert!(report.get(&root).message.contains("\"type\""));
    assert!(report
        .get(&root)
        .schema_path
        .as_deref()
        .unwrap()
        .starts_with("data/event-schemas/schema/core-event-schema/event.yaml#"));
}

#[test]
fn example_not_matching_a_pattern_points_at_the_quoted_scalar() {
    // Line 4 is `  room_id: "Cuyf34gef24t:localhost"`; the quote is column 12.
    let report = check_json(&fixture("example-invalid-pattern"));
    let want = error("example-invalid", example("m.sample.yaml"), 4, 12);
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/content/room_id");
    assert!(report
        .get(&want)
        .schema_path
        .as_deref()
        .unwrap()
        .ends_with("/room_id/pattern"));
}

#[test]
fn example_block_scalar_is_reported_at_its_text() {
    // Line 4 is `  room_id: |`; the offending text `not-a-room-id` is line 5, column 5,
    // which is where mxspec points (the caret lands on the value, not the indicator).
    let report = check_json(&fixture("example-invalid-block-scalar"));
    let want = error("example-invalid", example("m.sample.yaml"), 5, 5);
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/content/room_id");
}

#[test]
fn example_enum_mismatch_in_its_own_file() {
    // The example merges core/event.json but writes its own `content`; line 6 is
    // `    "code": "m.bogus"`, whose value starts at column 13.
    let report = check_json(&fixture("example-invalid-enum"));
    let want = error("example-invalid", example("m.sample.yaml"), 6, 13);
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/content/code");
    let d = report.get(&want);
    assert!(d.schema_path.as_deref().unwrap().ends_with("/code/enum"));
    assert!(d.message.contains("m.bogus"), "{}", d.message);
}

#[test]
fn example_enum_mismatch_inherited_from_the_base_points_into_the_base() {
    // The example does not write `type`, so it inherits `"org.example.custom.event"` from
    // core/event.json, line 5 `    "type": "org.example.custom.event"`, column 13. The
    // schema wants `m.sample`.
    let report = check_json(&fixture("example-invalid-enum-inherited"));
    let want = error("example-invalid", example("core/event.json"), 5, 13);
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/type");
    assert!(report
        .get(&want)
        .message
        .contains("org.example.custom.event"));
}

#[test]
fn every_problem_of_a_run_is_reported() {
    // Two independent bad examples of one schema: both are reported.
    let report = check_json(&fixture("multiple-errors"));
    let first = error("example-invalid", example("m.sample$first.yaml"), 3, 9);
    let second = error("example-invalid", example("m.sample$second.yaml"), 4, 9);
    report.assert_exactly(&[first.clone(), second.clone()]);
    report.assert_instance_path(&first, "/content/body");
    report.assert_instance_path(&second, "/content/code");
    assert_eq!(report.summary.errors, 2);
    assert_eq!(report.summary.examples, 2);
}

#[test]
fn example_without_a_schema_is_an_error_about_the_file() {
    let report = check_json(&fixture("example-no-schema"));
    let want = error("example-no-schema", example("m.orphan$variant.yaml"), 0, 0);
    let message = &report.only(&want).message;
    assert!(
        message.contains("data/event-schemas/schema/m.orphan$variant.yaml")
            && message.contains("data/event-schemas/schema/m.orphan.yaml"),
        "{message}"
    );
    // The other example, which has a schema, is still validated.
    assert_eq!(report.summary.examples, 1);
    // An example with no variant has one schema it could be: named once.
    let (_tmp, root) = fixture_copy("example-no-schema");
    let examples = root.join("data/event-schemas/examples");
    fs::rename(
        examples.join("m.orphan$variant.yaml"),
        examples.join("m.orphan.yaml"),
    )
    .unwrap();
    let report = check_json(&root);
    let want = error("example-no-schema", example("m.orphan.yaml"), 0, 0);
    let message = &report.only(&want).message;
    assert!(
        message.ends_with("expected data/event-schemas/schema/m.orphan.yaml"),
        "{message}"
    );
}

#[test]
fn a_schema_whose_example_does_not_parse_is_not_said_to_have_none() {
    // m.lonely.yaml gets an example that is not YAML: its own error, and no warning that
    // the schema has no example.
    let (_tmp, root) = lonely_with_example(b"type: m.lonely\n,,\n");
    let report = check_json(&root);
    report.assert_exactly(&[error("yaml-syntax", example("m.lonely.yaml"), 2, 1)]);
}

/// A copy of the fixture `schema-no-example` in which `m.lonely` has an example file of
/// these bytes: the folder (kept while the test runs) and the root.
fn lonely_with_example(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture_copy("schema-no-example");
    let examples = root.join("data/event-schemas/examples");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::write(examples.join("m.lonely.yaml"), bytes).unwrap();
    (tmp, root)
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte() {
    // Line 2: `key: "café"` with é in Latin-1, the tenth character.
    let (_tmp, root) = lonely_with_example(b"type: m.lonely\nkey: \"caf\xe9\"\n");
    let report = check_json(&root);
    let want = error("io", example("m.lonely.yaml"), 2, 10);
    let message = &report.only(&want).message;
    assert!(
        message.contains("not valid UTF-8 (byte 0xe9 here)"),
        "{message}"
    );
}

#[test]
fn schema_without_an_example_is_only_a_warning() {
    // components/content.yaml is not an event schema and needs no example.
    let report = check_json(&fixture("schema-no-example"));
    report.assert_exactly(&[warning("schema-no-example", schema("m.lonely.yaml"), 0, 0)]);
    assert_eq!(report.run.status, Some(0));
    assert_eq!(report.summary.schemas, 2);
}

/// One schema lookup: an event schema written in JSON pairs with its example, as a YAML
/// one does (the renderer always found it; the pairing did not).
#[test]
fn a_json_event_schema_pairs_with_its_example() {
    let report = check_json(&fixture("json-event-schema"));
    // `    "body": 12` is line 4; the value is column 13.
    report.assert_exactly(&[error("example-invalid", example("m.sample.yaml"), 4, 13)]);
    assert!(
        report.diagnostics[0]
            .message
            .contains("schema/m.sample.json"),
        "{}",
        report.diagnostics[0].message
    );
    assert_eq!(report.summary.examples, 1);
}

#[test]
fn human_output_is_coloured_only_when_asked() {
    let root = fixture("example-invalid-type");
    let plain = check(&root, "human");
    assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    assert!(
        plain.stdout.is_empty(),
        "human diagnostics go to stderr: {}",
        plain.stdout
    );
    let forced = std::process::Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .args(["check", "--root"])
        .arg(&root)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&forced.stderr);
    assert!(stderr.contains("\u{1b}["), "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap_or("");
    assert!(
        last.contains("1 error, 0 warnings"),
        "the summary comes last: {last}"
    );
}

#[test]
fn example_ref_problems() {
    let report = check_json(&fixture("example-ref"));
    report.assert_exactly(&[
        // `  $ref: 12`: not a string; the value is column 9.
        error("example-ref", example("m.sample$not_a_string.yaml"), 3, 9),
        // `    $ref: core/tags.json` next to `extra`: a list cannot take sibling keys.
        error("example-ref", example("m.sample$siblings.yaml"), 4, 11),
    ]);
    // m.sample.yaml's lone `{"$ref": "core/tags.json"}` stands for the list and validates;
    // the other two are checked too, without the base they cannot merge.
    assert_eq!(report.summary.examples, 3);
}

// ---------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------

#[test]
fn dangling_references_to_missing_files_and_pointers() {
    let report = check_json(&fixture("ref-dangling"));
    let missing_file = error("ref-dangling", schema("m.sample.yaml"), 4, 11);
    let missing_pointer = error("ref-dangling", schema("m.sample.yaml"), 6, 11);
    // `#/$defs/a/b` names `a` then `b`: the key `a/b` must be written `a~1b`.
    let unescaped = error("ref-dangling", schema("m.sample.yaml"), 8, 11);
    // An example's `$ref: core/missing.json` (line 1, column 7).
    let in_example = error("ref-dangling", example("m.sample$dangling.yaml"), 1, 7);
    // A name near a file of the same folder: that file is suggested, as the `$ref` would
    // write it (line 10).
    let typo = error("ref-dangling", schema("m.sample.yaml"), 10, 11);
    // Written encoded (line 12): the name is not as the reference writes it, so no file
    // is suggested.
    let encoded = error("ref-dangling", schema("m.sample.yaml"), 12, 11);
    report.assert_exactly(&[
        missing_file.clone(),
        missing_pointer.clone(),
        unescaped.clone(),
        typo.clone(),
        encoded.clone(),
        in_example,
    ]);
    assert!(!report.get(&encoded).message.contains("did you mean"));
    assert!(report
        .get(&missing_file)
        .message
        .contains("data/event-schemas/schema/components/missing.yaml"));
    assert!(!report.get(&missing_file).message.contains("did you mean"));
    assert!(
        report
            .get(&typo)
            .message
            .ends_with("; did you mean `components/defs.yaml#/$defs/a~1b`?"),
        "{}",
        report.get(&typo).message
    );
    assert!(report
        .get(&missing_pointer)
        .message
        .contains("#/$defs/no_such_def"));
    // A schema with a broken reference is not used: its example is not validated.
    assert_eq!(report.summary.examples, 0);
}

#[test]
fn pointer_escapes_resolve_in_schemas_and_examples() {
    // `#/$defs/a~1b` names the key `a/b`, `#/$defs/c~0d` the key `c~d`, in schema refs and
    // in example refs. m.good.yaml is valid; m.good$typed.yaml breaks both referenced
    // schemas and inherits a bad `body` from core/parts.json, which proves the validator
    // followed every escaped pointer.
    let report = check_json(&fixture("ref-pointer-escapes"));
    let slash = error("example-invalid", example("m.good$typed.yaml"), 1, 8);
    let tilde = error("example-invalid", example("m.good$typed.yaml"), 2, 8);
    // core/parts.json line 3: `  "c~d": {"body": 5}`; `5` is column 19.
    let inherited = error("example-invalid", example("core/parts.json"), 3, 19);
    report.assert_exactly(&[slash.clone(), tilde.clone(), inherited.clone()]);
    report.assert_instance_path(&slash, "/slash");
    report.assert_instance_path(&tilde, "/tilde");
    report.assert_instance_path(&inherited, "/nested/body");
    assert_eq!(
        report.get(&slash).schema_path.as_deref(),
        Some("data/event-schemas/schema/components/defs.yaml#/$defs/a~1b/type")
    );
    assert_eq!(
        report.get(&tilde).schema_path.as_deref(),
        Some("data/event-schemas/schema/components/defs.yaml#/$defs/c~0d/type")
    );
    assert_eq!(report.summary.examples, 2);
}

#[test]
fn references_leaving_the_root_are_refused() {
    let root = fixture("ref-escapes-root");
    // The target exists next to data/: refusing it is not just "file not found".
    assert!(root.join("outside.yaml").is_file());
    let report = check_json(&root);
    let in_schema = error("ref-escapes-root", schema("m.sample.yaml"), 4, 11);
    let in_example = error("ref-escapes-root", example("m.sample$escape.yaml"), 3, 9);
    report.assert_exactly(&[in_schema.clone(), in_example.clone()]);
    for want in [&in_schema, &in_example] {
        let message = &report.get(want).message;
        assert!(
            message.contains("../../../outside.yaml") && message.contains("outside data/"),
            "{message}"
        );
    }
}

#[test]
fn absolute_uris_and_paths_are_refused_not_fetched() {
    let report = check_json(&fixture("ref-unsupported"));
    let https = error("ref-unsupported", schema("m.sample.yaml"), 4, 11);
    let file = error("ref-unsupported", schema("m.sample.yaml"), 6, 11);
    let absolute = error("ref-unsupported", schema("m.sample.yaml"), 8, 11);
    let in_example = error("ref-unsupported", example("m.sample$fetch.yaml"), 1, 7);
    report.assert_exactly(&[
        https.clone(),
        file.clone(),
        absolute.clone(),
        in_example.clone(),
    ]);
    for (want, reference) in [
        (&https, "https://example.org/schemas/content.json"),
        (&file, "file:///etc/passwd"),
        (&absolute, "/etc/passwd"),
        (&in_example, "https://example.org/event.json"),
    ] {
        let message = &report.get(want).message;
        assert!(message.contains(reference), "{message}");
    }
}

#[test]
fn reference_cycles_are_reported_in_schemas_and_examples() {
    let report = check_json(&fixture("ref-cycle"));
    // components/a.yaml -> b.yaml -> a.yaml: reported at the `$ref` that closes the
    // cycle, b.yaml line 4 `    $ref: a.yaml`, column 11.
    let schemas = error("ref-cycle", schema("components/b.yaml"), 4, 11);
    // Example m.sample$cycle.yaml -> core/a.json -> core/b.json -> core/a.json, closed at
    // b.json line 2 `  "$ref": "a.json"`, column 11.
    let examples = error("ref-cycle", example("core/b.json"), 2, 11);
    // The cyclic variant is checked without the base it cannot merge, and says so.
    let partial = warning("example-partial", example("m.sample$cycle.yaml"), 0, 0);
    report.assert_exactly(&[schemas, examples.clone(), partial]);
    assert_eq!(
        cycle_chain(&report.get(&examples).message),
        vec![
            example("core/a.json"),
            example("core/b.json"),
            example("core/a.json")
        ]
    );
    // m.sample.yaml is validated, and so is the cyclic variant (without its base).
    assert_eq!(report.summary.examples, 2);
}

/// The files of a `reference cycle: x -> y -> x[; ...]` message.
fn cycle_chain(message: &str) -> Vec<String> {
    let chain = message
        .strip_prefix("reference cycle: ")
        .unwrap_or_else(|| panic!("not a cycle message: {message}"));
    let chain = chain.split(';').next().unwrap();
    chain.split(" -> ").map(str::to_string).collect()
}

#[test]
fn schema_reference_cycle_message_names_the_cycle() {
    let report = check_json(&fixture("ref-cycle"));
    let d = report.get(&error("ref-cycle", schema("components/b.yaml"), 4, 11));
    let chain = cycle_chain(&d.message);
    let (a, b) = (schema("components/a.yaml"), schema("components/b.yaml"));
    assert!(
        chain == [a.clone(), b.clone(), a.clone()] || chain == [b.clone(), a, b],
        "{chain:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------

#[test]
fn metaschema_violation_points_at_the_bad_value() {
    // Line 7 is `        type: 12`; `12` is column 15.
    let report = check_json(&fixture("schema-invalid"));
    let want = error("schema-invalid", schema("m.sample.yaml"), 7, 15);
    // The invalid schema is not compiled, so there is no second, derived error.
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/properties/content/properties/body/type");
}

#[test]
fn a_pattern_that_is_no_regex_cannot_be_compiled() {
    // Line 8 is `        pattern: "[unclosed"`: any string passes the metaschema, but
    // this one is no regular expression. It is reported where it is written (the value
    // is column 18); the schema is not compiled, so its example is not validated.
    let report = check_json(&fixture("schema-compile"));
    let want = error("schema-compile", schema("m.sample.yaml"), 8, 18);
    report.assert_exactly(std::slice::from_ref(&want));
    assert_eq!(report.run.status, Some(1));
    let message = &report.get(&want).message;
    assert!(message.contains("[unclosed"), "{message}");
    assert_eq!(report.summary.schemas, 1, "{}", report.describe());
    assert_eq!(report.summary.examples, 0, "{}", report.describe());
}

#[test]
fn a_pattern_that_is_no_regex_is_an_error_without_an_example() {
    // The same schema without its example: the pattern is checked all the same.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("schema-compile"), dir.path());
    fs::remove_file(dir.path().join(example("m.sample.yaml"))).unwrap();
    let report = check_json(dir.path());
    assert_eq!(report.run.status, Some(1), "{}", report.describe());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "schema-compile" && d.file == schema("m.sample.yaml")),
        "{}",
        report.describe()
    );
}

#[test]
fn unknown_formats_are_errors() {
    // `mx-room-id` (in string-formats.yaml), `uri` (JSON Schema) and `int64` on an
    // integer are fine.
    let report = check_json(&fixture("unknown-format"));
    let bogus = error("unknown-format", schema("m.sample.yaml"), 14, 13);
    let pattern = error("unknown-format", schema("m.sample.yaml"), 17, 23);
    let int64_on_string = error("unknown-format", schema("m.sample.yaml"), 20, 13);
    report.assert_exactly(&[bogus.clone(), pattern.clone(), int64_on_string.clone()]);
    assert!(report.get(&bogus).message.contains("`mx-bogus-id`"));
    assert!(report.get(&pattern).message.contains("x-pattern-format"));
    assert!(report.get(&int64_on_string).message.contains("`int64`"));
}

#[test]
fn bad_versions_are_errors() {
    let report = check_json(&fixture("bad-version"));
    // `x-addedInMatrixVersion: 1.10`: a number (1.1), value at column 25.
    let unquoted = error("bad-version", schema("m.sample.yaml"), 2, 25);
    // `      v1.12: ...`: the key is not a version.
    let bad_key = error("bad-version", schema("m.sample.yaml"), 12, 7);
    // `      "1.13": 14`: the value must be a text.
    let bad_text = error("bad-version", schema("m.sample.yaml"), 16, 15);
    // `    x-changedInMatrixVersion: "1.14"`: must be a map.
    let not_a_map = error("bad-version", schema("m.sample.yaml"), 19, 31);
    // `    x-addedInMatrixVersion: next`.
    let bad_added = error("bad-version", schema("m.sample.yaml"), 22, 29);
    report.assert_exactly(&[
        unquoted.clone(),
        bad_key.clone(),
        bad_text,
        not_a_map,
        bad_added.clone(),
    ]);
    let message = &report.get(&unquoted).message;
    assert!(
        message.contains("quoted") && message.contains("1.1"),
        "{message}"
    );
    assert!(report.get(&bad_key).message.contains("v1.12"));
    assert!(report.get(&bad_added).message.contains("next"));
}

#[test]
fn unquoted_changed_in_version_key_is_an_error() {
    // Line 6 is `      1.10: ...`: YAML reads the key as the number 1.1, so the text
    // says "1.1", a different, valid-looking version.
    let report = check_json(&fixture("bad-version-unquoted-key"));
    report.assert_exactly(&[error("bad-version", schema("m.sample.yaml"), 6, 7)]);
}

#[test]
fn inline_examples_are_validated_against_their_subschema() {
    let report = check_json(&fixture("inline-example-invalid"));
    // `        example: 12` under `body: type: string`: column 18.
    let scalar = error("inline-example-invalid", schema("m.sample.yaml"), 8, 18);
    // `          size: big` inside `info`'s object example: column 17.
    let nested = error("inline-example-invalid", schema("m.sample.yaml"), 15, 17);
    // `        default: medium`, not in `enum: [fast, slow]`: column 18.
    let default = error("inline-example-invalid", schema("m.sample.yaml"), 19, 18);
    // `          - [c, 4]`: the second `examples` entry, `4` at column 17.
    let examples = error("inline-example-invalid", schema("m.sample.yaml"), 26, 17);
    report.assert_exactly(&[
        scalar.clone(),
        nested.clone(),
        default.clone(),
        examples.clone(),
    ]);
    report.assert_instance_path(&scalar, "");
    report.assert_instance_path(&nested, "/size");
    report.assert_instance_path(&default, "");
    report.assert_instance_path(&examples, "/1");
    assert!(report.get(&default).message.contains("`default`"));
    assert!(report.get(&examples).message.contains("`examples`"));
    // 2 `example`s, 1 `default`, 2 `examples` entries.
    assert_eq!(report.summary.inline_examples, 5);
}

#[test]
fn invalid_root_example_of_a_schema_is_only_a_warning() {
    // `example:` at the top of the document; line 6 `  type: 42`, column 9.
    let report = check_json(&fixture("root-example-invalid"));
    let want = warning("root-example-invalid", schema("m.sample.yaml"), 6, 9);
    report.assert_exactly(std::slice::from_ref(&want));
    report.assert_instance_path(&want, "/type");
    assert_eq!(report.run.status, Some(0));
}

// ---------------------------------------------------------------------------------------
// Files made at run time: size limit and symlinks
// ---------------------------------------------------------------------------------------

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A valid project: one event schema and its example.
fn minimal_project(root: &Path) {
    write(root, &schema("m.sample.yaml"), "type: object\n");
    write(root, &example("m.sample.yaml"), "type: m.sample\n");
}

/// A valid YAML schema of exactly `size` bytes.
fn yaml_of_size(size: usize) -> String {
    let mut text = String::from("type: object\n");
    let filler = "# filler that brings this file to the size under test\n";
    while text.len() + filler.len() <= size {
        text.push_str(filler);
    }
    let rest = size - text.len();
    if rest > 0 {
        text.push_str(&"#".repeat(rest - 1));
        text.push('\n');
    }
    assert_eq!(text.len(), size);
    text
}

#[test]
fn files_over_the_size_limit_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    minimal_project(root);
    let max = mxspec::source::MAX_FILE_BYTES as usize;
    assert_eq!(max, 8 * 1024 * 1024, "README documents an 8 MiB limit");
    write(
        root,
        &schema("components/at_limit.yaml"),
        &yaml_of_size(max),
    );
    write(
        root,
        &schema("components/over_limit.yaml"),
        &yaml_of_size(max + 1),
    );
    let report = check_json(root);
    let want = error("file-too-large", schema("components/over_limit.yaml"), 0, 0);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(report.get(&want).message.contains(&(max + 1).to_string()));
    // m.sample.yaml and the file of exactly the limit were read.
    assert_eq!(report.summary.schemas, 2);
}

#[cfg(unix)]
#[test]
fn symlinks_under_data_may_not_lead_outside() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    minimal_project(&root);
    let outside = tmp.path().join("outside.yaml");
    fs::write(&outside, "type: object\n").unwrap();
    fs::create_dir_all(root.join(schema("components"))).unwrap();
    symlink(&outside, root.join(schema("components/linked.yaml"))).unwrap();
    // A link that stays inside data/ is fine.
    symlink(
        root.join(schema("m.sample.yaml")),
        root.join(schema("components/inside.yaml")),
    )
    .unwrap();
    let report = check_json(&root);
    let want = error("path-escapes-data", schema("components/linked.yaml"), 0, 0);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(report.get(&want).message.contains("outside data/"));
    assert_eq!(report.summary.schemas, 2, "m.sample.yaml and inside.yaml");
}

#[cfg(unix)]
#[test]
fn references_through_a_symlinked_folder_may_not_lead_outside() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    minimal_project(&root);
    write(
        &root,
        &schema("m.sample.yaml"),
        "type: object\nproperties:\n  content:\n    $ref: shared/x.yaml\n",
    );
    let outside = tmp.path().join("outside");
    write(&outside, "x.yaml", "type: object\n");
    symlink(&outside, root.join(schema("shared"))).unwrap();
    let report = check_json(&root);
    // `    $ref: shared/x.yaml` is line 4, column 11. The link itself is refused too, as
    // a folder of data/ that lies outside it: it is not walked.
    let reference = error("ref-escapes-root", schema("m.sample.yaml"), 4, 11);
    report.assert_exactly(&[
        reference.clone(),
        error("path-escapes-data", schema("shared"), 0, 0),
    ]);
    assert!(report.get(&reference).message.contains("outside data/"));
}

#[cfg(unix)]
#[test]
fn dangling_symlink_is_an_io_error() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    minimal_project(&root);
    fs::create_dir_all(root.join(schema("components"))).unwrap();
    symlink(
        tmp.path().join("nowhere.yaml"),
        root.join(schema("components/gone.yaml")),
    )
    .unwrap();
    let report = check_json(&root);
    report.assert_exactly(&[error("io", schema("components/gone.yaml"), 0, 0)]);
    // Emacs's lock file of a buffer being edited is such a link, and is not read.
    symlink(
        "root@host.1234:1700000000",
        root.join(schema(".#m.sample.yaml")),
    )
    .unwrap();
    let report = check_json(&root);
    report.assert_exactly(&[error("io", schema("components/gone.yaml"), 0, 0)]);
}

// ---------------------------------------------------------------------------------------
// Usage and I/O errors: exit status 2
// ---------------------------------------------------------------------------------------

#[test]
fn root_without_data_folder_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let run = check(tmp.path(), "json");
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains("no data/ folder"), "{run:?}");
}

#[test]
fn missing_root_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let run = check(&tmp.path().join("no-such-folder"), "json");
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
}

#[test]
fn unknown_flag_exits_2() {
    let run = mxspec(["check", "--no-such-flag"]);
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stderr.contains("--no-such-flag"), "{run:?}");
}

#[test]
fn unknown_format_value_exits_2() {
    let root = fixture("clean");
    let run = check(&root, "xml");
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
}

#[test]
fn unknown_subcommand_exits_2() {
    let run = mxspec(["lint"]);
    assert_eq!(run.status, Some(2), "{run:?}");
}

// ---------------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------------

#[test]
fn json_output_has_the_documented_fields() {
    let run = check(&fixture("example-invalid-type"), "json");
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&value), ["diagnostics", "summary"]);
    assert_eq!(
        keys(&value["diagnostics"][0]),
        [
            "severity",
            "code",
            "file",
            "line",
            "column",
            "instance_path",
            "schema_path",
            "message"
        ]
    );
    assert_eq!(
        keys(&value["summary"]),
        [
            "errors",
            "warnings",
            "schemas",
            "examples",
            "inline_examples",
            "api_examples"
        ]
    );
    assert_eq!(value["summary"]["errors"], 1);
    assert_eq!(value["summary"]["warnings"], 0);
}

#[test]
fn github_format_prints_workflow_commands() {
    let run = check(&fixture("example-invalid-type"), "github");
    assert_eq!(run.status, Some(1), "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with(
            "::error file=data/event-schemas/examples/m.sample.yaml,line=4,col=13,title=mxspec example-invalid::"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(" (at /content/body)"), "{}", lines[0]);
    assert_eq!(lines[1], "::notice title=mxspec check::1 error, 0 warnings");
}

#[test]
fn github_format_names_files_from_the_top_of_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec");
    common::copy_dir(&fixture("example-invalid-type"), &spec);
    let first_file = |run: &common::Run| {
        let line = run.stdout.lines().next().unwrap_or_default().to_string();
        line.split(',').next().unwrap_or_default().to_string()
    };
    let want = "::error file=spec/data/event-schemas/examples/m.sample.yaml";
    // Run from the repository's top, the root a folder of it.
    let run = common::mxspec_in(
        Some(tmp.path()),
        ["check", "--root", "spec", "--format", "github"],
    );
    assert_eq!(first_file(&run), want, "{}", run.stdout);
    // In a workflow, from anywhere: the workspace is the top.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .args(["check", "--format", "github", "--root"])
        .arg(&spec)
        .current_dir(spec.join("data"))
        .env("GITHUB_WORKSPACE", tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with(&format!("{want},")), "{stdout}");
    // A checkout into a folder of the workspace (`actions/checkout` with `path:`): paths
    // from the top of the repository, not of the workspace.
    let repo = tmp.path().join("ws/repo");
    common::copy_dir(&fixture("example-invalid-type"), &repo.join("spec"));
    common::git(&repo, &["init", "-q"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .args(["check", "--format", "github", "--root", "repo/spec"])
        .current_dir(tmp.path().join("ws"))
        .env("GITHUB_WORKSPACE", tmp.path().join("ws"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with(&format!("{want},")), "{stdout}");
    // Run from the root itself: paths from the root, as before.
    let run = common::mxspec_in(Some(&spec), ["check", "--format", "github"]);
    assert_eq!(
        first_file(&run),
        "::error file=data/event-schemas/examples/m.sample.yaml"
    );
}

#[test]
fn github_format_warning_about_a_whole_file_has_no_position() {
    let run = check(&fixture("schema-no-example"), "github");
    assert_eq!(run.status, Some(0), "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with(
            "::warning file=data/event-schemas/schema/m.lonely.yaml,title=mxspec schema-no-example::"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "::notice title=mxspec check::0 errors, 1 warning");
}

/// Escapes a workflow-command property value as GitHub documents it.
fn github_property(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[test]
fn github_format_reports_what_json_reports() {
    for case in [
        "bad-version",
        "ref-cycle",
        "example-invalid-required",
        "example-no-schema",
        "inline-example-invalid",
        "ref-pointer-escapes",
    ] {
        let root = fixture(case);
        let report = check_json(&root);
        let run = check(&root, "github");
        assert_eq!(run.status, report.run.status, "{case}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), report.diagnostics.len() + 1, "{case}");
        for (line, d) in lines.iter().zip(&report.diagnostics) {
            let position = if d.line > 0 {
                format!(",line={},col={}", d.line, d.column)
            } else {
                String::new()
            };
            let prefix = format!(
                "::{} file={}{position},title=mxspec {}::",
                d.severity,
                github_property(&d.file),
                github_property(&d.code)
            );
            assert!(line.starts_with(&prefix), "{case}: {line}\nwanted {prefix}");
        }
        assert_eq!(
            lines.last().copied(),
            Some(
                format!(
                    "::notice title=mxspec check::{} error{}, {} warning{}",
                    report.summary.errors,
                    if report.summary.errors == 1 { "" } else { "s" },
                    report.summary.warnings,
                    if report.summary.warnings == 1 {
                        ""
                    } else {
                        "s"
                    }
                )
                .as_str()
            ),
            "{case}"
        );
    }
}

#[test]
fn human_format_quotes_the_line_with_a_caret() {
    let run = check(&fixture("example-invalid-type"), "human");
    assert_eq!(run.status, Some(1), "{run:?}");
    assert!(
        run.stderr
            .contains(" --> data/event-schemas/examples/m.sample.yaml:4:13\n"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!("human_example_invalid_type", run.stderr);
}

// ---------------------------------------------------------------------------------------
// The real corpus
// ---------------------------------------------------------------------------------------

#[test]
fn upstream_corpus_is_clean() {
    let root = manifest_dir().join("../shared/corpus/matrix-spec");
    if !root.is_dir() {
        eprintln!("skipping: ../shared/corpus/matrix-spec is absent");
        return;
    }
    let examples = fs::read_dir(root.join(EXAMPLES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .count();
    assert!(examples > 0, "the corpus has no examples");
    let report = check_json(&root);
    assert_eq!(report.run.status, Some(0), "{}", report.describe());
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    assert_eq!(report.summary.examples, examples, "{}", report.describe());
}

#[test]
fn an_unreadable_file_is_reported_once_not_at_every_reference() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::manifest_dir().join("data"),
        &dir.path().join("data"),
    );
    let component = dir
        .path()
        .join("data/event-schemas/schema/components/room_key_withheld_content.yaml");
    let text = std::fs::read_to_string(&component).unwrap();
    std::fs::write(&component, text.replacen("  reason:\n", "  reason: [\n", 1)).unwrap();
    let report = check_json(dir.path());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["yaml-syntax"], "{}", report.describe());
}

/// The whole upstream snapshot checks clean: its API example payloads are data, not
/// schemas, and pointers into keys such as `^!` resolve.
#[test]
fn the_upstream_snapshot_checks_without_errors() {
    let Some(root) = common::upstream() else {
        return;
    };
    let report = check_json(&root);
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    assert!(report.summary.examples >= 83, "{}", report.describe());
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| !d.file.contains("/api/") || d.severity == "warning"),
        "{}",
        report.describe()
    );
}
