//! Tables of data files: `sas-emojis` (the SAS emoji table of
//! `data-definitions/sas-emoji.json`) and `proposal-tables` (the proposals of
//! `data/msc/proposals.json`, by state).

use super::{Invocation, Shortcode};
use crate::project::Area;
use crate::render::describe::escape;
use crate::render::markdown::is_script_url;
use crate::render::{anchorize, Heading, PageState, RenderContext};
use crate::schema::PROPOSALS;
use crate::source::{parse, Node, Syntax};

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
        let cell = |key: &str| {
            cell_text(item, key).ok_or_else(|| {
                format!(
                    "sas-emojis: {SAS_EMOJI_FILE}:{}:{}: emoji {n} has no `{key}`",
                    item.pos.line, item.pos.column
                )
            })
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

/// `{{% proposal-tables %}}`: for each state of `data/msc/proposals.json`, a heading and
/// the table of its proposals. Upstream's CI fetches that file from GitHub; mxspec never
/// goes to the network, so without the file the page says so, and the build goes on.
pub const PROPOSAL_TABLES: Shortcode = Shortcode {
    name: "proposal-tables",
    params: &[],
    // Its headings' ids are claimed, and listed, as it renders them.
    generates: false,
    render: proposal_tables,
};

fn proposal_tables(
    ctx: &RenderContext,
    _: &Invocation,
    state: &mut PageState,
) -> Result<String, String> {
    ctx.depend_on(PROPOSALS);
    let Some(doc) = ctx.registry.get(PROPOSALS) else {
        return Ok(format!(
            "<p class=\"proposal-tables-absent\">The tables of proposals are made from \
             <code>{PROPOSALS}</code>, which this build does not have (upstream's CI \
             fetches it from GitHub before building).</p>\n"
        ));
    };
    let states = doc
        .node
        .as_seq()
        .ok_or_else(|| proposals_problem(&doc.node, "not a list of states"))?;
    let mut html = String::new();
    for st in states {
        let title = st
            .get("title")
            .and_then(Node::as_str)
            .ok_or_else(|| proposals_problem(st, "a state has no `title`"))?;
        let id = state.ids.unique(&anchorize(title));
        html.push_str(&format!(
            "<h3 id=\"{id}\" class=\"proposal-table-title\">{}</h3>\n",
            escape(title)
        ));
        state.headings.push(Heading {
            level: 3,
            id,
            text: title.to_string(),
        });
        let proposals = st.get("proposals").and_then(Node::as_seq).unwrap_or(&[]);
        if proposals.is_empty() {
            html.push_str("<p>No MSCs are currently in this state.</p>\n");
            continue;
        }
        html.push_str(
            "<table class=\"msc-table\">\n<thead><tr><th>MSC</th><th>Title</th><th>Created at</th><th>Updated at</th><th>Docs</th><th>Author</th><th>Shepherd</th></tr></thead>\n<tbody>\n",
        );
        for p in proposals {
            html.push_str(&proposal_row(p)?);
        }
        html.push_str("</tbody>\n</table>\n");
    }
    Ok(html)
}

/// The value of `key` of a data object as the text of a table cell, escaped: a string as it
/// is, anything else as JSON.
fn cell_text(node: &Node, key: &str) -> Option<String> {
    let value = node.get(key)?;
    Some(escape(&match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_json().to_string(),
    }))
}

/// A problem of `data/msc/proposals.json` at `node`.
fn proposals_problem(node: &Node, what: &str) -> String {
    format!(
        "proposal-tables: {PROPOSALS}:{}:{}: {what}",
        node.pos.line, node.pos.column
    )
}

/// The table row of one proposal: its number linked to its URL, title, dates, numbered
/// links to its documentation, its authors and shepherd linked to GitHub. Script URLs are
/// left out.
fn proposal_row(p: &Node) -> Result<String, String> {
    let text =
        |key: &str| cell_text(p, key).ok_or_else(|| proposals_problem(p, &format!("no `{key}`")));
    let strings = |key: &str| {
        p.get(key)
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
    };
    let url = p.get("url").and_then(Node::as_str).unwrap_or_default();
    let number = text("number")?;
    let msc = if url.is_empty() || is_script_url(url) {
        number
    } else {
        format!("<a href=\"{}\">{number}</a>", escape(url))
    };
    let docs: Vec<String> = strings("documentation")
        .filter(|u| !is_script_url(u))
        .enumerate()
        .map(|(i, u)| format!("<a href=\"{}\">{}</a>", escape(u), i + 1))
        .collect();
    let github = |user: &str| {
        let user = escape(user);
        format!("<a href=\"https://github.com/{user}\">@{user}</a>")
    };
    let authors: Vec<String> = strings("authors").map(github).collect();
    let shepherd = p
        .get("shepherd")
        .and_then(Node::as_str)
        .map(github)
        .unwrap_or_default();
    Ok(format!(
        "<tr><td>{msc}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{shepherd}</td></tr>\n",
        text("title")?,
        text("created_at")?,
        text("updated_at")?,
        docs.join(", "),
        authors.join(", "),
    ))
}
