//! `data/string-formats.yaml`: the `format` names the spec defines, each with the title
//! the spec shows for it and the section that defines it.

use std::collections::BTreeMap;

use super::{Registry, STRING_FORMATS};
use crate::source::Node;

/// One string format.
#[derive(Clone, Debug)]
pub struct FormatInfo {
    /// The title shown as the type.
    pub title: String,
    /// Where it is defined (site-relative or absolute).
    pub url: String,
}

/// The string-format table of a project (empty when the file is absent).
#[derive(Clone, Debug, Default)]
pub struct StringFormats {
    formats: BTreeMap<String, FormatInfo>,
    present: bool,
}

impl StringFormats {
    /// The table of the registry's `data/string-formats.yaml`.
    pub fn from_registry(registry: &Registry) -> Self {
        Self::from_node(registry.get(STRING_FORMATS).map(|d| &d.node))
    }

    /// The table written in `node`.
    pub fn from_node(node: Option<&Node>) -> Self {
        let formats = node
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|e| {
                let text = |key| e.value.get(key).and_then(Node::as_str).map(str::to_string);
                let info = FormatInfo {
                    title: text("title").unwrap_or_else(|| e.key.clone()),
                    url: text("url").unwrap_or_default(),
                };
                (e.key.clone(), info)
            })
            .collect();
        StringFormats {
            formats,
            present: node.is_some(),
        }
    }

    /// The format named `name`.
    pub fn get(&self, name: &str) -> Option<&FormatInfo> {
        self.formats.get(name)
    }

    /// Whether `name` is a key of the table.
    pub fn contains(&self, name: &str) -> bool {
        self.formats.contains_key(name)
    }

    /// Every format name of the table.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.formats.keys().map(String::as_str)
    }

    /// Whether the project has the file at all.
    pub fn present(&self) -> bool {
        self.present
    }
}
