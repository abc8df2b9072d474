//! The text of a formula's `\text{...}` as TeX reads it: pulldown-latex copies it as
//! written (`\_`, ``` `` ```, `\char`), where TeX and KaTeX, which upstream uses, show
//! `_`, `“` and the character named.

/// The text of a `\text{...}` as TeX (and KaTeX) shows it: escaped specials (`\_`,
/// `\&`, `\{`, `\}`, `\$`, `\%`, `\#`, `\textbackslash`, `\ `), `\char` codes
/// (`` \char`\\ ``, `\char"41`, `\char'101`, `\char65`; not of a control character),
/// `~` a non-breaking space and, with `ligatures` (not in typewriter text), the ligatures
/// of its quotes and dashes (``` `` ```, `''`, `"`, `` ` ``, `'`, `--`, `---`). Accents
/// (`\'e`) and any other command stay as written.
pub fn tex_text(text: &str, ligatures: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (made, used): (Option<char>, usize) = if let Some(after) = rest.strip_prefix('\\') {
            command(after)
        } else if !ligatures {
            match c {
                '~' => (Some('\u{a0}'), 1),
                _ => (None, c.len_utf8()),
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

/// What the command after a backslash (`after`) makes, and the bytes it takes, the
/// backslash included: a character, or `None` to keep them as written.
fn command(after: &str) -> (Option<char>, usize) {
    let name_len = after.chars().take_while(char::is_ascii_alphabetic).count();
    match after.chars().next() {
        Some(s @ ('_' | '&' | '{' | '}' | '$' | '%' | '#' | ' ')) => (Some(s), 2),
        // An accent (`\'e`) and what it stands on stay as written.
        Some(a @ ('\'' | '"' | '~' | '^' | '`' | '=' | '.')) => (None, 1 + a.len_utf8()),
        _ if &after[..name_len] == "textbackslash" => (Some('\\'), 1 + name_len),
        _ if after.starts_with("char") => match char_code(&after[4..]) {
            Some((code, len)) if !code.is_control() => (Some(code), 5 + len),
            // A control character is not written into the page: the code stays as written.
            Some((_, len)) => (None, 5 + len),
            None => (None, 1 + name_len),
        },
        _ => (None, 1 + name_len),
    }
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
        assert_eq!(tex_text(r#"``OLM\_ROOT""#, true), "“OLM_ROOT”");
        assert_eq!(tex_text(r#"``\char`\\x02""#, true), "“\\x02”");
        assert_eq!(tex_text(r#"\char"41\char'101\char65\char`b"#, true), "AAAb");
        assert_eq!(tex_text(r"a--b---c `q' ~", true), "a–b—c ‘q’ \u{a0}");
        assert_eq!(
            tex_text(r"\textbackslash{}x \textbackslash", true),
            "\\{}x \\"
        );
    }

    #[test]
    fn what_it_does_not_know_stays_as_written() {
        // Unknown commands, a `\char` with no code or of a control character, accents
        // with what they stand on, a command that only starts like a known one.
        for kept in [
            r"\foo \char",
            r#"\char0 \char"1B"#,
            r#"\'e \"o \~n \^a"#,
            r"\textbackslashx",
        ] {
            assert_eq!(tex_text(kept, true), kept);
        }
        // Typewriter text has no ligatures.
        assert_eq!(tex_text("a--b 'c'", false), "a--b 'c'");
    }
}
