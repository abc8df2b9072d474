//! The registry of every document under `data/`: read, parsed and classified.
//!
//! Files are found with walkdir (symlinks followed, loops reported), each must resolve to
//! a path inside `data/`, and each is parsed once into a [`Node`] tree. A document is an
//! event example, an example fragment (`.json` or `core/`), the string-format table, an
//! OpenAPI document (skipped) or a JSON Schema.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{parse, rel_path, walk_files, FileId, Node, Sources, Syntax};

/// The folder of event schemas, relative to the root.
pub const EVENT_SCHEMA_DIR: &str = "data/event-schemas/schema";
/// The folder of event examples, relative to the root.
pub const EXAMPLE_DIR: &str = "data/event-schemas/examples";
/// The string-format table, relative to the root.
pub const STRING_FORMATS: &str = "data/string-formats.yaml";

/// What a document under `data/` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A JSON Schema (draft 2020-12).
    Schema,
    /// An example event: `examples/NAME.yaml` or `examples/NAME$variant.yaml`.
    Example,
    /// A fragment examples refer to: `examples/**/*.json` or `examples/core/**`.
    ExampleFragment,
    /// `data/string-formats.yaml`.
    StringFormats,
    /// An OpenAPI document: not a schema, not checked here.
    OpenApi,
}

/// One parsed document.
#[derive(Debug)]
pub struct Document {
    /// Its file.
    pub file: FileId,
    /// Root-relative path (`data/event-schemas/schema/m.room_key.withheld.yaml`).
    pub rel: String,
    /// What it is.
    pub kind: DocKind,
    /// Its parsed tree.
    pub node: Node,
}

/// Every document of a root's `data/` folder.
#[derive(Debug)]
pub struct Registry {
    /// The project root.
    pub root: PathBuf,
    /// The canonical `data/` folder: every file read lies inside it.
    pub data_dir: PathBuf,
    /// The file table (every file read, parsed or not).
    pub sources: Sources,
    docs: BTreeMap<String, Document>,
    /// Every file of `data/` that was read, in order (its index is its file id).
    data_files: Vec<String>,
}

