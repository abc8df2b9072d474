//! HTTP APIs as readers of the spec know them: for each operation of an API document, a
//! `rendered-data` section headed `METHOD /base/path` with upstream's anchor, its
//! description and badges, the "Rate-limited" / "Requires authentication" table, the
//! request (a table per parameter kind, the body's object tables, its example) and the
//! responses (the status table, then each status's headers, body tables and examples),
//! as upstream's `openapi/render-*` templates make them. Bodies are [`super::http_body`]'s.

use serde::Serialize;

use super::describe::{annotations_html, escape};
use super::http_body::{body_view, description, BodyView, StatusRow};
use super::tables::{table, Table};
use super::{Endpoint, RenderContext};
use crate::api::{self, expand::expand_api, Operation};
use crate::source::{Entry, Node, Value};

/// What the `http-api.html` template renders for one operation.
#[derive(Debug, Serialize)]
pub struct OperationView {
    /// Its heading: anchor, method, endpoint, summary (what the page's list of endpoints
    /// shows too).
    #[serde(flatten)]
    pub head: Endpoint,
    /// "Added in" / "Changed in" notes.
    pub annotations_html: String,
    /// The description.
    pub description_html: String,
    /// Whether it answers 429.
    pub rate_limited: bool,
    /// `Yes`, `No` or `Optional`.
    pub requires_authentication: &'static str,
    /// The parameter tables: header, path, query (those that have rows).
    pub parameter_tables: Vec<Table>,
    /// The request body, if any.
    pub request_body: Option<BodyView>,
    /// The status table.
    pub responses: Vec<StatusRow>,
    /// Each status with a body.
    pub response_bodies: Vec<ResponseView>,
}

/// One status with a body.
#[derive(Debug, Serialize)]
pub struct ResponseView {
    /// The status code.
    pub code: String,
    /// The table of its headers.
    pub headers: Option<Table>,
    /// Its body.
    pub body: BodyView,
}

/// The views of every operation of `api` in `spec`, in upstream's order, with ids under
/// `anchor_base` when given.
pub fn api_views(
    ctx: &RenderContext,
    spec: &str,
    name: &str,
    anchor_base: Option<&str>,
) -> Result<Vec<OperationView>, String> {
    let Some(doc) = api::find_api(ctx.registry, spec, name) else {
        return Err(missing_api(ctx, spec, name));
    };
    ctx.depend_on(&doc.doc.rel);
    ctx.depend_on(crate::schema::STRING_FORMATS);
    let expanded = expand_api(ctx.registry, &doc.doc.rel, &doc.doc.node, true)
        .map_err(|e| format!("{}: {e}", doc.doc.rel))?;
    expanded.files.iter().for_each(|f| ctx.depend_on(f));
    let base_path = doc.base_path();
    Ok(api::operations(&expanded.node)
        .iter()
        .filter(|op| ctx.exists(op.node))
        .map(|op| operation_view(ctx, op, &base_path, anchor_base))
        .collect())
}

/// `put_matrixclientv3roomsroomidstate` for `PUT /_matrix/client/v3/rooms/{roomId}/state`:
/// the method in lower case, then the endpoint anchorized; with a base, that and `_` first.
pub fn endpoint_anchor(method: &str, endpoint: &str, anchor_base: Option<&str>) -> String {
    let anchor = format!("{}{}", method.to_lowercase(), super::anchorize(endpoint));
    match anchor_base.filter(|b| !b.is_empty()) {
        Some(base) => format!("{base}_{anchor}"),
        None => anchor,
    }
}

