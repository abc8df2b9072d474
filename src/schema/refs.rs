//! `$ref` resolution, confined to `data/`.
//!
//! A reference is a relative path (percent-decoded) and an optional JSON-pointer fragment
//! (`~0`/`~1` escapes). The path is joined to the referring file's folder and normalised;
//! it must stay inside `data/`, also after symlinks are followed. Absolute URIs (network,
//! `file://`) are refused: nothing is fetched.

use std::path::Path;

use percent_encoding::percent_decode_str;

use super::registry::Registry;
use crate::diagnostics::Code;
use crate::source::{pointer_tokens, Node};

/// What a `$ref` points at: a document and a path inside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RefTarget {
    /// Root-relative path of the target document.
    pub rel: String,
    /// Unescaped JSON-pointer tokens inside that document (empty: the whole document).
    pub tokens: Vec<String>,
}

impl RefTarget {
    /// `data/x.yaml#/a/b` for messages.
    pub fn display(&self) -> String {
        if self.tokens.is_empty() {
            self.rel.clone()
        } else {
            let escaped: Vec<String> = self
                .tokens
                .iter()
                .map(|t| crate::source::escape_token(t))
                .collect();
            format!("{}#/{}", self.rel, escaped.join("/"))
        }
    }
}

/// Why a reference cannot be followed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// An absolute URI or path: mxspec reads only files inside `data/`.
    #[error("`{0}` is not a relative reference; mxspec follows only relative paths inside data/ and never fetches a URI")]
    Unsupported(String),
    /// The path leaves `data/` (directly or through a symlink).
    #[error("`{reference}` resolves to {target}, outside data/")]
    Escapes {
        /// The reference as written.
        reference: String,
        /// Where it leads.
        target: String,
    },
    /// No such document.
    #[error("`{reference}` points to {rel}, which does not exist or could not be read{hint}")]
    MissingFile {
        /// The reference as written.
        reference: String,
        /// The resolved path.
        rel: String,
        /// `; did you mean ...?` naming a file of the same folder whose name is near, or
        /// nothing.
        hint: String,
    },
    /// The file is there but could not be read or parsed (its own diagnostic says why).
    #[error("`{reference}` points to {rel}, which could not be read (see its own error)")]
    Unreadable {
        /// The reference as written.
        reference: String,
        /// The resolved path.
        rel: String,
    },
    /// The document exists but the fragment names nothing in it.
    #[error("`{reference}`: {rel} has nothing at #{pointer}")]
    MissingPointer {
        /// The reference as written.
        reference: String,
        /// The resolved document.
        rel: String,
        /// The fragment.
        pointer: String,
    },
}

impl RefError {
    /// Whether this follows from a problem reported elsewhere (an unreadable file), so
    /// that reporting it again would only repeat that problem.
    pub fn is_consequence(&self) -> bool {
        matches!(self, RefError::Unreadable { .. })
    }

    /// The stable diagnostic code of this error.
    pub fn code(&self) -> Code {
        match self {
            RefError::Unsupported(_) => Code::RefUnsupported,
            RefError::Escapes { .. } => Code::RefEscapesRoot,
            RefError::MissingFile { .. } | RefError::MissingPointer { .. } => Code::RefDangling,
            RefError::Unreadable { .. } => Code::RefUnreadable,
        }
    }
}

/// The one `$ref` walker's state: the references being followed one into another (a
/// reference that leads back into one of them is a cycle) and every document they led
/// to. Schema expansion and example merging both follow references through it.
#[derive(Debug, Default)]
pub struct RefTrail {
    active: Vec<RefTarget>,
    followed: Vec<String>,
    /// Nodes the references entered so far stand for (each target's size, every time).
    produced: usize,
}

/// At most this many nodes may be copied in through `$ref`s to expand one schema or
/// merge one example: eight small files whose references each point ten times to the
/// next would otherwise make 10^8 copies.
pub const MAX_EXPANDED_NODES: usize = 250_000;

/// At most this many references may be followed one inside another: a chain of them
/// builds a tree as deep as it is long, and walking it must not exhaust a stack.
pub const MAX_REF_DEPTH: usize = 32;

/// Why a reference cannot be entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowError {
    /// It cannot be resolved.
    Ref(RefError),
    /// It leads back into a reference being followed: the chain, then the target.
    Cycle(Vec<RefTarget>, RefTarget),
    /// Following it would copy in more than [`MAX_EXPANDED_NODES`] nodes, or nest
    /// references more than [`MAX_REF_DEPTH`] deep: why, in words.
    Budget(String),
}

impl FollowError {
    /// The message of a budget refusal.
    pub fn budget_message(target: &RefTarget) -> String {
        format!(
            "following this reference to {} would copy in more than {MAX_EXPANDED_NODES} nodes (references that fan out); mxspec stops here",
            target.display()
        )
    }
}

