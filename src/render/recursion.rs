//! Templates that would recurse without end: an `include` chain that comes back to where
//! it started, or a macro that calls itself (directly or through others). Tera renders
//! both until the stack overflows and the process aborts, so they are found in the
//! templates' syntax trees before anything renders, and reported as `template` errors.

use std::collections::{BTreeMap, BTreeSet};

use tera::ast::{Expr, ExprVal, Node};
use tera::Tera;

/// What a walk of one body found: the templates it includes and the macros it calls
/// (namespace, name).
#[derive(Default)]
struct Uses {
    includes: BTreeSet<String>,
    calls: BTreeSet<(String, String)>,
}

/// For each template that recurses, a message saying how.
pub fn find(tera: &Tera) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    // Includes: template -> templates.
    let includes: BTreeMap<&str, BTreeSet<String>> = tera
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), uses(&t.ast).includes))
        .collect();
    for (name, chain) in cycles(includes.keys().copied(), |n| {
        includes.get(n).into_iter().flatten().cloned().collect()
    }) {
        found
            .entry(name)
            .or_insert(format!("includes itself: {}", chain.join(" -> ")));
    }
    // Macros: (template, macro) -> (template, macro).
    let mut calls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, t) in &tera.templates {
        let namespace = |ns: &str| -> Option<String> {
            if ns == "self" {
                return Some(name.clone());
            }
            t.imported_macro_files
                .iter()
                .find(|(_, alias)| alias == ns)
                .map(|(file, _)| file.clone())
        };
        for (macro_name, definition) in &t.macros {
            let callees = uses(&definition.body)
                .calls
                .into_iter()
                .filter_map(|(ns, callee)| Some(format!("{}::{callee}", namespace(&ns)?)))
                .collect();
            calls.insert(format!("{name}::{macro_name}"), callees);
        }
    }
    for (key, chain) in cycles(calls.keys().map(String::as_str), |k| {
        calls.get(k).cloned().unwrap_or_default()
    }) {
        let template = key.split("::").next().unwrap_or(&key).to_string();
        found.entry(template).or_insert(format!(
            "a macro calls itself: {}; recursive macros are not supported",
            chain.join(" -> ")
        ));
    }
    found
}

/// Every node of the graph that lies on a cycle, with a cycle through it: the strongly
/// connected components (Tarjan's algorithm, iterative: no template can overflow this
/// search), in linear time; one cycle is spelled out for each component.
fn cycles<'a>(
    nodes: impl Iterator<Item = &'a str>,
    next: impl Fn(&str) -> BTreeSet<String>,
) -> Vec<(String, Vec<String>)> {
    let names: Vec<String> = nodes.map(str::to_string).collect();
    let index_of: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            next(n)
                .iter()
                .filter_map(|m| index_of.get(m.as_str()).copied())
                .collect()
        })
        .collect();
    let n = names.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut counter, mut stack, mut components) = (0, Vec::new(), Vec::new());
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || edges[v].contains(&v) {
                    components.push(component);
                }
            }
        }
    }
    let mut out = Vec::new();
    for component in components {
        let members: BTreeSet<usize> = component.iter().copied().collect();
        let first = *members.iter().next().unwrap_or(&0);
        let chain: Vec<String> = cycle_through(first, &edges, &members)
            .into_iter()
            .map(|i| names[i].clone())
            .collect();
        for &m in &members {
            out.push((names[m].clone(), chain.clone()));
        }
    }
    out.sort();
    out
}

/// A shortest cycle from `start` back to itself inside `members` (breadth first).
fn cycle_through(start: usize, edges: &[Vec<usize>], members: &BTreeSet<usize>) -> Vec<usize> {
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if w == start {
                // Back from `v` to `start`, then turned around: start -> ... -> v -> start.
                let mut path = vec![v];
                while let Some(&prev) = came_from.get(path.last().unwrap_or(&start)) {
                    path.push(prev);
                }
                if path.last() != Some(&start) {
                    path.push(start);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if members.contains(&w) && !came_from.contains_key(&w) && w != start {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}

fn uses(body: &[Node]) -> Uses {
    let mut found = Uses::default();
    let mut nodes: Vec<&Node> = body.iter().collect();
    let mut exprs: Vec<&Expr> = Vec::new();
    while let Some(node) = nodes.pop() {
        match node {
            Node::Include(_, names, _) => found.includes.extend(names.iter().cloned()),
            Node::VariableBlock(_, e) => exprs.push(e),
            Node::Set(_, set) => exprs.push(&set.value),
            Node::MacroDefinition(_, m, _) => nodes.extend(&m.body),
            Node::FilterSection(_, f, _) => {
                exprs.extend(f.filter.args.values());
                nodes.extend(&f.body);
            }
            Node::Block(_, b, _) => nodes.extend(&b.body),
            Node::Forloop(_, f, _) => {
                exprs.push(&f.container);
                nodes.extend(&f.body);
                nodes.extend(f.empty_body.iter().flatten());
            }
            Node::If(i, _) => {
                for (_, e, body) in &i.conditions {
                    exprs.push(e);
                    nodes.extend(body);
                }
                nodes.extend(i.otherwise.iter().flat_map(|(_, b)| b));
            }
            _ => {}
        }
    }
    let mut vals: Vec<&ExprVal> = Vec::new();
    loop {
        if let Some(e) = exprs.pop() {
            vals.push(&e.val);
            exprs.extend(e.filters.iter().flat_map(|f| f.args.values()));
            continue;
        }
        let Some(val) = vals.pop() else { break };
        match val {
            ExprVal::MacroCall(call) => {
                found
                    .calls
                    .insert((call.namespace.clone(), call.name.clone()));
                exprs.extend(call.args.values());
            }
            ExprVal::FunctionCall(call) => exprs.extend(call.args.values()),
            ExprVal::Math(m) => exprs.extend([&*m.lhs, &*m.rhs]),
            ExprVal::Logic(l) => exprs.extend([&*l.lhs, &*l.rhs]),
            ExprVal::In(i) => exprs.extend([&*i.lhs, &*i.rhs]),
            ExprVal::Test(t) => exprs.extend(&t.args),
            ExprVal::Array(items) => exprs.extend(items),
            ExprVal::StringConcat(c) => vals.extend(&c.values),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        tera
    }

    #[test]
    fn include_cycles_and_recursive_macros_are_found() {
        let found = find(&tera(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% if x %}{% include \"a.html\" %}{% endif %}"),
            ("ok.html", "{% include \"leaf.html\" %}"),
            ("leaf.html", "x"),
            (
                "m.html",
                "{% macro f(n) %}{{ self::g(n=n) }}{% endmacro %}{% macro g(n) %}{{ self::f(n=n) | upper }}{% endmacro %}",
            ),
            ("self.html", "{% include \"self.html\" %}"),
        ]));
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            ["a.html", "b.html", "m.html", "self.html"]
        );
        assert!(
            found["a.html"].contains("a.html -> b.html -> a.html"),
            "{found:?}"
        );
        assert!(found["m.html"].contains("recursive macros"), "{found:?}");
    }
}
