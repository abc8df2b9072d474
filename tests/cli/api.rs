//! HTTP APIs: the OpenAPI documents of `data/api/` checked (one fixture per code), the
//! `http-api` shortcode rendered, `api/<spec>.json` published, endpoints in `diff`,
//! `check --since` and `build --as-of`; and all of it on the upstream snapshot.

use std::fs;
use std::path::Path;

use crate::build::{between, build_ok, Site};
use crate::common::{self, build_fixture, check_json, error, fixture, git, warning};

const THINGS: &str = "data/api/demo/things.yaml";
const PUT: &str = "put_demov1roomsroomidthingsthingid";
/// The path of that PUT in the published definition.
const ROOM_THING: &str = "/_demo/v1/rooms/{roomId}/things/{thingId}";

// ---------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------

#[test]
fn api_documents_check_clean_and_count_their_examples() {
    let report = check_json(&fixture("api-clean"));
    report.assert_exactly(&[]);
    // Three parameters, the request body's and the response's.
    assert_eq!(report.summary.api_examples, 5);
}

#[test]
fn a_wrong_value_in_a_referenced_json_example_is_reported_in_that_file() {
    let report = check_json(&fixture("api-example-invalid"));
    // stored.json line 2: `  "thing_id": 12` (the value at column 15); things.yaml
    // line 53: `"colour": "gren"` of the request example (the value at column 25).
    let in_json = error(
        "api-example-invalid",
        "data/api/demo/examples/stored.json",
        2,
        15,
    );
    let in_yaml = error("api-example-invalid", THINGS, 53, 25);
    report.assert_exactly(&[in_json.clone(), in_yaml.clone()]);
    report.assert_instance_path(&in_json, "/thing_id");
    assert!(report
        .get(&in_json)
        .message
        .contains("not of type \"string\""));
    assert!(report
        .get(&in_yaml)
        .message
        .contains("did you mean `green`?"));
}