/// The number of nodes of `node`, or `None` when there are more than `at_most`.
fn count_nodes(node: &Node, at_most: usize) -> Option<usize> {
    let mut count = 0usize;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        if count > at_most {
            return None;
        }
        match &n.value {
            crate::source::Value::Seq(items) => stack.extend(items),
            crate::source::Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    Some(count)
}

impl RefTrail {
    /// Resolves `reference`, written in `from_rel`, and enters its target: a cycle is
    /// refused, and so is a target that would take the nodes copied in over
    /// [`MAX_EXPANDED_NODES`]. Every [`RefTrail::enter`] that succeeds is matched by a [`RefTrail::leave`].
    pub fn enter<'r>(
        &mut self,
        registry: &'r Registry,
        from_rel: &str,
        reference: &str,
    ) -> Result<(RefTarget, &'r Node), FollowError> {
        let target = resolve(registry, from_rel, reference).map_err(FollowError::Ref)?;
        if self.active.contains(&target) {
            return Err(FollowError::Cycle(self.active.clone(), target));
        }
        if self.active.len() >= MAX_REF_DEPTH {
            return Err(FollowError::Budget(format!(
                "following this reference to {} would nest references more than {MAX_REF_DEPTH} deep; mxspec stops here",
                target.display()
            )));
        }
        let node = target_node(registry, &target).ok_or_else(|| {
            FollowError::Ref(RefError::MissingPointer {
                reference: reference.to_string(),
                rel: target.rel.clone(),
                pointer: String::new(),
            })
        })?;
        let budget = MAX_EXPANDED_NODES.saturating_sub(self.produced);
        match count_nodes(node, budget) {
            Some(n) => self.produced += n,
            None => return Err(FollowError::Budget(FollowError::budget_message(&target))),
        }
        self.followed.push(target.rel.clone());
        self.active.push(target.clone());
        Ok((target, node))
    }

    /// How many nodes the references followed so far stand for.
    pub fn copied(&self) -> usize {
        self.produced
    }

    /// Leaves the reference entered last.
    pub fn leave(&mut self) {
        self.active.pop();
    }

    /// Every document a reference led to, sorted, once each.
    pub fn into_followed(mut self) -> Vec<String> {
        self.followed.sort();
        self.followed.dedup();
        self.followed
    }
}

/// The reference of a schema that is nothing but a `$ref` (`{$ref: x.yaml}`): it stands
/// for its target, and is a valid schema whatever that target is.
pub fn lone_ref(node: &Node) -> Option<&str> {
    match node.as_map() {
        Some([entry]) if entry.key == "$ref" => entry.value.as_str(),
        _ => None,
    }
}

/// Resolves `reference`, written in the document `from_rel`, to a target in the registry.
pub fn resolve(
    registry: &Registry,
    from_rel: &str,
    reference: &str,
) -> Result<RefTarget, RefError> {
    let (path_part, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (reference, None),
    };
    if has_scheme(path_part) || path_part.starts_with('/') || path_part.starts_with('\\') {
        return Err(RefError::Unsupported(reference.to_string()));
    }
    let rel = if path_part.is_empty() {
        from_rel.to_string()
    } else {
        let decoded = percent_decode_str(path_part).decode_utf8_lossy();
        let dir = from_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        normalise(dir, &decoded).ok_or_else(|| RefError::Escapes {
            reference: reference.to_string(),
            target: format!("{dir}/{decoded}"),
        })?
    };
    let Some(doc) = registry.get(&rel) else {
        return Err(missing_or_escaping(registry, reference, rel));
    };
    let fragment = percent_decode_str(fragment.unwrap_or("")).decode_utf8_lossy();
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(RefError::Unsupported(reference.to_string()));
    }
    let tokens = pointer_tokens(&fragment);
    if doc.node.at_tokens(&tokens).is_none() {
        return Err(RefError::MissingPointer {
            reference: reference.to_string(),
            rel,
            pointer: fragment.into_owned(),
        });
    }
    Ok(RefTarget { rel, tokens })
}

/// The node a target names.
pub fn target_node<'r>(registry: &'r Registry, target: &RefTarget) -> Option<&'r Node> {
    registry.get(&target.rel)?.node.at_tokens(&target.tokens)
}

/// A missing document: either it is not there, or it is there only through a symlink that
/// leaves `data/` (which the loader refused to read).
fn missing_or_escaping(registry: &Registry, reference: &str, rel: String) -> RefError {
    if let Some(target) = registry.project.escaping_target(&rel) {
        return RefError::Escapes {
            reference: reference.to_string(),
            target,
        };
    }
    if registry.data_file_list().contains(&rel) {
        return RefError::Unreadable {
            reference: reference.to_string(),
            rel,
        };
    }
    // A file of the same folder whose name is near: named as the reference would name it,
    // when the reference writes the file's name as it is (not encoded, not a folder).
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let written_name = path.rsplit('/').next().unwrap_or(path);
    let siblings = registry.data_file_list().iter().filter_map(|f| {
        f.rsplit_once('/')
            .filter(|(d, _)| *d == dir)
            .map(|(_, n)| n)
    });
    let near = crate::suggest::nearest(name, siblings).filter(|_| written_name == name);
    let hint = crate::suggest::did_you_mean(near.map(|near| {
        let folder = path
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| format!("{f}/"));
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        format!("{folder}{near}{fragment}")
    }));
    RefError::MissingFile {
        reference: reference.to_string(),
        rel,
        hint,
    }
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Joins `path` to the root-relative folder `dir` and removes `.` and `..`; `None` when the
/// result leaves `data/`.
fn normalise(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in Path::new(path).iter().map(|p| p.to_str().unwrap_or("")) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (parts.first() == Some(&"data") && parts.len() > 1).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_stays_inside_data() {
        assert_eq!(
            normalise("data/a/b", "../c.yaml").as_deref(),
            Some("data/a/c.yaml")
        );
        assert_eq!(
            normalise("data/a", "./x/../y.yaml").as_deref(),
            Some("data/a/y.yaml")
        );
        assert_eq!(normalise("data/a", "../../etc/passwd"), None);
        assert_eq!(
            normalise("data", "../data/x.yaml").as_deref(),
            Some("data/x.yaml")
        );
    }

    #[test]
    fn schemes_are_detected() {
        assert!(has_scheme("https://example.org/x.json"));
        assert!(has_scheme("file:///etc/passwd"));
        assert!(!has_scheme("core/event.yaml"));
        assert!(!has_scheme("m.room.member.yaml"));
    }
}
