//! Spec versions and the annotations that carry them: the one place that knows what a
//! version looks like, how versions order, which keys annotate a schema, how markers are
//! written in text, and what the spec looked like at a version.
//!
//! Used by `check` (annotations are validated), `render` (badges, `--as-of`) and
//! `history` (`check --since`); it depends on the source model only.

pub mod as_of;
mod as_of_text;
pub mod markers;

pub use markers::{
    inline_added_values, leading_marker, structured_enum_versions, Marker, VERSION_SHORTCODES,
};

/// The key of the version a schema (an event, a property) was added in.
pub const ADDED: &str = "x-addedInMatrixVersion";
/// The key of the map from version to what changed in it.
pub const CHANGED: &str = "x-changedInMatrixVersion";
/// The key of the structured form for enum values: a map from value to version.
pub const ENUM_ADDED: &str = "x-enumAddedInMatrixVersion";

/// Whether `value` looks like a spec version: `1.19`, `2.0`; not `01.19` or `1.019`
/// (another spelling of a version, which would make a second release of it).
pub fn is_version(value: &str) -> bool {
    let number = |p: &str| {
        (1..=9).contains(&p.len())
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'))
    };
    value
        .split_once('.')
        .is_some_and(|(major, minor)| number(major) && number(minor))
}

/// Sorts versions numerically: `1.2` before `1.10`.
pub fn version_key(v: &str) -> (u32, u32) {
    let (a, b) = v.split_once('.').unwrap_or((v, "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

/// Whether version `a` is later than version `b` (`1.10` is later than `1.9`).
pub fn later(a: &str, b: &str) -> bool {
    version_key(a) > version_key(b)
}

/// A version as a user may write it: `1.19` or `v1.19`; `None` when it is not one.
pub fn parse_version_arg(value: &str) -> Option<String> {
    let v = value.strip_prefix('v').unwrap_or(value);
    is_version(v).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("1.19"));
        assert!(is_version("2.0"));
        assert!(!is_version("v1.19"));
        assert!(!is_version("1"));
        assert!(!is_version("1.2.3"));
        assert!(!is_version("1."));
        assert!(!is_version("01.19") && !is_version("1.019") && !is_version("1.00"));
        assert!(is_version("1.0") && is_version("0.1"));
        assert!(!is_version("1.4294967296"), "too large to order");
        assert_eq!(parse_version_arg("v1.19").as_deref(), Some("1.19"));
        assert_eq!(parse_version_arg("x"), None);
    }

    #[test]
    fn version_order() {
        assert!(later("1.10", "1.9"));
        assert!(!later("1.18", "1.19"));
    }
}
