//! A stranger's pull request: every input bounded and confined. One test per way of
//! breaking mxspec that was found (the list), named after it. None of them times
//! anything: each must simply end, with the right diagnostic.

use std::fs;
use std::path::Path;

use crate::common::{self, build_json, build_raw, check, check_json, error, git, mxspec, warning};

const SCHEMA: &str = "data/event-schemas/schema";
const EXAMPLES: &str = "data/event-schemas/examples";

/// A project of these files (root-relative path, text) in a new temporary folder.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("data")).unwrap();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

/// [`project`] of files made at run time.
fn project_of(files: &[(String, String)]) -> tempfile::TempDir {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    project(&files)
}

/// Eight files that each refer ten times to the next (`path(i)` names file `i`,
/// `body(links)` writes a file of its links to file `i + 1`, `link(i + 1)` each), then a
/// leaf: followed naively, 10^8 copies.
fn fan_out(
    path: impl Fn(usize) -> String,
    link: impl Fn(usize, usize) -> String,
    body: impl Fn(Vec<String>) -> String,
    leaf: &str,
) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = (0..8)
        .map(|i| (path(i), body((0..10).map(|k| link(k, i + 1)).collect())))
        .collect();
    files.push((path(8), leaf.to_string()));
    files
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const EVENT_SCHEMA: &str = "type: object\nproperties:\n  type: {type: string}\n  content:\n    type: object\n    properties:\n      membership: {type: string, enum: [join, leave]}\n      body: {type: string}\n    required: [membership]\n";

#[cfg(unix)]
#[test]
fn templates_escape_confinement() {
    let secret = tempfile::tempdir().unwrap();
    fs::write(secret.path().join("secret.html"), "TOKEN=hunter2").unwrap();
    let dir = project(&[(
        "content/_index.md",
        "---\ntitle: Home\ntemplate: env.html\n---\nHi\n",
    )]);
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        secret.path().join("secret.html"),
        dir.path().join("templates/env.html"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/proc/self/environ",
        dir.path().join("templates/environ.html"),
    )
    .unwrap();
    let out = dir.path().join("site");
    let report = build_json(dir.path(), &out, &[]);
    assert!(report.summary.errors > 0, "{}", report.describe());
    report.get(&error("io", "templates/env.html", 0, 0));
    report.get(&error("io", "templates/environ.html", 0, 0));
    let printed = format!("{}{}", report.run.stdout, report.run.stderr);
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(!out.exists(), "a failed build writes nothing");
}

#[test]
fn reference_fan_out() {
    // Eight fragments, each pointing ten times to the next: 10^8 copies unbounded.
    let mut files = vec![
        (format!("{SCHEMA}/m.sample.yaml"), EVENT_SCHEMA.to_string()),
        (
            format!("{EXAMPLES}/m.sample.yaml"),
            "{\"type\": \"m.sample\", \"content\": {\"membership\": \"join\", \"x\": {\"$ref\": \"core/f0.json\"}}}\n".to_string(),
        ),
    ];
    files.extend(fan_out(
        |i| format!("{EXAMPLES}/core/f{i}.json"),
        |k, next| format!("\"k{k}\": {{\"$ref\": \"f{next}.json\"}}"),
        |links| format!("{{{}}}\n", links.join(", ")),
        "{\"leaf\": true}\n",
    ));
    let dir = project_of(&files);
    let report = check_json(dir.path());
    let budget: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "ref-budget")
        .collect();
    assert!(!budget.is_empty(), "{}", report.describe());
    assert!(
        budget[0].message.contains("250000"),
        "{}",
        budget[0].message
    );

    // The same fan-out through schemas: check is fast, build stops at the budget.
    let mut files = vec![
        (
            format!("{SCHEMA}/m.fan.yaml"),
            "type: object\nproperties:\n  content: {$ref: parts/p0.yaml}\n".to_string(),
        ),
        (
            "content/_index.md".to_string(),
            "---\ntitle: Fan\n---\n{{% event event=\"m.fan\" %}}\n".to_string(),
        ),
    ];
    files.extend(fan_out(
        |i| format!("{SCHEMA}/parts/p{i}.yaml"),
        |k, next| format!("  k{k}: {{$ref: p{next}.yaml}}"),
        |links| format!("type: object\nproperties:\n{}\n", links.join("\n")),
        "type: string\n",
    ));
    let dir = project_of(&files);
    let out = dir.path().join("site");
    let report = build_json(dir.path(), &out, &[]);
    let d = report.get(&error("shortcode", "content/_index.md", 4, 1));
    assert!(d.message.contains("250000"), "{}", d.message);
    // `diff` (and `check --since`) expand events too.
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "fan"]);
    let run = mxspec(["diff", "HEAD", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("error[event-unresolved]") && run.stderr.contains("250000"),
        "{}",
        run.stderr
    );

    // cs-module fragments that include the next one ten times.
    let mut files = vec![(
        "content/client-server-api/_index.md".to_string(),
        "---\ntitle: CS\n---\n{{% cs-module filename=\"m0\" %}}\n".to_string(),
    )];
    files.push((
        "content/client-server-api/modules/index.md".to_string(),
        "---\nheadless: true\n---\n".to_string(),
    ));
    files.extend(fan_out(
        |i| format!("content/client-server-api/modules/m{i}.md"),
        |_, next| format!("{{{{% cs-module filename=\"m{next}\" %}}}}\n\n"),
        |links| links.concat(),
        "Leaf.\n",
    ));
    builds_with_shortcode_error(&files, "more than 1000 fragments");
}

