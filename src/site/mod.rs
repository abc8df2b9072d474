//! The build: check, then every page rendered into memory, then the link check, then the
//! safe write. A build with errors writes nothing.
//!
//! A [`Session`] keeps what it built, so that `serve` can rebuild only what a change needs:
//! a changed page or fragment re-renders the pages made from it; a changed schema or
//! example is checked again and re-renders the pages that show it; templates, or a change
//! to the site's page list or titles (the sidebar), re-render every page.

mod ambiguous;
pub mod links;
mod nav;
mod output;
mod page;
pub mod release;
mod rendering;
pub mod search;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::check::{check, recheck_reloaded, Report};
use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Severity, Summary};
use crate::project::{Area, LoadError, Project};
use crate::render::{published_path, templates};
use crate::settings::Settings;

pub use page::PageOutput;
pub use write::{write_site, write_site_with, SiteFiles, WriteError};

/// How to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The project root.
    pub root: PathBuf,
    /// The site's name (default: the title of `content/_index.md`).
    pub title: Option<String>,
    /// Prefix of every site-absolute link (`/v1.19`); empty for `/`.
    pub base_url: String,
    /// The version being built: its annotations read "New in this version".
    pub spec_version: Option<String>,
    /// Build the spec as it was at this version, from its annotations.
    pub as_of: Option<String>,
    /// The levels of warning codes.
    pub levels: crate::diagnostics::Levels,
    /// Write links relative to each page, so the site works opened from disk.
    pub relative_urls: bool,
    /// The project's repository on the web: a release's page links to its tree there.
    pub repository: Option<String>,
}

impl BuildOptions {
    /// The options of a build of `root` with these settings.
    pub fn new(root: PathBuf, settings: Settings) -> BuildOptions {
        BuildOptions {
            root,
            title: settings.title,
            base_url: settings.base_url,
            spec_version: settings.spec_version,
            as_of: settings.as_of,
            levels: settings.levels,
            relative_urls: settings.relative_urls,
            repository: settings.repository,
        }
    }

    /// The version the site shows: the `--as-of` version, else `--spec-version`. Its
    /// annotations read "New in this version".
    pub fn current_version(&self) -> Option<&str> {
        self.as_of.as_deref().or(self.spec_version.as_deref())
    }
}

/// A site in memory, with everything the build found.
pub struct Built {
    /// Output-relative path to bytes; empty when the build had errors.
    pub files: SiteFiles,
    /// Every problem, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
    /// The check's report (sources for rendering diagnostics).
    pub report: Report,
    /// Number of pages rendered.
    pub pages: usize,
}

impl Built {
    /// Whether the build found errors.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// What one rebuild did.
#[derive(Debug, Default, Clone)]
pub struct Rebuild {
    /// Whether `data/` was checked again.
    pub checked: bool,
    /// Pages rendered again, by URL.
    pub rendered: Vec<String>,
    /// Whether every page was rendered.
    pub full: bool,
}

/// A build kept in memory, updated change by change.
pub struct Session {
    options: BuildOptions,
    report: Report,
    content: Content,
    /// Problems of reading `content/` and `templates/`, and of the pages' front matter.
    content_diags: Vec<Diagnostic>,
    templates: Result<templates::Templates, Vec<Diagnostic>>,
    pages: BTreeMap<String, PageOutput>,
    /// The versions named by annotations (for `versions.json`).
    versions: Vec<String>,
    /// Changes not rendered yet (the site had errors when they came).
    pending: BTreeSet<String>,
    /// The published API definitions (`api/<spec>.json`), and the problems making them.
    api_files: (SiteFiles, Vec<Diagnostic>),
    /// The page for paths that are no page (`404.html`), or why it could not be made.
    not_found: Result<Vec<u8>, Diagnostic>,
    /// The leaf shortcode calls rendered so far: kept while only `content/` changes.
    calls: crate::render::call_cache::CallCache,
    /// Whether a full render also indexes the pages for search as their final pass reads
    /// them (a one-shot build; `serve` publishes the pages first and indexes them after).
    index_while_rendering: bool,
    /// The search index of the last full render, being built ([`search::Indexer`]).
    indexer: Option<search::Indexer>,
}

/// Checks and renders the site at `options.root` into memory.
pub fn build(options: &BuildOptions) -> Result<Built, LoadError> {
    Ok(Session::start(options.clone(), true)?.into_built())
}

/// Builds and writes the site to `output`.
pub fn build_and_write(
    options: &BuildOptions,
    output: &Path,
) -> Result<(Built, Option<WriteError>), LoadError> {
    let (mut built, index) = Session::start(options.clone(), true)?.into_parts();
    let Some(index) = index else {
        return Ok((built, None));
    };
    // The search index is finished while the other files are written.
    match write_site_with(&options.root, output, &built.files, || index.file()) {
        Ok(written_later) => {
            built.files.extend(written_later);
            Ok((built, None))
        }
        Err(e) => Ok((built, Some(e))),
    }
}

/// The page of the unreleased changes that the build makes from `changelogs/`.
fn unstable_rel() -> String {
    let file = crate::changelog::Release::Unstable.file_name();
    format!("{}/{file}", crate::changelog::PAGES)
}

impl Session {
    /// A full build, kept for updates.
    pub fn open(options: BuildOptions) -> Result<Session, LoadError> {
        Session::start(options, false)
    }

