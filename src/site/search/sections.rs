//! The sections of a finished page (cut at its headings) and the words of a text, as the
//! search index holds them.

use std::cell::RefCell;
use std::rc::Rc;

use crate::render::html_scan::on_end;
use lol_html::{doc_text, element, rewrite_str, RewriteStrSettings};

/// Words longer than this are not indexed (hashes, keys, base64 in examples).
pub(super) const MAX_WORD: usize = 60;

/// One section of a page: what a search finds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// The id of its heading (empty for the text before the first heading).
    pub id: String,
    /// Its heading's text.
    pub title: String,
    /// Its text.
    pub body: String,
}

/// The sections of a page's text (its `<main>`), in order. Script, style and code
/// blocks are not text.
pub fn sections(page: &str) -> Vec<Section> {
    let reader = SectionReader::new();
    // A malformed page still yields the sections read before the fault.
    let _ = rewrite_str(page, reader.handlers(RewriteStrSettings::new()));
    reader.sections()
}

/// Reads the sections of a page in a pass over its HTML that may do more (the page's
/// final pass, in a one-shot build).
pub struct SectionReader {
    walk: Rc<RefCell<Walk>>,
}

/// Where a finished section goes as soon as the next heading starts (streamed), if not
/// kept until the end.
type SectionSink = Box<dyn FnMut(Section)>;

struct Walk {
    /// The sections read; while streaming, only the one being read.
    sections: Vec<Section>,
    in_main: bool,
    in_heading: bool,
    skipping: bool,
    sink: Option<SectionSink>,
}

impl Drop for Walk {
    /// A streaming reader hands its last section over when it is done with, even if
    /// [`SectionReader::finish`] was not called.
    fn drop(&mut self) {
        // (While a panic unwinds, a page half read is not worth a second one.)
        if !std::thread::panicking() {
            self.flush();
        }
    }
}

impl Walk {
    /// Hands the section being read to the sink of a streaming reader.
    fn flush(&mut self) {
        if let Some(sink) = &mut self.sink {
            if let Some(done) = self.sections.pop().and_then(finished) {
                sink(done);
            }
        }
    }

    /// Starts a section at a heading with this id; the one before is finished.
    fn start_section(&mut self, id: String) {
        self.flush();
        self.sections.push(Section {
            id,
            ..Section::default()
        });
    }
}

/// A section as the index holds it: runs of white space as one space; none when it has
/// neither title nor text.
fn finished(s: Section) -> Option<Section> {
    let s = Section {
        id: s.id,
        title: collapse(&s.title),
        body: collapse(&s.body),
    };
    (!s.title.is_empty() || !s.body.is_empty()).then_some(s)
}

impl Default for SectionReader {
    fn default() -> Self {
        SectionReader::new()
    }
}

impl SectionReader {
    /// A reader that has read nothing.
    pub fn new() -> SectionReader {
        SectionReader {
            walk: Rc::new(RefCell::new(Walk {
                sections: vec![Section::default()],
                in_main: false,
                in_heading: false,
                skipping: false,
                sink: None,
            })),
        }
    }

    /// A reader that hands each section to `sink` as soon as it is read (at the next
    /// heading, or at [`SectionReader::finish`] for the last), in order: the index is
    /// made while the page is still being read.
    pub fn streaming(sink: impl FnMut(Section) + 'static) -> SectionReader {
        let reader = SectionReader::new();
        reader.walk.borrow_mut().sink = Some(Box::new(sink));
        reader
    }

    /// Hands the last section to the sink of a streaming reader (dropping the reader does
    /// too).
    pub fn finish(self) {
        self.walk.borrow_mut().flush();
    }

    /// `settings` with the handlers that read the sections added.
    pub fn handlers<'h, 's>(
        &self,
        settings: RewriteStrSettings<'h, 's>,
    ) -> RewriteStrSettings<'h, 's> {
        let walk = &self.walk;
        let (w1, w2, w4, w5) = (walk.clone(), walk.clone(), walk.clone(), walk.clone());
        settings
            .append_element_content_handler(element!("main", move |el| {
                w5.borrow_mut().in_main = true;
                let after = w5.clone();
                on_end(el, move || after.borrow_mut().in_main = false)
            }))
            .append_element_content_handler(element!("h1[id], h2[id], h3[id], h4[id]", move |el| {
                let id = el.get_attribute("id").unwrap_or_default();
                let mut w = w1.borrow_mut();
                if !w.in_main {
                    return Ok(());
                }
                w.start_section(html_escape::decode_html_entities(&id).into_owned());
                w.in_heading = true;
                let after = w1.clone();
                on_end(el, move || after.borrow_mut().in_heading = false)
            }))
            .append_element_content_handler(element!("script, style, pre", move |el| {
                w2.borrow_mut().skipping = true;
                let after = w2.clone();
                on_end(el, move || after.borrow_mut().skipping = false)
            }))
            .append_document_content_handler(doc_text!(move |t| {
                let mut w = w4.borrow_mut();
                if w.skipping || !w.in_main {
                    return Ok(());
                }
                let in_heading = w.in_heading;
                if let Some(s) = w.sections.last_mut() {
                    let text = html_escape::decode_html_entities(t.as_str());
                    let into = if in_heading {
                        &mut s.title
                    } else {
                        &mut s.body
                    };
                    into.push_str(&text);
                    // Text nodes part words: `<td>a</td><td>b</td>` is two words.
                    if t.last_in_text_node() {
                        into.push(' ');
                    }
                }
                Ok(())
            }))
    }

