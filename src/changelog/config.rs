//! `changelogs/pyproject.toml`: the `[tool.towncrier]` table, read as towncrier 23.6
//! reads it.
//!
//! The fragment types (`[[tool.towncrier.type]]`: directory, name, showcontent) and the
//! sections (`[[tool.towncrier.section]]`: name, path) keep their order, which is the
//! order of the changelog. The options that change the rendering (`template`,
//! `issue_format`, `orphan_prefix`, `all_bullets`, `underlines`, `name`, `version`) are
//! read; those mxspec does not reproduce (`wrap = true`, a `title_format`, towncrier's
//! built-in templates, `[tool.towncrier.fragment.*]` tables) are refused, at their key.

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::source::line_col;

/// The configuration file, root-relative.
pub const CONFIG: &str = "changelogs/pyproject.toml";
/// The folder towncrier runs in: paths of the configuration are relative to it.
pub const BASE: &str = "changelogs";

/// One type of fragment: the file extension, its title, whether its text is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FragmentType {
    /// The extension of its files (`clarification`).
    pub directory: String,
    /// Its heading (`Spec Clarifications`).
    pub name: String,
    /// Whether the fragments' text is shown (otherwise only their numbers are).
    pub showcontent: bool,
}

/// One section of the changelog: its heading and the folder of its fragments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Its heading (`Client-Server API`); empty for the one unnamed section.
    pub name: String,
    /// Its folder below `changelogs/` (`client_server`).
    pub path: String,
}

/// What towncrier's configuration says.
#[derive(Clone, Debug)]
pub struct Config {
    /// The fragment types, in order.
    pub types: Vec<FragmentType>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// The template, root-relative (`changelogs/template.md.jinja`).
    pub template: String,
    /// `issue_format`: how an issue number is written (`{issue}` replaced).
    pub issue_format: Option<String>,
    /// Fragments whose name starts with this have no issue number.
    pub orphan_prefix: String,
    /// Whether every fragment is a bullet (its lines after the first are indented).
    pub all_bullets: bool,
    /// The underline characters (the first for the title, the rest for the template).
    pub underlines: Vec<String>,
    /// `name`: the project's name, for the template.
    pub name: String,
    /// `version`, for the template when no version is given.
    pub version: Option<String>,
}

impl Config {
    /// The fragment type named by an extension.
    pub fn fragment_type(&self, ext: &str) -> Option<&FragmentType> {
        self.types.iter().find(|t| t.directory == ext)
    }

    /// The root-relative folder of a section's fragments.
    pub fn section_dir(&self, section: &Section) -> String {
        let mut parts = vec![BASE];
        parts.extend(
            section
                .path
                .split('/')
                .filter(|p| !p.is_empty() && *p != "."),
        );
        parts.push("newsfragments");
        parts.join("/")
    }
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    towncrier: Option<Raw>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "type")]
    types: Option<Vec<RawType>>,
    #[serde(default)]
    section: Vec<RawSection>,
    template: Option<Spanned<String>>,
    issue_format: Option<String>,
    orphan_prefix: Option<String>,
    all_bullets: Option<bool>,
    wrap: Option<Spanned<bool>>,
    title_format: Option<Spanned<toml::Value>>,
    underlines: Option<Vec<String>>,
    name: Option<String>,
    version: Option<String>,
    directory: Option<Spanned<String>>,
    fragment: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct RawType {
    directory: String,
    name: String,
    #[serde(default = "yes")]
    showcontent: bool,
}

#[derive(Deserialize)]
struct RawSection {
    #[serde(default)]
    name: String,
    path: String,
}

fn yes() -> bool {
    true
}

