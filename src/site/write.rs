//! Writing the site: every file through one function, into a temporary folder that is
//! swapped in only when complete, so a failed build leaves the previous site intact.
//!
//! mxspec replaces only a folder it created itself (it holds a marker file), and never
//! one that holds the project root or its `data/`. Every path written is checked to stay
//! inside the output folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The marker file mxspec leaves in every output folder it writes.
pub const MARKER: &str = ".mxspec-site";

/// A site in memory: output-relative path to bytes.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder holds the project root or its `data/`.
    #[error("refusing to write the site to {0}: it holds the project root or its data/ folder")]
    HoldsProject(PathBuf),
    /// The output folder exists, is not empty and was not written by mxspec.
    #[error("refusing to replace {0}: it is not empty and has no {MARKER} marker, so mxspec did not create it")]
    NotOurs(PathBuf),
    /// A path of the site would leave the output folder.
    #[error("refusing to write {0}: the path leaves the output folder")]
    UnsafePath(String),
    /// The file system refused.
    #[error("cannot write {path}: {error}")]
    Io {
        /// What was being written.
        path: PathBuf,
        /// The error (said in the message, so not given as its source as well).
        error: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Writes `files` as the folder `out`, replacing a previous site there.
pub fn write_site(root: &Path, out: &Path, files: &SiteFiles) -> Result<(), WriteError> {
    write_site_with(root, out, files, SiteFiles::new).map(drop)
}

/// Like [`write_site`], with more files made while `files` are written (the search
/// index): `later` is called once those are written, and its files are part of the same
/// replacement. Returns them, written.
pub fn write_site_with(
    root: &Path,
    out: &Path,
    files: &SiteFiles,
    later: impl FnOnce() -> SiteFiles,
) -> Result<SiteFiles, WriteError> {
    let out = absolute(out).map_err(io(out))?;
    let root_abs = absolute(root).map_err(io(root))?;
    // `data/` as it really is: a symlinked data folder is protected where it points.
    let data = root_abs.join("data");
    let data = data.canonicalize().unwrap_or(data);
    if out == root_abs
        || root_abs.starts_with(&out)
        || data.starts_with(&out)
        || out.starts_with(&data)
    {
        return Err(WriteError::HoldsProject(out));
    }
    let parent = out
        .parent()
        .ok_or_else(|| WriteError::HoldsProject(out.clone()))?;
    fs::create_dir_all(parent).map_err(io(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // One build at a time writes beside `out`: the parent folder itself is locked (no
    // lock file is left), and what a killed build left there is cleaned first.
    let lock = fs::File::open(parent).map_err(io(parent))?;
    lock.lock().map_err(io(parent))?;
    clean_leftovers(parent, &name, &out);
    if out.exists() && !is_ours(&out).map_err(io(&out))? {
        return Err(WriteError::NotOurs(out));
    }
    let tmp = parent.join(format!(".{name}.mxspec-tmp-{}", std::process::id()));
    let mut late = SiteFiles::new();
    let written = fs::create_dir(&tmp).map_err(io(&tmp)).and_then(|()| {
        write_file(
            &tmp,
            MARKER,
            b"written by mxspec; this folder is replaced on every build\n",
        )?;
        files
            .iter()
            .try_for_each(|(rel, bytes)| write_file(&tmp, rel, bytes))?;
        late = later();
        late.iter()
            .try_for_each(|(rel, bytes)| write_file(&tmp, rel, bytes))
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let swapped = swap_in(&tmp, &out);
    // After the swap `tmp` holds the previous site; after a failure, the new one.
    let _ = fs::remove_dir_all(&tmp);
    swapped.map_err(io(&out))?;
    Ok(late)
}

/// Puts the folder `new` in the place of `out` in one step where the system has one
/// (Linux: `renameat2` with `RENAME_EXCHANGE`; `new` then holds the previous site), so no
/// moment exists without a site at `out`; elsewhere, the previous site is moved aside
/// first (into `new`'s name).
fn swap_in(new: &Path, out: &Path) -> std::io::Result<()> {
    if !out.exists() {
        return fs::rename(new, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without the exchange: do it in two steps.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    // `.NAME.mxspec-old-PID`: a build killed before the second rename leaves the
    // previous site there, and the next build puts it back (see `clean_leftovers`).
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside = out.with_file_name(format!(".{name}.mxspec-old-{}", std::process::id()));
    fs::rename(out, &aside)?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(&aside, out);
        return Err(e);
    }
    fs::rename(&aside, new)
}

/// Removes the temporary folders that earlier builds of `name` left beside it when they
/// were killed (`.NAME.mxspec-tmp-PID`, `.NAME.mxspec-old-PID`); a previous site left
/// aside when there is no site at `out` is put back first.
fn clean_leftovers(parent: &Path, name: &str, out: &Path) {
    if !out.exists() {
        let old = format!(".{name}.mxspec-old-");
        let aside = fs::read_dir(parent)
            .into_iter()
            .flatten()
            .flatten()
            .find(|e| {
                e.file_name().to_string_lossy().starts_with(old.as_str())
                    && e.path().join(MARKER).is_file()
            });
        if let Some(aside) = aside {
            let _ = fs::rename(aside.path(), out);
        }
    }
    let prefixes = [
        format!(".{name}.mxspec-tmp-"),
        format!(".{name}.mxspec-old-"),
    ];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
            && entry.path().join(MARKER).is_file()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes one file below `base`; the only function that writes site files.
pub fn write_file(base: &Path, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
    if !crate::source::stays_inside(rel) {
        return Err(WriteError::UnsafePath(rel.to_string()));
    }
    let path = base.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    fs::write(&path, bytes).map_err(io(&path))
}

fn is_ours(dir: &Path) -> std::io::Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    Ok(fs::read_dir(dir)?.next().is_none())
}

/// `path` made absolute and normalised (`.`/`..` removed, symlinks of existing parts
/// resolved), without requiring it to exist.
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                out.pop();
            }
            Some(".") => {}
            _ => out.push(part),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pairs: &[(&str, &str)]) -> SiteFiles {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_and_replaces_its_own_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        fs::create_dir_all(root.join("data")).unwrap();
        let out = root.join("site");
        write_site(
            &root,
            &out,
            &site(&[("index.html", "one"), ("a/index.html", "a")]),
        )
        .unwrap();
        write_site(&root, &out, &site(&[("index.html", "two")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a").exists());
        assert!(out.join(MARKER).exists());
    }

    #[test]
    fn an_interrupted_swap_leaves_a_site_and_its_leftovers_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        fs::create_dir_all(root.join("data")).unwrap();
        let out = root.join("site");
        write_site(&root, &out, &site(&[("index.html", "one")])).unwrap();
        // What a build killed before its swap leaves: its temporary folder.
        let leftover = root.join(".site.mxspec-tmp-999999");
        write_site(&root, &leftover, &site(&[("index.html", "half")])).unwrap();
        let foreign = root.join(".site.mxspec-old-1");
        fs::create_dir_all(&foreign).unwrap();
        write_site(&root, &out, &site(&[("index.html", "two")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(
            !leftover.exists(),
            "an earlier build's temporary site is cleaned"
        );
        assert!(foreign.exists(), "a folder mxspec did not write is kept");
        let names: Vec<String> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.contains("mxspec-tmp")),
            "no temporary folder is left: {names:?}"
        );
    }

    #[test]
    fn concurrent_builds_leave_one_whole_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        fs::create_dir_all(root.join("data")).unwrap();
        let out = root.join("site");
        std::thread::scope(|scope| {
            for i in 0..4 {
                let (root, out) = (&root, &out);
                scope.spawn(move || {
                    let body = format!("site {i}");
                    for _ in 0..5 {
                        write_site(
                            root,
                            out,
                            &site(&[("index.html", &body), ("a/b.html", &body)]),
                        )
                        .unwrap();
                    }
                });
            }
        });
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), index);
        let names: Vec<String> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "only data/ and site/: {names:?}");
    }

    #[test]
    fn refuses_foreign_folders_and_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        fs::create_dir_all(root.join("data")).unwrap();
        let foreign = root.join("docs");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(matches!(
            write_site(&root, &foreign, &site(&[])),
            Err(WriteError::NotOurs(_))
        ));
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(matches!(
            write_site(&root, &root, &site(&[])),
            Err(WriteError::HoldsProject(_))
        ));
        assert!(matches!(
            write_site(&root, dir.path(), &site(&[])),
            Err(WriteError::HoldsProject(_))
        ));
        assert!(matches!(
            write_site(&root, &root.join("data"), &site(&[])),
            Err(WriteError::HoldsProject(_))
        ));
    }

    #[test]
    fn refuses_paths_that_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        fs::create_dir_all(root.join("data")).unwrap();
        let out = root.join("site");
        write_site(&root, &out, &site(&[("index.html", "good")])).unwrap();
        let err = write_site(&root, &out, &site(&[("../escape.html", "bad")])).unwrap_err();
        assert!(matches!(err, WriteError::UnsafePath(_)));
        assert!(!root.join("escape.html").exists());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "good",
            "previous site intact"
        );
    }
}