/// The schema paths of the errors of the response example of `api-example-invalid` once
/// its response schema refers to a definition (and, with `component`, to a component of
/// its own document) and has a pattern property with an odd name; the example breaks a
/// keyword of each.
fn response_schema_paths(component: bool) -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("api-example-invalid"), tmp.path());
    let things = tmp.path().join(THINGS);
    let text = fs::read_to_string(&things).unwrap();
    let label = if component {
        "                  label:\n                    $ref: \"#/components/schemas/Label\"\n"
    } else {
        ""
    };
    let text = text
        .replace(
            "                required:\n                  - thing_id\n",
            &format!("                  owner:\n                    $ref: definitions/thing.yaml\n{label}                patternProperties:\n                  \"^[a-z] b$\":\n                    type: string\n                required:\n                  - thing_id\n"),
        )
        .replace(
            "\"$ref\": \"examples/stored.json\"",
            "\"thing_id\": 7, \"owner\": {\"colour\": \"blue\"}, \"label\": 3, \"a b\": 4",
        );
    let text = if component {
        format!("{text}components:\n  schemas:\n    Label:\n      type: string\n")
    } else {
        text
    };
    fs::write(&things, text).unwrap();
    let report = check_json(tmp.path());
    report
        .diagnostics
        .iter()
        .filter(|d| d.file == THINGS && d.code == "api-example-invalid" && d.line > 60)
        .map(|d| {
            (
                d.instance_path.clone().unwrap_or_default(),
                d.schema_path.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn errors_in_an_api_schema_with_references_name_the_schema_they_come_from() {
    let schema = "data/api/demo/things.yaml#/paths/~1rooms~1{roomId}~1things~1{thingId}/put/responses/200/content/application~1json/schema";
    let want = |instance: &str, schema_path: String| (instance.to_string(), schema_path);
    let common = [
        want("/thing_id", format!("{schema}/properties/thing_id/type")),
        want(
            "/owner/colour",
            "data/api/demo/definitions/thing.yaml#/properties/colour/enum".to_string(),
        ),
        want("/a b", format!("{schema}/patternProperties/^[a-z] b$/type")),
    ];
    // No `$ref` leads into the document: its schema is compiled from its own JSON.
    let alone = response_schema_paths(false);
    for expected in &common {
        assert!(alone.contains(expected), "{expected:?} not in {alone:?}");
    }
    assert_eq!(alone.len(), 3, "{alone:?}");
    // A `$ref` to its own component: the document is registered, with the same paths.
    let registered = response_schema_paths(true);
    for expected in common.iter().chain([&want(
        "/label",
        "data/api/demo/things.yaml#/components/schemas/Label/type".to_string(),
    )]) {
        assert!(
            registered.contains(expected),
            "{expected:?} not in {registered:?}"
        );
    }
    assert_eq!(registered.len(), 4, "{registered:?}");
}

#[test]
fn a_dynamic_reference_into_its_own_document_resolves() {
    // A `$dynamicRef` is no edge of the reference graph; its document is registered all
    // the same, so the reference resolves and the example is validated through it.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("api-example-invalid"), tmp.path());
    let things = tmp.path().join(THINGS);
    let text = fs::read_to_string(&things).unwrap()
        .replace(
            "                required:\n                  - thing_id\n",
            "                  tag:\n                    $dynamicRef: \"#/components/schemas/Tag\"\n                required:\n                  - thing_id\n",
        )
        .replace("\"$ref\": \"examples/stored.json\"", "\"thing_id\": \"t\", \"tag\": 5");
    fs::write(
        &things,
        format!("{text}components:\n  schemas:\n    Tag:\n      type: string\n"),
    )
    .unwrap();
    let report = check_json(tmp.path());
    let found: Vec<(&str, Option<&str>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.file == THINGS && d.line > 60)
        .map(|d| (d.code.as_str(), d.instance_path.as_deref()))
        .collect();
    assert_eq!(found, [("api-example-invalid", Some("/tag"))], "{found:?}");
}

#[test]
fn an_unknown_key_is_named_with_the_near_field() {
    let report = check_json(&fixture("api-unknown-key"));
    let want = error("api-unknown-key", THINGS, 18, 7);
    let message = &report.only(&want).message;
    assert!(message.contains("Operation Object"), "{message}");
    assert!(message.contains("did you mean `summary`?"), "{message}");
}

#[test]
fn missing_fields_and_bad_statuses_break_the_structure() {
    let report = check_json(&fixture("api-structure"));
    report.assert_exactly(&[
        // `info:` has no `version`.
        error("api-structure", THINGS, 2, 1),
        // `"42":` is not a status.
        error("api-structure", THINGS, 73, 9),
    ]);
}

#[test]
fn responses_are_checked_wherever_an_operation_is_written() {
    // A webhook's operation is an Operation Object too: its statuses and responses are
    // checked as those under `paths` are.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("api-clean"), tmp.path());
    let things = tmp.path().join(THINGS);
    let mut text = fs::read_to_string(&things).unwrap();
    let line = text.lines().count() as u32 + 5;
    text.push_str("webhooks:\n  thing:\n    post:\n      responses:\n        \"2xx\":\n          description: Stored.\n        \"200\":\n          descripton: Stored.\n");
    fs::write(&things, text).unwrap();
    let report = check_json(tmp.path());
    report.assert_exactly(&[
        // `"2xx":` is not a status (`2XX` is).
        error("api-structure", THINGS, line, 9),
        // `"200":` has no `description`, and a key that is no field of a Response.
        error("api-structure", THINGS, line + 2, 9),
        error("api-unknown-key", THINGS, line + 3, 11),
    ]);
}

#[test]
fn an_operation_id_is_unique_in_its_spec() {
    let report = check_json(&fixture("api-operation-id"));
    let want = error("api-operation-id", THINGS, 21, 20);
    report.assert_exactly(std::slice::from_ref(&want));
    assert!(report
        .get(&want)
        .message
        .contains("data/api/demo/more.yaml:8"));
}

#[test]
fn path_parameters_are_declared_and_used() {
    let report = check_json(&fixture("api-path-parameter"));
    report.assert_exactly(&[
        // The path `"/rooms/{roomId}/things/{thingId}"` has no `thingId` parameter.
        error("api-path-parameter", THINGS, 16, 3),
        // `name: limit` is `in: path` but not in the path.
        error("api-path-parameter", THINGS, 35, 17),
    ]);
}

#[test]
fn an_unquoted_version_key_is_a_warning_when_it_reads_right() {
    let report = check_json(&fixture("unquoted-version"));
    report.assert_exactly(&[warning("unquoted-version", THINGS, 24, 9)]);
}

// ---------------------------------------------------------------------------------------
// build
// ---------------------------------------------------------------------------------------

#[test]
fn every_operation_renders_with_upstreams_anchor_and_tables() {
    let site = build_ok(&build_fixture("http-api"), &[]);
    site.report.assert_exactly(&[]);
    let main = site.main("index.html");
    // Paths sorted, then methods: PUT /rooms/... before GET /things.
    let put = main
        .find(&format!("<h1 id=\"{PUT}\">"))
        .expect("the PUT heading");
    let get = main
        .find("<h1 id=\"get_demov1things\">")
        .expect("the GET heading");
    assert!(put < get);
    // With anchor_base, the same operations again under other ids.
    assert!(main.contains("<h1 id=\"again_put_demov1roomsroomidthingsthingid\">"));
    let section = between(&main, &format!("<h1 id=\"{PUT}\">"), "</section>");
    insta::assert_snapshot!("http_api_put_operation", section);
    // Deprecated, optional authentication, an array of titled objects.
    let list = between(&main, "<h1 id=\"get_demov1things\">", "</section>");
    assert!(list.contains("deprecated-inline"));
    // Its warning box says so without a "WARNING:" title, as upstream's (`omit-title`).
    assert!(list.contains(
        "<div class=\"alert warning omit-title\" role=\"note\"><p>This API is deprecated"
    ));
    assert!(list.contains("<tr><th>Requires authentication:</th><td>Optional</td></tr>"));
    assert!(list.contains("<p>Array of <code>Thing</code>.</p>"));
    assert!(list.contains("id=\"get_demov1things_response-200_thing\""));
    // The list of endpoints, beside the table of contents.
    let html = site.read("index.html");
    let toc = between(&html, "<details class=\"endpoints-toc\">", "</details>");
    assert!(toc.contains(&format!("<a href=\"#{PUT}\">")), "{toc}");
    assert_eq!(toc.matches("<li>").count(), 2, "each endpoint once: {toc}");
}

#[test]
fn the_merged_definition_is_published_and_is_openapi() {
    let site = build_ok(&build_fixture("http-api"), &[]);
    let text = site.read("api/demo.json");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        paths,
        [
            "/_demo/v1/rooms/{roomId}/things/{thingId}",
            "/_demo/v1/things"
        ]
    );
    // References inlined, keys sorted, four-space indentation.
    assert!(!text.contains("$ref"), "{text}");
    let put = &doc["paths"]["/_demo/v1/rooms/{roomId}/things/{thingId}"]["put"];
    assert_eq!(
        put["requestBody"]["content"]["application/json"]["schema"]["title"],
        "Thing"
    );
    let example = &put["responses"]["200"]["content"]["application/json"]["examples"]["response"];
    assert_eq!(example["value"]["thing_id"], "lamp");
    assert!(text.starts_with("{\n    \"components\""), "{text}");
    // mxspec's own OpenAPI checks accept it.
    let tmp = tempfile::tempdir().unwrap();
    let api = tmp.path().join("data/api/published");
    fs::create_dir_all(&api).unwrap();
    fs::write(api.join("demo.json"), &text).unwrap();
    let report = check_json(tmp.path());
    report.assert_exactly(&[]);
    assert_eq!(report.summary.api_examples, 5);
}

#[test]
fn shortcodes_in_field_descriptions_render_as_upstreams_render_string_does() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&build_fixture("http-api"), tmp.path());
    let thing = tmp.path().join("data/api/demo/definitions/thing.yaml");
    let text = fs::read_to_string(&thing).unwrap();
    let text = text.replace(
        "description: How big it is.",
        "description: |-\n      {{% added-in v=\"1.2\" %}} How big it is.\n\n      {{% boxes/note %}}\n      Measured in cm.\n      {{% /boxes/note %}}",
    );
    fs::write(&thing, text).unwrap();
    let site = build_ok(tmp.path(), &[]);
    let main = site.main("index.html");
    assert!(!main.contains("{{%"), "{main}");
    let size = between(&main, "<tr><td><code>size</code></td>", "</td></tr>");
    assert!(
        size.contains("<strong>[Added in <code>v1.2</code>]</strong></span>"),
        "{size}"
    );
    assert!(
        size.contains("How big it is.") && size.contains("Measured in cm."),
        "{size}"
    );
}

