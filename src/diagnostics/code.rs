//! The stable diagnostic codes: one enum, whose kebab-case string form is what the
//! `json` and `github` formats print and what README documents.

use serde::Serialize;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, )*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code written in kebab-case, if it is one.
            pub fn parse(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == text)
            }

            /// The kebab-case form (`example-invalid`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )*
                }
            }
        }
    };
}

codes! {
    /// A YAML file does not parse.
    YamlSyntax = "yaml-syntax",
    /// A JSON file does not parse.
    JsonSyntax = "json-syntax",
    /// A mapping names a key twice.
    DuplicateKey = "duplicate-key",
    /// A YAML file is over its alias, depth or node budget.
    YamlBudget = "yaml-budget",
    /// A file is larger than mxspec reads.
    FileTooLarge = "file-too-large",
    /// A file or folder could not be read.
    Io = "io",
    /// A file of `data/` links outside it.
    PathEscapesData = "path-escapes-data",
    /// A `$ref` that is not a relative reference.
    RefUnsupported = "ref-unsupported",
    /// A `$ref` that leaves `data/`.
    RefEscapesRoot = "ref-escapes-root",
    /// A `$ref` to nothing.
    RefDangling = "ref-dangling",
    /// A `$ref` to a file that could not be read (reported at that file, not again).
    RefUnreadable = "ref-unreadable",
    /// A `$ref` that leads back to itself.
    RefCycle = "ref-cycle",
    /// `$ref`s that fan out past the expansion budget.
    RefBudget = "ref-budget",
    /// A schema is not a valid draft 2020-12 schema.
    SchemaInvalid = "schema-invalid",
    /// A schema cannot be compiled into a validator.
    SchemaCompile = "schema-compile",
    /// A `format` or `x-pattern-format` the spec does not define.
    UnknownFormat = "unknown-format",
    /// A version annotation that is not a version.
    BadVersion = "bad-version",
    /// A version key of `x-changedInMatrixVersion` written unquoted, which YAML tools
    /// read as a number (warning; `bad-version` where the number loses a digit, as `1.10`
    /// read as `1.1`).
    UnquotedVersion = "unquoted-version",
    /// An example with no schema to validate against.
    ExampleNoSchema = "example-no-schema",
    /// An example's `$ref` cannot be merged.
    ExampleRef = "example-ref",
    /// An example does not match its schema.
    ExampleInvalid = "example-invalid",
    /// An example checked without a base that cannot be merged (warning).
    ExamplePartial = "example-partial",
    /// An inline `example`, `examples` or `default` does not match its schema.
    InlineExampleInvalid = "inline-example-invalid",
    /// An event schema with no example (warning).
    SchemaNoExample = "schema-no-example",
    /// A document's own top-level `example` does not match (warning).
    RootExampleInvalid = "root-example-invalid",
    /// An API document's structure is not OpenAPI 3.1's (a required field missing, a
    /// field of the wrong type, a bad value).
    ApiStructure = "api-structure",
    /// A key OpenAPI 3.1 does not define in an API document's object.
    ApiUnknownKey = "api-unknown-key",
    /// An `operationId` used twice in one spec.
    ApiOperationId = "api-operation-id",
    /// A `{name}` of a path not declared as a path parameter, or a path parameter not in
    /// its path or not required.
    ApiPathParameter = "api-path-parameter",
    /// An example of a parameter, request or response does not match its schema.
    ApiExampleInvalid = "api-example-invalid",
    /// A page's front matter cannot be read.
    FrontMatter = "front-matter",
    /// TOML front matter does not parse.
    TomlSyntax = "toml-syntax",
    /// A page whose path cannot be a URL.
    PagePath = "page-path",
    /// Two pages that make the same URL.
    PageClash = "page-clash",
    /// `mxspec.toml` is wrong.
    Config = "config",
    /// A template does not parse or render.
    Template = "template",
    /// A shortcode call is wrong.
    Shortcode = "shortcode",
    /// A formula (`\( ... \)`, `\[ ... \]`) that cannot be rendered.
    Maths = "maths",
    /// A shortcode parameter the shortcode does not take (warning).
    ShortcodeParam = "shortcode-param",
    /// A shortcode mxspec does not know (warning).
    UnknownShortcode = "unknown-shortcode",
    /// An id used twice on a page.
    DuplicateId = "duplicate-id",
    /// A page whose HTML browsers may read in more than one way (`<xmp>` in a
    /// `<select>`): its links cannot be checked, so the site is not built.
    AmbiguousHtml = "ambiguous-html",
    /// A link to an anchor or page that does not exist.
    BrokenLink = "broken-link",
    /// A link to a page outside the site (warning).
    LinkOutsideSite = "link-outside-site",
    /// With `build --as-of`, a link to what a later version added (warning): the text
    /// that holds it lacks an annotation.
    LinkToLater = "link-to-later",
    /// Something new since the revision without an "Added in" annotation.
    AddedWithoutAnnotation = "added-without-annotation",
    /// Something new since the revision annotated with another version.
    AddedWithWrongVersion = "added-with-wrong-version",
    /// Something removed since the revision (warning).
    RemovedSince = "removed-since",
    /// A type changed since the revision (warning).
    TypeChangedSince = "type-changed-since",
    /// An event that cannot be resolved, so `diff` cannot compare it.
    EventUnresolved = "event-unresolved",
    /// `changelogs/pyproject.toml` is missing, does not parse or asks for what mxspec
    /// does not do.
    ChangelogConfig = "changelog-config",
    /// The changelog template does not parse or render.
    ChangelogTemplate = "changelog-template",
    /// A file of a `newsfragments/` folder not named `<number>.<type>`.
    FragmentName = "fragment-name",
    /// A news fragment whose type the configuration does not define.
    FragmentType = "fragment-type",
    /// A file named like a news fragment outside `changelogs/<section>/newsfragments/`.
    FragmentMisplaced = "fragment-misplaced",
    /// A news fragment with no text.
    FragmentEmpty = "fragment-empty",
    /// A news fragment of more than one paragraph.
    FragmentParagraphs = "fragment-paragraphs",
    /// A news fragment that does not end with a full stop.
    FragmentFullStop = "fragment-full-stop",
    /// No news fragment for the pull request of `check --pr N`.
    FragmentMissing = "fragment-missing",
}