#[test]
fn a_fragment_that_includes_itself_under_many_names_is_read_once_per_page() {
    // Before a page renders, its events and endpoints are found in the fragments it
    // includes: a fragment that includes itself a thousand times, under a thousand module
    // names, on forty pages, is read once per page, as the page's render refuses it.
    let mut fragment: String = (0..1000)
        .map(|i| format!("{{{{% cs-module filename=\"f\" name=\"n{i}\" %}}}}\n"))
        .collect();
    fragment.push_str(&format!(
        "\n{{{{% event event=\"m.sample\" %}}}}\n{}\n",
        "x".repeat(200_000)
    ));
    let mut files = vec![
        (format!("{SCHEMA}/m.sample.yaml"), EVENT_SCHEMA.to_string()),
        (
            "content/client-server-api/modules/index.md".to_string(),
            "---\nheadless: true\n---\n".to_string(),
        ),
        (
            "content/client-server-api/modules/f.md".to_string(),
            fragment,
        ),
    ];
    for page in 0..40 {
        files.push((
            format!("content/p{page}.md"),
            format!(
                "---\ntitle: P{page}\n---\n{{{{% cs-module filename=\"f\" name=\"top\" %}}}}\n"
            ),
        ));
    }
    builds_with_shortcode_error(&files, "includes itself");
}

/// Builds a project of these files and finds a shortcode error saying `says`.
fn builds_with_shortcode_error(files: &[(String, String)], says: &str) {
    let dir = project_of(files);
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "shortcode" && d.message.contains(says)),
        "{}",
        report.describe()
    );
}

#[test]
fn stack_overflows() {
    let nested =
        "{{% boxes/note %}}\n".repeat(10_000) + "x\n" + &"{{% /boxes/note %}}\n".repeat(10_000);
    let page = format!("---\ntitle: Deep\n---\n{nested}");
    let dir = project(&[("content/_index.md", page.as_str())]);
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    let d = &report.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.file.as_str()),
        ("shortcode", "content/_index.md"),
        "{}",
        report.describe()
    );
    assert!(
        d.line > 4 && d.message.contains("nest more than"),
        "{}",
        report.describe()
    );

    // A template that includes itself, and a macro that calls itself.
    let dir = project(&[
        ("content/_index.md", "---\ntitle: T\n---\nx\n"),
        ("templates/loop.html", "{% include \"loop.html\" %}"),
        (
            "templates/macros.html",
            "{% macro m(n) %}{{ self::m(n=n) }}{% endmacro m %}",
        ),
    ]);
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    report.assert_exactly(&[
        error("template", "templates/loop.html", 0, 0),
        error("template", "templates/macros.html", 0, 0),
    ]);
}