/// A copy of the `http-api` fixture with each `(from, to)` replaced in its `things.yaml`
/// (each must be there).
fn things_edited(edits: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&build_fixture("http-api"), tmp.path());
    let things = tmp.path().join(THINGS);
    let mut text = fs::read_to_string(&things).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} is not in {THINGS}");
        text = text.replace(from, to);
    }
    fs::write(&things, text).unwrap();
    tmp
}

#[test]
fn bodies_and_responses_are_shown_as_upstream_shows_them() {
    let tmp = things_edited(&[
        (
            "        \"429\":\n          description: Too many things.\n",
            "        \"403\":\n          description: Not yours.\n          content:\n            application/json:\n              schema:\n                type: object\n                description: Any keys, as the room's owner set them.\n                additionalProperties: true\n        \"400\":\n          description: |-\n            Not a thing.\n\n            {{% boxes/note %}}\n            Things have *names*.\n            {{% /boxes/note %}}\n        \"429\":\n          description: Too many things.\n",
        ),
        (
            "                  thing_id:\n                    type: string\n                    description: The stored thing's id.\n",
            "                  thing_id:\n                    type: string\n                    description: The stored thing's id.\n                  pdu:\n                    type: object\n                    title: PDU\n                    properties: {}\n                    description: The event.\n",
        ),
    ]);
    let main = build_ok(tmp.path(), &[]).main("index.html");
    let put = between(&main, &format!("<h1 id=\"{PUT}\">"), "</section>");
    // Codes in the order of their text, as upstream's templates list a map.
    let (c200, c400, c403, c429) = (
        put.find("<td><code>200</code>").unwrap(),
        put.find("<td><code>400</code>").unwrap(),
        put.find("<td><code>403</code>").unwrap(),
        put.find("<td><code>429</code>").unwrap(),
    );
    assert!(c200 < c400 && c400 < c403 && c403 < c429, "{put}");
    // A box in a description is a box.
    assert!(
        put.contains(
            "<div class=\"alert note\" role=\"note\">\n<p>Things have <em>names</em>.</p>\n</div>"
        ),
        "{put}"
    );
    // A body of any keys shows its type and description.
    assert!(
        put.contains("<tr><td><code>object</code></td><td><p>Any keys, as the room’s owner set them.</p></td></tr>"),
        "{put}"
    );
    // An object with no properties of its own has no table: its title, not a link.
    assert!(
        put.contains("<td><code>pdu</code></td><td><code>PDU</code></td>"),
        "{put}"
    );
    assert!(
        !put.contains("<caption>PDU</caption>") && !put.contains("_pdu\""),
        "{put}"
    );
    assert!(
        !put.contains("<table class=\"object-table\">\n</table>"),
        "{put}"
    );
}

