//! `mxspec.toml`: a project's settings, each overridable on the command line.
//!
//! ```toml
//! title = "Matrix Specification"   # the site's name (default: the title of content/_index.md)
//! base_url = "/v1.19"              # prefix of site-absolute links (--base-url)
//! spec_version = "1.19"            # the version being built (--spec-version)
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::content::front_matter::line_col;
use crate::diagnostics::{Diagnostic, Severity};

/// The name of the settings file in the project root.
pub const CONFIG_FILE: &str = "mxspec.toml";

/// A project's settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name.
    pub title: Option<String>,
    /// Prefix of every site-absolute link.
    pub base_url: Option<String>,
    /// The version being built.
    pub spec_version: Option<String>,
}

/// Reads `<root>/mxspec.toml`; absent is the default.
pub fn load(root: &Path) -> Result<Config, Box<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(Box::new(Diagnostic::in_file(
                Severity::Error,
                "io",
                CONFIG_FILE,
                0,
                0,
                e.to_string(),
            )))
        }
    };
    let config: Config = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
        Box::new(Diagnostic::in_file(
            Severity::Error,
            "config",
            CONFIG_FILE,
            line,
            column,
            e.message().to_string(),
        ))
    })?;
    if let Some(v) = &config.spec_version {
        if !crate::check::annotations::is_version(v) {
            let (line, column) = text
                .find("spec_version")
                .map(|i| line_col(&text, i))
                .unwrap_or((0, 0));
            let msg = format!("spec_version must be a version like \"1.19\", not `{v}`");
            return Err(Box::new(Diagnostic::in_file(
                Severity::Error,
                "config",
                CONFIG_FILE,
                line,
                column,
                msg,
            )));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), Config::default());
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"T\"\nspec_version = \"1.19\"\n",
        )
        .unwrap();
        let c = load(dir.path()).unwrap();
        assert_eq!(c.title.as_deref(), Some("T"));
        std::fs::write(dir.path().join(CONFIG_FILE), "title = \"T\"\nbogus = 1\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert_eq!((e.code, e.line), ("config", 2));
    }
}
