//! `mxspec changelog` and the news-fragment checks of `mxspec check`.
//!
//! `tests/fixtures/changelog/base/` is a small changelog project that checks clean; each
//! error test copies it and adds the one file that makes the error. `towncrier/` holds
//! rendering cases with the page towncrier 23.6.0 and upstream's `generate-changelog.sh`
//! wrote for them. On the upstream snapshot (`../shared/upstream/matrix-spec`, skipped with
//! a printed reason when absent), every release page from v1.8 (the current template) on
//! is turned back into its fragments and rendered again.

use std::path::{Path, PathBuf};

use crate::common::{check_json, copy_dir, error, manifest_dir, mxspec, parse_report, upstream};

fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/changelog").join(name)
}

/// A copy of the base fixture with `files` (root-relative path, text) written over it.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("base"), dir.path());
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn changelog(root: &Path, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["changelog", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    mxspec(all)
}

const CS: &str = "changelogs/client_server/newsfragments";

#[test]
fn base_fixture_checks_clean() {
    check_json(&fixture("base")).assert_exactly(&[]);
}

#[test]
fn fragment_name() {
    let rel = format!("{CS}/notes.txt");
    let root = project(&[(&rel, "Notes.\n")]);
    check_json(root.path()).assert_exactly(&[error("fragment-name", &rel, 0, 0)]);
}

#[test]
fn fragment_name_refuses_a_counter() {
    let rel = format!("{CS}/12.feature.1");
    let root = project(&[(&rel, "A second one.\n")]);
    check_json(root.path()).assert_exactly(&[error("fragment-name", &rel, 0, 0)]);
}

#[test]
fn fragment_type() {
    let rel = format!("{CS}/13.bugfix");
    let root = project(&[(&rel, "Fix a thing.\n")]);
    let report = check_json(root.path());
    report.assert_exactly(&[error("fragment-type", &rel, 0, 0)]);
    let message = &report.diagnostics[0].message;
    assert!(message.contains(".feature, .clarification"), "{message}");
    // A near miss names the type meant.
    let rel = format!("{CS}/13.clarifcation");
    let root = project(&[(&rel, "Clarify a thing.\n")]);
    let report = check_json(root.path());
    report.assert_exactly(&[error("fragment-type", &rel, 0, 0)]);
    let message = &report.diagnostics[0].message;
    assert!(
        message.contains("did you mean `.clarification`?"),
        "{message}"
    );
}

#[test]
fn fragment_misplaced() {
    // Outside a section's folder, and in the folder of a section the config lacks.
    let loose = "changelogs/client_server/14.feature";
    let unknown = "changelogs/room_versions/newsfragments/15.feature";
    let root = project(&[(loose, "Loose.\n"), (unknown, "Unknown section.\n")]);
    check_json(root.path()).assert_exactly(&[
        error("fragment-misplaced", loose, 0, 0),
        error("fragment-misplaced", unknown, 0, 0),
    ]);
}

#[test]
fn fragment_empty() {
    let rel = format!("{CS}/16.feature");
    let root = project(&[(&rel, " \n\n")]);
    check_json(root.path()).assert_exactly(&[error("fragment-empty", &rel, 0, 0)]);
}

#[test]
fn fragment_paragraphs() {
    let rel = format!("{CS}/17.feature");
    let root = project(&[(&rel, "One paragraph.\n\nAnd another.\n")]);
    check_json(root.path()).assert_exactly(&[error("fragment-paragraphs", &rel, 3, 1)]);
}

#[test]
fn fragment_full_stop() {
    let rel = format!("{CS}/18.feature");
    let root = project(&[(&rel, "Add a thing\n")]);
    check_json(root.path()).assert_exactly(&[error("fragment-full-stop", &rel, 1, 11)]);
}

#[test]
fn a_printed_page_keeps_standard_output_to_itself() {
    let rel = format!("{CS}/18.feature");
    let root = project(&[(&rel, "Add a thing\n")]);
    for format in ["json", "github"] {
        let run = changelog(root.path(), &["1.20", "--format", format]);
        assert_eq!(run.status, Some(1), "{}", run.stderr);
        assert!(
            run.stdout.starts_with("---\ntitle: v1.20"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("fragment-full-stop"), "{}", run.stdout);
        assert!(run.stderr.contains("fragment-full-stop"), "{}", run.stderr);
    }
    let run = changelog(root.path(), &["1.20", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stderr).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn another_spelling_of_a_version_is_not_one() {
    let root = project(&[]);
    for version in ["01.19", "1.019", "1.2.3"] {
        let run = changelog(root.path(), &[version]);
        assert_eq!(run.status, Some(2), "{version}: {}", run.stdout);
        assert!(run.stderr.contains("is not a version"), "{}", run.stderr);
    }
}

#[test]
fn an_endpoint_link_needs_no_full_stop() {
    let rel = format!("{CS}/19.feature");
    let text = "[`GET /_matrix/client/v1/x`](/client-server-api/#get_matrixclientv1x)\n";
    check_json(project(&[(&rel, text)]).path()).assert_exactly(&[]);
}

#[test]
fn changelog_config() {
    let rel = "changelogs/pyproject.toml";
    let root = project(&[(rel, "[tool.towncrier]\ntemplate = \"t\"\nwrap = true\n")]);
    check_json(root.path()).assert_exactly(&[error("changelog-config", rel, 3, 8)]);
    let broken = project(&[(rel, "[tool.towncrier\n")]);
    let report = check_json(broken.path());
    report.assert_exactly(&[error("changelog-config", rel, 1, 16)]);
}

#[test]
fn changelog_template() {
    let rel = "changelogs/template.md.jinja";
    let root = project(&[(rel, "line one\n{% for x in sections %}\n")]);
    let report = check_json(root.path());
    assert_eq!(report.diagnostics.len(), 1, "{}", report.describe());
    let d = &report.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.file.as_str()),
        ("changelog-template", rel)
    );
    assert!(d.line >= 2, "{}", report.describe());
}

#[test]
fn fragment_missing_for_the_pr() {
    let root = fixture("base");
    let run = |pr: &str| {
        let args = [
            "check",
            "--root",
            root.to_str().unwrap(),
            "--format",
            "json",
        ];
        parse_report(mxspec(args.iter().copied().chain(["--pr", pr])))
    };
    run("12").assert_exactly(&[]);
    run("11").assert_exactly(&[]);
    run("99").assert_exactly(&[error("fragment-missing", "", 0, 0)]);
}

#[test]
fn renders_as_towncrier_does() {
    let root = fixture("towncrier");
    let expected = std::fs::read_to_string(root.join("expected.md")).unwrap();
    let run = changelog(&root, &["1.2", "--date", "2024-01-02"]);
    assert_eq!(run.stdout, expected, "stderr:\n{}", run.stderr);
    // The fixture's orphan and its notes.txt are rendered or skipped as towncrier does, and
    // reported by the check.
    assert_eq!(run.status, Some(1));
    assert!(
        run.stderr.contains("error[fragment-name]"),
        "{}",
        run.stderr
    );
}

#[test]
fn unstable_page_and_bad_arguments() {
    let root = fixture("base");
    let run = changelog(&root, &["unstable", "--date", "2026-01-01"]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with(
        "---\ntitle: Changes since last release\nlinkTitle: Unstable\ntype: docs\n\
         layout: changelog\noutputs:\n  - html\n  - checklist\ndate: 2026-01-01\n---\n"
    ));
    assert!(run.stdout.contains("- Clarify the rules. ([#11]("));
    assert_eq!(changelog(&root, &["one"]).status, Some(2));
    assert_eq!(
        changelog(&root, &["1.2", "--date", "May 1"]).status,
        Some(2)
    );
}

#[test]
fn write_makes_the_page_and_removes_the_fragments() {
    let root = project(&[]);
    let run = changelog(root.path(), &["v1.20", "--date", "2026-02-03", "--write"]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    let page = std::fs::read_to_string(root.path().join("content/changelog/v1.20.md")).unwrap();
    assert!(page.starts_with("---\ntitle: v1.20 Changelog\nlinkTitle: v1.20\n"));
    assert!(page.contains("## Server-Server API\n\n**Spec Clarifications**\n"));
    assert!(!root.path().join(CS).join("12.feature").exists());
    assert!(!root
        .path()
        .join("changelogs/server_server/newsfragments/11.clarification")
        .exists());
    assert!(root.path().join(CS).join(".gitignore").exists());
    // Every section now says so, and writing again is refused.
    let again = changelog(root.path(), &["1.20", "--write"]);
    assert_eq!(again.status, Some(2), "{}", again.stderr);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    let unchanged = std::fs::read_to_string(root.path().join("content/changelog/v1.20.md"));
    assert_eq!(unchanged.unwrap(), page);
}

#[test]
fn a_day_the_calendar_lacks_is_refused_before_anything_is_written() {
    let root = project(&[]);
    for date in ["2026-02-30", "2026-13-45"] {
        let run = changelog(root.path(), &["1.20", "--date", date, "--write"]);
        assert_eq!(run.status, Some(2), "{date}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("`{date}` is not a day of the calendar")),
            "{}",
            run.stderr
        );
    }
    assert!(!root.path().join("content/changelog/v1.20.md").exists());
    assert!(root.path().join(CS).join("12.feature").exists());
}

#[test]
fn write_refuses_fragments_with_errors() {
    let rel = format!("{CS}/20.feature");
    let root = project(&[(&rel, "No full stop\n")]);
    let run = changelog(root.path(), &["1.20", "--write"]);
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(!root.path().join("content/changelog/v1.20.md").exists());
    assert!(root.path().join(&rel).exists());
}

#[test]
fn release_pages_link_their_commit_and_checklist() {
    let root = project(&[
        (
            "mxspec.toml",
            "repository = \"https://github.com/o/spec/\"\n",
        ),
        (
            "content/changelog/v1.10.md",
            "---\ntitle: v1.10 Changelog\nlinkTitle: v1.10\ntype: docs\nlayout: changelog\noutputs:\n  - html\n  - checklist\ndate: 2024-03-22\n---\n\n## Client-Server API\n\n- One change.\n- Another.\n",
        ),
    ]);
    crate::common::git(root.path(), &["init", "-q"]);
    crate::common::git(root.path(), &["add", "-A"]);
    crate::common::git(root.path(), &["commit", "-qm", "x"]);
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root.path())
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = crate::common::build_json(root.path(), out.path(), &[]);
    report.assert_exactly(&[]);
    let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).unwrap();
    let release = read("changelog/v1.10/index.html");
    let link = "https:&#x2F;&#x2F;github.com&#x2F;o&#x2F;spec&#x2F;tree&#x2F;v1.10";
    assert!(
        release.contains(&format!("<tr><th>Git commit</th><td><a href=\"{link}\">")),
        "{release}"
    );
    assert!(release.contains("<tr><th>Release date</th><td>March 22, 2024</td></tr>"));
    assert!(release.contains("<a href=\"checklist.md\">checklist.md</a>"));
    let checklist = read("changelog/v1.10/checklist.md");
    assert!(
        checklist.starts_with("# Spec v1.10 Changelog\n"),
        "{checklist}"
    );
    assert!(checklist.contains("| Git commit | https://github.com/o/spec/tree/v1.10 |"));
    assert!(
        checklist.contains("\n- [ ] One change.\n- [ ] Another.\n"),
        "{checklist}"
    );
    // The unreleased changes: the commit they were made at, no date.
    let unstable = read("changelog/unstable/index.html");
    let table = unstable.split("</table>").next().unwrap();
    assert!(
        table.contains(&format!("tree&#x2F;{}\"", head.trim())),
        "{table}"
    );
    assert!(!table.contains("Release date"), "{table}");
    assert!(read("changelog/unstable/checklist.md").contains("- [ ] Clarify the rules."));
    // The older release asks for no checklist.
    assert!(!out.path().join("changelog/v1.1/checklist.md").exists());
}

#[test]
fn build_shows_unstable_first_in_the_index() {
    let out = tempfile::tempdir().unwrap();
    let report = crate::common::build_json(&fixture("base"), out.path(), &[]);
    report.assert_exactly(&[]);
    let index = std::fs::read_to_string(out.path().join("changelog/index.html")).unwrap();
    let at = |needle: &str| {
        index
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the index:\n{index}"))
    };
    let list = at("<ul class=\"changelog-index\">");
    let (unstable, v10, v1) = (at(">Unstable<"), at(">v1.10<"), at(">v1.1<"));
    assert!(list < unstable && unstable < v10 && v10 < v1, "{index}");
    let page = std::fs::read_to_string(out.path().join("changelog/unstable/index.html")).unwrap();
    assert!(page.contains("Clarify the rules."), "{page}");
}

#[test]
fn snapshot_fragments_check_clean_and_render() {
    let Some(root) = upstream() else { return };
    let report = check_json(&root);
    let ours: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.file.starts_with("changelogs") || d.code.contains("fragment"))
        .collect();
    assert!(ours.is_empty(), "{}", report.describe());
    let run = changelog(&root, &["unstable"]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    for fragment in std::fs::read_dir(root.join(CS)).unwrap() {
        let path = fragment.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some((number, _)) = name.split_once('.').filter(|(n, _)| !n.is_empty()) else {
            continue;
        };
        assert!(run.stdout.contains(&format!("[#{number}](")), "{name}");
    }
}

/// Turns a release page back into the fragments it was made from, in `dir` (a copy of
/// upstream's `changelogs/` without fragments). Returns the page's date.
fn reconstruct(page: &str, upstream: &Path, dir: &Path) -> String {
    let config_text = std::fs::read_to_string(upstream.join("changelogs/pyproject.toml")).unwrap();
    let config: toml::Table = toml::from_str(&config_text).unwrap();
    let towncrier = &config["tool"]["towncrier"];
    let pairs = |key: &str, a: &str, b: &str| -> Vec<(String, String)> {
        towncrier[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t[a].as_str().unwrap().into(), t[b].as_str().unwrap().into()))
            .collect()
    };
    let sections = pairs("section", "name", "path");
    let types = pairs("type", "name", "directory");
    let (front, body) = page[4..].split_once("\n---\n").unwrap();
    let date = front
        .lines()
        .find_map(|l| l.strip_prefix("date: "))
        .unwrap()
        .to_string();
    // A section added to the configuration after this release is left out, as then.
    let mut kept = config_text.clone();
    for (name, path) in &sections {
        if !body.contains(&format!("\n## {name}\n")) {
            let table = format!(
                "    [[tool.towncrier.section]]\n        name = \"{name}\"\n        path = \"{path}\"\n"
            );
            kept = kept.replace(&table, "");
        }
    }
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("changelogs")).unwrap();
    std::fs::write(dir.join("changelogs/pyproject.toml"), kept).unwrap();
    std::fs::copy(
        upstream.join("changelogs/template.md.jinja"),
        dir.join("changelogs/template.md.jinja"),
    )
    .unwrap();
    let (mut section, mut kind) = (String::new(), String::new());
    let mut entry: Option<String> = None;
    for line in body.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            section = sections.iter().find(|(n, _)| n == name).unwrap().1.clone();
        } else if let Some(name) = line.strip_prefix("**").and_then(|l| l.strip_suffix("**")) {
            kind = types.iter().find(|(n, _)| n == name).unwrap().1.clone();
        } else if let Some(first) = line.strip_prefix("- ") {
            entry = Some(first.to_string());
        } else if let (Some(text), Some(more)) = (&mut entry, line.strip_prefix("  ")) {
            text.push('\n');
            text.push_str(more);
        } else if let (Some(text), "") = (&mut entry, line) {
            text.push('\n');
        }
        let Some(text) = &entry else { continue };
        let Some((content, issues)) = split_issues(text) else {
            continue;
        };
        let folder = dir.join("changelogs").join(&section).join("newsfragments");
        std::fs::create_dir_all(&folder).unwrap();
        for number in issues {
            let mut name = format!("{number}.{kind}");
            let mut counter = 0;
            while folder.join(&name).exists() {
                counter += 1;
                name = format!("{number}.{kind}.{counter}");
            }
            std::fs::write(folder.join(name), format!("{content}\n")).unwrap();
        }
        entry = None;
    }
    date
}

