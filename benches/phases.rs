//! One benchmark per phase of a build of the upstream snapshot in
//! `../shared/upstream/matrix-spec`, each on what the phase before it made (made once,
//! outside the timing): reading `data/`, parsing it, registering and compiling the
//! validators of the example files, validating the examples, the whole site checked and
//! rendered in memory, every page rendered again (rendering alone), the search index, the
//! link check, and writing the site.
//!
//! `cargo bench --features bench --bench phases` — skipped, with a printed reason, when the
//! snapshot is absent.

use std::collections::BTreeSet;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mxspec::check::validate;
use mxspec::diagnostics::Code;
use mxspec::project::{Area, Project};
use mxspec::schema::{RefGraph, Registry};

mod shared;

fn snapshot() -> Option<PathBuf> {
    shared::snapshot("phase")
}

fn load(root: &std::path::Path) -> Project {
    Project::load(root, &[Area::Data]).expect("snapshot loads")
}

/// Reading, parsing, compiling and validating: the phases of `check`.
fn check_phases(c: &mut Criterion) {
    let Some(root) = snapshot() else { return };
    let mut group = c.benchmark_group("phase");
    group.sample_size(30);
    group.bench_function("read", |b| b.iter(|| load(&root)));
    group.bench_function("parse", |b| {
        b.iter_batched(|| load(&root), Registry::new, BatchSize::LargeInput)
    });
    let (registry, _) = Registry::new(load(&root));
    let referred = RefGraph::build(&registry).referred_docs();
    let examples = mxspec::examples::discover(&registry).examples;
    let none = BTreeSet::new();
    group.bench_function("compile", |b| {
        b.iter(|| {
            let prepared = validate::prepare(&registry, &none, &referred).expect("prepared");
            let validators = validate::Validators::new(&prepared, &registry);
            for example in &examples {
                validators.get(&example.schema, &[]).expect("compiles");
            }
        })
    });
    let prepared = validate::prepare(&registry, &none, &referred).expect("prepared");
    let validators = validate::Validators::new(&prepared, &registry);
    let compiled: Vec<_> = examples
        .iter()
        .map(|e| validators.get(&e.schema, &[]).expect("compiles"))
        .collect();
    group.bench_function("validate", |b| {
        b.iter(|| {
            let mut found = 0;
            for (example, schema) in examples.iter().zip(&compiled) {
                found += validate::validate_node(
                    schema,
                    &example.merged,
                    &example.holes,
                    Code::ExampleInvalid,
                    "example",
                    &registry,
                )
                .len();
            }
            assert_eq!(found, 0);
        })
    });
    group.finish();
}

/// Rendering, indexing for search and writing: the phases `build` adds.
fn build_phases(c: &mut Criterion) {
    let Some(root) = snapshot() else { return };
    let options = mxspec::site::BuildOptions {
        root,
        ..Default::default()
    };
    let mut group = c.benchmark_group("phase");
    group.sample_size(20);
    group.bench_function("check-and-render", |b| {
        b.iter(|| mxspec::site::Session::open(options.clone()).expect("snapshot loads"))
    });
    let mut session = mxspec::site::Session::open(options.clone()).expect("snapshot loads");
    // Every page rendered again from the checked snapshot, no call kept from before.
    group.bench_function("render", |b| b.iter(|| session.render_all().len()));
    let pages = session.page_texts();
    group.bench_function("search-index", |b| {
        b.iter(|| mxspec::site::search::index_script(&pages).len())
    });
    // The link check of every page, with every diagnostic sorted and counted.
    group.bench_function("links", |b| b.iter(|| session.diagnostics().0.len()));
    let files = session.files().expect("no errors");
    let out = tempfile::tempdir().expect("temp dir");
    group.bench_function("write", |b| {
        b.iter(|| {
            mxspec::site::write_site(&options.root, &out.path().join("site"), &files)
                .expect("written")
        })
    });
    group.finish();
}

criterion_group!(benches, check_phases, build_phases);
criterion_main!(benches);
