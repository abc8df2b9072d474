//! Version markers written in text: `**[Added in `v1.19`]**`, `**[Changed in `v1.19`]**`
//! in descriptions, the `added-in` / `changed-in` shortcodes in content (read with the
//! one shortcode parser), and the structured `x-enumAddedInMatrixVersion` form.

use std::collections::BTreeMap;

use super::{is_version, ENUM_ADDED};
use crate::source::shortcode;
use crate::source::Node;

/// Which annotation a marker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Added in the version.
    Added,
    /// Changed in the version.
    Changed,
}

/// The shortcodes that carry a version in their `v` parameter, and what they mark.
pub const VERSION_SHORTCODES: &[(&str, Marker)] =
    &[("added-in", Marker::Added), ("changed-in", Marker::Changed)];

/// The marker a text opens with, and its version: `**[Added in `v1.19`]** x` or
/// `{{% added-in v="1.19" %}} x`.
pub fn leading_marker(text: &str) -> Option<(Marker, String)> {
    let t = text.trim_start();
    for (marker, label) in [(Marker::Added, "Added in"), (Marker::Changed, "Changed in")] {
        if let Some(rest) = t.strip_prefix(&format!("**[{label} `v")) {
            let version = rest.split('`').next().unwrap_or("");
            if is_version(version) {
                return Some((marker, version.to_string()));
            }
        }
    }
    shortcode::leading_call(t).and_then(|call| call_marker(&call))
}

/// The marker of a shortcode call that carries a version.
fn call_marker(call: &shortcode::Call) -> Option<(Marker, String)> {
    let (_, marker) = VERSION_SHORTCODES.iter().find(|(n, _)| *n == call.name)?;
    let v = call.params.get("v").filter(|v| is_version(v))?;
    Some((*marker, v.clone()))
}

/// The versions of every version shortcode in `text` (bodies included); a text whose
/// shortcodes do not parse names none.
pub fn shortcode_versions(text: &str) -> Vec<String> {
    if !text.contains("{{") {
        return Vec::new();
    }
    let Ok(segments) = shortcode::parse(text) else {
        return Vec::new();
    };
    shortcode::calls(&segments)
        .filter_map(|call| Some(call_marker(call)?.1))
        .collect()
}

/// Values introduced by inline "Added in" markers in a description: for each line (or
/// list item) that holds `[Added in `vX.Y`]`, the first code span after the marker.
pub fn inline_added_values(description: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in description.lines() {
        let Some(at) = line.find("[Added in `v") else {
            continue;
        };
        let rest = &line[at + "[Added in `v".len()..];
        let Some(version) = rest.split('`').next().filter(|v| is_version(v)) else {
            continue;
        };
        let after = rest.split_once("]").map_or("", |(_, a)| a);
        let mut spans = after.split('`');
        if let (Some(_), Some(value)) = (spans.next(), spans.next()) {
            if !value.is_empty() {
                out.insert(value.to_string(), version.to_string());
            }
        }
    }
    out
}

/// Versions an enum's values were added in, from the structured form.
pub fn structured_enum_versions(schema: &Node) -> BTreeMap<String, String> {
    schema
        .get(ENUM_ADDED)
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.clone(), e.value.as_str()?.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_markers() {
        assert_eq!(
            leading_marker("**[Added in `v1.19`]** `m.x`: y"),
            Some((Marker::Added, "1.19".into()))
        );
        assert_eq!(
            leading_marker("{{% added-in v=\"1.4\" %}} Guests"),
            Some((Marker::Added, "1.4".into()))
        );
        assert_eq!(
            leading_marker("{{% changed-in v=\"1.10\" %}}"),
            Some((Marker::Changed, "1.10".into()))
        );
        assert_eq!(leading_marker("Some text **[Added in `v1.19`]**"), None);
    }

    #[test]
    fn inline_values() {
        let d = "* `m.no_olm`: x\n* **[Added in `v1.19`]** `m.history_not_shared`: when used as part of a\n  [`RoomKeyBundle`](/x)";
        let found = inline_added_values(d);
        assert_eq!(
            found.get("m.history_not_shared").map(String::as_str),
            Some("1.19")
        );
        assert_eq!(found.len(), 1);
    }
}
