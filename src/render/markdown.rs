//! Markdown to HTML with pulldown-cmark: tables, strikethrough, heading ids as Hugo makes
//! them, the page's headings (for its table of contents) and its links (for the link check).
//!
//! `javascript:` links are dropped (their text stays). Raw HTML is passed through for
//! content pages and escaped for text that comes from schemas and examples.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::anchor::{anchorize, IdSet};

/// One heading of a page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its unique id on the page.
    pub id: String,
    /// Its text without markup.
    pub text: String,
}

/// A link written in Markdown, with the source offset it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSite {
    /// The destination as written.
    pub href: String,
    /// Byte offset in the rendered Markdown text.
    pub offset: usize,
}

/// The result of rendering one Markdown text.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links in order.
    pub links: Vec<LinkSite>,
    /// Whether the text holds raw HTML (whose ids and links only an HTML scan finds).
    pub raw_html: bool,
    /// Ids written by hand (`{#id}`) that were already used on the page.
    pub duplicate_ids: Vec<String>,
}

/// The prefix of the placeholders that stand for shortcode output in Markdown text.
pub const PLACEHOLDER: &str = "mxspecshortcode";

/// The next placeholder of `text`: its start, its number and the offset just after it.
/// A placeholder is `mxspecshortcode`, digits and `x`.
pub fn next_placeholder(text: &str) -> Option<(usize, usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find(PLACEHOLDER).map(|i| from + i) {
        let after = &text[i + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('x') {
            if let Ok(n) = after[..digits].parse() {
                return Some((i, n, i + PLACEHOLDER.len() + digits + 1));
            }
        }
        from = i + PLACEHOLDER.len();
    }
    None
}

/// The numbers of the placeholders in `text`, in order.
fn placeholders(mut text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::from_fn(move || {
        let (_, n, end) = next_placeholder(text)?;
        text = &text[end..];
        Some(n)
    })
}

/// `text` without placeholders (`mxspecshortcode12x`), spaces tidied.
pub fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, _, end)) = next_placeholder(rest) {
        out.push_str(&rest[..start]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether raw HTML in the Markdown is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawHtml {
    /// Content pages: raw HTML is part of the page.
    Keep,
    /// Text from schemas and examples: raw HTML is shown as text.
    Escape,
}

/// Whether a link destination runs script.
pub fn is_script_url(href: &str) -> bool {
    let cleaned: String = href
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("data:text/html")
}

/// What upstream's Hugo reads: tables, strikethrough, `{#id}` on headings, definition
/// lists (a term, then `: its definition`) and its typographer (both on by default in
/// Hugo): curly quotes, `--` and `---` as dashes, `...` as an ellipsis; never in code.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
}

/// A text event as its characters were written, when it is the typographer's (`–` written
/// `--`, `’` written `'`); else as it is.
fn as_written<'t>(event_text: &'t str, source: &'t str) -> &'t str {
    let typographic = ["‘", "’", "“", "”", "–", "—", "…"];
    if typographic.contains(&event_text) && source != event_text {
        source
    } else {
        event_text
    }
}

/// The byte ranges of `text` that Markdown passes on as raw HTML (HTML blocks and inline
/// tags), in order: what a browser reads as markup, unlike the same characters in code.
pub fn raw_html_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(_, range)| range)
        .collect()
}

/// What [`render_visiting`] meets in the text, in document order.
pub enum Visit<'t> {
    /// A heading; the visitor answers with its id.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The id written by hand (`{#id}`), if any.
        explicit: Option<&'t str>,
        /// Its text without markup and placeholders.
        text: &'t str,
        /// The same as its characters were written (`--`, not the typographer's `–`):
        /// what its id is made from, as Hugo makes it.
        written: &'t str,
    },
    /// The placeholder of shortcode output number `n` (the visitor answers with nothing).
    Placeholder(usize),
}

