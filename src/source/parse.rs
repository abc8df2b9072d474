//! YAML and JSON text into [`Node`] trees, with positions, duplicate-key errors and budgets.
//!
//! YAML goes through serde-saphyr (YAML 1.2 scalars: `no`/`on` stay strings), which gives
//! each node its line and column, rejects duplicate keys and bounds aliases, nesting and
//! node counts. JSON is first read by serde_json so that syntax errors are JSON's, then by
//! serde-saphyr (JSON is YAML 1.2) for positions and duplicate keys.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::{AliasLimits, DuplicateKeyPolicy};
use serde_saphyr::Spanned;

use super::node::{Entry, Node, Pos, Value};
use super::{FileId, LineIndex};

/// The largest file mxspec reads, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// At most this many events may be replayed through YAML aliases in one file.
pub const MAX_ALIAS_REPLAY: usize = 100_000;

/// What kind of problem a text has, as the parsers report it (never guessed from their
/// message text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Not YAML.
    YamlSyntax,
    /// Not JSON.
    JsonSyntax,
    /// A mapping names a key twice.
    DuplicateKey,
    /// Aliases, nesting or node counts over their bounds.
    Budget,
}

/// What went wrong reading one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What kind of problem.
    pub kind: ParseErrorKind,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// What the parser said.
    pub message: String,
    /// What the parser blames, when it says (from its typed error, not its words).
    pub cause: SyntaxCause,
}

/// What a syntax error is about, as the YAML parser's typed error says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SyntaxCause {
    /// A tab where YAML allows only spaces.
    Tab,
    /// Nesting past the parser's recursion limit.
    TooDeep,
    /// A quoted string that runs on past where it should have ended.
    OpenQuote,
    /// A `[` or `{` not closed where the parser expected it.
    OpenBracket,
    /// Anything else.
    #[default]
    Other,
}

/// Which syntax a text is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// YAML 1.2.
    Yaml,
    /// JSON (RFC 8259).
    Json,
}

impl Syntax {
    /// The syntax of a file name by its extension, if mxspec reads such files.
    pub fn of_path(path: &std::path::Path) -> Option<Syntax> {
        match path.extension()?.to_str()? {
            "yaml" | "yml" => Some(Syntax::Yaml),
            "json" => Some(Syntax::Json),
            _ => None,
        }
    }
}

/// Parses `text` into a tree whose positions name `file`.
pub fn parse(text: &str, syntax: Syntax, file: FileId) -> Result<Node, ParseError> {
    let mut node = match syntax {
        Syntax::Yaml => parse_yaml(text)?,
        Syntax::Json => parse_json(text, file)?,
    };
    node.set_file(file);
    Ok(node)
}

fn saphyr_options() -> serde_saphyr::Options {
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = MAX_ALIAS_REPLAY;
    serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::Error,
        alias_limits: alias_limits,
        strict_booleans: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
    }
}

fn parse_yaml(text: &str) -> Result<Node, ParseError> {
    if text.trim().is_empty() {
        return Ok(Node::new(pos(1, 1), Value::Null));
    }
    if let Some(node) = super::events::parse(text) {
        return Ok(node);
    }
    parse_yaml_general(text)
}

/// The general path: serde-saphyr, for every text the fast path leaves to it.
fn parse_yaml_general(text: &str) -> Result<Node, ParseError> {
    let mut node =
        serde_saphyr::from_str_with_options::<Node>(text, saphyr_options()).map_err(yaml_error)?;
    binary_numbers_as_strings(&mut node, text, &LineIndex::new(text));
    Ok(node)
}

/// YAML 1.2's core schema has no binary integers: a plain `0b101` is the string "0b101"
/// (serde-saphyr reads it as YAML 1.1 did). Numbers are rare, so each is checked against
/// the text it was read from.
fn binary_numbers_as_strings(node: &mut Node, text: &str, lines: &LineIndex) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        let pos = node.pos;
        match &mut node.value {
            value @ Value::Number(_) => {
                let Some(at) = lines.offset(text, pos.line, pos.column) else {
                    continue;
                };
                let token: &str = text[at..]
                    .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
                    .next()
                    .unwrap_or("");
                let digits = token.trim_start_matches(['+', '-']);
                if digits.starts_with("0b") || digits.starts_with("0B") {
                    *value = Value::String(token.to_string());
                }
            }
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => stack.extend(entries.iter_mut().map(|e| &mut e.value)),
            _ => {}
        }
    }
}

