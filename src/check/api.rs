//! The checks of API documents that the validation jobs do not do, and those jobs: each
//! document's structure (through [`crate::api::lint`]), its schemas against the
//! metaschema and its annotations; the inline examples of its schemas; and its examples
//! of parameters, requests and responses, `$ref`s merged, against the schema beside them.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use super::validate::{self, Validators};
use super::{annotations, inline, metaschema};
use crate::api::sites::{self, ExampleSite, Sites};
use crate::api::ApiDoc;
use crate::diagnostics::{Code, Diagnostic};
use crate::examples::{merge_value, MergedValue};
use crate::schema::{Document, Registry, StringFormats};

/// At most this many nodes may be copied in through `$ref`s by the examples of all API
/// documents together (the upstream snapshot's copy in 949).
pub const MAX_API_EXAMPLE_NODES: usize = 2_000_000;

/// An API document and what it holds for the checker.
pub type ApiSites<'r> = Vec<(&'r Document, Sites<'r>)>;

/// An example of an API document, its `$ref`s merged.
pub struct ApiExample<'a> {
    /// The document it is written in.
    pub doc: &'a Document,
    /// Where, and the schema it must match.
    pub site: &'a ExampleSite<'a>,
    /// The value with its `$ref`s merged.
    pub merged: MergedValue,
}

/// Checks each API document on its own (structure, metaschema, annotations) into
/// `diags`; returns the documents and what they hold, and adds those whose schemas are
/// invalid (and so are not compiled) to `invalid`.
pub fn documents<'r>(
    registry: &'r Registry,
    formats: &StringFormats,
    diags: &mut Vec<Diagnostic>,
    invalid: &mut Vec<String>,
) -> ApiSites<'r> {
    let apis: Vec<ApiDoc> = crate::api::api_docs(registry).collect();
    diags.extend(crate::api::lint::check(registry, &apis));
    // Each document on every core: what it holds, its schemas against the metaschema,
    // its annotations.
    let per_api = crate::pool::map(&apis, |_, api| {
        let sites = sites::sites(api.doc);
        // A schema that is only a `$ref` (most parameters and responses) is a valid
        // schema; the reference graph checks where it leads.
        let mut found: Vec<Diagnostic> = sites
            .schemas
            .iter()
            .filter(|s| crate::schema::lone_ref(s.node).is_none())
            .flat_map(|s| metaschema::check_node(s.node, registry))
            .collect();
        found.extend(annotations::check(api.doc, formats, registry));
        (sites, found)
    });
    let (api_sites, per_api): (ApiSites, Vec<Vec<Diagnostic>>) = apis
        .iter()
        .zip(per_api)
        .map(|(api, (sites, found))| ((api.doc, sites), found))
        .unzip();
    for ((doc, _), found) in api_sites.iter().zip(per_api) {
        if found
            .iter()
            .any(|d| matches!(d.code, Code::SchemaInvalid | Code::SchemaCompile))
        {
            invalid.push(doc.rel.clone());
        }
        diags.extend(found);
    }
    api_sites
}

/// The inline examples of the schemas of the usable API documents, with their job keys.
pub fn inline_sites<'r>(
    api_sites: &'r ApiSites<'r>,
    unusable: &BTreeSet<String>,
) -> Vec<(String, inline::Site<'r>)> {
    let usable: Vec<&(&Document, Sites)> = api_sites
        .iter()
        .filter(|(d, _)| !unusable.contains(&d.rel))
        .collect();
    let per_doc = crate::pool::map(&usable, |_, (doc, sites)| {
        let mut out = Vec::new();
        for (n, site) in sites.schemas.iter().enumerate() {
            // Upstream's checker validates the root `example` of parameters and request
            // bodies, not of responses.
            let lenient = site.tokens.iter().any(|t| t == "responses");
            let found = inline::sites_in(doc, site.node, &site.tokens, lenient);
            for (m, inline) in found.into_iter().enumerate() {
                out.push((format!("api-inline:{}#{n}.{m}", doc.rel), inline));
            }
        }
        out
    });
    per_doc.into_iter().flatten().collect()
}

/// The examples of the usable API documents, `$ref`s merged on every core, with their
/// job keys; the problems of merging (and of the shared budget) go to `diags`.
pub fn examples<'r>(
    registry: &Registry,
    api_sites: &'r ApiSites<'r>,
    unusable: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, ApiExample<'r>)> {
    let found: Vec<(&Document, usize, &ExampleSite)> = api_sites
        .iter()
        .filter(|(d, _)| !unusable.contains(&d.rel))
        .flat_map(|(doc, sites)| {
            sites
                .examples
                .iter()
                .enumerate()
                .map(move |(n, s)| (*doc, n, s))
        })
        .collect();
    // The nodes all of them copy in are bounded too, as each one's are: a thousand
    // parameters that each name a large example would otherwise fill the memory.
    let copied = AtomicUsize::new(0);
    let merged = crate::pool::map(&found, |_, (doc, _, site)| {
        if copied.load(Relaxed) > MAX_API_EXAMPLE_NODES {
            return None;
        }
        let merged = merge_value(registry, &doc.rel, site.value);
        let total = copied.fetch_add(merged.copied, Relaxed) + merged.copied;
        (total <= MAX_API_EXAMPLE_NODES).then_some(merged)
    });
    let mut out = Vec::new();
    for ((doc, n, site), merged) in found.into_iter().zip(merged) {
        let Some(merged) = merged else {
            let message = format!("the examples of the API documents copy in more than {MAX_API_EXAMPLE_NODES} nodes through their `$ref`s; this one and the rest are not checked");
            diags.push(Diagnostic::error(
                Code::RefBudget,
                registry.sources(),
                site.value.pos,
                message,
            ));
            break;
        };
        let problems = merged.problems.iter();
        diags.extend(problems.filter(|d| d.code != Code::RefUnreadable).cloned());
        out.push((
            format!("api:{}#{n}", doc.rel),
            ApiExample { doc, site, merged },
        ));
    }
    out
}

/// Validates one API example against the schema beside it.
pub fn validate(api: &ApiExample, validators: &Validators, registry: &Registry) -> Vec<Diagnostic> {
    match validators.get(&api.doc.rel, &api.site.schema) {
        Ok(v) => {
            let what = format!("{} does not match its schema", api.site.label);
            validate::validate_node(
                &v,
                &api.merged.node,
                &api.merged.holes,
                Code::ApiExampleInvalid,
                &what,
                registry,
            )
        }
        Err(e) => vec![Diagnostic::error(
            Code::SchemaCompile,
            registry.sources(),
            api.site.value.pos,
            format!("cannot compile the schema of this {}: {e}", api.site.label),
        )],
    }
}
