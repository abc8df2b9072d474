//! Settings: the one place where `mxspec.toml`, the environment and the command line's
//! flags are merged, for every command. A flag wins over the environment, which wins over
//! the file.
//!
//! ```toml
//! title = "Matrix Specification"   # the site's name (default: the title of content/_index.md)
//! base_url = "/v1.19"              # prefix of site-absolute links (--base-url, MXSPEC_BASE_URL)
//! spec_version = "1.19"            # the version being built (--spec-version, MXSPEC_SPEC_VERSION)
//! relative_urls = true             # links that work opened from disk (--relative-urls)
//! repository = "https://github.com/matrix-org/matrix-spec"  # release pages link to its tree
//!
//! [diagnostics]                    # levels of warning codes (-W CODE=LEVEL, --deny-warnings)
//! link-outside-site = "deny"
//! schema-no-example = "allow"
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, Levels, Severity};
use crate::source::{line_col, read_bounded};
use crate::version::{is_version, parse_version_arg};

/// The name of the settings file in the project root.
pub const CONFIG_FILE: &str = "mxspec.toml";

/// The environment variables read, with the setting each one gives.
pub const ENV_BASE_URL: &str = "MXSPEC_BASE_URL";
/// See [`ENV_BASE_URL`].
pub const ENV_SPEC_VERSION: &str = "MXSPEC_SPEC_VERSION";

/// What `mxspec.toml` says.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name.
    pub title: Option<String>,
    /// Prefix of every site-absolute link.
    pub base_url: Option<String>,
    /// The version being built, with where its value is written.
    pub spec_version: Option<toml::Spanned<String>>,
    /// `[diagnostics]`: a level (`allow`, `warn`, `deny`) for warning codes.
    pub diagnostics: Option<std::collections::BTreeMap<String, toml::Spanned<String>>>,
    /// Write links that work when the site is opened from disk.
    pub relative_urls: Option<bool>,
    /// The project's repository on the web: a release's page links to its tree there.
    pub repository: Option<toml::Spanned<String>>,
}

/// What the command line says (each `None` when the flag is not given).
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--spec-version`.
    pub spec_version: Option<String>,
    /// `--as-of`.
    pub as_of: Option<String>,
    /// `-W CODE=LEVEL`, in order.
    pub levels: Vec<String>,
    /// `--deny-warnings`.
    pub deny_warnings: bool,
    /// `--relative-urls`.
    pub relative_urls: bool,
}

/// The merged settings of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The site's name.
    pub title: Option<String>,
    /// Prefix of every site-absolute link, normalised (`/v1.19`; empty for `/`).
    pub base_url: String,
    /// The version being built.
    pub spec_version: Option<String>,
    /// Build the spec as it was at this version.
    pub as_of: Option<String>,
    /// The levels of warning codes (`[diagnostics]`, then `-W` and `--deny-warnings`).
    pub levels: Levels,
    /// Links relative to each page, so the site works opened from disk.
    pub relative_urls: bool,
    /// The project's repository on the web (`https://github.com/o/r`), no trailing `/`.
    pub repository: Option<String>,
}

/// Why the settings cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// `mxspec.toml` is wrong: a diagnostic at its line (exit 1).
    #[error("{}", .0.message)]
    Config(Box<Diagnostic>),
    /// A flag or an environment variable is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
}

impl Settings {
    /// Merges `<root>/mxspec.toml`, the process environment and `flags`.
    pub fn resolve(root: &Path, flags: Flags) -> Result<Settings, SettingsError> {
        Settings::resolve_with(root, flags, |name| std::env::var(name).ok())
    }

