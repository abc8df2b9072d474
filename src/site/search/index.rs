//! The elasticlunr-rs index of the sections of every page, and the `search-index.js`
//! script that holds it: made of the finished pages (`serve`), or while they render (a
//! one-shot build), the same either way.

use elasticlunr::lang::English;
use elasticlunr::pipeline::{FnWrapper, PipelineFn};
use elasticlunr::{Index, IndexBuilder, Language, Pipeline};

use super::sections::{sections, words, Section};

/// A finished page, for the index.
#[derive(Clone, Debug, Default)]
pub struct PageText {
    /// Its URL (`/client-server-api/`).
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its HTML.
    pub html: Vec<u8>,
}
/// The sections of one page, ready for the index.
pub struct PageSections {
    url: String,
    title: String,
    /// Its title's tokens: the title of a section without one.
    title_tokens: String,
    sections: Vec<Tokenized>,
}

/// A section, its words already through elasticlunr's English pipeline.
struct Tokenized {
    id: String,
    title: String,
    title_tokens: String,
    body_tokens: String,
}

impl PageSections {
    /// Reads the sections of a finished page ([`PageSections::new`]).
    pub fn of(page: &PageText) -> PageSections {
        let read = sections(&String::from_utf8_lossy(&page.html));
        PageSections::new(&page.url, &page.title, read)
    }

    /// A page's sections, read already: runs the pipeline on their words (the costly
    /// part of indexing that needs no index: done on the page's own core).
    pub fn new(url: &str, title: &str, sections: Vec<Section>) -> PageSections {
        let pipeline = English::new().make_pipeline();
        let sections = sections
            .into_iter()
            .map(|s| Tokenized {
                title_tokens: processed(&pipeline, &s.title),
                body_tokens: processed(&pipeline, &s.body),
                id: s.id,
                title: s.title,
            })
            .collect();
        PageSections {
            url: url.to_string(),
            title: title.to_string(),
            title_tokens: processed(&pipeline, title),
            sections,
        }
    }
}

/// The words of `text` through the pipeline, each followed by a space (no token holds
/// one: [`words`] cuts at spaces and the pipeline only trims and stems).
fn processed(pipeline: &Pipeline, text: &str) -> String {
    let mut out = String::new();
    for token in pipeline.run(words(text)) {
        out.push_str(&token);
        out.push(' ');
    }
    out
}

/// The tokens [`processed`] wrote.
fn processed_tokens(text: &str) -> Vec<String> {
    text.split_terminator(' ').map(str::to_string).collect()
}

/// elasticlunr's English for tokens already through its pipeline: the index's own
/// pipeline lets them pass, under the names of the real one, which the search box's
/// engine runs on what is typed.
struct Processed;

impl Language for Processed {
    fn name(&self) -> String {
        English::new().name()
    }

    fn code(&self) -> String {
        English::new().code()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        processed_tokens(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        let queue = English::new()
            .make_pipeline()
            .queue
            .iter()
            .map(|f| Box::new(FnWrapper(f.name(), Some)) as Box<dyn PipelineFn>)
            .collect();
        Pipeline { queue }
    }
}

/// The index being built: the pages are added in the order of their keys (a document's
/// ref is its number).
struct SearchIndex {
    index: Index,
    docs: Vec<serde_json::Value>,
}

impl SearchIndex {
    fn new() -> SearchIndex {
        SearchIndex {
            index: IndexBuilder::with_language(Box::new(Processed))
                .save_docs(false)
                .add_field_with_tokenizer("title", Box::new(processed_tokens))
                .add_field_with_tokenizer("body", Box::new(processed_tokens))
                .build(),
            docs: Vec::new(),
        }
    }

    fn add(&mut self, page: &PageSections) {
        for s in &page.sections {
            let url = if s.id.is_empty() {
                page.url.clone()
            } else {
                format!("{}#{}", page.url, s.id)
            };
            let title = if s.title.is_empty() {
                &page.title
            } else {
                &s.title
            };
            let title_tokens = if s.title.is_empty() {
                &page.title_tokens
            } else {
                &s.title_tokens
            };
            let doc_ref = self.docs.len().to_string();
            self.index
                .add_doc(&doc_ref, [title_tokens.as_str(), s.body_tokens.as_str()]);
            self.docs.push(serde_json::json!([url, title, page.title]));
        }
    }

