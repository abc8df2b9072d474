//! The value model: a JSON-like tree in which every node remembers where it was written.
//!
//! Parsed YAML and JSON both become a [`Node`]. Maps keep their key order and the position
//! of each key, so a diagnostic about a whole object can point at the key that holds it
//! while a diagnostic about a scalar points at the scalar itself.

use super::FileId;

/// A place in a source file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    /// The file the node was read from.
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

/// One value of the tree with the position it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value starts.
    pub pos: Pos,
    /// The value itself.
    pub value: Value,
}

/// The shape of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` / `~` / an empty YAML value.
    Null,
    /// `true` or `false` (YAML 1.2: `yes`, `no`, `on`, `off` are strings).
    Bool(bool),
    /// An integer or a float, as JSON stores it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<Entry>),
}

/// One key of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key is written.
    pub key_pos: Pos,
    /// The value under the key.
    pub value: Node,
}

impl Node {
    /// A node of the given value at a position.
    pub fn new(pos: Pos, value: Value) -> Self {
        Node { pos, value }
    }

    /// The value under `key` when this node is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry for `key` when this node is a map.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The string value, when this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, when this node is a map.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, when this node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Sets the file of this node and of every node below it.
    pub fn set_file(&mut self, file: FileId) {
        self.pos.file = file;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.set_file(file)),
            Value::Map(entries) => entries.iter_mut().for_each(|e| {
                e.key_pos.file = file;
                e.value.set_file(file);
            }),
            _ => {}
        }
    }

    /// Converts the tree to a `serde_json::Value` (positions dropped).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Follows a parsed JSON pointer (unescaped tokens) from this node.
    pub fn at_tokens<S: AsRef<str>>(&self, tokens: &[S]) -> Option<&Node> {
        let mut node = self;
        for token in tokens {
            node = node.child(token.as_ref())?;
        }
        Some(node)
    }

    /// Whether a key of `keys` is written in a mapping anywhere at or below this node
    /// (walked with a stack: no tree is too deep for it).
    pub fn has_key_below(&self, keys: &[&str]) -> bool {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Map(entries) => {
                    if entries.iter().any(|e| keys.contains(&e.key.as_str())) {
                        return true;
                    }
                    stack.extend(entries.iter().map(|e| &e.value));
                }
                Value::Seq(items) => stack.extend(items),
                _ => {}
            }
        }
        false
    }

    /// The child named by one pointer token: a map key or a sequence index.
    pub fn child(&self, token: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(_) => self.get(token),
            Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// The best position to report for the value at `tokens`: the scalar itself, or the
    /// key that holds a map or sequence. Falls back to the deepest node reached.
    pub fn locate<S: AsRef<str>>(&self, tokens: &[S]) -> Pos {
        let mut node = self;
        let mut key_pos = None;
        for token in tokens {
            let token = token.as_ref();
            match &node.value {
                Value::Map(entries) => match entries.iter().find(|e| e.key == token) {
                    Some(e) => {
                        key_pos = Some(e.key_pos);
                        node = &e.value;
                    }
                    None => break,
                },
                Value::Seq(items) => match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(item) => {
                        key_pos = None;
                        node = item;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        match (&node.value, key_pos) {
            (Value::Map(_) | Value::Seq(_), Some(k)) => k,
            _ => node.pos,
        }
    }
}

/// A JSON value with the keys of every object sorted, as upstream's tools print JSON
/// (Go's maps and Python's `sort_keys`).
pub fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sort_keys).collect())
        }
        other => other,
    }
}

/// Splits a JSON pointer (`/a/b~1c`) into unescaped tokens (`a`, `b/c`).
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes one token for a JSON pointer.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_unescape_in_order() {
        assert_eq!(pointer_tokens("/a~1b/c~0d/~01"), vec!["a/b", "c~d", "~1"]);
        assert!(pointer_tokens("").is_empty());
    }

    #[test]
    fn escape_round_trips() {
        let token = "x/~y";
        let pointer = format!("/{}", escape_token(token));
        assert_eq!(pointer_tokens(&pointer), vec![token]);
    }
}
