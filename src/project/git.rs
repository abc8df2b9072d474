//! Reading the files of `data/` as they were at a git revision, with the `git` program.
//!
//! `git ls-tree` lists the blobs under `data/` at the revision and one `git cat-file
//! --batch` reads them all; no checkout or work tree is touched.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::Area;
use crate::source::MAX_FILE_BYTES;

/// Why the old tree could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `git` could not be run.
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// `git` said no.
    #[error("git {args}: {message}")]
    Failed {
        /// What was asked.
        args: String,
        /// What git said.
        message: String,
    },
    /// The output was not what git prints.
    #[error("unexpected output from git cat-file")]
    Protocol,
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if !output.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(output.stdout)
}

/// The files of `data/` at a revision: the texts read, and the files too large to read.
#[derive(Debug, Default)]
pub struct DataAt {
    /// Root-relative path and text of each YAML or JSON file of `data/` (files that are
    /// not UTF-8 are left out).
    pub texts: Vec<(String, String)>,
    /// Root-relative path and size of each such file larger than
    /// [`MAX_FILE_BYTES`](crate::source::MAX_FILE_BYTES): not read.
    pub too_large: Vec<(String, u64)>,
}

/// The YAML and JSON files under `<root>/data` at `rev`. Only those are read, and none
/// larger than [`MAX_FILE_BYTES`](crate::source::MAX_FILE_BYTES), as from the work tree.
pub fn data_files_at(root: &Path, rev: &str) -> Result<DataAt, GitError> {
    if git(root, &["rev-parse", "--git-dir"]).is_err() {
        return Err(GitError::Failed {
            args: "rev-parse".to_string(),
            message: format!("{} is not inside a git repository", root.display()),
        });
    }
    // Resolve first, so that a bad revision is named clearly.
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| GitError::Failed {
        args: format!("rev-parse {rev}"),
        message: format!("`{rev}` is not a commit of this repository"),
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let listing = git(root, &["ls-tree", "-r", "-l", "-z", &commit, "--", "data/"])?;
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut too_large = Vec::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        // `<mode> <type> <object> <size>`, the size padded with spaces.
        let mut fields = meta.split_whitespace();
        let (_mode, kind, oid, size) = (fields.next(), fields.next(), fields.next(), fields.next());
        let (Some("blob"), Some(oid)) = (kind, oid) else {
            continue;
        };
        if Area::of(path) != Some(Area::Data) || !Area::Data.accepts(Path::new(path)) {
            continue;
        }
        match size.and_then(|s| s.parse::<u64>().ok()) {
            Some(size) if size > MAX_FILE_BYTES => too_large.push((path.to_string(), size)),
            _ => entries.push((path.to_string(), oid.to_string())),
        }
    }
    Ok(DataAt {
        texts: read_blobs(root, entries)?,
        too_large,
    })
}

fn read_blobs(
    root: &Path,
    entries: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, GitError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(GitError::Spawn)?;
    let mut stdin = child.stdin.take().ok_or(GitError::Protocol)?;
    let oids: Vec<String> = entries.iter().map(|(_, oid)| oid.clone()).collect();
    // Feed the requests from another thread: git answers while we still write.
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for oid in oids {
            writeln!(stdin, "{oid}")?;
        }
        Ok(())
    });
    let mut reader = BufReader::new(child.stdout.take().ok_or(GitError::Protocol)?);
    let mut out = Vec::with_capacity(entries.len());
    for (path, _) in entries {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|_| GitError::Protocol)?;
        let size: usize = header
            .split(' ')
            .nth(2)
            .and_then(|s| s.trim().parse().ok())
            .ok_or(GitError::Protocol)?;
        // Sizes were checked in the listing; a blob that grew is refused, not read.
        if size as u64 > MAX_FILE_BYTES {
            return Err(GitError::Protocol);
        }
        let mut body = vec![0; size + 1];
        reader
            .read_exact(&mut body)
            .map_err(|_| GitError::Protocol)?;
        body.pop();
        if let Ok(text) = String::from_utf8(body) {
            out.push((path, text));
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

/// The top folder of the git work tree that holds `root`, if it is in one.
pub fn top_level(root: &Path) -> Option<std::path::PathBuf> {
    let out = git(root, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = String::from_utf8(out).ok()?;
    Some(std::path::PathBuf::from(top.trim_end_matches(['\n', '\r'])))
}

/// The short hash of the commit checked out at `root`, when `root` is the top of a git
/// work tree (what upstream's changelog of the unreleased changes links to).
pub fn short_head(root: &Path) -> Option<String> {
    if !root.join(".git").exists() {
        return None;
    }
    let out = git(root, &["rev-parse", "--short", "HEAD"]).ok()?;
    let hash = String::from_utf8(out).ok()?.trim().to_string();
    (!hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}
