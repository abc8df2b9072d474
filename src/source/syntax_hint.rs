//! What a YAML syntax error means for the one who wrote the text: the parser says where
//! it stopped, which is often a line after the slip, so its message gets a hint chosen by
//! its typed cause (a tab, a quote or a bracket left open, an indentation), and a tab is
//! named on the line it indents.

use super::{ParseError, ParseErrorKind, SyntaxCause};

impl ParseError {
    /// The line, column and message to report for this error in `text` (the text that was
    /// parsed): the parser's, with a hint where one helps.
    pub fn explained(&self, text: &str) -> (u32, u32, String) {
        let e = self;
        let syntax = e.kind == ParseErrorKind::YamlSyntax;
        // Only where the parser says a tab is the fault: a tab is allowed in a flow
        // collection or a quoted string. On its line, or the next one: a plain scalar
        // ends where a tab indents the line after it.
        let tab = [e.line, e.line + 1]
            .into_iter()
            .find_map(|line| Some((line, tab_in_indent(text, line)?)))
            .filter(|_| syntax && e.cause == SyntaxCause::Tab);
        let later_line = syntax && e.line > 1;
        let hint = match (tab, e.cause) {
            // A tab shows as spaces: the error says it is there, and where.
            (Some((line, column)), _) => {
                let message = format!(
                    "{} (this line is indented with a tab; YAML indents with spaces only)",
                    e.message
                );
                return (line, column, message);
            }
            (None, SyntaxCause::OpenQuote) if later_line => {
                "a quoted string that starts above may not be closed: look for its closing quote"
            }
            (None, SyntaxCause::OpenBracket) if later_line => {
                "if this line looks right, look above it for a `[` or `{` left open"
            }
            (None, SyntaxCause::Other | SyntaxCause::Tab) if later_line => {
                "if this line looks right, look at the indentation of the lines above it"
            }
            _ => return (e.line, e.column, e.message.clone()),
        };
        (e.line, e.column, format!("{} ({hint})", e.message))
    }
}

/// The 1-based column (in characters) of the first tab in the indentation of line `line`
/// (1-based) of `text`, if it has one.
fn tab_in_indent(text: &str, line: u32) -> Option<u32> {
    let line = text.lines().nth((line as usize).checked_sub(1)?)?;
    let indent = &line[..line.len() - line.trim_start().len()];
    indent.chars().position(|c| c == '\t').map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_column_of_a_tab_in_an_indentation_counts_characters() {
        let text = "a: 1\n\u{3000}\tb: 2\n  c: 3\n";
        assert_eq!(super::tab_in_indent(text, 2), Some(2));
        assert_eq!(super::tab_in_indent(text, 3), None);
        assert_eq!(super::tab_in_indent(text, 9), None);
        assert_eq!(super::tab_in_indent(text, 0), None);
    }
}
