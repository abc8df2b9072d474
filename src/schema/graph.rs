//! The graph of `$ref`s between schema (and API) documents: every reference checked, cycles found.
//!
//! A *site* is a `$ref` written in a schema. Following a site leads to a subtree; the sites
//! inside that subtree are its successors. A cycle in this graph would make inline
//! expansion (which the renderer does, as upstream's tools do) endless, so it is reported
//! as an error at the `$ref` that closes it. The search is iterative: no input can
//! overflow the stack.

use std::collections::{BTreeSet, HashMap};

use super::refs::{resolve, RefError, RefTarget};
use super::registry::{DocKind, Registry};
use super::walk::each_schema;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{Node, Pos};

/// One `$ref` written in a schema.
#[derive(Debug)]
pub struct RefSite {
    /// Root-relative path of the document holding the reference.
    pub doc: String,
    /// Pointer tokens of the object that holds `$ref`.
    pub location: Vec<String>,
    /// Where the reference string is written.
    pub pos: Pos,
    /// The reference as written.
    pub reference: String,
    /// Where it leads, or why it cannot be followed.
    pub target: Result<RefTarget, RefError>,
}

/// Every `$ref` of every schema document, with the documents they make unusable.
#[derive(Debug, Default)]
pub struct RefGraph {
    /// All sites, grouped by document in registry order.
    pub sites: Vec<RefSite>,
    by_doc: HashMap<String, Vec<usize>>,
    /// Each distinct cycle as the list of its sites, in the order they are followed.
    pub cycles: Vec<Vec<usize>>,
}

impl RefGraph {
    /// Collects and resolves every `$ref` of the registry's schema documents.
    pub fn build(registry: &Registry) -> Self {
        let mut graph = RefGraph::default();
        // The `$ref`s of API documents too: they must resolve, and a change to what they
        // point to concerns them.
        let docs: Vec<&super::Document> = registry
            .docs()
            .filter(|d| matches!(d.kind, DocKind::Schema | DocKind::OpenApi))
            .collect();
        let per_doc = crate::pool::map(&docs, |_, doc| {
            let mut sites = Vec::new();
            collect(registry, &doc.rel, &doc.node, &mut sites);
            sites
        });
        graph.sites = per_doc.into_iter().flatten().collect();
        for (i, site) in graph.sites.iter().enumerate() {
            graph.by_doc.entry(site.doc.clone()).or_default().push(i);
        }
        graph.cycles = graph.find_cycles();
        graph
    }

    /// A diagnostic for every reference that cannot be followed and every cycle.
    pub fn diagnostics(&self, registry: &Registry) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for site in &self.sites {
            if let Err(e) = &site.target {
                if e.is_consequence() {
                    continue;
                }
                out.push(Diagnostic::error(
                    e.code(),
                    registry.sources(),
                    site.pos,
                    e.to_string(),
                ));
            }
        }
        for cycle in &self.cycles {
            let last = &self.sites[*cycle.last().unwrap_or(&0)];
            let first = &self.sites[*cycle.first().unwrap_or(&0)];
            let chain: Vec<String> = cycle
                .iter()
                .map(|&i| match &self.sites[i].target {
                    Ok(t) => t.display(),
                    Err(_) => self.sites[i].reference.clone(),
                })
                .collect();
            out.push(Diagnostic::error(
                Code::RefCycle,
                registry.sources(),
                last.pos,
                format!(
                    "reference cycle: {} -> {}; a schema that contains itself cannot be expanded",
                    first.doc,
                    chain.join(" -> ")
                ),
            ));
        }
        out
    }

    /// Documents that hold a broken reference or a cycle, or are in `also` (invalid
    /// schemas), directly or through the documents they refer to.
    pub fn unusable_docs(&self, also: impl IntoIterator<Item = String>) -> BTreeSet<String> {
        let broken = self
            .sites
            .iter()
            .filter(|s| s.target.is_err())
            .map(|s| s.doc.clone());
        let in_cycles = self
            .cycles
            .iter()
            .flatten()
            .map(|&i| self.sites[i].doc.clone());
        self.with_referrers(broken.chain(in_cycles).chain(also).collect())
    }

    /// Every document some `$ref` leads to (or into).
    pub fn referred_docs(&self) -> BTreeSet<String> {
        self.sites
            .iter()
            .filter_map(|s| s.target.as_ref().ok())
            .map(|t| t.rel.clone())
            .collect()
    }

    /// The documents that refer, directly or not, to the file `rel`, which could not be
    /// read or parsed.
    pub fn referrers_of_unreadable(&self, rel: &str) -> BTreeSet<String> {
        let direct = self
            .sites
            .iter()
            .filter(|s| matches!(&s.target, Err(RefError::Unreadable { rel: r, .. }) if r == rel))
            .map(|s| s.doc.clone())
            .collect();
        self.with_referrers(direct)
    }

    /// `docs` and every document that refers to one of them, directly or not.
    pub fn with_referrers(&self, mut docs: BTreeSet<String>) -> BTreeSet<String> {
        loop {
            let before = docs.len();
            for site in &self.sites {
                if let Ok(t) = &site.target {
                    if docs.contains(&t.rel) && !docs.contains(&site.doc) {
                        docs.insert(site.doc.clone());
                    }
                }
            }
            if docs.len() == before {
                return docs;
            }
        }
    }

    fn successors(&self, site: usize) -> impl Iterator<Item = usize> + '_ {
        let target = self.sites[site].target.as_ref().ok();
        target
            .and_then(|t| self.by_doc.get(&t.rel).map(|v| (t, v)))
            .into_iter()
            .flat_map(move |(t, candidates)| {
                candidates
                    .iter()
                    .copied()
                    .filter(move |&j| self.sites[j].location.starts_with(&t.tokens))
            })
    }

    fn find_cycles(&self) -> Vec<Vec<usize>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let mut mark = vec![Mark::New; self.sites.len()];
        let mut seen = BTreeSet::new();
        let mut cycles = Vec::new();
        for start in 0..self.sites.len() {
            if mark[start] != Mark::New {
                continue;
            }
            let mut stack: Vec<(usize, Vec<usize>)> =
                vec![(start, self.successors(start).collect())];
            mark[start] = Mark::Active;
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                match next.pop() {
                    Some(succ) if mark[succ] == Mark::New => {
                        mark[succ] = Mark::Active;
                        let succs = self.successors(succ).collect();
                        stack.push((succ, succs));
                    }
                    Some(succ) if mark[succ] == Mark::Active => {
                        let from = stack.iter().position(|(n, _)| *n == succ).unwrap_or(0);
                        let cycle: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        let key: BTreeSet<usize> = cycle.iter().copied().collect();
                        if seen.insert(key) {
                            cycles.push(cycle);
                        }
                    }
                    Some(_) => {}
                    None => {
                        mark[node] = Mark::Done;
                        stack.pop();
                    }
                }
            }
        }
        cycles
    }
}

fn collect(registry: &Registry, doc: &str, node: &Node, out: &mut Vec<RefSite>) {
    each_schema(node, &mut |schema, path| {
        if let Some(reference) = schema.get("$ref") {
            if let Some(text) = reference.as_str() {
                out.push(RefSite {
                    doc: doc.to_string(),
                    location: super::walk::owned_tokens(path),
                    pos: reference.pos,
                    reference: text.to_string(),
                    target: resolve(registry, doc, text),
                });
            }
        }
    });
}