#[test]
fn content_types_in_the_order_of_their_names_and_links_to_the_definition() {
    // A body of two content types, neither JSON, written out of order.
    let tmp = things_edited(&[
        (
            "          description: The things.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: definitions/thing.yaml\n",
            "          description: The things.\n          content:\n            image/png:\n              schema: {type: string, description: A picture.}\n            image/gif:\n              schema: {type: string, description: A moving one.}\n",
        ),
    ]);
    let page = tmp.path().join("content/_index.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(
        &page,
        format!("{text}\nThe [definition](/api/demo.json), not [this](/api/demo.json/).\n"),
    )
    .unwrap();
    let site = build_ok(tmp.path(), &[]);
    let list = between(
        &site.main("index.html"),
        "<h1 id=\"get_demov1things\">",
        "</section>",
    )
    .to_string();
    let at = |name: &str| list.find(&format!("<code>{name}</code>")).expect(name);
    let (gif, png) = (at("image&#x2F;gif"), at("image&#x2F;png"));
    assert!(gif < png, "{list}");
    // The file is linked as a file; with a slash after it, it is a folder of no page.
    let outside: Vec<_> = site
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "link-outside-site")
        .collect();
    assert_eq!(outside.len(), 1, "{}", site.report.describe());
    assert!(outside[0].message.contains("`/api/demo.json/`"));
}

