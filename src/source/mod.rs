//! Reading source files: the file table, the value model with positions, and parsing.
//!
//! Every file mxspec reads is kept here with its text, so that diagnostics can quote the
//! offending line and so that any [`Pos`] can be turned back into a path.

mod node;
mod parse;

use std::path::{Path, PathBuf};

pub use node::{escape_token, pointer_tokens, Entry, Node, Pos, Value};
pub use parse::{parse, ParseError, Syntax, MAX_ALIAS_REPLAY, MAX_FILE_BYTES};

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// One file that was read.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the project root, with `/` separators (`data/x.yaml`).
    pub rel: String,
    /// The full text.
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count())
            + 1;
        (line as u32, column as u32)
    }
}

/// The table of every file read in a run.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("file is {size} bytes; mxspec reads files of at most {max} bytes")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not UTF-8.
    #[error("file is not valid UTF-8")]
    NotUtf8,
}

impl Sources {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text under a root-relative name and returns its id.
    pub fn add(&mut self, rel: impl Into<String>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            rel: rel.into(),
            text,
            line_starts,
        });
        id
    }

    /// How many files the table holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Forgets every file after the first `n` (their ids become free again).
    pub fn truncate(&mut self, n: usize) {
        self.files.truncate(n);
    }

    /// Reads a file from disk (bounded by [`MAX_FILE_BYTES`]).
    pub fn read(path: &Path) -> Result<String, ReadError> {
        let size = std::fs::metadata(path)?.len();
        if size > MAX_FILE_BYTES {
            return Err(ReadError::TooLarge {
                size,
                max: MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(path)?;
        String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
    }

    /// The file with this id, to change.
    pub fn file_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0 as usize]
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The root-relative path of a file.
    pub fn rel(&self, id: FileId) -> &str {
        &self.file(id).rel
    }

    /// The character written at a position, if the position is inside its file.
    pub fn char_at(&self, pos: Pos) -> Option<char> {
        let text = &self.files.get(pos.file.0 as usize)?.text;
        let line = text.lines().nth(pos.line.checked_sub(1)? as usize)?;
        line.chars().nth(pos.column.checked_sub(1)? as usize)
    }

    /// The text of line `line` (1-based) of the file named `rel`.
    pub fn line_of(&self, rel: &str, line: u32) -> Option<&str> {
        let file = self.files.iter().find(|f| f.rel == rel)?;
        let start = *file.line_starts.get(line.checked_sub(1)? as usize)?;
        let end = file
            .line_starts
            .get(line as usize)
            .map_or(file.text.len(), |e| e - 1);
        file.text.get(start..end).map(|l| l.trim_end_matches('\r'))
    }
}

/// The files below `dir` (symlinks followed, in name order) that `accept` takes, and an
/// `io` diagnostic for each entry that could not be read. A missing `dir` has no files.
pub fn walk_files(
    root: &Path,
    dir: &Path,
    accept: impl Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<crate::diagnostics::Diagnostic>) {
    use crate::diagnostics::{Diagnostic, Severity};
    let mut paths = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() && accept(e.path()) => paths.push(e.into_path()),
            Ok(_) => {}
            Err(e) if e.path() == Some(dir) && !dir.exists() => {}
            Err(e) => {
                let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
                diagnostics.push(Diagnostic::in_file(
                    Severity::Error,
                    "io",
                    path,
                    0,
                    0,
                    e.to_string(),
                ));
            }
        }
    }
    (paths, diagnostics)
}

/// `path` relative to `root`, with `/` separators.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
