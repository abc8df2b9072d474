//! `cs-module`: a fragment of the headless bundle `client-server-api/modules/`, rendered
//! in place, as part of the including page.

use super::{Invocation, Shortcode};
use crate::render::{PageState, RenderContext};

/// At most this many fragments are included into one page (the Client-Server API page
/// includes 44): fragments that include each other ten times over would otherwise render
/// millions of copies.
pub const MAX_INCLUDES: usize = 1_000;
/// Fragments may include fragments this deep.
pub const MAX_INCLUDE_DEPTH: usize = 16;

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
    if state.include_stack.len() >= MAX_INCLUDE_DEPTH {
        return Err(format!(
            "cs-module: fragments include each other more than {MAX_INCLUDE_DEPTH} deep"
        ));
    }
    state.included += 1;
    if state.included > MAX_INCLUDES {
        return Err(format!(
            "cs-module: more than {MAX_INCLUDES} fragments included into one page"
        ));
    }
    state.include_stack.push(key);
    // The endpoints rendered in the module are listed under its name.
    state
        .modules
        .push(call.param("name").unwrap_or(filename).to_string());
    ctx.depend_on(&fragment.rel);
    let html = ctx.render_text(&fragment.body, fragment.file, fragment.body_offset, state);
    state.modules.pop();
    state.include_stack.pop();
    Ok(html)
}
