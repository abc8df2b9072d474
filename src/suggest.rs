//! "Did you mean …?": the known name nearest to a word that is not one, when one is near
//! enough to be a typo (Jaro-Winkler similarity, from `strsim`).

/// The candidate nearest to `word`, if it is close enough to suggest.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let score = strsim::jaro_winkler(word, candidate);
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((candidate, score));
        }
    }
    best.filter(|(_, score)| *score >= 0.85).map(|(c, _)| c)
}

/// `"; did you mean `x`?"`, or nothing.
pub fn hint<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    nearest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_far_ones_not() {
        let values = ["m.unverified", "m.verified", "m.blocked"];
        assert_eq!(nearest("m.unverifed", values), Some("m.unverified"));
        assert_eq!(
            nearest("m.room.membr", ["m.room.member", "m.room.name"]),
            Some("m.room.member")
        );
        assert_eq!(
            nearest("boxes/nte", ["boxes/note", "event"]),
            Some("boxes/note")
        );
        assert_eq!(nearest("zzz", values), None);
        assert_eq!(hint("evnt", ["event"]), "; did you mean `event`?");
        assert_eq!(hint("x", ["event"]), "");
    }
}