fn operation_view(
    ctx: &RenderContext,
    op: &Operation,
    base_path: &str,
    anchor_base: Option<&str>,
) -> OperationView {
    let node = ctx.at_version(op.node);
    let endpoint = format!("{base_path}{}", op.path);
    let anchor = endpoint_anchor(op.method, &endpoint, anchor_base);
    let security = node.get("security").and_then(Node::as_seq);
    let requires_authentication = match security {
        None => "No",
        Some([]) => "No",
        // Upstream's rule: optional when the first requirement is the empty one.
        Some(s) if s[0].as_map().is_some_and(<[Entry]>::is_empty) => "Optional",
        Some(_) => "Yes",
    };
    let mut responses: Vec<&Entry> = node
        .get("responses")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter(|e| !e.key.starts_with("x-") && ctx.exists(&e.value))
        .collect();
    // In the order of their codes as text (`200`, `3XX`, `400`, `4XX`), as upstream's
    // templates list a map.
    responses.sort_by(|a, b| a.key.cmp(&b.key));
    let parameters: Vec<&Node> = api::parameters(op)
        .into_iter()
        .filter(|p| ctx.exists(p))
        .collect();
    let parameter_tables = ["header", "path", "query"]
        .iter()
        .filter_map(|place| parameter_table(ctx, &parameters, place))
        .collect();
    let request_anchor = format!("{anchor}_request");
    OperationView {
        annotations_html: annotations_html(&node, &ctx.versions),
        description_html: description(ctx, &node),
        rate_limited: responses.iter().any(|e| e.key == "429"),
        requires_authentication,
        parameter_tables,
        request_body: node
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .map(|c| body_view(ctx, c, &request_anchor)),
        responses: responses
            .iter()
            .map(|e| StatusRow {
                code: e.key.clone(),
                description_html: description(ctx, &e.value),
            })
            .collect(),
        response_bodies: responses
            .iter()
            .filter_map(|e| {
                let content = e.value.get("content")?;
                let anchor = format!("{anchor}_response-{}", e.key);
                Some(ResponseView {
                    code: e.key.clone(),
                    headers: headers_table(ctx, &e.value),
                    body: body_view(ctx, content, &anchor),
                })
            })
            .collect(),
        head: Endpoint {
            method: op.method.to_uppercase(),
            summary: node
                .get("summary")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string(),
            deprecated: op.deprecated(),
            anchor,
            endpoint_html: escape(&endpoint),
            endpoint,
            module: None,
        },
    }
}

/// A parameter (or header) as a table row: its schema with its own fields over it.
fn merged_with_schema(ctx: &RenderContext, item: &Node) -> Node {
    ctx.owned_at_version(api::as_schema(item))
}

fn table_of(
    ctx: &RenderContext,
    caption: &str,
    rows: Vec<Entry>,
    pos: crate::source::Pos,
) -> Table {
    let object = Node::new(
        pos,
        Value::Map(vec![
            entry("title", Value::String(caption.to_string()), pos),
            entry("type", Value::String("object".to_string()), pos),
            entry("properties", Value::Map(rows), pos),
        ]),
    );
    table(&object, None, &ctx.formats, &ctx.versions)
}

fn entry(key: &str, value: Value, pos: crate::source::Pos) -> Entry {
    Entry {
        key: key.to_string(),
        key_pos: pos,
        value: Node::new(pos, value),
    }
}

fn parameter_table(ctx: &RenderContext, parameters: &[&Node], place: &str) -> Option<Table> {
    let rows: Vec<Entry> = parameters
        .iter()
        .filter(|p| p.get("in").and_then(Node::as_str) == Some(place))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            Some(entry(name, merged_with_schema(ctx, p).value, p.pos))
        })
        .collect();
    let pos = parameters.first()?.pos;
    (!rows.is_empty()).then(|| table_of(ctx, &format!("{place} parameters"), rows, pos))
}

fn headers_table(ctx: &RenderContext, response: &Node) -> Option<Table> {
    let headers = response.get("headers")?;
    let rows: Vec<Entry> = headers
        .as_map()?
        .iter()
        .filter(|h| ctx.exists(&h.value))
        .map(|h| entry(&h.key, merged_with_schema(ctx, &h.value).value, h.value.pos))
        .collect();
    (!rows.is_empty()).then(|| table_of(ctx, "Headers", rows, headers.pos))
}

/// Why `spec`/`name` cannot be shown, with a near name when there is one.
fn missing_api(ctx: &RenderContext, spec: &str, name: &str) -> String {
    let specs = api::specs(ctx.registry);
    if !specs.contains(&spec) {
        let hint = crate::suggest::hint(spec, specs.iter().copied());
        return format!(
            "no API spec `{spec}`: there is no folder {}/{spec}/ with API documents{hint}",
            api::API_DIR
        );
    }
    let names: Vec<&str> = api::api_docs(ctx.registry)
        .filter(|a| a.spec == spec)
        .map(|a| a.name)
        .collect();
    let hint = crate::suggest::hint(name, names.iter().copied());
    format!(
        "no API `{name}` in {}/{spec}/ (no {name}.yaml with an `openapi` key){hint}",
        api::API_DIR
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_upstreams() {
        assert_eq!(
            endpoint_anchor(
                "PUT",
                "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}",
                None
            ),
            "put_matrixclientv3roomsroomidstateeventtypestatekey"
        );
        assert_eq!(
            endpoint_anchor("get", "/_matrix/client/v3/sync", Some("old")),
            "old_get_matrixclientv3sync"
        );
    }
}
