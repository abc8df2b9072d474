//! Tera templates: the defaults of the repository's `templates/`, embedded in the binary,
//! each overridable by a file of the same name in the project's `templates/` (read by the
//! project loader, like every other input).

use tera::Tera;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::project::{Area, Project};

/// The built-in templates: name and text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("event.html", include_str!("../../templates/event.html")),
    (
        "http-api.html",
        include_str!("../../templates/http-api.html"),
    ),
    (
        "http-body.html",
        include_str!("../../templates/http-body.html"),
    ),
    (
        "object-table.html",
        include_str!("../../templates/object-table.html"),
    ),
    ("mxspec.css", include_str!("../../templates/mxspec.css")),
    ("search.js", include_str!("../../templates/search.js")),
    // elasticlunr 0.9.5 (MIT), the engine of the search box, as mdBook ships it.
    (
        "elasticlunr.min.js",
        include_str!("../../templates/elasticlunr.min.js"),
    ),
];

/// Static files of the default look: written to the site as they are, not rendered.
pub const ASSETS: &[&str] = &["mxspec.css", "search.js", "elasticlunr.min.js"];

/// The templates of a project, and its static files.
pub struct Templates {
    /// The Tera templates.
    pub tera: Tera,
    /// The static files ([`ASSETS`]), by name.
    pub assets: std::collections::BTreeMap<String, Vec<u8>>,
}

/// Where the template `name` comes from, as diagnostics name it: the project's
/// `templates/<name>`, or the built-in one.
pub fn origin(project: &Project, name: &str) -> String {
    let rel = format!("templates/{name}");
    if project.files_in(Area::Templates).any(|f| f.rel == rel) {
        rel
    } else {
        format!("(built-in) {rel}")
    }
}

/// One template or static file: its name, its text and where it comes from (the
/// project's `templates/<name>`, or `(built-in) templates/<name>`).
pub struct TemplateSource {
    name: String,
    text: String,
    origin: String,
}

/// The built-in templates and assets, then the overrides of the project's `templates/`
/// (already read by the loader, which reports the files it could not read). A copy, so
/// that [`compile`] can run while the project is checked.
pub fn sources(project: &Project) -> Vec<TemplateSource> {
    let mut sources: Vec<TemplateSource> = BUILTIN
        .iter()
        .map(|(name, text)| TemplateSource {
            name: name.to_string(),
            text: text.to_string(),
            origin: format!("(built-in) templates/{name}"),
        })
        .collect();
    for file in project.files_in(Area::Templates) {
        let Some(text) = project.text(file) else {
            continue;
        };
        let name = file.rel.trim_start_matches("templates/").to_string();
        sources.retain(|s| s.name != name);
        sources.push(TemplateSource {
            name,
            text: text.to_string(),
            origin: file.rel.clone(),
        });
    }
    sources
}

/// The project's templates and static files ([`sources`] then [`compile`]).
pub fn load(project: &Project) -> Result<Templates, Vec<Diagnostic>> {
    compile(sources(project))
}

/// Compiles the templates (all together, so that inheritance is resolved) and keeps the
/// static files.
pub fn compile(sources: Vec<TemplateSource>) -> Result<Templates, Vec<Diagnostic>> {
    let (assets, templates): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|s| ASSETS.contains(&s.name.as_str()));
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|s| (s.name.as_str(), s.text.as_str())))
    {
        // Which template is bad: each one alone names it; otherwise the combined
        // error stands.
        let named = errors_alone(&templates);
        return Err(if named.is_empty() {
            vec![template_error("templates", &e)]
        } else {
            named
        });
    }
    let recursion: Vec<Diagnostic> = super::recursion::find(&tera)
        .into_iter()
        .map(|(name, message)| {
            let rel = templates
                .iter()
                .find(|s| s.name == name)
                .map_or(name.as_str(), |s| s.origin.as_str());
            Diagnostic::in_file(Severity::Error, Code::Template, rel, 0, 0, message)
        })
        .collect();
    if !recursion.is_empty() {
        return Err(recursion);
    }
    let assets = assets
        .into_iter()
        .map(|s| (s.name, s.text.into_bytes()))
        .collect();
    Ok(Templates { tera, assets })
}

/// The errors of the templates parsed one by one, each naming its file (a template
/// alone cannot find its parent or the macros it imports: those are not errors here).
fn errors_alone(templates: &[TemplateSource]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for s in templates {
        let mut alone = Tera::default();
        if let Err(e) = alone.add_raw_template(&s.name, &s.text) {
            if !is_missing_parent(&e) {
                diagnostics.push(template_error(&s.origin, &e));
            }
        }
    }
    diagnostics
}

fn is_missing_parent(e: &tera::Error) -> bool {
    let chain = error_chain(e);
    chain.contains("inheriting") || chain.contains("extend") || chain.contains("isn't present")
}

/// A Tera error with its causes, on one line.
pub fn error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.replace('\n', " ")
}

fn template_error(rel: &str, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    // Tera names the position as "--> LINE:COLUMN" in its parse errors.
    let (line, column) = chain
        .split("--> ")
        .nth(1)
        .and_then(|rest| {
            let mut it = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty());
            Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
        })
        .unwrap_or((0, 0));
    Diagnostic::in_file(Severity::Error, Code::Template, rel, line, column, chain)
}
