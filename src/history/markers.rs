//! Version markers written in text: `**[Added in `v1.19`]**`, `**[Changed in `v1.19`]**`
//! in descriptions, and the `added-in` / `changed-in` shortcodes in content.

use std::collections::BTreeMap;

use crate::check::annotations::is_version;

/// Which annotation a marker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Added in the version.
    Added,
    /// Changed in the version.
    Changed,
}

/// The marker a text opens with, and its version: `**[Added in `v1.19`]** x` or
/// `{{% added-in v="1.19" %}} x`.
pub fn leading_marker(text: &str) -> Option<(Marker, String)> {
    let t = text.trim_start();
    for (marker, label, shortcode) in [
        (Marker::Added, "Added in", "added-in"),
        (Marker::Changed, "Changed in", "changed-in"),
    ] {
        if let Some(rest) = t.strip_prefix(&format!("**[{label} `v")) {
            let version = rest.split('`').next().unwrap_or("");
            if is_version(version) {
                return Some((marker, version.to_string()));
            }
        }
        for open in ["{{%", "{{<"] {
            if let Some(rest) = t.strip_prefix(open) {
                let rest = rest.trim_start();
                if let Some(params) = rest.strip_prefix(shortcode) {
                    let end = params.find("}}").unwrap_or(params.len());
                    if let Some(v) = params[..end]
                        .split("v=\"")
                        .nth(1)
                        .and_then(|v| v.split('"').next())
                    {
                        if is_version(v) {
                            return Some((marker, v.to_string()));
                        }
                    }
                }
            }
        }
    }
    None
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

/// Whether version `a` is later than version `b` (`1.10` is later than `1.9`).
pub fn later(a: &str, b: &str) -> bool {
    crate::render::describe::version_key(a) > crate::render::describe::version_key(b)
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

    #[test]
    fn version_order() {
        assert!(later("1.10", "1.9"));
        assert!(!later("1.18", "1.19"));
    }
}
