//! `boxes/note`, `boxes/warning` and `boxes/rationale`: a box around Markdown.

use super::{Invocation, Shortcode};
use crate::render::{PageState, RenderContext};

/// `{{% boxes/note %}}...{{% /boxes/note %}}`.
pub const NOTE: Shortcode = boxed("boxes/note");
/// `{{% boxes/warning %}}...{{% /boxes/warning %}}`.
pub const WARNING: Shortcode = boxed("boxes/warning");
/// `{{% boxes/rationale %}}...{{% /boxes/rationale %}}`.
pub const RATIONALE: Shortcode = boxed("boxes/rationale");

const fn boxed(name: &'static str) -> Shortcode {
    Shortcode {
        name,
        params: &[],
        generates: false,
        render: render_box,
    }
}

fn render_box(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let name = call.call.name.as_str();
    if call.call.body.is_none() {
        return Err(crate::source::shortcode::never_closed(name));
    }
    let kind = name.trim_start_matches("boxes/");
    let inner = call.body(ctx, state);
    Ok(format!(
        "<div class=\"alert {kind}\" role=\"note\">\n{inner}\n</div>"
    ))
}
