//! `mxspec diff`, `check --since` and `build --as-of` on git repositories made by the tests:
//! a first commit with the withheld event as it was in v1.18 (no `m.history_not_shared`)
//! and a second commit with the project's own data (the code added in v1.19).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{self, git};

fn mxspec(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("mxspec runs")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const CONTENT: &str = "data/event-schemas/schema/components/room_key_withheld_content.yaml";
const EVENT: &str = "data/event-schemas/schema/m.room_key.withheld.yaml";

/// A repository whose HEAD~1 is v1.18 and whose HEAD (and work tree) is the project's data.
fn two_commits() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&project.join("data"), &root.join("data"));
    common::copy_dir(&project.join("content"), &root.join("content"));
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "v1.19"]);
    // Rewrite history: v1.18 first, then v1.19 again on top.
    let new_content = std::fs::read_to_string(root.join(CONTENT)).unwrap();
    let new_event = std::fs::read_to_string(root.join(EVENT)).unwrap();
    edit(&root.join(CONTENT), "      - m.history_not_shared\n", "");
    edit(
        &root.join(CONTENT),
        "    x-enumAddedInMatrixVersion:\n      m.history_not_shared: \"1.19\"\n",
        "",
    );
    let event = std::fs::read_to_string(root.join(EVENT)).unwrap();
    let start = event.find("  * **[Added in").unwrap();
    let end = event.find("\n\n  In most cases").unwrap();
    std::fs::write(
        root.join(EVENT),
        format!("{}{}", event[..start].trim_end_matches('\n'), &event[end..]),
    )
    .unwrap();
    git(root, &["commit", "-qam", "v1.18", "--amend"]);
    std::fs::write(root.join(CONTENT), new_content).unwrap();
    std::fs::write(root.join(EVENT), new_event).unwrap();
    git(root, &["commit", "-qam", "v1.19"]);
    dir
}

