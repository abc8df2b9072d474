//! Integration tests of the pages of the whole specification (#9): the room version
//! pages, made of the fragments they share, and the rest of upstream's site.

use std::fs;

use crate::build::{between, build_ok, Site};
use crate::common::{build_fixture, build_json, copy_dir, upstream, Diag};

/// The `<li>` of the rules list of a room version page that holds `text`.
fn rule(site: &Site, page: &str, text: &str) -> String {
    let html = site.read(page);
    let rules = &html[html.find("<h3 id=\"rules\">").expect("rules heading")..];
    let end = rules.find("</ol>").expect("end of the list");
    rules[..end]
        .split("<li>")
        .find(|item| item.contains(text))
        .unwrap_or_else(|| panic!("no rule with {text} in {page}"))
        .to_string()
}

/// The first problem of `code` in the build of a copy of the `spec-pages` fixture that
/// `edit` changed (given the copy's root); the build must fail.
fn failing_build(code: &str, edit: impl FnOnce(&std::path::Path)) -> Diag {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&build_fixture("spec-pages"), tmp.path());
    edit(tmp.path());
    let report = build_json(tmp.path(), &tmp.path().join("site"), &[]);
    assert_eq!(report.run.status, Some(1), "{}", report.describe());
    report
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("{}", report.describe()))
}

/// Replaces `from` by `to` in the file `rel` below `root`.
fn replace_in(root: &std::path::Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} in {rel}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

/// The upstream snapshot and its site, built once for the tests that read it.
struct UpstreamSite {
    upstream: std::path::PathBuf,
    /// Holds the site.
    _tmp: tempfile::TempDir,
    out: std::path::PathBuf,
    report: crate::common::Report,
}

/// The upstream snapshot built (with no error), once per test process; `None` when the
/// snapshot is absent.
fn upstream_site() -> Option<&'static UpstreamSite> {
    static SITE: std::sync::OnceLock<Option<UpstreamSite>> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let upstream = upstream()?;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let report = build_json(&upstream, &out, &[]);
        assert_eq!(report.run.status, Some(0), "{}", report.describe());
        assert_eq!(report.summary.errors, 0, "{}", report.describe());
        Some(UpstreamSite {
            upstream,
            _tmp: tmp,
            out,
            report,
        })
    })
    .as_ref()
}

#[test]
fn room_versions_share_fragments_and_badge_their_own_version_only() {
    // v1, v2 and v3 include `rooms/fragments/v1-rules.md`, whose rule two is
    // `{{% added-in v=2 %}}` and rule three `{{% changed-in v=3 %}}`: each badge shows on
    // the page of its room version and nowhere else.
    let site = build_ok(&build_fixture("spec-pages"), &[]);
    let new =
        "<span class=\"version-badge added-in\"><strong>[New in this version]</strong></span>";
    let changed =
        "<span class=\"version-badge changed-in\"><strong>[Changed in this version]</strong></span>";
    assert_eq!(
        rule(&site, "rooms/v1/index.html", "Rule two"),
        " Rule two.</li>\n"
    );
    assert!(rule(&site, "rooms/v2/index.html", "Rule two").starts_with(new));
    assert!(!rule(&site, "rooms/v3/index.html", "Rule two").contains("version-badge"));
    assert!(rule(&site, "rooms/v3/index.html", "Rule three").starts_with(changed));
    assert!(!rule(&site, "rooms/v2/index.html", "Rule three").contains("version-badge"));
    // The fragment's heading is each page's own, in its table of contents.
    for v in 1..=3 {
        let html = site.read(&format!("rooms/v{v}/index.html"));
        assert!(
            html.contains("<a href=\"#rules\">Rules</a>"),
            "v{v}: {html}"
        );
    }
    // In the page's own text too; a room version is no spec version, so no error.
    let own = site.main("rooms/v3/index.html");
    assert!(
        own.contains(&format!("{new} A rule of this version only;  and one")),
        "{own}"
    );
    assert_eq!(site.report.summary.errors, 0);
    // The headless bundle is no page.
    assert!(!site.dir.join("rooms/fragments").exists());
}

