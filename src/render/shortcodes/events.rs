//! The shortcodes that show schemas: `event`, `event-group`, `event-fields`, `msgtypes`
//! and `definition`, each through the `event.html` template.

use super::{Invocation, Shortcode};
use crate::render::event::{
    definition_view, event_fields_view, event_view, EventOptions, EventView,
};
use crate::render::{templates, PageState, RenderContext};
use crate::source::Value;

/// The `m.room.message` msgtypes shown first, in this order; the rest follow by name.
const MSGTYPES_FIRST: &[&str] = &["m.text", "m.emote", "m.notice", "m.image", "m.file"];
/// msgtypes that `msgtypes` leaves out (they are shown elsewhere).
const MSGTYPES_SKIPPED: &[&str] = &["m.server_notice", "m.key.verification.request"];

/// `{{% event event="m.room.member" %}}`.
pub const EVENT: Shortcode = Shortcode {
    name: "event",
    params: &["event", "desired_example_name", "title"],
    generates: true,
    render: event,
};

/// `{{% event-group group_name="m.call" %}}`.
pub const EVENT_GROUP: Shortcode = Shortcode {
    name: "event-group",
    params: &["group_name"],
    generates: true,
    render: event_group,
};

/// `{{% event-fields event_type="room_event" %}}`.
pub const EVENT_FIELDS: Shortcode = Shortcode {
    name: "event-fields",
    params: &["event_type"],
    generates: true,
    render: |ctx, call, _| render_view(ctx, event_fields_view(ctx, call.required("event_type")?)?),
};

/// `{{% msgtypes %}}`.
pub const MSGTYPES: Shortcode = Shortcode {
    name: "msgtypes",
    params: &[],
    generates: true,
    render: |ctx, _, _| msgtypes(ctx),
};

/// `{{% definition path="api/.../definitions/x" %}}`.
pub const DEFINITION: Shortcode = Shortcode {
    name: "definition",
    params: &["path"],
    generates: true,
    render: |ctx, call, _| render_view(ctx, definition_view(ctx, call.required("path")?)?),
};

fn event(ctx: &RenderContext, call: &Invocation, _: &mut PageState) -> Result<String, String> {
    let name = call.required("event")?;
    let options = EventOptions {
        display_name: None,
        desired_example: call.param("desired_example_name"),
        title: call.param("title"),
    };
    render_view(ctx, event_view(ctx, name, &options)?)
}

fn render_view(ctx: &RenderContext, view: EventView) -> Result<String, String> {
    if view.hidden {
        return Ok(String::new());
    }
    let mut context = tera::Context::new();
    context.insert("ev", &view);
    ctx.tera
        .render("event.html", &context)
        .map_err(|e| format!("template event.html: {}", templates::error_chain(&e)))
}

fn event_group(
    ctx: &RenderContext,
    call: &Invocation,
    _: &mut PageState,
) -> Result<String, String> {
    let group = call.required("group_name")?;
    let mut events: Vec<(f64, &str)> = ctx
        .registry
        .event_schemas()
        .filter(|(name, _)| name.starts_with(group))
        .map(|(name, doc)| {
            let weight = match doc.node.get("x-weight").map(|w| &w.value) {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
                _ => 0.0,
            };
            (weight, name)
        })
        .collect();
    if events.is_empty() {
        return Err(format!("event-group `{group}` matches no event"));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut html = String::new();
    for (_, name) in events {
        html.push_str(&render_view(
            ctx,
            event_view(ctx, name, &EventOptions::default())?,
        )?);
    }
    Ok(html)
}

fn msgtypes(ctx: &RenderContext) -> Result<String, String> {
    let mut names: Vec<&str> = ctx
        .registry
        .event_schemas()
        .filter_map(|(name, _)| name.strip_prefix("m.room.message$"))
        .filter(|m| !MSGTYPES_SKIPPED.contains(m))
        .collect();
    names.sort_by_key(|m| {
        (
            MSGTYPES_FIRST
                .iter()
                .position(|f| f == m)
                .unwrap_or(usize::MAX),
            *m,
        )
    });
    let mut html = String::new();
    for msgtype in names {
        let full = format!("m.room.message${msgtype}");
        let options = EventOptions {
            display_name: Some(msgtype),
            desired_example: Some(&full),
            title: None,
        };
        html.push_str(&render_view(ctx, event_view(ctx, &full, &options)?)?);
    }
    Ok(html)
}
