//! The body of a request or response (a map of media types): "Array of `X`." for a
//! top-level array, the object tables of a JSON body or a content-type table for others,
//! and the examples, as upstream's `openapi/render-media-type-objects` makes them; and
//! what the operation view shares with it: description text, `--as-of` filtering and the
//! rows of status and content-type tables.

use serde::Serialize;

use super::describe::{annotations_html, description_block, escape};
use super::event::pretty_json;
use super::tables::{is_type, tables, Table};
use super::RenderContext;
use crate::source::{Entry, Node, Value};
use crate::version::as_of;

/// A request or response body.
#[derive(Debug, Serialize)]
pub struct BodyView {
    /// "Array of `X`." for a top-level array: the `X`.
    pub array_of: Option<String>,
    /// The object tables of a JSON body.
    pub tables: Vec<Table>,
    /// Content types and descriptions, for a body that is not JSON.
    pub content_types: Vec<StatusRow>,
    /// The examples: language class and escaped text.
    pub examples: Vec<ExampleView>,
}

/// One shown example.
#[derive(Debug, Serialize)]
pub struct ExampleView {
    /// `json` or `no-highlight`.
    pub language: &'static str,
    /// The example, HTML-escaped.
    pub text: String,
}

/// The view of a request or response body (`content`, a map of media types), its
/// tables' ids under `anchor`.
pub fn body_view(ctx: &RenderContext, content: &Node, anchor: &str) -> BodyView {
    // By name, as upstream's templates list a map.
    // With --as-of, those added later are left out.
    let mut media_types: Vec<&Entry> = content
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|m| ctx.exists(m.value.get("schema").unwrap_or(&m.value)))
        .collect();
    media_types.sort_by(|a, b| a.key.cmp(&b.key));
    let json = content.get("application/json");
    let mut view = BodyView {
        array_of: None,
        tables: Vec::new(),
        content_types: Vec::new(),
        examples: Vec::new(),
    };
    match json {
        Some(json) => {
            let schema = ctx.at_version(json.get("schema").unwrap_or(json));
            if is_type(&schema, "array") {
                view.array_of = Some(array_item_names(&schema));
            }
            view.tables = tables(&schema, Some(anchor), &ctx.formats, &ctx.versions);
        }
        None => {
            view.content_types = media_types
                .iter()
                .map(|m| {
                    let schema = m.value.get("schema").map(|s| ctx.at_version(s));
                    let description = schema
                        .as_deref()
                        .map(|s| description(ctx, s))
                        .unwrap_or_default();
                    let badges = schema
                        .as_deref()
                        .map(|s| annotations_html(s, &ctx.versions))
                        .unwrap_or_default();
                    StatusRow {
                        code: m.key.clone(),
                        description_html: format!("{description}{badges}"),
                    }
                })
                .collect();
        }
    }
    for m in media_types {
        let language = if m.key == "application/json" {
            "json"
        } else {
            "no-highlight"
        };
        for example in examples_of(&m.value) {
            let text = match (&example.value, language) {
                (Value::String(s), "no-highlight") => s.clone(),
                _ => pretty_json(&example),
            };
            view.examples.push(ExampleView {
                language,
                text: escape(&text),
            });
        }
    }
    view
}

/// The `X` of "Array of `X`.": the items' title, or the titles or types of `anyOf`.
fn array_item_names(schema: &Node) -> String {
    let items = schema.get("items");
    match items.and_then(|i| i.get("anyOf")).and_then(Node::as_seq) {
        Some(any) => any
            .iter()
            .filter_map(|s| {
                s.get("title")
                    .or_else(|| s.get("type"))
                    .and_then(Node::as_str)
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => items
            .and_then(|i| i.get("title"))
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

/// The examples of a media type: its `examples` (their values), else its `example`, else
/// an example assembled from its schema's.
fn examples_of(media: &Node) -> Vec<Node> {
    if let Some(map) = media.get("examples").and_then(Node::as_map) {
        return map
            .iter()
            .filter_map(|e| e.value.get("value").cloned())
            .collect();
    }
    if let Some(example) = media.get("example") {
        return vec![example.clone()];
    }
    media.get("schema").map(schema_examples).unwrap_or_default()
}

/// The examples of a schema: its `examples`, else its `example`, else one assembled from
/// the first example of each property (or of the items), as upstream does.
fn schema_examples(schema: &Node) -> Vec<Node> {
    if let Some(list) = schema.get("examples").and_then(Node::as_seq) {
        return list.to_vec();
    }
    if let Some(example) = schema.get("example") {
        return vec![example.clone()];
    }
    if is_type(schema, "object") {
        let properties = schema.get("properties").and_then(Node::as_map);
        let mut assembled: Vec<Entry> = properties
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                let first = schema_examples(&p.value).into_iter().next()?;
                Some(Entry {
                    key: p.key.clone(),
                    key_pos: p.key_pos,
                    value: first,
                })
            })
            .collect();
        assembled.sort_by(|a, b| a.key.cmp(&b.key));
        if !assembled.is_empty() || properties.is_none_or(<[Entry]>::is_empty) {
            return vec![Node::new(schema.pos, Value::Map(assembled))];
        }
    } else if is_type(schema, "array") {
        if let Some(first) = schema
            .get("items")
            .filter(|i| i.as_map().is_some())
            .and_then(|i| schema_examples(i).into_iter().next())
        {
            return vec![Node::new(schema.pos, Value::Seq(vec![first]))];
        }
    }
    Vec::new()
}

/// A row of the status table (or of the content-type table).
#[derive(Debug, Serialize)]
pub struct StatusRow {
    /// The status code (or the content type).
    pub code: String,
    /// Its description.
    pub description_html: String,
}

/// Markdown of a description, its `added-in`/`changed-in` shortcodes as badges.
pub(super) fn description(ctx: &RenderContext, node: &Node) -> String {
    let text = node.get("description").and_then(Node::as_str).unwrap_or("");
    // (A response is not a schema: `--as-of` has not filtered its text yet.)
    match &ctx.versions.as_of {
        Some(v) => description_block(&as_of::filter_markdown(text, v), &ctx.versions),
        None => description_block(text, &ctx.versions),
    }
}