#[test]
fn a_missing_room_version_fragment_is_an_error_at_the_call() {
    let d = failing_build("shortcode", |root| {
        let page = "---\ntitle: Room Version 4\nversion: 4\n---\n\n{{% rver-fragment name=\"v4-nope\" %}}\n";
        fs::write(root.join("content/rooms/v4.md"), page).unwrap();
    });
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("content/rooms/v4.md", 6, 1)
    );
    assert!(
        d.message
            .contains("rver-fragment: there is no content/rooms/fragments/v4-nope.md"),
        "{}",
        d.message
    );
}

#[test]
fn upstream_room_version_pages_build_from_their_fragments() {
    let Some(site) = upstream_site() else {
        return;
    };
    let (upstream, out, report) = (&site.upstream, &site.out, &site.report);
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.file.starts_with("content/rooms/")),
        "{}",
        report.describe()
    );
    let rooms = upstream.join("content/rooms");
    let mut versions = 0;
    let mut total_badges = 0;
    for entry in fs::read_dir(&rooms).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(version) = name.strip_prefix('v').and_then(|n| n.strip_suffix(".md")) else {
            continue;
        };
        versions += 1;
        let html = fs::read_to_string(out.join(format!("rooms/v{version}/index.html"))).unwrap();
        assert!(!html.contains("mxspec-error"), "v{version}");
        // Examples written as `allOf` parts (the PDUs') are shown merged, as upstream's.
        assert!(!html.contains("&quot;allOf&quot;"), "v{version}");
        // Every fragment the page names is in it (its first heading, when plain), and
        // the page's badges are exactly the `added-in` and `changed-in` of its own room
        // version, in its text and in the fragments it includes.
        let text = fs::read_to_string(rooms.join(&name)).unwrap();
        let own_calls = |text: &str| {
            ["added-in", "changed-in"]
                .iter()
                .map(|c| {
                    text.matches(&format!("{{{{% {c} v={version} %}}}}"))
                        .count()
                })
                .sum::<usize>()
        };
        let mut badges = own_calls(&text);
        for call in text.split("{{% rver-fragment name=\"").skip(1) {
            let fragment = &call[..call.find('"').unwrap()];
            let body = fs::read_to_string(rooms.join(format!("fragments/{fragment}.md"))).unwrap();
            badges += own_calls(&body);
            let heading = body.lines().find(|l| l.starts_with('#'));
            if let Some(heading) = heading {
                let title = heading.trim_start_matches('#').trim();
                let plain = !title.contains(['`', '*', '[', '{', '<', '&', '"', '\'']);
                if plain {
                    assert!(
                        html.contains(&format!(">{title}</h")),
                        "v{version}: {fragment}"
                    );
                }
            }
        }
        let shown = html
            .matches("<strong>[New in this version]</strong>")
            .count()
            + html
                .matches("<strong>[Changed in this version]</strong>")
                .count();
        assert_eq!(shown, badges, "v{version}");
        total_badges += badges;
    }
    assert!(versions >= 12, "{versions}");
    assert!(total_badges > 10, "{total_badges}");
}

#[test]
fn sas_emojis_is_the_table_of_the_data_definition() {
    let site = build_ok(&build_fixture("spec-pages"), &[]);
    let main = site.main("appendices/index.html");
    let table = &main[main.find("<table class=\"sas-emojis\">").expect("table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<th>Number</th><th>Emoji</th><th>Unicode</th><th>Description</th>"));
    assert!(table.contains("<tr><td>0</td><td>🐶</td><td>U+1F436</td><td>Dog</td></tr>"));
    assert!(table.contains("<tr><td>1</td><td>🐱</td><td>U+1F431</td><td>Cat &lt;3</td></tr>"));
    assert_eq!(table.matches("<tr><td>").count(), 2);
}

#[test]
fn a_sas_emoji_without_a_description_is_an_error_naming_its_line() {
    let d = failing_build("shortcode", |root| {
        replace_in(
            root,
            "data-definitions/sas-emoji.json",
            "\"description\": \"Cat <3\",",
            "",
        );
    });
    assert_eq!((d.file.as_str(), d.line), ("content/appendices.md", 8));
    // The second emoji opens on line 8 of the JSON file.
    assert!(
        d.message
            .contains("data-definitions/sas-emoji.json:8:5: emoji 1 has no `description`"),
        "{}",
        d.message
    );
}