/// Why the registry could not be made at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `<root>/data` does not exist or is not a folder.
    #[error("no data/ folder in {0}")]
    NoDataDir(PathBuf),
    /// The root or `data/` could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl Registry {
    /// A registry of no document.
    pub fn empty(root: &Path) -> Registry {
        Registry {
            root: root.to_path_buf(),
            data_dir: root.join("data"),
            sources: Sources::new(),
            docs: BTreeMap::new(),
            data_files: Vec::new(),
        }
    }

    /// A registry of texts that are not read from disk (the files of `data/` at a git
    /// revision): root-relative path and text.
    pub fn from_texts(
        root: &Path,
        mut files: Vec<(String, String)>,
    ) -> (Registry, Vec<Diagnostic>) {
        files.retain(|(rel, _)| {
            rel.starts_with("data/") && Syntax::of_path(Path::new(rel)).is_some()
        });
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut registry = Registry::empty(root);
        let parsed = parallel_map(&files, |i, (rel, text)| {
            let syntax = Syntax::of_path(Path::new(rel)).unwrap_or(Syntax::Yaml);
            parse(text, syntax, FileId(i as u32))
        });
        let mut diagnostics = Vec::new();
        for (i, ((rel, text), parsed)) in files.into_iter().zip(parsed).enumerate() {
            registry.sources.add(rel.clone(), text);
            match parsed {
                Ok(node) => {
                    let kind = classify(&rel, &node);
                    registry.docs.insert(
                        rel.clone(),
                        Document {
                            file: FileId(i as u32),
                            rel: rel.clone(),
                            kind,
                            node,
                        },
                    );
                }
                Err(e) => diagnostics.push(Diagnostic::in_file(
                    Severity::Error,
                    e.code,
                    rel.clone(),
                    e.line,
                    e.column,
                    e.message,
                )),
            }
            registry.data_files.push(rel);
        }
        (registry, diagnostics)
    }

    /// Reads and parses every YAML and JSON file under `<root>/data`. Problems with single
    /// files are returned as diagnostics; the run goes on without those files.
    pub fn load(root: &Path) -> Result<(Registry, Vec<Diagnostic>), LoadError> {
        Self::load_reusing(root, None).map(|(registry, diagnostics, _)| (registry, diagnostics))
    }

    /// Like [`Registry::load`], but takes the parsed documents of `previous` for every
    /// file not in `changed` when the list of files is the same. Returns whether it did;
    /// the diagnostics are then those of the files read again.
    pub fn load_reusing(
        root: &Path,
        previous: Option<(Registry, &BTreeSet<String>)>,
    ) -> Result<(Registry, Vec<Diagnostic>, bool), LoadError> {
        let data = root.join("data");
        if !data.is_dir() {
            return Err(LoadError::NoDataDir(root.to_path_buf()));
        }
        let data_dir = data.canonicalize().map_err(|source| LoadError::Io {
            path: data.clone(),
            source,
        })?;
        let mut registry = Registry {
            root: root.to_path_buf(),
            data_dir,
            sources: Sources::new(),
            docs: BTreeMap::new(),
            data_files: Vec::new(),
        };
        let (paths, mut diagnostics) = walk_files(root, &data, |p| Syntax::of_path(p).is_some());
        let rels: Vec<String> = paths.iter().map(|p| rel_path(root, p)).collect();
        // The same files in the same order keep their ids, so their trees can be reused.
        let mut previous =
            previous.filter(|(old, _)| old.data_files == rels && diagnostics.is_empty());
        let reused = previous.is_some();
        let to_read: Vec<usize> = (0..paths.len())
            .filter(|&i| {
                previous
                    .as_ref()
                    .is_none_or(|(_, changed)| changed.contains(&rels[i]))
            })
            .collect();
        let mut loaded = parallel_map(&to_read, |_, &i| {
            registry.read_and_parse(&paths[i], FileId(i as u32))
        })
        .into_iter();
        let mut next_read = to_read.iter().peekable();
        for (i, rel) in rels.iter().enumerate() {
            let (text, parsed) = if next_read.peek() == Some(&&i) {
                next_read.next();
                loaded.next().expect("one result for each file read")
            } else {
                let (old, _) = previous.as_mut().expect("files not read are reused");
                let text = std::mem::take(&mut old.sources.file_mut(FileId(i as u32)).text);
                match old.docs.remove(rel) {
                    Some(doc) => (text, Ok(doc.node)),
                    // Unchanged and unreadable before: read it again for its diagnostic.
                    None => registry.read_and_parse(&paths[i], FileId(i as u32)),
                }
            };
            registry.sources.add(rel.clone(), text);
            match parsed {
                Ok(node) => {
                    let kind = classify(rel, &node);
                    let file = FileId(i as u32);
                    registry.docs.insert(
                        rel.clone(),
                        Document {
                            file,
                            rel: rel.clone(),
                            kind,
                            node,
                        },
                    );
                }
                Err(d) => diagnostics.push(*d),
            }
        }
        registry.data_files = rels;
        Ok((registry, diagnostics, reused))
    }

    /// Reads one file (which must lie inside `data/`) and parses it as file `file`.
    /// Returns the text read (empty when unread) and the tree or the problem.
    fn read_and_parse(&self, path: &Path, file: FileId) -> (String, Result<Node, Box<Diagnostic>>) {
        let rel = rel_path(&self.root, path);
        let fail = |code, line, column, msg: String| {
            Box::new(Diagnostic::in_file(
                Severity::Error,
                code,
                rel.clone(),
                line,
                column,
                msg,
            ))
        };
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.data_dir) => {}
            Ok(real) => {
                let msg = format!(
                    "this file links to {}, outside data/; it was not read",
                    real.display()
                );
                return (String::new(), Err(fail("path-escapes-data", 0, 0, msg)));
            }
            Err(e) => return (String::new(), Err(fail("io", 0, 0, e.to_string()))),
        }
        let text = match Sources::read(path) {
            Ok(text) => text,
            Err(e) => {
                let code = match e {
                    crate::source::ReadError::TooLarge { .. } => "file-too-large",
                    _ => "io",
                };
                return (String::new(), Err(fail(code, 0, 0, e.to_string())));
            }
        };
        let syntax = Syntax::of_path(path).unwrap_or(Syntax::Yaml);
        let parsed =
            parse(&text, syntax, file).map_err(|e| fail(e.code, e.line, e.column, e.message));
        (text, parsed)
    }

    /// Every file of `data/` that was read, in order.
    pub fn data_file_list(&self) -> &[String] {
        &self.data_files
    }

    /// The document at a root-relative path.
    pub fn get(&self, rel: &str) -> Option<&Document> {
        self.docs.get(rel)
    }

    /// Every document, in path order.
    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }

    /// Every document of a kind, in path order.
    pub fn of_kind(&self, kind: DocKind) -> impl Iterator<Item = &Document> {
        self.docs.values().filter(move |d| d.kind == kind)
    }
}

fn classify(rel: &str, node: &Node) -> DocKind {
    if rel == STRING_FORMATS {
        return DocKind::StringFormats;
    }
    if let Some(rest) = rel
        .strip_prefix(EXAMPLE_DIR)
        .and_then(|r| r.strip_prefix('/'))
    {
        let is_event =
            !rest.contains('/') && Syntax::of_path(Path::new(rest)) == Some(Syntax::Yaml);
        return if is_event {
            DocKind::Example
        } else {
            DocKind::ExampleFragment
        };
    }
    if node.get("openapi").is_some() || node.get("swagger").is_some() {
        return DocKind::OpenApi;
    }
    DocKind::Schema
}

/// `f` over `items` on every core, results in input order. Files are independent, so
/// parsing them in parallel is the cheapest speed-up a check has.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if workers <= 1 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let f = &f;
    let mut slots: Vec<Option<R>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    (w..items.len())
                        .step_by(workers)
                        .map(|i| (i, f(i, &items[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        for h in handles {
            for (i, r) in h.join().expect("a parser thread panicked") {
                slots[i] = Some(r);
            }
        }
        slots
    });
    slots
        .iter_mut()
        .map(|s| s.take().expect("every item is mapped"))
        .collect()
}
