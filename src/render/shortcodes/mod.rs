//! The shortcodes, as a table of handlers: each one names its parameters and its render
//! function, and lives in its own module ([`events`], [`badges`], [`boxes`],
//! [`include`], [`api`], [`data_tables`], [`diagram`]). A new shortcode is one [`Shortcode`] in that table plus its module (and
//! its template, if it has one).
//!
//! The dispatcher does what is common to all: an unknown shortcode renders a visible
//! placeholder and is a warning; an unknown parameter is a warning; a handler's error is
//! an error at the call, shown in place; the ids and links of generated HTML are recorded
//! for the link check.

mod api;
mod badges;
mod boxes;
mod data_tables;
pub mod diagram;
mod events;
mod include;

use super::call_cache::{CallKey, Made};
use super::describe::escape;
use super::{html_scan, PageState, RenderContext};
use crate::diagnostics::Code;
use crate::source::shortcode::Call;
use crate::source::FileId;

/// One shortcode: its name, the parameters it takes, and how it renders.
pub struct Shortcode {
    /// Its name as written (`event`, `boxes/note`).
    pub name: &'static str,
    /// The parameters it takes; any other is a warning.
    pub params: &'static [&'static str],
    /// Whether the HTML it returns is new to the page (its ids and links are recorded);
    /// a shortcode that wraps page text records that text as it renders it.
    pub generates: bool,
    /// Renders one call; an error is reported at the call and shown in place.
    pub render: fn(&RenderContext, &Invocation, &mut PageState) -> Result<String, String>,
}

/// Every shortcode mxspec knows.
pub const SHORTCODES: &[Shortcode] = &[
    events::EVENT,
    events::EVENT_GROUP,
    events::EVENT_FIELDS,
    events::MSGTYPES,
    events::DEFINITION,
    badges::ADDED_IN,
    badges::CHANGED_IN,
    boxes::NOTE,
    boxes::WARNING,
    boxes::RATIONALE,
    include::CS_MODULE,
    include::RVER_FRAGMENT,
    data_tables::SAS_EMOJIS,
    data_tables::PROPOSAL_TABLES,
    diagram::DIAGRAM,
    api::HTTP_API,
];

/// One call being rendered: the call, and where its text lies.
pub struct Invocation<'c> {
    /// The call.
    pub call: &'c Call,
    /// The file the call is written in.
    pub file: FileId,
    /// Byte offset of the text the call was parsed from, in that file.
    pub base: usize,
}

impl Invocation<'_> {
    /// A parameter's value, when given.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.call.params.get(name).map(String::as_str)
    }

    /// A parameter that must be given, non-empty.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.param(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            format!(
                "shortcode `{}` needs the parameter `{name}`",
                self.call.name
            )
        })
    }

    /// The rendered body of a paired call (empty for a call without one).
    pub fn body(&self, ctx: &RenderContext, state: &mut PageState) -> String {
        self.call
            .body
            .as_ref()
            .map(|segments| ctx.render_segments(segments, self.file, self.base, state))
            .unwrap_or_default()
    }
}

/// Renders one call to HTML.
pub fn render_call(
    ctx: &RenderContext,
    call: &Call,
    file: FileId,
    base: usize,
    state: &mut PageState,
) -> String {
    let pos = ctx.pos(file, base + call.offset);
    let Some(shortcode) = SHORTCODES.iter().find(|s| s.name == call.name) else {
        state.unknown_shortcode = true;
        let hint = crate::suggest::hint(&call.name, SHORTCODES.iter().map(|s| s.name));
        let message = format!(
            "unknown shortcode `{}`: rendered as a placeholder, its content is absent{hint}",
            call.name
        );
        ctx.warn(state, pos, Code::UnknownShortcode, message);
        return format!("<div class=\"mxspec-unknown-shortcode\" role=\"note\">Unknown shortcode <code>{}</code></div>", escape(&call.name));
    };
    for name in call
        .params
        .keys()
        .filter(|k| !shortcode.params.contains(&k.as_str()))
    {
        let takes = if shortcode.params.is_empty() {
            "none".to_string()
        } else {
            shortcode.params.join(", ")
        };
        let hint = crate::suggest::hint(name, shortcode.params.iter().copied());
        let message = format!(
            "shortcode `{}` has no parameter `{name}` (it takes: {takes}){hint}",
            call.name
        );
        ctx.warn(state, pos, Code::ShortcodeParam, message);
    }
    let invocation = Invocation { call, file, base };
    // A call that takes no body and generates its HTML from data alone is kept between
    // renders of a `serve` session.
    let cached = ctx
        .cache
        .filter(|_| shortcode.generates && call.body.is_none())
        .map(|cache| {
            let key = CallKey {
                name: call.name.clone(),
                params: call.params.clone().into_iter().collect(),
                room_version: state.room_version.clone(),
                module: state.modules.last().cloned(),
            };
            (cache, key)
        });
    let rel = ctx.registry.sources().rel(file).to_string();
    if let Some(made) = cached.as_ref().and_then(|(cache, key)| cache.get(key)) {
        made.deps.iter().for_each(|d| ctx.depend_on(d));
        state.endpoints.extend(made.endpoints.iter().cloned());
        state.headings.extend(made.headings.iter().cloned());
        state.diagnostics.extend(made.diagnostics_at(&rel, pos));
        let found = html_scan::Found {
            ids: made.ids.clone(),
            hrefs: made.hrefs.clone(),
        };
        ctx.record_found(found, pos, state);
        return made.html;
    }
    let before = (
        state.endpoints.len(),
        state.headings.len(),
        state.diagnostics.len(),
        ctx.deps_log.borrow().len(),
    );
    let html = match (shortcode.render)(ctx, &invocation, state) {
        Ok(html) => html,
        Err(message) => return ctx.error_in_place(state, pos, Code::Shortcode, message),
    };
    if !shortcode.generates {
        return html;
    }
    // The call's own problems end here: the duplicate ids found next belong to the page
    // it stands in, and are found again at each replay.
    let own_problems = state.diagnostics.len();
    let found = ctx.record_generated(&html, pos, state);
    if let Some((cache, key)) = cached {
        let made = Made {
            html: html.clone(),
            ids: found.ids,
            hrefs: found.hrefs,
            endpoints: state.endpoints[before.0..].to_vec(),
            headings: state.headings[before.1..].to_vec(),
            diagnostics: state.diagnostics[before.2..own_problems]
                .iter()
                .map(|d| (d.clone(), Made::at_call(d, &rel, pos)))
                .collect(),
            deps: ctx.deps_log.borrow()[before.3..].to_vec(),
        };
        cache.put(key, made);
    }
    html
}
