//! Integration tests of `mxspec build`: the real binary on fixture projects and on the
//! upstream corpus.
//!
//! Each fixture under `tests/fixtures/build/<case>/` is a small project: `data/`,
//! `content/` and, when a test is about overrides, `templates/`. Every build writes into a
//! temporary folder (`--output`), never into the repository. Tests that change a project
//! copy its fixture into a temporary root first. Expected lines and columns are counted by
//! hand from the fixture text (1-based, in characters). Corpus tests make a temporary root
//! whose `data/` is a symlink to the corpus's, and skip when the corpus is absent.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{
    self, build_fixture, build_json, build_raw, check_json, copy_dir, error, fixture_copy,
    mxspec_in, tree, upstream, warning, Report,
};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A site built into a temporary folder.
pub(crate) struct Site {
    _tmp: TempDir,
    /// The output folder (`<tmp>/site`).
    pub(crate) dir: PathBuf,
    /// What the build reported.
    pub(crate) report: Report,
}

impl Site {
    /// The text of a written file, such as `a/b/index.html`.
    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| {
            panic!(
                "cannot read {rel} of the site ({e}); files: {:?}",
                tree(&self.dir).keys().collect::<Vec<_>>()
            )
        })
    }

    /// The `<main>` of a page: what the page's content became.
    pub(crate) fn main(&self, rel: &str) -> String {
        let html = self.read(rel);
        between(&html, "<main class=\"content\">", "</main>").to_string()
    }

    /// The output-relative paths of the files written (folders left out).
    fn files(&self) -> Vec<String> {
        tree(&self.dir)
            .into_iter()
            .filter(|(_, bytes)| bytes.is_some())
            .map(|(path, _)| path.to_string_lossy().into_owned())
            .collect()
    }
}

/// Builds `root` into a new temporary folder with `extra` arguments; the build must pass.
pub(crate) fn build_ok(root: &Path, extra: &[&str]) -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let report = build_json(root, &dir, extra);
    assert_eq!(report.run.status, Some(0), "{}", report.describe());
    assert!(
        dir.join(".mxspec-site").is_file(),
        "no marker file in the output\n{}",
        report.describe()
    );
    Site {
        _tmp: tmp,
        dir,
        report,
    }
}

/// Builds `root` into a new temporary folder; the build must fail (exit 1) and write
/// nothing. Returns the report.
fn build_fails(root: &Path, extra: &[&str]) -> Report {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let report = build_json(root, &dir, extra);
    assert_eq!(report.run.status, Some(1), "{}", report.describe());
    assert!(
        !dir.exists(),
        "a failed build wrote {}\n{}",
        dir.display(),
        report.describe()
    );
    assert_eq!(
        tree(tmp.path()).len(),
        0,
        "a failed build left files next to the output: {:?}",
        tree(tmp.path()).keys().collect::<Vec<_>>()
    );
    assert!(
        report.run.stderr.contains("nothing was written"),
        "{}",
        report.describe()
    );
    report
}

/// A temporary project whose `data/` is a copy of the upstream snapshot's `data/` (a link
/// out of the root is refused) and whose `content/_index.md` is `index`; `None` when the
/// snapshot is absent.
#[cfg(unix)]
fn upstream_project(index: &str) -> Option<TempDir> {
    let corpus = upstream()?;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    fs::create_dir_all(root.join("content")).unwrap();
    copy_dir(&corpus.join("data"), &root.join("data"));
    fs::write(root.join("content/_index.md"), index).unwrap();
    Some(tmp)
}

/// The text between the first `start` and the next `end` (both excluded).
pub(crate) fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{html}"))
        + start.len();
    let to = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?} in:\n{html}"));
    &html[from..from + to]
}

/// The whole `<section ...>...</section>` that holds `id="<id>"`.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no id {id:?} in:\n{html}"));
    let start = html[..at]
        .rfind("<section")
        .unwrap_or_else(|| panic!("id {id:?} is not in a section"));
    let end = at + html[at..].find("</section>").expect("unclosed section") + "</section>".len();
    &html[start..end]
}

/// The whole `<nav class="<class>" ...>...</nav>` of a page.
fn nav<'h>(html: &'h str, class: &str) -> &'h str {
    let open = format!("<nav class=\"{class}\"");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no {open:?} in:\n{html}"));
    let end = start + html[start..].find("</nav>").expect("unclosed nav") + "</nav>".len();
    &html[start..end]
}

/// The object tables of an HTML fragment, in order.
fn tables(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<table") {
        let end = i + rest[i..].find("</table>").expect("unclosed table") + "</table>".len();
        if rest[i..end].contains("class=\"object-table\"") {
            out.push(&rest[i..end]);
        }
        rest = &rest[end..];
    }
    out
}

/// The object table with this id.
fn table<'h>(html: &'h str, id: &str) -> &'h str {
    tables(html)
        .into_iter()
        .find(|t| t.starts_with(&format!("<table id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no table {id:?} in:\n{html}"))
}

/// The `id` of each object table of an HTML fragment (`""` for a table without one).
fn table_ids(html: &str) -> Vec<&str> {
    tables(html)
        .into_iter()
        .map(|t| match t.strip_prefix("<table id=\"") {
            Some(rest) => &rest[..rest.find('"').unwrap()],
            None => "",
        })
        .collect()
}

/// One row of an object table: name, Type HTML, Description HTML.
#[derive(Debug)]
struct Row<'h> {
    name: &'h str,
    ty: &'h str,
    desc: &'h str,
}

/// The property rows of an object table, in order.
fn rows(table: &str) -> Vec<Row<'_>> {
    table
        .split("<tr><td><code>")
        .skip(1)
        .filter_map(|row| {
            let (name, rest) = row.split_once("</code></td><td><code>")?;
            let (ty, rest) = rest.split_once("</code></td><td>")?;
            let (desc, _) = rest.split_once("</td></tr>")?;
            Some(Row { name, ty, desc })
        })
        .collect()
}

/// The row `name` of an object table.
fn row<'h>(table: &'h str, name: &str) -> Row<'h> {
    rows(table)
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name:?} in:\n{table}"))
}

/// The ids of the `<h1>` of each rendered section, in order.
fn section_anchors(html: &str) -> Vec<&str> {
    html.split("<summary><h1 id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

/// Hugo's `anchorize`, written here independently of the crate: lower case; letters,
/// digits, `-` and `_` kept; white space becomes `-`; everything else dropped.
fn anchorize(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some("-".to_string())
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().to_string())
            } else {
                None
            }
        })
        .collect()
}

/// Decodes the character references a browser decodes in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            } else if let Some(dec) = name.strip_prefix('#') {
                char::from_u32(dec.parse().ok()?)?
            } else {
                match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "Tab" => '\t',
                    "NewLine" => '\n',
                    "colon" => ':',
                    "sol" => '/',
                    _ => return None,
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One attribute of a tag: tag name, attribute name (both lower case), decoded value.
#[derive(Debug)]
struct Attr {
    tag: String,
    name: String,
    value: String,
}

/// Every attribute of every tag of an HTML document, values decoded as a browser would.
/// Comments, doctypes and end tags are skipped; text is never read as tags.
fn attributes(html: &str) -> Vec<Attr> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            if bytes[i..].starts_with(b"<!--") {
                i += html[i..].find("-->").map_or(bytes.len(), |e| e + 3);
            } else {
                i += 1;
            }
            continue;
        }
        i += 1;
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"/>".contains(&bytes[i]) {
            i += 1;
        }
        let tag = html[start..i].to_ascii_lowercase();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let name_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i])
            {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..]
                            .find(q as char)
                            .map_or(bytes.len(), |e| i + 1 + e);
                        value = html[i + 1..end].to_string();
                        i = end + 1;
                    }
                    _ => {
                        let v_start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = html[v_start..i].to_string();
                    }
                }
            }
            out.push(Attr {
                tag: tag.clone(),
                name,
                value: decode_entities(&value),
            });
        }
    }
    out
}

/// Attributes whose value a browser follows as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "cite",
    "background",
];

/// Whether a browser would run this URL as script: C0 controls and spaces are stripped
/// (tabs and newlines anywhere), the scheme compared without case.
fn runs_script(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && *c != ' ')
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// The URL attributes of `html` that would run script.
fn script_urls(html: &str) -> Vec<Attr> {
    attributes(html)
        .into_iter()
        .filter(|a| URL_ATTRIBUTES.contains(&a.name.as_str()) && runs_script(&a.value))
        .collect()
}

/// The sidebar of a page: (href as a browser reads it, title, depth, current).
fn sidebar(html: &str) -> Vec<(String, String, u32, bool)> {
    let nav = between(html, "<nav class=\"sidebar\"", "</nav>");
    nav.split("<li class=\"depth-")
        .skip(1)
        .map(|item| {
            let depth: u32 = item[..item.find(|c: char| !c.is_ascii_digit()).unwrap()]
                .parse()
                .unwrap();
            let class_end = item.find('"').unwrap();
            let current = item[..class_end].contains("current");
            let href = decode_entities(between(item, "href=\"", "\""));
            let title = between(&item[item.find("<a ").unwrap()..], ">", "</a>").to_string();
            (href, title, depth, current)
        })
        .collect()
}

/// The table of contents of a page: (level, href, text).
pub(crate) fn toc(html: &str) -> Vec<(u32, String, String)> {
    let Some(at) = html.find("<nav class=\"toc\"") else {
        return Vec::new();
    };
    let nav = between(&html[at..], ">", "</nav>");
    nav.split("<li class=\"toc-h")
        .skip(1)
        .map(|item| {
            let level = item[..1].parse().unwrap();
            let href = decode_entities(between(item, "href=\"", "\""));
            let text = between(&item[item.find("<a ").unwrap()..], ">", "</a>").to_string();
            (level, href, text)
        })
        .collect()
}