/// A chain of 50,000 references inside one example fragment, which an inline example
/// names:
/// merged naively, a tree 50,000 levels deep. The chain is cut at 32 references, an
/// error at the `$ref`, and the run goes on.
#[test]
fn a_long_chain_of_references_is_cut() {
    let links: Vec<String> = (0..50_000)
        .map(|i| format!("\"k{i}\":{{\"a\":{{\"$ref\":\"#/d/k{}\"}}}}", i + 1))
        .collect();
    let chain = format!("{{\"d\":{{{},\"k50000\":{{}}}}}}", links.join(","));
    let schema = "type: object\nexample:\n  $ref: ../examples/chain.json#/d/k0\n";
    let dir = project(&[
        (&format!("{SCHEMA}/m.deep.yaml"), schema),
        (&format!("{EXAMPLES}/chain.json"), chain.as_str()),
        (&format!("{EXAMPLES}/m.deep.yaml"), "{}\n"),
    ]);
    let report = check_json(dir.path());
    assert_eq!(report.run.status, Some(1), "{}", report.describe());
    let cut = report
        .diagnostics
        .iter()
        .find(|d| d.code == "ref-budget")
        .unwrap_or_else(|| panic!("no ref-budget: {}", report.describe()));
    assert!(cut.message.contains("more than 32 deep"), "{}", cut.message);
}

#[test]
fn stack_overflows_while_serving() {
    use std::io::{Read, Write};
    let dir = project(&[("content/_index.md", "---\ntitle: T\n---\nfine\n")]);
    let (tx, rx) = std::sync::mpsc::channel();
    let options = mxspec::serve::ServeOptions {
        build: mxspec::site::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        poll: true,
        header_timeout: mxspec::serve::HEADER_TIMEOUT,
    };
    let handle = mxspec::serve::start(options, move |report| {
        if let mxspec::serve::Report::Built { summary, .. } = report {
            let _ = tx.send(summary.errors);
        }
    })
    .unwrap();
    assert_eq!(rx.recv().unwrap(), 0);
    let nested =
        "{{% boxes/note %}}\n".repeat(2_000) + "x\n" + &"{{% /boxes/note %}}\n".repeat(2_000);
    write(
        dir.path(),
        "content/_index.md",
        &format!("---\ntitle: T\n---\n{nested}"),
    );
    let wait = std::time::Duration::from_secs(20);
    assert!(
        rx.recv_timeout(wait).unwrap() > 0,
        "the deep page is an error"
    );
    // The server is alive and still serves the last good site.
    let addr = handle
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("fine"),
        "{page}"
    );
    handle.stop().unwrap();
}

#[test]
fn a_changelog_template_that_does_not_end() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::manifest_dir().join("tests/fixtures/changelog/base"),
        dir.path(),
    );
    write(
        dir.path(),
        "changelogs/template.md.jinja",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
    );
    let report = check_json(dir.path());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "changelog-template"),
        "{}",
        report.describe()
    );
}

#[test]
fn a_long_chain_of_templates_is_judged_in_linear_time() {
    // 3,000 templates that include the next, the last one the first: one cycle.
    let mut files: Vec<(String, String)> = (0..3000)
        .map(|i| {
            (
                format!("templates/t{i}.html"),
                format!("{{% include \"t{}.html\" %}}", (i + 1) % 3000),
            )
        })
        .collect();
    files.push(("content/_index.md".into(), "---\ntitle: T\n---\nx\n".into()));
    let dir = project_of(&files);
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    assert_eq!(
        report.count("error"),
        3000,
        "each template of the cycle is named"
    );
    assert!(report.diagnostics[0].message.contains("includes itself"));
}

#[cfg(unix)]
#[test]
fn walking_out_of_the_root() {
    let dir = project(&[
        (&format!("{SCHEMA}/m.sample.yaml"), EVENT_SCHEMA),
        ("content/_index.md", "---\ntitle: T\n---\nx\n"),
    ]);
    let root = dir.path();
    std::os::unix::fs::symlink("/", root.join("data/x")).unwrap();
    std::os::unix::fs::symlink("/", root.join("content/x")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    std::os::unix::fs::symlink("/usr", root.join("templates/x")).unwrap();
    let report = check_json(root);
    report.assert_exactly(&[
        error("path-escapes-data", "data/x", 0, 0),
        warning("schema-no-example", format!("{SCHEMA}/m.sample.yaml"), 0, 0),
    ]);
    let report = build_json(root, &root.join("site"), &[]);
    report.get(&error("io", "content/x", 0, 0));
    report.get(&error("io", "templates/x", 0, 0));

    // A whole folder of the project that links out of it is refused too.
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret/x.md",
        "---\ntitle: Secret\n---\nTOKEN\n",
    );
    write(
        outside.path(),
        "event-schemas/creds.yaml",
        "password: [TOKEN123\n",
    );
    let dir = project(&[]);
    let root = dir.path();
    fs::remove_dir_all(root.join("data")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("data")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("content")).unwrap();
    let run = build_raw(root, &root.join("site"), &["--format", "json"]);
    assert_eq!(run.status, Some(1), "{run:?}");
    let printed = format!("{}{}", run.stdout, run.stderr);
    assert!(!printed.contains("TOKEN"), "{printed}");
    let report = crate::common::parse_report(run);
    report.assert_exactly(&[
        error("io", "content", 0, 0),
        error("path-escapes-data", "data", 0, 0),
    ]);
    assert!(!root.join("site").exists());
}

