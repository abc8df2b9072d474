//! Rendering: towncrier 23.6's `split_fragments` and `render_fragments`, then the page
//! that upstream's `scripts/generate-changelog.sh` makes of it.
//!
//! What towncrier does, and so what this does:
//! - a fragment's text is stripped and, as every fragment is a bullet, its lines after
//!   the first are indented by two spaces; a type with `showcontent = false` shows no
//!   text;
//! - fragments of a section and type with the same text become one entry listing every
//!   issue; the issues of an entry are sorted as numbers (names before numbers), and the
//!   entries by their lists of issues (entries without an issue last, by text); the sort
//!   is stable, so entries with the same issues stay in file-name order;
//! - the template gets `sections` (name -> type -> text -> issues, as `#1234`),
//!   `definitions` (type -> name, showcontent), `versiondata`, `underlines`,
//!   `top_underline`, `render_title`, `get_indent` and `issues_by_category`; it renders
//!   with Jinja2's `trim_blocks` (minijinja here), and the result loses its trailing white
//!   space and ends with one newline.
//!
//! The page is then the front matter of `generate-changelog.sh` and that text with the
//! spaces at the end of each line removed.

use std::sync::Arc;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State};

use super::config::Config;
use super::fragments::Fragment;
use super::text::{py_rstrip, py_splitlines_keepends, py_strip};

/// What is being released: a version (`1.19`) or the unreleased changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Release {
    /// A version, `X.Y`.
    Version(String),
    /// The changes since the last release.
    Unstable,
}

impl Release {
    /// The page's file below `content/changelog/`: `v1.19.md` or `unstable.md`.
    pub fn file_name(&self) -> String {
        match self {
            Release::Version(v) => format!("v{v}.md"),
            Release::Unstable => "unstable.md".to_string(),
        }
    }
}

/// The page `generate-changelog.sh` writes: front matter, then the rendered changelog
/// with no space at the end of a line.
pub fn page(release: &Release, date: &str, commit: Option<&str>, rendered: &str) -> String {
    let (title, link_title) = match release {
        Release::Version(v) => (format!("v{v} Changelog"), format!("v{v}")),
        Release::Unstable => ("Changes since last release".into(), "Unstable".into()),
    };
    let mut out = format!(
        "---\ntitle: {title}\nlinkTitle: {link_title}\ntype: docs\nlayout: changelog\n\
         outputs:\n  - html\n  - checklist\ndate: {date}\n"
    );
    if let (Release::Unstable, Some(commit)) = (release, commit) {
        // Quoted: a short hash such as `511e345` or `0012345` reads as a number in YAML.
        out.push_str(&format!("params:\n  commit: \"{commit}\"\n"));
    }
    out.push_str("---\n");
    for line in rendered.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        out.push_str(text.trim_end_matches(' '));
        out.push_str(end);
    }
    out
}

/// One entry of a type: its text and its issues.
type Entry = (String, Vec<String>);

/// Renders the fragments with the template, as towncrier does. `version` is
/// `versiondata.version`; `date`, `versiondata.date`.
pub fn render(
    config: &Config,
    template: &str,
    fragments: &[Fragment],
    version: &str,
    date: &str,
) -> Result<String, Error> {
    let mut sections = Vec::new();
    let mut issues_by_category = Vec::new();
    for (index, section) in config.sections.iter().enumerate() {
        // Types in the order their first fragment was read; entries in reading order.
        let mut categories: Vec<(String, Vec<Entry>)> = Vec::new();
        for f in fragments.iter().filter(|f| f.section == index) {
            let shown = config
                .fragment_type(&f.category)
                .is_none_or(|t| t.showcontent);
            let text = match (shown, config.all_bullets) {
                (false, _) => String::new(),
                (true, true) => bullet(&f.text),
                (true, false) => py_rstrip(&f.text).to_string(),
            };
            let at = match categories.iter().position(|(c, _)| *c == f.category) {
                Some(at) => at,
                None => {
                    categories.push((f.category.clone(), Vec::new()));
                    categories.len() - 1
                }
            };
            let entries = &mut categories[at].1;
            let entry = match entries.iter().position(|(t, _)| *t == text) {
                Some(at) => &mut entries[at],
                None => {
                    entries.push((text, Vec::new()));
                    entries.last_mut().expect("just pushed")
                }
            };
            if !f.ticket.is_empty() {
                entry.1.push(f.ticket.clone());
            }
        }
        let mut section_value = Vec::new();
        let mut section_issues = Vec::new();
        for (category, mut entries) in categories {
            let mut all: Vec<String> = Vec::new();
            for (_, issues) in &mut entries {
                issues.sort_by_key(|i| issue_key(i));
                all.extend(issues.iter().cloned());
            }
            entries.sort_by(|a, b| entry_key(a).cmp(&entry_key(b)));
            all.sort_by_key(|i| issue_key(i));
            all.dedup();
            let shown = entries.into_iter().map(|(text, issues)| {
                let issues: Vec<Value> = issues.iter().map(|i| self::issue(config, i)).collect();
                (Value::from(text), Value::from(issues))
            });
            section_value.push((Value::from(category.clone()), ordered(shown)));
            let all: Vec<Value> = all.iter().map(|i| self::issue(config, i)).collect();
            section_issues.push((Value::from(category), Value::from(all)));
        }
        sections.push((Value::from(section.name.clone()), ordered(section_value)));
        issues_by_category.push((Value::from(section.name.clone()), ordered(section_issues)));
    }
    let definitions = config.types.iter().map(|t| {
        let fields = [
            (Value::from("name"), Value::from(t.name.clone())),
            (Value::from("showcontent"), Value::from(t.showcontent)),
        ];
        (Value::from(t.directory.clone()), ordered(fields))
    });
    let versiondata = [
        ("name", config.name.as_str()),
        ("version", version),
        ("date", date),
    ]
    .map(|(k, v)| (Value::from(k), Value::from(v)));
    let all_bullets = config.all_bullets;
    let get_indent = move |text: String| -> String {
        if all_bullets || text.starts_with("- ") || text.starts_with("* ") {
            "  ".into()
        } else if text.starts_with("#. ") {
            "   ".into()
        } else {
            String::new()
        }
    };
    let context = ordered([
        (Value::from("render_title"), Value::from(true)),
        (Value::from("sections"), ordered(sections)),
        (Value::from("definitions"), ordered(definitions)),
        (
            Value::from("underlines"),
            Value::from(config.underlines.get(1..).unwrap_or_default().to_vec()),
        ),
        (Value::from("versiondata"), ordered(versiondata)),
        (
            Value::from("top_underline"),
            Value::from(config.underlines.first().cloned().unwrap_or_default()),
        ),
        (Value::from("get_indent"), Value::from_function(get_indent)),
        (
            Value::from("issues_by_category"),
            ordered(issues_by_category),
        ),
    ]);
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(false)
        .keep_trailing_newline(false)
        .build()?;
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    // A template from a pull request must end: its work is bounded.
    env.set_fuel(Some(TEMPLATE_FUEL));
    // Jinja2's lexer reads every line break of the template as `\n`.
    let source = template.replace("\r\n", "\n").replace('\r', "\n");
    let compiled = env.template_from_str(&source)?;
    let rendered = compiled.render(context)?;
    Ok(format!("{}\n", py_rstrip(&rendered)))
}

