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
    head: PageHead,
    sections: Vec<Tokenized>,
}

/// What the index holds of a page itself: its URL and title, and its title's tokens (the
/// title of a section without one).
pub(super) struct PageHead {
    url: String,
    title: String,
    title_tokens: String,
}

/// A section, its words already through elasticlunr's English pipeline.
pub(super) struct Tokenized {
    id: String,
    title: String,
    title_tokens: String,
    body_tokens: String,
}

impl PageSections {
    /// Reads the sections of a finished page and runs the pipeline on their words.
    pub fn of(page: &PageText) -> PageSections {
        let read = sections(&String::from_utf8_lossy(&page.html));
        PageSections::new(&page.url, &page.title, read)
    }

    /// A page's sections, read already: runs the pipeline on their words (the costly
    /// part of indexing that needs no index: done on the page's own core).
    fn new(url: &str, title: &str, sections: Vec<Section>) -> PageSections {
        let mut tokenizer = Tokenizer::new();
        PageSections {
            head: PageHead::new(&mut tokenizer, url, title),
            sections: sections.into_iter().map(|s| tokenizer.section(s)).collect(),
        }
    }
}

impl PageHead {
    pub(super) fn new(tokenizer: &mut Tokenizer, url: &str, title: &str) -> PageHead {
        PageHead {
            url: url.to_string(),
            title: title.to_string(),
            title_tokens: tokenizer.processed(title),
        }
    }
}

/// elasticlunr's English pipeline, each word run through it once: a page says the same
/// words again and again.
pub(super) struct Tokenizer {
    pipeline: Pipeline,
    /// What was made of each stretch of text met (between spaces and hyphens), as
    /// written: its tokens, each followed by a space. Bounded, so that a stranger's page
    /// of crafted words does not grow it past [`Tokenizer::KEPT`] stretches; its hashes
    /// are seeded, which makes crafting colliding words harder.
    seen: foldhash::HashMap<String, String>,
}

impl Tokenizer {
    /// The most stretches kept, and the longest (in bytes): past them, the pipeline runs.
    const KEPT: usize = 1 << 16;
    const LONGEST_KEPT: usize = 2 * super::sections::MAX_WORD;

    pub(super) fn new() -> Tokenizer {
        Tokenizer {
            pipeline: English::new().make_pipeline(),
            seen: Default::default(),
        }
    }

    /// The words of `text` through the pipeline, each followed by a space (no token holds
    /// one: [`words`] cuts at spaces and the pipeline only trims and stems). [`words`]
    /// reads each stretch between spaces and hyphens alone, and each step of the pipeline
    /// one token alone: a stretch met before gives the tokens it gave then.
    fn processed(&mut self, text: &str) -> String {
        let mut out = String::new();
        for stretch in text.split(|c: char| c.is_whitespace() || c == '-') {
            if stretch.is_empty() {
                continue;
            }
            if let Some(tokens) = self.seen.get(stretch) {
                out.push_str(tokens);
                continue;
            }
            let start = out.len();
            for token in self.pipeline.run(words(stretch)) {
                out.push_str(&token);
                out.push(' ');
            }
            if self.seen.len() < Self::KEPT && stretch.len() <= Self::LONGEST_KEPT {
                self.seen
                    .insert(stretch.to_string(), out[start..].to_string());
            }
        }
        out
    }

    pub(super) fn section(&mut self, s: Section) -> Tokenized {
        Tokenized {
            title_tokens: self.processed(&s.title),
            body_tokens: self.processed(&s.body),
            id: s.id,
            title: s.title,
        }
    }
}

/// The tokens [`Tokenizer::processed`] wrote.
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
pub(super) struct SearchIndex {
    index: Index,
    docs: Vec<serde_json::Value>,
}

impl SearchIndex {
    pub(super) fn new() -> SearchIndex {
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
            self.add_section(&page.head, s);
        }
    }

    /// Adds one section of `page`, as the next document.
    pub(super) fn add_section(&mut self, page: &PageHead, s: &Tokenized) {
        let url = if s.id.is_empty() {
            page.url.clone()
        } else {
            format!("{}#{}", page.url, s.id)
        };
        let (title, title_tokens) = if s.title.is_empty() {
            (&page.title, &page.title_tokens)
        } else {
            (&s.title, &s.title_tokens)
        };
        let doc_ref = self.docs.len().to_string();
        self.index
            .add_doc(&doc_ref, [title_tokens.as_str(), s.body_tokens.as_str()]);
        self.docs.push(serde_json::json!([url, title, page.title]));
    }

    /// The text of `search-index.js`.
    pub(super) fn script(self) -> String {
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
    fn a_stretch_met_again_gives_the_tokens_the_pipeline_gives() {
        let text = "Running RUNNING running m.room.member (m.room.member) re-running \
            the The of naïve NAÏVE keys keys,";
        let pipeline = English::new().make_pipeline();
        let mut plain = String::new();
        for token in pipeline.run(words(text)) {
            plain.push_str(&token);
            plain.push(' ');
        }
        let mut tokenizer = Tokenizer::new();
        assert_eq!(tokenizer.processed(text), plain);
        // Met again: from what was kept.
        assert_eq!(tokenizer.processed(text), plain);
        assert!(tokenizer.seen.len() < words(text).len());
    }

    #[test]
    fn the_stretches_kept_are_bounded_in_number_and_length() {
        let mut tokenizer = Tokenizer::new();
        let long = "x".repeat(Tokenizer::LONGEST_KEPT + 1);
        tokenizer.processed(&long);
        assert!(tokenizer.seen.is_empty());
        let many: String = (0..Tokenizer::KEPT + 10)
            .map(|n| format!("w{n} "))
            .collect();
        let tokens = tokenizer.processed(&many);
        assert_eq!(tokenizer.seen.len(), Tokenizer::KEPT);
        // Past the bound, the pipeline still runs.
        assert!(
            tokens.ends_with(&format!("w{} ", Tokenizer::KEPT + 9)),
            "{}",
            &tokens[tokens.len() - 20..]
        );
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
