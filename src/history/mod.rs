//! Spec history as data: what changed between two revisions (`diff`), and whether new
//! items carry the right "Added in" annotation (`check --since`). The spec as it was at
//! a version is [`crate::version::as_of`].

pub mod diff;
pub mod endpoints;
pub mod report;
pub mod since;

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::project::git::GitError;
use crate::project::{Area, LoadError, Project};
use crate::schema::Registry;

pub use diff::{diff, events, Change, ChangeKind};

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
    Ok(Registry::new(Project::at_revision(root, rev)?))
}

/// What a comparison found: the changes, and the problems that make it partial (files
/// of either side that cannot be read, events that cannot be resolved; those events are
/// left out of the comparison).
pub struct Comparison {
    /// Every change.
    pub changes: Vec<Change>,
    /// Problems of the old revision (their messages say "at REV") and of the work tree.
    pub problems: Vec<Diagnostic>,
    /// The work tree's registry.
    pub new: Registry,
}

/// The changes from `rev` to the working tree of `root`.
pub fn changes_since(root: &Path, rev: &str) -> Result<Comparison, HistoryError> {
    let (old, old_problems) = registry_at(root, rev)?;
    let (new, new_problems) = Registry::new(Project::load(root, &[Area::Data])?);
    let mut problems = Vec::new();
    for (registry, found, at) in [(&old, old_problems, Some(rev)), (&new, new_problems, None)] {
        let unresolved = events(registry).1.into_iter().map(|(rel, message)| {
            let message = format!("cannot resolve this event: {message}");
            Diagnostic::in_file(Severity::Error, Code::EventUnresolved, rel, 0, 0, message)
        });
        for mut d in found.into_iter().chain(unresolved) {
            if let Some(rev) = at {
                d.message = format!("at {rev}: {}", d.message);
            }
            problems.push(d);
        }
    }
    Ok(Comparison {
        changes: diff(&old, &new),
        problems,
        new,
    })
}
