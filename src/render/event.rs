//! Events and definitions as readers of the spec know them: a `rendered-data` section with
//! the event's anchor, its description, the basic-info table, one object table per object
//! schema, and its examples as pretty-printed JSON.

use serde::Serialize;

use super::describe::{annotations_html, escape, markdown_block, version_badges};
use super::markdown::render_inline;
use super::markdown::RawHtml;
use super::tables::{tables, Table};
use super::RenderContext;
use crate::examples::examples_of;
use crate::schema::resolve::expand_tracked;
use crate::schema::EVENT_SCHEMA_DIR;
use crate::source::{Node, Value};

/// What the `event.html` template renders.
#[derive(Debug, Serialize)]
pub struct EventView {
    /// `event` or `definition`.
    pub class: &'static str,
    /// The id of the section itself (definitions).
    pub section_id: Option<String>,
    /// The heading's id.
    pub anchor: Option<String>,
    /// The heading's HTML.
    pub heading_html: String,
    /// "Added in" / "Changed in" notes of the whole event.
    pub annotations_html: String,
    /// The description.
    pub description_html: String,
    /// "Message event" or "State event" (events only).
    pub kind: Option<&'static str>,
    /// The state key's description (state events).
    pub state_key_html: Option<String>,
    /// Whether a "Content" heading precedes the tables.
    pub content_heading: bool,
    /// The object tables.
    pub tables: Vec<Table>,
    /// Whether the event did not exist yet at the `--as-of` version (nothing is shown).
    #[serde(skip)]
    pub hidden: bool,
    /// Pretty-printed JSON examples, HTML-escaped.
    pub examples: Vec<String>,
}

/// How an event is shown.
#[derive(Debug, Default, Clone)]
pub struct EventOptions<'s> {
    /// The name shown in the heading and used for the anchor (msgtypes use `m.text`).
    pub display_name: Option<&'s str>,
    /// Only this example (`desired_example_name`).
    pub desired_example: Option<&'s str>,
    /// A Markdown title instead of the event name.
    pub title: Option<&'s str>,
}

/// The view of the event `name` (a file of `data/event-schemas/schema/`).
pub fn event_view(
    ctx: &RenderContext,
    name: &str,
    options: &EventOptions,
) -> Result<EventView, String> {
    let rel = find_schema(ctx, EVENT_SCHEMA_DIR, name).ok_or_else(|| missing_event(ctx, name))?;
    let schema = ctx.expanded(&rel)?;
    let shown = options.display_name.unwrap_or(name);
    let anchor = super::anchor::anchorize(shown);
    let heading_html = match options.title {
        Some(t) => render_inline(t, RawHtml::Escape),
        None => format!("<code>{}</code>", escape(shown)),
    };
    let properties = schema.get("properties");
    let state_key = properties.and_then(|p| p.get("state_key"));
    let content = properties.and_then(|p| p.get("content"));
    if let Some(wanted) = options.desired_example {
        if !ctx.examples.iter().any(|e| e.name == wanted) {
            return Err(format!(
                "no example `{wanted}` (desired_example_name) in data/event-schemas/examples/"
            ));
        }
    }
    let examples = examples_of(ctx.examples, name)
        .filter(|e| options.desired_example.is_none_or(|d| e.name == d))
        .map(|e| {
            e.files.iter().for_each(|f| ctx.depend_on(f));
            escape(&pretty_json(&e.merged))
        })
        .collect();
    Ok(EventView {
        class: "event",
        section_id: None,
        anchor: Some(anchor.clone()),
        heading_html,
        annotations_html: annotations_html(&schema, &ctx.versions),
        description_html: description(&schema, ctx),
        kind: Some(if state_key.is_some() {
            "State event"
        } else {
            "Message event"
        }),
        state_key_html: state_key.map(|s| description(s, ctx)),
        content_heading: true,
        tables: content
            .map(|c| tables(c, Some(&anchor), &ctx.formats, &ctx.versions))
            .unwrap_or_default(),
        examples,
        hidden: !ctx.exists(&schema),
    })
}