/// Reads the configuration from the text of `changelogs/pyproject.toml`.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let at = |span: Option<std::ops::Range<usize>>, message: String| {
        let (line, column) = span.map_or((0, 0), |s| line_col(text, s.start));
        Diagnostic::in_file(
            Severity::Error,
            Code::ChangelogConfig,
            CONFIG,
            line,
            column,
            message,
        )
    };
    let doc: PyProject = toml::from_str(text).map_err(|e| at(e.span(), e.message().into()))?;
    let raw = doc
        .tool
        .and_then(|t| t.towncrier)
        .ok_or_else(|| at(None, "no [tool.towncrier] table".into()))?;
    let refuse = |span: std::ops::Range<usize>, what: &str| {
        Err(at(
            Some(span),
            format!("{what}: mxspec does not reproduce it; remove it"),
        ))
    };
    if let Some(wrap) = raw.wrap.as_ref().filter(|w| *w.get_ref()) {
        return refuse(wrap.span(), "`wrap = true` wraps entries at 79 columns");
    }
    if let Some(format) = &raw.title_format {
        if !matches!(format.get_ref(), toml::Value::String(s) if s.is_empty()) {
            return refuse(format.span(), "`title_format` writes a title line");
        }
    }
    if let Some(dir) = &raw.directory {
        return refuse(dir.span(), "`directory` moves the fragments");
    }
    if let Some(fragment) = &raw.fragment {
        return refuse(
            fragment.span(),
            "`[tool.towncrier.fragment.*]` tables; use `[[tool.towncrier.type]]`",
        );
    }
    let template = match raw.template {
        Some(t) if !t.get_ref().contains(':') => format!("{BASE}/{}", t.get_ref()),
        Some(t) => return refuse(t.span(), "towncrier's built-in templates"),
        None => {
            return Err(at(
                None,
                "no `template`: name the changelog's template".into(),
            ))
        }
    };
    let types = match raw.types {
        Some(types) => types
            .into_iter()
            .map(|t| FragmentType {
                directory: t.directory,
                name: t.name,
                showcontent: t.showcontent,
            })
            .collect(),
        None => default_types(),
    };
    let mut sections: Vec<Section> = raw
        .section
        .into_iter()
        .map(|s| Section {
            name: s.name,
            path: s.path,
        })
        .collect();
    if sections.is_empty() {
        sections.push(Section {
            name: String::new(),
            path: String::new(),
        });
    }
    Ok(Config {
        types,
        sections,
        template,
        issue_format: raw.issue_format,
        orphan_prefix: raw.orphan_prefix.unwrap_or_else(|| "+".into()),
        all_bullets: raw.all_bullets.unwrap_or(true),
        underlines: raw
            .underlines
            .unwrap_or_else(|| vec!["=".into(), "-".into(), "~".into()]),
        name: raw.name.unwrap_or_default(),
        version: raw.version,
    })
}

/// towncrier's types when the configuration names none.
fn default_types() -> Vec<FragmentType> {
    [
        ("feature", "Features", true),
        ("bugfix", "Bugfixes", true),
        ("doc", "Improved Documentation", true),
        ("removal", "Deprecations and Removals", true),
        ("misc", "Misc", false),
    ]
    .into_iter()
    .map(|(directory, name, showcontent)| FragmentType {
        directory: directory.into(),
        name: name.into(),
        showcontent,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_types_and_sections_in_order() {
        let config = parse(
            "[tool.towncrier]\ntemplate = \"t.md.jinja\"\n\
             [[tool.towncrier.type]]\ndirectory = \"b\"\nname = \"B\"\nshowcontent = false\n\
             [[tool.towncrier.type]]\ndirectory = \"a\"\nname = \"A\"\n\
             [[tool.towncrier.section]]\nname = \"Z\"\npath = \"z\"\n\
             [[tool.towncrier.section]]\nname = \"Y\"\npath = \"y\"\n",
        )
        .unwrap();
        let types: Vec<_> = config.types.iter().map(|t| t.directory.as_str()).collect();
        assert_eq!(types, ["b", "a"]);
        assert!(!config.types[0].showcontent && config.types[1].showcontent);
        let sections: Vec<_> = config.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(sections, ["Z", "Y"]);
        assert_eq!(config.template, "changelogs/t.md.jinja");
        assert_eq!(
            config.section_dir(&config.sections[0]),
            "changelogs/z/newsfragments"
        );
    }

    #[test]
    fn refuses_wrap_at_its_line() {
        let e = parse("[tool.towncrier]\ntemplate = \"t\"\nwrap = true\n").unwrap_err();
        assert_eq!((e.code, e.line), (Code::ChangelogConfig, 3));
    }
}
