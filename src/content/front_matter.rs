//! Front matter: YAML between `---` lines or TOML between `+++` lines.
//!
//! `title`, `weight`, `type`, `headless` and `description` are read; every key, known or
//! not, is kept for templates in `params`.

use crate::diagnostics::Code;
use crate::source::{line_col, parse, FileId, Pos, Syntax};

/// The front matter of a page.
#[derive(Clone, Debug, Default)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `weight` (0 when absent).
    pub weight: i64,
    /// `type`.
    pub kind: Option<String>,
    /// `headless`.
    pub headless: bool,
    /// Every key as written.
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// A front matter that cannot be read.
#[derive(Clone, Debug)]
pub struct FrontMatterError {
    /// The diagnostic code.
    pub code: Code,
    /// Where.
    pub pos: Pos,
    /// What.
    pub message: String,
}

/// Splits the front matter off `text`; returns it and the byte offset of the body.
pub fn split(text: &str, file: FileId) -> Result<(FrontMatter, usize), FrontMatterError> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let body = &text[text_start..];
    let fence = if body.starts_with("---") {
        "---"
    } else if body.starts_with("+++") {
        "+++"
    } else {
        return Ok((FrontMatter::default(), 0));
    };
    let first_nl = match body.find('\n') {
        Some(i) if body[..i].trim_end() == fence => i + 1,
        _ => return Ok((FrontMatter::default(), 0)),
    };
    let mut offset = first_nl;
    let mut end = None;
    for line in body[first_nl..].split_inclusive('\n') {
        if line.trim_end() == fence {
            end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start)) = end else {
        return Err(FrontMatterError {
            code: Code::FrontMatter,
            pos: Pos {
                file,
                line: 1,
                column: 1,
            },
            message: format!("front matter opened with `{fence}` is never closed"),
        });
    };
    let raw = &body[first_nl..fm_end];
    // Where `date` is written (YAML: its value's position, below the fence line).
    let mut date_pos = Pos {
        file,
        line: 2,
        column: 1,
    };
    let value = if fence == "---" {
        let node = parse(raw, Syntax::Yaml, file).map_err(|e| {
            let (line, column, message) = e.explained(raw);
            FrontMatterError {
                code: e.kind.into(),
                pos: Pos {
                    file,
                    line: line + 1,
                    column,
                },
                message,
            }
        })?;
        if let Some(date) = node.get("date") {
            date_pos = Pos {
                line: date.pos.line + 1,
                ..date.pos
            };
        }
        node.to_json()
    } else {
        toml::from_str::<serde_json::Value>(raw).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(raw, s.start)).unwrap_or((0, 0));
            FrontMatterError {
                code: Code::TomlSyntax,
                pos: Pos {
                    file,
                    line: line + 1,
                    column,
                },
                message: e.message().to_string(),
            }
        })?
    };
    let params = match value {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => serde_json::Map::new(),
        _ => {
            return Err(FrontMatterError {
                code: Code::FrontMatter,
                pos: Pos {
                    file,
                    line: 2,
                    column: 1,
                },
                message: "front matter must be a map of keys to values".to_string(),
            })
        }
    };
    // A date written as one (`2026-02-30`, or a time on that day) must be a day of the
    // calendar, as Hugo requires; other spellings are kept as they are.
    if let Some(date) = params.get("date").and_then(|d| d.as_str()) {
        let day = date.get(..10).unwrap_or(date);
        if crate::calendar::is_missing_day(day) {
            return Err(FrontMatterError {
                code: Code::FrontMatter,
                pos: date_pos,
                message: format!("`date: {date}`: {day} is not a day of the calendar"),
            });
        }
    }
    let front = FrontMatter {
        title: params
            .get("title")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        weight: params.get("weight").and_then(|v| v.as_i64()).unwrap_or(0),
        kind: params
            .get("type")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        headless: params
            .get("headless")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        params,
    };
    Ok((front, text_start + body_start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_left_open_says_to_look_above() {
        let text = "---\ntitle: \"Push Gateway API\nweight: 3\n---\nText.\n";
        let e = split(text, FileId(0)).unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(
            e.message.contains("a quoted string that starts above"),
            "{}",
            e.message
        );
    }

    #[test]
    fn yaml_front_matter() {
        let text = "---\ntitle: \"A\"\nweight: 10\nheadless: true\nextra: [1]\n---\nbody\n";
        let (fm, off) = split(text, FileId(0)).unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.weight, 10);
        assert!(fm.headless);
        assert!(fm.params.contains_key("extra"));
        assert_eq!(&text[off..], "body\n");
    }

    #[test]
    fn toml_front_matter() {
        let text = "+++\ntitle = \"T\"\ntype = \"docs\"\n+++\nx";
        let (fm, off) = split(text, FileId(0)).unwrap();
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.kind.as_deref(), Some("docs"));
        assert_eq!(&text[off..], "x");
    }

    #[test]
    fn bad_yaml_front_matter_points_into_the_file() {
        let err = split("---\ntitle: a\ntitle: b\n---\n", FileId(0)).unwrap_err();
        assert_eq!(err.code, Code::DuplicateKey);
        assert_eq!(err.pos.line, 3);
    }

    #[test]
    fn a_date_the_calendar_lacks_is_an_error_at_the_date() {
        let err = split("---\ntitle: T\ndate: 2026-02-29\n---\nx", FileId(0)).unwrap_err();
        assert_eq!((err.pos.line, err.pos.column), (3, 7), "{err:?}");
        assert!(
            err.message
                .contains("2026-02-29 is not a day of the calendar"),
            "{err:?}"
        );
        let toml = split("+++\ndate = \"2026-13-01T10:00:00Z\"\n+++\nx", FileId(0));
        assert!(toml.is_err());
        // A day that exists, a time on it, and another spelling are kept.
        for good in ["2024-02-29", "2021-11-09T10:00:00Z", "May 1"] {
            let text = format!("---\ndate: \"{good}\"\n---\nx");
            assert!(split(&text, FileId(0)).is_ok(), "{good}");
        }
    }

    #[test]
    fn no_front_matter() {
        let (fm, off) = split("# Hi\n", FileId(0)).unwrap();
        assert!(fm.title.is_none());
        assert_eq!(off, 0);
    }
}