/// The `id` of every heading `<hN id="...">` of a fragment, with its level.
fn heading_ids(html: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for level in 1..=6u32 {
        let open = format!("<h{level} id=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&open) {
            let after = &rest[i + open.len()..];
            let id = &after[..after.find('"').unwrap()];
            out.push((html.len() - rest.len() + i, level, id.to_string()));
            rest = after;
        }
    }
    out.sort();
    out.into_iter().map(|(_, l, id)| (l, id)).collect()
}

// ---------------------------------------------------------------------------------------
// 1. Layout
// ---------------------------------------------------------------------------------------

#[test]
fn content_tree_becomes_pages_as_in_hugo() {
    let site = build_ok(&build_fixture("layout"), &[]);
    site.report.assert_exactly(&[]);
    // content/_index.md -> index.html, content/a/_index.md -> a/index.html,
    // content/a/b.md -> a/b/index.html; content/bundle/ is a headless bundle: no pages.
    assert_eq!(
        site.files(),
        [
            ".mxspec-site",
            "404.html",
            "a/b/index.html",
            "a/c/index.html",
            "a/d/index.html",
            "a/index.html",
            "elasticlunr.min.js",
            "index.html",
            "mxspec.css",
            "search-index.js",
            "search.js",
            "versions.json",
            "z/index.html",
        ]
    );
    assert!(!site.dir.join("bundle").exists());
    for (rel, title, body) in [
        ("index.html", "Home", "Text with a"),
        // TOML front matter (+++).
        (
            "a/index.html",
            "Section A",
            "Section A body, from TOML front matter.",
        ),
        ("a/b/index.html", "Beta", "Beta body."),
        ("a/c/index.html", "Alpha", "Alpha body."),
        ("a/d/index.html", "Aardvark", "Aardvark body."),
        ("z/index.html", "Zed first", "Zed body."),
    ] {
        let html = site.read(rel);
        assert!(
            html.contains(&format!("<h1 class=\"page-title\">{title}</h1>")),
            "{rel}:\n{html}"
        );
        assert!(html.contains(body), "{rel}:\n{html}");
        let want_title = if title == "Home" {
            "<title>Home</title>".to_string()
        } else {
            format!("<title>{title} | Home</title>")
        };
        assert!(html.contains(&want_title), "{rel}:\n{html}");
        for fragment in ["Fragment body", "Bundle index body", "Deep fragment body"] {
            assert!(!html.contains(fragment), "{rel} shows {fragment:?}");
        }
    }
}

#[test]
fn sidebar_is_ordered_by_weight_then_title() {
    let site = build_ok(&build_fixture("layout"), &[]);
    let item = |href: &str, title: &str, depth: u32, current: bool| {
        (href.to_string(), title.to_string(), depth, current)
    };
    // z (weight 1) before a (weight 2); under a: Alpha and Beta (weight 1, by title), then
    // Aardvark (weight 5). The headless bundle is not listed.
    assert_eq!(
        sidebar(&site.read("a/index.html")),
        [
            item("/z/", "Zed first", 0, false),
            item("/a/", "Section A", 0, true),
            item("/a/c/", "Alpha", 1, false),
            item("/a/b/", "Beta", 1, false),
            item("/a/d/", "Aardvark", 1, false),
        ]
    );
    let on_beta = sidebar(&site.read("a/b/index.html"));
    let current: Vec<_> = on_beta.iter().filter(|i| i.3).map(|i| &i.0).collect();
    assert_eq!(current, ["/a/b/"]);
    // The whole sidebar as written: nesting classes, the current page, encoded hrefs.
    insta::assert_snapshot!(
        "layout_sidebar_of_section_a",
        nav(&site.read("a/index.html"), "sidebar")
    );
}

#[test]
fn headings_get_hugo_ids_and_a_table_of_contents() {
    let site = build_ok(&build_fixture("layout"), &[]);
    let html = site.read("index.html");
    let main = site.main("index.html");
    let ids: Vec<(u32, String)> = heading_ids(&main);
    let want: Vec<(u32, String)> = [
        (1, "intro"),
        (2, "overview"),
        (2, "overview-1"),
        (3, "sub-part-code"),
        (4, "deep-heading"),
        (2, "overview-2"),
        (2, "my-id"),
    ]
    .iter()
    .map(|(l, id)| (*l, id.to_string()))
    .collect();
    assert_eq!(ids, want, "{main}");
    // The table of contents lists h2 and h3 only, with their text without markup.
    let entry = |level: u32, href: &str, text: &str| (level, href.to_string(), text.to_string());
    assert_eq!(
        toc(&html),
        [
            entry(2, "#overview", "Overview"),
            entry(2, "#overview-1", "Overview"),
            entry(3, "#sub-part-code", "Sub part code"),
            entry(2, "#overview-2", "Overview"),
            entry(2, "#my-id", "Custom"),
        ]
    );
    // A page without h2 or h3 has no table of contents.
    assert!(!site.read("a/c/index.html").contains("class=\"toc\""));
    assert_eq!(
        toc(&site.read("a/b/index.html")),
        [entry(2, "#details", "Details")]
    );
    // The table of contents as written: levels as classes, text without markup.
    insta::assert_snapshot!("layout_table_of_contents", nav(&html, "toc"));
}

#[test]
fn build_message_counts_pages_and_files() {
    let site = build_ok(&build_fixture("layout"), &[]);
    // Six pages (the headless bundle is none) and twelve files (the stylesheet,
    // versions.json, 404.html, and the search's index, engine and script).
    assert!(
        site.report.run.stderr.contains("built 6 pages (12 files)"),
        "{}",
        site.report.run.stderr
    );
}

#[test]
fn default_output_is_the_site_folder_of_the_root() {
    let (_tmp, root) = fixture_copy("layout");
    let run = mxspec_in(Some(&root), ["build"]);
    assert_eq!(run.status, Some(0), "{run:?}");
    assert!(root.join("site/.mxspec-site").is_file());
    assert!(root.join("site/a/b/index.html").is_file());
}

// ---------------------------------------------------------------------------------------
// 2. Events over the corpus
// ---------------------------------------------------------------------------------------

const CORPUS_EVENTS: &str = "---\ntitle: Events\n---\n\
{{% event event=\"m.room_key.withheld\" %}}\n\n\
{{% event event=\"m.call.answer\" %}}\n\n\
{{% event event=\"m.receipt\" %}}\n\n\
{{% event event=\"m.room.name\" %}}\n\n\
{{% event event=\"m.room_key\" %}}\n";

#[cfg(unix)]
#[test]
fn corpus_event_room_key_withheld() {
    let Some(tmp) = upstream_project(CORPUS_EVENTS) else {
        return;
    };
    let site = build_ok(&tmp.path().join("root"), &[]);
    assert_eq!(site.report.summary.errors, 0, "{}", site.report.describe());
    let html = site.read("index.html");
    let sec = section(&html, "mroom_keywithheld");
    assert!(
        sec.starts_with("<section class=\"rendered-data event\">"),
        "{sec}"
    );
    assert!(
        sec.contains("<h1 id=\"mroom_keywithheld\"><code>m.room_key.withheld</code>"),
        "{sec}"
    );
    assert!(
        sec.contains("<table class=\"basic-info\">\n<tr><th>Event type:</th><td>Message event</td></tr>\n</table>"),
        "{sec}"
    );
    assert!(!sec.contains("State key"), "{sec}");
    let object_tables = tables(sec);
    assert_eq!(object_tables.len(), 1, "{sec}");
    let t = object_tables[0];
    let names: Vec<&str> = rows(t).iter().map(|r| r.name).collect();
    assert_eq!(
        names,
        [
            "algorithm",
            "code",
            "reason",
            "room_id",
            "sender_key",
            "session_id"
        ]
    );
    let algorithm = row(t, "algorithm");
    assert_eq!(algorithm.ty, "string");
    assert!(
        algorithm.desc.starts_with("<p><strong>Required: </strong>"),
        "{algorithm:?}"
    );
    assert!(
        algorithm
            .desc
            .contains("One of: <code>[m.megolm.v1.aes-sha2]</code>"),
        "{algorithm:?}"
    );
    let code = row(t, "code");
    assert!(
        code.desc.contains(
            "One of: <code>[m.blacklisted, m.unverified, m.unauthorised, m.unavailable, m.no_olm, m.history_not_shared]</code>"
        ),
        "{code:?}"
    );
    let room_id = row(t, "room_id");
    assert!(
        room_id.ty.starts_with("<a href=\"") && room_id.ty.ends_with("\">Room ID</a>"),
        "{room_id:?}"
    );
    assert!(!room_id.desc.contains("Required: "), "{room_id:?}");
    // The corpus's string-formats.yaml defines mx-unpadded-base64.
    let sender_key = row(t, "sender_key");
    assert!(
        sender_key.ty.starts_with("<a href=\"")
            && sender_key.ty.ends_with("\">Unpadded Base64</a>"),
        "{sender_key:?}"
    );
    assert!(
        sender_key
            .desc
            .starts_with("<p><strong>Required: </strong>"),
        "{sender_key:?}"
    );
    assert!(sec.contains("<h2>Examples</h2>"), "{sec}");
    assert!(
        sec.contains("<pre class=\"example\"><code class=\"language-json\">{"),
        "{sec}"
    );
    assert!(
        sec.contains("&quot;type&quot;: &quot;m.room_key.withheld&quot;"),
        "{sec}"
    );
    // The inline `**[Added in `v1.19`]**` marker of the description becomes one badge.
    assert!(
        sec.contains("<li><span class=\"version-badge added-in\"><strong>[Added in <code>v1.19</code>]</strong></span> <code>m.history_not_shared</code>"),
        "{sec}"
    );
}

