//! Validation with the `jsonschema` crate: one in-memory registry of the root's schema
//! documents, no retrieval, each schema compiled once. Patterns go through fancy-regex,
//! which hands every pattern without lookaround or backreferences to the linear-time
//! `regex` engine and bounds the backtracking of the others ([`MAX_BACKTRACK`] steps), so
//! every ECMA-262 pattern the spec may write compiles and none can run away.
//!
//! Documents are registered under `file:///<root-relative path>`, so relative `$ref`s
//! resolve between them exactly as on disk; nothing outside the registry can be reached.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use jsonschema::{Draft, PatternOptions, Validator};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use super::split;
use crate::diagnostics::{Code, Diagnostic};
use crate::schema::{DocKind, Registry};
use crate::source::{escape_token, pointer_tokens, Node};

/// At most this many backtracking steps for one match of a pattern that needs them.
pub const MAX_BACKTRACK: usize = 1_000_000;

/// How patterns are compiled, for validation and for checking schemas.
pub fn pattern_options() -> PatternOptions<jsonschema::FancyRegex> {
    PatternOptions::fancy_regex().backtrack_limit(MAX_BACKTRACK)
}

/// At most this many patterns' verdicts are remembered by a process.
const MAX_REMEMBERED_PATTERNS: usize = 4096;

/// Why `pattern` cannot be compiled, if it cannot. Specs repeat their patterns (`^!`,
/// `^@`), so each verdict is remembered.
pub fn pattern_problem(pattern: &str) -> Option<String> {
    type Verdicts = std::sync::Mutex<HashMap<String, Option<String>>>;
    static VERDICTS: std::sync::OnceLock<Verdicts> = std::sync::OnceLock::new();
    let verdicts = VERDICTS.get_or_init(Default::default);
    if let Some(known) = verdicts.lock().ok().and_then(|v| v.get(pattern).cloned()) {
        return known;
    }
    let verdict = compile_pattern(pattern);
    if let Ok(mut v) = verdicts.lock() {
        if v.len() < MAX_REMEMBERED_PATTERNS {
            v.insert(pattern.to_string(), verdict.clone());
        }
    }
    verdict
}

fn compile_pattern(pattern: &str) -> Option<String> {
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

/// The root-relative path and fragment of a registered URI (`data/x.yaml#/a/b`); the
/// own part of a split document is the document.
fn uri_to_rel(uri: &str) -> String {
    let rest = uri.strip_prefix("file:///").unwrap_or(uri);
    let joined;
    let rest = match rest.split_once(split::OWN_QUERY) {
        Some((doc, fragment)) => {
            joined = format!("{doc}{fragment}");
            joined.as_str()
        }
        None => rest,
    };
    percent_decode_str(rest).decode_utf8_lossy().into_owned()
}

/// The documents registered for validation, and the references of those split (see
/// [`super::split`]), by root-relative path.
pub struct Prepared {
    registry: jsonschema::Registry<'static>,
    split: HashMap<String, Split>,
    /// The documents registered.
    registered: HashSet<String>,
}

/// A split document: what its root `allOf` refers to, and its own part's JSON when that
/// part refers to nothing (it is then compiled from its JSON, without the registry, and
/// not registered).
struct Split {
    targets: Vec<crate::schema::RefTarget>,
    own: Option<serde_json::Value>,
}

/// Whether a key of `keys` is written anywhere in `json` (a property named so counts too:
/// this errs towards the registry).
fn json_has_key(json: &serde_json::Value, keys: &[&str]) -> bool {
    match json {
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(k, v)| keys.contains(&k.as_str()) || json_has_key(v, keys)),
        serde_json::Value::Array(items) => items.iter().any(|v| json_has_key(v, keys)),
        _ => false,
    }
}

/// The query of the base URI an API document's schema is compiled under when the document
/// is not registered: its relative references resolve as the document's own, and the
/// locations of its errors are told from those of the documents it refers to.
const AT_QUERY: &str = "?at";

