//! Levels: what a project or a run says of a warning code: `allow` it (not reported),
//! `warn` (the default) or `deny` it (an error). Errors stay errors, as rustc's lints
//! work: a level can quiet or harden a warning, never hide a problem.

use std::collections::BTreeMap;

use super::{Code, Diagnostic, Severity};

/// What to do with a warning code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error (fails the run).
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// The levels of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    by_code: BTreeMap<Code, Level>,
    /// Every warning not given a level of its own is an error (`--deny-warnings`).
    pub deny_warnings: bool,
}

impl Levels {
    /// Sets the level of a code; `Err` says why it cannot be set.
    pub fn set(&mut self, code: &str, level: &str) -> Result<(), String> {
        let Some(found) = Code::parse(code) else {
            let hint = crate::suggest::hint(code, Code::ALL.iter().map(|c| c.as_str()));
            return Err(format!("`{code}` is not a diagnostic code{hint}"));
        };
        let Some(level) = Level::parse(level) else {
            return Err(format!(
                "`{level}` is not a level: write allow, warn or deny"
            ));
        };
        if !found.is_warning() && level != Level::Deny {
            return Err(format!(
                "`{code}` is an error: only warnings can be allowed or warned"
            ));
        }
        self.by_code.insert(found, level);
        Ok(())
    }

    /// Takes the levels of `other` over these (the command line over the file).
    pub fn extend(&mut self, other: Levels) {
        self.by_code.extend(other.by_code);
        self.deny_warnings |= other.deny_warnings;
    }

    /// The diagnostics with the levels applied: allowed warnings dropped, denied ones
    /// made errors.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if d.severity == Severity::Warning {
                    // `--deny-warnings` makes every warning an error: only `allow` still
                    // quiets one (as rustc's `-D warnings` with `-A`).
                    let level = match self.by_code.get(&d.code).copied() {
                        Some(Level::Allow) => Level::Allow,
                        _ if self.deny_warnings => Level::Deny,
                        Some(level) => level,
                        None => Level::Warn,
                    };
                    match level {
                        Level::Allow => return None,
                        Level::Deny => d.severity = Severity::Error,
                        Level::Warn => {}
                    }
                }
                Some(d)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(code: Code) -> Diagnostic {
        Diagnostic::in_file(Severity::Warning, code, "f", 0, 0, "m")
    }

    #[test]
    fn warnings_are_allowed_or_denied_errors_stay() {
        let mut levels = Levels::default();
        levels.set("schema-no-example", "allow").unwrap();
        levels.set("link-outside-site", "deny").unwrap();
        assert!(levels
            .set("example-invalid", "allow")
            .unwrap_err()
            .contains("is an error"));
        assert!(levels
            .set("broken-lnk", "deny")
            .unwrap_err()
            .contains("did you mean `broken-link`"));
        assert!(levels.set("io", "loud").is_err());
        let out = levels.apply(vec![
            warning(Code::SchemaNoExample),
            warning(Code::LinkOutsideSite),
            warning(Code::UnknownShortcode),
        ]);
        let got: Vec<_> = out.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            got,
            [
                (Code::LinkOutsideSite, Severity::Error),
                (Code::UnknownShortcode, Severity::Warning)
            ]
        );
        levels.deny_warnings = true;
        levels.set("unknown-shortcode", "warn").unwrap();
        let out = levels.apply(vec![warning(Code::UnknownShortcode)]);
        assert_eq!(
            out[0].severity,
            Severity::Error,
            "warn does not escape --deny-warnings"
        );
    }
}