#[cfg(unix)]
#[test]
fn corpus_event_call_answer_tables_link_to_each_other() {
    let Some(tmp) = upstream_project(CORPUS_EVENTS) else {
        return;
    };
    let site = build_ok(&tmp.path().join("root"), &[]);
    let html = site.read("index.html");
    let sec = section(&html, "mcallanswer");
    assert_eq!(
        table_ids(sec),
        [
            "mcallanswer_callevent",
            "mcallanswer_answer",
            "mcallanswer_streammetadata"
        ]
    );
    let call_event = table(sec, "mcallanswer_callevent");
    assert!(
        call_event.contains("<caption>CallEvent</caption>"),
        "{call_event}"
    );
    assert_eq!(
        row(call_event, "answer").ty,
        "<a href=\"#mcallanswer_answer\">Answer</a>"
    );
    assert_eq!(
        row(call_event, "sdp_stream_metadata").ty,
        "{string: <a href=\"#mcallanswer_streammetadata\">StreamMetadata</a>}"
    );
    assert!(table(sec, "mcallanswer_answer").contains("<caption>Answer</caption>"));
    let metadata = table(sec, "mcallanswer_streammetadata");
    assert!(metadata.contains("<caption>StreamMetadata</caption>"));
    assert!(
        row(metadata, "purpose")
            .desc
            .contains("One of: <code>[m.usermedia, m.screenshare]</code>"),
        "{metadata}"
    );
}

#[cfg(unix)]
#[test]
fn corpus_event_receipt_pattern_properties() {
    let Some(tmp) = upstream_project(CORPUS_EVENTS) else {
        return;
    };
    let site = build_ok(&tmp.path().join("root"), &[]);
    let html = site.read("index.html");
    let sec = section(&html, "mreceipt");
    // content has only patternProperties `^\$` (x-pattern-format mx-event-id) of an object
    // titled "Event Receipts": the top table is a Type/Description summary.
    assert_eq!(
        table_ids(sec),
        ["", "mreceipt_event-receipts", "mreceipt_receipt"]
    );
    let top = tables(sec)[0];
    assert!(
        top.contains(
            "<td><code>{<a href=\"/appendices#event-ids\">Event ID</a>: <a href=\"#mreceipt_event-receipts\">Event Receipts</a>}</code></td>"
        ),
        "{top}"
    );
    let receipts = table(sec, "mreceipt_event-receipts");
    assert_eq!(
        row(receipts, "m.read").ty,
        "{<a href=\"/appendices#user-identifiers\">User ID</a>: <a href=\"#mreceipt_receipt\">Receipt</a>}"
    );
    // The event's x-changedInMatrixVersion is shown before its description, as upstream's
    // `changed-in` partial writes it ("**Changed in `v1.4`:** ...", no brackets).
    assert!(
        sec.contains("<p><span class=\"version-badge changed-in\"><strong>Changed in <code>v1.4</code>:</strong></span> Added <code>m.read.private</code> receipts"),
        "{sec}"
    );
}

#[cfg(unix)]
#[test]
fn corpus_state_event_has_a_state_key_row() {
    let Some(tmp) = upstream_project(CORPUS_EVENTS) else {
        return;
    };
    let site = build_ok(&tmp.path().join("root"), &[]);
    let html = site.read("index.html");
    let sec = section(&html, "mroomname");
    assert!(
        sec.contains("<tr><th>Event type:</th><td>State event</td></tr>\n<tr><th>State key:</th><td><p>A zero-length string.</p></td></tr>"),
        "{sec}"
    );
    assert_eq!(
        row(tables(sec)[0], "name").desc,
        "<p><strong>Required: </strong>The name of the room.</p>"
    );
}

#[cfg(unix)]
#[test]
fn corpus_spec_version_marks_new_annotations() {
    let Some(tmp) = upstream_project(CORPUS_EVENTS) else {
        return;
    };
    let root = tmp.path().join("root");
    let old = build_ok(&root, &[]);
    let new = build_ok(&root, &["--spec-version", "1.19"]);
    let old_html = old.read("index.html");
    let new_html = new.read("index.html");
    // The inline marker in m.room_key.withheld's description.
    let withheld = section(&new_html, "mroom_keywithheld");
    assert!(
        withheld.contains("<li><span class=\"version-badge added-in\"><strong>[New in this version]</strong></span> <code>m.history_not_shared</code>"),
        "{withheld}"
    );
    assert!(!withheld.contains("v1.19"), "{withheld}");
    // x-addedInMatrixVersion: "1.19" of m.room_key's shared_history.
    let shared = |html: &str| {
        row(tables(section(html, "mroom_key"))[0], "shared_history")
            .desc
            .to_string()
    };
    assert!(
        shared(&old_html).contains("<strong>Added in <code>v1.19</code></strong>"),
        "{}",
        shared(&old_html)
    );
    assert!(
        shared(&new_html).contains("<strong>New in this version.</strong>"),
        "{}",
        shared(&new_html)
    );
    assert!(!shared(&new_html).contains("v1.19"));
    // Other versions are untouched: m.receipt's thread_id was added in v1.4.
    let thread = row(
        table(section(&new_html, "mreceipt"), "mreceipt_receipt"),
        "thread_id",
    );
    assert!(
        thread
            .desc
            .contains("<strong>Added in <code>v1.4</code></strong>"),
        "{thread:?}"
    );
    assert!(new_html.contains("<span class=\"version\">v1.19</span>"));
    assert!(!old_html.contains("New in this version"));
}

// ---------------------------------------------------------------------------------------
// 3. Shortcodes
// ---------------------------------------------------------------------------------------

#[test]
fn shortcodes_fixture_builds_clean() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    // Format links lead to headings of content/appendices.md; content links to generated
    // ids (#msample, #msample_info) and to a heading of an included fragment resolve.
    site.report.assert_exactly(&[]);
    assert_eq!(
        site.files(),
        [
            ".mxspec-site",
            "404.html",
            "appendices/index.html",
            "elasticlunr.min.js",
            "index.html",
            "mxspec.css",
            "search-index.js",
            "search.js",
            "versions.json"
        ],
        "the headless bundle client-server-api/modules/ makes no pages"
    );
    // The same project builds to the same bytes.
    let again = build_ok(&build_fixture("shortcodes"), &[]);
    assert_eq!(tree(&again.dir), tree(&site.dir));
}

#[test]
fn event_and_state_event_shortcodes() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let main = site.main("index.html");
    let sample = section(&main, "msample");
    assert_eq!(
        table_ids(sample),
        ["msample_samplecontent", "msample_info", "msample_stream"]
    );
    let content = table(sample, "msample_samplecontent");
    let names: Vec<&str> = rows(content).iter().map(|r| r.name).collect();
    assert_eq!(
        names,
        ["body", "code", "info", "room_id", "sender_key", "streams"]
    );
    assert_eq!(
        row(content, "info").ty,
        "<a href=\"#msample_info\">Info</a>"
    );
    assert_eq!(
        row(content, "streams").ty,
        "{string: <a href=\"#msample_stream\">Stream</a>}"
    );
    assert_eq!(
        row(content, "sender_key").ty,
        "<a href=\"/appendices#unpadded-base64\">Unpadded Base64</a>"
    );
    assert!(sample.contains("<td>Message event</td>"));
    let state = section(&main, "msamplestate");
    assert!(
        state.contains("<tr><th>Event type:</th><td>State event</td></tr>\n<tr><th>State key:</th><td><p>A zero-length string.</p></td></tr>"),
        "{state}"
    );
    assert!(
        state.contains("&quot;state_key&quot;: &quot;&quot;"),
        "{state}"
    );
    // The whole state event: basic-info with the state key, an untitled content table.
    insta::assert_snapshot!("shortcodes_state_event_section", state);
}

#[test]
fn event_group_is_ordered_by_weight() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let main = site.main("index.html");
    let group = between(&main, "<h2 id=\"group\">", "<h2 id=\"fields\">");
    // x-weight: m.grp.b 10, m.grp.c 20, m.grp.a 30.
    assert_eq!(section_anchors(group), ["mgrpb", "mgrpc", "mgrpa"]);
    // Each event's content table (allOf of call_event) gets the event's anchor base.
    assert_eq!(
        table_ids(group),
        ["mgrpb_callevent", "mgrpc_callevent", "mgrpa_callevent"]
    );
    // One merged table: call_event's properties and the event's own, sorted, required
    // from call_event, the property badge of call_event.
    insta::assert_snapshot!(
        "shortcodes_event_group_allof_table",
        table(group, "mgrpb_callevent")
    );
}

#[test]
fn event_fields_shows_a_core_schema_without_anchors() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let main = site.main("index.html");
    let fields = between(&main, "<h2 id=\"fields\">", "<h2 id=\"msgtypes\">");
    assert!(
        fields.contains("<summary><h1><code>CallEvent</code></h1></summary>"),
        "{fields}"
    );
    assert!(fields.contains("<p>The fields every call event shares.</p>"));
    assert!(!fields.contains("basic-info"), "{fields}");
    assert!(!fields.contains("<h2>Content</h2>"), "{fields}");
    assert_eq!(table_ids(fields), [""]);
    let names: Vec<&str> = rows(tables(fields)[0]).iter().map(|r| r.name).collect();
    assert_eq!(names, ["call_id", "party_id"]);
    insta::assert_snapshot!(
        "shortcodes_event_fields",
        between(
            &main,
            "<h2 id=\"fields\">Fields</h2>",
            "<h2 id=\"msgtypes\">"
        )
        .trim()
    );
}

