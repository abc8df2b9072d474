//! The published definitions, `api/<spec>.json`: every API document of a spec merged into
//! one OpenAPI 3.1 document, as upstream's "Build OpenAPI definitions" job makes them
//! (`scripts/dump-openapi.py`), so that Swagger UI or an OpenAPI client generator can read
//! it: each path with its base path in front, every `$ref` inlined, the security schemes
//! of `definitions/security.yaml`, site-absolute links in texts made absolute with the
//! base URL, the `added-in`/`changed-in`/box shortcodes written as their Markdown, keys
//! sorted, four-space indentation; with `--as-of`, as the spec was at that version.

use serde_json::{json, Map, Value};

use super::expand::expand_api;
use super::{api_docs, API_DIR};
use crate::schema::resolve::ResolveError;
use crate::schema::Registry;
use crate::source::shortcode::{self, Segment};
use crate::source::{sort_keys, Node};

/// The titles upstream gives its five APIs; another spec is titled after its folder.
const TITLES: &[(&str, &str)] = &[
    ("client-server", "Matrix Client-Server API"),
    ("server-server", "Matrix Server-Server API"),
    ("application-service", "Matrix Application Service API"),
    ("identity", "Matrix Identity Service API"),
    ("push-gateway", "Matrix Push Gateway API"),
];

/// Why a spec's definition cannot be made.
#[derive(Debug, thiserror::Error)]
#[error("{rel}: {error}")]
pub struct PublishError {
    /// The document that cannot be expanded.
    pub rel: String,
    /// Why.
    pub error: ResolveError,
}

/// The merged definition of `spec`, as JSON text. `release` is the version label
/// (`v1.19`, or `unstable`); `base_url` is what site-absolute links are made absolute with.
pub fn publish(
    registry: &Registry,
    spec: &str,
    release: &str,
    base_url: &str,
    as_of: Option<&str>,
) -> Result<String, PublishError> {
    let title = TITLES
        .iter()
        .find(|(s, _)| *s == spec)
        .map_or_else(|| format!("{spec} API"), |(_, t)| t.to_string());
    let mut paths = Map::new();
    for api in api_docs(registry).filter(|a| a.spec == spec) {
        let expanded =
            expand_api(registry, &api.doc.rel, &api.doc.node, false).map_err(|error| {
                PublishError {
                    rel: api.doc.rel.clone(),
                    error,
                }
            })?;
        let base = api.base_path();
        let node = match as_of {
            Some(v) => crate::version::as_of::filter_api(&expanded.node, v),
            None => expanded.node,
        };
        let Some(Value::Object(doc_paths)) = node.get("paths").map(Node::to_json) else {
            continue;
        };
        for (path, methods) in doc_paths {
            let Value::Object(methods) = methods else {
                continue;
            };
            let slot = paths
                .entry(format!("{base}{path}"))
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(slot) = slot {
                slot.extend(methods);
            }
        }
    }
    let security = ["yaml", "yml", "json"]
        .iter()
        .find_map(|ext| registry.get(&format!("{API_DIR}/{spec}/definitions/security.{ext}")));
    let mut output = json!({
        "servers": [
            {"url": "https://matrix.org"},
            {
                "url": "https://{homeserver_address}",
                "variables": {"homeserver_address": {
                    "default": "matrix-client.matrix.org",
                    "description": "The base URL for your homeserver",
                }},
            },
        ],
        "info": {"title": title, "version": release},
        "components": {"securitySchemes": security.map_or(json!({}), |d| d.node.to_json())},
        "paths": Value::Object(paths),
        "openapi": "3.1.0",
    });
    edit_texts(&mut output, base_url.trim_end_matches('/'));
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buf, formatter);
    // Writing a JSON value into memory cannot fail.
    let _ = serde::Serialize::serialize(&sort_keys(output), &mut serializer);
    let text = String::from_utf8_lossy(&buf).replace("%CLIENT_RELEASE_LABEL%", release);
    Ok(text + "\n")
}

/// Every string value of a mapping: `](/` made absolute, shortcodes written as Markdown.
fn edit_texts(value: &mut Value, base_url: &str) {
    edit_texts_with(value, &format!("]({base_url}/"));
}

/// [`edit_texts`], with the link start made once (`](/v1.19/`).
fn edit_texts_with(value: &mut Value, link_start: &str) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                match v {
                    Value::String(s) => {
                        *s = markdown_of_shortcodes(&s.replace("](/", link_start));
                    }
                    other => edit_texts_with(other, link_start),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| edit_texts_with(i, link_start)),
        _ => {}
    }
}

/// The text with `added-in`, `changed-in` and the boxes written as the Markdown upstream's
/// script writes for them; other shortcodes stay as written.
pub fn markdown_of_shortcodes(text: &str) -> String {
    if !text.contains("{{") {
        return text.to_string();
    }
    let Ok(segments) = shortcode::parse(text) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    write_segments(&segments, &mut out);
    out
}

fn write_segments(segments: &[Segment], out: &mut String) {
    for segment in segments {
        match segment {
            Segment::Text(t, _) => out.push_str(t),
            Segment::Call(call) => {
                let v = call.params.get("v").map(String::as_str).unwrap_or("");
                match call.name.as_str() {
                    "added-in" => out.push_str(&format!("**[Added in `v{v}`]** ")),
                    "changed-in" => out.push_str(&format!("**[Changed in `v{v}`]** ")),
                    "boxes/note" => out.push_str("**NOTE:** "),
                    "boxes/rationale" => out.push_str("**RATIONALE:** "),
                    "boxes/warning" => out.push_str("**WARNING:** "),
                    _ => {}
                }
                if let Some(body) = &call.body {
                    write_segments(body, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_markdown() {
        assert_eq!(
            markdown_of_shortcodes("{{% added-in v=\"1.18\" %}} If blocked."),
            "**[Added in `v1.18`]**  If blocked."
        );
        assert_eq!(
            markdown_of_shortcodes("{{% boxes/note %}}\nSee.\n{{% /boxes/note %}}"),
            "**NOTE:** \nSee.\n"
        );
        assert_eq!(markdown_of_shortcodes("no shortcode"), "no shortcode");
    }
}
