//! The project loader: the one place that reads the project's folders from disk.
//!
//! `data/`, `content/`, `templates/` and `changelogs/` are walked and every file they hold is read into
//! one [`Sources`] table, data files first, so that everything after loading (the
//! registry, the renderer, the site) works from memory only. A file must really lie in
//! its folder (symlinks are followed and checked) and be no larger than
//! [`MAX_FILE_BYTES`](crate::source::MAX_FILE_BYTES); a file that is not read is reported
//! and the run goes on without it. [`git`] builds the same thing from the blobs of a
//! revision.

pub mod git;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::source::{read_bounded, rel_path, FileId, Sources, Syntax};

/// The folders of a project that mxspec reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// `data/`: schemas, examples, API documents (YAML and JSON files).
    Data,
    /// `content/`: the pages (Markdown files).
    Content,
    /// `templates/`: overrides of the built-in templates and assets (any file).
    Templates,
    /// `changelogs/`: towncrier's configuration and template, and the news fragments
    /// (any file).
    Changelogs,
    /// `data-definitions/`: data pages show as they are (the SAS emoji table; JSON and
    /// YAML files).
    DataDefinitions,
    /// `assets/diagrams/`: images pages show (`assets/diagrams/*.webp`), read as bytes, at
    /// most [`MAX_ASSETS_BYTES`] in all.
    Assets,
}

/// The images of `assets/diagrams/` are read up to this many bytes in all; the rest is
/// reported and not read.
pub const MAX_ASSETS_BYTES: u64 = 64 * 1024 * 1024;

/// The extensions of the images `assets/` holds.
const IMAGE_EXTENSIONS: [&str; 6] = ["webp", "png", "jpg", "jpeg", "gif", "svg"];

impl Area {
    /// Every area, in the order of the source table.
    pub const ALL: [Area; 6] = [
        Area::Data,
        Area::Content,
        Area::Templates,
        Area::Changelogs,
        Area::DataDefinitions,
        Area::Assets,
    ];

    /// The folder name.
    pub fn dir(self) -> &'static str {
        match self {
            Area::Data => "data",
            Area::Content => "content",
            Area::Templates => "templates",
            Area::Changelogs => "changelogs",
            Area::DataDefinitions => "data-definitions",
            Area::Assets => "assets",
        }
    }

    /// Whether a file of this folder is read.
    pub fn accepts(self, path: &Path) -> bool {
        match self {
            Area::Data | Area::DataDefinitions => Syntax::of_path(path).is_some(),
            Area::Content => path.extension().is_some_and(|x| x == "md"),
            Area::Templates | Area::Changelogs => true,
            // Only the diagrams pages show (`assets/diagrams/*.webp` and the like): the
            // rest of a theme's `assets/` is not read.
            Area::Assets => {
                path.parent()
                    .and_then(Path::file_name)
                    .is_some_and(|d| d == "diagrams")
                    && path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                        IMAGE_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                    })
            }
        }
    }

    /// The area a root-relative path lies in.
    pub fn of(rel: &str) -> Option<Area> {
        let first = rel.split('/').next()?;
        Area::ALL.into_iter().find(|a| a.dir() == first)
    }
}

/// One file of the project.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    /// Root-relative path with `/` separators.
    pub rel: String,
    /// Its folder.
    pub area: Area,
    /// Its text in the source table; `None` when it could not be read (a diagnostic of
    /// the project says why) or is an image of `assets/` (see [`Project::asset`]).
    pub file: Option<FileId>,
}

/// Why a project cannot be loaded at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `<root>/data` does not exist or is not a folder.
    #[error("no data/ folder in {0}")]
    NoDataDir(PathBuf),
    /// The root or `data/` could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error (said in the message, so not given as its source as well).
        error: std::io::Error,
    },
}

/// Every file of a project, read.
#[derive(Debug, Default)]
pub struct Project {
    /// The project root.
    pub root: PathBuf,
    /// The one source table: every file read.
    pub sources: Sources,
    /// Every file found, by area (data, content, templates), each in path order.
    pub files: Vec<ProjectFile>,
    /// Files that were not read because they lead outside their folder: root-relative
    /// path to where they lead.
    pub escaping: BTreeMap<String, String>,
    /// The problems of reading.
    pub diagnostics: Vec<Diagnostic>,
    /// The bytes of the images of `assets/`, by root-relative path.
    assets: BTreeMap<String, std::sync::Arc<[u8]>>,
    /// The areas read.
    areas: Vec<Area>,
}