#[test]
fn msgtypes_lists_the_room_message_variants() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let main = site.main("index.html");
    let msgtypes = between(&main, "<h2 id=\"msgtypes\">", "<h2 id=\"definition\">");
    // m.text, m.emote, m.notice first; then the rest by name; m.server_notice left out.
    assert_eq!(
        section_anchors(msgtypes),
        ["mtext", "memote", "mnotice", "maudio", "mcustom"]
    );
    assert!(msgtypes.contains("<code>m.text</code>"));
    assert!(!msgtypes.contains("server_notice"), "{msgtypes}");
    // Each shows its own example only.
    assert_eq!(msgtypes.matches("<h2>Examples</h2>").count(), 5);
    assert!(section(msgtypes, "mtext").contains("A m.text message"));
    assert!(!section(msgtypes, "mtext").contains("A m.emote message"));
    insta::assert_snapshot!(
        "shortcodes_msgtype_text_section",
        section(msgtypes, "mtext")
    );
}

#[test]
fn definition_shortcode_renders_a_schema_of_data() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let main = site.main("index.html");
    let def = section(&main, "definition-thing-def");
    assert!(
        def.starts_with("<section class=\"rendered-data definition\" id=\"definition-thing-def\">"),
        "{def}"
    );
    assert!(def.contains("<summary><h1><code>Thing Def</code></h1></summary>"));
    let t = tables(def)[0];
    assert_eq!(
        row(t, "owner").ty,
        "<a href=\"/appendices#user-identifiers\">User ID</a>"
    );
    assert!(row(t, "id")
        .desc
        .starts_with("<p><strong>Required: </strong>"));
    // The schema's own `example` is its example.
    assert!(
        def.contains("&quot;owner&quot;: &quot;@alice:example.org&quot;"),
        "{def}"
    );
    insta::assert_snapshot!("shortcodes_definition_section", def);
}

#[test]
fn version_badges_and_boxes() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let main = site.main("index.html");
    // added-in and changed-in without a body stay inside their paragraph.
    assert!(
        main.contains("<p>Inline <span class=\"version-badge added-in\"><strong>[Added in <code>v1.5</code>]</strong></span> badge and <span class=\"version-badge changed-in\"><strong>[Changed in <code>v1.6</code>]</strong></span> badge.</p>"),
        "{main}"
    );
    // changed-in with a body wraps it.
    assert!(
        main.contains("<div class=\"changed-in-block\"><span class=\"version-badge changed-in\"><strong>[Changed in <code>v1.7</code>]</strong></span>\n<p>The body of a <em>changed</em> block.</p>\n</div>"),
        "{main}"
    );
    for (kind, text) in [
        ("note", "<p>A note with <strong>bold</strong> text.</p>"),
        ("warning", "<p>A warning.</p>"),
        ("rationale", "<p>A rationale.</p>"),
    ] {
        let open = format!("<div class=\"alert {kind}\" role=\"note\">");
        let body = between(&main, &open, "</div>");
        assert_eq!(body.trim(), text, "{kind}");
    }
    // Everything under "## Badges": inline badges, the changed-in block, the three boxes.
    insta::assert_snapshot!(
        "shortcodes_badges_and_boxes",
        between(
            &main,
            "<h2 id=\"badges\">Badges</h2>\n",
            "<h2 id=\"modules\">"
        )
    );
    // With --spec-version, the current version's badges say so.
    let now = build_ok(&build_fixture("shortcodes"), &["--spec-version", "1.5"]);
    assert!(now.main("index.html").contains(
        "<p>Inline <span class=\"version-badge added-in\"><strong>[New in this version]</strong></span> badge"
    ));
    let now = build_ok(&build_fixture("shortcodes"), &["--spec-version", "1.7"]);
    assert!(now.main("index.html").contains(
        "<div class=\"changed-in-block\"><span class=\"version-badge changed-in\"><strong>[Changed in this version]</strong></span>"
    ));
}

#[test]
fn added_in_annotation_of_a_property_is_one_badge() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let html = site.read("index.html");
    let size = row(table(section(&html, "msample"), "msample_info"), "size");
    assert_eq!(
        size.desc,
        "<p>Its size.</p>\n<p><span class=\"version-badge added-in\"><strong>Added in <code>v1.19</code></strong></span></p>"
    );
    let fields = between(&html, "<h2 id=\"fields\">", "<h2 id=\"msgtypes\">");
    assert_eq!(
        fields.matches("class=\"version-badge").count(),
        1,
        "{fields}"
    );
    insta::assert_snapshot!(
        "shortcodes_msample_info_table",
        table(section(&html, "msample"), "msample_info")
    );
}

#[test]
fn cs_module_includes_a_fragment_of_the_headless_bundle() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let html = site.read("index.html");
    let main = site.main("index.html");
    let modules = &main[main.find("<h2 id=\"modules\">").unwrap()..];
    assert!(
        modules.contains("<h3 id=\"module-a\">Module A</h3>"),
        "{modules}"
    );
    assert!(
        modules.contains("<p>Module A text with <span class=\"version-badge added-in\"><strong>[Added in <code>v1.8</code>]</strong></span> a badge.</p>"),
        "{modules}"
    );
    // A shortcode inside the fragment renders too, with its `title`.
    assert!(
        modules.contains("<h1 id=\"mroommessagemaudio\">Renamed <em>audio</em>"),
        "{modules}"
    );
    // The fragment in place: its headings, its badge and its event with the given title.
    insta::assert_snapshot!(
        "shortcodes_cs_module_fragment",
        between(
            modules,
            "<h2 id=\"modules\">Modules</h2>\n",
            "\n\n\n<p>See "
        )
    );
    // The fragment's headings are part of the including page's table of contents.
    assert!(
        toc(&html).contains(&(3, "#module-a".to_string(), "Module A".to_string())),
        "{:?}",
        toc(&html)
    );
    assert!(!site.dir.join("client-server-api").exists());
}

#[test]
fn table_of_contents_keeps_included_headings_in_place() {
    // `{{% cs-module %}}` sits under `## Modules`, so its `### Module A` belongs after
    // Modules, not before the page's own headings.
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let entry = |level: u32, href: &str, text: &str| (level, href.to_string(), text.to_string());
    assert_eq!(
        toc(&site.read("index.html")),
        [
            entry(2, "#events", "Events"),
            entry(2, "#group", "Group"),
            entry(2, "#fields", "Fields"),
            entry(2, "#msgtypes", "Msgtypes"),
            entry(2, "#definition", "Definition"),
            entry(2, "#badges", "Badges"),
            entry(2, "#modules", "Modules"),
            entry(3, "#module-a", "Module A"),
        ]
    );
}

#[test]
fn unknown_shortcode_is_a_visible_placeholder_and_a_warning() {
    let root = build_fixture("unknown-shortcode");
    let site = build_ok(&root, &[]);
    // `{{% api-explorer ... %}}` is line 6, column 1. Missing anchors on a page that holds
    // an unknown shortcode are warnings: the link on line 8 (column 5) of the same page
    // and the one on line 4 (column 6) of other.md.
    site.report.assert_exactly(&[
        warning("unknown-shortcode", "content/_index.md", 6, 1),
        warning("broken-link", "content/_index.md", 8, 5),
        warning("broken-link", "content/other.md", 4, 6),
    ]);
    let d = site
        .report
        .get(&warning("unknown-shortcode", "content/_index.md", 6, 1));
    assert!(d.message.contains("api-explorer"), "{}", d.message);
    assert!(site.main("index.html").contains(
        "<div class=\"mxspec-unknown-shortcode\" role=\"note\">Unknown shortcode <code>api-explorer</code></div>"
    ));
    // The human format quotes the line.
    let tmp = tempfile::tempdir().unwrap();
    let human = build_raw(&root, &tmp.path().join("site"), &[]);
    assert_eq!(human.status, Some(0), "{human:?}");
    assert!(
        human.stderr.contains("warning[unknown-shortcode]")
            && human.stderr.contains(" --> content/_index.md:6:1\n"),
        "{}",
        human.stderr
    );
}

#[test]
fn a_shortcode_tag_left_open_is_named_and_links_into_its_page_are_warnings() {
    // Line 6 opens `{{% event ...` and never closes it; the box's `%}}` further on is not
    // its end. The page is shown unrendered, so the link of other.md (line 4, column 6)
    // to its heading is a warning, not a second error.
    let report = build_fails(&build_fixture("unclosed-shortcode"), &[]);
    let want = error("shortcode", "content/_index.md", 6, 1);
    report.assert_exactly(&[
        want.clone(),
        warning("broken-link", "content/other.md", 4, 6),
    ]);
    assert!(
        report.get(&want).message.contains("not closed with `%}}`"),
        "{}",
        report.describe()
    );
    let link = report.get(&warning("broken-link", "content/other.md", 4, 6));
    assert!(
        link.message.contains("part of that page is absent"),
        "{}",
        link.message
    );
}