#[test]
fn output_size() {
    // One 140 KB line holding 4,000 dangling references.
    let refs: Vec<String> = (0..4000)
        .map(|i| format!("\"p{i}\": {{\"$ref\": \"missing{i}.json\"}}"))
        .collect();
    let schema = format!(
        "{{\"type\": \"object\", \"properties\": {{{}}}}}",
        refs.join(", ")
    );
    assert!(schema.len() > 100_000);
    let dir = project(&[(&format!("{SCHEMA}/m.wide.json"), schema.as_str())]);
    let json = check_json(dir.path());
    assert_eq!(json.count("error"), 4000, "the json format lists them all");
    let human = check(dir.path(), "human");
    assert!(
        human.stderr.len() < 100_000,
        "human output is {} bytes",
        human.stderr.len()
    );
    assert!(
        human
            .stderr
            .contains("more in data/event-schemas/schema/m.wide.json"),
        "{}",
        &human.stderr[human.stderr.len() - 500..]
    );
    let longest = human.stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(
        longest < 400,
        "a quoted line is cut around its column: {longest} bytes"
    );
    let github = check(dir.path(), "github");
    assert!(
        github.stdout.lines().count() < 60,
        "{}",
        github.stdout.lines().count()
    );
}

#[test]
fn quadratic_heading_ids() {
    let page = format!("---\ntitle: Many\n---\n{}", "## a\n\n".repeat(20_000));
    let dir = project(&[("content/_index.md", page.as_str())]);
    let out = dir.path().join("site");
    let report = build_json(dir.path(), &out, &[]);
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("id=\"a\"") && html.contains("id=\"a-19999\""));
}

#[test]
fn terminal_and_ci_injection() {
    let schema = "type: object\nproperties:\n  content: {$ref: \"x\\n::error file=evil::pwned\\u001b[31m.yaml\"}\n";
    let dir = project(&[(&format!("{SCHEMA}/m.evil.yaml"), schema)]);
    for format in ["human", "github"] {
        let run = check(dir.path(), format);
        let printed = format!("{}{}", run.stdout, run.stderr);
        assert!(!printed.contains('\u{1b}'), "{format}: {printed:?}");
        assert!(
            !printed.lines().any(|l| l.starts_with("::error file=evil")),
            "{format}: {printed}"
        );
    }
    let json = check_json(dir.path());
    let dangling = json.get(&error(
        "ref-dangling",
        format!("{SCHEMA}/m.evil.yaml"),
        3,
        19,
    ));
    assert!(
        dangling.message.contains("x\n::error file=evil"),
        "json keeps the text, escaped by JSON: {}",
        dangling.message
    );
}

#[test]
fn silent_skips() {
    // The base of every member example has a dangling `$ref`; the variant's own value is
    // still wrong, and must be reported.
    let dir = project(&[
        (&format!("{SCHEMA}/m.member.yaml"), EVENT_SCHEMA),
        (
            &format!("{EXAMPLES}/core/base.json"),
            "{\n  \"type\": \"m.member\",\n  \"content\": {\"$ref\": \"missing.json\"}\n}\n",
        ),
        (
            &format!("{EXAMPLES}/m.member.yaml"),
            "{\n  \"$ref\": \"core/base.json\",\n  \"content\": {\n    \"membership\": \"bogus\"\n  }\n}\n",
        ),
    ]);
    let report = check_json(dir.path());
    report.assert_exactly(&[
        error("ref-dangling", format!("{EXAMPLES}/core/base.json"), 3, 23),
        error(
            "example-invalid",
            format!("{EXAMPLES}/m.member.yaml"),
            4,
            19,
        ),
        warning("example-partial", format!("{EXAMPLES}/m.member.yaml"), 0, 0),
    ]);
    assert_eq!(report.summary.examples, 1);
}

