//! Benchmarks on the upstream snapshot in `../shared/upstream/matrix-spec`: `check` of the
//! event subset (its `data/` without `data/api/`) and of the whole snapshot, builds of the
//! all-events page, of a page with every client-server endpoint and of the whole site
//! (written, search included), `serve`'s reload after a schema or a page is saved, and
//! `diff`.
//!
//! `cargo bench --features bench --bench corpus` — skipped, with a printed reason, when the
//! snapshot is absent.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

mod shared;

fn corpus() -> Option<PathBuf> {
    shared::snapshot("corpus")
}

/// A temporary root holding the snapshot's `data/` without the API documents (the files
/// directly in `data/api/<spec>/`; their definitions and examples stay): the event subset
/// that `check` covered before it read OpenAPI documents.
fn events_root(corpus: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&corpus.join("data"), &dir.path().join("data"));
    for spec in std::fs::read_dir(dir.path().join("data/api")).expect("data/api") {
        for file in std::fs::read_dir(spec.expect("spec").path()).expect("spec dir") {
            let path = file.expect("entry").path();
            if path.is_file() {
                std::fs::remove_file(path).expect("remove");
            }
        }
    }
    dir
}

fn check(c: &mut Criterion) {
    let Some(root) = corpus() else { return };
    let events = events_root(&root);
    let mut group = c.benchmark_group("check");
    group.sample_size(50);
    for (name, root) in [("events", events.path()), ("upstream", root.as_path())] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let report = mxspec::check::check_root(root).expect("snapshot loads");
                assert_eq!(report.summary.errors, 0);
                report
            })
        });
    }
    group.finish();
}

/// A temporary root whose `data/` is the snapshot's and whose one page shows every
/// client-server API document.
fn endpoints_root(corpus: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&corpus.join("data"), &dir.path().join("data"));
    let mut page = String::from("---\ntitle: Every endpoint\n---\n");
    let mut names: Vec<String> = std::fs::read_dir(corpus.join("data/api/client-server"))
        .expect("api dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    for name in names {
        page.push_str(&format!(
            "\n## {name}\n\n{{{{% http-api spec=\"client-server\" api=\"{name}\" %}}}}\n"
        ));
    }
    std::fs::create_dir(dir.path().join("content")).expect("content dir");
    std::fs::write(dir.path().join("content/_index.md"), page).expect("page");
    dir
}

/// A temporary root whose `data/` is the corpus's and whose one page shows every event.
fn all_events_root(corpus: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    // A copy: a `data/` that links out of the root is refused.
    copy_tree(&corpus.join("data"), &dir.path().join("data"));
    let mut page = String::from("---\ntitle: All events\n---\n");
    let schemas = corpus.join("data/event-schemas/schema");
    let mut names: Vec<String> = std::fs::read_dir(&schemas)
        .expect("schema dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    for name in names {
        page.push_str(&format!("\n{{{{% event event=\"{name}\" %}}}}\n"));
    }
    // m.room.image_pack links to this heading of the real Client-Server API page.
    page.push_str("\n## Shortcode grammar\n");
    std::fs::create_dir(dir.path().join("content")).expect("content dir");
    std::fs::write(dir.path().join("content/_index.md"), page).expect("page");
    dir
}

fn build(c: &mut Criterion) {
    let Some(corpus) = corpus() else { return };
    let all_events = all_events_root(&corpus);
    let endpoints = endpoints_root(&corpus);
    let mut group = c.benchmark_group("build");
    group.sample_size(30);
    for (name, root) in [
        ("all-events-page", all_events.path().to_path_buf()),
        (
            "client-server-endpoints-page",
            endpoints.path().to_path_buf(),
        ),
    ] {
        let options = mxspec::site::BuildOptions {
            root,
            ..Default::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let built = mxspec::site::build(&options).expect("corpus loads");
                // (The endpoints page links to pages it lacks: link errors, after rendering.)
                assert!(built.pages > 0);
                built.files.len()
            })
        });
    }
    // The whole snapshot: checked, rendered, indexed for search and written.
    let out = tempfile::tempdir().expect("temp dir");
    let options = mxspec::site::BuildOptions {
        root: corpus.clone(),
        ..Default::default()
    };
    group.bench_function("upstream-site-written", |b| {
        b.iter(|| {
            let (built, written) =
                mxspec::site::build_and_write(&options, &out.path().join("site"))
                    .expect("snapshot loads");
            assert_eq!(built.summary.errors, 0);
            assert!(written.is_none(), "{written:?}");
            built.files.len()
        })
    });
    group.finish();
}

