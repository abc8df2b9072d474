//! What a leaf shortcode call made (`http-api`, `event`, a badge: one that takes no body
//! and includes no page text), kept between renders of a `serve` session: a page whose
//! prose was edited renders again without rendering its endpoints and events again.
//!
//! A call is known by its name, its parameters and the page state it reads (the room
//! version, the `cs-module` it stands in) and kept until a file it read changes
//! ([`CallCache::forget_reading`]); [`CallCache::clear`] is called for any other change
//! outside `content/` (templates, assets, a file of `data/` new or gone).
//! What is kept is everything the call gave the page: its HTML, the ids and links of it,
//! the endpoints, headings, problems and files it added. Problems reported at the call
//! move with it when the text above it changes.

use std::collections::HashMap;
use std::sync::Mutex;

use super::html_scan::Found;
use super::{Endpoint, Heading, PageState, RenderContext};
use crate::diagnostics::Diagnostic;
use crate::source::shortcode::Call;
use crate::source::Pos;

/// The calls made so far, by what they depend on.
#[derive(Default)]
pub struct CallCache {
    calls: Mutex<HashMap<CallKey, Made>>,
}

/// What a call's output depends on, but the data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallKey {
    /// The shortcode.
    pub name: String,
    /// Its parameters, in name order.
    pub params: Vec<(String, String)>,
    /// The room version of the page.
    pub room_version: Option<String>,
    /// The `cs-module` it stands in.
    pub module: Option<String>,
}

impl CallKey {
    /// The key of `call` rendered with this room version, in this module.
    pub fn new(call: &Call, room_version: Option<String>, module: Option<String>) -> CallKey {
        CallKey {
            name: call.name.clone(),
            params: call.params.clone().into_iter().collect(),
            room_version,
            module,
        }
    }
}

/// What one call gave the page.
#[derive(Clone, Debug, Default)]
pub struct Made {
    /// Its HTML.
    pub html: String,
    /// The ids and links in that HTML.
    pub found: Found,
    /// Endpoints it added.
    pub endpoints: Vec<Endpoint>,
    /// Headings it added.
    pub headings: Vec<Heading>,
    /// Problems it reported, each with whether it stands at the call.
    pub diagnostics: Vec<(Diagnostic, bool)>,
    /// The files it read.
    pub deps: Vec<String>,
}

/// How far the page's lists were before a call rendered: what it adds comes after.
pub struct Start {
    endpoints: usize,
    headings: usize,
    diagnostics: usize,
    deps: usize,
}

impl Start {
    /// The lists of `state` and the files `ctx` was told of, now.
    pub fn of(ctx: &RenderContext, state: &PageState) -> Start {
        Start {
            endpoints: state.endpoints.len(),
            headings: state.headings.len(),
            diagnostics: state.diagnostics.len(),
            deps: ctx.deps_log.borrow().len(),
        }
    }
}

impl CallCache {
    /// What the call `key` made before, when it was made since the last change of data.
    pub fn get(&self, key: &CallKey) -> Option<Made> {
        self.calls.lock().ok()?.get(key).cloned()
    }

    /// Whether the call `key` is kept.
    pub fn contains(&self, key: &CallKey) -> bool {
        self.calls.lock().is_ok_and(|calls| calls.contains_key(key))
    }