    /// The text of `search-index.js`.
    fn script(self) -> String {
        // Written straight from the index, with no JSON tree of it in between.
        let index = serde_json::to_string(&self.index).unwrap_or_default();
        let docs = serde_json::Value::from(self.docs);
        format!("window.mxspecSearch = {{\"index\":{index},\"docs\":{docs}}};\n")
    }
}

/// The text of `search-index.js`: the elasticlunr index of every section of `pages` (each
/// page read on a core of its own; fields `title` and `body`; a document's ref is its
/// number) and, by number, each section's URL, title and page title, set as
/// `window.mxspecSearch`.
pub fn index_script(pages: &[PageText]) -> String {
    script_of(crate::pool::map(pages, |_, p| PageSections::of(p)))
}

/// [`index_script`] on the calling thread alone: `serve` indexes after the reload signal,
/// beside the next rebuild, which keeps the other core.
pub fn index_script_on_this_thread(pages: &[PageText]) -> String {
    script_of(pages.iter().map(PageSections::of))
}

/// The script of the index of these pages, added in this order.
fn script_of(pages: impl IntoIterator<Item = PageSections>) -> String {
    let mut index = SearchIndex::new();
    pages.into_iter().for_each(|page| index.add(&page));
    index.script()
}

/// The same index as [`index_script`], built on a thread of its own while the pages are
/// still rendering: each page is sent as it is finished, with its number among all the
/// pages, and added in number order.
pub struct Indexer {
    pages: std::sync::mpsc::Sender<(usize, PageSections)>,
    index: std::thread::JoinHandle<String>,
}

impl Indexer {
    /// An indexer waiting for pages numbered from 0.
    pub fn start() -> Indexer {
        let (pages, received) = std::sync::mpsc::channel::<(usize, PageSections)>();
        let index = std::thread::spawn(move || {
            let mut index = SearchIndex::new();
            let mut early = std::collections::BTreeMap::new();
            let mut next = 0;
            for (n, page) in received {
                early.insert(n, page);
                while let Some(page) = early.remove(&next) {
                    index.add(&page);
                    next += 1;
                }
            }
            early.values().for_each(|page| index.add(page));
            index.script()
        });
        Indexer { pages, index }
    }

    /// Adds the page numbered `n` (once the pages before it are added).
    pub fn send(&self, n: usize, page: PageSections) {
        // (The index thread ends only when the indexer is finished.)
        let _ = self.pages.send((n, page));
    }

    /// The text of `search-index.js`, once every page sent is added.
    pub fn finish(self) -> String {
        drop(self.pages);
        self.index
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index as elasticlunr-rs makes it with its own English pipeline run inside
    /// `add_doc`, as the search box's engine expects it.
    fn plain_index(pages: &[PageText]) -> String {
        let mut index: Index = IndexBuilder::new()
            .save_docs(false)
            .add_field_with_tokenizer("title", Box::new(words))
            .add_field_with_tokenizer("body", Box::new(words))
            .build();
        let mut n = 0;
        for page in pages {
            for s in sections(&String::from_utf8_lossy(&page.html)) {
                let title = if s.title.is_empty() {
                    &page.title
                } else {
                    &s.title
                };
                index.add_doc(&n.to_string(), [title.as_str(), s.body.as_str()]);
                n += 1;
            }
        }
        serde_json::to_string(&index).unwrap()
    }

    #[test]
    fn tokens_run_through_the_pipeline_first_index_as_elasticlunr_would() {
        let page = |url: &str, title: &str, main: &str| PageText {
            url: url.into(),
            title: title.into(),
            html: format!("<main>{main}</main>").into_bytes(),
        };
        let pages = [
            page(
                "/a/",
                "The Rooms of a Server",
                "<p>Text before the first heading: it is the page's.</p>\
                 <h2 id=\"x\">Running and jumping</h2><p>The m.room_key.withheld event is \
                 re-sent, (quoted) \"words\", ..., -- and the of to a; naïve Ünïcode ÉTÉ.</p>\
                 <h3 id=\"y\"></h3><p>an untitled section takes the page's title</p>",
            ),
            page(
                "/b/",
                "Federation",
                "<h2 id=\"z\">Servers’ keys</h2><p>connections connected connecting \
                 generalizations , ; : ! ?</p>",
            ),
        ];
        let mut ours = SearchIndex::new();
        for p in &pages {
            ours.add(&PageSections::of(p));
        }
        assert_eq!(ours.docs.len(), 4);
        assert_eq!(
            serde_json::to_string(&ours.index).unwrap(),
            plain_index(&pages)
        );
    }
}
