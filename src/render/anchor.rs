//! Anchors: Hugo's `anchorize`, and the set of ids of one page.

use std::collections::{HashMap, HashSet};

/// Hugo's `anchorize`: lower case; letters, digits, `-` and `_` kept; spaces become `-`;
/// every other character dropped. `m.room_key.withheld` -> `mroom_keywithheld`.
pub fn anchorize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The ids used on one page; hands out unique heading ids as Hugo does (`x`, `x-1`, `x-2`).
#[derive(Debug, Default, Clone)]
pub struct IdSet {
    used: HashSet<String>,
    /// For each base that was taken, the next suffix to try: repeats cost no rescan, so
    /// n equal headings take linear time.
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
    /// A unique id based on `base`: `base` itself when free, else `base-1`, `base-2`, ...
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Every id of the page.
    pub fn into_set(self) -> HashSet<String> {
        self.used
    }

    /// Records an id chosen elsewhere (a table or section id); false when already used.
    pub fn claim(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchorize_like_hugo() {
        assert_eq!(anchorize("m.room_key.withheld"), "mroom_keywithheld");
        assert_eq!(
            anchorize("Reporting that decryption keys are withheld"),
            "reporting-that-decryption-keys-are-withheld"
        );
        assert_eq!(anchorize("API Standards"), "api-standards");
        assert_eq!(
            anchorize("`m.room.message` msgtypes"),
            "mroommessage-msgtypes"
        );
        assert_eq!(anchorize("OAuth 2.0 API"), "oauth-20-api");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-1");
        assert_eq!(ids.unique("a"), "a-2");
        assert!(!ids.claim("a-1"));
        assert!(ids.claim("b"));
    }
}
