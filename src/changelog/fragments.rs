//! News fragments: finding them as towncrier does, and checking them as a pull request
//! must have them.
//!
//! towncrier reads every file of a section's `newsfragments/` folder whose name holds a
//! configured type (`1234.clarification`, also `1234.clarification.2`), and skips the
//! others. The check is stricter, as upstream's `scripts/check-newsfragments` and release
//! checklist are: a file there is named `<number>.<type>`; a file named like a fragment
//! anywhere else under `changelogs/` is misplaced; the text is one paragraph ending with
//! a full stop. Hidden files (`.gitignore`, which keeps an empty folder in git) are not
//! fragments.

use super::config::Config;
use super::text::{is_py_space, py_strip};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::project::{Area, Project};
use crate::source::line_col;

/// One news fragment as towncrier reads it.
#[derive(Clone, Debug)]
pub struct Fragment {
    /// Root-relative path.
    pub rel: String,
    /// The index of its section in the configuration.
    pub section: usize,
    /// The issue (pull request) number as towncrier writes it; empty for an orphan.
    pub ticket: String,
    /// Its type (the extension).
    pub category: String,
    /// The counter of `1234.type.2` (0 when none).
    pub counter: u64,
    /// Its text.
    pub text: String,
}

/// The fragments of every section, as towncrier collects them: in section order, each
/// section's in file-name order. Two files that make the same fragment (`0012.feature`
/// and `12.feature`) are an error, as in towncrier.
pub fn collect(project: &Project, config: &Config) -> Result<Vec<Fragment>, Diagnostic> {
    let mut found: Vec<Fragment> = Vec::new();
    let mut orphans: std::collections::HashMap<String, u64> = Default::default();
    for (index, section) in config.sections.iter().enumerate() {
        let dir = config.section_dir(section);
        for file in project.files_in(Area::Changelogs) {
            let Some((parent, basename)) = file.rel.rsplit_once('/') else {
                continue;
            };
            if parent != dir {
                continue;
            }
            let Some((mut ticket, category, mut counter)) = parse_basename(basename, config) else {
                continue;
            };
            if ticket.starts_with(&config.orphan_prefix) && !config.orphan_prefix.is_empty() {
                ticket = String::new();
                let next = orphans.entry(category.clone()).or_default();
                counter = *next;
                *next += 1;
            }
            let same = |f: &Fragment| {
                f.section == index
                    && (&f.ticket, &f.category, f.counter) == (&ticket, &category, counter)
            };
            if found.iter().any(same) {
                return Err(Diagnostic::in_file(
                    Severity::Error,
                    Code::FragmentName,
                    file.rel.clone(),
                    0,
                    0,
                    format!("a second fragment for {ticket}.{category} in {dir}/: merge them"),
                ));
            }
            found.push(Fragment {
                rel: file.rel.clone(),
                section: index,
                ticket,
                category,
                counter,
                text: project.text(file).unwrap_or_default().to_string(),
            });
        }
    }
    Ok(found)
}

/// towncrier's reading of a file name: issue, type and counter, or `None` when the name
/// holds no configured type.
fn parse_basename(basename: &str, config: &Config) -> Option<(String, String, u64)> {
    let parts: Vec<&str> = basename.split('.').collect();
    let is_type = |p: &str| config.fragment_type(p).is_some();
    match parts.len() {
        0 | 1 => None,
        2 => is_type(parts[1]).then(|| (integer_string(parts[0]), parts[1].to_string(), 0)),
        _ => {
            let i = (1..parts.len()).find(|&i| is_type(parts[i]))?;
            let counter = parts
                .get(i + 1)
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            Some((integer_string(parts[i - 1]), parts[i].to_string(), counter))
        }
    }
}

/// Python's `str(int(s))` when `s` is an integer (`0012` -> `12`, `+5` -> `5`), else `s`.
fn integer_string(s: &str) -> String {
    let t = py_strip(s);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return s.to_string();
    }
    let plain: String = digits.chars().filter(|c| *c != '_').collect();
    let plain = plain.trim_start_matches('0');
    match (plain.is_empty(), negative) {
        (true, _) => "0".to_string(),
        (false, true) => format!("-{plain}"),
        (false, false) => plain.to_string(),
    }
}

/// The name of a fragment as a pull request adds it: `<number>.<rest>`.
fn number_and_rest(basename: &str) -> Option<(&str, &str)> {
    let (number, rest) = basename.split_once('.')?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty())
        .then_some((number, rest))
}

