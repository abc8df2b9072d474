//! `diagram`: an image of `assets/diagrams/`, drawn at 200%, shown at half its size with
//! its width and height written out (no layout shift) and loaded lazily. The image is
//! published at `/diagrams/<name>.webp`, as upstream's site has it.

use super::{Invocation, Shortcode};
use crate::render::describe::escape;
use crate::render::{PageState, RenderContext};

/// `{{% diagram name="membership" alt="..." %}}`.
pub const DIAGRAM: Shortcode = Shortcode {
    name: "diagram",
    params: &["alt", "name"],
    generates: true,
    render: diagram,
};

/// Where the diagrams lie in the project (and, without `assets/`, in the site).
pub const DIAGRAMS: &str = "assets/diagrams";

fn diagram(ctx: &RenderContext, call: &Invocation, _: &mut PageState) -> Result<String, String> {
    let name = call.required("name")?;
    let alt = call.required("alt")?;
    // A plain file name: it becomes a path of the site and an attribute of the page.
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if !name.chars().all(plain) || name.starts_with('.') {
        return Err(format!(
            "diagram: `{name}` is not a file name (letters, digits, `-`, `_`, `.`)"
        ));
    }
    let rel = format!("{DIAGRAMS}/{name}.webp");
    ctx.depend_on(&rel);
    let bytes = ctx
        .registry
        .project
        .asset(&rel)
        .ok_or_else(|| format!("diagram: there is no {rel}"))?;
    let size = imagesize::blob_size(bytes)
        .map_err(|e| format!("diagram: {rel} is not an image whose size can be read ({e})"))?;
    if imagesize::image_type(bytes).ok() != Some(imagesize::ImageType::Webp) {
        return Err(format!("diagram: {rel} is not a WebP image"));
    }
    // Drawn at 200%: shown at half size, sharp on screens of twice the pixel density.
    let (width, height) = (size.width.div_ceil(2), size.height.div_ceil(2));
    let src = rel.trim_start_matches("assets");
    Ok(format!(
        "<figure class=\"diagram\"><img src=\"{}\" alt=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\"></figure>",
        escape(src),
        escape(alt)
    ))
}

/// The site path an asset of the project is published at (`assets/diagrams/x.webp` at
/// `diagrams/x.webp`), when it is one.
pub fn published_path(rel: &str) -> Option<&str> {
    rel.strip_prefix("assets/")
        .filter(|p| p.starts_with("diagrams/"))
}
