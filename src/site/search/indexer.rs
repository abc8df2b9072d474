//! The search index built on a thread of its own while the pages of a one-shot build
//! render: each page's sections are fed to it as its final pass reads them, and added in
//! the order of the pages' keys, so that the index is the one [`super::index_script`]
//! makes of the finished pages.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, Sender};

use super::index::{PageHead, SearchIndex, Tokenized, Tokenizer};
use super::sections::Section;

/// The same index as [`super::index_script`], built on a thread of its own while the
/// pages are still rendering: each page is fed as it is read, with its number among all
/// the pages, and its sections are added as they come once the pages before it are all
/// added.
pub struct Indexer {
    feed: Sender<(usize, Fed)>,
    index: std::thread::JoinHandle<String>,
}

/// What the index thread is sent of a page.
enum Fed {
    /// Its URL and title, first.
    Head(PageHead),
    /// Its next section.
    Section(Tokenized),
    /// The end of the page.
    End,
}

/// A page's sections that cannot be added yet (a page before it is not finished).
#[derive(Default)]
struct Waiting {
    head: Option<PageHead>,
    sections: Vec<Tokenized>,
    ended: bool,
}

impl Waiting {
    /// Adds the sections waiting (once the page's head is known).
    fn add_to(&mut self, index: &mut SearchIndex) {
        if let Some(head) = &self.head {
            self.sections
                .drain(..)
                .for_each(|s| index.add_section(head, &s));
        }
    }
}

impl Indexer {
    /// An indexer waiting for pages numbered from 0.
    pub fn start() -> Indexer {
        let (feed, received) = channel::<(usize, Fed)>();
        let index = std::thread::spawn(move || {
            let mut index = SearchIndex::new();
            let mut waiting: BTreeMap<usize, Waiting> = Default::default();
            let mut next = 0;
            for (n, fed) in received {
                let page = waiting.entry(n).or_default();
                match fed {
                    Fed::Head(head) => page.head = Some(head),
                    Fed::Section(s) => page.sections.push(s),
                    Fed::End => page.ended = true,
                }
                // What can be added now: the next page's sections so far, and the pages
                // after it once it is ended.
                while let Some(page) = waiting.get_mut(&next) {
                    page.add_to(&mut index);
                    if !page.ended {
                        break;
                    }
                    waiting.remove(&next);
                    next += 1;
                }
            }
            // Every feed is gone, each page ended: what is left waits for a page number
            // never fed (a page without a key among the keys), and follows in order.
            waiting
                .values_mut()
                .for_each(|page| page.add_to(&mut index));
            index.script()
        });
        Indexer { feed, index }
    }

    /// Starts feeding the page numbered `n`, at `url` with this title: its sections are
    /// then given to the feed, in order, and dropping the feed ends the page.
    pub fn page(&self, n: usize, url: &str, title: &str) -> PageFeed {
        let mut tokenizer = Tokenizer::new();
        let head = PageHead::new(&mut tokenizer, url, title);
        // (The index thread ends only when the indexer is finished.)
        let _ = self.feed.send((n, Fed::Head(head)));
        PageFeed {
            n,
            feed: self.feed.clone(),
            tokenizer,
        }
    }

    /// The text of `search-index.js`, once every page fed is added: it waits for every
    /// [`PageFeed`] to be dropped.
    pub fn finish(self) -> String {
        drop(self.feed);
        self.index
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// One page being fed to an [`Indexer`], section by section: the pipeline runs on the
/// page's own core, the index adds on its thread meanwhile. Dropped, it ends the page.
pub struct PageFeed {
    n: usize,
    feed: Sender<(usize, Fed)>,
    tokenizer: Tokenizer,
}

impl PageFeed {
    /// Feeds the page's next section.
    pub fn section(&mut self, section: Section) {
        let tokenized = self.tokenizer.section(section);
        let _ = self.feed.send((self.n, Fed::Section(tokenized)));
    }
}

impl Drop for PageFeed {
    /// Ends the page.
    fn drop(&mut self) {
        let _ = self.feed.send((self.n, Fed::End));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::search::{index_script, sections, PageText};

    #[test]
    fn pages_fed_in_any_order_are_indexed_in_the_order_of_their_numbers() {
        let page = |url: &str, main: &str| PageText {
            url: url.into(),
            title: format!("Page {url}"),
            html: format!("<main>{main}</main>").into_bytes(),
        };
        let pages = [
            page(
                "/a/",
                "<p>alpha</p><h2 id=\"x\">Running</h2><p>runs ran</p>",
            ),
            page(
                "/b/",
                "<h2 id=\"y\">Beta</h2><p>beta beta</p><h2 id=\"z\"></h2><p>b</p>",
            ),
            page("/c/", "<p>gamma, the running</p>"),
        ];
        let indexer = Indexer::start();
        let feed = |n: usize| {
            let p = &pages[n];
            (
                indexer.page(n, &p.url, &p.title),
                sections(std::str::from_utf8(&p.html).unwrap()),
            )
        };
        // The last page first and whole, then the first two, their sections interleaved.
        let (mut c, c_sections) = feed(2);
        c_sections.into_iter().for_each(|s| c.section(s));
        drop(c);
        let (mut a, a_sections) = feed(0);
        let (mut b, b_sections) = feed(1);
        let mut b_sections = b_sections.into_iter();
        for s in a_sections {
            a.section(s);
            if let Some(s) = b_sections.next() {
                b.section(s);
            }
        }
        b_sections.for_each(|s| b.section(s));
        drop(b);
        drop(a);
        assert_eq!(indexer.finish(), index_script(&pages));
    }
}
