//! Keywords mxspec gives meaning to: `pattern` and `patternProperties` (they must
//! compile), `format`, `x-pattern-format`, `x-addedInMatrixVersion` and
//! `x-changedInMatrixVersion`.
//!
//! A `format` must be a JSON Schema format or a key of `data/string-formats.yaml` (on a
//! numeric type, OpenAPI's `int32`/`int64`/`float`/`double` are accepted too); an
//! `x-pattern-format` must be a key of the table. Versions are strings like `"1.19"`.

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::schema::{each_schema, Document, Registry, StringFormats, STRING_FORMATS};
use crate::source::{Node, Value};
use crate::version::{is_version, ADDED, CHANGED, ENUM_ADDED};

/// The formats JSON Schema draft 2020-12 defines.
pub const JSON_SCHEMA_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// OpenAPI's formats of numeric types.
pub const NUMERIC_FORMATS: &[&str] = &["int32", "int64", "float", "double"];

fn missing_hint(formats: &StringFormats) -> &'static str {
    if formats.present() {
        ""
    } else {
        " (there is no data/string-formats.yaml)"
    }
}

/// Checks the annotations of every schema object of a document.
pub fn check(doc: &Document, formats: &StringFormats, registry: &Registry) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    each_schema(&doc.node, &mut |schema, _| {
        check_schema(schema, formats, registry, &mut out)
    });
    out
}

fn check_schema(
    schema: &Node,
    formats: &StringFormats,
    registry: &Registry,
    out: &mut Vec<Diagnostic>,
) {
    let sources = registry.sources();
    // Patterns compile as the validator compiles them, whether or not an example uses
    // them, and are reported where they are written.
    let patterns = schema
        .get("pattern")
        .and_then(|p| Some((p.as_str()?, p.pos)))
        .into_iter()
        .chain(
            schema
                .get("patternProperties")
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .map(|e| (e.key.as_str(), e.key_pos)),
        );
    for (pattern, pos) in patterns {
        if let Some(problem) = super::validate::pattern_problem(pattern) {
            out.push(Diagnostic::error(
                Code::SchemaCompile,
                sources,
                pos,
                format!("this pattern cannot be compiled: {problem}"),
            ));
        }
    }
    if let Some(format) = schema.get("format") {
        if let Some(name) = format.as_str() {
            let numeric = is_numeric(schema) && NUMERIC_FORMATS.contains(&name);
            if !numeric && !JSON_SCHEMA_FORMATS.contains(&name) && !formats.contains(name) {
                let hint = crate::suggest::hint(
                    name,
                    JSON_SCHEMA_FORMATS.iter().copied().chain(formats.names()),
                );
                out.push(Diagnostic::error(
                    Code::UnknownFormat,
                    sources,
                    format.pos,
                    format!(
                        "unknown format `{name}`: not a JSON Schema format nor a key of {STRING_FORMATS}{}{hint}",
                        missing_hint(formats)
                    ),
                ));
            }
        }
    }
    if let Some(format) = schema.get("x-pattern-format") {
        let name = format.as_str().unwrap_or("");
        if !formats.contains(name) {
            let hint = crate::suggest::hint(name, formats.names());
            out.push(Diagnostic::error(
                Code::UnknownFormat,
                sources,
                format.pos,
                format!(
                    "unknown x-pattern-format `{name}`: not a key of {STRING_FORMATS}{}{hint}",
                    missing_hint(formats)
                ),
            ));
        }
    }
    if let Some(added) = schema.get(ADDED) {
        if let Some(message) = version_problem(added) {
            out.push(Diagnostic::error(
                Code::BadVersion,
                sources,
                added.pos,
                format!("x-addedInMatrixVersion {message}"),
            ));
        }
    }
    if let Some(added) = schema.get(ENUM_ADDED) {
        check_enum_added(schema, added, registry, out);
    }
    if let Some(changed) = schema.get(CHANGED) {
        match changed.as_map() {
            Some(entries) => {
                for e in entries {
                    if !is_version(&e.key) {
                        out.push(Diagnostic::error(
                            Code::BadVersion,
                            sources,
                            e.key_pos,
                            format!("x-changedInMatrixVersion key `{}` is not a version like \"1.19\"", e.key),
                        ));
                    } else if !matches!(sources.char_at(e.key_pos), Some('"' | '\'')) {
                        // As a number, `1.10` is `1.1`: that one is wrong for every YAML
                        // tool; `1.18` only risks it.
                        let lossy = e.key.ends_with('0');
                        let (severity, code, risk) = if lossy {
                            (Severity::Error, Code::BadVersion, format!("YAML tools read an unquoted {} as the number {}", e.key, e.key.trim_end_matches('0')))
                        } else {
                            (Severity::Warning, Code::UnquotedVersion, format!("YAML tools read an unquoted {} as a number (and 1.10 as 1.1)", e.key))
                        };
                        out.push(Diagnostic::at(
                            severity,
                            code,
                            sources,
                            e.key_pos,
                            format!("quote the version key: write \"{}\"; {risk}", e.key),
                        ));
                    }
                    if e.value.as_str().is_none() {
                        out.push(Diagnostic::error(
                            Code::BadVersion,
                            sources,
                            e.value.pos,
                            "x-changedInMatrixVersion: each version maps to a text saying what changed",
                        ));
                    }
                }
            }
            None => out.push(Diagnostic::error(
                Code::BadVersion,
                sources,
                changed.pos,
                "x-changedInMatrixVersion must be a map of version to text, like {\"1.19\": \"...\"}",
            )),
        }
    }
}

/// `x-enumAddedInMatrixVersion`: a map from values of the schema's `enum` to versions.
fn check_enum_added(schema: &Node, added: &Node, registry: &Registry, out: &mut Vec<Diagnostic>) {
    let key = ENUM_ADDED;
    let sources = registry.sources();
    let Some(entries) = added.as_map() else {
        let msg = format!("{key} must be a map of enum value to version, like {{m.x: \"1.19\"}}");
        out.push(Diagnostic::error(Code::BadVersion, sources, added.pos, msg));
        return;
    };
    let values: Vec<String> = schema
        .get("enum")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|v| {
            v.as_str()
                .map_or_else(|| v.to_json().to_string(), str::to_string)
        })
        .collect();
    for e in entries {
        if !values.contains(&e.key) {
            let msg = format!(
                "{key} names `{}`, which is not a value of this schema's enum",
                e.key
            );
            out.push(Diagnostic::error(Code::BadVersion, sources, e.key_pos, msg));
        }
        if let Some(problem) = version_problem(&e.value) {
            out.push(Diagnostic::error(
                Code::BadVersion,
                sources,
                e.value.pos,
                format!("{key}: `{}` {problem}", e.key),
            ));
        }
    }
}

fn version_problem(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) if is_version(s) => None,
        Value::String(s) => Some(format!("`{s}` is not a version like \"1.19\"")),
        Value::Number(_) => Some(
            "must be a quoted string like \"1.19\": unquoted, YAML reads a version as a number (1.10 becomes 1.1)"
                .to_string(),
        ),
        _ => Some("must be a version string like \"1.19\"".to_string()),
    }
}

fn is_numeric(schema: &Node) -> bool {
    match schema.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => t == "integer" || t == "number",
        Some(Value::Seq(types)) => types
            .iter()
            .any(|t| matches!(t.as_str(), Some("integer" | "number"))),
        _ => false,
    }
}