    /// Keeps what the call `key` made.
    pub fn put(&self, key: CallKey, made: Made) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.insert(key, made);
        }
    }

    /// Forgets every call (the data, the templates or the assets changed).
    pub fn clear(&self) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.clear();
        }
    }

    /// Forgets the calls that read any of these files (root-relative paths).
    pub fn forget_reading(&self, changed: &std::collections::BTreeSet<String>) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.retain(|_, made| !made.deps.iter().any(|d| changed.contains(d)));
        }
    }

    /// How many calls are kept.
    pub fn len(&self) -> usize {
        self.calls.lock().map_or(0, |calls| calls.len())
    }

    /// Whether no call is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Made {
    /// What the call at `at` (its file and place) added to `state` since `start`: its
    /// problems up to `own_problems` (those after are the page's), its HTML and what was
    /// found in it.
    pub fn since(
        start: &Start,
        ctx: &RenderContext,
        state: &PageState,
        own_problems: usize,
        at: (&str, Pos),
        html: String,
        found: Found,
    ) -> Made {
        Made {
            html,
            found,
            endpoints: state.endpoints[start.endpoints..].to_vec(),
            headings: state.headings[start.headings..].to_vec(),
            diagnostics: state.diagnostics[start.diagnostics..own_problems]
                .iter()
                .map(|d| (d.clone(), Made::at_call(d, at.0, at.1)))
                .collect(),
            deps: ctx.deps_log.borrow()[start.deps..].to_vec(),
        }
    }

    /// Gives the page at `pos` of the file `rel` what the call made, as if it rendered
    /// there now; returns its HTML.
    pub fn replay(self, ctx: &RenderContext, rel: &str, pos: Pos, state: &mut PageState) -> String {
        self.deps.iter().for_each(|d| ctx.depend_on(d));
        state.endpoints.extend(self.endpoints.iter().cloned());
        state.headings.extend(self.headings.iter().cloned());
        state.diagnostics.extend(self.diagnostics_at(rel, pos));
        ctx.record_found(&self.found, pos, state);
        self.html
    }

    /// Whether a problem stands at the call at `pos` of the file `rel`.
    pub fn at_call(d: &Diagnostic, rel: &str, pos: Pos) -> bool {
        d.file == rel && d.line == pos.line && d.column == pos.column
    }

    /// Its problems, those at the call moved to the call's place now (`pos` of the file
    /// `rel`).
    pub fn diagnostics_at<'m>(
        &'m self,
        rel: &'m str,
        pos: Pos,
    ) -> impl Iterator<Item = Diagnostic> + 'm {
        self.diagnostics.iter().map(move |(d, at_call)| {
            let mut d = d.clone();
            if *at_call {
                d.file = rel.to_string();
                d.line = pos.line;
                d.column = pos.column;
            }
            d
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Severity};
    use crate::source::FileId;

    #[test]
    fn a_changed_file_forgets_the_calls_that_read_it_only() {
        let key = |event: &str| CallKey {
            name: "event".into(),
            params: vec![("event".into(), event.into())],
            room_version: None,
            module: None,
        };
        let reading = |files: &[&str]| Made {
            deps: files.iter().map(|f| f.to_string()).collect(),
            ..Made::default()
        };
        let cache = CallCache::default();
        cache.put(key("a"), reading(&["data/a.yaml", "data/shared.yaml"]));
        cache.put(key("b"), reading(&["data/b.yaml"]));
        cache.put(key("c"), reading(&["data/c.yaml", "data/shared.yaml"]));
        cache.forget_reading(&["data/shared.yaml".to_string()].into());
        assert_eq!(cache.len(), 1);
        assert!(cache.get(&key("b")).is_some());
        cache.forget_reading(&["data/other.yaml".to_string()].into());
        assert_eq!(cache.len(), 1);
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn problems_at_the_call_move_with_it_others_stay() {
        let at = |file: &str, line, column| {
            Diagnostic::in_file(Severity::Warning, Code::Shortcode, file, line, column, "x")
        };
        let old = Pos {
            file: FileId(0),
            line: 3,
            column: 1,
        };
        let made = Made {
            diagnostics: [at("content/a.md", 3, 1), at("data/x.yaml", 7, 2)]
                .into_iter()
                .map(|d| {
                    let here = Made::at_call(&d, "content/a.md", old);
                    (d, here)
                })
                .collect(),
            ..Made::default()
        };
        let new = Pos {
            file: FileId(1),
            line: 9,
            column: 4,
        };
        let moved: Vec<(String, u32, u32)> = made
            .diagnostics_at("content/b.md", new)
            .map(|d| (d.file, d.line, d.column))
            .collect();
        assert_eq!(
            moved,
            [("content/b.md".into(), 9, 4), ("data/x.yaml".into(), 7, 2)]
        );
    }
}
