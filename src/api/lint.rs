//! The structure of API documents, as OpenAPI 3.1 defines it (what Redocly lint and
//! upstream's `check-openapi-sources.py` check): each object's required fields, the types
//! of its fields and no key the specification does not define (extensions `x-*` aside);
//! `operationId` unique in a spec; every `{name}` of a path declared as a path parameter,
//! and every path parameter used in its path and required.
//!
//! The object model is the table of [`super::objects`]. The schemas inside are left to the
//! JSON Schema checks.

use std::collections::HashMap;

use super::objects::{Kind, OBJECTS};
use super::{operations, parameters, ApiDoc};
use crate::diagnostics::{Code, Diagnostic};
use crate::schema::{refs, Registry};
use crate::source::{Node, Pos, Value};

use Kind::*;

/// The places a parameter may be.
const PARAMETER_PLACES: &[&str] = &["query", "header", "path", "cookie"];

struct Lint<'a> {
    registry: &'a Registry,
    out: Vec<Diagnostic>,
}

impl Lint<'_> {
    fn report(&mut self, code: Code, pos: Pos, message: String) {
        self.out.push(Diagnostic::error(
            code,
            self.registry.sources(),
            pos,
            message,
        ));
    }

    fn object(&mut self, name: &str, node: &Node, key_pos: Pos) {
        let Some(object) = OBJECTS.iter().find(|o| o.name == name) else {
            return;
        };
        let Some(entries) = node.as_map() else {
            let message = format!("a {name} Object must be a mapping");
            self.report(Code::ApiStructure, node.pos, message);
            return;
        };
        if object.referable && node.get("$ref").is_some() {
            // A Reference Object: its target is checked where it is written.
            for e in entries {
                if !["$ref", "summary", "description"].contains(&e.key.as_str()) {
                    let message = format!("a Reference Object (`$ref`) in place of a {name} Object takes only `summary` and `description` beside it, not `{}`", e.key);
                    self.report(Code::ApiUnknownKey, e.key_pos, message);
                }
            }
            return;
        }
        for required in object.required {
            if node.get(required).is_none() {
                let message =
                    format!("this {name} Object has no `{required}`, which OpenAPI 3.1 requires");
                self.report(Code::ApiStructure, key_pos, message);
            }
        }
        for e in entries {
            match name {
                // (A callback's keys are runtime expressions.)
                "Callback" => {}
                _ if e.key.starts_with("x-") => {}
                _ => match object.fields.iter().find(|(f, _)| *f == e.key) {
                    Some((_, kind)) => self.field(*kind, &e.value, e.key_pos, &e.key),
                    None => {
                        let names = object.fields.iter().map(|(f, _)| *f);
                        let hint = crate::suggest::hint(&e.key, names);
                        let message = format!("`{}` is not a field of the {name} Object in OpenAPI 3.1 (extensions start with `x-`){hint}", e.key);
                        self.report(Code::ApiUnknownKey, e.key_pos, message);
                    }
                },
            }
        }
        match name {
            "Parameter" => self.parameter(node, key_pos),
            "OpenAPI" => {
                let version = node.get("openapi").and_then(Node::as_str).unwrap_or("");
                if node.get("openapi").is_some() && !version.starts_with("3.1.") {
                    let at = node.get("openapi").map_or(key_pos, |n| n.pos);
                    let message = format!("`openapi: {version}`: mxspec reads OpenAPI 3.1 documents (`openapi: 3.1.0`)");
                    self.report(Code::ApiStructure, at, message);
                }
                if ["paths", "components", "webhooks"]
                    .iter()
                    .all(|k| node.get(k).is_none())
                {
                    let message =
                        "an OpenAPI document needs `paths`, `components` or `webhooks`".to_string();
                    self.report(Code::ApiStructure, key_pos, message);
                }
            }
            _ => {}
        }
    }

    fn field(&mut self, kind: Kind, value: &Node, key_pos: Pos, key: &str) {
        let wrong = |what: &str| format!("`{key}` must be {what}");
        match kind {
            Str if value.as_str().is_none() => {
                self.report(Code::ApiStructure, value.pos, wrong("a string"))
            }
            Bool if !matches!(value.value, Value::Bool(_)) => {
                self.report(Code::ApiStructure, value.pos, wrong("true or false"))
            }
            Strings
                if value
                    .as_seq()
                    .is_none_or(|s| s.iter().any(|i| i.as_str().is_none())) =>
            {
                self.report(Code::ApiStructure, value.pos, wrong("a list of strings"))
            }
            Obj(name) => self.object(name, value, key_pos),
            Map(name) => self.map(value, name, &wrong, false, |_| None),
            Paths => self.map(value, "Path Item", &wrong, true, path_problem),
            Responses => self.map(value, "Response", &wrong, true, status_problem),
            _ => {}
        }
    }

    /// A map of keys to objects named `name`; with `extensions`, `x-` keys are
    /// extensions (Paths and Responses are objects of patterned fields), and
    /// `bad_key` says what is wrong with any other key, if anything.
    fn map(
        &mut self,
        value: &Node,
        name: &str,
        wrong: &dyn Fn(&str) -> String,
        extensions: bool,
        bad_key: fn(&str) -> Option<String>,
    ) {
        let Some(entries) = value.as_map() else {
            return self.report(Code::ApiStructure, value.pos, wrong("a mapping"));
        };
        for e in entries {
            if extensions && e.key.starts_with("x-") {
                continue;
            }
            if let Some(message) = bad_key(&e.key) {
                self.report(Code::ApiStructure, e.key_pos, message);
            }
            self.object(name, &e.value, e.key_pos);
        }
    }

    fn parameter(&mut self, node: &Node, key_pos: Pos) {
        let place = node.get("in");
        if let Some(p) = place.and_then(Node::as_str) {
            if !PARAMETER_PLACES.contains(&p) {
                let hint = crate::suggest::hint(p, PARAMETER_PLACES.iter().copied());
                let message = format!(
                    "`in: {p}`: a parameter is in one of {}{hint}",
                    PARAMETER_PLACES.join(", ")
                );
                self.report(
                    Code::ApiStructure,
                    place.map_or(key_pos, |n| n.pos),
                    message,
                );
            }
        }
        let is_path = place.and_then(Node::as_str) == Some("path");
        let required = matches!(
            node.get("required").map(|r| &r.value),
            Some(Value::Bool(true))
        );
        if is_path && !required {
            let message = "a path parameter must say `required: true`".to_string();
            self.report(Code::ApiPathParameter, key_pos, message);
        }
        if node.get("schema").is_some() == node.get("content").is_some() {
            let message =
                "a parameter has either `schema` or `content`, exactly one of them".to_string();
            self.report(Code::ApiStructure, key_pos, message);
        }
    }
}