#[test]
fn size_caps_everywhere() {
    let big = "# padding\n".repeat(900_000);
    let dir = project(&[
        ("content/_index.md", "---\ntitle: T\n---\nx\n"),
        ("templates/huge.html", big.as_str()),
        ("mxspec.toml", big.as_str()),
    ]);
    let run = build_raw(dir.path(), &dir.path().join("site"), &["--format", "json"]);
    assert_eq!(run.status, Some(1), "{run:?}");
    assert!(
        run.stdout.contains("file-too-large") && run.stdout.contains("mxspec.toml"),
        "{}",
        run.stdout
    );
    fs::remove_file(dir.path().join("mxspec.toml")).unwrap();
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    report.get(&error("file-too-large", "templates/huge.html", 0, 0));

    // `diff` does not read an old blob larger than check reads, nor files it never reads.
    let dir = project(&[(&format!("{SCHEMA}/m.sample.yaml"), EVENT_SCHEMA)]);
    let root = dir.path();
    write(root, "data/huge.yaml", &format!("a: 1\n{big}"));
    fs::write(root.join("data/blob.bin"), vec![0u8; 9 << 20]).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "one"]);
    fs::remove_file(root.join("data/huge.yaml")).unwrap();
    let run = mxspec(["diff", "HEAD", "--root", root.to_str().unwrap()]);
    assert_eq!(run.status, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("error[file-too-large]") && run.stderr.contains("data/huge.yaml"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("blob.bin"), "{}", run.stderr);
}

#[test]
fn interrupted_swap() {
    let dir = project(&[("content/_index.md", "---\ntitle: T\n---\nx\n")]);
    let out = dir.path().join("site");
    build_json(dir.path(), &out, &[]);
    // What a build killed between its two steps used to leave: the old site aside.
    let aside = dir.path().join(".site.mxspec-old-4242");
    common::copy_dir(&out, &aside);
    let report = build_json(dir.path(), &out, &[]);
    assert_eq!(report.summary.errors, 0);
    assert!(out.join("index.html").is_file());
    assert!(!aside.exists(), "leftovers of a killed build are cleaned");
}

#[test]
fn idle_connections() {
    use std::io::{Read, Write};
    let dir = project(&[("content/_index.md", "---\ntitle: T\n---\nx\n")]);
    let options = mxspec::serve::ServeOptions {
        build: mxspec::site::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        poll: true,
        header_timeout: std::time::Duration::from_millis(300),
    };
    let handle = mxspec::serve::start(options, |_| {}).unwrap();
    let addr = handle
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    // One connection that sends nothing, one that never finishes its headers, one that
    // stays open after a request.
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let mut kept = std::net::TcpStream::connect(&addr).unwrap();
    kept.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    for (name, stream) in [
        ("idle", &mut idle),
        ("slow", &mut slow),
        ("kept", &mut kept),
    ] {
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut all = Vec::new();
        let closed = stream.read_to_end(&mut all);
        assert!(
            closed.is_ok(),
            "{name}: the server closes the connection ({closed:?})"
        );
    }
    handle.stop().unwrap();
}

#[test]
fn clashing_pages() {
    let dir = project(&[
        ("content/_index.md", "---\ntitle: Home\n---\nx\n"),
        ("content/a.md", "---\ntitle: A\n---\nx\n"),
        ("content/a/_index.md", "---\ntitle: A again\n---\nx\n"),
        ("content/b/index.md", "---\ntitle: B\n---\nx\n"),
        ("content/b/_index.md", "---\ntitle: B again\n---\nx\n"),
        ("content/..md", "---\ntitle: Dots\n---\nx\n"),
        // A scheme's colon: linked relative to a page (`--relative-urls`, the search box),
        // `javascript:alert(1)/` would run.
        (
            "content/javascript:alert(1).md",
            "---\ntitle: Sneaky\n---\nx\n",
        ),
    ]);
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    report.assert_exactly(&[
        error("page-path", "content/..md", 1, 1),
        error("page-path", "content/javascript:alert(1).md", 1, 1),
        error("page-clash", "content/a.md", 1, 1),
        error("page-clash", "content/b/index.md", 1, 1),
    ]);
}

#[test]
fn yaml_1_2_integers() {
    let dir = project(&[
        (
            &format!("{SCHEMA}/m.sample.yaml"),
            "type: object\nproperties:\n  content:\n    type: object\n    properties:\n      a: {type: string}\n      b: {type: string}\n",
        ),
        (&format!("{EXAMPLES}/m.sample.yaml"), "content:\n  a: 1_000\n  b: 0b101\n"),
    ]);
    let report = check_json(dir.path());
    report.assert_exactly(&[]);
    assert_eq!(report.summary.examples, 1);
}