/// The id of a heading: the one written by hand (`{#id}`) as it is, a clash being the
/// author's to fix (it is added to `duplicates`), or else its text anchorized, made unique.
pub fn heading_id(
    ids: &mut IdSet,
    explicit: Option<&str>,
    text: &str,
    duplicates: &mut Vec<String>,
) -> String {
    match explicit {
        Some(id) => {
            if !ids.claim(id) {
                duplicates.push(id.to_string());
            }
            id.to_string()
        }
        None => ids.unique(&anchorize(text)),
    }
}

/// Renders `markdown`; heading ids are made unique in `ids`.
pub fn render(markdown: &str, ids: &mut IdSet, raw: RawHtml) -> Rendered {
    let mut duplicate_ids = Vec::new();
    let mut out = render_visiting(markdown, raw, |visit| match visit {
        Visit::Heading {
            explicit, written, ..
        } => heading_id(ids, explicit, written, &mut duplicate_ids),
        Visit::Placeholder(_) => String::new(),
    });
    out.duplicate_ids = duplicate_ids;
    out
}

/// Renders `markdown`, showing `visit` each heading and each placeholder in the order they
/// are written (a shortcode's headings and ids come where it stands among the page's).
pub fn render_visiting(
    markdown: &str,
    raw: RawHtml,
    mut visit: impl FnMut(Visit) -> String,
) -> Rendered {
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let mut out = Rendered::default();

    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading {
                level, id, attrs, ..
            }) => {
                let level = *level as u8;
                // `{#id}`, or `{id="id"}` as Hugo's Goldmark also reads it.
                let explicit = id.as_ref().map(|s| s.to_string()).or_else(|| {
                    attrs
                        .iter()
                        .find(|(key, _)| key.as_ref() == "id")
                        .and_then(|(_, value)| value.as_ref())
                        .map(|value| value.trim_matches(['"', '\'']).to_string())
                });
                // Its text as shown, and as its id is made: from the characters written,
                // as Hugo makes ids, not from the typographer's (`--` stays `--`).
                let mut text = String::new();
                let mut id_text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                        id_text.push_str(as_written(t, &markdown[events[j].1.clone()]));
                    }
                    j += 1;
                }
                // Shortcode output in a heading (a badge) comes first; it is not part of
                // the id or of the table of contents.
                for n in placeholders(&text) {
                    visit(Visit::Placeholder(n));
                }
                let text = without_placeholders(&text);
                let unique = visit(Visit::Heading {
                    level,
                    explicit: explicit.as_deref(),
                    text: &text,
                    written: &without_placeholders(&id_text),
                });
                if let Event::Start(Tag::Heading { id, attrs, .. }) = &mut events[i].0 {
                    *id = Some(CowStr::from(unique.clone()));
                    attrs.retain(|(key, _)| key.as_ref() != "id");
                }
                out.headings.push(Heading {
                    level,
                    id: unique,
                    text,
                });
                i = j;
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                for n in placeholders(t) {
                    visit(Visit::Placeholder(n));
                }
            }
            _ => {}
        }
        i += 1;
    }

    // Links and raw HTML.
    let mut dropped_links = 0usize;
    let mut filtered = Vec::with_capacity(events.len());
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link { ref dest_url, .. }) if is_script_url(dest_url) => {
                dropped_links += 1
            }
            Event::End(TagEnd::Link) if dropped_links > 0 => dropped_links -= 1,
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                out.links.push(LinkSite {
                    href: dest_url.to_string(),
                    offset: range.start,
                });
                filtered.push(event);
            }
            Event::Start(Tag::Image { ref dest_url, .. }) if is_script_url(dest_url) => {}
            Event::Html(h) | Event::InlineHtml(h) if raw == RawHtml::Escape => {
                filtered.push(Event::Text(h))
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                out.raw_html = true;
                filtered.push(event);
            }
            other => filtered.push(other),
        }
    }
    html::push_html(&mut out.html, filtered.into_iter());
    out
}

