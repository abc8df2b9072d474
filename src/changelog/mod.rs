//! Changelogs from news fragments: what upstream does with towncrier, a shell script and
//! Python, done by the spec's own tool.
//!
//! Every change carries a fragment, `changelogs/<section>/newsfragments/<PR>.<type>`,
//! one sentence. [`config`] reads `changelogs/pyproject.toml` (towncrier's
//! configuration), [`fragments`] finds and checks the fragments, [`render`] renders them
//! with the configuration's Jinja template exactly as towncrier 23.6 does and makes the
//! page `generate-changelog.sh` makes. Everything is read by the project loader
//! ([`Area::Changelogs`]); [`write_release`] is the one function that writes, and
//! receives its paths.

pub mod config;
pub mod fragments;
pub mod render;
mod text;

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::project::{Area, Project};
pub use config::Config;
pub use fragments::Fragment;
pub use render::Release;

/// The folder of the changelog pages, root-relative.
pub const PAGES: &str = "content/changelog";

/// The changelog sources of a project: configuration, template and fragments.
#[derive(Debug)]
pub struct Changelogs<'p> {
    /// `changelogs/pyproject.toml`.
    pub config: Config,
    /// The template's text.
    pub template: &'p str,
    /// The fragments, as towncrier collects them.
    pub fragments: Vec<Fragment>,
}

/// Whether the project has a `changelogs/` folder with any file in it.
pub fn present(project: &Project) -> bool {
    project.files_in(Area::Changelogs).next().is_some()
}

/// Reads configuration, template and fragments (no check of the fragments' names or
/// texts: see [`check`]).
pub fn load(project: &Project) -> Result<Changelogs<'_>, Diagnostic> {
    let file = |rel: &str| project.files_in(Area::Changelogs).find(|f| f.rel == rel);
    let missing = |rel: &str, what: &str| {
        Diagnostic::in_file(
            Severity::Error,
            Code::ChangelogConfig,
            rel,
            0,
            0,
            format!("{what} {rel} is missing or unreadable"),
        )
    };
    let config_text = file(config::CONFIG)
        .and_then(|f| project.text(f))
        .ok_or_else(|| missing(config::CONFIG, "the changelog configuration"))?;
    let config = config::parse(config_text)?;
    let template = file(&config.template)
        .and_then(|f| project.text(f))
        .ok_or_else(|| missing(&config.template, "the changelog template"))?;
    let fragments = fragments::collect(project, &config)?;
    Ok(Changelogs {
        config,
        template,
        fragments,
    })
}

impl Changelogs<'_> {
    /// The changelog as towncrier writes it (`rendered.md`), for a version or the
    /// unreleased changes, dated `date`.
    pub fn rendered(&self, release: &Release, date: &str) -> Result<String, Diagnostic> {
        let version = match release {
            Release::Version(v) => v.as_str(),
            Release::Unstable => "unstable",
        };
        render::render(&self.config, self.template, &self.fragments, version, date)
            .map_err(|e| template_error(&self.config.template, &e))
    }

    /// The page of `content/changelog/` for a release.
    pub fn page(
        &self,
        release: &Release,
        date: &str,
        commit: Option<&str>,
    ) -> Result<String, Diagnostic> {
        let rendered = self.rendered(release, date)?;
        Ok(render::page(release, date, commit, &rendered))
    }
}

fn template_error(rel: &str, e: &minijinja::Error) -> Diagnostic {
    let mut message = e.detail().map_or_else(|| e.to_string(), str::to_string);
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let line = e.line().unwrap_or(0) as u32;
    Diagnostic::in_file(
        Severity::Error,
        Code::ChangelogTemplate,
        rel,
        line,
        u32::from(line > 0),
        format!("{}: {message}", e.kind()),
    )
}

