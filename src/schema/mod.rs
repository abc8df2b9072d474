//! Schema documents: the registry of everything under `data/` (parsed from the loaded
//! project), `$ref` resolution and the one `$ref` walker, the reference graph, full
//! expansion (`allOf` merged), schema walking and the string-format table.

pub mod formats;
pub mod graph;
pub mod refs;
pub mod registry;
pub mod resolve;
pub mod walk;

pub use formats::{FormatInfo, StringFormats};
pub use graph::{RefGraph, RefSite};
pub use refs::{lone_ref, resolve, target_node, FollowError, RefError, RefTarget, RefTrail};
pub use registry::{
    DocKind, Document, Registry, EVENT_SCHEMA_DIR, EXAMPLE_DIR, PROPOSALS, SCHEMA_EXTENSIONS,
    STRING_FORMATS,
};
pub use walk::{each_schema, INSTANCE_KEYWORDS, NAME_MAP_KEYWORDS};