    /// Like [`Settings::resolve`], with the environment given as a lookup.
    pub fn resolve_with(
        root: &Path,
        flags: Flags,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, SettingsError> {
        let (config, mut levels) = load(root).map_err(SettingsError::Config)?;
        for item in &flags.levels {
            let (code, level) = item.split_once('=').ok_or_else(|| {
                SettingsError::Usage(format!("-W takes CODE=allow|warn|deny, not `{item}`"))
            })?;
            levels
                .set(code, level)
                .map_err(|e| SettingsError::Usage(format!("-W {item}: {e}")))?;
        }
        levels.deny_warnings |= flags.deny_warnings;
        let version = |from: &str, value: String| {
            parse_version_arg(&value).ok_or_else(|| {
                SettingsError::Usage(format!("{from} takes a version like 1.19, not `{value}`"))
            })
        };
        let spec_version = match (flags.spec_version, env(ENV_SPEC_VERSION)) {
            (Some(v), _) => Some(version("--spec-version", v)?),
            (None, Some(v)) if !v.is_empty() => Some(version(ENV_SPEC_VERSION, v)?),
            _ => config.spec_version.map(toml::Spanned::into_inner),
        };
        let as_of = flags.as_of.map(|v| version("--as-of", v)).transpose()?;
        let base_url = flags
            .base_url
            .or_else(|| env(ENV_BASE_URL).filter(|v| !v.is_empty()))
            .or(config.base_url)
            .unwrap_or_default();
        Ok(Settings {
            title: config.title,
            base_url: normalise_base(&base_url),
            spec_version,
            as_of,
            levels,
            relative_urls: flags.relative_urls || config.relative_urls.unwrap_or(false),
            repository: config
                .repository
                .map(|r| r.into_inner().trim_end_matches('/').to_string()),
        })
    }
}

/// `v1.19/`, `/v1.19/` and `/v1.19` all mean `/v1.19`; `/` and `` mean no prefix.
pub fn normalise_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

/// Reads `<root>/mxspec.toml` (absent is the default) and the levels it gives.
pub fn load(root: &Path) -> Result<(Config, Levels), Box<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    if !path.exists() {
        return Ok((Config::default(), Levels::default()));
    }
    let fail = |code, (line, column), message: String| {
        Box::new(Diagnostic::in_file(
            Severity::Error,
            code,
            CONFIG_FILE,
            line,
            column,
            message,
        ))
    };
    let text = read_bounded(&path).map_err(|e| {
        fail(
            Code::from(&e),
            e.position().unwrap_or((0, 0)),
            e.to_string(),
        )
    })?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let at = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
        fail(Code::Config, at, e.message().to_string())
    })?;
    if let Some(v) = &config.spec_version {
        if !is_version(v.get_ref()) {
            // At the key: the last `spec_version` before the value.
            let value_at = v.span().start;
            let key_at = text[..value_at].rfind("spec_version").unwrap_or(value_at);
            let at = line_col(&text, key_at);
            let msg = format!(
                "spec_version must be a version like \"1.19\", not `{}`",
                v.get_ref()
            );
            return Err(fail(Code::Config, at, msg));
        }
    }
    if let Some(r) = &config.repository {
        let web = ["https://", "http://"]
            .iter()
            .any(|s| r.get_ref().starts_with(s));
        if !web || r.get_ref().contains(char::is_whitespace) {
            let at = line_col(&text, r.span().start);
            let msg = format!(
                "repository must be a web address such as \"https://github.com/matrix-org/matrix-spec\", not `{}`",
                r.get_ref()
            );
            return Err(fail(Code::Config, at, msg));
        }
    }
    let mut levels = Levels::default();
    for (code, level) in config.diagnostics.iter().flatten() {
        if let Err(message) = levels.set(code, level.get_ref()) {
            let at = line_col(&text, level.span().start);
            return Err(fail(Code::Config, at, format!("[diagnostics] {message}")));
        }
    }
    Ok((config, levels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap().0, Config::default());
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"T\"\nspec_version = \"1.19\"\n",
        )
        .unwrap();
        let (c, _) = load(dir.path()).unwrap();
        assert_eq!(c.title.as_deref(), Some("T"));
        std::fs::write(dir.path().join(CONFIG_FILE), "title = \"T\"\nbogus = 1\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert_eq!((e.code, e.line), (Code::Config, 2));
    }

    #[test]
    fn the_repository_is_a_web_address() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join(CONFIG_FILE);
        std::fs::write(&config, "title = \"T\"\nrepository = \"javascript:x\"\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert_eq!((e.code, e.line), (Code::Config, 2));
        assert!(e.message.contains("web address"), "{}", e.message);
        std::fs::write(&config, "repository = \"https://github.com/o/r/\"\n").unwrap();
        let settings = Settings::resolve_with(dir.path(), Flags::default(), |_| None).unwrap();
        assert_eq!(
            settings.repository.as_deref(),
            Some("https://github.com/o/r")
        );
    }

    #[test]
    fn flags_win_over_the_environment_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "base_url = \"/file\"\nspec_version = \"1.1\"\n",
        )
        .unwrap();
        let none = |_: &str| None;
        let env = |name: &str| match name {
            ENV_BASE_URL => Some("env/".to_string()),
            ENV_SPEC_VERSION => Some("v1.2".to_string()),
            _ => None,
        };
        let s = Settings::resolve_with(dir.path(), Flags::default(), none).unwrap();
        assert_eq!(
            (s.base_url.as_str(), s.spec_version.as_deref()),
            ("/file", Some("1.1"))
        );
        let s = Settings::resolve_with(dir.path(), Flags::default(), env).unwrap();
        assert_eq!(
            (s.base_url.as_str(), s.spec_version.as_deref()),
            ("/env", Some("1.2"))
        );
        let flags = Flags {
            base_url: Some("/".into()),
            spec_version: Some("1.3".into()),
            as_of: Some("v1.0".into()),
            ..Flags::default()
        };
        let s = Settings::resolve_with(dir.path(), flags, env).unwrap();
        assert_eq!(
            (
                s.base_url.as_str(),
                s.spec_version.as_deref(),
                s.as_of.as_deref()
            ),
            ("", Some("1.3"), Some("1.0"))
        );
        let bad = Flags {
            as_of: Some("x".into()),
            ..Flags::default()
        };
        assert!(matches!(
            Settings::resolve_with(dir.path(), bad, none),
            Err(SettingsError::Usage(_))
        ));
    }
}
