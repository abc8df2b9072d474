//! The build: check, then every page rendered into memory, then the link check, then the
//! safe write. A build with errors writes nothing.
//!
//! A [`Session`] keeps what it built, so that `serve` can rebuild only what a change needs:
//! a changed page or fragment re-renders the pages made from it; a changed schema or
//! example is checked again and re-renders the pages that show it; templates, or a change
//! to the site's page list or titles (the sidebar), re-render every page.

pub mod links;
mod nav;
mod page;
pub mod search;
pub mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::check::{check, recheck_reloaded, Report};
use crate::content::{self, Content, Page};
use crate::diagnostics::{self, Code, Diagnostic, Severity, Summary};
use crate::project::{Area, LoadError, Project};
use crate::render::{published_path, templates, RenderContext, Versions};
use crate::settings::Settings;

pub use page::PageOutput;
pub use write::{write_site, SiteFiles, WriteError};

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
}

/// Checks and renders the site at `options.root` into memory.
pub fn build(options: &BuildOptions) -> Result<Built, LoadError> {
    Ok(Session::open(options.clone())?.into_built())
}

/// Builds and writes the site to `output`.
pub fn build_and_write(
    options: &BuildOptions,
    output: &Path,
) -> Result<(Built, Option<WriteError>), LoadError> {
    let built = build(options)?;
    if built.has_errors() {
        return Ok((built, None));
    }
    let written = write_site(&options.root, output, &built.files).err();
    Ok((built, written))
}

/// The page of the unreleased changes that the build makes from `changelogs/`.
fn unstable_rel() -> String {
    let file = crate::changelog::Release::Unstable.file_name();
    format!("{}/{file}", crate::changelog::PAGES)
}