impl Project {
    /// Reads every file of the `areas` of `root` (`data/` must exist).
    pub fn load(root: &Path, areas: &[Area]) -> Result<Project, LoadError> {
        let mut areas = areas.to_vec();
        areas.sort();
        areas.dedup();
        let mut project = Project {
            root: root.to_path_buf(),
            areas,
            ..Project::default()
        };
        project.read(&BTreeSet::new(), None)?;
        Ok(project)
    }

    /// Reads the project again after the files at these root-relative paths changed:
    /// files not named keep the text read before.
    pub fn reload(&mut self, changed: &BTreeSet<String>) -> Result<(), LoadError> {
        let previous = std::mem::take(self);
        self.root = previous.root.clone();
        self.areas = previous.areas.clone();
        self.read(changed, Some(previous))
    }

    /// The project of `data/` as it was at a git revision (read with the `git` program).
    pub fn at_revision(root: &Path, rev: &str) -> Result<Project, git::GitError> {
        let found = git::data_files_at(root, rev)?;
        let mut project = Project::from_texts(root, found.texts);
        for (rel, size) in found.too_large {
            let e = crate::source::ReadError::TooLarge {
                size,
                max: crate::source::MAX_FILE_BYTES,
            };
            project
                .diagnostics
                .push(Refusal::Read(e).diagnostic(&rel, Area::Data));
            project.files.push(ProjectFile {
                rel,
                area: Area::Data,
                file: None,
            });
        }
        project.files.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(project)
    }

    /// A project of texts that are not read from disk (the files of `data/` at a git
    /// revision): root-relative path and text.
    pub fn from_texts(root: &Path, mut texts: Vec<(String, String)>) -> Project {
        texts.retain(|(rel, _)| {
            Area::of(rel) == Some(Area::Data) && Area::Data.accepts(Path::new(rel))
        });
        texts.sort_by(|a, b| a.0.cmp(&b.0));
        let mut project = Project {
            root: root.to_path_buf(),
            areas: vec![Area::Data],
            ..Project::default()
        };
        for (rel, text) in texts {
            let file = project.sources.add(rel.clone(), text);
            project.files.push(ProjectFile {
                rel,
                area: Area::Data,
                file: Some(file),
            });
        }
        project
    }

    /// The files of one area, in path order.
    pub fn files_in(&self, area: Area) -> impl Iterator<Item = &ProjectFile> {
        self.files.iter().filter(move |f| f.area == area)
    }

    /// Where `rel` leads when it, or a folder it lies in, is a link out of its folder
    /// (which the loader did not follow).
    pub fn escaping_target(&self, rel: &str) -> Option<String> {
        let mut path = rel;
        loop {
            if let Some(target) = self.escaping.get(path) {
                let rest = &rel[path.len()..];
                return Some(format!("{target}{rest}"));
            }
            path = path.rsplit_once('/')?.0;
        }
    }

