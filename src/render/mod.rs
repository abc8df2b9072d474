//! Rendering: Markdown with shortcodes into HTML, through Tera templates.
//!
//! A page's text is split into text and shortcode calls; each call is rendered to HTML and
//! stands in the Markdown as a placeholder, which the Markdown renderer leaves alone and
//! which is then replaced by the call's HTML. Headings, ids and links are collected with
//! the file and line they come from, for the table of contents and the link check.

pub mod ahead;
pub mod anchor;
pub mod call_cache;
pub mod describe;
mod description_boxes;
pub mod event;
pub mod html_scan;
pub mod http_api;
pub mod http_body;
pub mod markdown;
pub mod maths;
mod recursion;
mod shortcodes;
pub mod tables;
pub mod templates;
mod tex_text;

pub use anchor::{anchorize, IdSet};
pub use describe::Versions;
pub use markdown::Heading;
pub use shortcodes::diagram::published_path;

use crate::content::{Content, Page};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::examples::Example;
use crate::schema::{Registry, STRING_FORMATS};
use crate::source::shortcode::{self, Segment};
use crate::source::{FileId, Node, Pos};

/// Everything a page needs to render.
pub struct RenderContext<'a> {
    /// The documents of `data/`.
    pub registry: &'a Registry,
    /// The examples, paired and merged.
    pub examples: &'a [Example],
    /// The pages of `content/`.
    pub content: &'a Content,
    /// The templates.
    pub tera: &'a tera::Tera,
    /// `data/string-formats.yaml`.
    pub formats: crate::schema::StringFormats,
    /// The version being built.
    pub versions: Versions,
    deps: std::cell::RefCell<std::collections::BTreeSet<String>>,
    /// Every file named by [`RenderContext::depend_on`], in order, repeats kept: the files
    /// one call read are those named while it rendered.
    deps_log: std::cell::RefCell<Vec<String>>,
    /// Leaf shortcode calls made in earlier renders (`serve`).
    cache: Option<&'a call_cache::CallCache>,
}

/// A link found on a page, with where it was written (a Markdown link, or the shortcode
/// that produced it).
#[derive(Clone, Debug)]
pub struct PageLink {
    /// The destination as written.
    pub href: String,
    /// Root-relative file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// An endpoint shown on a page, for its list of endpoints.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Endpoint {
    /// The id of its heading.
    pub anchor: String,
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The full path.
    pub endpoint: String,
    /// The same, HTML-escaped (`/` kept as it is).
    pub endpoint_html: String,
    /// Its summary.
    pub summary: String,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// The `cs-module` it is shown in, if any.
    pub module: Option<String>,
}

/// What rendering one page found besides its HTML.
#[derive(Debug, Default)]
pub struct PageState {
    /// Ids used on the page.
    pub ids: IdSet,
    /// Headings, for the table of contents.
    pub headings: Vec<Heading>,
    /// Links to check.
    pub links: Vec<PageLink>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether part of the page's content is absent: it holds a shortcode mxspec does not
    /// know, or text whose shortcode tags do not parse (shown as written).
    pub incomplete: bool,
    /// Root-relative paths of the files the page was made from (itself, included
    /// fragments, schemas and examples): a change to any of them re-renders the page.
    pub deps: std::collections::BTreeSet<String>,
    /// The endpoints shown on the page, in page order (one shown twice is listed twice;
    /// the page's list of endpoints keeps the first).
    pub endpoints: Vec<Endpoint>,
    /// The room version the page describes (its front matter `version`): there
    /// `added-in` and `changed-in` name room versions.
    pub room_version: Option<String>,
    /// The names of the `cs-module`s being rendered, innermost last.
    modules: Vec<String>,
    include_stack: Vec<String>,
    /// How many fragments were included so far.
    included: usize,
}

impl<'a> RenderContext<'a> {
    /// A context over loaded data and content.
    pub fn new(
        registry: &'a Registry,
        examples: &'a [Example],
        content: &'a Content,
        tera: &'a tera::Tera,
        versions: Versions,
    ) -> Self {
        let formats = crate::schema::StringFormats::from_registry(registry);
        RenderContext {
            registry,
            examples,
            content,
            tera,
            formats,
            versions,
            deps: Default::default(),
            deps_log: Default::default(),
            cache: None,
        }
    }

    /// The same context, keeping the output of leaf shortcode calls in `cache` and using
    /// what it kept.
    pub fn with_cache(self, cache: &'a call_cache::CallCache) -> Self {
        RenderContext {
            cache: Some(cache),
            ..self
        }
    }

    /// The schema document `rel` with refs and allOf expanded. Not cached: each event is
    /// shown about once, and expansion costs less than keeping every expanded tree.
    pub fn expanded(&self, rel: &str) -> Result<Node, String> {
        self.depend_on(rel);
        self.depend_on(STRING_FORMATS);
        Ok(self.owned_at_version(event::expand_doc(self, rel)?))
    }

