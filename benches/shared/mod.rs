//! What the benchmarks share: the binary's allocator, and the upstream snapshot they read.

use std::path::PathBuf;

/// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The upstream snapshot in `../shared/upstream/matrix-spec`, or `None` (said, naming
/// `benchmarks`) when it is absent.
pub fn snapshot(benchmarks: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("MXSPEC_BENCH_SNAPSHOT") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/upstream/matrix-spec"),
    };
    if dir.join("data").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping {benchmarks} benchmarks: {} is absent",
            dir.display()
        );
        None
    }
}
