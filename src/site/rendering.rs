//! Rendering the pages of a [`Session`] on every core (and, in a one-shot build, indexing
//! them for search as their final pass reads them), and publishing the API definitions.

use std::collections::BTreeSet;

use super::{page, search, PageOutput, Session, SiteFiles};
use crate::content::Page;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::render::{templates, RenderContext, Versions};

/// What a render made, before the session keeps it.
pub(super) struct Rendered {
    /// The versions named by annotations.
    versions: Vec<String>,
    /// The page for paths that are no page.
    not_found: Result<Vec<u8>, Diagnostic>,
    /// The search index being made of the pages, on a full render of a one-shot build.
    indexer: Option<search::Indexer>,
    /// Each page rendered, by key.
    pages: Vec<(String, PageOutput)>,
}

impl Session {
    /// Renders the pages with these keys (all when `None`); returns their URLs.
    pub(super) fn render(&mut self, which: Option<&BTreeSet<String>>) -> Vec<String> {
        match self.render_pages(which) {
            Some(rendered) => self.keep(rendered),
            None => Vec::new(),
        }
    }

    /// Renders every page again with no call kept from before, as after a change of the
    /// templates (which are not read again); returns the URLs of the pages. What rendering
    /// alone costs (`phase/render`).
    pub fn render_all(&mut self) -> Vec<String> {
        self.calls.clear();
        self.render(None)
    }

    /// Keeps what [`Session::render_pages`] made; returns the URLs of the pages.
    pub(super) fn keep(&mut self, rendered: Rendered) -> Vec<String> {
        self.versions = rendered.versions;
        self.not_found = rendered.not_found;
        self.indexer = rendered.indexer;
        let mut urls = Vec::new();
        for (key, output) in rendered.pages {
            urls.push(output.url.clone());
            self.pages.insert(key, output);
        }
        urls
    }