    /// The problems of reading one area.
    pub fn diagnostics_in(&self, area: Area) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| Area::of(&d.file).unwrap_or(Area::Data) == area)
    }

    /// The root-relative paths of the data files, in order.
    pub fn data_rels(&self) -> Vec<&str> {
        self.files_in(Area::Data).map(|f| f.rel.as_str()).collect()
    }

    /// A project of no file.
    pub fn empty(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
            ..Project::default()
        }
    }

    /// Adds a file made in memory, not read from disk (the generated changelog page of
    /// the unreleased changes): it takes part in the run like a file of `area`, until the
    /// next [`Project::reload`], which forgets it.
    pub fn add_generated(&mut self, rel: String, area: Area, text: String) {
        let file = self.sources.add(rel.clone(), text);
        let at = self
            .files
            .iter()
            .position(|f| (f.area, f.rel.as_str()) > (area, rel.as_str()))
            .unwrap_or(self.files.len());
        self.files.insert(
            at,
            ProjectFile {
                rel,
                area,
                file: Some(file),
            },
        );
    }

    /// The bytes of an image of `assets/` that was read (`rel` is root-relative).
    pub fn asset(&self, rel: &str) -> Option<&std::sync::Arc<[u8]>> {
        self.assets.get(rel)
    }

    /// The text of a file that was read.
    pub fn text(&self, file: &ProjectFile) -> Option<&str> {
        file.file.map(|id| self.sources.file(id).text.as_str())
    }

    fn read(
        &mut self,
        changed: &BTreeSet<String>,
        mut previous: Option<Project>,
    ) -> Result<(), LoadError> {
        let data = self.root.join("data");
        if !data.is_dir() {
            return Err(LoadError::NoDataDir(self.root.clone()));
        }
        data.canonicalize().map_err(|error| LoadError::Io {
            path: data.clone(),
            error,
        })?;
        let real_root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        // What was read before, by path: kept for the files that did not change, nor lie
        // below a path that changed (a folder replaced, a link turned).
        let mut before: std::collections::HashMap<String, FileId> = previous
            .as_ref()
            .map(|old| {
                old.files
                    .iter()
                    .filter_map(|f| Some((f.rel.clone(), f.file?)))
                    .collect()
            })
            .unwrap_or_default();
        let stale = |rel: &str| {
            changed.iter().any(|c| {
                rel == c
                    || rel
                        .strip_prefix(c.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        };
        for area in self.areas.clone() {
            let dir = self.root.join(area.dir());
            let real_dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            // The folder itself may be a link, but only to a place inside the root.
            if dir.exists() && !real_dir.starts_with(&real_root) {
                let refusal = Refusal::Escapes(real_dir.display().to_string(), true);
                self.diagnostics.push(refusal.diagnostic(area.dir(), area));
                self.escaping
                    .insert(area.dir().to_string(), real_dir.display().to_string());
                continue;
            }
            let walk = walk_files(&self.root, &dir, &real_dir, |p| area.accepts(p));
            self.diagnostics.extend(walk.problems);
            for (link, target) in walk.escaping {
                let rel = rel_path(&self.root, &link);
                let refusal = Refusal::Escapes(target.display().to_string(), target.is_dir());
                let target = target.display().to_string();
                self.diagnostics.push(refusal.diagnostic(&rel, area));
                self.escaping.insert(rel, target);
            }
            let paths = walk.files;
            let rels: Vec<String> = paths.iter().map(|p| rel_path(&self.root, p)).collect();
            if area == Area::Assets {
                let old = previous.as_ref().map(|p| &p.assets);
                self.read_assets(&paths, rels, |rel| old.filter(|_| !stale(rel))?.get(rel));
                continue;
            }
            // Texts read before are kept for files that did not change.
            let mut kept: Vec<Option<String>> = rels
                .iter()
                .map(|rel| {
                    let old = previous.as_mut()?;
                    if stale(rel) {
                        return None;
                    }
                    let id = before.remove(rel)?;
                    Some(old.sources.take_text(id))
                })
                .collect();
            let fresh = crate::pool::map(&paths, |i, path| {
                if kept[i].is_some() {
                    return None;
                }
                Some(read_bounded(path).map_err(Refusal::Read))
            });
            for ((rel, text), read) in rels.into_iter().zip(kept.iter_mut()).zip(fresh) {
                let text = match (text.take(), read) {
                    (Some(text), _) => Ok(text),
                    (None, Some(read)) => read,
                    (None, None) => unreachable!("a file is either kept or read"),
                };
                let file = match text {
                    Ok(text) => Some(self.sources.add(rel.clone(), text)),
                    Err(refusal) => {
                        self.diagnostics.push(refusal.diagnostic(&rel, area));
                        None
                    }
                };
                self.files.push(ProjectFile { rel, area, file });
            }
        }
        Ok(())
    }
}

impl Project {
    /// Reads the images of `assets/` as bytes; `kept` gives those read before that did not
    /// change.
    fn read_assets<'p>(
        &mut self,
        paths: &[PathBuf],
        rels: Vec<String>,
        kept: impl Fn(&str) -> Option<&'p std::sync::Arc<[u8]>>,
    ) {
        let mut total: u64 = 0;
        for (path, rel) in paths.iter().zip(rels) {
            let bytes = match kept(&rel) {
                Some(bytes) => Ok(bytes.clone()),
                None => crate::source::read_bounded_bytes(path).map(std::sync::Arc::from),
            };
            match bytes {
                Ok(bytes) if total + bytes.len() as u64 > MAX_ASSETS_BYTES => {
                    self.diagnostics.push(Diagnostic::in_file(
                        Severity::Error,
                        Code::FileTooLarge,
                        rel.clone(),
                        0,
                        0,
                        format!(
                            "the images of assets/ come to more than {} MiB; this one was not read",
                            MAX_ASSETS_BYTES / (1024 * 1024)
                        ),
                    ));
                }
                Ok(bytes) => {
                    total += bytes.len() as u64;
                    self.assets.insert(rel.clone(), bytes);
                }
                Err(e) => self
                    .diagnostics
                    .push(Refusal::Read(e).diagnostic(&rel, Area::Assets)),
            }
            self.files.push(ProjectFile {
                rel,
                area: Area::Assets,
                file: None,
            });
        }
    }
}

/// Why one file was not read.
enum Refusal {
    /// It leads outside its folder, to this path (a folder when the flag says so).
    Escapes(String, bool),
    /// It could not be read.
    Read(crate::source::ReadError),
}

impl Refusal {
    fn diagnostic(&self, rel: &str, area: Area) -> Diagnostic {
        let (code, message) = match self {
            Refusal::Escapes(target, is_dir) => (
                if area == Area::Data {
                    Code::PathEscapesData
                } else {
                    Code::Io
                },
                if rel == area.dir() {
                    format!("{rel}/ links to {target}, outside the project; it was not read")
                } else {
                    format!(
                        "this {} links to {target}, outside {}/; it was not read",
                        if *is_dir { "folder" } else { "file" },
                        area.dir()
                    )
                },
            ),
            Refusal::Read(e) => (Code::from(e), e.to_string()),
        };
        let (line, column) = match self {
            Refusal::Read(e) => e.position().unwrap_or((0, 0)),
            Refusal::Escapes(..) => (0, 0),
        };
        Diagnostic::in_file(Severity::Error, code, rel, line, column, message)
    }
}

/// What a walk of one folder found.
#[derive(Default)]
struct Walk {
    /// The files to read, in name order.
    files: Vec<PathBuf>,
    /// Links that lead outside the folder (not followed): the link and where it leads.
    escaping: Vec<(PathBuf, PathBuf)>,
    /// Entries that could not be read.
    problems: Vec<Diagnostic>,
}

/// The files below `dir` that `accept` takes, in name order. Symlinks are followed only
/// while they lead inside `real_dir` (the folder as it really is): a link out of it is
/// reported, not followed, so a link to `/` costs one entry. A missing `dir` has no files.
/// Whether `path` is an editor's lock file (Emacs's `.#page.md`, a link to nowhere while a
/// buffer is unsaved): not the project's, never read.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().starts_with(b".#"))
}