/// `text ([#1](…/issues/1), [#2](…/issues/2))` -> text and the numbers.
fn split_issues(entry: &str) -> Option<(String, Vec<String>)> {
    let prefix = "https://github.com/matrix-org/matrix-spec/issues/";
    let list = entry.strip_suffix(')')?;
    let start = list.rfind(" ([#")?;
    let mut numbers = Vec::new();
    for item in list[start + 2..].split(", ") {
        let (label, url) = item.strip_prefix("[#")?.split_once("](")?;
        let url = url.strip_suffix(')')?;
        (url == format!("{prefix}{label}")).then_some(())?;
        numbers.push(label.to_string());
    }
    Some((entry[..start].to_string(), numbers))
}

#[test]
fn past_releases_render_as_published() {
    let Some(upstream) = upstream() else { return };
    let mut compared = 0;
    for minor in 8..=99 {
        let version = format!("1.{minor}");
        let Ok(page) =
            std::fs::read_to_string(upstream.join(format!("content/changelog/v{version}.md")))
        else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        let date = reconstruct(&page, &upstream, dir.path());
        let run = changelog(dir.path(), &[&version, "--date", &date]);
        assert!(run.status.is_some_and(|s| s < 2), "{}", run.stderr);
        if version == "1.17" {
            // Edited by hand after towncrier wrote it: one entry moved within its list.
            let sorted = |t: &str| {
                let mut lines: Vec<&str> = t.lines().collect();
                lines.sort();
                lines.join("\n")
            };
            assert_ne!(run.stdout, page);
            assert_eq!(sorted(&run.stdout), sorted(&page), "v{version}");
        } else {
            assert_eq!(run.stdout, page, "v{version}: stderr:\n{}", run.stderr);
        }
        compared += 1;
    }
    assert!(compared >= 12, "only {compared} releases compared");
}

#[test]
fn a_new_fragment_rerenders_the_unstable_page_while_serving() {
    use mxspec::site::{BuildOptions, Session};
    let root = project(&[]);
    let options = BuildOptions {
        root: root.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut session = Session::open(options).unwrap();
    let page = |s: &Session| {
        let files = s.files().expect("the site builds");
        String::from_utf8(files["changelog/unstable/index.html"].clone()).unwrap()
    };
    assert!(!page(&session).contains("Explain the new rule."));
    let rel = format!("{CS}/21.clarification");
    std::fs::write(root.path().join(&rel), "Explain the new rule.\n").unwrap();
    session.update(&[rel].into_iter().collect()).unwrap();
    assert!(page(&session).contains("Explain the new rule."));
    // With no fragment left, the page is gone.
    for rel in [
        format!("{CS}/12.feature"),
        format!("{CS}/21.clarification"),
        "changelogs/server_server/newsfragments/11.clarification".to_string(),
    ] {
        std::fs::remove_file(root.path().join(&rel)).unwrap();
        session.update(&[rel].into_iter().collect()).unwrap();
    }
    let files = session.files().expect("the site builds");
    assert!(!files.contains_key("changelog/unstable/index.html"));
}
