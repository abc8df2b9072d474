//! One page: its body rendered, wrapped in its template, finished for the site.

use std::collections::{BTreeSet, HashSet};

use super::search::SectionReader;
use super::{ambiguous, nav, BuildOptions};
use crate::content::{Content, Page};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::render::html_scan::{ambiguous_tag, finish_page_with, LinkStyle};
use crate::render::{templates, PageLink, PageState, RenderContext};

/// A rendered page, kept between rebuilds.
#[derive(Debug, Clone)]
pub struct PageOutput {
    /// Its URL path (`/a/b/`).
    pub url: String,
    /// Its file in the site (`a/b/index.html`).
    pub output_path: String,
    /// The finished HTML.
    pub html: Vec<u8>,
    /// Every id on the page.
    pub ids: HashSet<String>,
    /// Whether part of the page is absent (a shortcode that could not be rendered).
    pub incomplete: bool,
    /// With `--as-of`, the ids the page has in the latest spec but not as of that version
    /// (what was added later); empty without it.
    pub later_ids: HashSet<String>,
    /// Its links, for the link check.
    pub links: Vec<PageLink>,
    /// Problems found rendering it.
    pub diagnostics: Vec<Diagnostic>,
    /// The files it was made from.
    pub deps: BTreeSet<String>,
    /// Its title, for the search index.
    pub title: String,
}

/// What every page shares: the site's title and sidebar.
pub struct Frame<'o> {
    title: String,
    nav: Vec<nav::NavItem>,
    children: std::collections::HashMap<String, Vec<nav::ChildItem>>,
    versions: Vec<String>,
    releases: Vec<serde_json::Value>,
    options: &'o BuildOptions,
}

impl<'o> Frame<'o> {
    /// The frame of a site.
    pub fn new(content: &Content, options: &'o BuildOptions, versions: Vec<String>) -> Self {
        let title = site_title(content, options);
        let children = nav::children(content);
        Frame {
            title,
            nav: nav::items(content),
            releases: releases(&children, &options.base_url),
            children,
            versions,
            options,
        }
    }
}

impl Frame<'_> {
    /// Renders `template` for the page `page` (its JSON context) at `url`, links finished
    /// for the site (base URL or relative); `sections`, when given, reads the page for
    /// search in that final pass.
    fn render(
        &self,
        tera: &tera::Tera,
        template: &str,
        page: &serde_json::Value,
        url: &str,
        sections: Option<&SectionReader>,
    ) -> Result<Vec<u8>, Unmade> {
        let mut context = tera::Context::new();
        context.insert(
            "site",
            &serde_json::json!({
                "title": self.title,
                "nav": self.nav,
                "spec_version": self.options.spec_version,
                "as_of": self.options.as_of,
                "versions": self.versions,
                "releases": self.releases,
            }),
        );
        context.insert("page", page);
        let html = tera.render(template, &context).map_err(|e| {
            Unmade::Template(format!(
                "template {template}: {}",
                templates::error_chain(&e)
            ))
        })?;
        let links = if self.options.relative_urls {
            LinkStyle::RelativeTo(url)
        } else {
            LinkStyle::Base(&self.options.base_url)
        };
        let finished = finish_page_with(&html, links, |settings| match sections {
            Some(reader) => reader.handlers(settings),
            None => settings,
        })
        .map_err(Unmade::Ambiguous)?;
        Ok(finished.into_bytes())
    }

    /// The site's `404.html` (template `404.html`), which servers show for a path that
    /// is no page.
    pub fn not_found(&self, tera: &tera::Tera) -> Result<Vec<u8>, String> {
        let page = serde_json::json!({
            "title": "Not found",
            "url": NOT_FOUND_URL,
            "toc": [],
            "endpoints": [],
        });
        // Served for any path, it links from the root: relative links are made from `/`.
        self.render(tera, "404.html", &page, "/", None)
            .map_err(|unmade| match unmade {
                Unmade::Template(message) => message,
                Unmade::Ambiguous(error) => unfinished_message(&error, ambiguous_tag(&error), None),
            })
    }
}

