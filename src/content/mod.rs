//! Content: the pages of `content/`, their front matter and their place in the site.
//!
//! Layout as in Hugo: `content/_index.md` is `/`, `content/a/_index.md` is `/a/`,
//! `content/a/b.md` is `/a/b/`. A folder whose `index.md` (or `_index.md`) says
//! `headless: true` is a bundle of fragments that other pages include, not pages.

pub mod front_matter;
pub mod shortcode;

use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity};
use crate::schema::registry::parallel_map;
use crate::source::{rel_path, walk_files, FileId, Sources};

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

/// Reads every `.md` file of `<root>/content` into `sources`. A missing `content/` is an
/// empty site.
pub fn load(root: &Path, sources: &mut Sources) -> (Content, Vec<Diagnostic>) {
    let dir = root.join("content");
    let (paths, mut diagnostics) =
        walk_files(root, &dir, |p| p.extension().is_some_and(|x| x == "md"));
    // Every page must really lie in content/: a symlink out of it is not published.
    let real_dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
    let texts = parallel_map(&paths, |_, p| match p.canonicalize() {
        Ok(real) if real.starts_with(&real_dir) => Sources::read(p),
        Ok(real) => Err(crate::source::ReadError::Io(std::io::Error::other(
            format!(
                "this file links to {}, outside content/; it was not read",
                real.display()
            ),
        ))),
        Err(e) => Err(e.into()),
    });
    let mut pages = Vec::new();
    for (path, text) in paths.iter().zip(texts) {
        let rel = rel_path(root, path);
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                diagnostics.push(Diagnostic::in_file(
                    Severity::Error,
                    "io",
                    rel,
                    0,
                    0,
                    e.to_string(),
                ));
                continue;
            }
        };
        let file = sources.add(rel.clone(), text);
        let text = &sources.file(file).text;
        match front_matter::split(text, file) {
            Ok((front, body_offset)) => {
                let key = rel
                    .trim_start_matches("content/")
                    .trim_end_matches(".md")
                    .to_string();
                pages.push(Page {
                    file,
                    url: url_of(&key),
                    section: key == "_index" || key.ends_with("/_index"),
                    key,
                    rel,
                    front,
                    body: text[body_offset..].to_string(),
                    body_offset,
                    fragment: false,
                });
            }
            Err(e) => diagnostics.push(Diagnostic::error(e.code, sources, e.pos, e.message)),
        }
    }
    mark_headless(&mut pages);
    (Content { pages }, diagnostics)
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