impl Session {
    /// A full build.
    pub fn open(options: BuildOptions) -> Result<Session, LoadError> {
        let mut project = Project::load(&options.root, &Area::ALL)?;
        crate::changelog::add_unstable_page(&mut project, &crate::changelog::today());
        let report = check(project);
        let templates = templates::load(&report.registry.project);
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
        };
        session.reload_content();
        session.render(None);
        session.api_files = session.publish_apis();
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
        // A call's output is made from everything but the pages.
        if changed.iter().any(|p| Area::of(p) != Some(Area::Content)) {
            self.calls.clear();
        }
        let nav_before = self.nav_key();
        let files_before = self.report.registry.data_file_list().to_vec();
        // One reload of the project: the changed files are read again, the others keep
        // the text read before.
        self.report.registry.project.reload(&changed)?;
        crate::changelog::add_unstable_page(
            &mut self.report.registry.project,
            &crate::changelog::today(),
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
        // A file of data/ that is new or gone (an example, a schema) can change any page.
        let files_changed = self.report.registry.data_file_list() != files_before.as_slice();
        let everything = templates_changed || files_changed || self.nav_key() != nav_before;
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

    /// Renders the pages with these keys (all when `None`); returns their URLs.
    fn render(&mut self, which: Option<&BTreeSet<String>>) -> Vec<String> {
        let Ok(templates) = &self.templates else {
            return Vec::new();
        };
        if self.blocked() {
            return Vec::new();
        }
        let versions = Versions {
            current: self.options.current_version().map(str::to_string),
            as_of: self.options.as_of.clone(),
        };
        let found = crate::version::as_of::versions_found(
            self.report.registry.docs().map(|d| &d.node),
            self.content.pages.iter().map(|p| p.body.as_str()),
        );
        self.versions = found.clone();
        let frame = page::Frame::new(&self.content, &self.options, found);
        // Its sidebar is every page's: made again with every render.
        self.not_found = frame.not_found(&templates.tera).map_err(|message| {
            let rel = templates::origin(&self.report.registry.project, "404.html");
            Diagnostic::in_file(Severity::Error, Code::Template, rel, 0, 0, message)
        });
        // Pages render on every core, each worker with a context of its own, the longest
        // pages first so that none is left to run alone at the end.
        let mut pages: Vec<&Page> = self
            .content
            .rendered()
            .filter(|p| which.is_none_or(|keys| keys.contains(&p.key)))
            .collect();
        pages.sort_by_key(|p| std::cmp::Reverse(p.body.len()));
        let (registry, examples, content, calls) = (
            &self.report.registry,
            &self.report.examples,
            &self.content,
            &self.calls,
        );
        let outputs = crate::pool::map_with(
            &pages,
            || {
                RenderContext::new(
                    registry,
                    examples,
                    content,
                    &templates.tera,
                    versions.clone(),
                )
                .with_cache(calls)
            },
            |ctx, _, p| page::render(ctx, &templates.tera, &frame, p),
        );
        let mut rendered = Vec::new();
        for (p, output) in pages.iter().zip(outputs) {
            self.pages.insert(p.key.clone(), output);
            rendered.push(p.url.clone());
        }
        rendered
    }

    /// The merged definition of each spec of `data/api/`, published as `api/<spec>.json`:
    /// made from `data/` alone, so only its errors stop them (a page's error stops the whole site in [`Session::files_if`], and fixing it
    /// changes nothing of `data/` that would publish them again).
    fn publish_apis(&self) -> (SiteFiles, Vec<Diagnostic>) {
        let mut out = (SiteFiles::new(), Vec::new());
        if self.report.has_errors() {
            return out;
        }
        let registry = &self.report.registry;
        let release = self
            .options
            .current_version()
            .map_or_else(|| "unstable".to_string(), |v| format!("v{v}"));
        for spec in crate::api::specs(registry) {
            match crate::api::publish::publish(registry, spec, &release, &self.options.base_url) {
                Ok(text) => {
                    out.0.insert(format!("api/{spec}.json"), text.into_bytes());
                }
                Err(e) => out.1.push(Diagnostic::in_file(
                    Severity::Error,
                    e.error.code(),
                    e.rel.clone(),
                    0,
                    0,
                    format!("cannot publish api/{spec}.json: {}", e.error),
                )),
            }
        }
        out
    }

    /// Every diagnostic of the current state, sorted, and their counts.
    pub fn diagnostics(&self) -> (Vec<Diagnostic>, Summary) {
        let mut all = self.report.diagnostics.clone();
        all.extend(self.content_diags.iter().cloned());
        all.extend(self.api_files.1.iter().cloned());
        if let Err(d) = &self.not_found {
            all.push(d.clone());
        }
        if let Err(template_diags) = &self.templates {
            all.extend(template_diags.iter().cloned());
        }
        if !self.blocked() {
            let targets: HashMap<String, links::LinkTarget> = self
                .pages
                .values()
                .map(|p| {
                    (
                        p.url.clone(),
                        links::LinkTarget {
                            ids: p.ids.clone(),
                            incomplete: p.incomplete,
                        },
                    )
                })
                .collect();
            for p in self.pages.values() {
                all.extend(p.diagnostics.iter().cloned());
                all.extend(links::check_links(&p.url, &p.links, &targets));
            }
        }
        let mut all = self.options.levels.apply(all);
        diagnostics::sort(&mut all);
        let summary = self.report.summary.count(&all);
        (all, summary)
    }

    /// The site's files, when the current state has no error.
    pub fn files(&self) -> Option<SiteFiles> {
        let (_, summary) = self.diagnostics();
        self.files_if(&summary)
    }

    /// The site's files, when `summary` (of [`Session::diagnostics`]) counts no error.
    pub fn files_if(&self, summary: &Summary) -> Option<SiteFiles> {
        if summary.errors > 0 {
            return None;
        }
        let mut files = self
            .templates
            .as_ref()
            .map(|t| t.assets.clone())
            .unwrap_or_default();
        let versions = serde_json::json!({
            "versions": self.versions,
            "current": self.options.current_version(),
        });
        files.insert(
            "versions.json".to_string(),
            format!("{versions:#}\n").into_bytes(),
        );
        let project = &self.report.registry.project;
        for p in self.pages.values() {
            files.insert(p.output_path.clone(), p.html.clone());
            // The images the page shows.
            for rel in &p.deps {
                if let (Some(path), Some(bytes)) = (published_path(rel), project.asset(rel)) {
                    files.insert(path.to_string(), bytes.to_vec());
                }
            }
        }
        files.extend(self.api_files.0.clone());
        if let Ok(html) = &self.not_found {
            if !html.is_empty() {
                files.insert("404.html".to_string(), html.clone());
            }
        }
        Some(files)
    }

    /// Every finished page, for the search index ([`search::index_script`] makes it; it is
    /// no part of [`Session::files_if`], so that `serve` can publish an edited page first
    /// and the index after).
    pub fn page_texts(&self) -> Vec<search::PageText> {
        self.pages
            .values()
            .map(|p| search::PageText {
                url: p.url.clone(),
                title: p.title.clone(),
                html: p.html.clone(),
            })
            .collect()
    }

    /// The check's report (its source table names every file read).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The number of pages of the site.
    pub fn page_count(&self) -> usize {
        self.content.rendered().count()
    }

    /// The finished build.
    pub fn into_built(self) -> Built {
        let (diagnostics, summary) = self.diagnostics();
        let mut files = self.files_if(&summary).unwrap_or_default();
        if !files.is_empty() {
            let index = search::index_script(&self.page_texts());
            files.insert(search::INDEX_FILE.to_string(), index.into_bytes());
        }
        let pages = self.page_count();
        Built {
            files,
            diagnostics,
            summary,
            report: self.report,
            pages,
        }
    }
}
