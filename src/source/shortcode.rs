//! Hugo shortcodes in Markdown: `{{% name key="value" %}}`, `{{< name >}}`, and paired
//! `{{% name %}}...{{% /name %}}`.
//!
//! Text is split into a tree of [`Segment`]s. A shortcode is paired when a closing tag of
//! the same name follows it at the same depth; otherwise it stands alone. Hugo's escaped
//! form `{{%/* name */%}}` is kept as literal text without the comment markers.
//!
//! This is the one shortcode parser: the renderer and the version scanners use it.

use std::collections::BTreeMap;

/// A piece of Markdown text: plain text or a shortcode call.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// Markdown text and its byte offset in the parsed text.
    Text(String, usize),
    /// A shortcode call.
    Call(Call),
}

/// One shortcode call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// Its name, such as `event` or `boxes/note`.
    pub name: String,
    /// Named parameters (`key="value"`); positional ones are keyed `0`, `1`, ...
    pub params: BTreeMap<String, String>,
    /// The body of a paired call.
    pub body: Option<Vec<Segment>>,
    /// Byte offset of `{{` in the parsed text.
    pub offset: usize,
    /// Byte offset just after the call in the parsed text: after its closing tag when it
    /// is paired, else after its tag.
    pub end: usize,
    /// The bytes of its body in the parsed text, between its two tags, when it is paired.
    pub body_span: Option<std::ops::Range<usize>>,
    /// `%` (body is Markdown) or `<` (output is not processed).
    pub markdown: bool,
}

/// A malformed shortcode.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ShortcodeError {
    /// Byte offset in the parsed text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

enum Token {
    Text(String, usize),
    Open(Call),
    Close {
        name: String,
        offset: usize,
        end: usize,
    },
}

/// Paired shortcodes may nest this deep: rendering them recurses, and no spec needs more.
pub const MAX_DEPTH: usize = 32;

/// Splits `text` into segments.
pub fn parse(text: &str) -> Result<Vec<Segment>, ShortcodeError> {
    let tokens = tokenize(text)?;
    // Build the tree: a closing tag takes every segment since the nearest open call of the
    // same name as that call's body. `depths` holds how deep each segment's calls nest.
    let mut stack: Vec<Segment> = Vec::new();
    let mut depths: Vec<usize> = Vec::new();
    for token in tokens {
        match token {
            Token::Text(t, at) => {
                stack.push(Segment::Text(t, at));
                depths.push(0);
            }
            Token::Open(call) => {
                // A call counts as a level only once it has a body (is paired).
                stack.push(Segment::Call(call));
                depths.push(0);
            }
            Token::Close { name, offset, end } => {
                let open_at = stack.iter().rposition(
                    |s| matches!(s, Segment::Call(c) if c.name == name && c.body.is_none()),
                );
                let Some(open_at) = open_at else {
                    return Err(ShortcodeError {
                        offset,
                        message: format!("closing shortcode `{{{{% /{name} %}}}}` has no opening `{{{{% {name} %}}}}`"),
                    });
                };
                let body: Vec<Segment> = stack.drain(open_at + 1..).collect();
                let depth = 1 + depths.drain(open_at + 1..).max().unwrap_or(0);
                if let Some(Segment::Call(call)) = stack.last_mut() {
                    if depth > MAX_DEPTH {
                        return Err(ShortcodeError {
                            offset: call.offset,
                            message: format!(
                                "shortcodes nest more than {MAX_DEPTH} deep here; mxspec renders at most {MAX_DEPTH} levels"
                            ),
                        });
                    }
                    call.body = Some(body);
                    call.body_span = Some(call.end..offset);
                    call.end = end;
                }
                depths[open_at] = depth;
            }
        }
    }
    Ok(stack)
}

/// Whether a shortcode holds a body and means nothing without one (the boxes).
pub fn needs_closing(name: &str) -> bool {
    name.starts_with("boxes/")
}

/// What is wrong with a call of such a shortcode that has no closing tag.
pub fn never_closed(name: &str) -> String {
    format!("`{name}` opens a box that is never closed: end it with {{{{% /{name} %}}}}")
}