    /// A full build; the search index is made while the pages render when
    /// `index_while_rendering`.
    fn start(options: BuildOptions, index_while_rendering: bool) -> Result<Session, LoadError> {
        let mut project = Project::load(&options.root, &Area::ALL)?;
        crate::changelog::add_unstable_page(&mut project, &crate::calendar::today());
        // The templates compile on a thread of their own while the project is checked.
        let sources = templates::sources(&project);
        let (report, templates) = std::thread::scope(|scope| {
            let compiled = scope.spawn(move || templates::compile(sources));
            let report = check(project);
            let templates = compiled
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (report, templates)
        });
        let mut session = Session {
            options,
            report,
            content: Content::default(),
            content_diags: Vec::new(),
            templates,
            pages: BTreeMap::new(),
            versions: Vec::new(),
            pending: BTreeSet::new(),
            api_files: Default::default(),
            not_found: Ok(Vec::new()),
            calls: Default::default(),
            index_while_rendering,
            indexer: None,
        };
        session.reload_content();
        // The API definitions are published while the pages render.
        let (rendered, api_files) = std::thread::scope(|scope| {
            let published = scope.spawn(|| session.publish_apis());
            let rendered = session.render_pages(None);
            let api_files = published
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rendered, api_files)
        });
        if let Some(rendered) = rendered {
            session.keep(rendered);
        }
        session.api_files = api_files;
        Ok(session)
    }

    /// Applies changes to the files at these root-relative paths.
    pub fn update(&mut self, changed: &BTreeSet<String>) -> Result<Rebuild, LoadError> {
        // Changes made while the site could not be rendered still need rendering.
        let mut changed = changed.clone();
        changed.append(&mut self.pending);
        // The page of the unreleased changes is made from changelogs/.
        if changed
            .iter()
            .any(|p| p.split('/').next() == Some("changelogs"))
        {
            changed.insert(unstable_rel());
        }
        let mut done = Rebuild::default();
        let under = |dir: &str| {
            changed
                .iter()
                .any(|p| p == dir || p.starts_with(&format!("{dir}/")))
        };
        let templates_changed = under("templates");
        let nav_before = self.nav_key();
        let files_before = self.report.registry.data_file_list().to_vec();
        let kinds_before = self.data_kinds();
        // One reload of the project: the changed files are read again, the others keep
        // the text read before.
        self.report.registry.project.reload(&changed)?;
        crate::changelog::add_unstable_page(
            &mut self.report.registry.project,
            &crate::calendar::today(),
        );
        if templates_changed {
            self.templates = templates::load(&self.report.registry.project);
        }
        if under("data") || self.report.registry.project.data_rels() != files_before {
            let previous = std::mem::replace(&mut self.report, Report::empty(&self.options.root));
            self.report = recheck_reloaded(previous, &changed);
            done.checked = true;
            self.api_files = self.publish_apis();
        }
        self.reload_content();
        // A file of data/ that is new or gone (an example, a schema) can change any page;
        // so can one that is now another kind of document (an API document, a schema: read
        // from its text), since what a page finds under a name may change.
        let files_changed = self.report.registry.data_file_list() != files_before.as_slice();
        let kinds_changed = self.data_kinds() != kinds_before;
        // A call's output is made from the files of data/ it read and the templates: a
        // changed file of data/ forgets the calls that read it; any other change but to
        // pages (templates, assets, data definitions, news) forgets them all.
        let pages_or_data = |p: &String| matches!(Area::of(p), Some(Area::Content | Area::Data));
        if templates_changed || files_changed || kinds_changed || !changed.iter().all(pages_or_data)
        {
            self.calls.clear();
        } else {
            self.calls.forget_reading(&changed);
        }
        let everything =
            templates_changed || files_changed || kinds_changed || self.nav_key() != nav_before;
        let which: Option<BTreeSet<String>> = if everything {
            None
        } else {
            let keys: BTreeSet<String> = self
                .content
                .rendered()
                .filter(|p| match self.pages.get(&p.key) {
                    None => true,
                    Some(out) => {
                        !out.diagnostics.is_empty() || out.deps.iter().any(|d| changed.contains(d))
                    }
                })
                .map(|p| p.key.clone())
                .collect();
            Some(keys)
        };
        done.full = which.is_none();
        if self.blocked() {
            self.pending = changed;
        } else {
            done.rendered = self.render(which.as_ref());
        }
        Ok(done)
    }

