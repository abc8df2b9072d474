//! Tables of data files: `sas-emojis` (the SAS emoji table of
//! `data-definitions/sas-emoji.json`).

use super::{Invocation, Shortcode};
use crate::project::Area;
use crate::render::describe::escape;
use crate::render::{PageState, RenderContext};
use crate::source::{parse, Syntax};

/// The file the SAS emoji table is made from.
pub const SAS_EMOJI_FILE: &str = "data-definitions/sas-emoji.json";

/// `{{% sas-emojis %}}`: number, emoji, Unicode code point and description of each.
pub const SAS_EMOJIS: Shortcode = Shortcode {
    name: "sas-emojis",
    params: &[],
    generates: true,
    render: sas_emojis,
};

fn sas_emojis(ctx: &RenderContext, _: &Invocation, _: &mut PageState) -> Result<String, String> {
    let project = &ctx.registry.project;
    let file = project
        .files_in(Area::DataDefinitions)
        .find(|f| f.rel == SAS_EMOJI_FILE)
        .ok_or_else(|| format!("sas-emojis: there is no {SAS_EMOJI_FILE}"))?;
    let id = file
        .file
        .ok_or_else(|| format!("sas-emojis: {SAS_EMOJI_FILE} cannot be read"))?;
    ctx.depend_on(SAS_EMOJI_FILE);
    let text = &project.sources.file(id).text;
    let emojis = parse(text, Syntax::Json, id).map_err(|e| {
        format!(
            "sas-emojis: {SAS_EMOJI_FILE}:{}:{}: {}",
            e.line, e.column, e.message
        )
    })?;
    let items = emojis
        .as_seq()
        .ok_or_else(|| format!("sas-emojis: {SAS_EMOJI_FILE} is not a list"))?;
    let mut html = String::from(
        "<table class=\"sas-emojis\">\n<thead><tr><th>Number</th><th>Emoji</th><th>Unicode</th><th>Description</th></tr></thead>\n<tbody>\n",
    );
    for (n, item) in items.iter().enumerate() {
        let cell = |key: &str| -> Result<String, String> {
            let value = item.get(key).ok_or_else(|| {
                format!(
                    "sas-emojis: {SAS_EMOJI_FILE}:{}:{}: emoji {n} has no `{key}`",
                    item.pos.line, item.pos.column
                )
            })?;
            Ok(escape(&match value.as_str() {
                Some(s) => s.to_string(),
                None => value.to_json().to_string(),
            }))
        };
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            cell("number")?,
            cell("emoji")?,
            cell("unicode")?,
            cell("description")?
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    Ok(html)
}