fn walk_files(root: &Path, dir: &Path, real_dir: &Path, accept: impl Fn(&Path) -> bool) -> Walk {
    let escaping = std::cell::RefCell::new(Vec::new());
    let mut walk = Walk::default();
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_lock_file(e.path()) {
                return false;
            }
            if e.depth() == 0 || !e.path_is_symlink() {
                return true;
            }
            match e.path().canonicalize() {
                Ok(real) if real.starts_with(real_dir) => true,
                Ok(real) => {
                    if real.is_dir() || accept(e.path()) {
                        escaping.borrow_mut().push((e.path().to_path_buf(), real));
                    }
                    false
                }
                // A broken link: the walk reports it.
                Err(_) => true,
            }
        });
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() && accept(e.path()) => walk.files.push(e.into_path()),
            Ok(_) => {}
            Err(e) if e.path() == Some(dir) && !dir.exists() => {}
            // (A lock file is a link to nowhere: the walk meets it as an error.)
            Err(e) if e.path().is_some_and(is_lock_file) => {}
            Err(e) => {
                let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
                walk.problems.push(Diagnostic::in_file(
                    Severity::Error,
                    Code::Io,
                    path,
                    0,
                    0,
                    e.to_string(),
                ));
            }
        }
    }
    walk.escaping = escaping.into_inner();
    walk
}
