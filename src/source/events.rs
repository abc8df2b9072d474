//! The fast path of reading YAML and JSON: the tree built straight from the events of
//! granit-parser, the parser serde-saphyr itself runs, without serde's layers in between
//! (three times faster on the upstream API documents).
//!
//! It covers the plain documents specs are made of: one document of mappings, sequences
//! and scalars. Anything else returns `None` and the caller reads the text through
//! serde-saphyr, which then gives the tree or the error it always gave: a syntax error, a
//! duplicate key, an anchor or alias, a tag, a merge key (`<<`), a second document, a key
//! that is not a scalar, a null-like or number-like key, a plain scalar whose type is not
//! plainly `null`, `true`, `false`, a decimal integer, a decimal fraction or text, and
//! nesting deeper than [`MAX_FAST_DEPTH`]. A unit test holds both paths to the same trees,
//! positions included, on every YAML and JSON file of the upstream snapshot.

use std::collections::HashSet;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

use super::node::{Entry, Node, Pos, Value};
use super::FileId;

/// Deeper documents take the general path (which bounds nesting itself, at 64).
pub const MAX_FAST_DEPTH: usize = 48;

/// Larger documents take the general path (which bounds node counts itself, at 250,000).
pub const MAX_FAST_NODES: usize = 200_000;

/// A mapping with more entries than this checks its keys for repeats with a set.
const LINEAR_KEY_CHECK: usize = 16;

/// An open mapping or sequence: where it starts, and where its children start in the
/// parser's shared lists (children of all open containers are kept in two lists, and each
/// closed container takes its own as an exactly sized `Vec`: no growing per container).
enum Frame {
    Seq {
        pos: Pos,
        start: usize,
    },
    Map {
        pos: Pos,
        start: usize,
        key: Option<(String, Pos)>,
        seen: Option<HashSet<String>>,
    },
}

/// The tree of `text`, when it lies in the fast path's subset (see the module's header).
pub fn parse(text: &str) -> Option<Node> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut items: Vec<Node> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    let mut nodes = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        nodes += 1;
        if nodes > MAX_FAST_NODES {
            return None;
        }
        let pos = Pos {
            file: FileId(0),
            line: u32::try_from(span.start.line()).ok()?,
            column: u32::try_from(span.start.col() + 1).ok()?,
        };
        let node = match event {
            Event::StreamStart | Event::DocumentEnd | Event::StreamEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    *key = Some((key_text(&value, style)?, pos));
                    continue;
                }
                Node::new(pos, scalar(&value, style)?)
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if anchor != 0 || tag.is_some() || stack.len() >= MAX_FAST_DEPTH {
                    return None;
                }
                // A mapping or sequence as a key.
                if let Some(Frame::Map { key: None, .. }) = stack.last() {
                    return None;
                }
                stack.push(if is_map {
                    Frame::Map {
                        pos,
                        start: entries.len(),
                        key: None,
                        seen: None,
                    }
                } else {
                    Frame::Seq {
                        pos,
                        start: items.len(),
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop()? {
                Frame::Seq { pos, start } => {
                    Node::new(pos, Value::Seq(items.drain(start..).collect()))
                }
                Frame::Map { pos, start, .. } => {
                    Node::new(pos, Value::Map(entries.drain(start..).collect()))
                }
            },
            _ => return None,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { .. }) => items.push(node),
            Some(Frame::Map {
                start, key, seen, ..
            }) => {
                let (key, key_pos) = key.take()?;
                if !first_time(&entries[*start..], seen, &key) {
                    return None;
                }
                entries.push(Entry {
                    key,
                    key_pos,
                    value: node,
                });
            }
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root
}

/// Whether `key` is new in the mapping (its keys so far: `entries`, and `seen` once the
/// mapping is large).
fn first_time(entries: &[Entry], seen: &mut Option<HashSet<String>>, key: &str) -> bool {
    if let Some(set) = seen {
        return set.insert(key.to_string());
    }
    if entries.iter().any(|e| e.key == key) {
        return false;
    }
    if entries.len() >= LINEAR_KEY_CHECK {
        let mut set: HashSet<String> = entries.iter().map(|e| e.key.clone()).collect();
        set.insert(key.to_string());
        *seen = Some(set);
    }
    true
}

/// A key's text, as written: `1.10:` is `"1.10"`. Keys the general path reads otherwise
/// (null-like, a merge key) are left to it.
fn key_text(value: &str, style: ScalarStyle) -> Option<String> {
    if style == ScalarStyle::Plain {
        let special = matches!(value, "" | "~" | "<<") || value.eq_ignore_ascii_case("null");
        // serde-saphyr compares number keys by value (`200` and `0xC8` are one key):
        // only the plain spellings, whose text is their value, stay here.
        let number_like = value.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c));
        if special || (number_like && !plain_number_key(value)) {
            return None;
        }
    }
    Some(value.to_string())
}