    /// Renders the pages with these keys (all when `None`), unless the site cannot be
    /// rendered.
    pub(super) fn render_pages(&self, which: Option<&BTreeSet<String>>) -> Option<Rendered> {
        let Ok(templates) = &self.templates else {
            return None;
        };
        if self.blocked() {
            return None;
        }
        let versions = Versions {
            current: self.options.current_version().map(str::to_string),
            as_of: self.options.as_of.clone(),
        };
        let found = crate::version::as_of::versions_found(
            self.report.registry.docs().map(|d| &d.node),
            self.content.pages.iter().map(|p| p.body.as_str()),
        );
        let frame = page::Frame::new(&self.content, &self.options, found.clone());
        // Its sidebar is every page's: made again with every render.
        let not_found = frame.not_found(&templates.tera).map_err(|message| {
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
        // A full render of a one-shot build is indexed for search as the pages are
        // finished, each page numbered in the order of the keys (as the index has them).
        let indexer = (self.index_while_rendering && which.is_none()).then(search::Indexer::start);
        let mut keys: Vec<&str> = pages.iter().map(|p| p.key.as_str()).collect();
        keys.sort_unstable();
        pages.sort_by_key(|p| std::cmp::Reverse(p.body.len()));
        let (registry, examples, content, calls) = (
            &self.report.registry,
            &self.report.examples,
            &self.content,
            &self.calls,
        );
        let context = || {
            RenderContext::new(
                registry,
                examples,
                content,
                &templates.tera,
                versions.clone(),
            )
            .with_cache(calls)
        };
        // Their events and endpoints first, on every core: a long page is then not made
        // on one core alone.
        let ahead: Vec<(&Page, Option<String>)> =
            pages.iter().map(|p| (*p, page::room_version(p))).collect();
        crate::render::ahead::render_ahead(&ahead, &context, calls);
        let mut outputs = crate::pool::map_with(&pages, context, |ctx, _, p| {
            // Indexed: read for search in the page's final pass, each section fed to the
            // index as soon as it is read.
            let reader = indexer.as_ref().and_then(|indexer| {
                let n = keys.binary_search(&p.key.as_str()).ok()?;
                let title = p.front.title.as_deref().unwrap_or_default();
                let mut feed = indexer.page(n, &p.url, title);
                Some(search::SectionReader::streaming(move |s| feed.section(s)))
            });
            let output = page::render(ctx, &templates.tera, &frame, p, reader.as_ref());
            // Its last section; the feed goes with the reader, which ends the page.
            if let Some(reader) = reader {
                reader.finish();
            }
            output
        });
        if versions.as_of.is_some() {
            // What a later version added, for the link check: each page's ids as the
            // latest spec has them, less those it has as of the version built.
            let latest = Versions {
                as_of: None,
                ..versions.clone()
            };
            let context =
                || RenderContext::new(registry, examples, content, &templates.tera, latest.clone());
            let latest_ids =
                crate::pool::map_with(&pages, context, |ctx, _, p| page::body_ids(ctx, p));
            for (output, ids) in outputs.iter_mut().zip(latest_ids) {
                output.later_ids = ids.difference(&output.ids).cloned().collect();
            }
        }
        Some(Rendered {
            versions: found,
            not_found,
            indexer,
            pages: pages.iter().map(|p| p.key.clone()).zip(outputs).collect(),
        })
    }

    /// The merged definition of each spec of `data/api/`, published as `api/<spec>.json`:
    /// made from `data/` alone, so only its errors stop them (a page's error stops the
    /// whole site in [`Session::files_if`], and fixing it changes nothing of `data/` that
    /// would publish them again).
    pub(super) fn publish_apis(&self) -> (SiteFiles, Vec<Diagnostic>) {
        let mut out = (SiteFiles::new(), Vec::new());
        if self.report.has_errors() {
            return out;
        }
        let registry = &self.report.registry;
        let release = self
            .options
            .current_version()
            .map_or_else(|| "unstable".to_string(), |v| format!("v{v}"));
        let specs = crate::api::specs(registry);
        let published = crate::pool::map(&specs, |_, spec| {
            let (base_url, as_of) = (&self.options.base_url, self.options.as_of.as_deref());
            crate::api::publish::publish(registry, spec, &release, base_url, as_of)
        });
        for (spec, result) in specs.iter().zip(published) {
            match result {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_rendered_again_from_nothing_kept_is_the_page_made_before() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/build/shortcodes");
        let options = super::super::BuildOptions {
            root,
            ..Default::default()
        };
        let mut session = Session::open(options).unwrap();
        let before: Vec<(String, Vec<u8>)> = session
            .pages
            .iter()
            .map(|(key, page)| (key.clone(), page.html.clone()))
            .collect();
        let kept = session.calls.len();
        assert!(kept > 0 && before.len() > 1);
        let urls = session.render_all();
        assert_eq!(urls.len(), before.len());
        assert_eq!(session.calls.len(), kept);
        for (key, html) in &before {
            assert!(session.pages[key].html == *html, "{key} differs");
        }
    }

    #[test]
    fn pages_made_of_calls_rendered_ahead_are_the_pages_made_in_place() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/upstream/matrix-spec");
        if !root.join("data").is_dir() {
            eprintln!("skipping: {} is absent", root.display());
            return;
        }
        let options = super::super::BuildOptions {
            root,
            ..Default::default()
        };
        // Every page rendered, its events and endpoints ahead, on every core.
        let session = Session::open(options).unwrap();
        let templates = session.templates.as_ref().unwrap();
        // The pass ahead alone finds (and keeps) the calls of the pages.
        let ahead = crate::render::call_cache::CallCache::default();
        let pages: Vec<(&Page, Option<String>)> = session
            .content
            .rendered()
            .map(|p| (p, page::room_version(p)))
            .collect();
        let plain = || {
            let (registry, examples) = (&session.report.registry, &session.report.examples);
            let (content, tera) = (&session.content, &templates.tera);
            RenderContext::new(registry, examples, content, tera, Versions::default())
        };
        let context = || plain().with_cache(&ahead);
        crate::render::ahead::render_ahead(&pages, &context, &ahead);
        assert!(ahead.len() > 250, "{} calls rendered ahead", ahead.len());
        assert!(session.calls.len() >= ahead.len());
        // Each page again, every call in place, with no kept call.
        let frame = page::Frame::new(&session.content, &session.options, session.versions.clone());
        let ctx = plain();
        let mut compared = 0;
        for p in session.content.rendered() {
            let in_place = page::render(&ctx, &templates.tera, &frame, p, None);
            let kept = &session.pages[&p.key];
            assert!(in_place.html == kept.html, "{} differs", p.key);
            assert_eq!(in_place.diagnostics, kept.diagnostics, "{}", p.key);
            assert_eq!(in_place.ids, kept.ids, "{}", p.key);
            compared += 1;
        }
        assert!(compared > 40);
    }
}