fn parse_json(text: &str, file: FileId) -> Result<Node, ParseError> {
    let syntax_error = |e: serde_json::Error| ParseError {
        kind: ParseErrorKind::JsonSyntax,
        line: e.line() as u32,
        column: LineIndex::new(text).char_column(text, e.line() as u32, e.column()),
        message: strip_location(&e.to_string()),
        cause: SyntaxCause::Other,
    };
    // JSON's own syntax first (the readers below take YAML, a superset), without
    // building a tree.
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(syntax_error)?;
    if let Some(node) = super::events::parse(text) {
        return Ok(node);
    }
    match serde_saphyr::from_str_with_options::<Node>(text, saphyr_options()) {
        Ok(node) => Ok(node),
        Err(e) => {
            let err = yaml_error(e);
            if err.kind == ParseErrorKind::DuplicateKey {
                return Err(err);
            }
            // Valid JSON that the YAML reader does not take (a tab-indented line, a
            // surrogate-pair escape): keep the value, with the file start as position.
            let value: serde_json::Value = serde_json::from_str(text).map_err(syntax_error)?;
            Ok(from_json(&value, pos_in(file, 1, 1)))
        }
    }
}

fn from_json(value: &serde_json::Value, at: Pos) -> Node {
    let v = match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.clone()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::Seq(items.iter().map(|i| from_json(i, at)).collect())
        }
        serde_json::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_pos: at,
                    value: from_json(v, at),
                })
                .collect(),
        ),
    };
    Node::new(at, v)
}

fn yaml_error(e: serde_saphyr::Error) -> ParseError {
    use serde_saphyr::granit_parser::ErrorKind as ScanKind;
    use serde_saphyr::{Error as E, ExternalMessageSource};
    let (line, column) = e
        .location()
        .map(|l| (l.line() as u32, l.column() as u32))
        .unwrap_or((0, 0));
    let mut message = first_line(&e.to_string());
    let mut inner = &e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    if let E::Budget { breach, .. } = inner {
        message = budget_message(breach);
    }
    let cause = match inner {
        E::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => match scan.kind() {
                ScanKind::TabNotAllowed
                | ScanKind::TabInBlockIndentation
                | ScanKind::TabInIndentation
                | ScanKind::TabInPlainScalar => SyntaxCause::Tab,
                ScanKind::RecursionLimitExceeded => SyntaxCause::TooDeep,
                ScanKind::UnclosedQuotedScalar | ScanKind::InvalidQuotedScalarIndent => {
                    SyntaxCause::OpenQuote
                }
                ScanKind::UnclosedFlowCollection { .. }
                | ScanKind::UnexpectedEofFlowSequence
                | ScanKind::UnexpectedEofFlowMapping
                | ScanKind::MismatchedFlowCollectionEnd { .. }
                | ScanKind::ExpectedFlowMappingSeparator
                | ScanKind::ExpectedFlowSequenceSeparator
                | ScanKind::InvalidColonPlacement => SyntaxCause::OpenBracket,
                _ => SyntaxCause::Other,
            },
            _ => SyntaxCause::Other,
        },
        _ => SyntaxCause::Other,
    };
    let kind = match inner {
        E::DuplicateMappingKey { .. } => ParseErrorKind::DuplicateKey,
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => ParseErrorKind::Budget,
        _ => ParseErrorKind::YamlSyntax,
    };
    ParseError {
        kind,
        line,
        column,
        message,
        cause,
    }
}

