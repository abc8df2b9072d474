//! The leaf shortcode calls of the pages rendered ahead, on every core, into the call
//! cache ([`super::call_cache`]): each page then takes its calls from there, so a page of
//! many events or endpoints is not made on one core alone.
//!
//! Which calls a page holds is read from its text, the bodies of its calls and the
//! fragments it includes (`cs-module`, `rver-fragment`), with the page state each call
//! will meet (the room version, the module). A call foreseen wrongly costs only its
//! rendering: the page looks calls up by the state it really has, and renders in place
//! any it does not find.

use std::collections::HashSet;

use super::call_cache::{CallCache, CallKey};
use super::shortcodes::{self, Shortcode, MAX_INCLUDES, MAX_INCLUDE_DEPTH};
use super::{PageState, RenderContext};
use crate::content::Page;
use crate::source::shortcode::{calls, Call, Segment};
use crate::source::FileId;

/// The most text read ahead in one pass: past it, the calls of the pages left are
/// rendered in place, as without this pass (so memory stays bounded whatever the pages
/// include).
const TEXT_BUDGET: usize = 32 << 20;

/// A text whose calls are rendered ahead: its calls, where it lies, the state they meet.
struct Text {
    segments: Vec<Segment>,
    file: FileId,
    base: usize,
    room_version: Option<String>,
    module: Option<String>,
}

/// One call to render ahead.
struct Ahead<'t> {
    shortcode: &'static Shortcode,
    call: &'t Call,
    text: &'t Text,
}

/// Renders ahead, on every core, the leaf calls of `pages` (each with the room version it
/// describes) that `cache` lacks; `context` makes each worker's render context (one that
/// keeps calls in `cache`).
pub fn render_ahead<'a>(
    pages: &[(&Page, Option<String>)],
    context: &(impl Fn() -> RenderContext<'a> + Sync),
    cache: &CallCache,
) {
    let ctx = context();
    let mut reading = Reading {
        texts: Vec::new(),
        budget: TEXT_BUDGET,
        included: HashSet::new(),
    };
    for (page, room_version) in pages {
        let at = Place {
            room_version: room_version.clone(),
            module: None,
            path: vec![page.key.clone()],
        };
        reading.included.clear();
        let page_text = (page.body.as_str(), page.file, page.body_offset);
        read_text(&ctx, page_text, at, &mut reading);
    }
    let texts = reading.texts;
    let mut seen = HashSet::new();
    let mut calls = Vec::new();
    for text in &texts {
        leaf_calls(text, cache, &mut seen, &mut calls);
    }
    if calls.len() < 2 {
        return;
    }
    crate::pool::map_with(&calls, context, |ctx, _, ahead| {
        let mut state = PageState {
            room_version: ahead.text.room_version.clone(),
            modules: ahead.text.module.iter().cloned().collect(),
            ..PageState::default()
        };
        let at = (ahead.call, ahead.text.file, ahead.text.base);
        shortcodes::render_into_cache(ctx, cache, ahead.shortcode, at, &mut state);
    });
}

/// The state a text's calls meet, and the fragments that include it (their keys).
struct Place {
    room_version: Option<String>,
    module: Option<String>,
    path: Vec<String>,
}

/// What a pass has read: the texts, the bytes it may still read, and the fragments the
/// page being read has included (key and module).
struct Reading {
    texts: Vec<Text>,
    budget: usize,
    included: HashSet<(String, Option<String>)>,
}

/// Parses `text` (its text, file and offset) as the page's render will, and the
/// fragments it includes: each fragment once per module, none that includes itself, at
/// most [`MAX_INCLUDES`] of them (a page that includes more is an error of its render), and
/// no more text in all than [`TEXT_BUDGET`].
fn read_text(
    ctx: &RenderContext,
    (text, file, base): (&str, FileId, usize),
    at: Place,
    reading: &mut Reading,
) {
    if text.len() > reading.budget {
        reading.budget = 0;
        return;
    }
    reading.budget -= text.len();
    let Ok(segments) = crate::source::shortcode::parse(&ctx.shown(text)) else {
        return;
    };
    if at.path.len() < MAX_INCLUDE_DEPTH {
        let named: Vec<_> = calls(&segments).filter_map(shortcodes::included).collect();
        for (key, module) in named {
            let module = module.or_else(|| at.module.clone());
            if reading.included.len() >= MAX_INCLUDES
                || at.path.contains(&key)
                || !reading.included.insert((key.clone(), module.clone()))
            {
                continue;
            }
            if let Some(fragment) = ctx.content.by_key(&key) {
                let mut path = at.path.clone();
                path.push(key);
                let inner = Place {
                    room_version: at.room_version.clone(),
                    module,
                    path,
                };
                let fragment_text = (fragment.body.as_str(), fragment.file, fragment.body_offset);
                read_text(ctx, fragment_text, inner, reading);
            }
        }
    }
    reading.texts.push(Text {
        segments,
        file,
        base,
        room_version: at.room_version,
        module: at.module,
    });
}

/// The leaf calls of a text (bodies included) not kept yet, each once.
fn leaf_calls<'t>(
    text: &'t Text,
    cache: &CallCache,
    seen: &mut HashSet<CallKey>,
    out: &mut Vec<Ahead<'t>>,
) {
    for call in calls(&text.segments) {
        let Some(shortcode) = shortcodes::kept(call) else {
            continue;
        };
        let key = CallKey::new(call, text.room_version.clone(), text.module.clone());
        if !cache.contains(&key) && seen.insert(key) {
            out.push(Ahead {
                shortcode,
                call,
                text,
            });
        }
    }
}