/// The view of `event-fields`: the fields of a core event schema, without anchors.
pub fn event_fields_view(ctx: &RenderContext, event_type: &str) -> Result<EventView, String> {
    let dir = format!("{EVENT_SCHEMA_DIR}/core-event-schema");
    let rel = find_schema(ctx, &dir, event_type)
        .ok_or_else(|| format!("no core event schema `{event_type}` in {dir}/"))?;
    let mut schema = ctx.expanded(&rel)?;
    let title = schema
        .get("title")
        .and_then(Node::as_str)
        .unwrap_or(event_type)
        .to_string();
    if let Value::Map(entries) = &mut schema.value {
        entries.retain(|e| e.key != "title");
    }
    Ok(EventView {
        class: "event",
        section_id: None,
        anchor: None,
        heading_html: format!("<code>{}</code>", escape(&title)),
        annotations_html: String::new(),
        description_html: description(&schema, ctx),
        kind: None,
        state_key_html: None,
        content_heading: false,
        tables: tables(&schema, None, &ctx.formats, &ctx.versions),
        examples: Vec::new(),
        hidden: false,
    })
}

/// The view of `definition path=...` (a schema under `data/`, without extension).
pub fn definition_view(ctx: &RenderContext, path: &str) -> Result<EventView, String> {
    let rel = find_schema(ctx, "data", path)
        .ok_or_else(|| format!("no definition `{path}`: there is no data/{path}.yaml"))?;
    let mut schema = ctx.expanded(&rel)?;
    crate::examples::merge_schema_examples(ctx.registry, &mut schema);
    let title = schema
        .get("title")
        .and_then(Node::as_str)
        .unwrap_or(path)
        .to_string();
    let anchor = format!("definition-{}", super::anchor::anchorize(&title));
    let example = schema.get("example").map(|e| escape(&pretty_json(e)));
    Ok(EventView {
        class: "definition",
        section_id: Some(anchor.clone()),
        anchor: None,
        heading_html: format!("<code>{}</code>", escape(&title)),
        annotations_html: annotations_html(&schema, &ctx.versions),
        description_html: description(&schema, ctx),
        kind: None,
        state_key_html: None,
        content_heading: false,
        tables: tables(&schema, Some(&anchor), &ctx.formats, &ctx.versions),
        examples: example.into_iter().collect(),
        hidden: !ctx.exists(&schema),
    })
}

fn description(schema: &Node, ctx: &RenderContext) -> String {
    let text = schema
        .get("description")
        .and_then(Node::as_str)
        .unwrap_or("");
    version_badges(&markdown_block(text), &ctx.versions)
}

/// Why the event `name` cannot be shown: its file does not parse, or there is none (and
/// perhaps a near name).
fn missing_event(ctx: &RenderContext, name: &str) -> String {
    let unread = ctx
        .registry
        .event_files()
        .find(|(n, _)| *n == name)
        .map(|(_, rel)| rel.to_string());
    match unread {
        Some(rel) => {
            format!("event `{name}` cannot be shown: {rel} could not be read (see its own error)")
        }
        None => {
            let hint = crate::suggest::hint(name, ctx.registry.event_schemas().map(|(n, _)| n));
            format!("no event `{name}`: there is no {EVENT_SCHEMA_DIR}/{name}.yaml{hint}")
        }
    }
}

fn find_schema(ctx: &RenderContext, dir: &str, name: &str) -> Option<String> {
    ctx.registry.find_schema(dir, name).map(|d| d.rel.clone())
}

/// Expands the schema document `rel` for rendering.
pub fn expand_doc(ctx: &RenderContext, rel: &str) -> Result<Node, String> {
    let doc = ctx
        .registry
        .get(rel)
        .ok_or_else(|| format!("no schema {rel}"))?;
    let mut visited = Vec::new();
    let expanded = expand_tracked(ctx.registry, rel, &doc.node, &mut visited);
    visited.iter().for_each(|v| ctx.depend_on(v));
    expanded.map_err(|e| format!("{rel}: {e}"))
}

/// JSON with sorted keys and two-space indentation, as upstream shows examples.
pub fn pretty_json(node: &Node) -> String {
    serde_json::to_string_pretty(&crate::source::sort_keys(node.to_json())).unwrap_or_default()
}
