//! The Type and Description columns of object tables, and version badges.
//!
//! Type text as upstream writes it: `[T]` for arrays, `{string: T}` for
//! `additionalProperties`, `{Format: T}` for `patternProperties` with `x-pattern-format`,
//! `A|B` for type lists and `oneOf`/`anyOf`, an object's title linked to its table, and a
//! string `format` shown as the title of that format in `data/string-formats.yaml`,
//! linked to its url. Descriptions are Markdown (raw HTML escaped) with "Required: ",
//! "One of: [...]", "Added in" and "Changed in" notes.

use std::collections::BTreeMap;

use super::anchor::anchorize;
use super::markdown::{render as render_markdown, RawHtml};
use super::IdSet;
use crate::schema::StringFormats;
use crate::source::{Node, Value};

/// Settings that change how annotations and links render.
#[derive(Clone, Debug, Default)]
pub struct Versions {
    /// The version being built (`--spec-version`): its annotations read "New in this version".
    pub current: Option<String>,
    /// Build the spec as it was at this version (`--as-of`).
    pub as_of: Option<String>,
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Turns a format url into a site link: relative ones are made site-absolute.
pub fn format_href(url: &str) -> String {
    if url.contains("://") || url.starts_with('/') || url.starts_with('#') {
        url.to_string()
    } else {
        format!("/{url}")
    }
}

/// The anchor of the table of an object, if it gets one with an id.
pub fn table_anchor(schema: &Node, anchor_base: Option<&str>) -> Option<String> {
    let base = anchor_base?;
    let title = schema.get("title")?.as_str()?;
    has_properties(schema).then(|| format!("{base}_{}", anchorize(title)))
}

/// Whether `schema` lists properties of its own (`properties: {}` lists none): what makes
/// an object a table of its own, as upstream's templates read it.
pub fn has_properties(schema: &Node) -> bool {
    schema
        .get("properties")
        .and_then(Node::as_map)
        .is_some_and(|p| !p.is_empty())
}

fn type_names(schema: &Node) -> Vec<String> {
    match schema.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The HTML of the Type column for `schema`.
pub fn type_html(schema: &Node, anchor_base: Option<&str>, formats: &StringFormats) -> String {
    let types = type_names(schema);
    let single = (types.len() == 1).then(|| types[0].as_str());
    match single {
        Some("object") => object_type(schema, anchor_base, formats),
        Some("array") => {
            let inner = match schema.get("items") {
                Some(items) => match items.get("anyOf").and_then(Node::as_seq) {
                    Some(any) => any
                        .iter()
                        .map(|i| type_html(i, anchor_base, formats))
                        .collect::<Vec<_>>()
                        .join("|"),
                    None => type_html(items, anchor_base, formats),
                },
                None => String::new(),
            };
            format!("[{inner}]")
        }
        Some("string") => match schema
            .get("format")
            .and_then(Node::as_str)
            .and_then(|f| formats.get(f))
        {
            Some(info) => format!(
                "<a href=\"{}\">{}</a>",
                escape(&format_href(&info.url)),
                escape(&info.title)
            ),
            None => "string".to_string(),
        },
        _ => {
            let alternatives = schema
                .get("oneOf")
                .or_else(|| schema.get("anyOf"))
                .and_then(Node::as_seq);
            match alternatives {
                Some(items) => items
                    .iter()
                    .map(|i| type_html(i, anchor_base, formats))
                    .collect::<Vec<_>>()
                    .join("|"),
                None if types.len() > 1 => types
                    .iter()
                    .map(|t| escape(t))
                    .collect::<Vec<_>>()
                    .join("|"),
                None => types.first().map(|t| escape(t)).unwrap_or_default(),
            }
        }
    }
}

fn object_type(schema: &Node, anchor_base: Option<&str>, formats: &StringFormats) -> String {
    let title = schema.get("title").and_then(Node::as_str);
    if has_properties(schema) {
        return match (title, table_anchor(schema, anchor_base)) {
            (Some(t), Some(anchor)) => {
                format!("<a href=\"#{}\">{}</a>", escape(&anchor), escape(t))
            }
            (Some(t), None) => escape(t),
            _ => "object".to_string(),
        };
    }
    if let Some(extra) = schema
        .get("additionalProperties")
        .filter(|n| n.as_map().is_some())
    {
        return format!("{{string: {}}}", type_html(extra, anchor_base, formats));
    }
    if let Some(patterns) = schema.get("patternProperties").and_then(Node::as_map) {
        let mut by_format: BTreeMap<String, String> = BTreeMap::new();
        for e in patterns {
            let format = e
                .value
                .get("x-pattern-format")
                .and_then(Node::as_str)
                .unwrap_or("string");
            let key = match formats.get(format) {
                Some(info) if format != "string" => {
                    format!(
                        "<a href=\"{}\">{}</a>",
                        escape(&format_href(&info.url)),
                        escape(&info.title)
                    )
                }
                _ => "string".to_string(),
            };
            by_format.insert(
                format.to_string(),
                format!("{{{key}: {}}}", type_html(&e.value, anchor_base, formats)),
            );
        }
        return by_format.into_values().collect::<Vec<_>>().join("|");
    }
    match title {
        Some(t) => escape(t),
        None => "object".to_string(),
    }
}

/// Markdown of a schema, rendered as blocks with raw HTML escaped.
pub fn markdown_block(text: &str) -> String {
    let mut ids = IdSet::default();
    let html = render_markdown(text, &mut ids, RawHtml::Escape).html;
    html.trim_end().to_string()
}

/// A description as blocks, as upstream's `RenderString` gives it: its `added-in`,
/// `changed-in` and box shortcodes rendered, inline markers as badges.
pub fn description_block(text: &str, versions: &Versions) -> String {
    let block = |text: &str| {
        let markdown = crate::api::publish::markdown_of_shortcodes(text);
        version_badges(&markdown_block(&markdown), versions)
    };
    let whole = |text: &str| description_block(text, versions);
    super::description_boxes::render(text, &block, &whole).unwrap_or_else(|| block(text))
}

/// The Description column: description, enum, Added in, Changed in.
pub fn description_html(schema: &Node, required: bool, versions: &Versions) -> String {
    let text = schema
        .get("description")
        .and_then(Node::as_str)
        .unwrap_or("");
    // Inline markers in the text become badges; the annotations below are badges already.
    let mut html = description_block(text, versions);
    if required {
        html = match html.strip_prefix("<p>") {
            Some(rest) => format!("<p><strong>Required: </strong>{rest}"),
            None => format!("<p><strong>Required: </strong></p>{html}"),
        };
    }
    if let Some(values) = schema.get("enum").and_then(Node::as_seq) {
        let list: Vec<String> = values
            .iter()
            .map(|v| match v.as_str() {
                Some(s) => escape(s),
                None => escape(&v.to_json().to_string()),
            })
            .collect();
        html.push_str(&format!(
            "\n<p>One of: <code>[{}]</code>.</p>",
            list.join(", ")
        ));
    }
    html.push_str(&annotations_html(schema, versions));
    html
}

/// "Added in" and "Changed in" notes of a schema, as paragraphs.
pub fn annotations_html(schema: &Node, versions: &Versions) -> String {
    let mut html = String::new();
    if let Some(v) = schema.get(crate::version::ADDED).and_then(Node::as_str) {
        html.push_str(&format!("\n<p>{}</p>", added_note(v, versions)));
    }
    if let Some(changes) = schema.get(crate::version::CHANGED).and_then(Node::as_map) {
        let mut changes: Vec<_> = changes.iter().collect();
        changes.sort_by_key(|e| crate::version::version_key(&e.key));
        for e in changes {
            let text = e.value.as_str().unwrap_or("");
            let body = markdown_block(text);
            let body = body
                .strip_prefix("<p>")
                .and_then(|b| b.strip_suffix("</p>"))
                .unwrap_or(&body)
                .to_string();
            html.push_str(&format!(
                "\n<p>{} {body}</p>",
                changed_note(&e.key, versions)
            ));
        }
    }
    html
}

/// A version badge: `this_version` when `v` is the version being built, else `before`,
/// the version (`v1.19`, in code), then `after`.
fn badge(
    class: &str,
    v: &str,
    versions: &Versions,
    this_version: &str,
    around: [&str; 2],
) -> String {
    let text = if versions.current.as_deref() == Some(v) {
        this_version.to_string()
    } else {
        format!("{}<code>v{}</code>{}", around[0], escape(v), around[1])
    };
    format!("<span class=\"version-badge {class}\"><strong>{text}</strong></span>")
}

/// The "Added in vX.Y" badge of an inline marker.
pub fn added_badge(v: &str, versions: &Versions) -> String {
    badge(
        "added-in",
        v,
        versions,
        "[New in this version]",
        ["[Added in ", "]"],
    )
}

/// The "Changed in vX.Y" badge of an inline marker.
pub fn changed_badge(v: &str, versions: &Versions) -> String {
    badge(
        "changed-in",
        v,
        versions,
        "[Changed in this version]",
        ["[Changed in ", "]"],
    )
}

/// The "Added in vX.Y" of an annotation (`x-addedInMatrixVersion`), a line of its own:
/// without the brackets of the inline marker, as upstream's `added-in` partial writes it.
fn added_note(v: &str, versions: &Versions) -> String {
    badge(
        "added-in",
        v,
        versions,
        "New in this version.",
        ["Added in ", ""],
    )
}

/// The "Changed in vX.Y:" that opens a change of an annotation
/// (`x-changedInMatrixVersion`), as upstream's `changed-in` partial writes it.
fn changed_note(v: &str, versions: &Versions) -> String {
    badge(
        "changed-in",
        v,
        versions,
        "Changed in this version:",
        ["Changed in ", ":"],
    )
}

/// Inline markers written in Markdown (`**[Added in `v1.19`]**`) as the same badges.
pub fn version_badges(html: &str, versions: &Versions) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<strong>[") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let parsed = ["Added in", "Changed in"].iter().find_map(|label| {
            let prefix = format!("<strong>[{label} <code>v");
            let after = tail.strip_prefix(prefix.as_str())?;
            let end = after.find("</code>]</strong>")?;
            let v = &after[..end];
            crate::version::is_version(v)
                .then(|| (label, v, prefix.len() + end + "</code>]</strong>".len()))
        });
        match parsed {
            Some((label, v, len)) => {
                let badge = if *label == "Added in" {
                    added_badge(v, versions)
                } else {
                    changed_badge(v, versions)
                };
                out.push_str(&badge);
                rest = &tail[len..];
            }
            None => {
                out.push_str("<strong>[");
                rest = &tail["<strong>[".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    fn yaml(t: &str) -> Node {
        parse(t, Syntax::Yaml, FileId(0)).unwrap()
    }

    fn formats() -> StringFormats {
        StringFormats::from_node(Some(&yaml("mx-room-id: {title: Room ID, url: appendices#room-ids}\nmx-event-id: {title: Event ID, url: appendices#event-ids}\n")))
    }

    #[test]
    fn types() {
        let f = formats();
        assert_eq!(
            type_html(&yaml("type: string\nformat: mx-room-id"), None, &f),
            "<a href=\"/appendices#room-ids\">Room ID</a>"
        );
        assert_eq!(
            type_html(&yaml("type: array\nitems: {type: string}"), None, &f),
            "[string]"
        );
        assert_eq!(
            type_html(&yaml("type: [string, 'null']"), None, &f),
            "string|null"
        );
        assert_eq!(
            type_html(&yaml("oneOf: [{type: string}, {type: integer}]"), None, &f),
            "string|integer"
        );
        let map = yaml("type: object\nadditionalProperties: {type: object, title: StreamMetadata, properties: {a: {type: string}}}");
        assert_eq!(
            type_html(&map, Some("mcallanswer"), &f),
            "{string: <a href=\"#mcallanswer_streammetadata\">StreamMetadata</a>}"
        );
        let pattern = yaml("type: object\npatternProperties:\n  '^\\$':\n    x-pattern-format: mx-event-id\n    type: object\n    title: Event Receipts\n    properties: {a: {type: string}}\n");
        assert_eq!(
            type_html(&pattern, Some("mreceipt"), &f),
            "{<a href=\"/appendices#event-ids\">Event ID</a>: <a href=\"#mreceipt_event-receipts\">Event Receipts</a>}"
        );
    }

    #[test]
    fn descriptions() {
        let v = Versions::default();
        let d = description_html(
            &yaml("description: The `x`.\nenum: [a, b]\nx-addedInMatrixVersion: '1.19'"),
            true,
            &v,
        );
        assert!(
            d.starts_with("<p><strong>Required: </strong>The <code>x</code>.</p>"),
            "{d}"
        );
        assert!(d.contains("<p>One of: <code>[a, b]</code>.</p>"));
        assert!(d.contains("Added in <code>v1.19</code>"));
        let now = Versions {
            current: Some("1.19".into()),
            ..Versions::default()
        };
        assert!(
            description_html(&yaml("x-addedInMatrixVersion: '1.19'"), false, &now)
                .contains("New in this version")
        );
    }

    #[test]
    fn an_annotation_is_one_badge() {
        let d = description_html(
            &yaml("description: x\nx-addedInMatrixVersion: '1.4'"),
            false,
            &Versions::default(),
        );
        assert_eq!(d.matches("version-badge").count(), 1, "{d}");
    }

    #[test]
    fn inline_markers_become_badges() {
        let html = "<li><strong>[Added in <code>v1.19</code>]</strong> <code>m.x</code></li>";
        let out = version_badges(html, &Versions::default());
        assert!(out.contains("class=\"version-badge added-in\""), "{out}");
        let out = version_badges(
            html,
            &Versions {
                current: Some("1.19".into()),
                ..Versions::default()
            },
        );
        assert!(out.contains("New in this version"));
    }

    #[test]
    fn raw_html_in_descriptions_is_escaped() {
        let d = description_html(
            &yaml("description: 'a <img src=x onerror=alert(1)> b'"),
            false,
            &Versions::default(),
        );
        assert!(!d.contains("<img"), "{d}");
    }
}