#[test]
fn as_of_leaves_out_later_headers_and_content_types() {
    let tmp = things_edited(&[
        (
            "        \"200\":\n          description: The thing was stored.\n",
            "        \"200\":\n          description: The thing was stored.\n          headers:\n            X-Later:\n              x-addedInMatrixVersion: \"1.3\"\n              schema: {type: string}\n            X-Old:\n              schema: {type: string}\n",
        ),
        (
            "          description: The things.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: definitions/thing.yaml\n",
            "          description: The things.\n          content:\n            image/png:\n              schema: {type: string, description: A picture., x-changedInMatrixVersion: {\"1.3\": Now animated.}}\n            image/gif:\n              schema: {type: string, description: A moving one., x-addedInMatrixVersion: \"1.3\"}\n",
        ),
    ]);
    let old = build_ok(tmp.path(), &["--as-of", "1.2"]).main("index.html");
    let new = build_ok(tmp.path(), &[]).main("index.html");
    for (later, kept) in [("X-Later", "X-Old"), ("image&#x2F;gif", "image&#x2F;png")] {
        assert!(!old.contains(later) && new.contains(later), "{later}");
        assert!(old.contains(kept), "{kept}");
    }
    assert!(!old.contains("Now animated") && new.contains("Now animated"));
}

#[test]
fn as_of_leaves_out_later_endpoints_and_parameters() {
    let root = build_fixture("http-api");
    // At v1.2 the PUT exists, its `limit` (added in v1.3) does not.
    let site = build_ok(&root, &["--as-of", "1.2"]);
    let main = site.main("index.html");
    assert!(main.contains(&format!("<h1 id=\"{PUT}\">")));
    assert!(!main.contains("<code>limit</code>"), "{main}");
    // So does the published definition; the latest one has `limit`.
    let at = |site: &Site| -> serde_json::Value {
        serde_json::from_str(&site.read("api/demo.json")).unwrap()
    };
    let names = |doc: &serde_json::Value, path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (old, new) = (at(&site), at(&build_ok(&root, &[])));
    assert!(!names(&old, ROOM_THING, "put").contains(&"limit".to_string()));
    assert!(names(&new, ROOM_THING, "put").contains(&"limit".to_string()));
    assert_eq!(old["info"]["version"], "v1.2");
    // A response's text loses what was added later, as a schema's does.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&root, tmp.path());
    let things = tmp.path().join("data/api/demo/things.yaml");
    let text = fs::read_to_string(&things).unwrap().replace(
        "description: Too many things.",
        "description: |-\n            Too many things:\n\n            - **[Added in `v1.3`]** a room holds at most 10.\n            - a user stores at most 100.",
    );
    fs::write(&things, text).unwrap();
    let later = build_ok(tmp.path(), &["--as-of", "1.2"]).main("index.html");
    assert!(later.contains("a user stores at most 100."), "{later}");
    assert!(!later.contains("a room holds at most 10."), "{later}");
    // At v1.1 there is no PUT, on the page or in the definition; the links to it lead to
    // what a later version added: warnings, and the site is built.
    let first = build_ok(&root, &["--as-of", "1.1"]);
    assert!(!first.main("index.html").contains(&format!("id=\"{PUT}\"")));
    let paths = at(&first)["paths"].as_object().unwrap().clone();
    assert_eq!(paths.keys().collect::<Vec<_>>(), ["/_demo/v1/things"]);
    let later: Vec<_> = first
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "link-to-later")
        .collect();
    assert!(!later.is_empty() && later.iter().all(|d| d.message.contains(PUT)));
    assert!(!first
        .report
        .diagnostics
        .iter()
        .any(|d| d.code == "broken-link"));
}

// ---------------------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------------------

fn mxspec_json(root: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .args(args)
        .args(["--format", "json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"));
    (out.status.code(), json)
}

/// A repository whose HEAD has the fixture's API without the `GET /things` endpoint and
/// without the `limit` parameter, and whose work tree has both.
fn endpoint_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&build_fixture("http-api").join("data"), &root.join("data"));
    let path = root.join(THINGS);
    let full = fs::read_to_string(&path).unwrap();
    let start = full.find("  \"/things\":").unwrap();
    let end = full.find("  \"/rooms/").unwrap();
    let older = format!("{}{}", &full[..start], &full[end..]);
    let limit = "        - in: query\n          name: limit\n";
    let (a, b) = older.split_at(older.find(limit).unwrap());
    let after = &b[b.find("      requestBody:").unwrap()..];
    fs::write(&path, format!("{a}{after}")).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "old"]);
    fs::write(&path, full).unwrap();
    dir
}

