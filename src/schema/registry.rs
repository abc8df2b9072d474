//! The registry of every document under `data/`: parsed and classified, from memory.
//!
//! The project loader has read the files; each is parsed once into a [`Node`] tree (on
//! every core). A document is an event example, an example fragment (`.json` or
//! `core/`), the string-format table, an OpenAPI document (skipped) or a JSON Schema.
//! The registry is also the one place that lists event schemas and finds a schema by name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity};
use crate::project::{Area, Project};
use crate::source::{parse, FileId, Node, Sources, Syntax};

/// The folder of event schemas, relative to the root.
pub const EVENT_SCHEMA_DIR: &str = "data/event-schemas/schema";
/// The folder of event examples, relative to the root.
pub const EXAMPLE_DIR: &str = "data/event-schemas/examples";
/// The string-format table, relative to the root.
pub const STRING_FORMATS: &str = "data/string-formats.yaml";
/// The proposals file the `proposal-tables` shortcode shows.
pub const PROPOSALS: &str = "data/msc/proposals.json";
/// The extensions a schema named without one may have, in the order they are tried.
pub const SCHEMA_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

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
    /// `data/msc/proposals.json`: the proposals and their states, for the
    /// `proposal-tables` shortcode (upstream's CI fetches it from GitHub). Not a schema.
    Proposals,
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

/// Every document of a project's `data/` folder, and the project it was read from.
#[derive(Debug, Default)]
pub struct Registry {
    /// The project: the source table of every file read.
    pub project: Project,
    docs: BTreeMap<String, Document>,
    /// The data files as they were when parsed (their order gives their file ids).
    parsed: Vec<String>,
}

impl Registry {
    /// A registry of no document.
    pub fn empty(root: &Path) -> Registry {
        Registry {
            project: Project::empty(root),
            ..Registry::default()
        }
    }

    /// Parses every data file of `project`. Problems with single files (reading them and
    /// parsing them) are returned as diagnostics; the run goes on without those files.
    pub fn new(project: Project) -> (Registry, Vec<Diagnostic>) {
        let (registry, diagnostics, _) = Registry::build(project, None);
        (registry, diagnostics)
    }

    /// Parses the data files of the project again after it was reloaded with these
    /// changes, keeping the trees of the files not in `changed` when the list of data
    /// files is the same as before. Returns whether it did.
    pub fn reparse(self, changed: &BTreeSet<String>) -> (Registry, Vec<Diagnostic>, bool) {
        let Registry {
            project,
            docs,
            parsed,
        } = self;
        Registry::build(
            project,
            Some(Previous {
                docs,
                parsed,
                changed,
            }),
        )
    }

    fn build(project: Project, previous: Option<Previous>) -> (Registry, Vec<Diagnostic>, bool) {
        let files: Vec<(String, Option<FileId>)> = project
            .files_in(Area::Data)
            .map(|f| (f.rel.clone(), f.file))
            .collect();
        let rels: Vec<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
        let mut diagnostics: Vec<Diagnostic> =
            project.diagnostics_in(Area::Data).cloned().collect();
        let reading_failed = !diagnostics.is_empty();
        // The same files in the same order keep their ids, so their trees can be reused.
        let mut previous = previous.filter(|p| p.parsed == rels && !reading_failed);
        let reused = previous.is_some();
        let mut kept: Vec<Option<Node>> = files
            .iter()
            .map(|(rel, _)| {
                let previous = previous.as_mut()?;
                if previous.changed.contains(rel) {
                    return None;
                }
                previous.docs.remove(rel).map(|d| d.node)
            })
            .collect();
        let sources = &project.sources;
        let parsed = crate::pool::map(&files, |i, (rel, file)| {
            let file = (*file)?;
            if kept[i].is_some() {
                return None;
            }
            let syntax = Syntax::of_path(Path::new(rel)).unwrap_or(Syntax::Yaml);
            Some(parse(&sources.file(file).text, syntax, file))
        });
        let mut docs = BTreeMap::new();
        for (((rel, file), node), parsed) in files.into_iter().zip(kept.iter_mut()).zip(parsed) {
            let Some(file) = file else { continue };
            let node = match (node.take(), parsed) {
                (Some(node), _) => node,
                (None, Some(Ok(node))) => node,
                (None, Some(Err(e))) => {
                    let (line, column, message) = e.explained(&sources.file(file).text);
                    diagnostics.push(Diagnostic::in_file(
                        Severity::Error,
                        e.kind.into(),
                        rel,
                        line,
                        column,
                        message,
                    ));
                    continue;
                }
                (None, None) => continue,
            };
            let kind = classify(&rel, &node);
            docs.insert(
                rel.clone(),
                Document {
                    file,
                    rel,
                    kind,
                    node,
                },
            );
        }
        let registry = Registry {
            project,
            docs,
            parsed: rels,
        };
        (registry, diagnostics, reused)
    }

