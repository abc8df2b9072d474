//! A spec editor's first hour: starting a project, finding it from any folder, reading and
//! tuning the diagnostics, looking at the site.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{build_json, build_raw, check_json, error, mxspec_in, warning};

const SCHEMA: &str = "data/event-schemas/schema";
const EXAMPLES: &str = "data/event-schemas/examples";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn mxspec_at(cwd: &Path, args: &[&str]) -> crate::common::Run {
    mxspec_in(Some(cwd), args)
}

#[test]
fn init_starts_a_project_that_builds_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my-spec");
    let run = mxspec_at(dir.path(), &["init", "my-spec"]);
    assert_eq!(run.status, Some(0), "{run:?}");
    assert!(run.stdout.contains("mxspec serve"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("\\n"),
        "no escaped line breaks: {}",
        run.stdout
    );
    for file in [
        "mxspec.toml",
        ".gitignore",
        "content/_index.md",
        "data/event-schemas/schema/m.example.yaml",
        "data/event-schemas/examples/m.example.yaml",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let report = build_json(&root, &root.join("site"), &[]);
    report.assert_exactly(&[]);
    assert_eq!(report.summary.examples, 1);
    let page = fs::read_to_string(root.join("site/index.html")).unwrap();
    assert!(page.contains("id=\"mexample\""), "the page shows the event");
    // serve takes it as it is: the first build has no warning.
    let (tx, rx) = std::sync::mpsc::channel();
    let options = mxspec::serve::ServeOptions {
        build: mxspec::site::BuildOptions {
            root: root.clone(),
            ..Default::default()
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        poll: true,
        header_timeout: mxspec::serve::HEADER_TIMEOUT,
    };
    let handle = mxspec::serve::start(options, move |r| {
        if let mxspec::serve::Report::Built { summary, .. } = r {
            let _ = tx.send(summary);
        }
    })
    .unwrap();
    let summary = rx.recv().unwrap();
    assert_eq!((summary.errors, summary.warnings), (0, 0));
    handle.stop().unwrap();
    // Never over an existing project.
    let again = mxspec_at(dir.path(), &["init", "my-spec"]);
    assert_eq!(again.status, Some(2));
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn the_project_is_found_from_a_folder_below_it_and_a_missing_one_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    mxspec_at(dir.path(), &["init", "spec"]);
    let deep = root.join("content/more");
    fs::create_dir_all(&deep).unwrap();
    let run = mxspec_at(&deep, &["check"]);
    assert_eq!(run.status, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("checked 1 schema, 1 example"),
        "{}",
        run.stderr
    );
    let nowhere = tempfile::tempdir().unwrap();
    let run = mxspec_at(nowhere.path(), &["check"]);
    assert_eq!(run.status, Some(2));
    assert!(
        run.stderr
            .contains("looked for mxspec.toml or a data/ folder")
            && run.stderr.contains("mxspec init"),
        "{}",
        run.stderr
    );
}

/// A project with one warning of each of two codes, and an unknown shortcode twice.
fn warned_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mxspec_at(root, &["init", "."]);
    write(
        root,
        &format!("{SCHEMA}/m.lonely.yaml"),
        "type: object\nproperties:\n  content: {type: object}\n",
    );
    write(
        root,
        "content/more.md",
        "---\ntitle: More\n---\n{{% api-explorer spec=\"x\" %}}\n\n{{% api-explorer spec=\"y\" %}}\n",
    );
    dir
}

#[test]
fn warnings_are_counted_by_code_and_levels_quiet_or_harden_them() {
    let dir = warned_project();
    let root = dir.path();
    let out = root.join("site");
    let run = build_raw(root, &out, &[]);
    assert_eq!(run.status, Some(0), "{run:?}");
    assert!(
        run.stderr
            .contains("warnings by code: 2 unknown-shortcode, 1 schema-no-example"),
        "{}",
        run.stderr
    );
    // --quiet prints errors only; the counts stay.
    let quiet = build_raw(root, &out, &["--quiet"]);
    assert!(!quiet.stderr.contains("warning["), "{}", quiet.stderr);
    assert!(
        quiet.stderr.contains("0 errors, 3 warnings"),
        "{}",
        quiet.stderr
    );
    // -W and [diagnostics] allow or deny a code; --deny-warnings denies them all.
    let report = build_json(root, &out, &["-W", "schema-no-example=allow"]);
    assert_eq!((report.summary.errors, report.summary.warnings), (0, 2));
    let report = build_json(root, &out, &["-W", "unknown-shortcode=deny"]);
    assert_eq!((report.summary.errors, report.summary.warnings), (2, 1));
    assert!(!out.join("more/index.html").exists() || report.run.status == Some(1));
    let report = build_json(
        root,
        &out,
        &["--deny-warnings", "-W", "schema-no-example=allow"],
    );
    assert_eq!((report.summary.errors, report.summary.warnings), (2, 0));
    fs::write(
        root.join("mxspec.toml"),
        "[diagnostics]\nunknown-shortcode = \"allow\"\n",
    )
    .unwrap();
    let report = check_json(root);
    report.assert_exactly(&[warning(
        "schema-no-example",
        format!("{SCHEMA}/m.lonely.yaml"),
        0,
        0,
    )]);
    let report = build_json(root, &out, &[]);
    assert_eq!((report.summary.errors, report.summary.warnings), (0, 1));
    // A level for an error, or a code that does not exist, is refused with a hint.
    let run = build_raw(root, &out, &["-W", "example-invalid=allow"]);
    assert_eq!(run.status, Some(2));
    assert!(run.stderr.contains("only warnings"), "{}", run.stderr);
    let run = build_raw(root, &out, &["-W", "unknown-shortcod=deny"]);
    assert!(
        run.stderr.contains("did you mean `unknown-shortcode`?"),
        "{}",
        run.stderr
    );
    fs::write(
        root.join("mxspec.toml"),
        "[diagnostics]\nbroken-lnk = \"deny\"\n",
    )
    .unwrap();
    let report = check_json(root);
    let d = report.get(&error("config", "mxspec.toml", 2, 14));
    assert!(
        d.message.contains("did you mean `broken-link`?"),
        "{}",
        d.message
    );
}

#[test]
fn near_names_are_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mxspec_at(root, &["init", "."]);
    write(
        root,
        &format!("{EXAMPLES}/m.example.yaml"),
        "{\n  \"type\": \"m.example\",\n  \"content\": {\n    \"body\": \"x\",\n    \"mood\": \"hapy\"\n  }\n}\n",
    );
    write(
        root,
        &format!("{SCHEMA}/m.other.yaml"),
        "type: object\nproperties:\n  content: {type: string, format: date-tme}\n",
    );
    write(
        root,
        &format!("{EXAMPLES}/m.other.yaml"),
        "{\"content\": \"2020-01-01\"}\n",
    );
    let report = check_json(root);
    let enum_value = report.get(&error(
        "example-invalid",
        format!("{EXAMPLES}/m.example.yaml"),
        5,
        13,
    ));
    assert!(
        enum_value.message.contains("did you mean `happy`?"),
        "{}",
        enum_value.message
    );
    let format = report.get(&error(
        "unknown-format",
        format!("{SCHEMA}/m.other.yaml"),
        3,
        35,
    ));
    assert!(
        format.message.contains("did you mean `date-time`?"),
        "{}",
        format.message
    );
    write(
        root,
        "content/_index.md",
        "---\ntitle: T\n---\n{{% evnt event=\"m.example\" %}}\n\n{{% event evnt=\"m.example\" event=\"m.exampel\" %}}\n",
    );
    // Pages render once the data is clean.
    fs::remove_file(root.join(format!("{SCHEMA}/m.other.yaml"))).unwrap();
    fs::remove_file(root.join(format!("{EXAMPLES}/m.other.yaml"))).unwrap();
    let example = root.join(format!("{EXAMPLES}/m.example.yaml"));
    let text = fs::read_to_string(&example).unwrap();
    fs::write(&example, text.replace("hapy", "happy")).unwrap();
    let report = build_json(root, &root.join("site"), &[]);
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    for hint in ["did you mean `event`?", "did you mean `m.example`?"] {
        assert!(
            messages.iter().any(|m| m.contains(hint)),
            "{hint}: {messages:?}"
        );
    }
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no parameter `evnt`") && m.contains("did you mean `event`?")),
        "{messages:?}"
    );
}