#[test]
fn diff_lists_new_endpoints_and_parameters() {
    let dir = endpoint_history();
    let (status, json) = mxspec_json(dir.path(), &["diff", "HEAD"]);
    assert_eq!(status, Some(0), "{json}");
    let changes = json["changes"].as_array().unwrap();
    let found: Vec<(String, String, String)> = changes
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (s("kind"), s("event"), s("path"))
        })
        .collect();
    let put = "PUT /_demo/v1/rooms/{roomId}/things/{thingId}".to_string();
    assert!(
        found.contains(&("property-added".into(), put, "query.limit".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "endpoint-added".into(),
            "GET /_demo/v1/things".into(),
            String::new()
        )),
        "{found:?}"
    );
}

#[test]
fn diff_github_names_files_from_the_top_of_the_repository() {
    let dir = endpoint_history();
    let parent = dir.path().parent().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let run = common::mxspec_in(
        Some(parent),
        ["diff", "HEAD", "--format", "github", "--root", name],
    );
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("::notice file={name}/{THINGS}")),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_lists_retyped_response_fields() {
    let dir = endpoint_history();
    let path = dir.path().join(THINGS);
    let text = fs::read_to_string(&path).unwrap();
    let retyped = text.replacen(
        "                  thing_id:\n                    type: string",
        "                  thing_id:\n                    type: integer",
        1,
    );
    assert_ne!(text, retyped);
    fs::write(&path, retyped).unwrap();
    let (status, json) = mxspec_json(dir.path(), &["diff", "HEAD"]);
    assert_eq!(status, Some(0), "{json}");
    let retyped = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "type-changed")
        .unwrap_or_else(|| panic!("no type change: {json}"));
    assert_eq!(retyped["subject"], "endpoint");
    assert_eq!(retyped["path"], "response 200.thing_id");
    assert_eq!(
        (retyped["old"].as_str(), retyped["new"].as_str()),
        (Some("string"), Some("integer"))
    );
    assert_eq!(retyped["file"], THINGS);
}

#[test]
fn since_demands_the_annotation_of_a_new_endpoint() {
    let dir = endpoint_history();
    let (status, json) = mxspec_json(
        dir.path(),
        &["check", "--since", "HEAD", "--spec-version", "1.3"],
    );
    assert_eq!(status, Some(1), "{json}");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let messages: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    // GET /things has no annotation; the PUT's first query parameter, `limit`, says 1.3
    // where it is written, which is all it needs.
    assert!(
        messages
            .iter()
            .any(|(code, m)| *code == "added-without-annotation"
                && m.contains("endpoint `GET /_demo/v1/things`")),
        "{messages:?}"
    );
    assert_eq!(messages.len(), 1, "{messages:?}");
    // Annotated with another version, it is found at the parameter.
    let path = dir.path().join(THINGS);
    let text = fs::read_to_string(&path).unwrap();
    let wrong = text.replacen(
        "name: limit\n          description: At most this many.\n          x-addedInMatrixVersion: \"1.3\"",
        "name: limit\n          description: At most this many.\n          x-addedInMatrixVersion: \"1.2\"",
        1,
    );
    assert_ne!(text, wrong);
    fs::write(&path, wrong).unwrap();
    let (_, json) = mxspec_json(
        dir.path(),
        &["check", "--since", "HEAD", "--spec-version", "1.3"],
    );
    let limit = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "added-with-wrong-version")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert!(
        limit["message"].as_str().unwrap().contains("limit"),
        "{limit}"
    );
    assert_eq!(limit["file"], THINGS);
}

// ---------------------------------------------------------------------------------------
// The upstream snapshot
// ---------------------------------------------------------------------------------------

#[test]
fn upstream_checks_clean_with_every_api_example_validated() {
    let Some(root) = common::upstream() else {
        return;
    };
    let report = check_json(&root);
    assert_eq!(report.summary.errors, 0, "{}", report.describe());
    assert!(report.summary.api_examples > 600, "{:?}", report.summary);
}
