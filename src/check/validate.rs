//! Validation with the `jsonschema` crate: one in-memory registry of the root's schema
//! documents, no retrieval, each schema compiled once. Patterns go through fancy-regex,
//! which hands every pattern without lookaround or backreferences to the linear-time
//! `regex` engine and bounds the backtracking of the others ([`MAX_BACKTRACK`] steps), so
//! every ECMA-262 pattern the spec may write compiles and none can run away.
//!
//! Documents are registered under `file:///<root-relative path>`, so relative `$ref`s
//! resolve between them exactly as on disk; nothing outside the registry can be reached.

use std::collections::{BTreeSet, HashMap};

use jsonschema::{Draft, PatternOptions, Validator};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::diagnostics::{Code, Diagnostic};
use crate::schema::{DocKind, Registry};
use crate::source::{escape_token, pointer_tokens, Node};

/// At most this many backtracking steps for one match of a pattern that needs them.
pub const MAX_BACKTRACK: usize = 1_000_000;

/// How patterns are compiled, for validation and for checking schemas.
pub fn pattern_options() -> PatternOptions<jsonschema::FancyRegex> {
    PatternOptions::fancy_regex().backtrack_limit(MAX_BACKTRACK)
}

/// Why `pattern` cannot be compiled, if it cannot.
pub fn pattern_problem(pattern: &str) -> Option<String> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .with_pattern_options(pattern_options())
        .offline()
        .build(&serde_json::json!({ "pattern": pattern }))
        .err()
        .map(|e| e.to_string())
}

/// Characters escaped in a document's URI path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'^')
    .add(b'[')
    .add(b']')
    .add(b'|')
    .add(b'\\');

/// The URI a root-relative document path is registered under.
pub fn doc_uri(rel: &str) -> String {
    format!("file:///{}", utf8_percent_encode(rel, PATH))
}

/// The root-relative path and fragment of a registered URI (`data/x.yaml#/a/b`).
fn uri_to_rel(uri: &str) -> String {
    let rest = uri.strip_prefix("file:///").unwrap_or(uri);
    percent_decode_str(rest).decode_utf8_lossy().into_owned()
}

/// Registers every usable schema document (those not in `unusable`), once for a run.
pub fn prepare(
    registry: &Registry,
    unusable: &BTreeSet<String>,
) -> Result<jsonschema::Registry<'static>, String> {
    // API documents too: the schemas written in them are compiled at their pointers.
    let resources = registry
        .docs()
        .filter(|d| matches!(d.kind, DocKind::Schema | DocKind::OpenApi))
        .filter(|d| !unusable.contains(&d.rel))
        .map(|d| (doc_uri(&d.rel), d.node.to_json()));
    jsonschema::Registry::new()
        .draft(Draft::Draft202012)
        .extend(resources)
        .and_then(|b| b.prepare())
        .map_err(|e| e.to_string())
}

/// The schemas compiled so far by one worker, over a prepared registry.
pub struct Validators<'r> {
    registry: &'r jsonschema::Registry<'static>,
    compiled: HashMap<String, Result<Validator, String>>,
}

impl<'r> Validators<'r> {
    /// No schema compiled yet.
    pub fn new(registry: &'r jsonschema::Registry<'static>) -> Self {
        Validators {
            registry,
            compiled: HashMap::new(),
        }
    }

    /// The validator of the schema at `rel` and JSON-pointer `tokens`, compiled on first use.
    pub fn get(&mut self, rel: &str, tokens: &[String]) -> Result<&Validator, String> {
        let mut uri = doc_uri(rel);
        if !tokens.is_empty() {
            uri.push('#');
            for t in tokens {
                uri.push('/');
                uri.push_str(&utf8_percent_encode(&escape_token(t), PATH).to_string());
            }
        }
        if !self.compiled.contains_key(&uri) {
            let wrapper = serde_json::json!({ "$ref": uri });
            let built = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(self.registry)
                .with_pattern_options(pattern_options())
                .offline()
                .build(&wrapper)
                .map_err(|e| e.to_string());
            self.compiled.insert(uri.clone(), built);
        }
        self.compiled[&uri].as_ref().map_err(Clone::clone)
    }
}

/// Validates `instance` (a tree with positions) against `validator`; every error becomes a
/// diagnostic at the offending value.
pub fn validate_node(
    validator: &Validator,
    instance: &Node,
    code: Code,
    what: &str,
    registry: &Registry,
) -> Vec<Diagnostic> {
    let json = instance.to_json();
    validator
        .iter_errors(&json)
        .map(|err| {
            let instance_path = err.instance_path().as_str().to_string();
            let tokens = pointer_tokens(&instance_path);
            let pos = instance.locate(&tokens);
            let schema_path = match err.absolute_keyword_location() {
                Some(uri) => uri_to_rel(uri.as_str()),
                None => err.schema_path().as_str().to_string(),
            };
            let message = format!(
                "{what}: {}",
                shorten(&err.masked().to_string(), &err, &tokens)
            );
            Diagnostic::error(code, registry.sources(), pos, message)
                .with_paths(instance_path, schema_path)
        })
        .collect()
}

/// The validator's message: enums list every allowed value; long instances are masked.
fn shorten(masked: &str, err: &jsonschema::ValidationError, tokens: &[String]) -> String {
    let full = err.to_string();
    let text = match err.kind() {
        jsonschema::error::ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = match options.as_ref() {
                serde_json::Value::Array(items) => items.iter().map(|v| v.to_string()).collect(),
                other => vec![other.to_string()],
            };
            let hint = match err.instance().as_str() {
                Some(value) => crate::suggest::hint(
                    value,
                    options
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(serde_json::Value::as_str),
                ),
                None => String::new(),
            };
            format!(
                "{} is not one of [{}]{hint}",
                compact(err.instance()),
                allowed.join(", ")
            )
        }
        _ if full.chars().count() <= 160 => full,
        _ => masked.to_string(),
    };
    match tokens.last() {
        Some(last) if !text.contains(last.as_str()) => format!("{text} (in `{last}`)"),
        _ => text,
    }
}

/// A value as short JSON text (long values are cut).
fn compact(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}
