//! Python's string semantics where towncrier's output depends on them: what `str.strip`
//! removes and where `str.splitlines` breaks lines.

/// Whether Python's `str.isspace` holds for `c`: Unicode white space and the four
/// information separators (U+001C..U+001F).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `s.strip()`.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python's `s.rstrip()`.
pub fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// Python's `s.splitlines(True)`: the lines with their breaks (`\r\n` is one break).
pub fn py_splitlines_keepends(s: &str) -> Vec<&str> {
    let is_break = |c: char| {
        matches!(
            c,
            '\n' | '\r'
                | '\u{b}'
                | '\u{c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        )
    };
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_break(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n') {
            chars.next();
            end += 1;
        }
        lines.push(&s[start..end]);
        start = end;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_python() {
        assert_eq!(py_strip("\u{1f} a \u{a0}"), "a");
        assert_eq!(py_rstrip(" a \n"), " a");
        assert_eq!(
            py_splitlines_keepends("a\r\nb\rc\u{2028}d"),
            ["a\r\n", "b\r", "c\u{2028}", "d"]
        );
        assert!(py_splitlines_keepends("").is_empty());
    }
}
