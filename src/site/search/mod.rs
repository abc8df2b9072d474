//! Search, built in: every page cut into sections at its headings (`h1` to `h4` with an
//! id: the page's headings, events, endpoints, definitions), indexed with elasticlunr-rs
//! (the index mdBook builds) and written as `search-index.js`, which the page's search box
//! loads, with `elasticlunr.min.js` and `search.js`, the first time it is used. It works
//! offline on the static files, opened from disk too (the index is a script, not a fetch).
//!
//! [`sections`] reads a finished page; [`index_script`] makes the index of the sections;
//! [`Indexer`] makes it while the pages render.

mod index;
mod indexer;
mod sections;

pub use index::{index_script, index_script_on_this_thread, PageSections, PageText};
pub use indexer::{Indexer, PageFeed};
pub use sections::{sections, Section, SectionReader};

/// The index, beside the pages (the engine and the box's script are built-in assets of
/// the templates: `elasticlunr.min.js`, `search.js`).
pub const INDEX_FILE: &str = "search-index.js";
