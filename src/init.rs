//! `mxspec init`: a small working project to start from (an event schema with its
//! example, a page that shows it, `mxspec.toml`, a `.gitignore` for `site/`), embedded in
//! the binary from the repository's `starter/` folder.

use std::path::{Path, PathBuf};

/// The starter's files: path in the new project, and text.
pub const STARTER: &[(&str, &str)] = &[
    ("mxspec.toml", include_str!("../starter/mxspec.toml")),
    (".gitignore", include_str!("../starter/gitignore")),
    (
        "data/event-schemas/schema/m.example.yaml",
        include_str!("../starter/data/event-schemas/schema/m.example.yaml"),
    ),
    (
        "data/event-schemas/examples/m.example.yaml",
        include_str!("../starter/data/event-schemas/examples/m.example.yaml"),
    ),
    (
        "content/_index.md",
        include_str!("../starter/content/_index.md"),
    ),
];

/// Why a project cannot be started.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder holds files already.
    #[error("{0} is not empty: mxspec init starts a project only in a new or empty folder")]
    NotEmpty(PathBuf),
    /// The file system refused.
    #[error("cannot write {path}: {error}")]
    Io {
        /// What was being written.
        path: PathBuf,
        /// The error (said in the message, so not given as its source as well).
        error: std::io::Error,
    },
}

/// Writes the starter project into `dir` (created if needed; it must be empty, a `.git`
/// folder aside); returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| InitError::Io { path, error }
    };
    if dir.exists() {
        let taken = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .flatten()
            .any(|e| e.file_name() != ".git");
        if taken {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// The project root for a command run in `start`: the nearest folder at or above it
/// that holds `mxspec.toml` or a `data/` folder, as cargo finds `Cargo.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(crate::settings::CONFIG_FILE).is_file() || dir.join("data").is_dir())
        .map(Path::to_path_buf)
}