/// Every problem of the project's `changelogs/`: files that could not be read, the
/// configuration, each fragment's name, place and text, and the template (rendered for
/// the unreleased changes). Nothing when the project has no `changelogs/`.
pub fn check(project: &Project) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = project.diagnostics_in(Area::Changelogs).cloned().collect();
    if !present(project) {
        return found;
    }
    match load(project) {
        Ok(changelogs) => {
            found.extend(fragments::validate(project, &changelogs.config).0);
            found.extend(changelogs.rendered(&Release::Unstable, "1970-01-01").err());
        }
        Err(d) => found.push(d),
    }
    found
}

/// What CI runs on a pull request: an error unless a well-formed fragment is named for
/// pull request `pr`. (When the configuration cannot be read, [`check`] says so and this
/// says nothing more.)
pub fn require_fragment(project: &Project, pr: u64) -> Option<Diagnostic> {
    if !present(project) {
        return Some(missing_pr(pr, &[]));
    }
    let config = load(project).ok()?.config;
    let (_, good) = fragments::validate(project, &config);
    if good.iter().any(|(_, number)| number.parse() == Ok(pr)) {
        return None;
    }
    let dirs: Vec<String> = config
        .sections
        .iter()
        .map(|s| config.section_dir(s))
        .collect();
    Some(missing_pr(pr, &dirs))
}

fn missing_pr(pr: u64, dirs: &[String]) -> Diagnostic {
    let place = match dirs {
        [one] => format!("{one}/{pr}.<type>"),
        _ => format!("changelogs/<section>/newsfragments/{pr}.<type>"),
    };
    Diagnostic::in_file(
        Severity::Error,
        Code::FragmentMissing,
        "",
        0,
        0,
        format!("no news fragment for pull request #{pr}: add {place}, one sentence"),
    )
}

/// Adds the page of the unreleased changes, `content/changelog/unstable.md`, to the
/// project's content when there are fragments, they render, and no such file exists.
/// The site shows it like any page.
pub fn add_unstable_page(project: &mut Project, date: &str) {
    let rel = format!("{PAGES}/{}", Release::Unstable.file_name());
    if project.files.iter().any(|f| f.rel == rel) || !present(project) {
        return;
    }
    let page = match load(project) {
        Ok(c) if !c.fragments.is_empty() => {
            // The commit the unreleased changes are made at, as `changelog unstable` says.
            let commit = crate::project::git::short_head(&project.root);
            c.page(&Release::Unstable, date, commit.as_deref())
        }
        _ => return,
    };
    if let Ok(page) = page {
        project.add_generated(rel, Area::Content, page);
    }
}

/// Why a release was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The page exists already.
    #[error("{0} exists already: it was not overwritten, and no fragment was removed")]
    Exists(String),
    /// The file system refused.
    #[error("cannot write {path}: {error}")]
    Io {
        /// The root-relative path.
        path: String,
        /// The error (said in the message, so not given as its source as well).
        error: std::io::Error,
    },
}

/// Writes a release's page at `page_rel` below `root` (never over an existing file) and
/// then removes the fragments it was made from (root-relative paths the loader found).
pub fn write_release(
    root: &Path,
    page_rel: &str,
    page: &str,
    fragments: &[String],
) -> Result<(), WriteError> {
    use std::io::Write;
    let io = |path: &str| {
        let path = path.to_string();
        move |error| WriteError::Io { path, error }
    };
    for rel in std::iter::once(page_rel).chain(fragments.iter().map(String::as_str)) {
        if !crate::source::stays_inside(rel) {
            let source = std::io::Error::other("the path leaves the project root");
            return Err(io(rel)(source));
        }
    }
    let path = root.join(page_rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(page_rel))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(WriteError::Exists(page_rel.to_string()))
        }
        Err(e) => return Err(io(page_rel)(e)),
    };
    file.write_all(page.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(page_rel))?;
    for rel in fragments {
        std::fs::remove_file(root.join(rel)).map_err(io(rel))?;
    }
    Ok(())
}