/// A bound of the YAML reader, as an editor reads it (the reader says `Nodes { nodes:
/// 250001 }`).
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let over =
        |what: String| format!("this file is over mxspec's bound of {what}; it was not read");
    match breach {
        B::Depth { depth } => over(format!("{} levels of nesting", depth.saturating_sub(1))),
        B::Nodes { nodes } => over(format!("{} values in one file", nodes.saturating_sub(1))),
        B::Events { events } => over(format!("{} parser events", events.saturating_sub(1))),
        B::Aliases { aliases } => over(format!("{} aliases", aliases.saturating_sub(1))),
        B::Anchors { anchors } => over(format!("{} anchors", anchors.saturating_sub(1))),
        other => format!(
            "this file is over a bound of mxspec's YAML reader ({other:?}); it was not read"
        ),
    }
}

/// The first line of a parser message, without a trailing location.
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s).trim();
    // serde-saphyr suggests its own option; that is not the editor's to set.
    let line = line
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(line);
    strip_location(line)
}

/// Drops a trailing ` at line N column M` (or `, column M`): the diagnostic has its own.
fn strip_location(s: &str) -> String {
    if let Some(i) = s.rfind(" at line ") {
        let tail = &s[i + " at line ".len()..];
        let only_position = tail
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == ',' || c.is_ascii_alphabetic())
            && tail.contains("column")
            && !tail.contains('(');
        if only_position {
            return s[..i].trim_end_matches(',').to_string();
        }
    }
    s.to_string()
}

fn pos(line: u32, column: u32) -> Pos {
    pos_in(FileId(0), line, column)
}

fn pos_in(file: FileId, line: u32, column: u32) -> Pos {
    Pos { file, line, column }
}

fn spanned_pos<T>(s: &Spanned<T>) -> Pos {
    pos(s.referenced.line() as u32, s.referenced.column() as u32)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(d)?;
        Ok(Node::new(spanned_pos(&spanned), spanned.value))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        i64::try_from(v)
            .map(|v| Value::Number(v.into()))
            .or_else(|_| u64::try_from(v).map(|v| Value::Number(v.into())))
            .map_err(|_| E::custom("integer out of range"))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        u64::try_from(v)
            .map(|v| Value::Number(v.into()))
            .map_err(|_| E::custom("integer out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite numbers are not JSON"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Node>()?;
            entries.push(Entry {
                key_pos: spanned_pos(&key),
                key: key.value.0,
                value,
            });
        }
        Ok(Value::Map(entries))
    }
}

