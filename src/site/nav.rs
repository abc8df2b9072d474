//! The sidebar: the pages of the content tree, each under its section, ordered by
//! `weight` then title.

use serde::Serialize;

use crate::content::{Content, Page};

/// One entry of the sidebar.
#[derive(Debug, Serialize)]
pub struct NavItem {
    /// Its title (or URL when untitled).
    pub title: String,
    /// Its URL.
    pub url: String,
    /// 0 for top-level pages.
    pub depth: usize,
}

/// The sidebar of a site, in display order.
pub fn items(content: &Content) -> Vec<NavItem> {
    let pages: Vec<&Page> = content.rendered().collect();
    let mut out = Vec::new();
    add_children(&pages, "/", 0, &mut out);
    out
}

fn parent_url(url: &str) -> Option<String> {
    if url == "/" {
        return None;
    }
    let trimmed = url.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    Some(format!("{}/", &trimmed[..cut]))
}

fn add_children(pages: &[&Page], parent: &str, depth: usize, out: &mut Vec<NavItem>) {
    let mut children: Vec<&&Page> = pages
        .iter()
        .filter(|p| parent_url(&p.url).as_deref() == Some(parent))
        .collect();
    children.sort_by(|a, b| {
        let ta = a.front.title.clone().unwrap_or_default();
        let tb = b.front.title.clone().unwrap_or_default();
        (a.front.weight, ta).cmp(&(b.front.weight, tb))
    });
    for child in children {
        out.push(NavItem {
            title: child
                .front
                .title
                .clone()
                .unwrap_or_else(|| child.url.clone()),
            url: child.url.clone(),
            depth,
        });
        add_children(pages, &child.url, depth + 1, out);
    }
}
