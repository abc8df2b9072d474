//! The text of a formula's `\\text{...}` as TeX reads it: pulldown-latex copies it as
//! written (`\\_`, ``` `` ```, `\\char`), where TeX and KaTeX, which upstream uses, show
//! `_`, `“` and the character named.

/// The text of a `\text{...}` as TeX (and KaTeX) shows it: escaped specials (`\_`,
/// `\&`, `\{`, `\}`, `\$`, `\%`, `\#`, `\textbackslash`, `\ `), `\char` codes
/// (`` \char`\\ ``, `\char"41`, `\char'101`, `\char65`) and the ligatures of its
/// quotes and dashes (``` `` ```, `''`, `"`, `` ` ``, `'`, `--`, `---`), `~` a
/// non-breaking space. Anything else stays as written.
pub fn tex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (made, used): (Option<char>, usize) = if let Some(after) = rest.strip_prefix('\\') {
            match after.chars().next() {
                Some(s @ ('_' | '&' | '{' | '}' | '$' | '%' | '#' | ' ')) => (Some(s), 2),
                _ if after.starts_with("textbackslash") => (Some('\\'), 14),
                _ if after.starts_with("char") => match char_code(&after[4..]) {
                    Some((code, len)) => (Some(code), 5 + len),
                    None => (None, 1),
                },
                _ => (None, 1),
            }
        } else if rest.starts_with("---") {
            (Some('—'), 3)
        } else if rest.starts_with("--") {
            (Some('–'), 2)
        } else if rest.starts_with("``") {
            (Some('“'), 2)
        } else if rest.starts_with("''") {
            (Some('”'), 2)
        } else {
            match c {
                '"' => (Some('”'), 1),
                '`' => (Some('‘'), 1),
                '\'' => (Some('’'), 1),
                '~' => (Some('\u{a0}'), 1),
                _ => (None, c.len_utf8()),
            }
        };
        match made {
            Some(m) => out.push(m),
            None => out.push_str(&rest[..used]),
        }
        rest = &rest[used..];
    }
    out
}

/// The character a `\char` code names (what follows `\char`: `` `x ``, `` `\x ``,
/// `"hex`, `'octal` or decimal digits), and the bytes the code takes.
fn char_code(code: &str) -> Option<(char, usize)> {
    if let Some(after) = code.strip_prefix('`') {
        let escaped = after.starts_with('\\') as usize;
        let c = after[escaped..].chars().next()?;
        return Some((c, 1 + escaped + c.len_utf8()));
    }
    let (radix, prefix) = match code.chars().next()? {
        '"' => (16, 1),
        '\'' => (8, 1),
        _ => (10, 0),
    };
    let digits = code[prefix..]
        .chars()
        .take_while(|d| d.is_digit(radix))
        .take(8)
        .count();
    let value = u32::from_str_radix(&code[prefix..prefix + digits], radix).ok()?;
    Some((char::from_u32(value)?, prefix + digits))
}

#[cfg(test)]
mod tests {
    use super::tex_text;

    #[test]
    fn specials_codes_and_ligatures_become_characters() {
        assert_eq!(tex_text(r#"``OLM\_ROOT""#), "“OLM_ROOT”");
        assert_eq!(tex_text(r#"``\char`\\x02""#), "“\\x02”");
        assert_eq!(tex_text(r#"\char"41\char'101\char65\char`b"#), "AAAb");
        assert_eq!(tex_text(r"a--b---c `q' ~"), "a–b—c ‘q’ \u{a0}");
        // Unknown commands, and a `\char` with no code, stay as written.
        assert_eq!(tex_text(r"\foo \char"), r"\foo \char");
    }
}
