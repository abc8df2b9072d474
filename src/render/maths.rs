//! Maths: `\( ... \)` (inline) and `\[ ... \]` (display) in page text, rendered to MathML
//! at build time with pulldown-latex, as upstream's Goldmark passthrough and KaTeX pass
//! do, with no script and no network. Text in code spans and code blocks is left alone.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

/// At most this many bytes of LaTeX in one formula.
pub const MAX_FORMULA_BYTES: usize = 8 * 1024;
/// Groups (`{`, `\left`, `\begin`) nest at most this deep in one formula.
pub const MAX_FORMULA_DEPTH: usize = 64;

/// A piece of page text: text, or a formula.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Text, and its byte offset in the whole.
    Text(&'t str, usize),
    /// A formula's LaTeX (without delimiters), whether it is displayed, and the byte
    /// offset of its opening delimiter.
    Formula(&'t str, bool, usize),
}

/// `text` cut into text and formulas. A delimiter in a code span or block, escaped
/// (`\\(`), or never closed is text.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    if !text.contains("\\(") && !text.contains("\\[") {
        return vec![Piece::Text(text, 0)];
    }
    let code = code_ranges(text);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut pieces = Vec::new();
    let (mut start, mut at) = (0, 0);
    while let Some(i) = text[at..].find('\\').map(|i| at + i) {
        let escaped = text[..i].bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1;
        let close = match text.as_bytes().get(i + 1) {
            Some(b'(') => "\\)",
            Some(b'[') => "\\]",
            _ => {
                at = i + 1;
                continue;
            }
        };
        let end = text[i + 2..].find(close).map(|e| i + 2 + e);
        match end {
            Some(end) if !escaped && !in_code(i) => {
                if start < i {
                    pieces.push(Piece::Text(&text[start..i], start));
                }
                pieces.push(Piece::Formula(&text[i + 2..end], close == "\\]", i));
                start = end + 2;
                at = start;
            }
            _ => at = i + 2,
        }
    }
    if start < text.len() {
        pieces.push(Piece::Text(&text[start..], start));
    }
    pieces
}

/// The byte ranges of code spans and code blocks in Markdown `text`.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Tag};
    let mut ranges = Vec::new();
    for (event, range) in pulldown_cmark::Parser::new(text).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// The MathML of a formula, or why it cannot be rendered.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    if tex.len() > MAX_FORMULA_BYTES {
        return Err(format!(
            "a formula of {} bytes; at most {MAX_FORMULA_BYTES} are rendered",
            tex.len()
        ));
    }
    if depth(tex) > MAX_FORMULA_DEPTH {
        return Err(format!(
            "groups nest more than {MAX_FORMULA_DEPTH} deep in this formula"
        ));
    }
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        // The error's first line says what; the rest quotes the formula.
        let what = e.to_string();
        let what = what.lines().next().unwrap_or_default();
        return Err(format!("this formula cannot be rendered: {what}"));
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut mathml = String::new();
    push_mathml(&mut mathml, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(if display {
        format!("<div class=\"math display\">{mathml}</div>")
    } else {
        // A `<span`: it stays inside its paragraph.
        format!("<span class=\"math\">{mathml}</span>")
    })
}

/// How deep groups nest in `tex`.
fn depth(tex: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = tex;
    while let Some(c) = rest.chars().next() {
        let opens = c == '{' || rest.starts_with("\\left") || rest.starts_with("\\begin");
        let closes = c == '}' || rest.starts_with("\\right") || rest.starts_with("\\end");
        if rest.starts_with("\\{") || rest.starts_with("\\}") {
            rest = &rest[2..];
            continue;
        }
        if opens {
            depth += 1;
            deepest = deepest.max(depth);
        } else if closes {
            depth = depth.saturating_sub(1);
        }
        rest = &rest[c.len_utf8()..];
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_cut_out_but_not_from_code_or_escapes() {
        let text =
            "So \\(A\\) and `\\(B\\)` and \\\\(C\\) then\n\n\\[\nx_{i}\n\\]\n\n```\n\\(D\\)\n```\n";
        let pieces = split(text);
        let formulas: Vec<_> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Formula(tex, display, at) => Some((*tex, *display, *at)),
                Piece::Text(..) => None,
            })
            .collect();
        assert_eq!(formulas, [("A", false, 3), ("\nx_{i}\n", true, 38)]);
        // Nothing is lost: text and formulas put back together are the text.
        let mut back = String::new();
        for p in &pieces {
            match p {
                Piece::Text(t, _) => back.push_str(t),
                Piece::Formula(tex, display, _) => {
                    let (open, close) = if *display {
                        ("\\[", "\\]")
                    } else {
                        ("\\(", "\\)")
                    };
                    back.push_str(&format!("{open}{tex}{close}"));
                }
            }
        }
        assert_eq!(back, text);
        assert_eq!(
            split("an \\( unclosed"),
            [Piece::Text("an \\( unclosed", 0)]
        );
    }

    #[test]
    fn formulas_render_to_mathml() {
        let inline = to_mathml("K_B^{\\mathit{public}}", false).unwrap();
        assert!(inline.starts_with("<span class=\"math\"><math"), "{inline}");
        assert!(inline.contains("<msubsup>"), "{inline}");
        let display = to_mathml("\\begin{aligned} a &= b \\\\ \\end{aligned}", true).unwrap();
        assert!(display.contains("display=\"block\""), "{display}");
    }

    #[test]
    fn bad_or_hostile_formulas_are_errors() {
        let e = to_mathml("\\frac{a}", false).unwrap_err();
        assert!(e.starts_with("this formula cannot be rendered: "), "{e}");
        let deep = format!("{}x{}", "{".repeat(100), "}".repeat(100));
        assert_eq!(
            to_mathml(&deep, false).unwrap_err(),
            "groups nest more than 64 deep in this formula"
        );
        assert!(to_mathml(&"x".repeat(9000), false).is_err());
    }
}
