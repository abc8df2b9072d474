//! mxspec: one binary that checks and builds an event specification in the style of the
//! Matrix spec.
//!
//! The pipeline: [`source`] reads YAML/JSON with positions, [`schema`] registers the
//! documents of `data/` and resolves `$ref`s, [`examples`] pairs example events with their
//! schemas, [`check`] validates everything and returns [`diagnostics`].

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod examples;
pub mod git;
pub mod history;
pub mod render;
pub mod schema;
pub mod serve;
pub mod site;
pub mod source;