#[test]
fn a_diagram_is_published_and_shown_at_half_its_drawn_size() {
    // `assets/diagrams/flow.webp` is drawn 120x80 (at 200%).
    let root = build_fixture("spec-pages");
    let site = build_ok(&root, &[]);
    assert_eq!(
        between(
            &site.main("appendices/index.html"),
            "<h2 id=\"flow\">Flow</h2>\n",
            "\n"
        ),
        "<figure class=\"diagram\"><img src=\"/diagrams/flow.webp\" alt=\"How a request flows\" width=\"60\" height=\"40\" loading=\"lazy\"></figure>"
    );
    assert_eq!(
        fs::read(site.dir.join("diagrams/flow.webp")).unwrap(),
        fs::read(root.join("assets/diagrams/flow.webp")).unwrap()
    );
}

#[test]
fn a_missing_or_broken_diagram_is_an_error_at_the_call() {
    for (name, bytes, says) in [
        (
            "gone",
            None,
            "diagram: there is no assets/diagrams/gone.webp",
        ),
        (
            "text",
            Some(&b"not an image"[..]),
            "diagram: assets/diagrams/text.webp is not an image whose size can be read",
        ),
        (
            "../../data/string-formats",
            None,
            "diagram: `../../data/string-formats` is not a file name",
        ),
    ] {
        let d = failing_build("shortcode", |root| {
            if let Some(bytes) = bytes {
                fs::write(root.join(format!("assets/diagrams/{name}.webp")), bytes).unwrap();
            }
            replace_in(
                root,
                "content/appendices.md",
                "name=\"flow\"",
                &format!("name=\"{name}\""),
            );
        });
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            ("content/appendices.md", 12, 1)
        );
        assert!(d.message.contains(says), "{name}: {}", d.message);
    }
}

/// A `data/msc/proposals.json` as upstream's CI writes it: two states, one empty.
const PROPOSALS_JSON: &str = r#"[
	{
		"title": "Work In Progress",
		"label": "work-in-progress",
		"proposals": []
	},
	{
		"title": "Proposal In Review",
		"label": "proposal-in-review",
		"proposals": [
			{
				"number": 4242,
				"url": "https://github.com/matrix-org/matrix-spec-proposals/pull/4242",
				"title": "Withheld <keys>",
				"created_at": "2024-01-02",
				"updated_at": "2024-03-04",
				"authors": ["alice", "bob"],
				"shepherd": null,
				"documentation": ["https://example.org/msc4242", "javascript:alert(1)"]
			}
		]
	}
]
"#;

#[test]
fn proposal_tables_without_the_proposals_file_say_so_and_build() {
    let site = build_ok(&build_fixture("spec-pages"), &[]);
    let main = site.main("proposals/index.html");
    assert!(
        main.contains("<p class=\"proposal-tables-absent\">The tables of proposals are made from <code>data/msc/proposals.json</code>, which this build does not have"),
        "{main}"
    );
    assert_eq!(site.report.summary.warnings, 0);
}

#[test]
fn proposal_tables_show_each_state_in_the_table_of_contents_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&build_fixture("spec-pages"), tmp.path());
    fs::create_dir_all(tmp.path().join("data/msc")).unwrap();
    fs::write(tmp.path().join("data/msc/proposals.json"), PROPOSALS_JSON).unwrap();
    let site = build_ok(tmp.path(), &[]);
    // The file is data for a page, not a schema: nothing to report.
    assert_eq!(site.report.summary.warnings, 0);
    let html = site.read("proposals/index.html");
    let main = site.main("proposals/index.html");
    assert!(main.contains(
        "<h3 id=\"work-in-progress\" class=\"proposal-table-title\">Work In Progress</h3>\n<p>No MSCs are currently in this state.</p>"
    ));
    assert!(main.contains(
        "<tr><td><a href=\"https://github.com/matrix-org/matrix-spec-proposals/pull/4242\">4242</a></td><td>Withheld &lt;keys&gt;</td><td>2024-01-02</td><td>2024-03-04</td><td><a href=\"https://example.org/msc4242\">1</a></td><td><a href=\"https://github.com/alice\">@alice</a>, <a href=\"https://github.com/bob\">@bob</a></td><td></td></tr>"
    ), "{main}");
    assert!(!main.contains("javascript"));
    let entries: Vec<String> = crate::build::toc(&html)
        .into_iter()
        .map(|(_, href, _)| href)
        .collect();
    assert_eq!(
        entries,
        [
            "#proposals",
            "#work-in-progress",
            "#proposal-in-review",
            "#after-the-tables"
        ]
    );
}