/// Copies a folder tree (the corpus, so that the benchmark can edit it).
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("corpus readable");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Reads server-sent events until one of `names` arrives, and returns it; a report of
/// errors fails unless `names` holds it.
fn wait_for_event(reader: &mut impl BufRead, names: &[&str]) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("event stream open");
        assert!(n > 0, "event stream closed");
        let Some(name) = line.trim_end().strip_prefix("event: ") else {
            continue;
        };
        if names.contains(&name) {
            return name.to_string();
        }
        assert_ne!(name, "problems", "the site has errors");
    }
}

/// Saves a file as editors do: a temporary file renamed over it, so that the watcher never
/// sees it half written.
fn save(path: &Path, text: &str) {
    let scratch = path.with_extension("mxspec-bench-tmp");
    std::fs::write(&scratch, text).expect("save");
    std::fs::rename(&scratch, path).expect("rename");
}

/// From saving one schema file of the corpus to the reload signal of `serve`.
fn serve(c: &mut Criterion) {
    let Some(corpus) = corpus() else { return };
    let edited = [
        "data/event-schemas/schema/m.room_key.withheld.yaml",
        "content/client-server-api/_index.md",
    ];
    if let Some(absent) = edited.iter().find(|rel| !corpus.join(rel).is_file()) {
        eprintln!("skipping serve benchmarks: {absent} is absent from the snapshot");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in [
        "data",
        "content",
        "data-definitions",
        "assets",
        "changelogs",
    ] {
        // A snapshot may lack a folder (the old corpus has no `data-definitions/`).
        if corpus.join(folder).is_dir() {
            copy_tree(&corpus.join(folder), &dir.path().join(folder));
        }
    }
    let options = mxspec::serve::ServeOptions {
        build: mxspec::site::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        },
        addr: "127.0.0.1:0".parse().expect("address"),
        poll: false,
        header_timeout: mxspec::serve::HEADER_TIMEOUT,
    };
    let handle = mxspec::serve::start(options, |_| {}).expect("server starts");
    let addr = handle
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /__mxspec/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request");
    let mut events = BufReader::new(stream);
    // The first signal: the site built (with upstream's own warnings).
    if wait_for_event(&mut events, &["ok", "warnings", "problems"]) == "problems" {
        eprintln!("skipping serve benchmarks: the snapshot's site has errors");
        handle.stop().expect("server stops");
        return;
    }
    let schema = dir
        .path()
        .join("data/event-schemas/schema/m.room_key.withheld.yaml");
    let original = std::fs::read_to_string(&schema).expect("schema");
    let mut group = c.benchmark_group("serve");
    group.sample_size(20);
    group.bench_function("save-schema-to-reload", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for i in 0..iterations {
                let edited = original.replace("This event type", &format!("This event type ({i})"));
                let started = Instant::now();
                save(&schema, &edited);
                wait_for_event(&mut events, &["reload"]);
                total += started.elapsed();
            }
            total
        })
    });
    std::fs::write(&schema, original).expect("restore");
    wait_for_event(&mut events, &["reload"]);
    // One paragraph of the Client-Server page (2 MB of HTML, 44 modules, every endpoint).
    let page = dir.path().join("content/client-server-api/_index.md");
    let original = std::fs::read_to_string(&page).expect("page");
    group.bench_function("edit-client-server-page-to-reload", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for i in 0..iterations {
                let edited = original.replacen(
                    "The client-server API",
                    &format!("The client-server API ({i})"),
                    1,
                );
                let started = Instant::now();
                save(&page, &edited);
                wait_for_event(&mut events, &["reload"]);
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();
    std::fs::write(&page, original).expect("restore");
    handle.stop().expect("server stops");
}

/// `mxspec diff HEAD~1` on the corpus in a temporary git repository of two commits.
fn diff(c: &mut Criterion) {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_tree(&corpus.join("data"), &root.join("data"));
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "user.name=b",
                "-c",
                "user.email=b@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "before"]);
    let schema = root.join("data/event-schemas/schema/m.room_key.withheld.yaml");
    let text = std::fs::read_to_string(&schema).expect("schema");
    std::fs::write(
        &schema,
        text.replace("This event type", "This event type (changed)"),
    )
    .expect("edit");
    git(&["commit", "-qam", "after"]);
    let mut group = c.benchmark_group("diff");
    group.sample_size(20);
    group.bench_function("corpus-head-1", |b| {
        b.iter(|| {
            let comparison = mxspec::history::changes_since(root, "HEAD~1").expect("diff");
            assert!(comparison.problems.is_empty());
            assert_eq!(comparison.changes.len(), 1);
            comparison.changes
        })
    });
    group.finish();
}

criterion_group!(benches, check, build, serve, diff);
criterion_main!(benches);