    /// Each document of `data/` and what it is.
    fn data_kinds(&self) -> Vec<(String, crate::schema::DocKind)> {
        let docs = self.report.registry.docs();
        docs.map(|d| (d.rel.clone(), d.kind)).collect()
    }

    fn reload_content(&mut self) {
        let project = &self.report.registry.project;
        let (content, mut diags) = content::load(project);
        // The problems of reading the folders pages are made from (`data/`'s and
        // `changelogs/`' are the check's).
        for area in [
            Area::Content,
            Area::Templates,
            Area::DataDefinitions,
            Area::Assets,
        ] {
            diags.extend(project.diagnostics_in(area).cloned());
        }
        self.content = content;
        self.content_diags = diags;
        let live: BTreeSet<&str> = self.content.rendered().map(|p| p.key.as_str()).collect();
        self.pages.retain(|key, _| live.contains(key.as_str()));
    }

    /// The titles, weights and URLs of the pages: what the sidebar shows.
    fn nav_key(&self) -> Vec<(String, Option<String>, i64)> {
        self.content
            .rendered()
            .map(|p| (p.url.clone(), p.front.title.clone(), p.front.weight))
            .collect()
    }

    /// Whether anything before rendering (check, content, templates) found an error.
    fn blocked(&self) -> bool {
        let errors = |d: &Vec<Diagnostic>| d.iter().any(|d| d.severity == Severity::Error);
        errors(&self.report.diagnostics) || errors(&self.content_diags) || self.templates.is_err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_file_that_becomes_an_api_document_forgets_the_kept_calls() {
        // `things.json` sorts before `things.yaml`: once it is an API document, the
        // `http-api` call for `things` shows it, though the call never read it before.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/http-api");
        let tmp = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fixture) {
            let entry = entry.unwrap();
            let to = tmp
                .path()
                .join(entry.path().strip_prefix(&fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let json = tmp.path().join("data/api/demo/things.json");
        std::fs::write(&json, "{\"type\": \"object\"}\n").unwrap();
        let options = BuildOptions {
            root: tmp.path().to_path_buf(),
            ..Default::default()
        };
        let mut session = Session::open(options).unwrap();
        let page = |s: &Session| String::from_utf8(s.pages.values().next().unwrap().html.clone());
        assert!(page(&session).unwrap().contains("/things"));
        std::fs::write(
            &json,
            "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"Z\", \"version\": \"1\"}, \
             \"paths\": {\"/zeppelins\": {\"get\": {\"operationId\": \"getZeppelins\", \
             \"responses\": {\"200\": {\"description\": \"The zeppelins.\"}}}}}}\n",
        )
        .unwrap();
        let changed = ["data/api/demo/things.json".to_string()].into();
        session.update(&changed).unwrap();
        let html = page(&session).unwrap();
        assert!(html.contains("/zeppelins"), "{html}");
    }
}
