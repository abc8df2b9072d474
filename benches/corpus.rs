//! Benchmarks on the real upstream corpus in `../shared/corpus/matrix-spec`.
//!
//! `cargo bench --bench corpus` — skipped, with a printed reason, when the corpus is absent.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

/// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/matrix-spec");
    if dir.join("data").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping corpus benchmarks: {} is absent", dir.display());
        None
    }
}

fn check(c: &mut Criterion) {
    let Some(root) = corpus() else { return };
    let mut group = c.benchmark_group("check");
    group.sample_size(50);
    group.bench_function("corpus", |b| {
        b.iter(|| {
            let report = mxspec::check::check_root(&root).expect("corpus loads");
            assert_eq!(report.summary.errors, 0);
            report
        })
    });
    group.finish();
}

/// A temporary root whose `data/` is the corpus's and whose one page shows every event.
fn all_events_root(corpus: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(corpus.join("data"), dir.path().join("data")).expect("symlink");
    let mut page = String::from("---\ntitle: All events\n---\n");
    let schemas = corpus.join("data/event-schemas/schema");
    let mut names: Vec<String> = std::fs::read_dir(&schemas)
        .expect("schema dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    for name in names {
        page.push_str(&format!("\n{{{{% event event=\"{name}\" %}}}}\n"));
    }
    std::fs::create_dir(dir.path().join("content")).expect("content dir");
    std::fs::write(dir.path().join("content/_index.md"), page).expect("page");
    dir
}

fn build(c: &mut Criterion) {
    let Some(corpus) = corpus() else { return };
    let all_events = all_events_root(&corpus);
    let mut group = c.benchmark_group("build");
    group.sample_size(30);
    for (name, root) in [
        ("all-events-page", all_events.path().to_path_buf()),
        ("corpus-content", corpus.clone()),
    ] {
        let options = mxspec::site::BuildOptions {
            root,
            ..Default::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let built = mxspec::site::build(&options).expect("corpus loads");
                assert!(built.pages > 0);
                built.files.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, check, build);
criterion_main!(benches);
