//! Boxes (`{{% boxes/note %}}`, `warning`, `rationale`) in a description of a schema or
//! an API, shown as the boxes of a page are, as upstream's `RenderString` shows them: each
//! box a block of its own around its Markdown.

use crate::source::shortcode::{self, Segment};

/// Stands for a box in the Markdown around it; not a character a description holds.
const PLACE: char = '\u{fdd0}';

/// `text` as HTML, its boxes made by `box_html` (kind, body HTML) and everything else by
/// `block` (Markdown to HTML, the body of each box too); `None` when `text` has no box.
pub fn render(text: &str, block: &dyn Fn(&str) -> String) -> Option<String> {
    if !text.contains("boxes/") || text.contains(PLACE) {
        return None;
    }
    let segments = shortcode::parse(text).ok()?;
    let boxes: Vec<(&str, &str)> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Call(c) if c.name.starts_with("boxes/") && c.body.is_some() => {
                let body_start = c.offset + text[c.offset..].find("}}")? + 2;
                let body_end = text[..c.end].rfind("{{")?;
                Some((
                    c.name.trim_start_matches("boxes/"),
                    &text[body_start..body_end],
                ))
            }
            _ => None,
        })
        .collect();
    if boxes.is_empty() {
        return None;
    }
    // Each box becomes a paragraph of its own holding its number; the text around it stays.
    let mut markdown = String::with_capacity(text.len());
    let mut at = 0;
    let mut n = 0;
    for s in &segments {
        if let Segment::Call(c) = s {
            if c.name.starts_with("boxes/") && c.body.is_some() {
                markdown.push_str(&text[at..c.offset]);
                markdown.push_str(&format!("\n\n{PLACE}{n}{PLACE}\n\n"));
                at = c.end;
                n += 1;
            }
        }
    }
    markdown.push_str(&text[at..]);
    let mut html = block(&markdown);
    for (n, (kind, body)) in boxes.iter().enumerate() {
        let shown = format!(
            "<div class=\"alert {kind}\" role=\"note\">\n{}\n</div>",
            block(body)
        );
        html = html.replacen(&format!("<p>{PLACE}{n}{PLACE}</p>"), &shown, 1);
    }
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(markdown: &str) -> String {
        crate::render::describe::markdown_block(markdown)
    }

    #[test]
    fn a_box_is_a_block_around_its_markdown() {
        let text = "Before.\n\n{{% boxes/note %}}\nOne *thing*.\n\nTwo.\n{{% /boxes/note %}}\n\nAfter {{% added-in v=\"1.2\" %}}.";
        let html = render(text, &block).unwrap();
        assert_eq!(
            html,
            "<p>Before.</p>\n<div class=\"alert note\" role=\"note\">\n<p>One <em>thing</em>.</p>\n<p>Two.</p>\n</div>\n<p>After {{% added-in v=“1.2” %}}.</p>"
        );
        assert_eq!(render("No box.", &block), None);
    }
}