#[test]
fn patterns() {
    let dir = project(&[
        (
            &format!("{SCHEMA}/m.sample.yaml"),
            "type: object\nproperties:\n  content:\n    type: object\n    properties:\n      look: {type: string, pattern: \"^(?=.*x)(?!y)\"}\n      back: {type: string, pattern: \"(a)\\\\1\"}\n      evil: {type: string, pattern: \"^(a+)+(?=b)$\"}\n",
        ),
        (
            &format!("{EXAMPLES}/m.sample.yaml"),
            &format!("content:\n  look: \"zx\"\n  back: \"aa\"\n  evil: \"{}c\"\n", "a".repeat(40)),
        ),
    ]);
    let report = check_json(dir.path());
    // Lookahead and backreferences compile; the runaway pattern is cut off by its
    // backtracking bound rather than hanging, and reported.
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.code != "schema-compile"),
        "{}",
        report.describe()
    );
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.code == "example-invalid"
                && d.instance_path.as_deref() == Some("/content/evil")),
        "{}",
        report.describe()
    );
}

#[test]
fn images_of_assets_are_read_up_to_a_total() {
    // Nine diagrams of 8 MiB (sparse: no disk is used) come to more than the 64 MiB read
    // in all: the ninth, in name order, is an error and not read. Images outside
    // `assets/diagrams/` are not read at all.
    let dir = project(&[("content/_index.md", "---\ntitle: Home\n---\nx\n")]);
    let diagrams = dir.path().join("assets/diagrams");
    fs::create_dir_all(&diagrams).unwrap();
    for n in 1..=9 {
        let file = fs::File::create(diagrams.join(format!("d{n}.webp"))).unwrap();
        file.set_len(8 * 1024 * 1024).unwrap();
    }
    fs::create_dir_all(dir.path().join("assets/icons")).unwrap();
    let icon = fs::File::create(dir.path().join("assets/icons/big.png")).unwrap();
    icon.set_len(9 * 1024 * 1024).unwrap();
    let report = build_json(dir.path(), &dir.path().join("site"), &[]);
    report.assert_exactly(&[error("file-too-large", "assets/diagrams/d9.webp", 0, 0)]);
    let d = &report.diagnostics[0];
    assert!(d.message.contains("more than 64 MiB"), "{}", d.message);
}

#[test]
fn raw_html_read_in_more_than_one_way_is_refused_where_it_is_written() {
    // `<xmp>` in a `<select>`: browsers may read the link inside as a link or as text, so
    // the final pass cannot drop its script URL; the page is refused, not published as
    // it is. The same tags written as code before it are no tags, and not pointed at.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let report = build_json(&common::build_fixture("ambiguous-html"), &out, &[]);
    assert_eq!(report.run.status, Some(1), "{}", report.describe());
    assert!(!out.exists(), "a refused page was published");
    let want = error("ambiguous-html", "content/_index.md", 6, 9);
    let message = &report.only(&want).message;
    assert!(
        message.contains("write it without `<xmp>` there"),
        "{message}"
    );
    // A `<frameset>` makes the template's `<script>` after it ambiguous: the frameset is
    // shown, and the script said to come from elsewhere.
    let (_copy, root) = common::fixture_copy("ambiguous-html");
    let refused = |page: &str| {
        write(&root, "content/_index.md", page);
        let report = build_json(&root, &out, &[]);
        assert_eq!(report.run.status, Some(1), "{}", report.describe());
        assert!(!out.exists(), "a refused page was published");
        report
    };
    let report = refused("---\ntitle: Frames\n---\nText.\n\n<frameset></frameset>\n");
    let want = error("ambiguous-html", "content/_index.md", 6, 1);
    let message = &report.only(&want).message;
    assert!(message.contains("`<script>` after it"), "{message}");
    // What follows the ambiguous part is still read for the link check: a link from
    // another page to an id after it is not also reported broken.
    write(
        &root,
        "content/b.md",
        "---\ntitle: B\n---\nSee [later](/#later).\n",
    );
    let report = refused("---\ntitle: Later\n---\nText.\n\n<select><xmp>x</xmp></select>\n\n<span id=\"later\">Later</span>\n");
    report.assert_exactly(&[error("ambiguous-html", "content/_index.md", 6, 9)]);
}