#[test]
fn a_shortcode_left_open_is_said_even_when_data_errors_stop_the_build() {
    // The same page, with a schema that does not parse: the pages are not rendered, but
    // the tag left open is reported in the same run, not after the schema is mended.
    let (_tmp, root) = fixture_copy("unclosed-shortcode");
    let schema = root.join("data/event-schemas/schema/m.broken.yaml");
    fs::create_dir_all(schema.parent().unwrap()).unwrap();
    fs::write(&schema, "type: object\nproperties: [unclosed\n").unwrap();
    let report = build_fails(&root, &[]);
    let codes: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_str()))
        .collect();
    assert!(
        codes.contains(&("yaml-syntax", "data/event-schemas/schema/m.broken.yaml")),
        "{codes:?}"
    );
    report.get(&error("shortcode", "content/_index.md", 6, 1));
    // No link check without rendered pages.
    assert!(!codes.iter().any(|(c, _)| *c == "broken-link"), "{codes:?}");
}

#[test]
fn every_malformed_shortcode_tag_of_a_page_is_named_in_one_run() {
    let (_tmp, root) = fixture_copy("unclosed-shortcode");
    let page = root.join("content/_index.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(
        &page,
        format!("{text}\nLater {{{{% /boxes/note %}}}} stray.\n"),
    )
    .unwrap();
    let lines = text.lines().count() as u32;
    let report = build_fails(&root, &[]);
    report.get(&error("shortcode", "content/_index.md", 6, 1));
    let stray = report.get(&error("shortcode", "content/_index.md", lines + 2, 7));
    assert!(
        stray.message.contains("has no opening"),
        "{}",
        stray.message
    );
}

#[test]
fn missing_event_is_an_error_at_the_call() {
    // Line 6 is `Text {{% event event="m.nope" %}} more.`: the call starts at column 6.
    let report = build_fails(&build_fixture("missing-event"), &[]);
    let want = error("shortcode", "content/_index.md", 6, 6);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(
        report.get(&want).message.contains("m.nope"),
        "{}",
        report.describe()
    );
}

#[test]
fn missing_event_in_a_fragment_points_into_the_fragment() {
    let (_tmp, root) = fixture_copy("shortcodes");
    // Line 7 of module_a.md becomes `  {{% event event="m.gone" %}}`: column 3.
    let fragment = root.join("content/client-server-api/modules/module_a.md");
    let text = fs::read_to_string(&fragment).unwrap();
    let line7 = text.lines().nth(6).unwrap().to_string();
    assert!(line7.starts_with("{{% event"), "{line7}");
    fs::write(
        &fragment,
        text.replace(&line7, "  {{% event event=\"m.gone\" %}}"),
    )
    .unwrap();
    let report = build_fails(&root, &[]);
    report.assert_exactly(&[error(
        "shortcode",
        "content/client-server-api/modules/module_a.md",
        7,
        3,
    )]);
}

#[test]
fn shortcodes_missing_parameters_are_errors() {
    let report = build_fails(&build_fixture("missing-param"), &[]);
    report.assert_exactly(&[
        error("shortcode", "content/_index.md", 4, 1),
        error("shortcode", "content/_index.md", 5, 1),
        error("shortcode", "content/_index.md", 6, 1),
        error("shortcode", "content/_index.md", 7, 1),
        error("shortcode", "content/_index.md", 8, 1),
        error("shortcode", "content/_index.md", 9, 1),
        error("shortcode", "content/_index.md", 10, 1),
        error("shortcode", "content/_index.md", 11, 1),
    ]);
    for (line, word) in [
        (4, "`event`"),
        (5, "`group_name`"),
        (6, "`event_type`"),
        (7, "`path`"),
        (8, "`filename`"),
        (9, "`v`"),
        (10, "soon"),
        (11, "`event`"),
    ] {
        let d = report.get(&error("shortcode", "content/_index.md", line, 1));
        assert!(d.message.contains(word), "line {line}: {}", d.message);
    }
}

// ---------------------------------------------------------------------------------------
// 4. Links and escaping
// ---------------------------------------------------------------------------------------

#[test]
fn broken_links_are_errors_at_the_markdown_link() {
    let report = build_fails(&build_fixture("links"), &[]);
    // Line 9: `Then [a broken one](#nowhere) and` (column 6); line 10:
    // `  [another broken one](/other/#missing) and [outside](/elsewhere/#x).` (columns 3
    // and 45). Same-page, cross-page, relative, https: and mailto: links that resolve are
    // not reported.
    let here = error("broken-link", "content/_index.md", 9, 6);
    let there = error("broken-link", "content/_index.md", 10, 3);
    let outside = warning("link-outside-site", "content/_index.md", 10, 45);
    report.assert_exactly(&[here.clone(), there.clone(), outside.clone()]);
    assert!(report.get(&here).message.contains("nowhere"));
    assert!(report.get(&there).message.contains("/other/"));
    assert!(report.get(&outside).message.contains("/elsewhere/"));
}

#[test]
fn a_broken_link_near_an_id_of_its_page_names_that_id() {
    let (_tmp, root) = fixture_copy("links");
    let index = root.join("content/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    let kept: String = text.lines().take(7).map(|l| format!("{l}\n")).collect();
    fs::write(
        &index,
        format!("{kept}\nA [typo](/other/#theer), [a page](/othr/).\n"),
    )
    .unwrap();
    // A relative link written as if from the root: the page of that name is meant.
    let other = root.join("content/other.md");
    let text = fs::read_to_string(&other).unwrap();
    fs::write(&other, format!("{text}\nSee [again](other/).\n")).unwrap();
    let report = build_fails(&root, &[]);
    let typo = error("broken-link", "content/_index.md", 9, 3);
    let page = warning("link-outside-site", "content/_index.md", 9, 26);
    let relative = warning("link-outside-site", "content/other.md", 6, 5);
    report.assert_exactly(&[typo.clone(), page.clone(), relative.clone()]);
    let message = &report.get(&relative).message;
    assert!(
        message.contains("leads to /other/other/") && message.ends_with("did you mean `/other/`?"),
        "{message}"
    );
    let message = &report.get(&typo).message;
    assert!(
        message.ends_with("has no id `theer`; did you mean `there`?"),
        "{message}"
    );
    let message = &report.get(&page).message;
    assert!(
        message.ends_with("not a page of this site; did you mean `/other/`?"),
        "{message}"
    );
}

#[test]
fn a_root_that_is_no_folder_is_a_usage_error_saying_so() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    for command in ["check", "build"] {
        let run = common::mxspec([command, "--root", missing.to_str().unwrap()]);
        assert_eq!(run.status, Some(2), "{run:?}");
        assert!(run.stderr.contains("no such folder"), "{}", run.stderr);
    }
}

#[test]
fn link_outside_the_site_alone_is_a_warning() {
    let (_tmp, root) = fixture_copy("links");
    let index = root.join("content/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    let kept: String = text.lines().take(7).map(|l| format!("{l}\n")).collect();
    fs::write(&index, format!("{kept}\nOnly [outside](/elsewhere/#x).\n")).unwrap();
    let site = build_ok(&root, &[]);
    site.report
        .assert_exactly(&[warning("link-outside-site", "content/_index.md", 9, 6)]);
}

#[test]
fn base_url_prefixes_site_absolute_links() {
    let site = build_ok(&build_fixture("layout"), &["--base-url", "/v1.19"]);
    let html = site.read("index.html");
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/v1.19/mxspec.css\">"),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"brand\" href=\"/v1.19/\">"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/v1.19/a/b/#details\">link to beta</a>"));
    // Relative, fragment and https: links are left alone.
    assert!(html.contains("<a href=\"a/c/\">to alpha</a>"));
    assert!(html.contains("<a href=\"https://example.org/x\">external</a>"));
    assert!(html.contains("<a href=\"#overview\">Overview</a>"));
    // `v1.19/` means the same.
    let other = build_ok(&build_fixture("layout"), &["--base-url", "v1.19/"]);
    assert_eq!(tree(&other.dir), tree(&site.dir));
    // No base URL: links stay as written.
    let plain = build_ok(&build_fixture("layout"), &[]);
    assert!(plain
        .read("index.html")
        .contains("<link rel=\"stylesheet\" href=\"/mxspec.css\">"));
    // The closing hint says where the links lead.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let root = build_fixture("layout");
    let based = build_raw(&root, &site, &["--base-url", "/v1.19"]);
    assert!(
        based
            .stderr
            .contains("hint: its links start at /v1.19/, where it is to be published"),
        "{}",
        based.stderr
    );
    let rooted = build_raw(&root, &site, &[]);
    assert!(
        rooted
            .stderr
            .contains("hint: its links start at /, so look at it with `mxspec serve`"),
        "{}",
        rooted.stderr
    );
}

#[test]
fn base_url_prefixes_every_site_absolute_href() {
    let site = build_ok(&build_fixture("layout"), &["--base-url", "/v1.19"]);
    for rel in site.files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.read(rel);
        for a in attributes(&html) {
            if URL_ATTRIBUTES.contains(&a.name.as_str())
                && a.value.starts_with('/')
                && !a.value.starts_with("//")
            {
                assert!(
                    a.value.starts_with("/v1.19/"),
                    "{rel}: <{} {}=\"{}\"> lacks the base URL",
                    a.tag,
                    a.name,
                    a.value
                );
            }
        }
    }
}

