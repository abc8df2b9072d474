//! The shortcodes: `event`, `event-group`, `event-fields`, `msgtypes`, `definition`,
//! `added-in`, `changed-in`, `boxes/note|warning|rationale` and `cs-module`.
//!
//! A missing event or a bad parameter is an error at the call; an unknown shortcode
//! renders a visible placeholder and is a warning.

use super::describe::{added_badge, changed_badge, escape};
use super::event::{definition_view, event_fields_view, event_view, EventOptions, EventView};
use super::{PageState, RenderContext};
use crate::diagnostics::{Code, Diagnostic};
use crate::schema::{DocKind, EVENT_SCHEMA_DIR};
use crate::source::shortcode::Call;
use crate::source::{FileId, Node, Value};

/// The `m.room.message` msgtypes shown first, in this order; the rest follow by name.
const MSGTYPES_FIRST: &[&str] = &["m.text", "m.emote", "m.notice", "m.image", "m.file"];
/// msgtypes that `msgtypes` leaves out (they are shown elsewhere).
const MSGTYPES_SKIPPED: &[&str] = &["m.server_notice", "m.key.verification.request"];

/// Renders one call to HTML.
pub fn render_call(
    ctx: &RenderContext,
    call: &Call,
    file: FileId,
    base: usize,
    state: &mut PageState,
) -> String {
    let pos = ctx.pos(file, base + call.offset);
    let generated = |result: Result<String, String>, state: &mut PageState| match result {
        Ok(html) => {
            ctx.record_generated(&html, pos, state);
            html
        }
        Err(message) => {
            state.diagnostics.push(Diagnostic::error(
                Code::Shortcode,
                &ctx.registry.sources(),
                pos,
                message.clone(),
            ));
            format!(
                "<div class=\"alert warning mxspec-error\" role=\"note\">{}</div>",
                escape(&message)
            )
        }
    };
    let param = |name: &str| call.params.get(name).map(String::as_str);
    if let Some(known) = known_params(&call.name) {
        for name in call.params.keys().filter(|k| !known.contains(&k.as_str())) {
            let message = format!(
                "shortcode `{}` has no parameter `{name}` (it takes: {})",
                call.name,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            );
            ctx.warn(state, pos, Code::ShortcodeParam, message);
        }
    }
    let body = |state: &mut PageState| {
        call.body
            .as_ref()
            .map(|segments| ctx.render_segments(segments, file, base, state))
            .unwrap_or_default()
    };
    match call.name.as_str() {
        "event" => {
            let result = required(call, "event").and_then(|name| {
                let options = EventOptions {
                    display_name: None,
                    desired_example: param("desired_example_name"),
                    title: param("title"),
                };
                render_view(ctx, event_view(ctx, name, &options)?)
            });
            generated(result, state)
        }
        "event-group" => generated(
            required(call, "group_name").and_then(|g| event_group(ctx, g)),
            state,
        ),
        "event-fields" => generated(
            required(call, "event_type").and_then(|t| render_view(ctx, event_fields_view(ctx, t)?)),
            state,
        ),
        "msgtypes" => generated(msgtypes(ctx), state),
        "definition" => generated(
            required(call, "path").and_then(|p| render_view(ctx, definition_view(ctx, p)?)),
            state,
        ),
        "added-in" => match version_param(call) {
            Ok(v) => added_badge(&v, &ctx.versions),
            Err(message) => generated(Err(message), state),
        },
        "changed-in" => match version_param(call) {
            Ok(v) => {
                let badge = changed_badge(&v, &ctx.versions, false);
                let inner = body(state);
                if inner.is_empty() {
                    badge
                } else {
                    format!("<div class=\"changed-in-block\">{badge}\n{inner}</div>")
                }
            }
            Err(message) => generated(Err(message), state),
        },
        name @ ("boxes/note" | "boxes/warning" | "boxes/rationale") if call.body.is_none() => {
            let message = format!(
                "`{name}` opens a box that is never closed: end it with {{{{% /{name} %}}}}"
            );
            generated(Err(message), state)
        }
        name @ ("boxes/note" | "boxes/warning" | "boxes/rationale") => {
            let kind = name.trim_start_matches("boxes/");
            let inner = body(state);
            format!("<div class=\"alert {kind}\" role=\"note\">\n{inner}\n</div>")
        }
        "cs-module" => match required(call, "filename") {
            Ok(filename) => include_fragment(ctx, filename, state)
                .unwrap_or_else(|message| generated(Err(message), state)),
            Err(message) => generated(Err(message), state),
        },
        other => {
            state.unknown_shortcode = true;
            ctx.warn(
                state,
                pos,
                Code::UnknownShortcode,
                format!(
                    "unknown shortcode `{other}`: rendered as a placeholder, its content is absent"
                ),
            );
            format!("<div class=\"mxspec-unknown-shortcode\" role=\"note\">Unknown shortcode <code>{}</code></div>", escape(other))
        }
    }
}

