//! The link check: every internal link of the site leads to a page that exists and to an
//! id on it.
//!
//! `#x`, `/page/#x` and relative links are checked. A missing anchor on a page of the site
//! is an error at the link; a link to a page outside the site is a warning, and so is a
//! missing anchor on a page that holds an unknown shortcode (its content is absent).

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::render::PageLink;

/// What the link check knows of one rendered page.
pub struct LinkTarget {
    /// Every id on the page.
    pub ids: HashSet<String>,
    /// Whether part of the page is absent (a shortcode that could not be rendered).
    pub incomplete: bool,
    /// With `--as-of`, the ids a later version added to the page.
    pub later: HashSet<String>,
}

/// The page a link to `url` (no page) likely meant: the one page whose last segment is
/// the link's (a relative link written from the wrong folder), else the page of as many
/// segments whose URL is nearest (a typo).
fn near_page<'p>(url: &str, pages: impl Iterator<Item = &'p str>) -> Option<&'p str> {
    let segments = |u: &str| u.split('/').filter(|s| !s.is_empty()).count();
    let pages: Vec<&str> = pages.collect();
    let name = last(url);
    let mut same_name = pages.iter().filter(|p| !name.is_empty() && last(p) == name);
    if let (Some(only), None) = (same_name.next(), same_name.next()) {
        return Some(only);
    }
    let depth = segments(url);
    crate::suggest::nearest(url, pages.into_iter().filter(|p| segments(p) == depth))
}

/// The last segment of a URL path (`b` of `/a/b/`).
fn last(url: &str) -> &str {
    url.split('/').rfind(|s| !s.is_empty()).unwrap_or_default()
}

/// Checks `links` written on the page at `from_url` against the site's pages and its
/// other `files` (site paths such as `api/client-server.json`).
pub fn check_links(
    from_url: &str,
    links: &[PageLink],
    pages: &HashMap<String, LinkTarget>,
    files: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in links {
        let Some((url, fragment)) = resolve(from_url, &link.href) else {
            continue;
        };
        // A file of the site that is no page (`/api/client-server.json`), named as a file.
        let as_file = !link
            .href
            .split(['#', '?'])
            .next()
            .unwrap_or("")
            .ends_with('/');
        if as_file && files.contains(url.trim_matches('/')) {
            continue;
        }
        match pages.get(&url) {
            Some(target) => {
                if !fragment.is_empty() && target.later.contains(&fragment) {
                    out.push(at(
                        Severity::Warning,
                        Code::LinkToLater,
                        link,
                        format!(
                            "link `{}` leads to `{fragment}`, which a later version added (left out by --as-of); the text holding the link may need an \"Added in\" marker",
                            link.href
                        ),
                    ));
                } else if !fragment.is_empty() && !target.ids.contains(&fragment) {
                    let severity = if target.incomplete {
                        Severity::Warning
                    } else {
                        Severity::Error
                    };
                    let where_ = if url == from_url {
                        "this page".to_string()
                    } else {
                        url.clone()
                    };
                    let mut message = format!(
                        "broken link `{}`: {where_} has no id `{fragment}`",
                        link.href
                    );
                    if target.incomplete {
                        message.push_str(
                            " (part of that page is absent: it holds a shortcode mxspec could not render)",
                        );
                    } else {
                        let ids = target.ids.iter().map(String::as_str);
                        message.push_str(&crate::suggest::hint(&fragment, ids));
                    }
                    out.push(at(severity, Code::BrokenLink, link, message));
                }
            }
            None => {
                let hint =
                    crate::suggest::did_you_mean(near_page(&url, pages.keys().map(String::as_str)));
                out.push(at(
                    Severity::Warning,
                    Code::LinkOutsideSite,
                    link,
                    format!(
                        "link `{}` leads to {url}, which is not a page of this site{hint}",
                        link.href
                    ),
                ))
            }
        }
    }
    out
}

fn at(severity: Severity, code: Code, link: &PageLink, message: String) -> Diagnostic {
    Diagnostic::in_file(
        severity,
        code,
        link.file.clone(),
        link.line,
        link.column,
        message,
    )
}

/// The page URL and fragment a link leads to; `None` for links that leave the site
/// (a scheme such as `https:` or `mailto:`, or `//host`).
pub fn resolve(from_url: &str, href: &str) -> Option<(String, String)> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split('?').next().unwrap_or("");
    let fragment = percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned();
    let url = if path.is_empty() {
        from_url.to_string()
    } else if path.starts_with('/') {
        normalise(path)
    } else {
        normalise(&format!("{from_url}{path}"))
    };
    Some((url, fragment))
}

fn has_scheme(href: &str) -> bool {
    href.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !scheme.contains('/')
    })
}

/// `/a/./b/../c` -> `/a/c/`; `index.html` dropped; always a trailing slash.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." | "index.html" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_a_browser() {
        assert_eq!(resolve("/a/", "#x"), Some(("/a/".into(), "x".into())));
        assert_eq!(resolve("/a/", "/b/#y"), Some(("/b/".into(), "y".into())));
        assert_eq!(resolve("/a/", "/b#y"), Some(("/b/".into(), "y".into())));
        assert_eq!(resolve("/a/b/", "../c/"), Some(("/a/c/".into(), "".into())));
        assert_eq!(
            resolve("/a/", "c/index.html#z%20w"),
            Some(("/a/c/".into(), "z w".into()))
        );
        assert_eq!(resolve("/a/", "https://e.org/#x"), None);
        assert_eq!(resolve("/a/", "mailto:x@y"), None);
        assert_eq!(resolve("/a/", "//cdn.example/x"), None);
    }
}