/// Registers every usable schema document (those not in `unusable`), once for a run, and
/// the own part of each that is split. An API document is registered only when a `$ref`
/// leads into it (`referred`) or it holds a `$dynamicRef`: the schemas written in the others
/// are compiled from their own JSON
/// (see [`Validators`]), so the registry, which each compile with references copies the
/// index of, stays small.
pub fn prepare(
    registry: &Registry,
    unusable: &BTreeSet<String>,
    referred: &BTreeSet<String>,
) -> Result<Prepared, String> {
    let docs: Vec<&crate::schema::Document> = registry
        .docs()
        .filter(|d| match d.kind {
            DocKind::Schema => true,
            // (A `$dynamicRef` is no edge of the reference graph: a document that holds
            // one is registered, so that it resolves as written.)
            DocKind::OpenApi => referred.contains(&d.rel) || d.node.has_key_below(&["$dynamicRef"]),
            _ => false,
        })
        .filter(|d| !unusable.contains(&d.rel))
        .collect();
    let jsons = crate::pool::map(&docs, |_, d| match d.kind {
        // What no validator reads (descriptions, examples) is left out.
        DocKind::OpenApi => (openapi_json(&d.node), None),
        _ => {
            let json = validation_json(&d.node, true);
            let own = split::own_part(registry, &d.rel, &d.node, &json);
            (json, own)
        }
    });
    let mut resources = Vec::with_capacity(docs.len());
    let mut split = HashMap::new();
    for (d, (json, own)) in docs.iter().zip(jsons) {
        let uri = doc_uri(&d.rel);
        if let Some((own, targets)) = own {
            let own = if json_has_key(&own, &["$ref", "$dynamicRef"]) {
                resources.push((format!("{uri}{}", split::OWN_QUERY), own));
                None
            } else {
                Some(own)
            };
            split.insert(d.rel.clone(), Split { targets, own });
        }
        resources.push((uri, json));
    }
    let registered = docs.iter().map(|d| d.rel.clone()).collect();
    let registry = jsonschema::Registry::new()
        .draft(Draft::Draft202012)
        .extend(resources)
        .and_then(|b| b.prepare())
        .map_err(|e| e.to_string())?;
    Ok(Prepared {
        registry,
        split,
        registered,
    })
}

/// The schemas compiled so far, over a prepared registry, shared by the workers.
///
/// A schema is compiled once, by the first worker that needs it (another that needs it
/// meanwhile waits for it), under a key that says what it is, so that equal
/// schemas share one validator: a schema with no `$ref` below it is keyed (and compiled)
/// by its own JSON, so the many `{type: string}` of parameters compile once; a schema
/// that is only a `$ref` is keyed by what it points to, so every response that names
/// `definitions/errors/error.yaml` shares one; any other by its URI. A split document
/// is the validators of its parts.
pub struct Validators<'r> {
    prepared: &'r Prepared,
    documents: &'r Registry,
    compiled: std::sync::Mutex<HashMap<String, Arc<OnceLock<Built>>>>,
    /// The parts of each schema asked for so far, by document and pointer tokens.
    places: std::sync::Mutex<HashMap<Place, Arc<[Part]>>>,
}

/// A schema's place: its document and the pointer tokens inside it.
type Place = (String, Vec<String>);

/// A compiled schema, or why it does not compile.
type Built = Result<Validator, String>;

/// At most this many documents deep are split documents followed into their parts.
const MAX_SPLIT_DEPTH: usize = 32;

impl<'r> Validators<'r> {
    /// No schema compiled yet.
    pub fn new(prepared: &'r Prepared, documents: &'r Registry) -> Self {
        Validators {
            prepared,
            documents,
            compiled: Default::default(),
            places: Default::default(),
        }
    }

    /// The validators of the schema at `rel` and JSON-pointer `tokens`, compiled on first
    /// use, and where that schema is (for the schema paths of its errors).
    pub fn get(&self, rel: &str, tokens: &[String]) -> Result<Compiled, String> {
        let place = (rel.to_string(), tokens.to_vec());
        if let Some(parts) = self.places.lock().ok().and_then(|p| p.get(&place).cloned()) {
            return Ok(Compiled { parts });
        }
        let mut parts = Vec::new();
        self.collect(rel, tokens, &mut parts, &mut HashSet::new(), 0)?;
        let parts: Arc<[Part]> = parts.into();
        if let Ok(mut places) = self.places.lock() {
            places.insert(place, parts.clone());
        }
        Ok(Compiled { parts })
    }

