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

pub use include::{included, MAX_INCLUDES, MAX_INCLUDE_DEPTH};

use super::call_cache::{CallCache, CallKey, Made, Start};
use super::describe::escape;
use super::{PageState, RenderContext};
use crate::diagnostics::Code;
use crate::source::shortcode::Call;
use crate::source::{FileId, Pos};

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
    let Some(shortcode) = named(&call.name) else {
        state.incomplete = true;
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
    if let Some(cache) = ctx.cache.filter(|_| shortcode.keeps(call)) {
        return render_kept(ctx, cache, shortcode, &invocation, pos, state);
    }
    match (shortcode.render)(ctx, &invocation, state) {
        Ok(html) => {
            if shortcode.generates {
                ctx.record_generated(&html, pos, state);
            }
            html
        }
        Err(message) => ctx.error_in_place(state, pos, Code::Shortcode, message),
    }
}

impl Shortcode {
    /// Whether its `call` is kept between renders (a leaf call: one that takes no body and
    /// generates its HTML from data alone).
    fn keeps(&self, call: &Call) -> bool {
        self.generates && call.body.is_none()
    }
}

/// The shortcode called `name`.
fn named(name: &str) -> Option<&'static Shortcode> {
    SHORTCODES.iter().find(|s| s.name == name)
}

/// The shortcode of `call`, when the call is kept between renders.
pub fn kept(call: &Call) -> Option<&'static Shortcode> {
    named(&call.name).filter(|s| s.keeps(call))
}

/// Renders a kept call of `shortcode` (see [`kept`]) into `cache`, as if at its place with
/// `state`.
pub fn render_into_cache(
    ctx: &RenderContext,
    cache: &CallCache,
    shortcode: &Shortcode,
    (call, file, base): (&Call, FileId, usize),
    state: &mut PageState,
) {
    let pos = ctx.pos(file, base + call.offset);
    let invocation = Invocation { call, file, base };
    let _ = render_kept(ctx, cache, shortcode, &invocation, pos, state);
}

/// Renders a leaf call through `cache`: what it made before, replayed at `pos`, or made now
/// and kept.
fn render_kept(
    ctx: &RenderContext,
    cache: &CallCache,
    shortcode: &Shortcode,
    call: &Invocation,
    pos: Pos,
    state: &mut PageState,
) -> String {
    let key = CallKey::new(
        call.call,
        state.room_version.clone(),
        state.modules.last().cloned(),
    );
    let rel = ctx.registry.sources().rel(call.file);
    if let Some(made) = cache.get(&key) {
        return made.replay(ctx, rel, pos, state);
    }
    let start = Start::of(ctx, state);
    let html = match (shortcode.render)(ctx, call, state) {
        Ok(html) => html,
        Err(message) => return ctx.error_in_place(state, pos, Code::Shortcode, message),
    };
    // The call's own problems end here: the duplicate ids found next belong to the page
    // it stands in, and are found again at each replay.
    let own_problems = state.diagnostics.len();
    let found = ctx.record_generated(&html, pos, state);
    let made = Made::since(
        &start,
        ctx,
        state,
        own_problems,
        (rel, pos),
        html.clone(),
        found,
    );
    cache.put(key, made);
    html
}
