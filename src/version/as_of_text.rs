//! `build --as-of X.Y` for Markdown: a description or a content page as it was at X.Y.
//!
//! A list item or paragraph that opens with an "Added in" or "Changed in" marker for a
//! later version is left out, and so is a box (`{{% boxes/note %}}`) whose first words
//! are such a marker; a paragraph of markers alone loses the later ones. A whole section
//! goes when its heading is followed at once by an "Added in" marker standing alone
//! (upstream's way of saying the section is new): the heading and everything up to the
//! next heading of its level or higher. Text is blanked rather than cut, so every byte
//! keeps its offset and line numbers stay right.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};

use super::later;
use super::markers::{leading_marker, Marker};
use crate::source::shortcode;

/// One block at the top level of a text: a heading or a paragraph.
enum TopBlock {
    Heading(HeadingLevel, Range<usize>),
    Paragraph(Range<usize>),
    Other,
}

/// `text` without what was added after `as_of` (see the module's header).
pub fn filter_markdown(text: &str, as_of: &str) -> String {
    let mut drop: Vec<Range<usize>> = Vec::new();
    // Markers that go while the text around them stays: blanked as they are.
    let mut marks: Vec<Range<usize>> = Vec::new();
    let mut top: Vec<TopBlock> = Vec::new();
    let mut depth = 0usize;
    // The term of the definition being read (`M_X`, then `: {{% added-in ... %}} ...`).
    let mut term: Option<Range<usize>> = None;
    let options = Options::ENABLE_DEFINITION_LIST | Options::ENABLE_TABLES;
    let boxes = boxes(text);
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    top.push(match tag {
                        Tag::Heading { level, .. } => TopBlock::Heading(*level, range.clone()),
                        Tag::Paragraph => TopBlock::Paragraph(range.clone()),
                        _ => TopBlock::Other,
                    });
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if depth == 0 => top.push(TopBlock::Other),
            _ => {}
        }
        if let Event::Start(Tag::DefinitionListTitle) = event {
            term = Some(range.clone());
        }
        if let Event::Start(Tag::DefinitionListDefinition) = event {
            // A definition added later goes with its term.
            let definition = text[range.clone()].trim_start().trim_start_matches(':');
            if let Some((Marker::Added, v)) = leading_marker(definition.trim_start()) {
                if later(&v, as_of) {
                    let from = term.take().map_or(range.start, |t| t.start);
                    drop.push(from..range.end);
                }
            }
            continue;
        }
        let start = match event {
            Event::Start(Tag::Item) => strip_list_marker(&text[range.clone()]),
            Event::Start(Tag::Paragraph) => Some(&text[range.clone()]),
            _ => None,
        };
        let Some(start) = start else { continue };
        if drop
            .iter()
            .any(|d| d.start <= range.start && range.end <= d.end)
        {
            continue;
        }
        if let Some(markers) = markers_only(start) {
            // Markers alone: each later one goes (the block, when all of them do).
            let base = range.end - start.len();
            let (later_ones, kept): (Vec<_>, Vec<_>) =
                markers.into_iter().partition(|(_, v)| later(v, as_of));
            if kept.is_empty() {
                drop.push(range);
            } else {
                marks.extend(
                    later_ones
                        .into_iter()
                        .map(|(r, _)| base + r.start..base + r.end),
                );
            }
        } else if let Some((marker, _)) = leading_marker(start).filter(|(_, v)| later(v, as_of)) {
            // Added later: the block goes. Changed later: it was there, so only the
            // marker goes (what it says is as it reads now).
            let opening = start.trim_start();
            let base = range.end - opening.len();
            match (marker, marker_len(opening)) {
                (Marker::Changed, Some(len)) => marks.push(base..base + len),
                _ => drop.push(range),
            }
        } else if let Some(end) = later_box_end(text, &boxes, range.start, as_of) {
            drop.push(range.start..end);
        }
    }
    let sections = later_sections(text, &top, as_of);
    if drop.is_empty() && sections.is_empty() && marks.is_empty() {
        return text.to_string();
    }
    blank(text, sections.iter().chain(&drop), &marks)
}

/// The sections added after `as_of`: each from its heading up to the next heading of its
/// level or higher (the end of the text at the latest), when the block right after the
/// heading is a paragraph holding only an "Added in" marker for a later version.
fn later_sections(text: &str, top: &[TopBlock], as_of: &str) -> Vec<Range<usize>> {
    let mut sections = Vec::new();
    for (i, pair) in top.windows(2).enumerate() {
        let (TopBlock::Heading(level, heading), TopBlock::Paragraph(par)) = (&pair[0], &pair[1])
        else {
            continue;
        };
        let added_later = matches!(
            leading_marker(&text[par.clone()]),
            Some((Marker::Added, v)) if later(&v, as_of)
        );
        if !added_later || !marker_alone(&text[par.clone()]) {
            continue;
        }
        let end = top[i + 2..]
            .iter()
            .find_map(|b| match b {
                TopBlock::Heading(l, r) if l <= level => Some(r.start),
                _ => None,
            })
            .unwrap_or(text.len());
        if sections.last().is_some_and(|s: &Range<usize>| s.end >= end) {
            continue; // inside a section left out already
        }
        // A section that would take a shortcode's closing tag with it (a heading inside
        // a box) is not left out whole: only its marker is.
        if shortcode::parse(&text[heading.start..end]).is_err() {
            continue;
        }
        sections.push(heading.start..end);
    }
    sections
}