/// How much work (minijinja's fuel: instructions) rendering the changelog template may
/// take; upstream's template takes a few thousand.
pub const TEMPLATE_FUEL: u64 = 5_000_000;

/// A fragment's text as a bullet: stripped, its other lines indented by two spaces.
fn bullet(text: &str) -> String {
    let mut out = String::new();
    for line in py_splitlines_keepends(py_strip(text)) {
        if !py_strip(line).is_empty() {
            out.push_str("  ");
        }
        out.push_str(line);
    }
    out.chars().skip(2).collect()
}

/// towncrier's `issue_key`: numbers as numbers, other names before them.
fn issue_key(issue: &str) -> (i128, String) {
    match issue.parse::<i128>() {
        Ok(n) => (n, String::new()),
        Err(_) => (-1, issue.to_string()),
    }
}

/// towncrier's `entry_key`: entries by their issues; those without issues last, by text.
fn entry_key(entry: &Entry) -> (&str, Vec<(i128, String)>) {
    let (text, issues) = entry;
    let first = if issues.is_empty() { text.as_str() } else { "" };
    (first, issues.iter().map(|i| issue_key(i)).collect())
}

/// towncrier's `render_issue`: `#1234` for a number, the name otherwise, or
/// `issue_format` with `{issue}` replaced.
fn issue(config: &Config, issue: &str) -> Value {
    let text = match &config.issue_format {
        Some(format) => format
            .replace("{issue}", issue)
            .replace("{{", "{")
            .replace("}}", "}"),
        None if issue.parse::<i128>().is_ok() => format!("#{issue}"),
        None => issue.to_string(),
    };
    Value::from(text)
}

/// A Python dict for the template: ordered as given, with `items()`, `keys()`,
/// `values()` and `get()`.
#[derive(Debug)]
struct Dict(Vec<(Value, Value)>);

fn ordered(pairs: impl IntoIterator<Item = (Value, Value)>) -> Value {
    Value::from_object(Dict(pairs.into_iter().collect()))
}

impl Object for Dict {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.iter().map(|(k, _)| k.clone()).collect())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let pairs = self.0.iter();
        match (method, args) {
            ("items", []) => Ok(Value::from(
                pairs
                    .map(|(k, v)| Value::from(vec![k.clone(), v.clone()]))
                    .collect::<Vec<_>>(),
            )),
            ("keys", []) => Ok(Value::from(
                pairs.map(|(k, _)| k.clone()).collect::<Vec<_>>(),
            )),
            ("values", []) => Ok(Value::from(
                pairs.map(|(_, v)| v.clone()).collect::<Vec<_>>(),
            )),
            ("get", [key, rest @ ..]) if rest.len() <= 1 => Ok(self
                .get_value(key)
                .or_else(|| rest.first().cloned())
                .unwrap_or(Value::from(()))),
            _ => Err(Error::new(
                ErrorKind::UnknownMethod,
                format!(
                    "a dict has no method {method} taking {} arguments",
                    args.len()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_hash_stays_text_in_the_front_matter() {
        for hash in ["511e345", "0012345", "abc1234"] {
            let text = page(&Release::Unstable, "2026-07-08", Some(hash), "");
            let (front, _) =
                crate::content::front_matter::split(&text, crate::source::FileId(0)).unwrap();
            assert_eq!(front.params["params"]["commit"], hash, "{text}");
        }
    }

    #[test]
    fn bullets_indent_their_other_lines() {
        assert_eq!(bullet("  One\ntwo\n\nthree\n"), "One\n  two\n\n  three");
        assert_eq!(bullet(""), "");
    }

    #[test]
    fn entries_sort_by_issues_as_numbers() {
        let mut entries: Vec<Entry> = vec![
            ("b".into(), vec!["10".into()]),
            ("a".into(), vec!["9".into(), "100".into()]),
            ("z".into(), vec![]),
            ("c".into(), vec!["gh-1".into()]),
        ];
        entries.sort_by(|a, b| entry_key(a).cmp(&entry_key(b)));
        let texts: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(texts, ["c", "a", "b", "z"]);
    }
}