    /// The sections read, in order (of a reader that does not stream).
    pub fn sections(self) -> Vec<Section> {
        let sections = std::mem::take(&mut self.walk.borrow_mut().sections);
        sections.into_iter().filter_map(finished).collect()
    }
}

/// `text` with its runs of white space as one space, and none at either end.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The words of a text as the index holds them: lower case, cut at spaces, hyphens and
/// dashes as the search box cuts what is typed, curly quotes made straight; a dotted or underscored name (`m.room_key.withheld`)
/// is indexed whole and by its parts, so that `withheld` finds it.
pub(super) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '-' || c == '–' || c == '—') {
        let mut word = word.trim().to_lowercase();
        // The typographer's quotes are the ones typed in the search box.
        if !word.is_ascii() {
            word = word.replace(['‘', '’'], "'").replace(['“', '”'], "\"");
        }
        if word.is_empty() || word.len() > MAX_WORD {
            continue;
        }
        let parts: Vec<&str> = word
            .split([
                '.', '_', '/', '(', ')', ',', ':', '"', '`', '{', '}', '[', ']',
            ])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() > 1 {
            out.extend(parts.iter().map(|p| p.to_string()));
        }
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_headings_with_ids() {
        let body = "<nav><h2 id=\"n\">Not text</h2></nav><main><p>Intro &amp; more</p>\n<h2 id=\"a\">First <code>x</code></h2><p>one</p><script>no()</script>\
            <section><details><summary><h1 id=\"mroom_keywithheld\"><code>m.room_key.withheld</code></h1></summary>\
            <table><tr><td>code</td><td>reason</td></tr></table></details></section><h5>not a section</h5><p>tail</p><pre>{\"code\": 1}</pre></main><nav>after</nav>";
        assert_eq!(
            sections(body),
            [
                Section {
                    id: String::new(),
                    title: String::new(),
                    body: "Intro & more".into()
                },
                Section {
                    id: "a".into(),
                    title: "First x".into(),
                    body: "one".into()
                },
                Section {
                    id: "mroom_keywithheld".into(),
                    title: "m.room_key.withheld".into(),
                    body: "code reason not a section tail".into()
                },
            ]
        );
    }

    #[test]
    fn a_streaming_reader_hands_over_the_sections_a_reader_keeps() {
        let page = "<main><h2 id=\"e\"> </h2><p>Intro</p><h2 id=\"a\">A  title</h2>\
            <p>one\n two</p><h3 id=\"b\"></h3><h3 id=\"c\">C</h3><p>last</p></main>";
        let got = std::rc::Rc::new(RefCell::new(Vec::new()));
        let into = got.clone();
        let reader = SectionReader::streaming(move |s| into.borrow_mut().push(s));
        let _ = rewrite_str(page, reader.handlers(RewriteStrSettings::new()));
        // Each section as soon as the next heading starts; the last at the end.
        assert_eq!(got.borrow().len(), 2);
        reader.finish();
        assert_eq!(*got.borrow(), sections(page));
        assert_eq!(got.borrow().len(), 3, "{:?}", got.borrow());
        // A reader dropped unfinished hands its last section over all the same.
        got.borrow_mut().clear();
        let into = got.clone();
        let reader = SectionReader::streaming(move |s| into.borrow_mut().push(s));
        let _ = rewrite_str(page, reader.handlers(RewriteStrSettings::new()));
        drop(reader);
        assert_eq!(*got.borrow(), sections(page));
    }

    #[test]
    fn typographic_quotes_and_dashes_are_what_is_typed() {
        assert_eq!(
            words("the user’s “own” key – kept"),
            ["the", "user's", "\"own\"", "key", "kept"]
        );
    }

    #[test]
    fn names_are_words_whole_and_by_part() {
        assert_eq!(
            words("The m.room_key.withheld event, re-sent"),
            [
                "the",
                "m",
                "room",
                "key",
                "withheld",
                "m.room_key.withheld",
                "event,",
                "re",
                "sent"
            ]
        );
    }
}
