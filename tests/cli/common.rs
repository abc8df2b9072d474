//! Helpers shared by the CLI integration tests: run the real `mxspec` binary, parse its
//! `--format json` output and compare diagnostics with what a fixture dictates.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// The crate root (where Cargo.toml is).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/check/<name>`, which must exist.
pub fn fixture(name: &str) -> PathBuf {
    let path = manifest_dir().join("tests/fixtures/check").join(name);
    assert!(
        path.join("data").is_dir(),
        "fixture {name} has no data/ folder at {}",
        path.display()
    );
    path
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit status (`None` when killed by a signal).
    pub status: Option<i32>,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
}

/// Runs `mxspec` with `args` in the current folder.
pub fn mxspec<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    mxspec_in(None, args)
}

/// Runs `mxspec` with `args`, in `cwd` when given (outside GitHub's workflow settings,
/// so that the `github` format names files from `cwd`).
pub fn mxspec_in<I, S>(cwd: Option<&Path>, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mxspec"));
    cmd.args(args).env_remove("GITHUB_WORKSPACE");
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let out = cmd.output().expect("cannot start the mxspec binary");
    Run {
        status: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is not UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is not UTF-8"),
    }
}

/// `mxspec check --root <root> --format <format>`, run in `root` when it is a folder.
pub fn check(root: &Path, format: &str) -> Run {
    let args = [OsStr::new("check"), OsStr::new("--root"), root.as_os_str()];
    mxspec_in(
        Some(root).filter(|r| r.is_dir()),
        args.into_iter()
            .chain([OsStr::new("--format"), OsStr::new(format)]),
    )
}

/// One diagnostic of the `json` format.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub instance_path: Option<String>,
    pub schema_path: Option<String>,
    pub message: String,
}

impl Diag {
    fn key(&self) -> (String, String, String, u32, u32) {
        (
            self.severity.clone(),
            self.code.clone(),
            self.file.clone(),
            self.line,
            self.column,
        )
    }
}

/// The `summary` of the `json` format.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub schemas: usize,
    pub examples: usize,
    pub inline_examples: usize,
    pub api_examples: usize,
}

#[derive(Debug, Deserialize)]
struct JsonOutput {
    diagnostics: Vec<Diag>,
    summary: Summary,
}

/// A parsed `--format json` run.
#[derive(Debug)]
pub struct Report {
    pub run: Run,
    pub diagnostics: Vec<Diag>,
    pub summary: Summary,
}

/// A diagnostic a fixture dictates: severity, code, root-relative file, line, column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Want {
    pub severity: &'static str,
    pub code: &'static str,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Want {
    fn key(&self) -> (String, String, String, u32, u32) {
        (
            self.severity.to_string(),
            self.code.to_string(),
            self.file.clone(),
            self.line,
            self.column,
        )
    }
}

/// An expected error.
pub fn error(code: &'static str, file: impl Into<String>, line: u32, column: u32) -> Want {
    Want {
        severity: "error",
        code,
        file: file.into(),
        line,
        column,
    }
}

/// An expected warning.
pub fn warning(code: &'static str, file: impl Into<String>, line: u32, column: u32) -> Want {
    Want {
        severity: "warning",
        ..error(code, file, line, column)
    }
}

/// Runs `mxspec check --root <root> --format json`, parses stdout and checks what must hold
/// for every run: exit status 0 or 1, 1 exactly when there are errors, summary counts that
/// match the diagnostics, and diagnostics sorted by file, line, column.
pub fn check_json(root: &Path) -> Report {
    parse_report(check(root, "json"))
}

/// Parses the stdout of a `--format json` run (of `check` or `build`) and checks what must
/// hold for every such run: exit status 0 or 1, 1 exactly when there are errors, summary
/// counts that match the diagnostics, and diagnostics sorted by file, line, column.
pub fn parse_report(run: Run) -> Report {
    let parsed: JsonOutput = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not the JSON report ({e}); status {:?}\nstdout:\n{}\nstderr:\n{}",
            run.status, run.stdout, run.stderr
        )
    });
    let report = Report {
        run,
        diagnostics: parsed.diagnostics,
        summary: parsed.summary,
    };
    let errors = report.count("error");
    let warnings = report.count("warning");
    assert_eq!(
        errors + warnings,
        report.diagnostics.len(),
        "a severity is neither error nor warning\n{}",
        report.describe()
    );
    assert_eq!(report.summary.errors, errors, "{}", report.describe());
    assert_eq!(report.summary.warnings, warnings, "{}", report.describe());
    let expected_status = if errors > 0 { 1 } else { 0 };
    assert_eq!(
        report.run.status,
        Some(expected_status),
        "exit status must be {expected_status} with {errors} errors\n{}",
        report.describe()
    );
    let order: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (&d.file, d.line, d.column, &d.code))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(
        order,
        sorted,
        "diagnostics are not sorted\n{}",
        report.describe()
    );
    report
}

