//! Object tables ("additional types"): the object itself first, then every nested object
//! that has properties, depth first, each once, as upstream's templates collect them.

use serde::Serialize;

use super::describe::{description_html, has_properties, table_anchor, type_html, Versions};
use crate::schema::StringFormats;
use crate::source::{Node, Value};

/// One object table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Table {
    /// Its id (`<anchor base>_<anchorize title>`), when it has a title and an anchor base.
    pub id: Option<String>,
    /// Its caption: the object's title.
    pub caption: Option<String>,
    /// Rows, one per property, sorted by name.
    pub rows: Vec<Row>,
    /// `Type` and `Description` of an object that has no properties of its own (a map).
    pub summary: Option<Row>,
}

/// One row of an object table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    /// The property name (escaped by the template).
    pub name: String,
    /// Type column HTML.
    pub type_html: String,
    /// Description column HTML.
    pub description_html: String,
}

/// Builds the tables of `schema` (the content object of an event, or a definition).
pub fn tables(
    schema: &Node,
    anchor_base: Option<&str>,
    formats: &StringFormats,
    versions: &Versions,
) -> Vec<Table> {
    let mut objects: Vec<&Node> = Vec::new();
    collect(schema, true, &mut objects);
    let mut seen: Vec<serde_json::Value> = Vec::new();
    let mut out = Vec::new();
    for object in objects {
        let key = cleaned(object);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(table(object, anchor_base, formats, versions));
    }
    out
}

/// The fields that make two tables the same table.
fn cleaned(object: &Node) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for key in [
        "title",
        "properties",
        "additionalProperties",
        "patternProperties",
        "required",
        "enum",
    ] {
        if let Some(v) = object.get(key) {
            map.insert(key.to_string(), v.to_json());
        }
    }
    serde_json::Value::Object(map)
}

/// Whether `schema` says `type: name` (a single type).
pub fn is_type(schema: &Node, name: &str) -> bool {
    match schema.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => t == name,
        _ => false,
    }
}

fn sorted_entries(node: Option<&Node>) -> Vec<&crate::source::Entry> {
    let mut entries: Vec<_> = node
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .collect();
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    entries
}

fn collect<'n>(schema: &'n Node, top_level: bool, out: &mut Vec<&'n Node>) {
    if is_type(schema, "object") {
        if has_properties(schema) || top_level {
            out.push(schema);
        }
        if let Some(extra) = schema
            .get("additionalProperties")
            .filter(|n| n.as_map().is_some())
        {
            collect(extra, false, out);
        }
        for e in sorted_entries(schema.get("patternProperties")) {
            collect(&e.value, false, out);
        }
        for e in sorted_entries(schema.get("properties")) {
            collect(&e.value, false, out);
        }
    } else if is_type(schema, "array") {
        if let Some(items) = schema.get("items") {
            match items.get("anyOf").and_then(Node::as_seq) {
                Some(any) => any.iter().for_each(|i| collect(i, false, out)),
                None => collect(items, false, out),
            }
        }
    }
    if let Some(one_of) = schema.get("oneOf").and_then(Node::as_seq) {
        one_of.iter().for_each(|i| collect(i, false, out));
    }
}

/// The one table of `object`, without its nested objects (the parameter tables of an API
/// operation are such tables).
pub fn table(
    object: &Node,
    anchor_base: Option<&str>,
    formats: &StringFormats,
    versions: &Versions,
) -> Table {
    let required: Vec<&str> = object
        .get("required")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let properties = sorted_entries(object.get("properties"));
    let mut rows: Vec<Row> = properties
        .iter()
        .map(|e| Row {
            name: e.key.clone(),
            type_html: type_html(&e.value, anchor_base, formats),
            description_html: description_html(
                &e.value,
                required.contains(&e.key.as_str())
                    || matches!(
                        e.value.get("required").map(|r| &r.value),
                        Some(Value::Bool(true))
                    ),
                versions,
            ),
        })
        .collect();
    let mut summary = None;
    if let Some(extra) = object
        .get("additionalProperties")
        .filter(|n| n.as_map().is_some())
    {
        let row = Row {
            name: "<Other properties>".to_string(),
            type_html: type_html(extra, anchor_base, formats),
            description_html: description_html(extra, false, versions),
        };
        if rows.is_empty() {
            summary = Some(Row {
                name: String::new(),
                type_html: type_html(object, anchor_base, formats),
                description_html: description_html(object, false, versions),
            });
        } else {
            rows.push(row);
        }
    } else if rows.is_empty()
        && (matches!(
            object.get("additionalProperties").map(|a| &a.value),
            Some(Value::Bool(true))
        ) || object
            .get("patternProperties")
            .and_then(Node::as_map)
            .is_some_and(|p| !p.is_empty()))
    {
        // An object of any keys (`additionalProperties: true`) or of patterned ones: its
        // type and description, as upstream's template shows them.
        summary = Some(Row {
            name: String::new(),
            type_html: type_html(object, anchor_base, formats),
            description_html: description_html(object, false, versions),
        });
    }
    Table {
        id: table_anchor(object, anchor_base),
        caption: object
            .get("title")
            .and_then(Node::as_str)
            .map(str::to_string),
        rows,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    #[test]
    fn nested_titled_objects_get_tables_once() {
        let text = "type: object\ntitle: CallEvent\nproperties:\n  answer: {type: object, title: Answer, properties: {sdp: {type: string}}}\n  again: {type: object, title: Answer, properties: {sdp: {type: string}}}\n  sdp_stream_metadata:\n    type: object\n    additionalProperties: {type: object, title: StreamMetadata, properties: {purpose: {type: string}}}\nrequired: [answer]\n";
        let schema = parse(text, Syntax::Yaml, FileId(0)).unwrap();
        let t = tables(
            &schema,
            Some("mcallanswer"),
            &StringFormats::default(),
            &Versions::default(),
        );
        let ids: Vec<_> = t.iter().map(|t| t.id.clone().unwrap_or_default()).collect();
        assert_eq!(
            ids,
            vec![
                "mcallanswer_callevent",
                "mcallanswer_answer",
                "mcallanswer_streammetadata"
            ]
        );
        let answer = t[0].rows.iter().find(|r| r.name == "answer").unwrap();
        assert_eq!(
            answer.type_html,
            "<a href=\"#mcallanswer_answer\">Answer</a>"
        );
        assert!(answer
            .description_html
            .starts_with("<p><strong>Required: </strong>"));
    }
}
