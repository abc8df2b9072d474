//! Content: the pages of `content/`, their front matter and their place in the site.
//!
//! Layout as in Hugo: `content/_index.md` is `/`, `content/a/_index.md` is `/a/`,
//! `content/a/b.md` is `/a/b/`. A folder whose `index.md` (or `_index.md`) says
//! `headless: true` is a bundle of fragments that other pages include, not pages.

pub mod front_matter;

use crate::diagnostics::{Code, Diagnostic};
use crate::project::{Area, Project};
use crate::source::{FileId, Pos, Sources};

pub use front_matter::FrontMatter;

/// One Markdown file of `content/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its file.
    pub file: FileId,
    /// Root-relative path: `content/client-server-api/_index.md`.
    pub rel: String,
    /// Path inside `content/` without `.md`: `client-server-api/_index`.
    pub key: String,
    /// The page's URL path below the base URL: `/client-server-api/`.
    pub url: String,
    /// Front matter.
    pub front: FrontMatter,
    /// The Markdown body (after the front matter).
    pub body: String,
    /// Byte offset of the body in the file's text.
    pub body_offset: usize,
    /// Whether this is a fragment of a headless bundle (included, never a page itself).
    pub fragment: bool,
    /// Whether this is a section page (`_index.md`).
    pub section: bool,
}

impl Page {
    /// The output file of this page, relative to the output folder.
    pub fn output_path(&self) -> String {
        format!("{}index.html", self.url.trim_start_matches('/'))
    }
}

/// All of `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Every Markdown file, pages and fragments, in path order.
    pub pages: Vec<Page>,
}

impl Content {
    /// The pages that become HTML files.
    pub fn rendered(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| !p.fragment)
    }

    /// A page or fragment by its key (`client-server-api/modules/receipts`).
    pub fn by_key(&self, key: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.key == key)
    }
}

/// The largest page of `content/` mxspec renders, in bytes: Markdown's nesting costs
/// memory hundreds of times a page's size (a page of 8 MiB of `>` took 4 GB), and
/// upstream's largest page is 183 KB.
pub const MAX_PAGE_BYTES: usize = 512 * 1024;

/// The shortcode tags of `content/` that do not parse (an unclosed call, a closing tag
/// with no opening), at their files: what a page's text alone shows, before rendering.
pub fn shortcode_syntax_errors(content: &Content, sources: &Sources) -> Vec<Diagnostic> {
    use crate::source::shortcode;
    let mut found = Vec::new();
    for page in &content.pages {
        let at = |offset: usize| {
            let (line, column) = sources.file(page.file).line_col(page.body_offset + offset);
            Pos {
                file: page.file,
                line,
                column,
            }
        };
        let mut error = |offset: usize, message: String| {
            found.push(Diagnostic::error(
                Code::Shortcode,
                sources,
                at(offset),
                message,
            ));
        };
        match shortcode::parse(&page.body) {
            // A box opened and never closed parses (as a call of no body).
            Ok(segments) => shortcode::calls(&segments)
                .filter(|c| shortcode::needs_closing(&c.name) && c.body.is_none())
                .for_each(|c| error(c.offset, shortcode::never_closed(&c.name))),
            Err(_) => shortcode::errors(&page.body)
                .into_iter()
                .for_each(|e| error(e.offset, e.message)),
        }
    }
    found
}

/// The pages of the project's `content/` (already read by the loader). Read problems are
/// the loader's to report; front matter problems are returned here.
pub fn load(project: &Project) -> (Content, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut pages = Vec::new();
    for file in project.files_in(Area::Content) {
        let Some(id) = file.file else { continue };
        let text = &project.sources.file(id).text;
        if text.len() > MAX_PAGE_BYTES {
            diagnostics.push(Diagnostic::in_file(
                crate::diagnostics::Severity::Error,
                Code::FileTooLarge,
                file.rel.clone(),
                0,
                0,
                format!(
                    "a page of {} bytes; mxspec renders pages of at most {} KiB (split it, or include parts of it)",
                    text.len(),
                    MAX_PAGE_BYTES / 1024
                ),
            ));
            continue;
        }
        match front_matter::split(text, id) {
            Ok((front, body_offset)) => {
                let key = file
                    .rel
                    .trim_start_matches("content/")
                    .trim_end_matches(".md")
                    .to_string();
                pages.push(Page {
                    file: id,
                    url: url_of(&key),
                    section: key == "_index" || key.ends_with("/_index"),
                    key,
                    rel: file.rel.clone(),
                    front,
                    body: text[body_offset..].to_string(),
                    body_offset,
                    fragment: false,
                });
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                e.code,
                &project.sources,
                e.pos,
                e.message,
            )),
        }
    }
    mark_headless(&mut pages);
    diagnostics.extend(clashes(&mut pages, &project.sources));
    (Content { pages }, diagnostics)
}

/// Pages whose path cannot be a URL (`content/..md`), and pages that land on the URL of
/// another (`a.md` and `a/_index.md`): each is an error, and the later page is left out.
fn clashes(pages: &mut Vec<Page>, sources: &crate::source::Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut taken: std::collections::HashMap<String, String> = Default::default();
    pages.retain(|page| {
        let at = crate::source::Pos {
            file: page.file,
            line: 1,
            column: 1,
        };
        // A part that would read as something else in a URL: empty or hidden, or with a
        // scheme's colon (`javascript:x` would be a link of its own), a query, a fragment,
        // quotes, angle brackets, a backslash or blanks.
        let unsafe_char = |c: char| {
            matches!(c, ':' | '?' | '#' | '"' | '\'' | '<' | '>' | '\\' | '%')
                || c.is_whitespace()
                || c.is_control()
        };
        let bad_part = page
            .key
            .split('/')
            .find(|part| part.is_empty() || part.starts_with('.') || part.contains(unsafe_char));
        if let Some(part) = bad_part {
            found.push(Diagnostic::error(
                Code::PagePath,
                sources,
                at,
                format!("`{part}` cannot be part of a page's URL: rename this file"),
            ));
            return false;
        }
        if page.fragment {
            return true;
        }
        match taken.get(&page.url) {
            Some(first) => {
                found.push(Diagnostic::error(
                    Code::PageClash,
                    sources,
                    at,
                    format!(
                        "this page and {first} both make {}: keep one of them",
                        page.url
                    ),
                ));
                false
            }
            None => {
                taken.insert(page.url.clone(), page.rel.clone());
                true
            }
        }
    });
    found
}

/// `a/b` -> `/a/b/`, `a/_index` and `a/index` -> `/a/`, `_index` -> `/`.
fn url_of(key: &str) -> String {
    let trimmed = key
        .strip_suffix("_index")
        .or_else(|| {
            key.strip_suffix("index")
                .filter(|k| k.is_empty() || k.ends_with('/'))
        })
        .unwrap_or(key)
        .trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

fn mark_headless(pages: &mut [Page]) {
    let bundles: Vec<String> = pages
        .iter()
        .filter(|p| p.front.headless && (p.key.ends_with("index") || p.key.ends_with("_index")))
        .map(|p| p.url.clone())
        .collect();
    for page in pages.iter_mut() {
        if bundles
            .iter()
            .any(|b| page.url.starts_with(b.as_str()) && b != "/")
        {
            page.fragment = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_like_hugo() {
        assert_eq!(url_of("_index"), "/");
        assert_eq!(url_of("a/_index"), "/a/");
        assert_eq!(url_of("a/b"), "/a/b/");
        assert_eq!(url_of("a/index"), "/a/");
        assert_eq!(url_of("a/windex"), "/a/windex/");
    }
}
