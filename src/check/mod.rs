//! `check`: load `data/`, resolve references, validate schemas, examples and API documents.
//!
//! Every problem of a run is collected as a [`Diagnostic`]; only a missing or unreadable
//! root is an error of the run itself ([`LoadError`]).

pub mod annotations;
mod api;
mod inline;
mod metaschema;
mod split;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::diagnostics::{self, Code, Diagnostic, Severity, Summary};
use crate::examples::{self, Example};
use crate::project::{Area, LoadError, Project};
use crate::schema::{DocKind, Document, RefGraph, Registry, StringFormats, STRING_FORMATS};

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
    memo: Memo,
}

impl Report {
    /// A report of nothing (a placeholder while a new check runs).
    pub fn empty(root: &Path) -> Report {
        Report {
            registry: Registry::empty(root),
            examples: Vec::new(),
            diagnostics: Vec::new(),
            summary: Summary::default(),
            memo: Memo::default(),
        }
    }

    /// Whether the run found any error.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// What a check keeps so that the next check of the same root (while serving) redoes only
/// what the changed files can affect.
#[derive(Debug, Default)]
struct Memo {
    /// Metaschema and annotation findings of each schema document, and whether it failed
    /// the metaschema.
    per_doc: HashMap<String, (Vec<Diagnostic>, bool)>,
    /// Findings of each validation job, by job key.
    jobs: HashMap<String, Vec<Diagnostic>>,
    /// The documents that could not be compiled.
    unusable: BTreeSet<String>,
    /// The documents a `$ref` leads into.
    referred: BTreeSet<String>,
}

/// Reads `data/`, `changelogs/` and `content/` of the project at `root` and runs every
/// check on them: of the pages, what their text alone shows (front matter, paths, the
/// syntax of their shortcodes); rendering them, and what it finds, is `build`'s.
pub fn check_root(root: &Path) -> Result<Report, LoadError> {
    let areas = [Area::Data, Area::Changelogs, Area::Content];
    let mut report = check(Project::load(root, &areas)?);
    let (content, found) = crate::content::load(&report.registry.project);
    report.diagnostics.extend(found);
    let sources = report.registry.sources();
    let syntax = crate::content::shortcode_syntax_errors(&content, sources);
    report.diagnostics.extend(syntax);
    report.summary = report.summary.count(&report.diagnostics);
    Ok(report)
}

/// Runs every check on a loaded project (its news fragments too, when `changelogs/` was
/// read).
pub fn check(project: Project) -> Report {
    let (registry, mut diags) = Registry::new(project);
    diags.extend(crate::changelog::check(&registry.project));
    run(registry, diags, false, None, &BTreeSet::new())
}

/// Checks again after the files at these root-relative paths changed: they are read
/// again, and what `previous` found is reused for everything they cannot affect. The
/// result is the same as a fresh [`check_root`].
pub fn recheck(mut previous: Report, changed: &BTreeSet<String>) -> Result<Report, LoadError> {
    previous.registry.project.reload(changed)?;
    Ok(recheck_reloaded(previous, changed))
}

/// Like [`recheck`], for a report whose project was reloaded already.
pub fn recheck_reloaded(previous: Report, changed: &BTreeSet<String>) -> Report {
    let (registry, mut diags, reused) = previous.registry.reparse(changed);
    diags.extend(crate::changelog::check(&registry.project));
    run(registry, diags, reused, Some(previous.memo), changed)
}

fn run(
    registry: Registry,
    diags: Vec<Diagnostic>,
    reused: bool,
    previous_memo: Option<Memo>,
    changed: &BTreeSet<String>,
) -> Report {
    let (diagnostics, summary, memo, examples) = std::thread::scope(|scope| {
        findings(&registry, diags, reused, previous_memo, changed, scope)
    });
    Report {
        registry,
        examples,
        diagnostics,
        summary,
        memo,
    }
}

/// Every finding of a check on `registry`, its counts, what it keeps for the next check
/// and the examples it found.
fn findings<'scope, 'env>(
    registry: &'env Registry,
    mut diags: Vec<Diagnostic>,
    reused: bool,
    previous_memo: Option<Memo>,
    changed: &BTreeSet<String>,
    scope: &'scope std::thread::Scope<'scope, 'env>,
) -> (Vec<Diagnostic>, Summary, Memo, Vec<Example>) {
    let memo_in = previous_memo.filter(|_| reused).unwrap_or_default();
    let graph = RefGraph::build(registry);
    // The documents a `$ref` leads into: API documents among them are registered for
    // validation too.
    let referred = graph.referred_docs();
    // A fresh check registers the documents for validation on a thread of its own, while
    // the checks before validation run.
    let early = (!reused).then(|| {
        let referred = referred.clone();
        scope.spawn(move || validate::prepare(registry, &BTreeSet::new(), &referred))
    });
    diags.extend(graph.diagnostics(registry));
    // What the change can affect: the changed documents and those that refer to them.
    let affected: Option<BTreeSet<String>> = reused.then(|| graph.with_referrers(changed.clone()));

    // Each document on its own: metaschema and annotations. A schema that fails the
    // metaschema is not compiled (nor are those that refer to it).
    let formats_changed = changed.contains(STRING_FORMATS);
    let formats = StringFormats::from_registry(registry);
    let schemas: Vec<&Document> = registry.of_kind(DocKind::Schema).collect();
    let mut memo = Memo {
        per_doc: check_documents(registry, &formats, &schemas, &memo_in.per_doc, |doc| {
            !reused || formats_changed || changed.contains(&doc.rel)
        }),
        ..Memo::default()
    };
    let mut invalid = Vec::new();
    for doc in &schemas {
        if let Some((found, is_invalid)) = memo.per_doc.get(&doc.rel) {
            diags.extend(found.iter().cloned());
            if *is_invalid {
                invalid.push(doc.rel.clone());
            }
        }
    }
    // API documents: their structure, their schemas against the metaschema, their
    // annotations. One whose schemas are invalid is not compiled.
    let api_sites = api::documents(registry, &formats, &mut diags, &mut invalid);
    let unusable = graph.unusable_docs(invalid);

    let found = examples::discover(registry);
    diags.extend(found.diagnostics);
    name_unchecked_examples(
        &mut diags,
        registry,
        &graph,
        &found.examples,
        &unusable,
        &found.unreadable_schema,
    );

    // Example files and inline examples, on every core: one shared registry of the
    // documents, and each worker compiles the schemas it meets once. A job the change
    // cannot affect keeps its findings.
    let mut summary = Summary {
        schemas: schemas.len(),
        ..Summary::default()
    };
    let mut jobs: Vec<(String, Job)> = found
        .examples
        .iter()
        .filter(|e| !unusable.contains(&e.schema))
        .map(|e| (format!("example:{}", e.rel), Job::Example(e)))
        .collect();
    summary.examples = jobs.len();
    let usable: Vec<&Document> = schemas
        .iter()
        .copied()
        .filter(|d| !unusable.contains(&d.rel))
        .collect();
    let inline_sites = crate::pool::map(&usable, |_, doc| inline::sites(doc));
    for (doc, sites) in usable.iter().zip(inline_sites) {
        for (n, site) in sites.into_iter().enumerate() {
            jobs.push((format!("inline:{}#{n}", doc.rel), Job::Inline(site)));
        }
    }
    summary.inline_examples = jobs.len() - summary.examples;
    let api_inline = api::inline_sites(&api_sites, &unusable);
    summary.inline_examples += api_inline.len();
    jobs.extend(api_inline.into_iter().map(|(key, s)| (key, Job::Inline(s))));
    let api_examples = api::examples(registry, &api_sites, &unusable, &mut diags);
    summary.api_examples = api_examples.len();
    jobs.extend(api_examples.into_iter().map(|(key, e)| (key, Job::Api(e))));
    // Which API documents are registered changes how their schemas are compiled (not
    // what they find): all is checked again when it changes, to be sure of that.
    let all_stale =
        affected.is_none() || memo_in.unusable != unusable || memo_in.referred != referred;
    let mut to_run: Vec<&(String, Job)> = Vec::new();
    for job in &jobs {
        let kept = if all_stale || job_affected(&job.1, affected.as_ref(), changed) {
            None
        } else {
            memo_in.jobs.get(&job.0)
        };
        match kept {
            Some(found) => {
                diags.extend(found.iter().cloned());
                memo.jobs.insert(job.0.clone(), found.clone());
            }
            None => to_run.push(job),
        }
    }
    if !to_run.is_empty() {
        // The early registry holds every schema document and the API documents a `$ref`
        // leads into: it serves when none is unusable.
        let prepared = match early {
            Some(handle) if unusable.is_empty() => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            _ => validate::prepare(registry, &unusable, &referred),
        };
        match prepared {
            Ok(prepared) => {
                let results = run_jobs(&to_run, &prepared, registry);
                crate::pool::drop_in_background(prepared);
                for (job, found) in to_run.iter().zip(results) {
                    diags.extend(found.iter().cloned());
                    memo.jobs.insert(job.0.clone(), found);
                }
            }
            Err(e) => diags.push(Diagnostic::in_file(
                Severity::Error,
                Code::SchemaCompile,
                "data",
                0,
                0,
                e,
            )),
        }
    }
    memo.unusable = unusable;
    memo.referred = referred;

    diagnostics::sort(&mut diags);
    let summary = summary.count(&diags);
    (diags, summary, memo, found.examples)
}

/// A file that cannot be read or parsed leaves examples unchecked: the examples of a
/// schema it is, and those of every schema that refers to it. Its own error says which.
fn name_unchecked_examples(
    diags: &mut [Diagnostic],
    registry: &Registry,
    graph: &RefGraph,
    found: &[Example],
    unusable: &BTreeSet<String>,
    unreadable_schema: &[(String, String)],
) {
    let mut unchecked: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (schema, example) in unreadable_schema {
        unchecked.entry(schema.clone()).or_default().push(example);
    }
    let unread: Vec<&String> = registry
        .data_file_list()
        .iter()
        .filter(|rel| registry.get(rel).is_none())
        .collect();
    for rel in unread {
        let reach = graph.referrers_of_unreadable(rel);
        for example in found
            .iter()
            .filter(|e| unusable.contains(&e.schema) && reach.contains(&e.schema))
        {
            unchecked.entry(rel.clone()).or_default().push(&example.rel);
        }
    }
    for d in diags.iter_mut().filter(|d| d.severity == Severity::Error) {
        // Said once, on the file's first error.
        if let Some(examples) = unchecked.remove(&d.file) {
            let names = examples
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            let more = examples.len().saturating_sub(5);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            d.message = format!(
                "{}; so {} example{} could not be checked: {names}{more}",
                d.message,
                examples.len(),
                if examples.len() == 1 { "" } else { "s" }
            );
        }
    }
}

/// Whether a job must run again after `changed`.
fn job_affected(
    job: &Job,
    affected: Option<&BTreeSet<String>>,
    changed: &BTreeSet<String>,
) -> bool {
    let Some(affected) = affected else {
        return true;
    };
    match job {
        // An inline value's `$ref`s are merged as the job runs, so the files they lead
        // to are not known here: any change may reach them.
        Job::Inline(site) => {
            affected.contains(&site.doc.rel)
                || (!changed.is_empty() && site.value.has_key_below(&["$ref"]))
        }
        Job::Example(example) => {
            affected.contains(&example.schema) || example.files.iter().any(|f| changed.contains(f))
        }
        Job::Api(api) => {
            affected.contains(&api.doc.rel) || api.merged.files.iter().any(|f| changed.contains(f))
        }
    }
}

/// The metaschema and annotation findings of each schema, and whether it failed the
/// metaschema: found again, on every core, for the schemas `stale` names or `kept` lacks,
/// taken from `kept` for the others.
fn check_documents(
    registry: &Registry,
    formats: &StringFormats,
    schemas: &[&Document],
    kept: &HashMap<String, (Vec<Diagnostic>, bool)>,
    stale: impl Fn(&Document) -> bool,
) -> HashMap<String, (Vec<Diagnostic>, bool)> {
    let to_check: Vec<&Document> = schemas
        .iter()
        .copied()
        .filter(|d| stale(d) || !kept.contains_key(&d.rel))
        .collect();
    let fresh = crate::pool::map(&to_check, |_, doc| {
        let mut found = metaschema::check(doc, registry);
        found.extend(annotations::check(doc, formats, registry));
        // Not a schema, or one with a pattern that does not compile: not compiled.
        let invalid = found
            .iter()
            .any(|d| matches!(d.code, Code::SchemaInvalid | Code::SchemaCompile));
        (found, invalid)
    });
    let mut per_doc: HashMap<String, (Vec<Diagnostic>, bool)> =
        to_check.iter().map(|d| d.rel.clone()).zip(fresh).collect();
    for doc in schemas {
        if let (false, Some(found)) = (per_doc.contains_key(&doc.rel), kept.get(&doc.rel)) {
            per_doc.insert(doc.rel.clone(), found.clone());
        }
    }
    per_doc
}

/// One validation to run.
enum Job<'a> {
    /// An example file against its event schema.
    Example(&'a Example),
    /// An inline value against the schema it sits in.
    Inline(inline::Site<'a>),
    /// An example of an API document against the schema beside it.
    Api(api::ApiExample<'a>),
}

/// Runs the jobs on every core, each schema compiled once, by the first job that needs
/// it; returns the findings of each job, in job order.
fn run_jobs(
    jobs: &[&(String, Job)],
    prepared: &validate::Prepared,
    registry: &Registry,
) -> Vec<Vec<Diagnostic>> {
    let validators = Validators::new(prepared, registry);
    crate::pool::map(jobs, |_, (_, job)| match job {
        Job::Example(example) => validate_example(example, &validators, registry),
        Job::Inline(site) => inline::check(site, &validators, registry),
        Job::Api(example) => api::validate(example, &validators, registry),
    })
}

fn validate_example(
    example: &Example,
    validators: &Validators,
    registry: &Registry,
) -> Vec<Diagnostic> {
    match validators.get(&example.schema, &[]) {
        Ok(v) => {
            let what = format!("example does not match {}", example.schema);
            let (merged, holes) = (&example.merged, &example.holes);
            validate::validate_node(&v, merged, holes, Code::ExampleInvalid, &what, registry)
                .into_iter()
                .map(|mut d| {
                    // A value inherited from a shared fragment: say which example took it.
                    if d.file != example.rel {
                        d.message = format!("{} (inherited by {})", d.message, example.rel);
                    }
                    d
                })
                .collect()
        }
        Err(e) => vec![Diagnostic::in_file(
            Severity::Error,
            Code::SchemaCompile,
            example.schema.clone(),
            0,
            0,
            format!("cannot compile this schema: {e}"),
        )],
    }
}
