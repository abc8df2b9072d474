//! The integration tests of mxspec, in one test binary (as ripgrep and mdBook do), so the
//! library and the test helpers are compiled and linked once.
//!
//! Every module runs the real `mxspec` binary (`CARGO_BIN_EXE_mxspec`) on fixture projects
//! under `tests/fixtures/` and, when `../shared/upstream/matrix-spec` is present, on the
//! upstream snapshot (tests that need it skip with a printed reason otherwise). Run one
//! module with `cargo test --test cli check::`, for example.
//!
//! Tests marked `#[ignore = "BUG: ..."]` expose bugs of `src/`: they describe what should
//! happen and fail today (`cargo test --test cli -- --ignored`).

mod common;

mod api;
mod build;
mod changelog;
mod check;
mod first_hour;
mod history;
mod hostile;
mod recheck;
mod serve;
mod spec_site;
mod workflow;
