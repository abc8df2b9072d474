//! Where a page's text writes the HTML its final pass could not read without guessing
//! (`ambiguous-html`): the tag the parser names, after a `<select>` or `<frameset>`.
//!
//! Only what reaches the page as markup is searched: the raw HTML of its Markdown, each
//! stretch between shortcode tags read on its own (as the renderer reads a call's body
//! apart from the text around it), and the bodies of `{{< >}}` calls, which are output
//! as written; not code, HTML comments or shortcode parameters.

use std::ops::Range;

use crate::render::markdown::raw_html_spans;
use crate::source::shortcode::{self, Segment};

/// Where the parser met `<tag` in a page's text (`body`): the first such start tag inside
/// a `<select>` not closed before it, or after a `<frameset`, the only places it is
/// ambiguous (byte offset in `body`, `true`); else the first such opening element, when
/// the tag came from elsewhere (`false`).
pub fn tag_in(body: &str, tag: &str) -> Option<(usize, bool)> {
    let markup = markup_of(body);
    let selects = tag_starts(&markup, "select");
    let closes = tag_starts(&markup, "/select");
    let frameset = tag_starts(&markup, "frameset").first().copied();
    let opening = selects.first().copied().into_iter().chain(frameset).min()?;
    let inside = |at: usize| {
        let last_open = selects.iter().rev().find(|&&s| s < at);
        let last_close = closes.iter().rev().find(|&&c| c < at);
        let in_select = last_open.is_some_and(|open| last_close.is_none_or(|close| close < open));
        in_select || frameset.is_some_and(|f| f < at)
    };
    let at = tag_starts(&markup, tag).into_iter().find(|&at| inside(at));
    Some(at.map_or((opening, false), |at| (at, true)))
}

/// `body` in ASCII lower case, with all but its markup blanked out: every byte stays
/// where it was (the spans and comments start and end at characters).
fn markup_of(body: &str) -> String {
    let mut markup = " ".repeat(body.len());
    for span in markup_spans(body) {
        markup.replace_range(span.clone(), &body[span]);
    }
    markup.make_ascii_lowercase();
    blank_comments(&mut markup);
    markup
}

/// The byte ranges of `body` that reach the page as markup.
fn markup_spans(body: &str) -> Vec<Range<usize>> {
    let Ok(segments) = shortcode::parse(body) else {
        // (The page's own error says why; its whole text is read as one.)
        return raw_html_spans(body);
    };
    let mut spans = Vec::new();
    collect_spans(body, &segments, true, &mut spans);
    spans
}

/// The markup of `segments`, text read as Markdown when `markdown` (else as written).
fn collect_spans(body: &str, segments: &[Segment], markdown: bool, out: &mut Vec<Range<usize>>) {
    for segment in segments {
        match segment {
            Segment::Text(text, offset) => {
                // A stretch that is not the page's text as written (an escaped shortcode,
                // shown without its comment markers) is left out.
                let Some(end) = offset.checked_add(text.len()) else {
                    continue;
                };
                if body.get(*offset..end) != Some(text.as_str()) {
                    continue;
                }
                if markdown {
                    let spans = raw_html_spans(text);
                    out.extend(spans.into_iter().map(|s| s.start + offset..s.end + offset));
                } else {
                    out.push(*offset..end);
                }
            }
            Segment::Call(call) => {
                if let Some(inner) = &call.body {
                    collect_spans(body, inner, call.markdown, out);
                }
            }
        }
    }
}

/// Blanks out every HTML comment (`<!-- ... -->`, to the end when unclosed).
fn blank_comments(markup: &mut String) {
    let mut from = 0;
    while let Some(start) = markup[from..].find("<!--").map(|i| from + i) {
        let end = markup[start + 4..]
            .find("-->")
            .map_or(markup.len(), |i| start + 4 + i + 3);
        markup.replace_range(start..end, &" ".repeat(end - start));
        from = end;
    }
}

/// Where `<name` starts a tag in `markup`, in order: a whole tag name (`<style` is not
/// `<styled-x>`), ended as HTML ends one (space, tab, line feed, form feed, carriage
/// return, `/` or `>`).
fn tag_starts(markup: &str, name: &str) -> Vec<usize> {
    let wanted = format!("<{name}");
    let ends = |next: Option<u8>| {
        matches!(
            next,
            None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
        )
    };
    markup
        .match_indices(&wanted)
        .map(|(at, _)| at)
        .filter(|&at| ends(markup.as_bytes().get(at + wanted.len()).copied()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ambiguous_tag_is_found_where_it_is_written_as_markup() {
        let tricky = "<style>x</style> `<xmp>` <SELECT><xmpl><XMP>";
        // A `<select>` and an `<xmp>` in code, then the raw ones further on.
        let coded =
            "Write `<select><xmp>` so.\n\n```\n<select>\n<xmp>\n```\n\n<select><xmp>x</xmp>\n";
        // A code fence left open in a call's body closes with the body, as it renders.
        let open_fence =
            "{{% boxes/note %}}\n```\n{{% /boxes/note %}}\n\n<select><xmp>x</xmp></select>\n";
        let commented = "<!-- once: <select><xmp> -->\n\n<select>\n<xmp>y</xmp>\n";
        let parameter = "{{< x p=\"<select><xmp>\" >}}\n\n<select><xmp>z</xmp>";
        let verbatim = "{{< html >}}<select><xmp>v</xmp>{{< /html >}}";
        let form_feed = "<div>\n<select\x0c><xmp>x</xmp></select>\n</div>";
        // A `<select>` closed before a harmless `<xmp>`, then the ambiguous one.
        let closed = "<select></select>\n\n<xmp>a</xmp>\n\n<select><xmp>b</xmp></select>";
        let last = |body: &str, what: &str| body.rfind(what).unwrap();
        let cases = [
            (tricky, "xmp", Some((last(tricky, "<XMP>"), true))),
            // The tag is not in the text after the `<select>`: the `<select>` is shown.
            (tricky, "style", Some((last(tricky, "<SELECT>"), false))),
            ("<xmp>", "xmp", None),
            (coded, "xmp", Some((last(coded, "<xmp>"), true))),
            (coded, "style", Some((last(coded, "<select>"), false))),
            (open_fence, "xmp", Some((last(open_fence, "<xmp>"), true))),
            (commented, "xmp", Some((last(commented, "<xmp>"), true))),
            (parameter, "xmp", Some((last(parameter, "<xmp>"), true))),
            (verbatim, "xmp", Some((last(verbatim, "<xmp>"), true))),
            (form_feed, "xmp", Some((last(form_feed, "<xmp>"), true))),
            (closed, "xmp", Some((last(closed, "<xmp>"), true))),
            ("<frameset></frameset><script>", "script", Some((21, true))),
            // Only in code: no opening element in the page's own markup.
            ("`<select><xmp>`", "xmp", None),
            // `<selection>` opens no `<select>`.
            ("<selection><xmp>", "xmp", None),
        ];
        for (body, tag, want) in cases {
            assert_eq!(super::tag_in(body, tag), want, "{tag} in {body:?}");
        }
    }
}