    /// `node` as it was at `--as-of`, when building as of a version (the node itself
    /// otherwise, not a copy).
    pub fn at_version<'n>(&self, node: &'n Node) -> std::borrow::Cow<'n, Node> {
        match &self.versions.as_of {
            Some(v) => std::borrow::Cow::Owned(crate::version::as_of::filter_schema(
                node,
                v,
                &Default::default(),
            )),
            None => std::borrow::Cow::Borrowed(node),
        }
    }

    /// Whether a schema (an event, an operation, a parameter, a header) is shown: with
    /// `--as-of`, not when it was added later.
    pub fn exists(&self, node: &Node) -> bool {
        self.versions
            .as_of
            .as_deref()
            .is_none_or(|v| crate::version::as_of::exists_at(node, v))
    }

    /// Like [`RenderContext::at_version`], for a node the caller owns.
    pub fn owned_at_version(&self, node: Node) -> Node {
        if self.versions.as_of.is_none() {
            return node;
        }
        self.at_version(&node).into_owned()
    }

    /// Renders the body of a page.
    pub fn render_page_body(&self, page: &Page, state: &mut PageState) -> String {
        self.deps.borrow_mut().clear();
        self.depend_on(&page.rel);
        state.include_stack.push(page.key.clone());
        let html = self.render_text(&page.body, page.file, page.body_offset, state);
        state.include_stack.pop();
        state.deps.append(&mut self.deps.borrow_mut());
        html
    }

    fn link(&self, href: String, pos: Pos) -> PageLink {
        PageLink {
            href,
            file: self.registry.sources().rel(pos.file).to_string(),
            line: pos.line,
            column: pos.column,
        }
    }

    /// Records that the page being rendered uses the file `rel`.
    pub fn depend_on(&self, rel: &str) {
        self.deps.borrow_mut().insert(rel.to_string());
        if self.cache.is_some() {
            self.deps_log.borrow_mut().push(rel.to_string());
        }
    }

    /// The position of byte `offset` of a file.
    pub fn pos(&self, file: FileId, offset: usize) -> Pos {
        let (line, column) = self.registry.sources().file(file).line_col(offset);
        Pos { file, line, column }
    }

    /// `text` as the page shows it: with `--as-of`, without what came later.
    fn shown<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match &self.versions.as_of {
            Some(v) => crate::version::as_of::filter_markdown(text, v).into(),
            None => text.into(),
        }
    }

    fn render_text(&self, text: &str, file: FileId, base: usize, state: &mut PageState) -> String {
        let text = self.shown(text);
        let text = text.as_ref();
        match shortcode::parse(text) {
            Ok(segments) => self.render_segments(&segments, file, base, state),
            Err(_) => {
                // Every malformed tag, not only the first.
                for e in shortcode::errors(text) {
                    let pos = self.pos(file, base + e.offset);
                    state.diagnostics.push(Diagnostic::error(
                        Code::Shortcode,
                        self.registry.sources(),
                        pos,
                        e.message,
                    ));
                }
                // Links into what it would have made are not what is wrong.
                state.incomplete = true;
                format!("<pre>{}</pre>", describe::escape(text))
            }
        }
    }

    fn render_segments(
        &self,
        segments: &[Segment],
        file: FileId,
        base: usize,
        state: &mut PageState,
    ) -> String {
        let mut md = String::new();
        let mut offsets: Vec<(usize, usize)> = Vec::new();
        // What stands in the Markdown as a placeholder: a shortcode call (rendered later)
        // or a formula (rendered now).
        let mut calls = Vec::new();
        let mut blocks: Vec<Option<String>> = Vec::new();
        for segment in segments {
            match segment {
                Segment::Text(text, at) => {
                    for piece in maths::split(text) {
                        match piece {
                            maths::Piece::Text(text, within) => {
                                offsets.push((md.len(), base + at + within));
                                md.push_str(text);
                            }
                            maths::Piece::Formula(tex, display, within) => {
                                let html = maths::to_mathml(tex, display).unwrap_or_else(|e| {
                                    let pos = self.pos(file, base + at + within);
                                    self.error_in_place(state, pos, Code::Maths, e)
                                });
                                md.push_str(&placeholder(blocks.len()));
                                calls.push(None);
                                blocks.push(Some(html));
                            }
                        }
                    }
                }
                Segment::Call(call) => {
                    md.push_str(&placeholder(blocks.len()));
                    calls.push(Some(call));
                    blocks.push(None);
                }
            }
        }
        // Each call is rendered where the walk meets its placeholder, so that its headings
        // and ids take their place among the page's own; a call the walk did not meet (in
        // a link destination, say) is rendered after.
        let mut duplicate_ids = Vec::new();
        let rendered =
            markdown::render_visiting(&md, markdown::RawHtml::Keep, |visit| match visit {
                markdown::Visit::Placeholder(n) => {
                    if let (Some(slot @ None), Some(Some(call))) = (blocks.get_mut(n), calls.get(n))
                    {
                        *slot = Some(shortcodes::render_call(self, call, file, base, state));
                    }
                    String::new()
                }
                markdown::Visit::Heading {
                    level,
                    explicit,
                    text,
                    written,
                } => {
                    let id =
                        markdown::heading_id(&mut state.ids, explicit, written, &mut duplicate_ids);
                    state.headings.push(Heading {
                        level,
                        id: id.clone(),
                        text: text.to_string(),
                    });
                    id
                }
            });
        let blocks: Vec<String> = blocks
            .into_iter()
            .zip(&calls)
            .enumerate()
            .map(|(n, (block, call))| match (block, call) {
                (Some(html), _) => html,
                // Its placeholder is in the HTML (a link's destination): rendered there.
                (None, Some(call)) if rendered.html.contains(&placeholder(n)) => {
                    shortcodes::render_call(self, call, file, base, state)
                }
                // Markdown dropped it (an unused link reference definition): nothing of it
                // is on the page, so nothing of it is recorded.
                (None, Some(_)) => String::new(),
                (None, None) => unreachable!("a formula is rendered when it is found"),
            })
            .collect();
        let to_source = |md_offset: usize| {
            let i = offsets
                .partition_point(|(start, _)| *start <= md_offset)
                .saturating_sub(1);
            offsets
                .get(i)
                .map_or(base, |(start, src)| src + (md_offset - start))
        };
        for link in &rendered.links {
            let pos = self.pos(file, to_source(link.offset));
            state.links.push(self.link(link.href.clone(), pos));
        }
        // Ids and links written as raw HTML in the text.
        let found = if rendered.raw_html {
            html_scan::scan(&rendered.html)
        } else {
            html_scan::Found::default()
        };
        let heading_ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        let first = self.pos(file, offsets.first().map_or(base, |o| o.1));
        for id in found
            .ids
            .iter()
            .filter(|id| !heading_ids.contains(&id.as_str()))
        {
            if !state.ids.claim(id) {
                self.duplicate_id(state, first, format!("duplicate id `{id}` on this page"));
            }
        }
        let markdown_hrefs: Vec<&str> = rendered.links.iter().map(|l| l.href.as_str()).collect();
        for href in found
            .hrefs
            .iter()
            .filter(|h| !markdown_hrefs.contains(&h.as_str()))
        {
            // A raw-HTML link: point at where its destination is written, when found.
            let pos = md
                .find(href.as_str())
                .map_or(first, |at| self.pos(file, to_source(at)));
            state.links.push(self.link(href.clone(), pos));
        }
        for id in &duplicate_ids {
            let msg = format!("duplicate id `{id}` on this page (the heading's `{{#{id}}}`)");
            self.duplicate_id(state, first, msg);
        }
        substitute(&rendered.html, &blocks)
    }

    /// Records the ids and links of generated HTML (a shortcode's output) at `pos`; returns
    /// them.
    fn record_generated(&self, html: &str, pos: Pos, state: &mut PageState) -> html_scan::Found {
        let found = html_scan::scan(html);
        self.record_found(&found, pos, state);
        found
    }

    /// Records ids and links of generated HTML at `pos`.
    fn record_found(&self, found: &html_scan::Found, pos: Pos, state: &mut PageState) {
        for id in &found.ids {
            if !state.ids.claim(id) {
                let msg = format!("duplicate id `{id}` on this page (made by this shortcode)");
                self.duplicate_id(state, pos, msg);
            }
        }
        for href in &found.hrefs {
            let link = self.link(href.clone(), pos);
            state.links.push(link);
        }
    }

    /// Reports an error at `pos`; returns the box that shows it in place.
    fn error_in_place(
        &self,
        state: &mut PageState,
        pos: Pos,
        code: Code,
        message: String,
    ) -> String {
        let html = format!(
            "<div class=\"alert warning mxspec-error\" role=\"note\">{}</div>",
            describe::escape(&message)
        );
        state.diagnostics.push(Diagnostic::error(
            code,
            self.registry.sources(),
            pos,
            message,
        ));
        html
    }

    fn duplicate_id(&self, state: &mut PageState, pos: Pos, message: String) {
        state.diagnostics.push(Diagnostic::error(
            Code::DuplicateId,
            self.registry.sources(),
            pos,
            message,
        ));
    }

    fn warn(&self, state: &mut PageState, pos: Pos, code: Code, message: String) {
        state.diagnostics.push(Diagnostic::at(
            Severity::Warning,
            code,
            self.registry.sources(),
            pos,
            message,
        ));
    }
}

use markdown::PLACEHOLDER;

fn placeholder(i: usize) -> String {
    format!("{PLACEHOLDER}{i}x")
}

/// Replaces every placeholder of `html` by its block, in one pass. A block (an event
/// section, a box) replaces the paragraph its placeholder stands alone in; an inline badge
/// stays inside its paragraph.
fn substitute(html: &str, blocks: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + blocks.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some((start, n, end)) = markdown::next_placeholder(rest) {
        let Some(block) = blocks.get(n) else {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        };
        let mut before = &rest[..start];
        let mut tail = &rest[end..];
        if !block.starts_with("<span") && before.ends_with("<p>") && tail.starts_with("</p>") {
            before = &before[..before.len() - 3];
            tail = &tail[4..];
        }
        out.push_str(before);
        out.push_str(block);
        rest = tail;
    }
    out.push_str(rest);
    out
}
