//! Reading and rewriting rendered HTML with lol_html: the ids and links of a fragment, and
//! the final pass over a page (base URL prefix, `javascript:` links dropped).

use std::cell::RefCell;

use lol_html::html_content::{Element, EndTag};
use lol_html::{element, rewrite_str, HandlerResult, HtmlRewriter, RewriteStrSettings, Settings};

use super::markdown::is_script_url;

/// The ids and link destinations found in an HTML fragment.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    /// Every `id` attribute, in order.
    pub ids: Vec<String>,
    /// Every `href` of an `<a>` or `<area>`, in order.
    pub hrefs: Vec<String>,
}

/// Collects the ids and links of `html`.
pub fn scan(html: &str) -> Found {
    let ids = RefCell::new(Vec::new());
    let hrefs = RefCell::new(Vec::new());
    // Read on past markup that browsers may read in more than one way (`<xmp>` in a
    // `<select>`), as lol_html guesses it: these are only the ids and links the link check
    // uses, and the page's final pass, strict, refuses such a page.
    let settings = Settings::new()
        .with_strict(false)
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                ids.borrow_mut().push(decoded(&id));
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href], area[href]", |el| {
            if let Some(href) = el.get_attribute("href") {
                hrefs.borrow_mut().push(decoded(&href));
            }
            Ok(())
        }));
    // Only read: what the rewriter writes goes nowhere, not into a copy of the fragment
    // (6% less time on a 278 KB page). A fragment it fails on yields what came before.
    let mut reader = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = reader.write(html.as_bytes()).and_then(|()| reader.end());
    Found {
        ids: ids.into_inner(),
        hrefs: hrefs.into_inner(),
    }
}

/// Runs `then` at the end tag of `el`, or now when it has none (`<style/>` in `<svg>`):
/// never an error, since this pass may be the page's final one.
pub fn on_end(el: &mut Element, then: impl FnOnce() + 'static) -> HandlerResult {
    if !el.can_have_content() {
        then();
        return Ok(());
    }
    let handler: Box<dyn FnOnce(&mut EndTag) -> HandlerResult> = Box::new(move |_| {
        then();
        Ok(())
    });
    // (It has an end tag: `can_have_content` said so.)
    let _ = el.on_end_tag(handler);
    Ok(())
}

/// Attributes that hold a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
];

/// An attribute value as the browser reads it (character references decoded).
fn decoded(value: &str) -> String {
    html_escape::decode_html_entities(value).into_owned()
}