impl Report {
    /// How many diagnostics have this severity.
    pub fn count(&self, severity: &str) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The diagnostics, one a line, for failure messages.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "exit status {:?}, summary {:?}, diagnostics:\n",
            self.run.status, self.summary
        );
        for d in &self.diagnostics {
            let _ = writeln!(
                out,
                "  {} {} {}:{}:{} at {:?}: {}",
                d.severity, d.code, d.file, d.line, d.column, d.instance_path, d.message
            );
        }
        if !self.run.stderr.is_empty() {
            let _ = write!(out, "stderr:\n{}", self.run.stderr);
        }
        out
    }

    /// Asserts that the run reported exactly `want` (in any order), no more, no less.
    pub fn assert_exactly(&self, want: &[Want]) {
        let mut got: Vec<_> = self.diagnostics.iter().map(Diag::key).collect();
        let mut wanted: Vec<_> = want.iter().map(Want::key).collect();
        got.sort();
        wanted.sort();
        assert_eq!(
            got,
            wanted,
            "diagnostics differ from the fixture's\n{}",
            self.describe()
        );
    }

    /// The one diagnostic matching `want`.
    /// The one diagnostic of the report, which must be `want`.
    pub fn only(&self, want: &Want) -> &Diag {
        self.assert_exactly(std::slice::from_ref(want));
        self.get(want)
    }

    pub fn get(&self, want: &Want) -> &Diag {
        let found: Vec<&Diag> = self
            .diagnostics
            .iter()
            .filter(|d| d.key() == want.key())
            .collect();
        match found.as_slice() {
            [d] => d,
            _ => panic!(
                "expected one diagnostic {want:?}, found {}\n{}",
                found.len(),
                self.describe()
            ),
        }
    }

    /// Asserts the JSON pointer of the instance value a diagnostic is about.
    pub fn assert_instance_path(&self, want: &Want, pointer: &str) {
        let d = self.get(want);
        assert_eq!(
            d.instance_path.as_deref(),
            Some(pointer),
            "instance_path of {want:?}\n{}",
            self.describe()
        );
    }
}

/// Asserts that a `human` rendering (what `diff` prints on stderr when a tree has problems)
/// holds exactly `want` (in any order): every `severity[code]: ...` line and the position of
/// its ` --> file[:line:column]` line (a file alone is line 0, column 0).
pub fn assert_human_exactly(text: &str, want: &[Want]) {
    let mut got = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some((severity, rest)) = line.split_once('[') else {
            continue;
        };
        let Some((code, _)) = rest.split_once("]: ") else {
            continue;
        };
        if severity != "error" && severity != "warning" {
            continue;
        }
        let at = lines
            .next()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
            .unwrap_or_else(|| panic!("no `-->` line after {line:?} in:\n{text}"));
        let position = at.rsplit_once(':').and_then(|(rest, column)| {
            let (file, line) = rest.rsplit_once(':')?;
            Some((file, line.parse().ok()?, column.parse().ok()?))
        });
        let (file, line, column) = position.unwrap_or((at, 0, 0));
        got.push((
            severity.to_string(),
            code.to_string(),
            file.to_string(),
            line,
            column,
        ));
    }
    let mut wanted: Vec<_> = want.iter().map(Want::key).collect();
    got.sort();
    wanted.sort();
    assert_eq!(
        got, wanted,
        "diagnostics differ from the fixture's in:\n{text}"
    );
}

// ---------------------------------------------------------------------------------------
// `mxspec build`
// ---------------------------------------------------------------------------------------

/// `tests/fixtures/build/<name>`, which must hold `data/` and `content/`.
pub fn build_fixture(name: &str) -> PathBuf {
    let path = manifest_dir().join("tests/fixtures/build").join(name);
    assert!(
        path.join("data").is_dir() && path.join("content").is_dir(),
        "fixture {name} has no data/ or content/ folder at {}",
        path.display()
    );
    path
}

/// The read-only upstream snapshot, or `None` (with a note on stderr) when it is absent.
pub fn upstream() -> Option<PathBuf> {
    let root = manifest_dir().join("../shared/upstream/matrix-spec");
    if root.join("data").is_dir() {
        Some(root)
    } else {
        eprintln!("skipping: ../shared/upstream/matrix-spec is absent");
        None
    }
}

/// `mxspec build --root <root> --output <output> <extra...>`, as it is (any exit status).
pub fn build_raw(root: &Path, output: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("build"),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--output"),
        output.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    mxspec(args)
}

/// `mxspec build --root <root> --output <output> --format json <extra...>`, parsed and
/// checked as [`parse_report`] does (exit status 0 or 1 only).
pub fn build_json(root: &Path, output: &Path, extra: &[&str]) -> Report {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    parse_report(build_raw(root, output, &args))
}

/// A copy of the build fixture `name` at `<a temporary folder>/root`, for a test that
/// edits it: the folder (kept while the test runs) and the root.
pub fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_dir(&build_fixture(name), &root);
    (tmp, root)
}

/// Copies the folder `from` to `to` (created), files and folders only.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file and folder below `dir` (relative path to its bytes; `None` for folders,
/// the link target for symlinks, which are not followed). Empty when `dir` is absent.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(
        base: &Path,
        dir: &Path,
        out: &mut std::collections::BTreeMap<PathBuf, Option<Vec<u8>>>,
    ) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(rel, Some(target.to_string_lossy().as_bytes().to_vec()));
            } else if meta.is_dir() {
                out.insert(rel, None);
                walk(base, &path, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `git` in `root` with a fixed author and no signing; panics with its output when
/// it fails.
pub fn git(root: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
