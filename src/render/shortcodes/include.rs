//! Fragments of headless bundles rendered in place, as part of the including page:
//! `cs-module` (from `client-server-api/modules/`) and `rver-fragment` (from
//! `rooms/fragments/`, the text room versions share).

use super::{Invocation, Shortcode};
use crate::render::{PageState, RenderContext};
use crate::source::shortcode::Call;

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

/// `{{% rver-fragment name="v1-auth-rules" %}}`: its shortcodes see the including page
/// (a room version's `added-in` compares with that page's `version`).
pub const RVER_FRAGMENT: Shortcode = Shortcode {
    name: "rver-fragment",
    params: &["name"],
    generates: false,
    render: rver_fragment,
};

/// The content key of the module a `cs-module` call names by its `filename`.
fn module_key(filename: &str) -> String {
    format!("client-server-api/modules/{filename}")
}

/// The content key of the fragment an `rver-fragment` call names.
fn room_fragment_key(name: &str) -> String {
    format!("rooms/fragments/{name}")
}

/// What an include call (`cs-module`, `rver-fragment`) names: the content key of its
/// fragment, and the module a `cs-module` opens (its `name`, else its `filename`). `None`
/// for any other call, or one that lacks the parameter naming its fragment.
pub fn included(call: &Call) -> Option<(String, Option<String>)> {
    let param = |name: &str| call.params.get(name).map(String::as_str);
    match call.name.as_str() {
        "cs-module" => {
            let filename = param("filename")?;
            let module = param("name").unwrap_or(filename);
            Some((module_key(filename), Some(module.to_string())))
        }
        "rver-fragment" => Some((room_fragment_key(param("name")?), None)),
        _ => None,
    }
}

fn cs_module(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let filename = call.required("filename")?;
    // The endpoints rendered in the module are listed under its name.
    let module = call.param("name").unwrap_or(filename).to_string();
    state.modules.push(module);
    let html = include(ctx, state, "cs-module", module_key(filename));
    state.modules.pop();
    html
}

fn rver_fragment(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let name = call.required("name")?;
    include(ctx, state, "rver-fragment", room_fragment_key(name))
}

/// Renders the fragment whose content key is `key` in place, within the bounds.
fn include(
    ctx: &RenderContext,
    state: &mut PageState,
    shortcode: &str,
    key: String,
) -> Result<String, String> {
    let fragment = ctx
        .content
        .by_key(&key)
        .ok_or_else(|| format!("{shortcode}: there is no content/{key}.md"))?;
    if state.include_stack.contains(&key) {
        return Err(format!("{shortcode}: content/{key}.md includes itself"));
    }
    if state.include_stack.len() >= MAX_INCLUDE_DEPTH {
        return Err(format!(
            "{shortcode}: fragments include each other more than {MAX_INCLUDE_DEPTH} deep"
        ));
    }
    state.included += 1;
    if state.included > MAX_INCLUDES {
        return Err(format!(
            "{shortcode}: more than {MAX_INCLUDES} fragments included into one page"
        ));
    }
    state.include_stack.push(key);
    ctx.depend_on(&fragment.rel);
    let html = ctx.render_text(&fragment.body, fragment.file, fragment.body_offset, state);
    state.include_stack.pop();
    Ok(html)
}
