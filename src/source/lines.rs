//! The one line index: byte offsets to 1-based lines and character columns, and back.
//!
//! Every position mxspec reports goes through a [`LineIndex`]: source files, front matter,
//! `mxspec.toml`, templates and parser messages that count in bytes.

use std::ops::Range;

/// The start of each line of a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset of `text` (the text the
    /// index was made from).
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_boundary(text, offset.min(self.len));
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text.get(start..offset).map_or(0, |t| t.chars().count()) + 1;
        (line as u32, column as u32)
    }

    /// The byte range of line `line` (1-based), without its line break (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: u32) -> Option<Range<usize>> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(self.len, |e| e - 1);
        let end = if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
            end - 1
        } else {
            end
        };
        Some(start..end)
    }

    /// The byte offset of a 1-based line and character column, if inside the text.
    pub fn offset(&self, text: &str, line: u32, column: u32) -> Option<usize> {
        let range = self.line_range(text, line)?;
        let skip = (column as usize).checked_sub(1)?;
        let line_text = &text[range.clone()];
        match line_text.char_indices().nth(skip) {
            Some((i, _)) => Some(range.start + i),
            None if skip == line_text.chars().count() => Some(range.end),
            None => None,
        }
    }

    /// The 1-based character column of a 1-based byte column on `line`.
    pub fn char_column(&self, text: &str, line: u32, byte_column: usize) -> u32 {
        match self.line_range(text, line) {
            Some(range) => {
                let at = range.start + byte_column.saturating_sub(1).min(range.len());
                self.line_col(text, at).1
            }
            None => byte_column as u32,
        }
    }
}

/// The largest char boundary at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and column of a byte offset of `text`, for a text read once.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    LineIndex::new(text).line_col(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_columns_and_back() {
        let text = "ab\r\nçd\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 4), (2, 1));
        assert_eq!(index.line_col(text, 6), (2, 2), "columns count characters");
        assert_eq!(index.line_col(text, 9), (4, 1));
        assert_eq!(&text[index.line_range(text, 1).unwrap()], "ab");
        assert_eq!(&text[index.line_range(text, 2).unwrap()], "çd");
        assert_eq!(&text[index.line_range(text, 3).unwrap()], "");
        assert_eq!(index.line_range(text, 5), None);
        assert_eq!(index.offset(text, 2, 2), Some(6));
        assert_eq!(index.char_column(text, 2, 3), 2);
        assert_eq!(line_col("a\nb", 2), (2, 1));
    }
}