#[test]
fn a_schema_that_does_not_parse_names_the_examples_it_leaves_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mxspec_at(root, &["init", "."]);
    let schema = root.join(format!("{SCHEMA}/m.example.yaml"));
    let text = fs::read_to_string(&schema).unwrap();
    fs::write(
        &schema,
        text.replacen("  content:\n", "  content:\n   wrong: [\n", 1),
    )
    .unwrap();
    let report = check_json(root);
    assert_eq!(report.diagnostics.len(), 1, "{}", report.describe());
    let d = &report.diagnostics[0];
    assert_eq!(d.file, format!("{SCHEMA}/m.example.yaml"));
    assert!(
        d.message.contains(
            "so 1 example could not be checked: data/event-schemas/examples/m.example.yaml"
        ),
        "{}",
        d.message
    );
}

#[test]
fn relative_urls_open_from_disk_and_build_says_how_to_look() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mxspec_at(root, &["init", "."]);
    write(
        root,
        "content/guide/_index.md",
        "---\ntitle: Guide\n---\nSee [the start](/#events).\n",
    );
    let out = root.join("site");
    let run = build_raw(root, &out, &[]);
    assert!(run.stderr.contains("mxspec serve"), "{}", run.stderr);
    let run = build_raw(root, &out, &["--relative-urls"]);
    assert_eq!(run.status, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("open ") && run.stderr.contains("index.html in a browser"),
        "{}",
        run.stderr
    );
    let guide = fs::read_to_string(out.join("guide/index.html")).unwrap();
    assert!(guide.contains("href=\"../index.html#events\""), "{guide}");
    assert!(guide.contains("href=\"../mxspec.css\""), "{guide}");
    // Every relative link of every page names a file of the site.
    for page in ["index.html", "guide/index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        let base = out.join(page).parent().unwrap().to_path_buf();
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|h| h.split('"').next())
        {
            if href.starts_with('#') || href.contains("://") {
                continue;
            }
            let file = href.split('#').next().unwrap();
            assert!(base.join(file).is_file(), "{page}: {href} names no file");
        }
    }
}