    /// The one source table of the project.
    pub fn sources(&self) -> &Sources {
        &self.project.sources
    }

    /// The project root.
    pub fn root(&self) -> &Path {
        &self.project.root
    }

    /// Every file of `data/` that was found (read or not), in order.
    pub fn data_file_list(&self) -> &[String] {
        &self.parsed
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

    /// The schema `dir/name.EXT` for the first of [`SCHEMA_EXTENSIONS`] that exists.
    pub fn find_schema(&self, dir: &str, name: &str) -> Option<&Document> {
        SCHEMA_EXTENSIONS
            .iter()
            .find_map(|ext| self.get(&format!("{dir}/{name}.{ext}")))
            .filter(|d| d.kind == DocKind::Schema)
    }

    /// The event files (files directly in [`EVENT_SCHEMA_DIR`] with one of the
    /// [`SCHEMA_EXTENSIONS`]), read or not, as event name and root-relative path, in path
    /// order: the one listing of events.
    pub fn event_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.parsed.iter().filter_map(|rel| {
            let rest = rel.strip_prefix(EVENT_SCHEMA_DIR)?.strip_prefix('/')?;
            let (name, ext) = rest.rsplit_once('.')?;
            (!rest.contains('/') && SCHEMA_EXTENSIONS.contains(&ext))
                .then_some((name, rel.as_str()))
        })
    }

    /// The event schemas that were read and parsed, with their event names.
    pub fn event_schemas(&self) -> impl Iterator<Item = (&str, &Document)> {
        self.event_files().filter_map(|(name, rel)| {
            let doc = self.get(rel).filter(|d| d.kind == DocKind::Schema)?;
            Some((name, doc))
        })
    }
}

/// What a reparse may reuse: the trees parsed before, the data files they were parsed
/// from, and the files changed since.
struct Previous<'c> {
    docs: BTreeMap<String, Document>,
    parsed: Vec<String>,
    changed: &'c BTreeSet<String>,
}

/// Whether the data file at `rel` is an example event (a YAML file directly in
/// [`EXAMPLE_DIR`]), whether it parses or not.
pub fn is_event_example(rel: &str) -> bool {
    rel.strip_prefix(EXAMPLE_DIR)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|rest| {
            !rest.contains('/') && Syntax::of_path(Path::new(rest)) == Some(Syntax::Yaml)
        })
}

fn classify(rel: &str, node: &Node) -> DocKind {
    if rel == STRING_FORMATS {
        return DocKind::StringFormats;
    }
    if rel == PROPOSALS {
        return DocKind::Proposals;
    }
    if rel
        .strip_prefix(EXAMPLE_DIR)
        .is_some_and(|r| r.starts_with('/'))
    {
        return if is_event_example(rel) {
            DocKind::Example
        } else {
            DocKind::ExampleFragment
        };
    }
    // The example payloads of the HTTP APIs are data, never schemas.
    if rel.starts_with("data/api/") && rel.contains("/examples/") {
        return DocKind::ExampleFragment;
    }
    if node.get("openapi").is_some() || node.get("swagger").is_some() {
        return DocKind::OpenApi;
    }
    DocKind::Schema
}
