//! Spec history as data: what changed between two revisions, whether new items carry the
//! right "Added in" annotation, and the spec as it was at a version.

pub mod as_of;
pub mod diff;
pub mod markers;
pub mod report;
pub mod since;

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::git::GitError;
use crate::schema::{LoadError, Registry};

pub use diff::{diff, Change, ChangeKind};

/// Why the two trees could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The working tree could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The old tree could not be read.
    #[error(transparent)]
    Git(#[from] GitError),
}

/// The registry of `data/` at revision `rev`, and the problems of reading it.
pub fn registry_at(root: &Path, rev: &str) -> Result<(Registry, Vec<Diagnostic>), GitError> {
    let files = crate::git::data_files_at(root, rev)?;
    Ok(Registry::from_texts(root, files))
}

/// The changes from `rev` to the working tree of `root`.
pub fn changes_since(root: &Path, rev: &str) -> Result<(Vec<Change>, Registry), HistoryError> {
    let (old, _) = registry_at(root, rev)?;
    let (new, _) = Registry::load(root)?;
    Ok((diff(&old, &new), new))
}