/// Every problem of the files of `changelogs/` as fragments, and the files that are
/// well-formed fragments (root-relative path and number).
pub fn validate(project: &Project, config: &Config) -> (Vec<Diagnostic>, Vec<(String, String)>) {
    let dirs: Vec<String> = config
        .sections
        .iter()
        .map(|s| config.section_dir(s))
        .collect();
    let types: Vec<String> = config
        .types
        .iter()
        .map(|t| format!(".{}", t.directory))
        .collect();
    let mut found = Vec::new();
    let mut good = Vec::new();
    let error = |rel: &str, line, column, code, message: String| {
        Diagnostic::in_file(Severity::Error, code, rel, line, column, message)
    };
    for file in project.files_in(Area::Changelogs) {
        let rel = file.rel.as_str();
        let (parent, basename) = rel.rsplit_once('/').unwrap_or(("", rel));
        if basename.starts_with('.') {
            continue;
        }
        let in_section = dirs.iter().any(|d| d == parent);
        match (in_section, number_and_rest(basename)) {
            (false, None) => {}
            (false, Some(_)) => {
                found.push(error(
                    rel,
                    0,
                    0,
                    Code::FragmentMisplaced,
                    format!(
                    "this is named like a news fragment but lies outside the sections' folders: \
                     move it to one of {}",
                    dirs.iter().map(|d| format!("{d}/")).collect::<Vec<_>>().join(", ")
                ),
                ))
            }
            (true, None) => found.push(error(
                rel,
                0,
                0,
                Code::FragmentName,
                format!(
                    "a news fragment is named <pull request number>.<type>, such as 1234{}",
                    types.first().map_or(".feature", String::as_str)
                ),
            )),
            (true, Some((_, ext)))
                if ext
                    .split_once('.')
                    .is_some_and(|(t, _)| config.fragment_type(t).is_some()) =>
            {
                found.push(error(
                    rel,
                    0,
                    0,
                    Code::FragmentName,
                    format!(
                        "a news fragment is named <pull request number>.<type>: `.{ext}` adds \
                         to the type; one pull request has one fragment of a type"
                    ),
                ))
            }
            (true, Some((_, ext))) if config.fragment_type(ext).is_none() => found.push(error(
                rel,
                0,
                0,
                Code::FragmentType,
                match crate::suggest::nearest(
                    ext,
                    config.types.iter().map(|t| t.directory.as_str()),
                ) {
                    Some(near) => format!(
                        "`.{ext}` is not a type of {}{} (the types: {})",
                        super::config::CONFIG,
                        crate::suggest::did_you_mean(Some(format!(".{near}"))),
                        types.join(", ")
                    ),
                    None => format!(
                        "`.{ext}` is not a type of {}: use one of {}",
                        super::config::CONFIG,
                        types.join(", ")
                    ),
                },
            )),
            (true, Some((number, _))) => {
                if let Some(text) = project.text(file) {
                    found.extend(check_text(rel, text));
                }
                good.push((rel.to_string(), number.to_string()));
            }
        }
    }
    (found, good)
}

/// The problems of a fragment's text: empty, more than one paragraph, no full stop.
fn check_text(rel: &str, text: &str) -> Vec<Diagnostic> {
    let at = |offset: usize, code, message: &str| {
        let (line, column) = line_col(text, offset);
        Diagnostic::in_file(Severity::Error, code, rel, line, column, message)
    };
    let body = py_strip(text);
    if body.is_empty() {
        let message = "this news fragment is empty: say in one sentence what changed";
        return vec![Diagnostic::in_file(
            Severity::Error,
            Code::FragmentEmpty,
            rel,
            0,
            0,
            message,
        )];
    }
    let start = body.as_ptr() as usize - text.as_ptr() as usize;
    let mut found = Vec::new();
    let mut offset = start;
    let mut blank = false;
    for line in body.split_inclusive('\n') {
        if line.chars().all(is_py_space) {
            blank = true;
        } else if blank {
            found.push(at(
                offset,
                Code::FragmentParagraphs,
                "a news fragment is one paragraph: this starts a second one",
            ));
            break;
        }
        offset += line.len();
    }
    if !body.ends_with('.') && !is_one_link(body) {
        let last = start + body.len() - body.chars().last().map_or(0, char::len_utf8);
        found.push(at(
            last,
            Code::FragmentFullStop,
            "a news fragment ends with a full stop",
        ));
    }
    found
}

/// Whether the text is one Markdown link and nothing else: how upstream lists an
/// endpoint under "New Endpoints", without a full stop.
fn is_one_link(body: &str) -> bool {
    let Some(inner) = body.strip_prefix('[').and_then(|b| b.strip_suffix(')')) else {
        return false;
    };
    match inner.rsplit_once("](") {
        Some((label, url)) => {
            !label.contains('\n') && !url.is_empty() && !url.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_python_writes_them() {
        assert_eq!(integer_string("0012"), "12");
        assert_eq!(integer_string("+5"), "5");
        assert_eq!(integer_string("1_000"), "1000");
        assert_eq!(integer_string("gh-12"), "gh-12");
        assert_eq!(integer_string("000"), "0");
    }

    #[test]
    fn text_rules() {
        assert!(check_text("f", "Fixed a thing.\n").is_empty());
        assert!(check_text("f", "[`GET /a`](/client-server-api/#get_a)\n").is_empty());
        let codes = |t: &str| -> Vec<(Code, u32, u32)> {
            check_text("f", t)
                .into_iter()
                .map(|d| (d.code, d.line, d.column))
                .collect()
        };
        assert_eq!(codes(" \n\n"), [(Code::FragmentEmpty, 0, 0)]);
        assert_eq!(codes("Fixed a thing\n"), [(Code::FragmentFullStop, 1, 13)]);
        assert_eq!(codes("One.\n\nTwo.\n"), [(Code::FragmentParagraphs, 3, 1)]);
    }
}
