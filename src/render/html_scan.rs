//! Reading and rewriting rendered HTML with lol_html: the ids and links of a fragment, and
//! the final pass over a page (base URL prefix, `javascript:` links dropped).

use std::cell::RefCell;

use lol_html::html_content::Element;
use lol_html::{element, rewrite_str, RewriteStrSettings};

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
    let settings = RewriteStrSettings::new()
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
    // A malformed fragment still yields what was read before the fault.
    let _ = rewrite_str(html, settings);
    Found {
        ids: ids.into_inner(),
        hrefs: hrefs.into_inner(),
    }
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

/// The final pass over a page: site-absolute links (`/x/`) get the base URL, and URLs that
/// run script are removed. Templates and content write site-absolute links without the
/// base URL; this is the one place it is added. Values are read as a browser reads them,
/// so `&#106;avascript:` is script too.
pub fn finish_page(html: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let rewrite = |el: &mut Element, attr: &str| {
        if let Some(raw) = el.get_attribute(attr) {
            let value = decoded(&raw);
            if is_script_url(&value) {
                el.remove_attribute(attr);
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
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
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
    fn prefixes_site_links_and_drops_script() {
        let html = "<a href=\"/x/#y\">a</a><a href=\"#z\">b</a><a href=\"https://e.org/\">c</a><a href=\"JavaScript:alert(1)\">d</a><link href=\"/mxspec.css\">";
        let out = finish_page(html, "/v1.19");
        let sneaky = finish_page("<a href=\"&#106;avascript:x\">a</a><button formaction=\"javascript:y\">b</button><a href=\"&#x2F;p&#x2F;\">c</a>", "/v");
        assert!(!sneaky.contains("avascript"), "{sneaky}");
        assert!(sneaky.contains("href=\"/v/p/\""), "{sneaky}");
        assert!(out.contains("href=\"/v1.19/x/#y\""));
        assert!(out.contains("href=\"#z\""));
        assert!(out.contains("href=\"https://e.org/\""));
        assert!(!out.to_lowercase().contains("javascript"));
        assert!(out.contains("href=\"/v1.19/mxspec.css\""), "{out}");
    }
}
