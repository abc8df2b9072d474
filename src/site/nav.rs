//! The sidebar: the pages of the content tree, each under its section, ordered as Hugo
//! orders pages: by `weight`, then newest `date` first (undated last), then title. A
//! section's own pages, in that order, are also what a section page can list (the
//! changelog index lists the releases, newest first, the unreleased changes on top).

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

/// One page of a section, for the section page's list of its pages.
#[derive(Debug, Clone, Serialize)]
pub struct ChildItem {
    /// Its title (or URL when untitled).
    pub title: String,
    /// Its `linkTitle`, else its title.
    pub link_title: String,
    /// Its URL.
    pub url: String,
    /// Its `date`, as written.
    pub date: Option<String>,
}

/// The pages directly below each section, by the section's URL, in sidebar order.
pub fn children(content: &Content) -> std::collections::HashMap<String, Vec<ChildItem>> {
    let pages: Vec<&Page> = content.rendered().collect();
    let mut out: std::collections::HashMap<String, Vec<ChildItem>> = Default::default();
    for section in pages.iter().filter(|p| p.section) {
        let items = ordered_children(&pages, &section.url)
            .into_iter()
            .map(|p| {
                let title = p.front.title.clone().unwrap_or_else(|| p.url.clone());
                let param = |key: &str| p.front.params.get(key).and_then(|v| v.as_str());
                ChildItem {
                    link_title: param("linkTitle").map_or_else(|| title.clone(), str::to_string),
                    title,
                    url: p.url.clone(),
                    date: param("date").map(str::to_string),
                }
            })
            .collect();
        out.insert(section.url.clone(), items);
    }
    out
}

/// The pages whose parent is `parent`, in sidebar order.
fn ordered_children<'p>(pages: &[&'p Page], parent: &str) -> Vec<&'p Page> {
    let mut children: Vec<&Page> = pages
        .iter()
        .copied()
        .filter(|p| parent_url(&p.url).as_deref() == Some(parent))
        .collect();
    children.sort_by_cached_key(|p| {
        let date = p.front.params.get("date").and_then(|v| v.as_str());
        let title = p.front.title.clone().unwrap_or_default();
        (
            p.front.weight,
            std::cmp::Reverse(date.map(str::to_string)),
            title,
        )
    });
    children
}

fn add_children(pages: &[&Page], parent: &str, depth: usize, out: &mut Vec<NavItem>) {
    for child in ordered_children(pages, parent) {
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
