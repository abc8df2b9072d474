//! `cs-module`: a fragment of the headless bundle `client-server-api/modules/`, rendered
//! in place, as part of the including page.

use super::{Invocation, Shortcode};
use crate::render::{PageState, RenderContext};

/// `{{% cs-module name="..." filename="..." %}}`.
pub const CS_MODULE: Shortcode = Shortcode {
    name: "cs-module",
    params: &["filename", "name"],
    generates: false,
    render: cs_module,
};

fn cs_module(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let filename = call.required("filename")?;
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