    /// Adds the parts of the schema at `rel`/`tokens` to `parts`, but none twice (a
    /// document two parts refer to, as `room_event.yaml` is).
    fn collect(
        &self,
        rel: &str,
        tokens: &[String],
        parts: &mut Vec<Part>,
        keys: &mut HashSet<String>,
        depth: usize,
    ) -> Result<(), String> {
        let node = self
            .documents
            .get(rel)
            .and_then(|d| d.node.at_tokens(tokens));
        // A split document, or a lone `$ref` to one: its parts.
        let root = match (tokens.is_empty(), node.and_then(crate::schema::lone_ref)) {
            (true, _) => Some(rel.to_string()),
            (false, Some(r)) => crate::schema::resolve(self.documents, rel, r)
                .ok()
                .filter(|t| t.tokens.is_empty())
                .map(|t| t.rel),
            _ => None,
        };
        if let Some((doc, split)) = root
            .and_then(|doc| self.prepared.split.get_key_value(&doc))
            .filter(|_| depth < MAX_SPLIT_DEPTH)
        {
            let own = format!("{}{}", doc_uri(doc), split::OWN_QUERY);
            if !keys.insert(own.clone()) {
                return Ok(());
            }
            // Its own keywords first, then what it refers to: the order the errors of
            // the whole came in.
            let (key, source) = match &split.own {
                Some(json) => (format!("json:{json}"), Source::Alone(Cow::Borrowed(json))),
                None => (own.clone(), Source::Registered(own)),
            };
            parts.push(self.compile(key, source, doc.clone())?);
            for target in &split.targets {
                self.collect(&target.rel, &target.tokens, parts, keys, depth + 1)?;
            }
            return Ok(());
        }
        let (key, source) = match node {
            // A schema with no reference needs no registry: it is compiled from its JSON.
            Some(n) if !n.has_key_below(&["$ref", "$dynamicRef"]) => {
                let json = validation_json(n, true);
                (format!("json:{json}"), Source::Alone(Cow::Owned(json)))
            }
            // A schema of a document not registered (an API document no `$ref` leads into),
            // unless it is only a `$ref`: compiled from its JSON, its references resolved
            // from its document's place.
            Some(n)
                if !self.prepared.registered.contains(rel)
                    && crate::schema::lone_ref(n).is_none() =>
            {
                let base = format!("{}{AT_QUERY}", doc_uri(rel));
                let json = validation_json(n, true);
                (uri_of(rel, tokens), Source::Rebased { json, base })
            }
            _ => {
                let uri = self.target_uri(rel, tokens, node);
                (uri.clone(), Source::Registered(uri))
            }
        };
        if !keys.insert(key.clone()) {
            return Ok(());
        }
        parts.push(self.compile(key, source, location_of(rel, tokens))?);
        Ok(())
    }

    /// The validator of `source`, compiled once under `key`.
    fn compile(&self, key: String, source: Source, location: String) -> Result<Part, String> {
        let cell = match self.compiled.lock() {
            Ok(mut compiled) => compiled.entry(key).or_default().clone(),
            Err(_) => Arc::new(OnceLock::new()),
        };
        let registry = &self.prepared.registry;
        let built = cell.get_or_init(|| {
            let options = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_pattern_options(pattern_options())
                .offline();
            let built = match &source {
                // Without the registry, a compile does not copy its index of every document.
                Source::Alone(json) => options.build(json),
                Source::Registered(uri) => options
                    .with_registry(registry)
                    .build(&serde_json::json!({ "$ref": uri })),
                Source::Rebased { json, base } => options
                    .with_registry(registry)
                    .with_base_uri(base.clone())
                    .build(json),
            };
            built.map_err(|e| e.to_string())
        });
        if let Err(e) = built {
            return Err(e.clone());
        }
        let base = match source {
            Source::Rebased { base, .. } => Some(base),
            _ => None,
        };
        Ok(Part {
            cell,
            location,
            base,
        })
    }

    /// The URI of the schema at `rel`/`tokens`, or of what it points to when it is only a
    /// `$ref` that resolves.
    fn target_uri(&self, rel: &str, tokens: &[String], node: Option<&Node>) -> String {
        match node
            .and_then(crate::schema::lone_ref)
            .and_then(|r| crate::schema::resolve(self.documents, rel, r).ok())
        {
            Some(target) => uri_of(&target.rel, &target.tokens),
            None => uri_of(rel, tokens),
        }
    }
}

