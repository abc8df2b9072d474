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
/// (`\\(`), or never closed is text. Linear in the text: one pass over its backslashes,
/// each closing delimiter looked for once.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    if !text.contains("\\(") && !text.contains("\\[") {
        return vec![Piece::Text(text, 0)];
    }
    // Sorted and disjoint: a position is in code when the range starting last before it
    // holds it.
    let code = code_ranges(text);
    let in_code = |at: usize| {
        let i = code.partition_point(|r| r.start <= at);
        i > 0 && code[i - 1].contains(&at)
    };
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    // Where the next `\)` and `\]` are, once looked for (`None`: there is none left).
    let mut next_close: [Option<Option<usize>>; 2] = [None, None];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        // A run of backslashes: pairs are escaped backslashes; an odd one escapes what
        // follows.
        let run = bytes[i..].iter().take_while(|b| **b == b'\\').count();
        let at = i + run - 1;
        i += run;
        if run % 2 == 0 {
            continue;
        }
        let (kind, close) = match bytes.get(at + 1) {
            Some(b'(') => (0, "\\)"),
            Some(b'[') => (1, "\\]"),
            _ => continue,
        };
        let found = match next_close[kind] {
            Some(Some(end)) if end >= at + 2 => Some(end),
            Some(None) => None,
            _ => {
                let end = text[at + 2..].find(close).map(|e| at + 2 + e);
                next_close[kind] = Some(end);
                end
            }
        };
        let Some(end) = found else { continue };
        if in_code(at) {
            continue;
        }
        if start < at {
            pieces.push(Piece::Text(&text[start..at], start));
        }
        pieces.push(Piece::Formula(&text[at + 2..end], kind == 1, at));
        start = end + 2;
        i = start;
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
    let mathml = sanitized(&mathml);
    Ok(if display {
        format!("<div class=\"math display\">{mathml}</div>")
    } else {
        // A `<span`: it stays inside its paragraph.
        format!("<span class=\"math\">{mathml}</span>")
    })
}

/// The elements of MathML Core (and `semantics`, `annotation`), the only ones a formula
/// may make.
const MATHML_ELEMENTS: &[&str] = &[
    "math",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "mrow",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "merror",
    "mpadded",
    "mphantom",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mtable",
    "mtr",
    "mtd",
    "mlabeledtr",
    "semantics",
    "annotation",
    "menclose",
    "maction",
];

/// pulldown-latex's MathML as a page may hold it: text the renderer copies as it is
/// (`\operatorname{<img ...>}`, `a < b`) escaped, any element that is not MathML dropped
/// (its text kept), and no event handler or link attribute. The text of `\text{...}`
/// (`<mtext>`), which pulldown-latex copies as written, is read as TeX reads text.
fn sanitized(mathml: &str) -> String {
    use lol_html::html_content::ContentType;
    use lol_html::{element, text, RewriteStrSettings};
    use std::cell::Cell;
    use std::rc::Rc;
    let in_text = Rc::new(Cell::new(false));
    let (opened, read) = (in_text.clone(), in_text);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("mtext", move |el| {
            opened.set(true);
            let closed = opened.clone();
            super::html_scan::on_end(el, move || closed.set(false))
        }))
        .append_element_content_handler(element!("*", |el| {
            let name = el.tag_name();
            if !MATHML_ELEMENTS.contains(&name.as_str()) {
                el.remove_and_keep_content();
                return Ok(());
            }
            let unsafe_attributes: Vec<String> = el
                .attributes()
                .iter()
                .map(|a| a.name())
                .filter(|n| n.starts_with("on") || n.contains("href") || n == "src")
                .collect();
            for name in unsafe_attributes {
                el.remove_attribute(&name);
            }
            Ok(())
        }))
        .append_element_content_handler(text!("*", |t| {
            let raw = t.as_str().to_string();
            let decoded = html_escape::decode_html_entities(&raw).into_owned();
            let decoded = if read.get() {
                // pulldown-latex writes `\texttt` in monospace letters: typewriter text,
                // which has no ligatures.
                let typewriter = decoded.chars().any(|c| {
                    ('\u{1D670}'..='\u{1D6A3}').contains(&c)
                        || ('\u{1D7F6}'..='\u{1D7FF}').contains(&c)
                });
                super::tex_text::tex_text(&decoded, !typewriter)
            } else {
                decoded
            };
            t.replace(&decoded, ContentType::Text);
            Ok(())
        }));
    lol_html::rewrite_str(mathml, settings).unwrap_or_default()
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
    fn long_runs_of_delimiters_take_linear_time() {
        // Quadratic work on these would take seconds (400 KB: 13 s and 37 s before).
        let started = std::time::Instant::now();
        for text in [
            "\\".repeat(400_000),
            "\\(".repeat(200_000),
            "\\(x\\) `c` ".repeat(40_000),
        ] {
            let pieces = split(&text);
            assert!(!pieces.is_empty());
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn text_of_formulas_is_escaped_and_only_mathml_is_made() {
        let html = to_mathml("\\operatorname{<img src=x onerror=alert(1)>}", false).unwrap();
        assert!(!html.contains("<img"), "{html}");
        let html = to_mathml("a < b \\& c", false).unwrap();
        assert!(html.contains("&lt;") && html.contains("&amp;"), "{html}");
        assert!(!html.contains("< ") && !html.contains("& "), "{html}");
    }

    #[test]
    fn text_in_formulas_reads_as_tex_reads_it() {
        // As upstream's Olm and Megolm pages write them, and as KaTeX shows them.
        let root = to_mathml(r#"\text{``OLM\_ROOT"}"#, true).unwrap();
        assert!(root.contains("<mtext>“OLM_ROOT”</mtext>"), "{root}");
        let byte = to_mathml(r#"\text{``\char`\\x02"}"#, false).unwrap();
        assert!(byte.contains("<mtext>“\\x02”</mtext>"), "{byte}");
        let specials = to_mathml(
            r"\text{a\&b \{c\} \$1 5\% \#2 x--y---z it's~A \char65}",
            false,
        );
        assert!(
            specials
                .as_ref()
                .unwrap()
                .contains("<mtext>a&amp;b {c} $1 5% #2 x–y—z it’s\u{a0}A A</mtext>"),
            "{specials:?}"
        );
        // Outside `\text`, nothing changes; an unknown command stays as written.
        let plain = to_mathml(r"a' + \text{\foo}", false).unwrap();
        assert!(plain.contains("<mtext>\\foo</mtext>"), "{plain}");
        assert!(!plain.contains('’'), "{plain}");
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
