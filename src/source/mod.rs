//! Source text: the file table, the one line index, the value model with positions, and
//! the parsers of the text formats (YAML and JSON with budgets, Hugo shortcodes).
//!
//! Every file mxspec reads is kept here with its text, so that diagnostics can quote the
//! offending line and so that any [`Pos`] can be turned back into a path. Nothing here
//! reads a folder: the project loader does that and hands texts in.

mod events;
mod lines;
mod node;
mod parse;
pub mod shortcode;
mod syntax_hint;

use std::path::{Path, PathBuf};

pub use lines::{line_col, LineIndex};
pub use node::{escape_token, pointer_tokens, sort_keys, Entry, Node, Pos, Value};
pub use parse::{
    parse, ParseError, ParseErrorKind, Syntax, SyntaxCause, MAX_ALIAS_REPLAY, MAX_FILE_BYTES,
};

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
    /// Its line index, made the first time a position is asked for (most files of a
    /// clean run never are: parsers report lines and columns themselves).
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines().line_col(&self.text, offset)
    }

    /// The text of line `line` (1-based), without its line break.
    pub fn line(&self, line: u32) -> Option<&str> {
        self.lines()
            .line_range(&self.text, line)
            .map(|r| &self.text[r])
    }

    /// The byte offset of a 1-based line and character column.
    pub fn offset(&self, line: u32, column: u32) -> Option<usize> {
        self.lines().offset(&self.text, line, column)
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
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The bytes are not UTF-8: where the first byte that is not is.
    #[error("file is not valid UTF-8 (byte 0x{byte:02x} here)")]
    NotUtf8 {
        /// Its 1-based line.
        line: u32,
        /// Its 1-based column, in characters.
        column: u32,
        /// The byte.
        byte: u8,
    },
}

impl ReadError {
    /// Where in the file the problem is (line and column, 1-based), when it is at one
    /// place.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            ReadError::NotUtf8 { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// The error of bytes that are not UTF-8, at the first byte that is not.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> ReadError {
    // The bytes before it are UTF-8.
    let before = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    ReadError::NotUtf8 {
        line: 1 + before.matches('\n').count() as u32,
        column: 1 + before[line_start..].chars().count() as u32,
        byte: bytes[valid_up_to],
    }
}

impl Sources {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text under a root-relative name and returns its id.
    pub fn add(&mut self, rel: impl Into<String>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            rel: rel.into(),
            text,
            lines: std::sync::OnceLock::new(),
        });
        id
    }

    /// Takes the text of a file out of the table (the file keeps its name).
    pub fn take_text(&mut self, id: FileId) -> String {
        let file = &mut self.files[id.0 as usize];
        file.lines = std::sync::OnceLock::new();
        std::mem::take(&mut file.text)
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
        let file = self.files.get(pos.file.0 as usize)?;
        let offset = file.offset(pos.line, pos.column)?;
        file.text[offset..].chars().next()
    }

    /// The file named `rel` (the last one read under that name).
    pub fn by_rel(&self, rel: &str) -> Option<&SourceFile> {
        self.files.iter().rev().find(|f| f.rel == rel)
    }

    /// The text of line `line` (1-based) of the file named `rel`.
    pub fn line_of(&self, rel: &str, line: u32) -> Option<&str> {
        self.by_rel(rel)?.line(line)
    }
}

/// Reads a file from disk, refusing one larger than [`MAX_FILE_BYTES`] or not UTF-8.
pub fn read_bounded(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_bounded_bytes(path)?).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        not_utf8(e.as_bytes(), valid_up_to)
    })
}

/// Reads a file's bytes from disk, refusing one larger than [`MAX_FILE_BYTES`].
pub fn read_bounded_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size,
            max: MAX_FILE_BYTES,
        });
    }
    // At most one byte past the limit: a file that grew since is refused, not read whole.
    let mut bytes = Vec::with_capacity(size as usize);
    file.by_ref()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // It grew since its size was read: its size now.
        let size = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err(ReadError::TooLarge {
            size,
            max: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// Whether a relative path stays below the folder it is joined to: not empty, and only
/// plain names (no `..`, `.`, root or prefix). The one check of every path mxspec writes
/// or removes.
pub fn stays_inside(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// `path` relative to `root`, with `/` separators.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