#[test]
fn script_links_are_dropped_and_content_keeps_raw_html() {
    let site = build_ok(&build_fixture("raw-html"), &[]);
    site.report.assert_exactly(&[]);
    let html = site.read("index.html");
    let main = site.main("index.html");
    let found = script_urls(&html);
    assert!(found.is_empty(), "{found:?}\n{main}");
    // Markdown links (inline, reference, autolink) lose the link but keep their text.
    assert!(
        main.contains("<p>A markdown script link and a reference one and an\nautolink"),
        "{main}"
    );
    // Raw HTML of a content page stays, without its script URLs.
    assert!(
        main.contains("<div class=\"kept-raw\" data-note=\"content keeps raw HTML\"><b>bold raw</b> <a href=\"https://example.org/ok\">fine</a></div>"),
        "{main}"
    );
    assert!(main.contains(">raw script link</a>"), "{main}");
    assert!(main.contains("<iframe"), "{main}");
    assert!(main.contains("<form"), "{main}");
}

#[test]
fn an_element_without_end_tag_in_svg_leaves_the_page_finished_and_read_for_search() {
    // `<style/>` in `<svg>` has no end tag: reading the page for search (in the page's
    // final pass, in a build) must neither stop that pass nor stop reading.
    let (_tmp, root) = fixture_copy("raw-html");
    let page = root.join("content/_index.md");
    let mut text = fs::read_to_string(&page).unwrap();
    text.push_str(
        "\n<svg><style/><script/></svg>\n\n<a href=\"javascript:alert(10)\">after the svg</a> \
         <a href=\"/\">home</a>\n\n## Zeppelins after the svg\n\nTheir text.\n",
    );
    fs::write(&page, text).unwrap();
    let site = build_ok(&root, &["--base-url", "/v1.0"]);
    let html = site.read("index.html");
    let found = script_urls(&html);
    assert!(found.is_empty(), "{found:?}");
    assert!(html.contains("<a>after the svg</a>"), "{html}");
    assert!(html.contains("<a href=\"/v1.0/\">home</a>"), "{html}");
    // The section after the svg is found.
    let index = site.read("search-index.js");
    assert!(index.contains("\"Zeppelins after the svg\""), "{index}");
}

#[test]
fn script_links_in_disguise_are_dropped() {
    let site = build_ok(&build_fixture("script-entities"), &[]);
    let found = script_urls(&site.read("index.html"));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn schema_text_is_escaped_but_keeps_markdown() {
    let site = build_ok(&build_fixture("shortcodes"), &[]);
    let html = site.read("index.html");
    let sample = section(&html, "msample");
    // No script from the schema: the page's only ones are its template's (the search
    // box, the narrow screens' closed lists), outside the content.
    assert!(!site.main("index.html").contains("<script"), "{sample}");
    assert_eq!(html.matches("<script").count(), 2, "{sample}");
    assert!(html.contains("<script src=\"/search.js\" defer></script>"));
    // Description (Markdown, raw HTML escaped, script links dropped).
    assert!(
        sample.contains("<p>A sample event. Raw HTML such as &lt;script&gt;alert(1)&lt;/script&gt; is shown as text,\nand a script link loses its link.</p>"),
        "{sample}"
    );
    assert_eq!(
        row(tables(sample)[0], "body").desc,
        "<p><strong>Required: </strong>The &lt;b&gt;body&lt;/b&gt; text.</p>"
    );
    // Example strings.
    assert!(
        sample.contains(
            "&quot;body&quot;: &quot;&lt;script&gt;alert(3)&lt;/script&gt; &amp; more&quot;"
        ),
        "{sample}"
    );
    assert!(script_urls(&html).is_empty());
}

#[test]
fn broken_raw_html_link_is_reported_where_it_is_written() {
    // Line 7 is `<a href="#nowhere">raw</a>`; the destination `#nowhere` starts at column 10.
    let report = build_fails(&build_fixture("raw-link-position"), &[]);
    report.assert_exactly(&[error("broken-link", "content/_index.md", 7, 10)]);
}

// ---------------------------------------------------------------------------------------
// 5. Templates
// ---------------------------------------------------------------------------------------

#[test]
fn templates_of_the_root_override_the_built_in_ones() {
    let site = build_ok(&build_fixture("templates-override"), &[]);
    site.report.assert_exactly(&[]);
    let main = site.main("index.html");
    assert!(
        main.contains("<p class=\"marker\">PAGE-OVERRIDE-MARKER for Overrides</p>"),
        "{main}"
    );
    assert!(
        main.contains("<h1 id=\"msample\">EVENT-OVERRIDE-MARKER <code>m.sample</code></h1>"),
        "{main}"
    );
    // Built-in templates not overridden still work (base.html, object-table.html).
    assert!(site.read("index.html").contains("<nav class=\"sidebar\""));
    assert_eq!(row(tables(&main)[0], "body").desc, "<p>The body.</p>");
    // The stylesheet is a template too.
    assert!(site
        .read("mxspec.css")
        .starts_with("/* CSS-OVERRIDE-MARKER */"));
}

#[test]
fn template_syntax_error_names_the_template() {
    // templates/page.html: the `{% if %}` of line 3 is never closed; Tera stops at the
    // `{% endblock %}` of line 5, column 1.
    let report = build_fails(&build_fixture("template-syntax"), &[]);
    let want = error("template", "templates/page.html", 5, 1);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(report.get(&want).message.contains("page.html"));

    let (_tmp, root) = fixture_copy("templates-override");
    fs::write(root.join("templates/event.html"), "<p>\n{{ ev.anchor \n").unwrap();
    let report = build_fails(&root, &[]);
    assert_eq!(report.diagnostics.len(), 1, "{}", report.describe());
    let d = &report.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.file.as_str()),
        ("template", "templates/event.html"),
        "{}",
        report.describe()
    );
}

// ---------------------------------------------------------------------------------------
// 6. Safety of the output
// ---------------------------------------------------------------------------------------

/// A copy of the `shortcodes` fixture in a temporary folder: (tmp, root, output).
fn scratch_project() -> (TempDir, PathBuf, PathBuf) {
    let (tmp, root) = fixture_copy("shortcodes");
    let out = tmp.path().join("out/site");
    (tmp, root, out)
}

#[test]
fn failed_build_leaves_the_previous_site_byte_identical() {
    let (tmp, root, out) = scratch_project();
    let first = build_json(&root, &out, &[]);
    assert_eq!(first.run.status, Some(0), "{}", first.describe());
    let before = tree(&out);
    assert!(before.len() > 3);

    // A schema that no longer parses.
    let schema = root.join("data/event-schemas/schema/m.sample.yaml");
    let good = fs::read_to_string(&schema).unwrap();
    fs::write(&schema, "type: object\nproperties: [unclosed\n").unwrap();
    let broken = build_json(&root, &out, &[]);
    assert_eq!(broken.run.status, Some(1), "{}", broken.describe());
    assert_eq!(tree(&out), before, "the previous site changed");

    // A page that names a missing event.
    fs::write(&schema, good).unwrap();
    fs::write(
        root.join("content/appendices.md"),
        "{{% event event=\"m.nope\" %}}\n",
    )
    .unwrap();
    let broken = build_json(&root, &out, &[]);
    assert_eq!(broken.run.status, Some(1), "{}", broken.describe());
    assert_eq!(tree(&out), before, "the previous site changed");
    // Nothing but the site next to it.
    let siblings: Vec<_> = tree(&tmp.path().join("out")).into_keys().collect();
    assert!(
        siblings.iter().all(|p| p.starts_with("site")),
        "{siblings:?}"
    );
}

#[test]
fn rebuild_replaces_the_previous_site() {
    let (tmp, root, out) = scratch_project();
    fs::create_dir_all(&out).unwrap();
    // An empty folder is accepted as the output.
    let first = build_json(&root, &out, &[]);
    assert_eq!(first.run.status, Some(0), "{}", first.describe());
    assert!(out.join("appendices/index.html").is_file());
    fs::remove_file(root.join("content/appendices.md")).unwrap();
    fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Smaller\n---\nJust text.\n",
    )
    .unwrap();
    let second = build_json(&root, &out, &[]);
    assert_eq!(second.run.status, Some(0), "{}", second.describe());
    assert!(!out.join("appendices").exists(), "a stale page survived");
    assert!(out.join(".mxspec-site").is_file());
    assert!(fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("Just text."));
    let siblings: Vec<_> = tree(&tmp.path().join("out")).into_keys().collect();
    assert!(
        siblings.iter().all(|p| p.starts_with("site")),
        "temporary folders left behind: {siblings:?}"
    );
}

#[test]
fn foreign_output_folder_is_refused_and_untouched() {
    let (tmp, root, _) = scratch_project();
    let foreign = tmp.path().join("docs");
    fs::create_dir_all(foreign.join("sub")).unwrap();
    fs::write(foreign.join("keep.txt"), "mine").unwrap();
    fs::write(foreign.join("sub/index.html"), "<p>mine</p>").unwrap();
    let before = tree(&foreign);
    let run = build_raw(&root, &foreign, &[]);
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert!(run.stderr.contains(".mxspec-site"), "{}", run.stderr);
    assert_eq!(tree(&foreign), before);
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n == "root" || n == "docs"),
        "{names:?}"
    );
}

#[test]
fn an_output_that_cannot_be_made_is_an_io_error_said_once() {
    let (tmp, root, _) = scratch_project();
    // Its parent is a file: the folder cannot be made.
    let file = tmp.path().join("plain.txt");
    fs::write(&file, "x").unwrap();
    let run = build_raw(&root, &file.join("site"), &[]);
    assert_eq!(run.status, Some(2), "{run:?}");
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: the site was not written: cannot write "),
        "{last}"
    );
    // The system's reason once, and no previous site claimed.
    let reason = last.rsplit(": ").next().unwrap();
    assert_eq!(last.matches(reason).count(), 1, "{last}");
    assert!(!last.contains("previous site"), "{last}");
}