#[test]
fn serve_previews_below_a_base_url() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mxspec_at(root, &["init", "."]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .args(["serve", "--port", "0", "--base-url", "/v1.0", "--root"])
        .arg(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).unwrap();
    let _ = child.kill();
    assert!(
        first.starts_with("Serving http://127.0.0.1:") && first.contains("/v1.0/ ("),
        "{first}"
    );
    let addr = first["Serving http://".len()..]
        .split('/')
        .next()
        .unwrap()
        .to_string();
    // The server is gone now; start it again through the library to ask it things.
    let _ = child.wait();
    let options = mxspec::serve::ServeOptions {
        build: mxspec::site::BuildOptions {
            root: root.to_path_buf(),
            base_url: "/v1.0".into(),
            ..Default::default()
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        poll: true,
        header_timeout: mxspec::serve::HEADER_TIMEOUT,
    };
    let handle = mxspec::serve::start(options, |_| {}).unwrap();
    assert!(handle.url.ends_with("/v1.0/"), "{}", handle.url);
    let addr2 = handle
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let get = |path: &str| {
        let mut s = std::net::TcpStream::connect(&addr2).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut r = String::new();
        s.read_to_string(&mut r).unwrap();
        r
    };
    assert!(get("/").starts_with("HTTP/1.1 302"), "{}", get("/"));
    let page = get("/v1.0/");
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("href=\"/v1.0/mxspec.css\""),
        "{page}"
    );
    assert!(get("/index.html").starts_with("HTTP/1.1 404"));
    handle.stop().unwrap();
    assert!(!addr.is_empty());
}
