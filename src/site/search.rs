//! Search, built in: every page cut into sections at its headings (`h1` to `h4` with an
//! id: the page's headings, events, endpoints, definitions), indexed with elasticlunr-rs
//! (the index mdBook builds) and written as `search-index.js`, which the page's search box
//! loads, with `elasticlunr.min.js` and `search.js`, the first time it is used. It works
//! offline on the static files, opened from disk too (the index is a script, not a fetch).

use std::cell::RefCell;
use std::rc::Rc;

use elasticlunr::{Index, IndexBuilder};
use lol_html::html_content::{Element, EndTag};
use lol_html::{doc_text, element, rewrite_str, HandlerResult, RewriteStrSettings};

/// The index, beside the pages (the engine and the box's script are built-in assets of
/// the templates: `elasticlunr.min.js`, `search.js`).
pub const INDEX_FILE: &str = "search-index.js";
/// Words longer than this are not indexed (hashes, keys, base64 in examples).
const MAX_WORD: usize = 60;

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
    #[derive(Default)]
    struct Walk {
        sections: Vec<Section>,
        in_main: bool,
        in_heading: bool,
        skipping: bool,
    }
    let walk = Rc::new(RefCell::new(Walk {
        sections: vec![Section::default()],
        ..Walk::default()
    }));
    let (w1, w2, w4) = (walk.clone(), walk.clone(), walk.clone());
    let w5 = walk.clone();
    let settings = RewriteStrSettings::new()
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
            w.sections.push(Section {
                id: html_escape::decode_html_entities(&id).into_owned(),
                ..Section::default()
            });
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
        }));
    // A malformed page still yields the sections read before the fault.
    let _ = rewrite_str(page, settings);
    let sections = std::mem::take(&mut walk.borrow_mut().sections);
    sections
        .into_iter()
        .map(|s| Section {
            id: s.id,
            title: collapse(&s.title),
            body: collapse(&s.body),
        })
        .filter(|s| !s.title.is_empty() || !s.body.is_empty())
        .collect()
}

/// Runs `then` at the end tag of `el`.
fn on_end(el: &mut Element, then: impl FnOnce() + 'static) -> HandlerResult {
    let handler: Box<dyn FnOnce(&mut EndTag) -> HandlerResult> = Box::new(move |_| {
        then();
        Ok(())
    });
    el.on_end_tag(handler)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a text as the index holds them: lower case, cut at spaces and hyphens as
/// the search box cuts what is typed; a dotted or underscored name (`m.room_key.withheld`)
/// is indexed whole and by its parts, so that `withheld` finds it.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '-') {
        let word = word.trim().to_lowercase();
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

/// The text of `search-index.js`: the elasticlunr index of every section of `pages` (each
/// page read on a core of its own; fields `title` and `body`; a document's ref is its
/// number) and, by number, each section's URL, title and page title, set as
/// `window.mxspecSearch`.
pub fn index_script(pages: &[PageText]) -> String {
    let sections = crate::pool::map(pages, |_, page| {
        sections(&String::from_utf8_lossy(&page.html))
    });
    let mut index: Index = IndexBuilder::new()
        .save_docs(false)
        .add_field_with_tokenizer("title", Box::new(words))
        .add_field_with_tokenizer("body", Box::new(words))
        .build();
    let mut docs = Vec::new();
    for (page, sections) in pages.iter().zip(&sections) {
        for s in sections {
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
            index.add_doc(&docs.len().to_string(), [title.as_str(), s.body.as_str()]);
            docs.push(serde_json::json!([url, title, page.title]));
        }
    }
    // Written straight from the index, with no JSON tree of it in between.
    let index = serde_json::to_string(&index).unwrap_or_default();
    let docs = serde_json::Value::from(docs);
    format!("window.mxspecSearch = {{\"index\":{index},\"docs\":{docs}}};\n")
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