/// Why a page could not be made.
enum Unmade {
    /// Its template failed.
    Template(String),
    /// Its HTML cannot be read without guessing (the parser's words).
    Ambiguous(String),
}

impl Unmade {
    /// The problem, at the page (for ambiguous HTML, at the first start tag the parser
    /// names in the page's own text, when it is there).
    fn diagnostic(self, ctx: &RenderContext, page: &Page) -> Diagnostic {
        let (code, message, at) = match self {
            Unmade::Template(message) => (Code::Template, message, None),
            Unmade::Ambiguous(error) => {
                let tag = ambiguous_tag(&error).map(str::to_ascii_lowercase);
                let found = tag
                    .as_deref()
                    .and_then(|tag| ambiguous::tag_in(&page.body, tag));
                let message = unfinished_message(&error, tag.as_deref(), found.map(|f| f.1));
                (Code::AmbiguousHtml, message, found.map(|f| f.0))
            }
        };
        match at {
            Some(at) => {
                let pos = ctx.pos(page.file, page.body_offset + at);
                Diagnostic::error(code, ctx.registry.sources(), pos, message)
            }
            None => Diagnostic::in_file(Severity::Error, code, page.rel.clone(), 0, 0, message),
        }
    }
}

/// What to say of a page whose final pass failed with `error`, which names `tag` (when
/// it does); `found` says what of it the page's own text holds: the tag (`true`), or only
/// the `<select>` or `<frameset>` before it (`false`).
fn unfinished_message(error: &str, tag: Option<&str>, found: Option<bool>) -> String {
    let Some(tag) = tag else {
        return format!(
            "the page's HTML cannot be finished ({}): its links cannot be checked for \
             script, so the site is not built",
            error.lines().next().unwrap_or_default()
        );
    };
    let whence = match found {
        Some(true) => format!("write it without `<{tag}>` there"),
        Some(false) => format!(
            "this element makes the `<{tag}>` after it ambiguous, which comes from what the \
             page includes, the data it shows or its template"
        ),
        None => "it is not in the page's own text: look in what the page includes, the data \
                 it shows and its template"
            .to_string(),
    };
    format!(
        "raw HTML that browsers may read in more than one way: inside a `<select>` (or after \
         a `<frameset>`), whether what follows `<{tag}>` is text or markup depends on the \
         browser, so the page's links cannot be checked for script and the site is not \
         built ({whence})"
    )
}

/// The site's name: `title` of the settings, else the title of the home page.
pub(super) fn site_title(content: &Content, options: &BuildOptions) -> String {
    options
        .title
        .clone()
        .or_else(|| content.by_key("_index").and_then(|p| p.front.title.clone()))
        .unwrap_or_else(|| "Specification".to_string())
}

/// Where the page for paths that are no page lies.
pub const NOT_FOUND_URL: &str = "/404.html";

/// The releases the version selector offers: the pages of `changelog/` titled `vX.Y`,
/// newest first, each at `/vX.Y/` beside this one. Only a site built for a version folder
/// (base URL `/v1.19`, `/unstable`, `/latest`) has its releases beside it, as upstream
/// deploys them; any other site offers none (it would link to nothing).
fn releases(
    children: &std::collections::HashMap<String, Vec<nav::ChildItem>>,
    base_url: &str,
) -> Vec<serde_json::Value> {
    // A full base (`https://spec.matrix.org/v1.19`): its origin, then its path.
    let (origin, path) = match base_url.split_once("://") {
        Some((scheme, rest)) => {
            let at = rest.find('/').unwrap_or(rest.len());
            (format!("{scheme}://{}", &rest[..at]), &rest[at..])
        }
        None => (String::new(), base_url),
    };
    let folder = path.strip_prefix('/').unwrap_or_default();
    // Written as it is into an attribute: only characters that need no escaping there.
    let plain = |c: char| c.is_ascii_alphanumeric() || "+-.:/[]_@%~".contains(c);
    if !origin.chars().all(plain) {
        return Vec::new();
    }
    // `v1.19`: only digits, so the name is safe as it is in a URL and an attribute.
    let is_version = |name: &str| {
        name.strip_prefix('v')
            .is_some_and(crate::version::is_version)
    };
    if !(is_version(folder) || folder == "unstable" || folder == "latest") {
        return Vec::new();
    }
    let mut releases: Vec<&nav::ChildItem> = children
        .get("/changelog/")
        .into_iter()
        .flatten()
        .filter(|c| is_version(&c.link_title) && c.date.is_some())
        .collect();
    releases.sort_by(|a, b| b.date.cmp(&a.date));
    // A release written twice is listed once, at its latest date.
    let mut seen = HashSet::new();
    releases.retain(|c| seen.insert(c.link_title.as_str()));
    releases
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "name": c.link_title,
                "url": format!("{origin}/{}/", c.link_title),
                "current": c.link_title == folder,
            })
        })
        .collect()
}