/// The length of the marker `text` opens with (a shortcode tag or `**[...]**`).
fn marker_len(text: &str) -> Option<usize> {
    if text.starts_with("{{") {
        Some(text.find("}}")? + 2)
    } else {
        Some(text.find("]**")? + 3)
    }
}

/// Whether a paragraph that opens with a marker holds nothing else but more markers
/// (`{{% added-in v="1.1" %}}` then `{{% changed-in v="1.3" %}}`).
fn marker_alone(paragraph: &str) -> bool {
    markers_only(paragraph).is_some()
}

/// The markers a paragraph is made of (their ranges in it and versions), when it holds
/// nothing else.
fn markers_only(paragraph: &str) -> Option<Vec<(Range<usize>, String)>> {
    let mut markers = Vec::new();
    let mut at = paragraph.len() - paragraph.trim_start().len();
    while at < paragraph.trim_end().len() {
        let rest = &paragraph[at..];
        let (_, version) = leading_marker(rest)?;
        let len = marker_len(rest)?;
        markers.push((at..at + len, version));
        at += len + (rest[len..].len() - rest[len..].trim_start().len());
    }
    (!markers.is_empty()).then_some(markers)
}

/// The boxes of `text` (`{{% boxes/note %}}` ... `{{% /boxes/note %}}`), by where their
/// opening tag starts: where their body lies and where they end. None when `text` has no
/// box or does not parse.
fn boxes(text: &str) -> HashMap<usize, (Range<usize>, usize)> {
    if !text.contains("boxes/") {
        return HashMap::new();
    }
    let Ok(segments) = shortcode::parse(text) else {
        return HashMap::new();
    };
    shortcode::calls(&segments)
        .filter(|c| c.name.starts_with("boxes/"))
        .filter_map(|c| Some((c.offset, (c.body_span.clone()?, c.end))))
        .collect()
}

/// The end of the box in `boxes` that opens at `start` with a marker for a version after
/// `as_of` as its first words: upstream's way of marking a note added later.
fn later_box_end(
    text: &str,
    boxes: &HashMap<usize, (Range<usize>, usize)>,
    start: usize,
    as_of: &str,
) -> Option<usize> {
    let (body, end) = boxes.get(&start)?;
    let (marker, version) = leading_marker(text[body.clone()].trim_start())?;
    (marker == Marker::Added && later(&version, as_of)).then_some(*end)
}

