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

criterion_group!(benches, check);
criterion_main!(benches);
