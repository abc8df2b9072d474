//! `added-in` and `changed-in`: "Added in vX.Y" and "Changed in vX.Y" badges (the latter
//! with an optional body). `this="true"` names the version being built.
//!
//! On a room version's page (front matter `version: 10`), `v` is a room version, as
//! upstream writes them (`{{% added-in v=10 %}}`, in the page or in a fragment it
//! includes): the page of that version says "New in this version" (or "Changed in this
//! version"), the pages of later versions, which include the same fragment, say nothing.

use super::{Invocation, Shortcode};
use crate::render::describe::{added_badge, changed_badge, Versions};
use crate::render::{PageState, RenderContext};
use crate::version::{is_version, VERSION_SHORTCODES};

/// `{{% added-in v="1.19" %}}`.
pub const ADDED_IN: Shortcode = Shortcode {
    name: VERSION_SHORTCODES[0].0,
    params: &["v", "this"],
    generates: true,
    render: added_in,
};

/// `{{% changed-in v="1.19" %}}`, optionally with a body.
pub const CHANGED_IN: Shortcode = Shortcode {
    name: VERSION_SHORTCODES[1].0,
    params: &["v", "this"],
    generates: false,
    render: changed_in,
};

fn added_in(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    if let Some(page) = &state.room_version {
        return room_badge(call, page, added_badge);
    }
    Ok(added_badge(&version(call)?, &ctx.versions))
}

fn changed_in(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let badge = match &state.room_version {
        Some(page) => room_badge(call, page, changed_badge)?,
        None => changed_badge(&version(call)?, &ctx.versions),
    };
    let inner = call.body(ctx, state);
    Ok(if inner.is_empty() {
        badge
    } else {
        format!("<div class=\"changed-in-block\">{badge}\n{inner}</div>")
    })
}

/// The badge of a room version `v` on the page of room version `page`: the spec
/// version badge of "this version" when they are the same, nothing otherwise.
fn room_badge(
    call: &Invocation,
    page: &str,
    badge: impl Fn(&str, &Versions) -> String,
) -> Result<String, String> {
    let v = call.required("v")?;
    let this = Versions {
        current: Some(page.to_string()),
        as_of: None,
    };
    Ok(if v == page {
        badge(v, &this)
    } else {
        String::new()
    })
}

fn version(call: &Invocation) -> Result<String, String> {
    if call.param("this") == Some("true") {
        return Ok("this".to_string());
    }
    let v = call.required("v")?;
    if is_version(v) {
        Ok(v.to_string())
    } else {
        Err(format!(
            "`{}` needs a version like v=\"1.19\", not `{v}`",
            call.call.name
        ))
    }
}
