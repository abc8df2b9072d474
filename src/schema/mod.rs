//! Schema documents: the registry of everything under `data/`, and `$ref` resolution.

pub mod formats;
pub mod graph;
pub mod refs;
pub mod registry;
pub mod resolve;
pub mod walk;

pub use formats::{FormatInfo, StringFormats};
pub use graph::{RefGraph, RefSite};
pub use refs::{resolve, target_node, RefError, RefTarget};
pub use registry::{
    DocKind, Document, LoadError, Registry, EVENT_SCHEMA_DIR, EXAMPLE_DIR, STRING_FORMATS,
};
pub use walk::{each_schema, INSTANCE_KEYWORDS, NAME_MAP_KEYWORDS};