/// A mapping key as text, as written: `1.10:` is the key `"1.10"`, never the number 1.1
/// (JSON keys are strings).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyText, E> {
                Ok(KeyText(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText("null".to_string()))
            }
        }
        d.deserialize_string(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<Node, ParseError> {
        parse(text, Syntax::Yaml, FileId(0))
    }

    #[test]
    fn yaml_positions_point_at_keys_and_values() {
        let node = yaml("a:\n  b: 1\n  c: [x, y]\n").unwrap();
        let b = node.get("a").unwrap().entry("b").unwrap();
        assert_eq!((b.key_pos.line, b.key_pos.column), (2, 3));
        assert_eq!((b.value.pos.line, b.value.pos.column), (2, 6));
        let y = &node.get("a").unwrap().get("c").unwrap().as_seq().unwrap()[1];
        assert_eq!((y.pos.line, y.pos.column), (3, 10));
    }

    #[test]
    fn yaml_1_2_booleans_keep_words_as_strings() {
        let node = yaml("a: no\nb: on\nc: true\nd: yes\n1.10: x\n").unwrap();
        assert!(node.get("1.10").is_some(), "keys keep their text");
        assert_eq!(node.get("a").unwrap().as_str(), Some("no"));
        assert_eq!(node.get("b").unwrap().as_str(), Some("on"));
        assert_eq!(node.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(node.get("d").unwrap().as_str(), Some("yes"));
    }

    #[test]
    fn yaml_1_2_integers_keep_1_1_spellings_as_strings() {
        let node = yaml("a: 1_000\nb: 0b101\nc: -0b1\nd: 0x1F\ne: 0o17\nf: [0b1, 12]\n").unwrap();
        assert_eq!(node.get("a").unwrap().as_str(), Some("1_000"));
        assert_eq!(node.get("b").unwrap().as_str(), Some("0b101"));
        assert_eq!(node.get("c").unwrap().as_str(), Some("-0b1"));
        assert_eq!(node.get("d").unwrap().to_json(), serde_json::json!(31));
        assert_eq!(node.get("e").unwrap().to_json(), serde_json::json!(15));
        assert_eq!(
            node.get("f").unwrap().to_json(),
            serde_json::json!(["0b1", 12])
        );
    }

    #[test]
    fn yaml_duplicate_key_is_an_error_at_the_second_key() {
        let err = yaml("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::DuplicateKey);
        assert_eq!(err.line, 3);
    }

    #[test]
    fn json_duplicate_key_is_an_error() {
        let err = parse("{\n  \"a\": 1,\n  \"a\": 2\n}\n", Syntax::Json, FileId(0)).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::DuplicateKey);
        assert_eq!(err.line, 3);
    }

    #[test]
    fn json_syntax_error_has_position() {
        let err = parse("{\n  \"a\": 1,\n}\n", Syntax::Json, FileId(0)).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::JsonSyntax);
        assert_eq!(err.line, 3);
    }

    #[test]
    fn json_positions() {
        let node = parse(
            "{\n  \"a\": {\n    \"b\": \"x\"\n  }\n}",
            Syntax::Json,
            FileId(0),
        )
        .unwrap();
        let b = node.get("a").unwrap().get("b").unwrap();
        assert_eq!((b.pos.line, b.pos.column), (3, 10));
    }

    #[test]
    fn bounds_are_said_in_words() {
        let mut deep = String::new();
        for level in 0..70 {
            deep.push_str(&format!("{}a:\n", "  ".repeat(level)));
        }
        // (On a large stack: a debug build's frames are several times a release build's.)
        let err = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || yaml(&deep).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(err.kind, ParseErrorKind::Budget, "{err:?}");
        assert!(err.message.contains("levels of nesting"), "{err:?}");
        assert!(!err.message.contains('{'), "{err:?}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = yaml(&text).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Budget, "{err:?}");
    }

    #[test]
    fn anchors_and_aliases_resolve() {
        let node = yaml("base: &b {t: 1}\nuse: *b\n").unwrap();
        assert_eq!(
            node.get("use").unwrap().to_json(),
            serde_json::json!({"t": 1})
        );
    }

    /// Every YAML and JSON file of the upstream snapshot and of the fixtures that the fast
    /// path reads gives the tree, positions included, that the general path gives.
    #[test]
    fn the_fast_path_reads_as_the_general_path() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut roots = vec![manifest.join("tests/fixtures"), manifest.join("data")];
        let upstream = manifest.join("../shared/upstream/matrix-spec");
        if upstream.is_dir() {
            roots.push(upstream);
        } else {
            eprintln!("skipping the upstream snapshot: ../shared/upstream/matrix-spec is absent");
        }
        let (mut fast, mut general) = (0, 0);
        for root in roots {
            for entry in walkdir::WalkDir::new(root)
                .into_iter()
                .filter_map(Result::ok)
            {
                let path = entry.path();
                let Some(syntax) = Syntax::of_path(path) else {
                    continue;
                };
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                if text.trim().is_empty() {
                    continue;
                }
                match super::super::events::parse(&text) {
                    Some(node) => {
                        fast += 1;
                        let want = match syntax {
                            Syntax::Yaml => parse_yaml_general(&text),
                            Syntax::Json => {
                                serde_saphyr::from_str_with_options::<Node>(&text, saphyr_options())
                                    .map_err(yaml_error)
                            }
                        };
                        assert_eq!(Ok(node), want, "{}", path.display());
                    }
                    None => general += 1,
                }
            }
        }
        assert!(
            fast > general,
            "{fast} read by the fast path, {general} by the general one"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        assert!(yaml(&text).is_err());
        assert!(parse(&text, Syntax::Json, FileId(0)).is_err());
    }
}
