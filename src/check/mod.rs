//! `check`: load `data/`, resolve references, validate schemas and examples.
//!
//! Every problem of a run is collected as a [`Diagnostic`]; only a missing or unreadable
//! root is an error of the run itself ([`LoadError`]).

pub mod annotations;
mod inline;
mod metaschema;
pub mod validate;

use std::path::Path;

use crate::diagnostics::{self, Diagnostic, Severity, Summary};
use crate::examples::{self, Example};
use crate::schema::registry::parallel_map;
use crate::schema::{DocKind, Document, LoadError, RefGraph, Registry};

pub use annotations::StringFormats;
pub use validate::Validators;

/// Everything a check found, with what it loaded (for the renderer and for printing).
pub struct Report {
    /// Every document read.
    pub registry: Registry,
    /// The examples that paired with a schema.
    pub examples: Vec<Example>,
    /// Every problem found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Whether the run found any error.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Runs every check on the project at `root`.
pub fn check_root(root: &Path) -> Result<Report, LoadError> {
    let (registry, mut diags) = Registry::load(root)?;
    let graph = RefGraph::build(&registry);
    diags.extend(graph.diagnostics(&registry));

    // Each document on its own, on every core: metaschema and annotations. A schema that
    // fails the metaschema is not compiled (nor are those that refer to it).
    let formats = StringFormats::from_registry(&registry);
    let schemas: Vec<&Document> = registry.of_kind(DocKind::Schema).collect();
    let per_doc = parallel_map(&schemas, |_, doc| {
        let meta = metaschema::check(doc, &registry);
        let invalid = !meta.is_empty();
        let mut found = meta;
        found.extend(annotations::check(doc, &formats, &registry));
        (found, invalid)
    });
    let mut invalid = Vec::new();
    for (doc, (found, is_invalid)) in schemas.iter().zip(per_doc) {
        diags.extend(found);
        if is_invalid {
            invalid.push(doc.rel.clone());
        }
    }
    let unusable = graph.unusable_docs(invalid);

    let found = examples::discover(&registry);
    diags.extend(found.diagnostics);

    // Example files and inline examples, on every core: one shared registry of the
    // documents, and each worker compiles the schemas it meets once.
    let mut summary = Summary {
        schemas: schemas.len(),
        ..Summary::default()
    };
    let mut jobs: Vec<Job> = found
        .examples
        .iter()
        .filter(|e| !unusable.contains(&e.schema))
        .map(Job::Example)
        .collect();
    summary.examples = jobs.len();
    for doc in schemas.iter().filter(|d| !unusable.contains(&d.rel)) {
        jobs.extend(inline::sites(doc).into_iter().map(Job::Inline));
    }
    summary.inline_examples = jobs.len() - summary.examples;
    match validate::prepare(&registry, &unusable) {
        Ok(prepared) => diags.extend(run_jobs(&jobs, &prepared, &registry)),
        Err(e) => diags.push(Diagnostic::in_file(
            Severity::Error,
            "schema-compile",
            "data",
            0,
            0,
            e,
        )),
    }

    diagnostics::sort(&mut diags);
    let summary = summary.count(&diags);
    Ok(Report {
        registry,
        examples: found.examples,
        diagnostics: diags,
        summary,
    })
}

/// One validation to run.
enum Job<'a> {
    /// An example file against its event schema.
    Example(&'a Example),
    /// An inline value against the schema it sits in.
    Inline(inline::Site<'a>),
}

/// Runs the jobs on every core, each worker taking the next job as it is free.
fn run_jobs(
    jobs: &[Job],
    prepared: &jsonschema::Registry<'static>,
    registry: &Registry,
) -> Vec<Diagnostic> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let work = || {
        let mut validators = Validators::new(prepared);
        let mut found = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { return found };
            match job {
                Job::Example(example) => {
                    found.extend(validate_example(example, &mut validators, registry))
                }
                Job::Inline(site) => found.extend(inline::check(site, &mut validators, registry)),
            }
        }
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    })
}

fn validate_example(
    example: &Example,
    validators: &mut Validators,
    registry: &Registry,
) -> Vec<Diagnostic> {
    match validators.get(&example.schema, &[]) {
        Ok(v) => {
            let what = format!("example does not match {}", example.schema);
            validate::validate_node(v, &example.merged, "example-invalid", &what, registry)
        }
        Err(e) => vec![Diagnostic::in_file(
            Severity::Error,
            "schema-compile",
            example.schema.clone(),
            0,
            0,
            format!("cannot compile this schema: {e}"),
        )],
    }
}