#[test]
fn a_proposal_without_a_title_is_an_error_naming_its_line() {
    let d = failing_build("shortcode", |root| {
        fs::create_dir_all(root.join("data/msc")).unwrap();
        let broken = PROPOSALS_JSON.replace("\"title\": \"Withheld <keys>\",", "");
        fs::write(root.join("data/msc/proposals.json"), broken).unwrap();
    });
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("content/proposals.md", 10, 1)
    );
    // The proposal opens on line 11 of the JSON file, after three tabs.
    assert!(
        d.message
            .contains("proposal-tables: data/msc/proposals.json:11:4: no `title`"),
        "{}",
        d.message
    );
}

#[test]
fn maths_is_mathml_made_at_build_time() {
    let site = build_ok(&build_fixture("spec-pages"), &[]);
    let main = site.main("olm-megolm/index.html");
    // Inline formulas stay in their paragraph; code is left alone; a display formula is
    // a block of its own.
    let paragraph = between(&main, "<p>Party ", "</p>");
    assert!(
        paragraph.starts_with("<span class=\"math\"><math display=\"inline\"><mi>A</mi></math></span> computes <span class=\"math\"><math display=\"inline\">"),
        "{paragraph}"
    );
    assert!(paragraph.contains("<mi>ECDH</mi>"), "{paragraph}");
    assert!(
        paragraph.contains("<code>\\(not maths\\)</code> stays code."),
        "{paragraph}"
    );
    let display = between(&main, "<div class=\"math display\">", "</div>");
    assert!(
        display.starts_with("<math display=\"block\"><mtable class=\"menv-alignlike"),
        "{display}"
    );
    assert!(main.contains("</div>\n<p>After.</p>"), "{main}");
    assert!(!main.contains("\\(A") && !main.contains("\\["), "{main}");
    // Text in a formula reads as TeX reads it (as KaTeX shows it upstream): quotes,
    // escaped specials and `\char` codes.
    assert!(display.contains("<mtext>“OLM_ROOT”</mtext>"), "{display}");
    assert!(display.contains("<mtext>“\\x02”</mtext>"), "{display}");
    // No script: the page has no <script> of maths, nothing is fetched.
    assert!(!site.read("olm-megolm/index.html").contains("katex"));
}

#[test]
fn a_formula_that_is_not_latex_is_an_error_at_its_line() {
    let d = failing_build("maths", |root| {
        replace_in(
            root,
            "content/olm-megolm/_index.md",
            "Party \\(A\\)",
            "Party \\(\\frac{A}\\)",
        );
    });
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("content/olm-megolm/_index.md", 8, 7)
    );
    assert!(
        d.message.starts_with("this formula cannot be rendered: "),
        "{}",
        d.message
    );
}

#[test]
fn changelog_index_lists_releases_newest_first_and_each_release_has_its_date() {
    let site = build_ok(&build_fixture("spec-pages"), &[]);
    let index = site.main("changelog/index.html");
    let list = between(&index, "<ul class=\"changelog-index\">\n", "</ul>");
    let v110 = list
        .find(">v1.10</a> <span class=\"date\">2024-03-22</span>")
        .expect(list);
    let v19 = list
        .find(">v1.9</a> <span class=\"date\">2023-11-29</span>")
        .expect(list);
    assert!(v110 < v19, "{list}");
    let release = site.main("changelog/v1.10/index.html");
    let table = between(&release, "<table class=\"release-info\">", "</table>");
    assert!(
        table.contains("<tr><th>Release date</th><td>March 22, 2024</td></tr>"),
        "{release}"
    );
    // The section's own page is no release.
    assert!(!index.contains("release-info"));
}

