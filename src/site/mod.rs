//! The build: check, then every page rendered into memory, then the link check, then the
//! safe write. A build with errors writes nothing.

pub mod links;
mod nav;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::{check_root, Report};
use crate::content::{self, Content, Page};
use crate::diagnostics::{self, Diagnostic, Severity, Summary};
use crate::render::html_scan::finish_page;
use crate::render::{templates, PageState, RenderContext, Versions};
use crate::schema::LoadError;

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
    /// A script added to every page (live reload while serving); `None` for a build.
    pub reload_script: Option<String>,
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

/// Checks and renders the site at `options.root` into memory.
pub fn build(options: &BuildOptions) -> Result<Built, LoadError> {
    let mut report = check_root(&options.root)?;
    let (content, content_diags) = content::load(&options.root, &mut report.registry.sources);
    let mut diags = std::mem::take(&mut report.diagnostics);
    diags.extend(content_diags);
    let mut files = SiteFiles::new();
    let mut pages = 0;
    if !diags.iter().any(|d| d.severity == Severity::Error) {
        match templates::load(&options.root) {
            Ok(tera) => {
                let (rendered, render_diags) = render_all(&report, &content, &tera, options);
                diags.extend(render_diags);
                pages = content.rendered().count();
                files = rendered;
            }
            Err(template_diags) => diags.extend(template_diags),
        }
    }
    diagnostics::sort(&mut diags);
    let summary = report.summary.count(&diags);
    if summary.errors > 0 {
        files.clear();
    }
    Ok(Built {
        files,
        diagnostics: diags,
        summary,
        report,
        pages,
    })
}

struct RenderedPage<'c> {
    page: &'c Page,
    body: String,
    state: PageState,
}

fn render_all(
    report: &Report,
    content: &Content,
    tera: &tera::Tera,
    options: &BuildOptions,
) -> (SiteFiles, Vec<Diagnostic>) {
    let versions = Versions {
        current: options.spec_version.clone(),
    };
    let ctx = RenderContext::new(&report.registry, &report.examples, content, tera, versions);
    let sources = &report.registry.sources;
    let mut diags = Vec::new();
    let nav = nav::items(content);
    let site_title = options
        .title
        .clone()
        .or_else(|| content.by_key("_index").and_then(|p| p.front.title.clone()))
        .unwrap_or_else(|| "Specification".to_string());

    let mut rendered: Vec<RenderedPage> = Vec::new();
    for page in content.rendered() {
        let mut state = PageState::default();
        let body = ctx.render_page_body(page, &mut state);
        rendered.push(RenderedPage { page, body, state });
    }

    let mut files = SiteFiles::new();
    let mut targets = HashMap::new();
    for r in &mut rendered {
        let toc: Vec<_> = r
            .state
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .collect();
        let mut context = tera::Context::new();
        context.insert(
            "site",
            &serde_json::json!({ "title": site_title, "nav": nav, "spec_version": options.spec_version }),
        );
        context.insert(
            "page",
            &serde_json::json!({
                "title": r.page.front.title,
                "url": r.page.url,
                "description": r.page.front.params.get("description"),
                "params": r.page.front.params,
                "content": r.body,
                "toc": toc,
            }),
        );
        context.insert("reload_script", &options.reload_script);
        let template = r
            .page
            .front
            .params
            .get("template")
            .and_then(|t| t.as_str())
            .unwrap_or("page.html");
        match tera.render(template, &context) {
            Ok(html) => {
                let ids = std::mem::take(&mut r.state.ids).into_set();
                targets.insert(
                    r.page.url.clone(),
                    links::LinkTarget {
                        ids,
                        incomplete: r.state.unknown_shortcode,
                    },
                );
                files.insert(
                    r.page.output_path(),
                    finish_page(&html, &options.base_url).into_bytes(),
                );
            }
            Err(e) => diags.push(Diagnostic::in_file(
                Severity::Error,
                "template",
                r.page.rel.clone(),
                0,
                0,
                format!("template {template}: {}", templates::error_chain(&e)),
            )),
        }
        diags.append(&mut r.state.diagnostics);
    }
    for r in &rendered {
        diags.extend(links::check_links(
            &r.page.url,
            &r.state.links,
            &targets,
            sources,
        ));
    }
    for asset in templates::ASSETS {
        match tera.get_template(asset) {
            Ok(_) => {
                let text = templates::BUILTIN
                    .iter()
                    .find(|(n, _)| n == asset)
                    .map(|(_, t)| *t)
                    .unwrap_or("");
                let own = options.root.join("templates").join(asset);
                let bytes = std::fs::read(&own).unwrap_or_else(|_| text.as_bytes().to_vec());
                files.insert(asset.to_string(), bytes);
            }
            Err(_) => continue,
        }
    }
    (files, diags)
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
