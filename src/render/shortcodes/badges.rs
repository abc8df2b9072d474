//! `added-in` and `changed-in`: "Added in vX.Y" and "Changed in vX.Y" badges (the latter
//! with an optional body). `this="true"` names the version being built.

use super::{Invocation, Shortcode};
use crate::render::describe::{added_badge, changed_badge};
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

fn added_in(ctx: &RenderContext, call: &Invocation, _: &mut PageState) -> Result<String, String> {
    Ok(added_badge(&version(call)?, &ctx.versions))
}

fn changed_in(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let badge = changed_badge(&version(call)?, &ctx.versions, false);
    let inner = call.body(ctx, state);
    Ok(if inner.is_empty() {
        badge
    } else {
        format!("<div class=\"changed-in-block\">{badge}\n{inner}</div>")
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