#[test]
fn a_page_over_the_bound_is_refused_before_it_is_rendered() {
    // 8 MiB of `>` took 4 GB to render: past 512 KiB a page is not rendered.
    let (_tmp, root) = fixture_copy("layout");
    let page = root.join("content/huge.md");
    fs::write(
        &page,
        format!("---\ntitle: Huge\n---\n{}\n", ">".repeat(600 * 1024)),
    )
    .unwrap();
    let report = build_fails(&root, &[]);
    let want = error("file-too-large", "content/huge.md", 0, 0);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(
        report.get(&want).message.contains("at most 512 KiB"),
        "{}",
        report.describe()
    );
}

#[test]
fn output_holding_the_project_is_refused() {
    let (tmp, root, _) = scratch_project();
    let before = tree(tmp.path());
    for output in [root.clone(), tmp.path().to_path_buf(), root.join("data")] {
        let run = build_raw(&root, &output, &[]);
        assert_eq!(run.status, Some(2), "{}: {run:?}", output.display());
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
        assert_eq!(tree(tmp.path()), before, "{}", output.display());
    }
    // Inside data/ is refused as well, and nothing is created there.
    let run = build_raw(&root, &root.join("data/site"), &[]);
    assert_eq!(run.status, Some(2), "{run:?}");
    assert_eq!(tree(tmp.path()), before);
}

#[cfg(unix)]
#[test]
fn output_inside_a_symlinked_data_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // `data/` links to a folder inside the root (a link out of it is refused).
    let root = tmp.path().join("root");
    let real_data = root.join("real-data");
    copy_dir(&build_fixture("layout").join("data"), &real_data);
    copy_dir(
        &build_fixture("layout").join("content"),
        &root.join("content"),
    );
    std::os::unix::fs::symlink(&real_data, root.join("data")).unwrap();
    let before = tree(&real_data);
    let run = build_raw(&root, &root.join("data/site"), &[]);
    assert_eq!(run.status, Some(2), "{run:?}");
    assert_eq!(tree(&real_data), before, "the build wrote into data/");
}

#[test]
fn nothing_is_written_outside_the_output() {
    let (tmp, root, out) = scratch_project();
    let before = tree(&root);
    let report = build_json(&root, &out, &[]);
    assert_eq!(report.run.status, Some(0), "{}", report.describe());
    assert_eq!(tree(&root), before, "the build changed the project");
    let top: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut top = top;
    top.sort();
    assert_eq!(top, ["out", "root"]);
    assert_eq!(
        fs::read_dir(tmp.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>(),
        ["site"]
    );
    // The default output adds root/site and nothing else.
    let run = mxspec_in(Some(&root), ["build"]);
    assert_eq!(run.status, Some(0), "{run:?}");
    let mut after = tree(&root);
    after.retain(|p, _| !p.starts_with("site"));
    assert_eq!(after, before);
}

#[test]
fn usage_errors_exit_2() {
    let root = build_fixture("layout");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    // `v1.19` is taken as 1.19, as upstream writes versions; `banana` is no version.
    let run = build_raw(&root, &out, &["--spec-version", "banana"]);
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stderr.contains("--spec-version"), "{}", run.stderr);
    let run = build_raw(&root, &out, &["--format", "xml"]);
    assert_eq!(run.status, Some(2), "{run:?}");
    let run = build_raw(tmp.path(), &out, &[]);
    assert_eq!(run.status, Some(2), "{run:?}");
    assert!(run.stderr.contains("no data/ folder"), "{}", run.stderr);
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------------------
// 7. Snapshot
// ---------------------------------------------------------------------------------------

#[test]
fn event_section_snapshot() {
    // With --spec-version 1.19 so that the v1.19 annotations read "New in this version".
    let site = build_ok(&build_fixture("shortcodes"), &["--spec-version", "1.19"]);
    let html = site.read("index.html");
    insta::assert_snapshot!("shortcodes_msample_section", section(&html, "msample"));
}

// ---------------------------------------------------------------------------------------
// 8. The real corpus
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn upstream_every_event_renders() {
    let Some(corpus_root) = upstream() else {
        return;
    };
    let mut names: Vec<String> = fs::read_dir(corpus_root.join("data/event-schemas/schema"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 50, "{names:?}");
    let mut index = String::from("---\ntitle: Every event\n---\n");
    for name in &names {
        index.push_str(&format!("{{{{% event event=\"{name}\" %}}}}\n\n"));
    }
    // m.room.image_pack's description links to #shortcode-grammar, a heading of the image
    // packs module; this page stands in for it.
    index.push_str("## Shortcode grammar\n");
    let tmp = upstream_project(&index).unwrap();
    let site = build_ok(&tmp.path().join("root"), &[]);
    assert_eq!(site.report.summary.errors, 0, "{}", site.report.describe());
    let html = site.read("index.html");
    assert_eq!(
        html.matches("<section class=\"rendered-data event\">")
            .count(),
        names.len()
    );
    let anchors = section_anchors(&html);
    let want: Vec<String> = names.iter().map(|n| anchorize(n)).collect();
    assert_eq!(anchors, want);
    for name in &names {
        let id = format!("id=\"{}\"", anchorize(name));
        assert_eq!(html.matches(&id).count(), 1, "{name}");
    }
    assert!(script_urls(&html).is_empty());
}

#[test]
fn upstream_client_server_page_builds_with_every_module_and_endpoint() {
    let Some(upstream) = upstream() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = upstream;
    let out = tmp.path().join("site");
    let report = build_json(&root, &out, &[]);
    assert_eq!(report.run.status, Some(0), "{}", report.describe());
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`http-api`")),
        "{}",
        report.describe()
    );
    let html = fs::read_to_string(out.join("client-server-api/index.html")).unwrap();
    assert!(!html.contains("mxspec-error"));
    // Every `{{% cs-module ... filename="F" %}}` of the page includes modules/F.md: the
    // first heading of each module is on the page.
    let cs = root.join("content/client-server-api");
    let index = fs::read_to_string(cs.join("_index.md")).unwrap();
    let filenames: Vec<&str> = index
        .split("{{% cs-module ")
        .skip(1)
        .map(|call| between(call, "filename=\"", "\""))
        .collect();
    assert!(filenames.len() >= 44, "{filenames:?}");
    let mut http_api_calls = index.matches("{{% http-api ").count();
    for filename in filenames {
        let module = fs::read_to_string(cs.join(format!("modules/{filename}.md"))).unwrap();
        http_api_calls += module.matches("{{% http-api ").count();
        let heading = module
            .lines()
            .find(|l| l.starts_with('#'))
            .unwrap_or_else(|| panic!("{filename}.md has no heading"));
        let level = heading.chars().take_while(|c| *c == '#').count();
        let text = heading[level..].trim();
        let open = format!("<h{level} id=\"{}", anchorize(text));
        let close = format!("\">{text}</h{level}>");
        let found = html
            .match_indices(&open)
            .any(|(i, _)| html[i..].split_once('\n').unwrap().0.ends_with(&close));
        assert!(found, "{filename}: no {open}...{close} on the page");
    }
    // A few fragments' content, rendered in place.
    assert!(html.contains("<h1 id=\"mreceipt\"><code>m.receipt</code>"));
    assert!(html.contains("<h1 id=\"mtext\"><code>m.text</code>"));
    assert!(html.contains("id=\"definition-encryptedfile\""));
    assert!(!out.join("client-server-api/modules").exists());
    // Every `http-api` call rendered its operations, with upstream's anchors.
    assert!(http_api_calls >= 70, "{http_api_calls}");
    assert!(html.contains(
        "<h1 id=\"put_matrixclientv3roomsroomidstateeventtypestatekey\"><span class=\"http-api-method\">PUT</span>"
    ));
    let sections = html
        .matches("<section class=\"rendered-data http-api\">")
        .count();
    assert!(sections >= http_api_calls, "{sections} < {http_api_calls}");
}

/// The paths of every API document of `data/api/<spec>/`, base path in front.
fn upstream_paths(root: &Path, spec: &str) -> std::collections::BTreeSet<String> {
    let mut paths = std::collections::BTreeSet::new();
    for entry in fs::read_dir(root.join("data/api").join(spec)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let doc: serde_json::Value =
            serde_saphyr::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let base = doc["servers"][0]["variables"]["basePath"]["default"]
            .as_str()
            .unwrap_or("");
        for key in doc["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            paths.insert(format!("{base}{key}"));
        }
    }
    paths
}

#[test]
fn upstream_api_definitions_are_published_with_every_path() {
    let Some(upstream) = upstream() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_dir(&upstream.join("data"), &root.join("data"));
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: APIs\n---\n").unwrap();
    let site = build_ok(&root, &["--spec-version", "1.19"]);
    for spec in [
        "client-server",
        "server-server",
        "application-service",
        "identity",
        "push-gateway",
    ] {
        let text = site.read(&format!("api/{spec}.json"));
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], "v1.19");
        let published: std::collections::BTreeSet<String> =
            doc["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(published, upstream_paths(&upstream, spec), "{spec}");
        assert!(!text.contains("\"$ref\""), "{spec}: a reference is left");
    }
    // The client-server definition passes mxspec's own OpenAPI 3.1 checks.
    let again = tmp.path().join("again");
    fs::create_dir_all(again.join("data/api/published")).unwrap();
    let formats = "data/string-formats.yaml";
    fs::copy(upstream.join(formats), again.join(formats)).unwrap();
    fs::write(
        again.join("data/api/published/client-server.json"),
        site.read("api/client-server.json"),
    )
    .unwrap();
    let report = check_json(&again);
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    assert!(report.summary.api_examples > 300, "{:?}", report.summary);
}