impl Code {
    /// Whether the code is reported as a warning (the others are errors).
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            Code::SchemaNoExample
                | Code::UnquotedVersion
                | Code::RootExampleInvalid
                | Code::ExamplePartial
                | Code::ShortcodeParam
                | Code::UnknownShortcode
                | Code::LinkOutsideSite
                | Code::LinkToLater
                | Code::RemovedSince
                | Code::TypeChangedSince
        )
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<crate::source::ParseErrorKind> for Code {
    fn from(kind: crate::source::ParseErrorKind) -> Code {
        use crate::source::ParseErrorKind as K;
        match kind {
            K::YamlSyntax => Code::YamlSyntax,
            K::JsonSyntax => Code::JsonSyntax,
            K::DuplicateKey => Code::DuplicateKey,
            K::Budget => Code::YamlBudget,
        }
    }
}

impl From<&crate::source::ReadError> for Code {
    fn from(e: &crate::source::ReadError) -> Code {
        match e {
            crate::source::ReadError::TooLarge { .. } => Code::FileTooLarge,
            _ => Code::Io,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README's table of codes lists every code a user can meet, and no other.
    #[test]
    fn readme_lists_every_code() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("### Diagnostic codes")
            .nth(1)
            .expect("README has a section `### Diagnostic codes`");
        let listed: Vec<&str> = table
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.split('`').nth(1))
            .collect();
        let expected: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| **c != Code::RefUnreadable)
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            listed, expected,
            "README's table of codes, in the enum's order"
        );
    }
}