/// The parameters each known shortcode takes.
fn known_params(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "event" => &["event", "desired_example_name", "title"],
        "event-group" => &["group_name"],
        "event-fields" => &["event_type"],
        "msgtypes" => &[],
        "definition" => &["path"],
        "added-in" | "changed-in" => &["v", "this"],
        "boxes/note" | "boxes/warning" | "boxes/rationale" => &[],
        "cs-module" => &["filename", "name"],
        _ => return None,
    })
}

fn required<'c>(call: &'c Call, name: &str) -> Result<&'c str, String> {
    call.params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("shortcode `{}` needs the parameter `{name}`", call.name))
}

fn version_param(call: &Call) -> Result<String, String> {
    if call.params.get("this").is_some_and(|v| v == "true") {
        return Ok("this".to_string());
    }
    let v = required(call, "v")?;
    if crate::version::is_version(v) {
        Ok(v.to_string())
    } else {
        Err(format!(
            "`{}` needs a version like v=\"1.19\", not `{v}`",
            call.name
        ))
    }
}

fn render_view(ctx: &RenderContext, view: EventView) -> Result<String, String> {
    if view.hidden {
        return Ok(String::new());
    }
    let mut context = tera::Context::new();
    context.insert("ev", &view);
    ctx.tera
        .render("event.html", &context)
        .map_err(|e| format!("template event.html: {}", super::templates::error_chain(&e)))
}

/// The names of the event schemas (files directly in the schema folder).
fn event_names<'r>(ctx: &'r RenderContext) -> Vec<(String, &'r Node)> {
    let prefix = format!("{EVENT_SCHEMA_DIR}/");
    ctx.registry
        .of_kind(DocKind::Schema)
        .filter_map(|d| {
            let rest = d.rel.strip_prefix(&prefix)?;
            if rest.contains('/') {
                return None;
            }
            let name = rest.rsplit_once('.').map_or(rest, |(n, _)| n);
            Some((name.to_string(), &d.node))
        })
        .collect()
}

fn event_group(ctx: &RenderContext, group: &str) -> Result<String, String> {
    let mut events: Vec<(f64, String)> = event_names(ctx)
        .into_iter()
        .filter(|(name, _)| name.starts_with(group))
        .map(|(name, node)| {
            let weight = match node.get("x-weight").map(|w| &w.value) {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
                _ => 0.0,
            };
            (weight, name)
        })
        .collect();
    if events.is_empty() {
        return Err(format!("event-group `{group}` matches no event"));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut html = String::new();
    for (_, name) in events {
        html.push_str(&render_view(
            ctx,
            event_view(ctx, &name, &EventOptions::default())?,
        )?);
    }
    Ok(html)
}

fn msgtypes(ctx: &RenderContext) -> Result<String, String> {
    let mut names: Vec<String> = event_names(ctx)
        .into_iter()
        .filter_map(|(name, _)| name.strip_prefix("m.room.message$").map(str::to_string))
        .filter(|m| !MSGTYPES_SKIPPED.contains(&m.as_str()))
        .collect();
    names.sort_by_key(|m| {
        (
            MSGTYPES_FIRST
                .iter()
                .position(|f| f == m)
                .unwrap_or(usize::MAX),
            m.clone(),
        )
    });
    let mut html = String::new();
    for msgtype in names {
        let full = format!("m.room.message${msgtype}");
        let options = EventOptions {
            display_name: Some(&msgtype),
            desired_example: Some(&full),
            title: None,
        };
        html.push_str(&render_view(ctx, event_view(ctx, &full, &options)?)?);
    }
    Ok(html)
}

/// `cs-module`: a fragment of the headless bundle `client-server-api/modules/`, rendered
/// in place, as part of the including page.
fn include_fragment(
    ctx: &RenderContext,
    filename: &str,
    state: &mut PageState,
) -> Result<String, String> {
    let key = format!("client-server-api/modules/{filename}");
    let fragment = ctx
        .content
        .by_key(&key)
        .ok_or_else(|| format!("cs-module: there is no content/{key}.md"))?;
    if state.include_stack.contains(&key) {
        return Err(format!("cs-module: content/{key}.md includes itself"));
    }
    state.include_stack.push(key);
    ctx.depend_on(&fragment.rel);
    let html = ctx.render_text(&fragment.body, fragment.file, fragment.body_offset, state);
    state.include_stack.pop();
    Ok(html)
}
