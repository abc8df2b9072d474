//! mxspec: one binary that checks and builds a specification in the style of the Matrix
//! spec.
//!
//! The pipeline, each module importing only those before it:
//! [`source`] (text, positions, parsers) → [`diagnostics`] → [`version`] →
//! [`project`] (the loader: the one place that reads the project's folders) and
//! [`settings`] → [`changelog`] (news fragments, towncrier's rendering) → [`schema`] (registry, `$ref`s) → [`examples`] → [`api`] (OpenAPI documents) → [`check`] →
//! [`content`] → [`render`] → [`site`] (build, links, write) → [`serve`]; [`history`]
//! (diff, `check --since`) sits beside the site, over `check`. [`pool`] is the one worker
//! pool.

pub mod api;
pub mod calendar;
pub mod changelog;
pub mod check;
pub mod content;
pub mod diagnostics;
pub mod examples;
pub mod history;
pub mod init;
pub mod pool;
pub mod project;
pub mod render;
pub mod schema;
pub mod serve;
pub mod settings;
pub mod site;
pub mod source;
pub mod suggest;
pub mod version;
