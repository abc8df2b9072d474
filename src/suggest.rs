//! "Did you mean …?": the known name nearest to a word that is not one, when one is near
//! enough to be a typo (Jaro-Winkler similarity, from `strsim`).

/// The candidate nearest to `word`, if it is close enough to suggest; of two as near, the
/// first in byte order, so the answer does not depend on the candidates' order (a hash
/// set's).
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let score = strsim::jaro_winkler(word, candidate);
        let better = best.is_none_or(|(b, s)| score > s || (score == s && candidate < b));
        if better {
            best = Some((candidate, score));
        }
    }
    best.filter(|(_, score)| *score >= 0.85).map(|(c, _)| c)
}

/// `"; did you mean `x`?"`, or nothing.
pub fn hint<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    did_you_mean(nearest(word, candidates))
}

/// `"; did you mean `x`?"` for a suggestion made some other way, or nothing.
pub fn did_you_mean(suggestion: Option<impl std::fmt::Display>) -> String {
    suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_two_as_near_the_first_in_byte_order_is_named_whatever_their_order() {
        let word = "m.room.memberx";
        assert_eq!(
            nearest(word, ["m.room.memberb", "m.room.membera"]),
            Some("m.room.membera")
        );
        assert_eq!(
            nearest(word, ["m.room.membera", "m.room.memberb"]),
            Some("m.room.membera")
        );
    }

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
