//! README's CI workflow and the pre-commit hook, run as written: every `mxspec` line of
//! them, on a copy of this repository's own project in a git repository of its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{copy_dir, manifest_dir};

/// The `mxspec` command lines of README's workflow block, in order.
fn workflow_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let block = readme
        .split("```yaml\nname: spec\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README holds the workflow as a ```yaml block starting `name: spec`");
    let workflow: serde_json::Value =
        serde_saphyr::from_str(&format!("name: spec\n{block}")).expect("the workflow is YAML");
    let mut commands = Vec::new();
    for job in workflow["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(run) = step["run"].as_str() {
                commands.extend(
                    run.lines()
                        .map(str::trim)
                        .filter(|l| l.starts_with("mxspec "))
                        .map(str::to_string),
                );
            }
        }
    }
    commands
}

/// A copy of the project's `data/` and `content/` in a git repository of one commit.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    copy_dir(&manifest_dir().join("data"), &root.join("data"));
    copy_dir(&manifest_dir().join("content"), &root.join("content"));
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-qm",
            "spec",
        ],
    ] {
        let out = Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (dir, root)
}

/// Runs a command line as a shell would in `root`, with this build's `mxspec` first on
/// the PATH and the workflow's `BASE` set to the last commit.
fn shell(root: &Path, line: &str) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_mxspec")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(root)
        .env("PATH", path)
        .env("BASE", "HEAD")
        .output()
        .unwrap()
}

#[test]
fn the_readme_workflow_passes_on_this_project_and_fails_on_a_bad_example() {
    let commands = workflow_commands();
    assert!(commands.len() >= 3, "{commands:?}");
    let (_dir, root) = repository();
    for line in &commands {
        let out = shell(&root, line);
        assert!(
            out.status.success(),
            "`{line}` failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        root.join("site/index.html").is_file(),
        "the build step wrote the site"
    );
    // A wrong value in an example fails the check step, with a workflow command on its line.
    let example = root.join("data/event-schemas/examples/m.room_key.withheld$no_olm.yaml");
    let text = std::fs::read_to_string(&example).unwrap();
    std::fs::write(&example, text.replacen("m.no_olm", "m.no_olmm", 1)).unwrap();
    let check = commands
        .iter()
        .find(|l| l.starts_with("mxspec check"))
        .unwrap();
    let out = shell(&root, check);
    assert_eq!(out.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.lines().any(
            |l| l.starts_with("::error file=data/event-schemas/examples/")
                && l.contains("did you mean `m.no_olm`?")
        ),
        "{printed}"
    );
}

#[test]
fn the_pre_commit_hook_runs_its_entry() {
    let hooks = std::fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_json::Value = serde_saphyr::from_str(&hooks).unwrap();
    let entry = hooks[0]["entry"].as_str().expect("the hook has an entry");
    assert_eq!(hooks[0]["id"], "mxspec-check");
    let (_dir, root) = repository();
    let out = shell(&root, entry);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // From a folder below the project, too, as pre-commit may run it.
    let out = shell(&root.join("content"), entry);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