// ---------------------------------------------------------------------------------------
// 9. Mistakes editors make (found in review)
// ---------------------------------------------------------------------------------------

/// A copy of the project's own site, to break.
fn own_site() -> TempDir {
    let dir = TempDir::new().unwrap();
    common::copy_dir(
        &common::manifest_dir().join("data"),
        &dir.path().join("data"),
    );
    common::copy_dir(
        &common::manifest_dir().join("content"),
        &dir.path().join("content"),
    );
    dir
}

fn append(path: &Path, text: &str) {
    let old = fs::read_to_string(path).unwrap();
    fs::write(path, format!("{old}{text}")).unwrap();
}

#[test]
fn a_shortcode_in_a_heading_stays_out_of_its_id() {
    let root = own_site();
    append(
        &root.path().join("content/appendices.md"),
        "\n## Sharing {{% added-in v=\"1.19\" %}}\n\nText.\n",
    );
    let out = TempDir::new().unwrap();
    let report = build_json(root.path(), &out.path().join("site"), &[]);
    report.assert_exactly(&[]);
    let page = fs::read_to_string(out.path().join("site/appendices/index.html")).unwrap();
    assert!(
        page.contains("<h2 id=\"sharing\">Sharing <span class=\"version-badge added-in\">"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#sharing\">Sharing</a>"),
        "table of contents: {page}"
    );
    assert!(!page.contains("mxspecshortcode"));
}

#[test]
fn shortcode_mistakes_are_reported() {
    let root = own_site();
    let page = root.path().join("content/appendices.md");
    let before = fs::read_to_string(&page).unwrap().lines().count() as u32;
    append(
        &page,
        "\n{{% boxes/warning %}}\nNever closed.\n\n{{% event event=\"m.room_key.withheld\" desired_example_name=\"nope\" %}}\n\n{{% added-in v=\"1.19\" bogus=\"1\" %}} x\n",
    );
    let out = TempDir::new().unwrap();
    let report = build_json(root.path(), &out.path().join("site"), &[]);
    let file = "content/appendices.md";
    report.assert_exactly(&[
        error("shortcode", file, before + 2, 1),
        error("shortcode", file, before + 5, 1),
        warning("shortcode-param", file, before + 7, 1),
    ]);
}

#[test]
fn a_clashing_explicit_heading_id_is_an_error() {
    let root = own_site();
    append(
        &root.path().join("content/client-server-api/_index.md"),
        "\n## Clash {#mroom_keywithheld}\n",
    );
    let out = TempDir::new().unwrap();
    let report = build_json(root.path(), &out.path().join("site"), &[]);
    assert_eq!(report.count("error"), 1, "{}", report.describe());
    assert_eq!(report.diagnostics[0].code, "duplicate-id");
}

#[test]
fn a_content_symlink_out_of_content_is_not_published() {
    let root = own_site();
    let secret = root.path().join("secret.txt");
    fs::write(&secret, "top secret").unwrap();
    std::os::unix::fs::symlink(&secret, root.path().join("content/leak.md")).unwrap();
    let out = TempDir::new().unwrap();
    let report = build_json(root.path(), &out.path().join("site"), &[]);
    assert_eq!(report.count("error"), 1, "{}", report.describe());
    assert_eq!(report.diagnostics[0].file, "content/leak.md");
    assert!(!out.path().join("site").exists());
}

// ---------------------------------------------------------------------------------------
// 10. Front matter and mxspec.toml
// ---------------------------------------------------------------------------------------

#[test]
fn front_matter_never_closed_or_not_a_map_is_an_error() {
    // content/unclosed.md opens `---` on line 1 and never closes it: reported at 1:1.
    // content/list.md's front matter is a YAML list, not a map: reported where it starts,
    // line 2, column 1. content/leap.md's `date: 2026-02-29` (line 4, column 7) is a day
    // the calendar lacks. The home page's front matter is fine.
    let report = build_fails(&build_fixture("front-matter"), &[]);
    let unclosed = error("front-matter", "content/unclosed.md", 1, 1);
    let list = error("front-matter", "content/list.md", 2, 1);
    let leap = error("front-matter", "content/leap.md", 4, 7);
    report.assert_exactly(&[unclosed.clone(), list.clone(), leap.clone()]);
    let message = &report.get(&leap).message;
    assert!(
        message.contains("2026-02-29 is not a day of the calendar"),
        "{message}"
    );
    assert_eq!(report.run.status, Some(1));
    let message = &report.get(&unclosed).message;
    assert!(
        message.contains("`---`") && message.contains("never closed"),
        "{message}"
    );
    let message = &report.get(&list).message;
    assert!(message.contains("map"), "{message}");
}

#[test]
fn toml_front_matter_syntax_error_points_at_the_bad_token() {
    // Line 3 of content/_index.md is `weight = = 3` (between `+++` lines): the second `=`
    // is column 10.
    let report = build_fails(&build_fixture("toml-syntax"), &[]);
    let want = error("toml-syntax", "content/_index.md", 3, 10);
    report.assert_exactly(std::slice::from_ref(&want));
    assert_eq!(report.run.status, Some(1));
    let message = &report.get(&want).message;
    assert!(message.contains('='), "{message}");
}

/// Builds `root` into a new temporary folder; the build must fail on its `mxspec.toml`
/// (exit 1) and write nothing. Returns the report.
fn build_fails_on_config(root: &Path) -> Report {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let report = build_json(root, &out, &[]);
    assert_eq!(report.run.status, Some(1), "{}", report.describe());
    assert_eq!(
        tree(tmp.path()).len(),
        0,
        "a failed build wrote {:?}",
        tree(tmp.path()).keys().collect::<Vec<_>>()
    );
    report
}

#[test]
fn config_with_an_unknown_key_is_an_error() {
    // Line 3 of mxspec.toml is `spec_versoin = "1.19"`, a typo: the key is column 1.
    let report = build_fails_on_config(&build_fixture("config"));
    let want = error("config", "mxspec.toml", 3, 1);
    report.assert_exactly(std::slice::from_ref(&want));
    assert_eq!(report.run.status, Some(1));
    let message = &report.get(&want).message;
    assert!(
        message.contains("`spec_versoin`") && message.contains("`spec_version`"),
        "{message}"
    );
}

/// A copy of the `config` fixture whose mxspec.toml is `toml`: (tmp, root).
fn config_project(toml: &str) -> (TempDir, PathBuf) {
    let (tmp, root) = fixture_copy("config");
    fs::write(root.join("mxspec.toml"), toml).unwrap();
    (tmp, root)
}

#[test]
fn config_spec_version_must_be_a_version() {
    // Line 3 is `spec_version = "x"`: reported at the key, column 1.
    let (_tmp, root) =
        config_project("title = \"Config\"\nbase_url = \"/v1\"\nspec_version = \"x\"\n");
    let report = build_fails_on_config(&root);
    let want = error("config", "mxspec.toml", 3, 1);
    report.assert_exactly(std::slice::from_ref(&want));
    assert_eq!(report.run.status, Some(1));
    let message = &report.get(&want).message;
    assert!(message.contains("`x`"), "{message}");
}

#[test]
fn config_spec_version_error_points_at_the_key_not_a_comment() {
    let (_tmp, root) = config_project(
        "# spec_version is the version being built\ntitle = \"Config\"\nspec_version = \"x\"\n",
    );
    let report = build_fails_on_config(&root);
    report.assert_exactly(&[error("config", "mxspec.toml", 3, 1)]);
}

/// The files and lines of the problems of `code` in a build of the `shortcodes` fixture
/// with these pages added (path below `content/`, text).
fn problems_with_pages(code: &str, pages: &[(&str, &str)]) -> Vec<(String, u32)> {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&build_fixture("shortcodes"), tmp.path());
    for (rel, text) in pages {
        fs::write(tmp.path().join("content").join(rel), text).unwrap();
    }
    let report = build_json(tmp.path(), &tmp.path().join("site"), &[]);
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| (d.file.clone(), d.line))
        .collect()
}

#[test]
fn a_duplicate_id_is_reported_on_its_own_page_only_when_calls_are_kept() {
    // The same call on two pages; on `a.md`, rendered first, a heading takes its id first.
    // The call's output is made there and kept for `b.md`: the clash is `a.md`'s alone.
    let clashes = problems_with_pages(
        "duplicate-id",
        &[
            (
                "a.md",
                "---\ntitle: A\n---\n\n## m.sample\n\n{{% event event=\"m.sample\" title=\"Sample\" %}}\n",
            ),
            (
                "b.md",
                "---\ntitle: B\n---\n\n{{% event event=\"m.sample\" title=\"Sample\" %}}\n",
            ),
        ],
    );
    assert_eq!(clashes, [("content/a.md".to_string(), 7)]);
}

#[test]
fn a_call_that_markdown_drops_leaves_nothing_on_the_page() {
    // The call is the destination of a link reference definition no link uses: Markdown
    // drops it, so its event and anchor are not on the page, and a link to them is broken.
    let broken = problems_with_pages(
        "broken-link",
        &[(
            "dropped.md",
            "---\ntitle: Dropped\n---\n\nSee [the event](#msample).\n\n[unused]: {{% event event=\"m.sample\" title=\"Dropped\" %}}\n",
        )],
    );
    assert_eq!(broken, [("content/dropped.md".to_string(), 5)]);
}