/// The most errors [`errors`] reports for one text.
pub const MAX_ERRORS: usize = 20;

/// Every malformed tag of `text` (at most [`MAX_ERRORS`]), in the order they are written:
/// after each one found, the text is read again with that tag left out, so one tag left
/// open does not hide the others. Empty when `text` parses.
pub fn errors(text: &str) -> Vec<ShortcodeError> {
    let mut found = Vec::new();
    let mut text = std::borrow::Cow::Borrowed(text);
    while found.len() < MAX_ERRORS {
        let Err(e) = parse(&text) else { break };
        let rest = &text[e.offset..];
        if !rest.starts_with("{{") {
            found.push(e);
            break;
        }
        // Left out: the whole tag when it ends, else its `{{`.
        let len = match (rest.find("}}"), rest[2..].find("{{")) {
            (Some(end), next) if next.is_none_or(|n| end < n + 2) => end + 2,
            _ => 2,
        };
        let blank = " ".repeat(len);
        text.to_mut()
            .replace_range(e.offset..e.offset + len, &blank);
        found.push(e);
    }
    found.sort_by_key(|e| e.offset);
    found
}

/// Every call of `segments`, the bodies' calls included, in the order they are written (a
/// call before the calls of its body).
pub fn calls(segments: &[Segment]) -> impl Iterator<Item = &Call> {
    let mut open = vec![segments.iter()];
    std::iter::from_fn(move || loop {
        let Some(segment) = open.last_mut()?.next() else {
            open.pop();
            continue;
        };
        if let Segment::Call(call) = segment {
            if let Some(body) = &call.body {
                open.push(body.iter());
            }
            return Some(call);
        }
    })
}