/// Renders a short Markdown text as inline HTML (a single paragraph loses its `<p>`).
pub fn render_inline(markdown: &str, raw: RawHtml) -> String {
    let mut ids = IdSet::default();
    let html = render(markdown, &mut ids, raw).html;
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_what_is_written_the_text_from_the_typographer() {
        let mut ids = IdSet::default();
        let r = render(
            "## Foo -- Bar\n\n## It's --- done...\n\n## A – B\n",
            &mut ids,
            RawHtml::Keep,
        );
        let got: Vec<(&str, &str)> = r
            .headings
            .iter()
            .map(|h| (h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("foo----bar", "Foo – Bar"),
                ("its-----done", "It’s — done…"),
                ("a--b", "A – B")
            ]
        );
    }

    #[test]
    fn heading_ids_unique_and_explicit() {
        let mut ids = IdSet::default();
        let r = render(
            "# Hello World\n\n## Hello World\n\n### Custom {#mine}\n\n#### Hugo's {id=\"theirs\"}\n",
            &mut ids,
            RawHtml::Keep,
        );
        let got: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(got, vec!["hello-world", "hello-world-1", "mine", "theirs"]);
        assert!(
            r.html.contains("<h4 id=\"theirs\">Hugo’s</h4>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"));
    }

    #[test]
    fn placeholders_stay_out_of_ids_and_clashing_explicit_ids_are_reported() {
        let mut ids = IdSet::default();
        let r = render(
            "## Sharing mxspecshortcode0x\n\n## Custom {#sharing}\n",
            &mut ids,
            RawHtml::Keep,
        );
        assert_eq!(r.headings[0].id, "sharing");
        assert_eq!(r.headings[0].text, "Sharing");
        assert_eq!(r.duplicate_ids, vec!["sharing"]);
    }

    #[test]
    fn javascript_links_are_dropped_text_kept() {
        let mut ids = IdSet::default();
        let r = render(
            "[click](javascript:alert(1)) and [ok](#x)",
            &mut ids,
            RawHtml::Keep,
        );
        assert!(!r.html.contains("javascript"));
        assert!(r.html.contains("click"));
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].href, "#x");
    }

    #[test]
    fn raw_html_escaped_when_asked() {
        let mut ids = IdSet::default();
        let r = render("a <script>x</script> b", &mut ids, RawHtml::Escape);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.raw_html);
        let r = render("a <b>x</b>", &mut ids, RawHtml::Keep);
        assert!(r.html.contains("<b>x</b>"));
        assert!(r.raw_html);
    }

    #[test]
    fn inline_drops_single_paragraph() {
        assert_eq!(
            render_inline("The `x` key.", RawHtml::Escape),
            "The <code>x</code> key."
        );
    }

    #[test]
    fn tables_render() {
        let mut ids = IdSet::default();
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n", &mut ids, RawHtml::Keep);
        assert!(r.html.contains("<table>"));
    }

    #[test]
    fn a_list_stays_tight_when_as_of_drops_an_item() {
        let last = "* `a`: one.\n* **[Added in `v1.19`]** `b`: two,\n  more.\n\nAfter.\n";
        let mut ids = IdSet::default();
        let html = render(
            &crate::version::as_of::filter_markdown(last, "1.18"),
            &mut ids,
            RawHtml::Keep,
        )
        .html;
        assert_eq!(
            html,
            "<ul>\n<li><code>a</code>: one.</li>\n</ul>\n<p>After.</p>\n"
        );
        let text = "* `a`: one.\n* **[Added in `v1.19`]** `b`: two,\n  more.\n* `c`: three.\n";
        let out = crate::version::as_of::filter_markdown(text, "1.18");
        let mut ids = IdSet::default();
        let html = render(&out, &mut ids, RawHtml::Keep).html;
        assert_eq!(
            html,
            "<ul>\n<li><code>a</code>: one.</li>\n<li><code>c</code>: three.</li>\n</ul>\n"
        );
    }
}