#[test]
fn the_site_has_a_not_found_page_in_its_frame() {
    let site = build_ok(&build_fixture("spec-pages"), &["--base-url", "/v1.19"]);
    let html = site.read("404.html");
    assert!(
        html.contains("<h1 class=\"page-title\" id=\"title\">Not found</h1>"),
        "{html}"
    );
    // Its links work from any path: the base URL is written in, as on every page.
    assert!(html.contains("<a href=\"/v1.19/\">main page of"), "{html}");
    assert!(html.contains("<a href=\"/v1.19/rooms/\">"), "{html}");
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/v1.19/mxspec.css\">"));
}

/// The search index the build wrote: the elasticlunr index and, by number, each section's
/// URL, title and page title.
fn search_index(site: &std::path::Path) -> serde_json::Value {
    let script = fs::read_to_string(site.join("search-index.js")).unwrap();
    let json = script
        .strip_prefix("window.mxspecSearch = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("search-index.js sets window.mxspecSearch");
    serde_json::from_str(json).unwrap()
}

/// The URLs of the sections the index holds `term` for (in their title or text), as the
/// search box's engine finds them: down the index's tree of characters to the term's
/// node, then its documents. (`term` must be a word the stemmer leaves as it is.)
fn search(index: &serde_json::Value, term: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for field in ["title", "body"] {
        let mut node = &index["index"]["index"][field]["root"];
        for c in term.chars() {
            node = &node[c.to_string()];
        }
        for doc in node["docs"].as_object().into_iter().flat_map(|d| d.keys()) {
            let n: usize = doc.parse().unwrap();
            let url = index["docs"][n][0].as_str().unwrap().to_string();
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    urls
}

#[test]
fn the_search_index_finds_each_section_by_its_words() {
    let site = build_ok(&build_fixture("spec-pages"), &[]);
    let index = search_index(&site.dir);
    assert_eq!(search(&index, "ratchet"), ["/olm-megolm/#ratchet"]);
    // A word of a section's text finds that section; code blocks and scripts are not text.
    assert_eq!(search(&index, "dog"), ["/appendices/#sas-emoji"]);
    assert!(search(&index, "nonexistentword").is_empty());
    // The box, its script and its engine are on every page, the engine beside the index.
    let page = site.read("rooms/v1/index.html");
    assert!(page.contains("<input type=\"search\" id=\"mxspec-search\""));
    assert!(page.contains("<script src=\"/search.js\" defer></script>"));
    assert!(site.dir.join("elasticlunr.min.js").exists());
}

#[test]
fn upstream_search_for_withheld_finds_the_event() {
    let Some(UpstreamSite { upstream, out, .. }) = upstream_site() else {
        return;
    };
    let found = search(&search_index(out), "withheld");
    assert!(
        found.contains(&"/client-server-api/#mroom_keywithheld".to_string()),
        "{found:?}"
    );
    // And typed into the search box of the built site, opened from disk.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("relative");
    let report = build_json(upstream, &out, &["--relative-urls"]);
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    if let Some(results) = browser_search(&out.join("index.html"), "withheld") {
        assert!(
            results.contains("client-server-api/index.html#mroom_keywithheld\">m.room_key.withheld<span class=\"search-page\">Client-Server API</span></a>"),
            "{results}"
        );
    }
}

/// The DOM of `url` after its scripts ran, in headless Chromium with a window `width`
/// pixels wide; `None`, with the reason printed, where Chromium is not installed.
fn browser_dom(url: &str, width: u32) -> Option<String> {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("skipped: no Chromium to run the page in");
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--window-size={width},900"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The results the search box lists for `query` on the page `page` of a site built with
/// `--relative-urls`, opened from disk with `?search=`.
fn browser_search(page: &std::path::Path, query: &str) -> Option<String> {
    let dom = browser_dom(&format!("file://{}?search={query}", page.display()), 1280)?;
    Some(between(&dom, "id=\"mxspec-search-results\"", "</ul>").to_string())
}

#[test]
fn narrow_screens_start_with_the_lists_closed_above_the_text() {
    let site = build_ok(&build_fixture("spec-pages"), &["--relative-urls"]);
    let url = format!("file://{}", site.dir.join("rooms/v1/index.html").display());
    let Some(wide) = browser_dom(&url, 1400) else {
        return;
    };
    let phone = browser_dom(&url, 390).unwrap();
    let tablet = browser_dom(&url, 900).unwrap();
    let open = |dom: &str, class: &str| {
        let tag = between(dom, &format!("<details class=\"{class}\""), ">");
        tag.contains(" open")
    };
    // Three columns: both lists open beside the text.
    assert!(open(&wide, "site-nav") && open(&wide, "toc-box"));
    // Two columns: the pages beside, the table of contents closed above the text.
    assert!(open(&tablet, "site-nav") && !open(&tablet, "toc-box"));
    // A phone: both closed, above the text.
    assert!(!open(&phone, "site-nav") && !open(&phone, "toc-box"));
}

#[test]
fn the_search_box_lists_results_in_a_browser() {
    let site = build_ok(&build_fixture("spec-pages"), &["--relative-urls"]);
    let Some(results) = browser_search(&site.dir.join("rooms/v1/index.html"), "ratchet") else {
        return;
    };
    // The link leads to the section's page in the site, `index.html` spelled out.
    let href = format!(
        "file://{}",
        site.dir.join("olm-megolm/index.html#ratchet").display()
    );
    assert!(
        results.contains(&format!(
            "<a href=\"{href}\">Ratchet<span class=\"search-page\">Olm &amp; Megolm</span></a>"
        )),
        "{results}"
    );
    assert_eq!(results.matches("<li>").count(), 1, "{results}");
}

/// The `<select>` of the version selector of a page, when it has one.
fn version_options(html: &str) -> Option<Vec<String>> {
    let select = html.find("<label class=\"version-select\">")?;
    let select = between(&html[select..], "<select", "</select>");
    Some(
        select
            .split("<option ")
            .skip(1)
            .map(|o| o[..o.find("</option>").unwrap()].to_string())
            .collect(),
    )
}

#[test]
fn the_version_selector_offers_the_releases_beside_this_one() {
    // Built for /v1.10: the releases of the changelog (v1.10 and v1.9) are folders beside
    // it; this one is selected, listed once.
    let site = build_ok(
        &build_fixture("spec-pages"),
        &["--base-url", "/v1.10", "--spec-version", "1.10"],
    );
    assert_eq!(
        version_options(&site.read("rooms/v1/index.html")).unwrap(),
        ["value=\"/v1.10/\" selected>v1.10", "value=\"/v1.9/\">v1.9"]
    );
    // Built for /unstable: both releases, and the page's own version first.
    let site = build_ok(&build_fixture("spec-pages"), &["--base-url", "/unstable"]);
    assert_eq!(
        version_options(&site.read("index.html")).unwrap(),
        [
            "value=\"\" selected>this version",
            "value=\"/v1.10/\">v1.10",
            "value=\"/v1.9/\">v1.9"
        ]
    );
    // Built for a full address: the releases are folders beside it there.
    let site = build_ok(
        &build_fixture("spec-pages"),
        &["--base-url", "https://spec.example.org/v1.10/"],
    );
    assert_eq!(
        version_options(&site.read("index.html")).unwrap(),
        [
            "value=\"https://spec.example.org/v1.10/\" selected>v1.10",
            "value=\"https://spec.example.org/v1.9/\">v1.9"
        ]
    );
    // Built at the root (a preview, a site of one version): no folder of another version
    // is known to exist, so no selector links to one.
    let site = build_ok(&build_fixture("spec-pages"), &["--spec-version", "1.10"]);
    assert_eq!(version_options(&site.read("index.html")), None);
}

/// The warnings the upstream snapshot keeps: upstream's own, each named (and why) in
/// README's "The upstream snapshot" section. Code, file, how many.
const UPSTREAMS_OWN: &[(&str, &str, usize)] = &[
    (
        "link-outside-site",
        "content/client-server-api/modules/end_to_end_encryption.md",
        1,
    ),
    (
        "link-outside-site",
        "content/client-server-api/modules/instant_messaging.md",
        2,
    ),
    (
        "root-example-invalid",
        "data/api/client-server/definitions/m.relates_to.yaml",
        2,
    ),
    (
        "root-example-invalid",
        "data/api/client-server/definitions/olm_plaintext.yaml",
        4,
    ),
    (
        "root-example-invalid",
        "data/api/client-server/third_party_lookup.yaml",
        1,
    ),
    (
        "schema-no-example",
        "data/event-schemas/schema/m.key.verification.m.relates_to.yaml",
        1,
    ),
    (
        "schema-no-example",
        "data/event-schemas/schema/m.key.verification.start$m.reciprocate.v1.yaml",
        1,
    ),
    (
        "schema-no-example",
        "data/event-schemas/schema/m.room.message.yaml",
        1,
    ),
    (
        "unquoted-version",
        "data/api/client-server/report_content.yaml",
        3,
    ),
];

#[test]
fn upstream_whole_site_builds_with_only_upstreams_own_warnings_and_every_page() {
    let Some(site) = upstream_site() else {
        return;
    };
    let (upstream, out, report) = (&site.upstream, &site.out, &site.report);
    assert_eq!(report.run.status, Some(0), "{}", report.describe());
    let mut found: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for d in &report.diagnostics {
        *found.entry((d.code.clone(), d.file.clone())).or_default() += 1;
    }
    let expected: std::collections::BTreeMap<(String, String), usize> = UPSTREAMS_OWN
        .iter()
        .map(|(code, file, n)| ((code.to_string(), file.to_string()), *n))
        .collect();
    assert_eq!(found, expected, "{}", report.describe());
    // A page at every upstream path: each Markdown file of content/ but the fragments of
    // headless bundles, where Hugo puts it.
    let content = upstream.join("content");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !rel.ends_with(".md") || rel.contains("/modules/") || rel.contains("/fragments/") {
            continue;
        }
        let path = match rel.strip_suffix("_index.md") {
            Some(dir) => format!("{dir}index.html"),
            None => format!("{}/index.html", rel.trim_end_matches(".md")),
        };
        assert!(
            out.join(&path).is_file(),
            "no page at {path} for content/{rel}"
        );
        pages += 1;
        // Every id written by hand is on its page.
        let text = fs::read_to_string(entry.path()).unwrap();
        let html = fs::read_to_string(out.join(&path)).unwrap();
        for written in text.split("{id=\"").skip(1).chain(text.split("{#").skip(1)) {
            let id = &written[..written.find(['"', '}']).unwrap()];
            assert!(
                html.contains(&format!(" id=\"{id}\"")),
                "#{id} of content/{rel}"
            );
        }
    }
    assert!(pages >= 45, "{pages}");
    assert!(out.join("404.html").is_file());
    assert!(out.join("search-index.js").is_file());
}

#[test]
fn the_index_made_while_pages_render_is_the_index_of_the_finished_pages() {
    let Some(UpstreamSite { upstream, out, .. }) = upstream_site() else {
        return;
    };
    // `build` indexes each page's sections as its final pass reads them, on a thread of its
    // own; `serve` indexes the finished pages after publishing them. The pages finish in any
    // order (the longest first, on every core): the two indexes are the same, byte for byte.
    let written = fs::read_to_string(out.join("search-index.js")).unwrap();
    let options = mxspec::site::BuildOptions {
        root: upstream.clone(),
        ..Default::default()
    };
    let session = mxspec::site::Session::open(options).unwrap();
    let pages = session.page_texts();
    assert!(pages.len() > 40, "{} pages", pages.len());
    assert!(
        written == mxspec::site::search::index_script(&pages),
        "the written index differs from the index of the finished pages"
    );
}