impl Drop for Validators<'_> {
    /// The compiled schemas are freed on a thread of their own (the parts of each place
    /// hold them too).
    fn drop(&mut self) {
        let compiled = std::mem::take(&mut self.compiled);
        let places = std::mem::take(&mut self.places);
        crate::pool::drop_in_background((compiled, places));
    }
}

/// What a part is compiled from.
enum Source<'j> {
    /// A schema that refers to nothing: its JSON, compiled without the registry.
    Alone(Cow<'j, serde_json::Value>),
    /// A schema of the registry, by its URI.
    Registered(String),
    /// A schema of a document not registered: its JSON, compiled over the registry under
    /// `base` (its document's URI with [`AT_QUERY`]).
    Rebased {
        json: serde_json::Value,
        base: String,
    },
}

/// A compiled schema: the validators of its parts (one, unless it was split).
pub struct Compiled {
    parts: Arc<[Part]>,
}

/// One compiled part of a schema and where it is written (`data/x.yaml#/properties/a`),
/// which the errors of a schema compiled from its own JSON (with no URI of its own) are
/// reported under.
struct Part {
    cell: Arc<OnceLock<Built>>,
    location: String,
    /// The base URI it was compiled under (its document's, with [`AT_QUERY`]), when it was
    /// compiled from its JSON with references.
    base: Option<String>,
}

/// Where a schema is written: its document's root-relative path, with the pointer as
/// fragment (`data/x.yaml#/properties/a`).
fn location_of(rel: &str, tokens: &[String]) -> String {
    format!("{rel}{}", fragment(tokens, |t| t.to_string()))
}

/// The fragment of a pointer (`#/properties/a`, empty for the root), each escaped token
/// written as `write` makes it.
fn fragment(tokens: &[String], write: impl Fn(&str) -> String) -> String {
    let mut fragment = String::new();
    if !tokens.is_empty() {
        fragment.push('#');
        for t in tokens {
            fragment.push('/');
            fragment.push_str(&write(&escape_token(t)));
        }
    }
    fragment
}

/// The URI of a schema: its document's, with the pointer as fragment.
fn uri_of(rel: &str, tokens: &[String]) -> String {
    let encoded = fragment(tokens, |t| utf8_percent_encode(t, PATH).to_string());
    format!("{}{encoded}", doc_uri(rel))
}

/// Keywords that say something to readers but nothing to a validator (the keys of
/// `properties` and the other name maps are names, and stay).
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "default",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The JSON of a schema without its annotations (in schema places only: a property named
/// `description` stays), so that schemas which validate alike compile once.
fn validation_json(node: &Node, is_schema: bool) -> serde_json::Value {
    use crate::schema::INSTANCE_KEYWORDS;
    use crate::schema::NAME_MAP_KEYWORDS;
    match &node.value {
        crate::source::Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                // (`x-*` keys stay: a `$ref` may point into one.)
                .filter(|e| !is_schema || !ANNOTATIONS.contains(&e.key.as_str()))
                .map(|e| {
                    let key = e.key.as_str();
                    let value = if is_schema && INSTANCE_KEYWORDS.contains(&key) {
                        e.value.to_json()
                    } else {
                        let child_is_schema = !(is_schema && NAME_MAP_KEYWORDS.contains(&key));
                        validation_json(&e.value, child_is_schema)
                    };
                    (e.key.clone(), value)
                })
                .collect(),
        ),
        crate::source::Value::Seq(items) => {
            serde_json::Value::Array(items.iter().map(|i| validation_json(i, true)).collect())
        }
        _ => node.to_json(),
    }
}

/// The JSON of an API document as validators need it: every schema in it (without its
/// annotations), and the objects that lead to them, without their texts and examples.
fn openapi_json(node: &Node) -> serde_json::Value {
    match &node.value {
        crate::source::Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                // Texts (a component may be named `description`: its value is no text)
                // and examples, which validators never read.
                .filter(|e| {
                    let text = e.value.as_str().is_some();
                    match e.key.as_str() {
                        "description" | "summary" => !text,
                        "example" | "examples" => false,
                        _ => true,
                    }
                })
                .map(|e| {
                    let value = match e.key.as_str() {
                        "schema" => validation_json(&e.value, true),
                        "schemas" => validation_json(&e.value, false),
                        _ => openapi_json(&e.value),
                    };
                    (e.key.clone(), value)
                })
                .collect(),
        ),
        crate::source::Value::Seq(items) => {
            serde_json::Value::Array(items.iter().map(openapi_json).collect())
        }
        _ => node.to_json(),
    }
}