/// The call `text` opens with, when it opens with a shortcode tag; only that tag is read,
/// so what follows it need not parse.
pub fn leading_call(text: &str) -> Option<Call> {
    if !text.starts_with("{{") {
        return None;
    }
    let end = text.find("}}")? + 2;
    match tokenize(&text[..end]).ok()?.into_iter().next()? {
        Token::Open(call) => Some(call),
        _ => None,
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, ShortcodeError> {
    let mut tokens = Vec::new();
    let mut rest_start = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find("{{") {
        let start = search + found;
        let after = &text[start + 2..];
        let Some(delim) = tag_delimiter(after) else {
            search = start + 2;
            continue;
        };
        let inner_start = start + 2 + (after.len() - after.trim_start().len()) + 1;
        let close = if delim == '%' { "%}}" } else { ">}}" };
        let Some(end_rel) = tag_end(&text[inner_start..], close) else {
            return Err(ShortcodeError {
                offset: start,
                message: format!("shortcode is not closed with `{close}`"),
            });
        };
        let inner = text[inner_start..inner_start + end_rel].trim();
        let end = inner_start + end_rel + close.len();
        if start > rest_start {
            tokens.push(Token::Text(text[rest_start..start].to_string(), rest_start));
        }
        rest_start = end;
        search = end;
        if let Some(comment) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            // Escaped shortcode: show it literally.
            let literal = format!(
                "{{{{{delim} {} {}}}}}",
                comment.trim(),
                if delim == '%' { '%' } else { '>' }
            );
            tokens.push(Token::Text(literal, start));
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            tokens.push(Token::Close {
                name: name.trim().to_string(),
                offset: start,
                end,
            });
            continue;
        }
        let (name, params) = parse_call(inner).map_err(|message| ShortcodeError {
            offset: start,
            message,
        })?;
        tokens.push(Token::Open(Call {
            name,
            params,
            body: None,
            offset: start,
            end,
            body_span: None,
            markdown: delim == '%',
        }));
    }
    if rest_start < text.len() {
        tokens.push(Token::Text(text[rest_start..].to_string(), rest_start));
    }
    Ok(tokens)
}

/// The delimiter of the shortcode tag whose `{{` comes just before `after` (`%` or `<`,
/// after optional white space), if it is one.
fn tag_delimiter(after: &str) -> Option<char> {
    after
        .trim_start()
        .chars()
        .next()
        .filter(|c| matches!(c, '%' | '<'))
}

/// Where a tag whose inside starts `inside` ends (the byte offset of its `close`), read as
/// Hugo reads a tag: a quoted value (`"..."` with `\` escapes, or `` `...` ``) may hold
/// anything. `None` when it never ends, or when another tag starts first outside quotes:
/// then this one was left open (the next tag is not a parameter of it).
fn tag_end(inside: &str, close: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut chars = inside.char_indices();
    while let Some((at, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if inside[at..].starts_with(close) => return Some(at),
            None if c == '"' || c == '`' => quote = Some(c),
            None if inside[at..].starts_with("{{")
                && tag_delimiter(&inside[at + 2..]).is_some() =>
            {
                return None
            }
            None => {}
        }
    }
    None
}

/// `name key="value" key2=value2 "positional"` into a name and parameters.
fn parse_call(inner: &str) -> Result<(String, BTreeMap<String, String>), String> {
    let mut chars = inner.char_indices().peekable();
    let mut words: Vec<(Option<String>, String)> = Vec::new();
    loop {
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        // A key (up to `=`) or a bare or quoted value.
        let mut key = None;
        let mut word_start = start;
        let mut i = start;
        while let Some(&(j, c)) = chars.peek() {
            if c == '=' {
                key = Some(inner[word_start..j].to_string());
                chars.next();
                word_start = j + 1;
                i = j + 1;
                break;
            }
            if c.is_whitespace() || c == '"' || c == '`' {
                break;
            }
            chars.next();
            i = j + c.len_utf8();
        }
        let value = match chars.peek() {
            Some(&(_, q @ ('"' | '`'))) => {
                chars.next();
                let mut value = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    if c == '\\' && q == '"' {
                        if let Some((_, n)) = chars.next() {
                            value.push(n);
                        }
                    } else if c == q {
                        closed = true;
                        break;
                    } else {
                        value.push(c);
                    }
                }
                if !closed {
                    return Err(format!("unterminated {q} in shortcode parameters"));
                }
                value
            }
            _ if key.is_some() => {
                let mut end = word_start;
                while let Some(&(j, c)) = chars.peek() {
                    if c.is_whitespace() {
                        break;
                    }
                    chars.next();
                    end = j + c.len_utf8();
                }
                inner[word_start..end.max(word_start)].to_string()
            }
            _ => inner[word_start..i].to_string(),
        };
        words.push((key, value));
    }
    let mut words = words.into_iter();
    let name = match words.next() {
        Some((None, name)) if !name.is_empty() => name,
        _ => return Err("a shortcode needs a name".to_string()),
    };
    let mut params = BTreeMap::new();
    for (n, (key, value)) in words.enumerate() {
        params.insert(key.unwrap_or_else(|| n.to_string()), value);
    }
    Ok((name, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(seg: &Segment) -> &Call {
        match seg {
            Segment::Call(c) => c,
            other => panic!("expected a call, got {other:?}"),
        }
    }

    #[test]
    fn named_params_and_text() {
        let segs = parse("a {{% event event=\"m.room_key.withheld\" title=\"T x\" %}} b").unwrap();
        assert_eq!(segs.len(), 3);
        let c = call(&segs[1]);
        assert_eq!(c.name, "event");
        assert_eq!(c.params["event"], "m.room_key.withheld");
        assert_eq!(c.params["title"], "T x");
        assert_eq!(c.offset, 2);
        assert!(c.body.is_none());
    }

    #[test]
    fn every_call_is_met_before_the_calls_of_its_body() {
        let text = "{{% a %}}{{% b %}}{{< c >}}{{% /b %}}{{< d >}}{{% /a %}}x{{< e >}}";
        let segments = parse(text).unwrap();
        let names: Vec<&str> = calls(&segments).map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn every_malformed_tag_is_found_not_only_the_first() {
        let text = "a {{% event event=\"x\" \nb {{% /boxes/note %}} c {{% boxes/warning %}}ok{{% /boxes/warning %}} {{< d";
        let found: Vec<(usize, bool)> = errors(text)
            .iter()
            .map(|e| (e.offset, e.message.contains("has no opening")))
            .collect();
        let at = |tag: &str| text.find(tag).unwrap();
        assert_eq!(
            found,
            [
                (2, false),
                (at("{{% /boxes/note"), true),
                (at("{{< d"), false)
            ],
            "{:?}",
            errors(text)
        );
        assert!(errors("{{% ok %}} fine").is_empty());
        let many = "{{% /x %}}".repeat(100);
        assert_eq!(errors(&many).len(), MAX_ERRORS);
    }

    #[test]
    fn paired_and_nested() {
        let segs =
            parse("{{% boxes/note %}}x {{% added-in v=\"1.2\" %}} y{{% /boxes/note %}}z").unwrap();
        assert_eq!(segs.len(), 2);
        let note = call(&segs[0]);
        let body = note.body.as_ref().unwrap();
        assert_eq!(body.len(), 3);
        assert_eq!(call(&body[1]).params["v"], "1.2");
        assert_eq!(segs[1], Segment::Text("z".into(), 65));
        // Where the call and its body lie, a `}}` in a parameter not taken for the end.
        let text = "a {{% boxes/note title=\"x }} y\" %}}body{{% /boxes/note %}} b";
        let note = call(&parse(text).unwrap()[1]).clone();
        assert_eq!(&text[note.body_span.clone().unwrap()], "body");
        assert_eq!(&text[note.offset..note.end], &text[2..text.len() - 2]);
        assert_eq!(call(&body[1]).body_span, None);
    }

    #[test]
    fn angle_form_positional_and_bare() {
        let segs = parse("{{< diagram \"a b\" x=1 >}}").unwrap();
        let c = call(&segs[0]);
        assert!(!c.markdown);
        assert_eq!(c.params["0"], "a b");
        assert_eq!(c.params["x"], "1");
    }

    #[test]
    fn errors_name_the_offset() {
        assert_eq!(parse("ab {{% event ").unwrap_err().offset, 3);
        assert_eq!(parse("x {{% /boxes/note %}}").unwrap_err().offset, 2);
        assert!(parse("{{% e a=\"x %}}").is_err());
    }

    #[test]
    fn a_tag_left_open_is_named_not_the_tags_after_it() {
        // The `%}}` of the box's tag does not close the event's: the event's tag is open.
        let text = "a\n{{% event event=\"m.x\"\nb\n{{% boxes/note %}}\nc\n{{% /boxes/note %}}\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.offset, 2, "{err:?}");
        assert!(err.message.contains("not closed with `%}}`"), "{err:?}");
        let angle = parse("{{< diagram x=1 {{< y >}}").unwrap_err();
        assert_eq!(angle.offset, 0, "{angle:?}");
        // A tag may still run over lines, and a quoted value may hold a tag's marks.
        let call = &parse("{{% event\n  event=\"m.x\" %}}").unwrap()[0];
        assert!(matches!(call, Segment::Call(c) if c.params["event"] == "m.x"));
        let quoted = &parse("{{< x a=\"{{< y >}} %}}\" b=`{{%` >}}z").unwrap()[0];
        assert!(
            matches!(quoted, Segment::Call(c) if c.params["a"] == "{{< y >}} %}}" && c.params["b"] == "{{%"),
            "{quoted:?}"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let nested =
            |n: usize| "{{% boxes/note %}}".repeat(n) + "x" + &"{{% /boxes/note %}}".repeat(n);
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let err = parse(&nested(10_000)).unwrap_err();
        assert!(err.message.contains("nest more than"), "{err:?}");
    }

    #[test]
    fn plain_braces_are_text() {
        let segs = parse("{{ not a shortcode }} {x}").unwrap();
        assert_eq!(
            segs,
            vec![Segment::Text("{{ not a shortcode }} {x}".into(), 0)]
        );
    }
}