/// `check --since REV --spec-version VERSION --format json`: exit status and report.
fn check_since(root: &Path, rev: &str, version: &str) -> (Option<i32>, serde_json::Value) {
    let out = mxspec(
        root,
        &[
            "check",
            "--since",
            rev,
            "--spec-version",
            version,
            "--format",
            "json",
        ],
    );
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("json: {}", stdout(&out)));
    (out.status.code(), json)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn diff_lists_the_semantic_changes() {
    let repo = two_commits();
    let out = mxspec(repo.path(), &["diff", "HEAD~1", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes: Vec<(String, String, String, Option<String>)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["event"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
                c["value"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (
                "description-changed".into(),
                "m.room_key.withheld".into(),
                "".into(),
                None
            ),
            (
                "enum-value-added".into(),
                "m.room_key.withheld".into(),
                "content.code".into(),
                Some("m.history_not_shared".into())
            ),
        ]
    );
    let added = &json["changes"][1];
    assert_eq!(added["file"], CONTENT);
    let line = std::fs::read_to_string(repo.path().join(CONTENT))
        .unwrap()
        .lines()
        .position(|l| l.trim() == "- m.history_not_shared")
        .unwrap()
        + 1;
    assert_eq!(added["line"], line);
    assert_eq!(added["column"], 9);
}

#[test]
fn diff_markdown_is_a_changelog() {
    let repo = two_commits();
    let out = mxspec(repo.path(), &["diff", "HEAD~1", "--format", "markdown"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("## Event schema changes since `HEAD~1`\n"),
        "{text}"
    );
    assert!(text.contains("### `m.room_key.withheld`\n"));
    assert!(text.contains("- Added the value `m.history_not_shared` to `content.code`.\n"));
}

#[test]
fn diff_finds_events_properties_types_and_requirements() {
    let repo = two_commits();
    let root = repo.path();
    // A new property, a type change, a newly required property, a removed enum value,
    // and a new event.
    edit(
        &root.join(CONTENT),
        "  reason:\n    type: string\n",
        "  reason:\n    type: integer\n  extra:\n    type: boolean\n",
    );
    edit(
        &root.join(CONTENT),
        "required:\n  - algorithm\n",
        "required:\n  - algorithm\n  - room_id\n",
    );
    edit(&root.join(CONTENT), "      - m.unavailable\n", "");
    std::fs::copy(
        root.join(EVENT),
        root.join("data/event-schemas/schema/m.room_key.other.yaml"),
    )
    .unwrap();
    let out = mxspec(root, &["diff", "HEAD", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(String, String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().into(),
                c["event"].as_str().unwrap().into(),
                c["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    let has =
        |k: &str, e: &str, p: &str| kinds.contains(&(k.to_string(), e.to_string(), p.to_string()));
    assert!(has("event-added", "m.room_key.other", ""), "{kinds:?}");
    assert!(
        has("property-added", "m.room_key.withheld", "content.extra"),
        "{kinds:?}"
    );
    assert!(
        has("type-changed", "m.room_key.withheld", "content.reason"),
        "{kinds:?}"
    );
    assert!(
        has("made-required", "m.room_key.withheld", "content.room_id"),
        "{kinds:?}"
    );
    assert!(
        has("enum-value-removed", "m.room_key.withheld", "content.code"),
        "{kinds:?}"
    );
}

#[test]
fn diff_of_a_bad_revision_is_a_usage_error() {
    let repo = two_commits();
    let out = mxspec(repo.path(), &["diff", "no-such-rev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rev"));
}

#[test]
fn since_accepts_the_annotated_addition() {
    let repo = two_commits();
    let out = mxspec(
        repo.path(),
        &[
            "check",
            "--since",
            "HEAD~1",
            "--spec-version",
            "1.19",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn since_reports_a_wrong_or_missing_version_at_the_new_item() {
    let repo = two_commits();
    let root = repo.path();
    let (status, json) = check_since(root, "HEAD~1", "1.20");
    assert_eq!(status, Some(1));
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "added-with-wrong-version");
    assert_eq!(d["file"], CONTENT);
    assert_eq!(d["column"], 9);

    // Without any annotation (neither the structured form nor the inline marker).
    edit(
        &root.join(CONTENT),
        "    x-enumAddedInMatrixVersion:\n      m.history_not_shared: \"1.19\"\n",
        "",
    );
    edit(
        &root.join(EVENT),
        "**[Added in `v1.19`]** `m.history_not_shared`",
        "`m.history_not_shared`",
    );
    // A new property without x-addedInMatrixVersion.
    edit(
        &root.join(CONTENT),
        "  reason:\n",
        "  extra:\n    type: boolean\n    description: New.\n  reason:\n",
    );
    let (status, json) = check_since(root, "HEAD~1", "1.19");
    assert_eq!(status, Some(1));
    let text = std::fs::read_to_string(root.join(CONTENT)).unwrap();
    let line_of =
        |needle: &str| text.lines().position(|l| l.trim_end() == needle).unwrap() as u64 + 1;
    let found: Vec<(String, u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        found.contains(&(
            "added-without-annotation".into(),
            line_of("      - m.history_not_shared"),
            9
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("added-without-annotation".into(), line_of("  extra:"), 3)),
        "{found:?}"
    );

    // The inline marker alone is enough for the enum value; the annotation fixes the property.
    edit(
        &root.join(EVENT),
        "`m.history_not_shared`: when",
        "**[Added in `v1.19`]** `m.history_not_shared`: when",
    );
    edit(
        &root.join(CONTENT),
        "    description: New.\n",
        "    description: New.\n    x-addedInMatrixVersion: \"1.19\"\n",
    );
    let out = mxspec(
        root,
        &["check", "--since", "HEAD~1", "--spec-version", "1.19"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn since_reads_property_names_that_hold_dots() {
    // Matrix names properties `m.relates_to`: an annotated one is accepted, a child added
    // under it without annotation is named.
    let repo = two_commits();
    let root = repo.path();
    edit(
        &root.join(CONTENT),
        "  reason:\n",
        "  m.new_thing:\n    type: object\n    x-addedInMatrixVersion: \"1.20\"\n    description: New.\n    properties:\n      inner:\n        type: string\n  reason:\n",
    );
    git(root, &["commit", "-qam", "dotted"]);
    // New since HEAD~1, and annotated: accepted.
    let (status, json) = check_since(root, "HEAD~1", "1.20");
    assert_eq!(status, Some(0), "{json}");
    edit(
        &root.join(CONTENT),
        "      inner:\n        type: string\n",
        "      inner:\n        type: string\n      later:\n        type: string\n",
    );
    let (status, json) = check_since(root, "HEAD", "1.20");
    assert_eq!(status, Some(1), "{json}");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{json}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("content.m.new_thing.later"), "{message}");
    // Annotated, it is accepted.
    edit(
        &root.join(CONTENT),
        "      later:\n        type: string\n",
        "      later:\n        type: string\n        x-addedInMatrixVersion: \"1.20\"\n",
    );
    let (status, json) = check_since(root, "HEAD", "1.20");
    assert_eq!(status, Some(0), "{json}");
}

#[test]
fn since_warns_of_removals_and_type_changes() {
    let repo = two_commits();
    let root = repo.path();
    edit(
        &root.join(CONTENT),
        "  reason:\n    type: string\n",
        // `string` to `string|null`: the examples stay valid, the type changed.
        "  reason:\n    type: [string, \"null\"]\n",
    );
    edit(&root.join(CONTENT), "      - m.unavailable\n", "");
    let out = mxspec(
        root,
        &[
            "check",
            "--since",
            "HEAD",
            "--spec-version",
            "1.20",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings only: {}",
        stdout(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"type-changed-since"), "{codes:?}");
    assert!(codes.contains(&"removed-since"), "{codes:?}");
}

#[test]
fn since_needs_a_spec_version() {
    let repo = two_commits();
    let out = mxspec(repo.path(), &["check", "--since", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(2));
}

fn build_as_of(root: &Path, version: Option<&str>) -> PathBuf {
    let out_dir = root.join(format!("out-{}", version.unwrap_or("latest")));
    let mut args = vec!["build", "--output", out_dir.to_str().unwrap()];
    if let Some(v) = version {
        args.extend(["--as-of", v]);
    }
    let out = mxspec(root, &args);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    out_dir
}

fn all_html(dir: &Path) -> String {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

#[test]
fn as_of_leaves_out_what_came_later() {
    let repo = two_commits();
    let root = repo.path();
    let before = build_as_of(root, Some("1.18"));
    let now = build_as_of(root, None);
    let (old_html, new_html) = (all_html(&before), all_html(&now));
    assert!(
        !old_html.contains("history_not_shared"),
        "1.18 has no m.history_not_shared on any page"
    );
    assert!(new_html.contains("m.history_not_shared"));
    assert!(old_html.contains(
        "<code>[m.blacklisted, m.unverified, m.unauthorised, m.unavailable, m.no_olm]</code>"
    ));
    assert!(new_html.contains("m.no_olm, m.history_not_shared]"));
    let versions: serde_json::Value =
        serde_json::from_slice(&std::fs::read(before.join("versions.json")).unwrap()).unwrap();
    assert_eq!(versions["versions"], serde_json::json!(["1.19"]));
    assert_eq!(versions["current"], "1.18");
    // The event section as of 1.18, as a snapshot.
    let page = std::fs::read_to_string(before.join("client-server-api/index.html")).unwrap();
    let start = page
        .find("<section class=\"rendered-data event\">")
        .unwrap();
    let end = page[start..].find("</section>").unwrap() + start + "</section>".len();
    insta::assert_snapshot!("withheld_as_of_1_18", &page[start..end]);
}

#[test]
fn as_of_drops_later_properties_events_and_changed_notes() {
    let repo = two_commits();
    let root = repo.path();
    let extra = "  extra:\n    type: boolean\n    description: New.\n    x-addedInMatrixVersion: \"1.20\"\n  reason:\n";
    edit(&root.join(CONTENT), "  reason:\n", extra);
    let changed = "  session_id:\n    type: string\n    x-changedInMatrixVersion:\n      \"1.20\": Now longer.\n      \"1.2\": Was shorter.\n";
    edit(
        &root.join(CONTENT),
        "  session_id:\n    type: string\n",
        changed,
    );
    // A whole event added in 1.20, shown on the page.
    let later = std::fs::read_to_string(root.join(EVENT)).unwrap().replace(
        "type: object\n",
        "type: object\nx-addedInMatrixVersion: \"1.20\"\n",
    );
    std::fs::write(
        root.join("data/event-schemas/schema/m.room_key.later.yaml"),
        later,
    )
    .unwrap();
    let page = root.join("content/client-server-api/_index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n{{{{% event event=\"m.room_key.later\" %}}}}\n"),
    )
    .unwrap();
    let mid = all_html(&build_as_of(root, Some("1.19")));
    let new = all_html(&build_as_of(root, None));
    assert!(!mid.contains("id=\"mroom_keylater\"") && new.contains("id=\"mroom_keylater\""));
    assert!(mid.contains("id=\"mroom_keywithheld\""));
    assert!(!mid.contains("<code>extra</code>") && new.contains("<code>extra</code>"));
    assert!(!mid.contains("Now longer") && new.contains("Now longer"));
    assert!(mid.contains("Was shorter"));
}

#[test]
fn as_of_leaves_out_a_section_added_later_and_warns_of_links_into_it() {
    let repo = two_commits();
    let root = repo.path();
    let page = root.join("content/client-server-api/_index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let added = "\nSee [sharing](#sharing-history).\n\n## Sharing history\n\n{{% added-in v=\"1.19\" %}}\n\nKeys of past messages.\n\n### Its rules\n\nNone.\n";
    std::fs::write(&page, format!("{text}{added}")).unwrap();
    let old = all_html(&build_as_of(root, Some("1.18")));
    let new = all_html(&build_as_of(root, None));
    for gone in [
        "id=\"sharing-history\"",
        "Keys of past messages",
        "id=\"its-rules\"",
    ] {
        assert!(!old.contains(gone) && new.contains(gone), "{gone}");
    }
    assert!(old.contains("See <a href=\"#sharing-history\">sharing</a>."));
    let out = mxspec(root, &["build", "--as-of", "1.18", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let later: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "link-to-later")
        .collect();
    assert_eq!(later.len(), 1, "{json:#}");
    assert_eq!(later[0]["severity"], "warning");
    assert!(later[0]["message"]
        .as_str()
        .unwrap()
        .contains("#sharing-history"));
    // The latest build has no such warning.
    let out = mxspec(root, &["build", "--format", "json"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("link-to-later"));
}

#[test]
fn diff_of_a_broken_tree_lists_problems_not_changes() {
    let repo = two_commits();
    let root = repo.path();
    edit(
        &root.join(CONTENT),
        "  reason:\n",
        "  reason:\n    description: one\n    description: two\n",
    );
    let out = mxspec(root, &["diff", "HEAD~1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no change list: {}", stdout(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("duplicate-key") && err.contains(CONTENT),
        "{err}"
    );
    // In the human format, the last line counts what was found; `diff` checks no schemas
    // or examples, so it does not say it checked none.
    let human = mxspec(root, &["diff", "HEAD~1"]);
    let err = String::from_utf8_lossy(&human.stderr);
    assert!(err.contains("\n2 errors, 0 warnings\n"), "{err}");
    assert!(!err.contains("checked 0 schemas"), "{err}");
}

#[test]
fn since_warns_of_a_removed_event() {
    let repo = two_commits();
    let root = repo.path();
    std::fs::remove_file(root.join(EVENT)).unwrap();
    let (status, json) = check_since(root, "HEAD", "1.20");
    let removed: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "removed-since")
        .collect();
    assert_eq!(removed.len(), 1, "{json}");
    assert_eq!(removed[0]["file"], EVENT);
    assert!(removed[0]["message"]
        .as_str()
        .unwrap()
        .contains("event `m.room_key.withheld`"));
    // The examples lost their schema: those are errors of the check itself.
    assert_eq!(status, Some(1));
}

#[test]
fn enum_version_annotations_are_checked() {
    let repo = two_commits();
    let root = repo.path();
    edit(
        &root.join(CONTENT),
        "      m.history_not_shared: \"1.19\"\n",
        "      m.history_not_sharde: 1.19\n",
    );
    let out = mxspec(root, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`m.history_not_sharde`, which is not a value")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("must be a quoted string")),
        "{messages:?}"
    );
}

/// The event of the `event-unresolved` fixture.
const SAMPLE: &str = "data/event-schemas/schema/m.sample.yaml";
/// Its dangling reference (line 4 of the fixture's m.sample.yaml).
const DANGLING: &str = "    $ref: components/sample_content.yaml\n";

#[test]
fn diff_reports_an_event_that_cannot_be_resolved() {
    // The fixture's m.sample.yaml takes its content from `components/sample_content.yaml`,
    // which does not exist. HEAD holds the event with an inline content object instead;
    // the work tree, the fixture's dangling $ref.
    let fixture = common::fixture("event-unresolved");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&fixture.join("data"), &root.join("data"));
    edit(&root.join(SAMPLE), DANGLING, "    type: object\n");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "resolved"]);
    std::fs::copy(fixture.join(SAMPLE), root.join(SAMPLE)).unwrap();

    // `check` finds the reference where it is written: `$ref: ...` of line 4, its value at
    // column 11.
    common::check_json(root).assert_exactly(&[common::error("ref-dangling", SAMPLE, 4, 11)]);

    // `diff` lists no changes: it reports the event of the work tree that cannot be
    // resolved, as a problem about the whole file (line 0, column 0), and exits 1.
    let out = mxspec(root, &["diff", "HEAD", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "no change list: {}", stdout(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    common::assert_human_exactly(&err, &[common::error("event-unresolved", SAMPLE, 0, 0)]);
    assert!(
        err.contains(
            "error[event-unresolved]: cannot resolve this event: `components/sample_content.yaml`"
        ),
        "{err}"
    );
    assert!(err.contains("cannot list the changes since HEAD"), "{err}");

    // The other way round: broken at HEAD, resolved in the work tree. The message says
    // which revision the problem is in.
    git(root, &["commit", "-qam", "broken"]);
    edit(&root.join(SAMPLE), DANGLING, "    type: object\n");
    let out = mxspec(root, &["diff", "HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "no change list: {}", stdout(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    common::assert_human_exactly(&err, &[common::error("event-unresolved", SAMPLE, 0, 0)]);
    assert!(
        err.contains("error[event-unresolved]: at HEAD: cannot resolve this event"),
        "{err}"
    );
    // Resolved on both sides since HEAD~1: no problem, no change.
    let out = mxspec(root, &["diff", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
