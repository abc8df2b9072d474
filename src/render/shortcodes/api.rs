//! `http-api`: every operation of an API document, through the `http-api.html` template;
//! each one is also listed among the page's endpoints (under the `cs-module` it is
//! rendered in, if any).

use super::{Invocation, Shortcode};
use crate::render::http_api::api_views;
use crate::render::{templates, Endpoint, PageState, RenderContext};

/// `{{% http-api spec="client-server" api="room_state" anchor_base="..." %}}`.
pub const HTTP_API: Shortcode = Shortcode {
    name: "http-api",
    params: &["spec", "api", "anchor_base"],
    generates: true,
    render: http_api,
};

fn http_api(
    ctx: &RenderContext,
    call: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    let spec = call.required("spec")?;
    let api = call.required("api")?;
    let ops = api_views(ctx, spec, api, call.param("anchor_base"))?;
    for op in &ops {
        state.endpoints.push(Endpoint {
            module: state.modules.last().cloned(),
            ..op.head.clone()
        });
    }
    let mut context = tera::Context::new();
    context.insert("ops", &ops);
    ctx.tera
        .render("http-api.html", &context)
        .map_err(|e| format!("template http-api.html: {}", templates::error_chain(&e)))
}