/// Validates `instance` (a tree with positions) against a compiled schema; every error
/// becomes a diagnostic at the offending value, but those at `holes`: what a base that
/// could not be merged would have given is not judged, at the place it stands (a key
/// the instance wrote itself is its own, with everything below it).
pub fn validate_node(
    compiled: &Compiled,
    instance: &Node,
    holes: &[String],
    code: Code,
    what: &str,
    registry: &Registry,
) -> Vec<Diagnostic> {
    let json = instance.to_json();
    let mut found = Vec::new();
    for part in compiled.parts.iter() {
        let Some(Ok(validator)) = part.cell.get() else {
            continue;
        };
        // Most values are valid: the fast path says so without collecting errors.
        if validator.is_valid(&json) {
            continue;
        }
        let errors = validator.iter_errors(&json).filter(|err| {
            let at = err.instance_path().as_str();
            !holes.iter().any(|hole| at == hole)
        });
        found.extend(errors.map(|err| {
            let instance_path = err.instance_path().as_str().to_string();
            let tokens = pointer_tokens(&instance_path);
            let pos = instance.locate(&tokens);
            let in_part = |pointer: &str| {
                let base = part.location.trim_end_matches('#');
                let hash = if base.contains('#') { "" } else { "#" };
                format!("{base}{hash}{pointer}")
            };
            let schema_path = match err.absolute_keyword_location() {
                // In the part itself, compiled under a base URI of its own: its fragment
                // (percent-encoded, as every URI's) is a pointer inside the part.
                Some(uri) => match part
                    .base
                    .as_deref()
                    .and_then(|b| uri.as_str().strip_prefix(b))
                {
                    Some(fragment) => in_part(
                        &percent_decode_str(fragment.trim_start_matches('#')).decode_utf8_lossy(),
                    ),
                    None => uri_to_rel(uri.as_str()),
                },
                None => in_part(err.schema_path().as_str()),
            };
            let message = format!(
                "{what}: {}",
                shorten(&err.masked().to_string(), &err, &tokens)
            );
            Diagnostic::error(code, registry.sources(), pos, message)
                .with_paths(instance_path, schema_path)
        }));
    }
    found
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, FileId, Syntax};

    /// The documents of these root-relative paths and texts, read without a problem.
    fn documents_of(texts: &[(&str, &str)]) -> Registry {
        let texts = texts
            .iter()
            .map(|(rel, text)| (rel.to_string(), text.to_string()))
            .collect();
        let project = crate::project::Project::from_texts(std::path::Path::new("/r"), texts);
        let (documents, diags) = Registry::new(project);
        assert!(diags.is_empty(), "{diags:?}");
        documents
    }

    #[test]
    fn a_schema_built_on_others_is_validated_part_by_part_each_part_once() {
        let texts = [
            ("data/s/event.yaml", "type: object\nrequired: [type]\n"),
            (
                "data/s/room.yaml",
                "allOf: [{$ref: event.yaml}]\nproperties: {id: {type: string}}\n",
            ),
            (
                "data/s/state.yaml",
                "allOf: [{$ref: room.yaml}, {$ref: event.yaml}]\n",
            ),
            (
                "data/s/m.a.yaml",
                "allOf: [{$ref: state.yaml}]\nproperties: {type: {const: m.a}}\n",
            ),
            (
                "data/s/m.b.yaml",
                "allOf: [{$ref: state.yaml}]\nunevaluatedProperties: false\n",
            ),
        ];
        let documents = documents_of(&texts);
        let prepared = prepare(&documents, &BTreeSet::new(), &BTreeSet::new()).expect("prepared");
        let validators = Validators::new(&prepared, &documents);
        // m.a, state, room and event: event once, though two parts refer to it.
        let parts = validators
            .get("data/s/m.a.yaml", &[])
            .expect("compiles")
            .parts;
        let places: Vec<&str> = parts.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            places,
            [
                "data/s/m.a.yaml",
                "data/s/state.yaml",
                "data/s/room.yaml",
                "data/s/event.yaml"
            ]
        );
        // The parts are shared: room.yaml's own part is compiled once for both.
        let room = validators
            .get("data/s/room.yaml", &[])
            .expect("compiles")
            .parts;
        assert!(Arc::ptr_eq(&room[0].cell, &parts[2].cell));
        // What sees the whole `allOf` is compiled whole.
        assert_eq!(
            validators
                .get("data/s/m.b.yaml", &[])
                .expect("compiles")
                .parts
                .len(),
            1
        );
    }

    #[test]
    fn validating_part_by_part_finds_what_validating_the_whole_finds() {
        let texts = [
            ("data/s/event.yaml", "type: object\nrequired: [type]\nproperties: {type: {type: string}}\n"),
            (
                "data/s/room.yaml",
                "allOf: [{$ref: event.yaml}]\nproperties: {id: {type: string, pattern: '^!'}}\n",
            ),
            ("data/s/state.yaml", "allOf: [{$ref: room.yaml}, {required: [key]}]\n"),
            // An own part that refers to nothing, and one that does.
            (
                "data/s/m.a.yaml",
                "allOf: [{$ref: state.yaml}]\nproperties: {type: {const: m.a}, n: {maximum: 3}}\n",
            ),
            (
                "data/s/m.c.yaml",
                "allOf: [{$ref: room.yaml}]\nproperties: {content: {$ref: '#/$defs/c'}}\n$defs: {c: {type: object, required: [body], properties: {body: {type: string}}}}\n",
            ),
        ];
        let documents = documents_of(&texts);
        let none = BTreeSet::new();
        let prepared = prepare(&documents, &none, &none).expect("prepared");
        let validators = Validators::new(&prepared, &documents);
        let instances = [
            ("data/s/m.a.yaml", "{}"),
            ("data/s/m.a.yaml", "{type: m.x, id: 5, n: 9}"),
            ("data/s/m.a.yaml", "{type: 7, id: x, key: k}"),
            (
                "data/s/m.c.yaml",
                "{type: m.c, content: {body: 1}, id: '!a'}",
            ),
            ("data/s/m.c.yaml", "{content: 3}"),
        ];
        let findings = |compiled: &Compiled, instance: &Node| {
            let mut found: Vec<(String, String, String)> = validate_node(
                compiled,
                instance,
                &[],
                Code::ExampleInvalid,
                "x",
                &documents,
            )
            .into_iter()
            .map(|d| {
                let (i, s) = (
                    d.instance_path.unwrap_or_default(),
                    d.schema_path.unwrap_or_default(),
                );
                (i, s, d.message)
            })
            .collect();
            found.sort();
            found
        };
        let mut total = 0;
        for (rel, text) in instances {
            let instance = parse(text, Syntax::Yaml, FileId(0)).unwrap();
            let split = validators.get(rel, &[]).expect("compiles");
            assert!(split.parts.len() > 1, "{rel} is split");
            let whole = Source::Registered(doc_uri(rel));
            let whole = Compiled {
                parts: vec![validators
                    .compile(format!("whole:{rel}"), whole, rel.to_string())
                    .expect("compiles")]
                .into(),
            };
            let by_parts = findings(&split, &instance);
            assert_eq!(by_parts, findings(&whole, &instance), "{rel}: {text}");
            total += by_parts.len();
        }
        assert!(
            total >= 8,
            "the instances break keywords of every part: {total}"
        );
    }

    #[test]
    fn annotations_go_and_names_stay() {
        let text = "type: object\ntitle: T\ndescription: d\nx-defs: {s: {type: string}}\nproperties:\n  description: {type: string, description: the name stays}\ndependencies:\n  title: [summary]\nenum: [{description: kept}]\n";
        let node = parse(text, Syntax::Yaml, FileId(0)).unwrap();
        assert_eq!(
            validation_json(&node, true),
            serde_json::json!({
                "type": "object",
                "x-defs": {"s": {"type": "string"}},
                "properties": {"description": {"type": "string"}},
                "dependencies": {"title": ["summary"]},
                "enum": [{"description": "kept"}]
            })
        );
    }
}
