//! Boxes (`{{% boxes/note %}}`, `warning`, `rationale`) in a description of a schema or
//! an API, shown as the boxes of a page are, as upstream's `RenderString` shows them: each
//! box a block of its own around its Markdown.
//!
//! Only a box that stands as a block of its own (its tag opens a paragraph at the top of
//! the text) is made one; a box tag inside a list, a quote, a table or code is left to the
//! Markdown of the text around it.

use pulldown_cmark::{Event, Parser, Tag};

use crate::source::shortcode::{self, Segment};

/// The boxes that are made blocks: their kinds name their class.
const KINDS: [&str; 3] = ["note", "warning", "rationale"];

/// Stands for a box in the Markdown around it; not a character a description holds.
const PLACE: char = '\u{fdd0}';

/// `text` as HTML, the boxes that stand alone made blocks around their body (made by
/// `whole`, so that boxes inside boxes are boxes too) and the rest made by `block`
/// (Markdown to HTML); `None` when `text` has no such box.
pub fn render(
    text: &str,
    block: &dyn Fn(&str) -> String,
    whole: &dyn Fn(&str) -> String,
) -> Option<String> {
    if !text.contains("boxes/") || text.contains(PLACE) {
        return None;
    }
    let segments = shortcode::parse(text).ok()?;
    let starts = top_paragraph_starts(text);
    let boxes: Vec<(&str, usize, usize, &str)> = segments
        .iter()
        .filter_map(|s| {
            let Segment::Call(c) = s else { return None };
            let kind = c.name.strip_prefix("boxes/")?;
            let body = c.body_span.clone()?;
            (KINDS.contains(&kind) && starts.contains(&c.offset))
                .then(|| (kind, c.offset, c.end, &text[body]))
        })
        .collect();
    if boxes.is_empty() {
        return None;
    }
    // Each box becomes a paragraph of its own holding its number; the text around it stays.
    let mut markdown = String::with_capacity(text.len());
    let mut at = 0;
    for (n, (_, start, end, _)) in boxes.iter().enumerate() {
        markdown.push_str(&text[at..*start]);
        markdown.push_str(&format!("\n\n{PLACE}{n}{PLACE}\n\n"));
        at = *end;
    }
    markdown.push_str(&text[at..]);
    let mut html = block(&markdown);
    for (n, (kind, _, _, body)) in boxes.iter().enumerate() {
        let shown = format!(
            "<div class=\"alert {kind}\" role=\"note\">\n{}\n</div>",
            whole(body)
        );
        html = html.replacen(&format!("<p>{PLACE}{n}{PLACE}</p>"), &shown, 1);
    }
    Some(html)
}

/// Where the paragraphs at the top of `text` start (not in a list, a quote or a table).
fn top_paragraph_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 && tag == Tag::Paragraph {
                    starts.push(range.start);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::describe::{description_block, Versions};

    fn shown(text: &str) -> String {
        description_block(text, &Versions::default())
    }

    #[test]
    fn a_box_is_a_block_around_its_markdown() {
        let text = "Before.\n\n{{% boxes/note title=\"a }} b\" %}}\nOne *thing*.\n\n{{% boxes/warning %}}\nInner.\n{{% /boxes/warning %}}\n{{% /boxes/note %}}\n\nAfter {{% added-in v=\"1.2\" %}}.";
        assert_eq!(
            shown(text),
            "<p>Before.</p>\n<div class=\"alert note\" role=\"note\">\n<p>One <em>thing</em>.</p>\n\
             <div class=\"alert warning\" role=\"note\">\n<p>Inner.</p>\n</div>\n</div>\n\
             <p>After <span class=\"version-badge added-in\"><strong>[Added in <code>v1.2</code>]</strong></span> .</p>"
        );
    }

    #[test]
    fn a_box_tag_inside_other_markdown_is_left_to_it() {
        for text in [
            "```\n{{% boxes/note %}}x{{% /boxes/note %}}\n```\n",
            "| a | b |\n|---|---|\n| x {{% boxes/note %}}cell{{% /boxes/note %}} | y |\n",
            "* item\n\n  {{% boxes/note %}}\n  In the item.\n  {{% /boxes/note %}}\n",
            "> {{% boxes/note %}}\n> Quoted.\n> {{% /boxes/note %}}\n",
            "{{% boxes/other %}}\nUnknown kind.\n{{% /boxes/other %}}\n",
        ] {
            assert_eq!(
                render(text, &|t| t.to_string(), &|t| t.to_string()),
                None,
                "{text}"
            );
            assert!(!shown(text).contains(PLACE), "{text}");
        }
    }
}