/// How site-absolute links (`/x/`) are written in the finished page.
#[derive(Clone, Copy, Debug)]
pub enum LinkStyle<'a> {
    /// Prefixed with the base URL (`/v1.19/x/`).
    Base(&'a str),
    /// Relative to the page at this URL path, with `index.html` spelled out, so the site
    /// works opened from disk (`../x/index.html`).
    RelativeTo(&'a str),
}

/// A site-absolute link written relative to the page at `page` (a URL path like `/a/b/`).
fn relative(value: &str, page: &str) -> String {
    let depth = page
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    let split = value.find(['#', '?']).unwrap_or(value.len());
    let (path, rest) = value.split_at(split);
    let path = path.trim_start_matches('/');
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    format!("{}{file}{rest}", "../".repeat(depth))
}

/// The final pass over a page: site-absolute links (`/x/`) get the base URL (or are made
/// relative), and URLs that run script are removed. Templates and content write
/// site-absolute links without the base URL; this is the one place it is added. Values
/// are read as a browser reads them, so `&#106;avascript:` is script too.
///
/// A page the HTML parser cannot read without guessing (raw HTML such as `<xmp>` in a
/// `<select>`, which browsers read in more than one way) is refused with the parser's
/// words: its links could not be checked for script, so it is never published as it is.
pub fn finish_page(html: &str, links: LinkStyle) -> Result<String, String> {
    finish(html, links, |settings| settings).map_err(|e| e.to_string())
}

/// [`finish_page`], in a pass that also runs the handlers `more` adds (reading the page
/// for search: one pass over the page, not two). Should that pass fail, the page is
/// finished again without them.
pub fn finish_page_with(
    html: &str,
    links: LinkStyle,
    more: impl for<'h> FnOnce(RewriteStrSettings<'h, 'static>) -> RewriteStrSettings<'h, 'static>,
) -> Result<String, String> {
    finish(html, links, more).or_else(|_| finish_page(html, links))
}

/// The tag an error of [`finish_page`] names (`xmp` of "... (`<xmp>`) ..."), to find it
/// in the page's source.
pub fn ambiguous_tag(error: &str) -> Option<&str> {
    let start = error.find("`<")? + 2;
    let len = error[start..].find(">`")?;
    Some(&error[start..start + len]).filter(|t| !t.is_empty())
}

/// The final pass with the handlers `more` adds.
fn finish(
    html: &str,
    links: LinkStyle,
    more: impl for<'h> FnOnce(RewriteStrSettings<'h, 'static>) -> RewriteStrSettings<'h, 'static>,
) -> Result<String, lol_html::errors::RewritingError> {
    let base = match links {
        LinkStyle::Base(base) => base.trim_end_matches('/'),
        LinkStyle::RelativeTo(_) => "",
    };
    let rewrite = |el: &mut Element, attr: &str| {
        if let Some(raw) = el.get_attribute(attr) {
            let value = decoded(&raw);
            if is_script_url(&value) {
                el.remove_attribute(attr);
            } else if let LinkStyle::RelativeTo(page) = links {
                if value.starts_with('/') && !value.starts_with("//") && attr != "data" {
                    let _ = el.set_attribute(attr, &relative(&value, page));
                }
            } else if !base.is_empty()
                && value.starts_with('/')
                && !value.starts_with("//")
                && attr != "data"
            {
                let _ = el.set_attribute(attr, &format!("{base}{value}"));
            }
        }
    };
    let mut settings = RewriteStrSettings::new();
    for attr in URL_ATTRIBUTES {
        let selector = format!("[{attr}]");
        settings = settings.append_element_content_handler(element!(selector, move |el| {
            rewrite(el, attr);
            Ok(())
        }));
    }
    rewrite_str(html, more(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_and_links() {
        let f = scan("<h2 id=\"a\">x</h2><a href=\"#b\" id=c>y</a><img src=\"z\">");
        assert_eq!(f.ids, vec!["a", "c"]);
        assert_eq!(f.hrefs, vec!["#b"]);
    }

    #[test]
    fn a_fragment_read_in_more_than_one_way_is_read_on_past_it() {
        // (The page it lands on is refused by its final pass: `ambiguous-html`.) Its ids
        // and links after the ambiguous part, once it is closed, are still read, so that
        // links to them from other pages are not also reported broken.
        let html = "<h2 id=\"a\">x</h2><select><xmp>y</xmp></select><h3 id=\"c\"><a href=\"#b\">z</a></h3>";
        let f = scan(html);
        assert_eq!(f.ids, vec!["a", "c"]);
        assert_eq!(f.hrefs, vec!["#b"]);
    }

    #[test]
    fn relative_links_work_from_disk() {
        let html = "<a href=\"/x/#y\">a</a><a href=\"/\">b</a><link href=\"/mxspec.css\"><a href=\"#z\">c</a>";
        let out = finish_page(html, LinkStyle::RelativeTo("/a/b/")).unwrap();
        assert!(out.contains("href=\"../../x/index.html#y\""), "{out}");
        assert!(out.contains("href=\"../../index.html\""), "{out}");
        assert!(out.contains("href=\"../../mxspec.css\""), "{out}");
        assert!(out.contains("href=\"#z\""), "{out}");
        let home = finish_page("<a href=\"/x/\">a</a>", LinkStyle::RelativeTo("/")).unwrap();
        assert!(home.contains("href=\"x/index.html\""), "{home}");
    }

    #[test]
    fn prefixes_site_links_and_drops_script() {
        let html = "<a href=\"/x/#y\">a</a><a href=\"#z\">b</a><a href=\"https://e.org/\">c</a><a href=\"JavaScript:alert(1)\">d</a><link href=\"/mxspec.css\">";
        let out = finish_page(html, LinkStyle::Base("/v1.19")).unwrap();
        let sneaky = finish_page("<a href=\"&#106;avascript:x\">a</a><button formaction=\"javascript:y\">b</button><a href=\"&#x2F;p&#x2F;\">c</a>", LinkStyle::Base("/v")).unwrap();
        assert!(!sneaky.contains("avascript"), "{sneaky}");
        assert!(sneaky.contains("href=\"/v/p/\""), "{sneaky}");
        assert!(out.contains("href=\"/v1.19/x/#y\""));
        assert!(out.contains("href=\"#z\""));
        assert!(out.contains("href=\"https://e.org/\""));
        assert!(!out.to_lowercase().contains("javascript"));
        assert!(out.contains("href=\"/v1.19/mxspec.css\""), "{out}");
    }

    #[test]
    fn a_page_read_in_more_than_one_way_is_refused_naming_the_tag() {
        let html = "<select><xmp><a href=\"javascript:alert(1)\">x</a></xmp></select>";
        let error = finish_page(html, LinkStyle::Base("")).unwrap_err();
        assert_eq!(ambiguous_tag(&error), Some("xmp"), "{error}");
        let with = finish_page_with(html, LinkStyle::Base(""), |s| s).unwrap_err();
        assert_eq!(with, error);
    }
}