/// `text` with each block blanked: it becomes trailing spaces of the line before it (its
/// line breaks included, the line breaks after it kept), so that a list stays tight and
/// every byte keeps its offset (positions are read from the file itself); and each of
/// `marks` blanked as it is.
fn blank<'r>(
    text: &str,
    blocks: impl Iterator<Item = &'r Range<usize>>,
    marks: &[Range<usize>],
) -> String {
    let blank: Vec<Range<usize>> = blocks
        .map(|d| {
            let start = text[..d.start].rfind('\n').unwrap_or(0);
            let end = d.start + text[d.clone()].trim_end().len();
            start..end
        })
        .chain(marks.iter().cloned())
        .collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if blank.iter().any(|d| d.contains(&i)) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

fn strip_list_marker(item: &str) -> Option<&str> {
    let t = item.trim_start();
    let t = t.strip_prefix(['*', '-', '+']).or_else(|| {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0)
            .then(|| t[digits..].strip_prefix(['.', ')']))
            .flatten()
    })?;
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_list_items_and_paragraphs_are_blanked() {
        let text = "Codes:\n\n* `a`: one.\n* **[Added in `v1.19`]** `b`: two,\n  more.\n\n{{% added-in v=\"1.19\" %}} New para.\n\nKept.\n";
        let out = filter_markdown(text, "1.18");
        assert_eq!(out.len(), text.len(), "every byte keeps its offset");
        assert!(out.contains("`a`: one."));
        assert!(!out.contains("`b`"));
        assert!(!out.contains("more."));
        assert!(!out.contains("New para"));
        assert!(out.contains("Kept."));
        assert_eq!(filter_markdown(text, "1.19"), text);
    }

    const SECTIONS: &str = "## Old\n\nOld text.\n\n### New\n\n{{% added-in v=\"1.19\" %}}\n\nNew text.\n\n#### Deeper\n\n{{% event event=\"m.new\" %}}\n\n### Sibling\n\nStays.\n\n## Changed\n\n{{% changed-in v=\"1.19\" %}}\n\nChanged text.\n";

    #[test]
    fn a_section_marked_added_later_is_left_out_to_its_next_sibling() {
        let out = filter_markdown(SECTIONS, "1.18");
        assert_eq!(out.len(), SECTIONS.len(), "every byte keeps its offset");
        for gone in ["### New", "New text", "Deeper", "m.new"] {
            assert!(!out.contains(gone), "{gone} left in:\n{out}");
        }
        for kept in ["## Old", "Old text.", "### Sibling", "Stays.", "## Changed"] {
            assert!(out.contains(kept), "{kept} left out:\n{out}");
        }
        // A section only changed later stays; its note goes.
        assert!(out.contains("Changed text.") && !out.contains("changed-in"));
        assert_eq!(filter_markdown(SECTIONS, "1.19"), SECTIONS);
    }

    #[test]
    fn a_block_changed_later_stays_without_its_marker() {
        let text = "1. First.\n2. {{% changed-in v=\"1.19\" %}} Second, as it reads now.\n3. Third.\n\n**[Changed in `v1.19`]** A paragraph.\n";
        let out = filter_markdown(text, "1.18");
        assert_eq!(out.len(), text.len());
        assert!(
            !out.contains("changed-in") && !out.contains("Changed in"),
            "{out}"
        );
        assert!(
            out.contains("2.  ") && out.contains("Second, as it reads now."),
            "{out}"
        );
        assert!(out.contains("A paragraph."), "{out}");
        let items = Parser::new(&out)
            .filter(|e| matches!(e, Event::Start(Tag::Item)))
            .count();
        assert_eq!(items, 3, "{out}");
    }

    #[test]
    fn a_definition_added_later_goes_with_its_term() {
        let text = "`M_OLD`\n: Old code.\n\n`M_NEW`\n: {{% added-in v=\"1.19\" %}} New code.\n\n`M_LAST`\n: Last code.\n";
        let out = filter_markdown(text, "1.18");
        assert!(!out.contains("M_NEW") && !out.contains("New code"), "{out}");
        assert!(out.contains("M_OLD") && out.contains("Last code."), "{out}");
        assert_eq!(filter_markdown(text, "1.19"), text);
    }

    #[test]
    fn a_marker_with_words_after_it_leaves_out_its_paragraph_only() {
        let text = "### Kept\n\n{{% added-in v=\"1.19\" %}} A new rule.\n\nOld rule.\n";
        let out = filter_markdown(text, "1.18");
        assert!(out.contains("### Kept") && out.contains("Old rule."));
        assert!(!out.contains("A new rule"));
    }

    #[test]
    fn a_later_section_runs_to_the_end_of_the_text() {
        let text = "### Image packs\n\n**[Added in `v1.19`]**\n\nPacks.\n\n#### Events\n\nMore.\n";
        assert_eq!(filter_markdown(text, "1.18").trim(), "");
    }

    #[test]
    fn a_section_ends_at_a_higher_heading_and_may_carry_more_markers() {
        let text = "## Rooms\n\n### Knocking\n\n{{% added-in v=\"1.19\" %}}\n{{% changed-in v=\"1.20\" %}}\n\nKnock.\n\n## Users\n\nUsers.\n";
        let out = filter_markdown(text, "1.18");
        assert!(
            !out.contains("Knock") && !out.contains("changed-in"),
            "{out}"
        );
        assert!(out.contains("## Rooms") && out.contains("## Users") && out.contains("Users."));
        // Between the two: the section stays, its later note goes.
        let mid = filter_markdown(text, "1.19");
        assert!(mid.contains("### Knocking") && mid.contains("Knock.") && !mid.contains("1.20"));
    }

    #[test]
    fn a_box_that_opens_with_a_later_marker_is_left_out_whole() {
        let text = "Before.\n\n{{% boxes/note %}}\n{{% added-in v=\"1.19\" %}}\nA new rule.\n\nMore of it.\n{{% /boxes/note %}}\n\n{{% boxes/warning %}}\nOld, {{% added-in v=\"1.19\" %}} in the middle.\n{{% /boxes/warning %}}\n\nAfter.\n";
        let out = filter_markdown(text, "1.18");
        assert!(
            !out.contains("A new rule") && !out.contains("More of it"),
            "{out}"
        );
        assert!(
            !out.contains("boxes/note"),
            "its closing tag goes with it: {out}"
        );
        assert!(out.contains("Before.") && out.contains("After."));
        assert!(
            out.contains("in the middle"),
            "a marker inside keeps its box: {out}"
        );
        assert!(shortcode::parse(&out).is_ok());
        assert_eq!(filter_markdown(text, "1.19"), text);
    }

    #[test]
    fn a_section_that_would_break_a_box_keeps_its_text() {
        let text = "{{% boxes/note %}}\n### New\n\n{{% added-in v=\"1.19\" %}}\n\nInside.\n{{% /boxes/note %}}\n\nAfter.\n";
        let out = filter_markdown(text, "1.18");
        assert!(shortcode::parse(&out).is_ok(), "{out}");
        assert!(out.contains("Inside.") && out.contains("After."));
        assert!(!out.contains("added-in"));
    }
}
