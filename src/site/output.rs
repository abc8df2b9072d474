//! What a [`Session`] has made: its diagnostics (the link check among them), its files,
//! and the finished build with its search index.

use std::collections::HashMap;

use super::release::ReleasePage;
use super::{links, published_path, search, Built, Session, SiteFiles};
use crate::check::Report;
use crate::diagnostics::{self, Diagnostic, Summary};

impl Session {
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
                            later: p.later_ids.clone(),
                        },
                    )
                })
                .collect();
            let files = self.files_beside_pages();
            for p in self.pages.values() {
                all.extend(p.diagnostics.iter().cloned());
                all.extend(links::check_links(&p.url, &p.links, &targets, &files));
            }
        } else {
            // The pages are not rendered, but what their text alone shows is said now,
            // not after the errors above are mended.
            let sources = self.report.registry.sources();
            all.extend(crate::content::shortcode_syntax_errors(
                &self.content,
                sources,
            ));
        }
        let mut all = self.options.levels.apply(all);
        diagnostics::sort(&mut all);
        let summary = self.report.summary.count(&all);
        (all, summary)
    }

    /// The site's files that are no page and that a page may link to: the stylesheet and
    /// scripts, the API definitions, the releases' checklists.
    fn files_beside_pages(&self) -> std::collections::HashSet<String> {
        let assets = self.templates.as_ref().map(|t| t.assets.keys().cloned());
        assets
            .into_iter()
            .flatten()
            .chain(self.api_files.0.keys().cloned())
            .chain(self.checklists().map(|(_, path)| path))
            .collect()
    }

    /// The changelog's releases that ask for a checklist, with its path in the site.
    fn checklists(&self) -> impl Iterator<Item = (ReleasePage<'_>, String)> {
        self.content.rendered().filter_map(|p| {
            let release = ReleasePage::of(p)?;
            let path = release.checklist_path()?;
            Some((release, path))
        })
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
        let title = super::page::site_title(&self.content, &self.options);
        let repository = self.options.repository.as_deref();
        for (release, path) in self.checklists() {
            files.insert(path, release.checklist(&title, repository).into_bytes());
        }
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
        let (mut built, index) = self.into_parts();
        if let Some(index) = index {
            built.files.extend(index.file());
        }
        built
    }

    /// The finished build but its search index, and the index to finish when the build
    /// has files (no error).
    pub(super) fn into_parts(mut self) -> (Built, Option<PendingIndex>) {
        let (diagnostics, summary) = self.diagnostics();
        let files = self.files_if(&summary).unwrap_or_default();
        let index = (!files.is_empty()).then(|| match self.indexer.take() {
            Some(indexer) => PendingIndex::Indexing(indexer),
            None => PendingIndex::Pages(self.page_texts()),
        });
        let pages = self.page_count();
        let built = Built {
            files,
            diagnostics,
            summary,
            report: self.report,
            pages,
        };
        (built, index)
    }
}

/// The search index of a finished build, still to be made or finished.
pub(super) enum PendingIndex {
    /// Being made while the pages rendered.
    Indexing(search::Indexer),
    /// To be made of these pages.
    Pages(Vec<search::PageText>),
}

impl PendingIndex {
    /// The site's `search-index.js`, finished.
    pub(super) fn file(self) -> SiteFiles {
        let script = match self {
            PendingIndex::Indexing(indexer) => indexer.finish(),
            PendingIndex::Pages(pages) => search::index_script(&pages),
        };
        SiteFiles::from([(search::INDEX_FILE.to_string(), script.into_bytes())])
    }
}