/// Checks the structure of every API document; `operationId`s are compared within a spec.
pub fn check(registry: &Registry, docs: &[ApiDoc]) -> Vec<Diagnostic> {
    let mut lint = Lint {
        registry,
        out: Vec::new(),
    };
    let mut operation_ids: HashMap<(&str, &str), (&str, Pos)> = HashMap::new();
    for api in docs {
        let node = &api.doc.node;
        lint.object("OpenAPI", node, node.pos);
        for op in operations(node) {
            let id = op.node.get("operationId");
            if let Some((id, at)) = id.and_then(|n| Some((n.as_str()?, n.pos))) {
                let rel = api.doc.rel.as_str();
                if let Some((first, first_at)) = operation_ids.insert((api.spec, id), (rel, at)) {
                    let message = format!(
                        "operationId `{id}` is used twice in the {} API: first at {first}:{}",
                        api.spec, first_at.line
                    );
                    lint.report(Code::ApiOperationId, at, message);
                    operation_ids.insert((api.spec, id), (first, first_at));
                }
            }
            path_parameters(&mut lint, api, &op);
        }
    }
    lint.out
}

/// What is wrong with a key of the Paths Object, if anything.
fn path_problem(path: &str) -> Option<String> {
    (!path.starts_with('/')).then(|| format!("the path `{path}` must start with `/`"))
}

/// What is wrong with a key of a Responses Object, if anything.
fn status_problem(status: &str) -> Option<String> {
    (!is_status(status))
        .then(|| format!("`{status}` is not a response status (`200`, `4XX` or `default`)"))
}

fn is_status(key: &str) -> bool {
    key == "default"
        || (key.len() == 3
            && key.starts_with(['1', '2', '3', '4', '5'])
            && (key[1..].bytes().all(|b| b.is_ascii_digit()) || &key[1..] == "XX"))
}

/// Every `{name}` of the path declared as a path parameter, and every path parameter used.
fn path_parameters(lint: &mut Lint, api: &ApiDoc, op: &super::Operation) {
    let declared: Vec<(String, Pos)> = parameters(op)
        .into_iter()
        .filter_map(|p| {
            // A parameter kept elsewhere: read it there.
            let p = match p.get("$ref").and_then(Node::as_str) {
                Some(r) => {
                    let target = refs::resolve(lint.registry, &api.doc.rel, r).ok()?;
                    refs::target_node(lint.registry, &target)?
                }
                None => p,
            };
            (p.get("in")?.as_str()? == "path").then_some(())?;
            let name = p.get("name")?;
            Some((name.as_str()?.to_string(), name.pos))
        })
        .collect();
    let used: Vec<&str> = op
        .path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .collect();
    let path_pos = op.path_pos;
    for name in &used {
        if !declared.iter().any(|(d, _)| d == name) {
            let message = format!("`{{{name}}}` of `{} {}` is not declared: no parameter has `in: path` and `name: {name}`", op.method.to_uppercase(), op.path);
            lint.report(Code::ApiPathParameter, path_pos, message);
        }
    }
    for (name, at) in &declared {
        if !used.contains(&name.as_str()) {
            let hint = crate::suggest::hint(name, used.iter().copied());
            let message = format!(
                "path parameter `{name}` is not in the path `{}`{hint}",
                op.path
            );
            lint.report(Code::ApiPathParameter, *at, message);
        }
    }
}