/// The page's endpoints grouped as upstream lists them: those of no module first (titled
/// "Required"), then each module's, modules sorted by name; each endpoint once, where it
/// is first shown.
fn endpoint_groups(endpoints: &[crate::render::Endpoint]) -> serde_json::Value {
    let mut groups: std::collections::BTreeMap<(bool, String), Vec<&crate::render::Endpoint>> =
        Default::default();
    let mut seen = HashSet::new();
    for e in endpoints {
        if !seen.insert((e.method.as_str(), e.endpoint.as_str())) {
            continue;
        }
        let key = match &e.module {
            Some(m) => (true, m.clone()),
            None => (false, "Required".to_string()),
        };
        groups.entry(key).or_default().push(e);
    }
    groups
        .into_iter()
        .map(
            |((_, title), endpoints)| serde_json::json!({ "title": title, "endpoints": endpoints }),
        )
        .collect()
}

/// The room version a page describes (its front matter `version`): there `added-in` and
/// `changed-in` name room versions.
pub fn room_version(page: &Page) -> Option<String> {
    page.front.params.get("version").and_then(|v| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Renders one page; `sections`, when given, reads it for search in its final pass.
pub fn render(
    ctx: &RenderContext,
    tera: &tera::Tera,
    frame: &Frame,
    page: &Page,
    sections: Option<&SectionReader>,
) -> PageOutput {
    let mut state = PageState::default();
    state.room_version = room_version(page);
    let body = ctx.render_page_body(page, &mut state);
    let toc: Vec<_> = state
        .headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
        .collect();
    let page_json = serde_json::json!({
        "title": page.front.title,
        "url": page.url,
        "description": page.front.params.get("description"),
        "params": page.front.params,
        "content": body,
        "toc": toc,
        "endpoints": endpoint_groups(&state.endpoints),
        "pages": frame.children.get(&page.url).cloned().unwrap_or_default(),
        "release": super::release::ReleasePage::of(page).map(|r| serde_json::json!({
            "commit_link": r.commit_link(frame.options.repository.as_deref()),
            "date_long": r.date(),
            "checklist": r.checklist_path().map(|_| super::release::CHECKLIST),
        })),
    });
    let template = page
        .front
        .params
        .get("template")
        .and_then(|t| t.as_str())
        .unwrap_or("page.html");
    let html = match frame.render(tera, template, &page_json, &page.url, sections) {
        Ok(html) => html,
        Err(unmade) => {
            state.diagnostics.push(unmade.diagnostic(ctx, page));
            Vec::new()
        }
    };
    PageOutput {
        url: page.url.clone(),
        output_path: page.output_path(),
        html,
        ids: std::mem::take(&mut state.ids).into_set(),
        incomplete: state.incomplete,
        later_ids: HashSet::new(),
        links: state.links,
        diagnostics: state.diagnostics,
        deps: state.deps,
        title: page.front.title.clone().unwrap_or_default(),
    }
}

/// The ids of the page's body as `ctx` renders it (for the ids a later version added).
pub fn body_ids(ctx: &RenderContext, page: &Page) -> HashSet<String> {
    let mut state = PageState::default();
    state.room_version = room_version(page);
    ctx.render_page_body(page, &mut state);
    state.ids.into_set()
}