/// A key that is a decimal integer without sign or leading zero (`200`), or such an
/// integer, a dot and digits not ending in zero (`1.18`): two such keys with one value
/// have one text. Any other number-like key goes to the general path; text that only
/// starts like one (`3.1.0`) stays.
fn plain_number_key(value: &str) -> bool {
    let decimal = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match value.split_once('.') {
        None => decimal(value),
        Some((int, frac)) if decimal(int) && digits(frac) => !frac.ends_with('0'),
        Some(_) => !core_number(value) && !yaml11_number(value),
    }
}

/// Spellings serde-saphyr reads as numbers beyond YAML 1.2's core schema, or in other
/// cases: `0X1F`, `0O17`, `0b101`, `-.NaN`, `1_000`, `1:20`.
fn yaml11_number(value: &str) -> bool {
    let unsigned = value.trim_start_matches(['-', '+']);
    let lower = unsigned.to_ascii_lowercase();
    let prefixed = ["0x", "0o", "0b"].iter().any(|p| lower.starts_with(p));
    let special = lower.starts_with(".nan") || lower.starts_with(".inf");
    let bare: String = value.chars().filter(|c| !matches!(c, '_' | ':')).collect();
    prefixed
        || special
        || (bare.len() < value.len() && (core_number(&bare) || yaml11_number(&bare)))
}

/// A scalar's value: quoted and block scalars are text; a plain one is `null`, a boolean,
/// a decimal number or text, as YAML 1.2's core schema reads it, when that is plain.
fn scalar(value: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::String(value.to_string()));
    }
    match value {
        "" | "~" | "null" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = value.chars().next()?;
    if first.is_ascii_digit() || matches!(first, '-' | '+' | '.') {
        if let Some(n) = number(value) {
            return Some(Value::Number(n));
        }
        // Text that only starts like a number (`3.1.0`, `2024-01-01T00:00`) is text;
        // any other number spelling, and YAML 1.1's (`0b1`, `1_000`, `1:20`), is left to
        // the general path.
        if core_number(value) || yaml11_number(value) {
            return None;
        }
        return Some(Value::String(value.to_string()));
    }
    let lower = value.to_ascii_lowercase();
    if matches!(lower.as_str(), "null" | "true" | "false") {
        return None;
    }
    Some(Value::String(value.to_string()))
}

/// Whether YAML 1.2's core schema reads `text` as a number: `[-+]?[0-9]+`, `0o[0-7]+`,
/// `0x[0-9a-fA-F]+`, `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, and the
/// infinities and not-a-number.
fn core_number(text: &str) -> bool {
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(rest) = text.strip_prefix("0o") {
        return digits(rest, 8);
    }
    if let Some(rest) = text.strip_prefix("0x") {
        return digits(rest, 16);
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        None => digits(mantissa, 10),
        Some(("", frac)) => digits(frac, 10),
        Some((int, frac)) => digits(int, 10) && (frac.is_empty() || digits(frac, 10)),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
}

/// A plain decimal integer (`12`, `-3`) or fraction (`1.5`); `None` for every other
/// spelling that starts like a number (`+1`, `007`, `1e3`, `0x1F`, `.5`, `1.2.3`, `-`).
fn number(text: &str) -> Option<serde_json::Number> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || (int.len() > 1 && int.starts_with('0')) || text == "-0" {
        return None;
    }
    match frac {
        None => match text.parse::<i64>() {
            Ok(n) => Some(n.into()),
            Err(_) => text.parse::<u64>().ok().map(Into::into),
        },
        Some(f) if all_digits(f) => serde_json::Number::from_f64(text.parse::<f64>().ok()?),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_and_what_is_left_to_the_general_path() {
        let node =
            parse("a: 1\nb: [x, 'y', -2.5]\nc:\n  d: ~\n  e: true\n1.18: k\nv: 3.1.0\n").unwrap();
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": 1, "b": ["x", "y", -2.5], "c": {"d": null, "e": true}, "1.18": "k", "v": "3.1.0"})
        );
        for text in [
            "a: 1\na: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a: 1\n---\nb: 2\n",
            "? [a]\n: 1\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: 0b101\n",
            "a: 1_000\n",
            "a: +1\n",
            "a: 007\n",
            "a: .inf\n",
            "a: True\n",
            "a: [1\n",
            "~: 1\n",
            "a: 0X1F\n",
            "a: -.NaN\n",
            "200: a\n0xC8: b\n",
            "1: a\n+1: b\n",
            "1.5: a\n1.50: b\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn a_large_mapping_finds_a_repeated_key() {
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(parse(&text).is_some());
        text.push_str("k3: again\n");
        assert!(parse(&text).is_none());
    }
}
