//! The object model of OpenAPI 3.1 as a table: one row per object of the specification
//! (<https://spec.openapis.org/oas/v3.1.0#schema>), its fields and what each holds, the
//! fields it requires, and whether a Reference Object may stand in its place. [`super::lint`]
//! checks documents against it.

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// Anything (an example, an extension).
    Any,
    /// A JSON Schema (checked against the metaschema elsewhere).
    Schema,
    /// A list of strings.
    Strings,
    /// An object of this name in [`OBJECTS`].
    Obj(&'static str),
    /// A map of names to objects of this name (`x-` keys are extensions).
    Map(&'static str),
    /// The Paths Object: paths (starting with `/`) to Path Items.
    Paths,
    /// The Responses Object: statuses (`200`, `4XX`, `default`) to Responses.
    Responses,
    /// A list of objects of this name.
    List(&'static str),
}

use Kind::*;

/// One object of OpenAPI 3.1: its name, its fields, the fields it requires, and whether a
/// Reference Object (`$ref`) may stand in its place.
pub struct Object {
    /// Its name, as the specification writes it (`Path Item`).
    pub name: &'static str,
    /// Its fields and what each holds.
    pub fields: &'static [(&'static str, Kind)],
    /// The fields it requires.
    pub required: &'static [&'static str],
    /// Whether a Reference Object may stand in its place.
    pub referable: bool,
}

/// The objects of OpenAPI 3.1 (<https://spec.openapis.org/oas/v3.1.0#schema>).
pub const OBJECTS: &[Object] = &[
    Object {
        name: "OpenAPI",
        fields: &[
            ("openapi", Str),
            ("info", Obj("Info")),
            ("jsonSchemaDialect", Str),
            ("servers", List("Server")),
            ("paths", Paths),
            ("webhooks", Map("Path Item")),
            ("components", Obj("Components")),
            ("security", List("Security Requirement")),
            ("tags", List("Tag")),
            ("externalDocs", Obj("External Documentation")),
        ],
        required: &["openapi", "info"],
        referable: false,
    },
    Object {
        name: "Info",
        fields: &[
            ("title", Str),
            ("summary", Str),
            ("description", Str),
            ("termsOfService", Str),
            ("contact", Obj("Contact")),
            ("license", Obj("License")),
            ("version", Str),
        ],
        required: &["title", "version"],
        referable: false,
    },
    Object {
        name: "Contact",
        fields: &[("name", Str), ("url", Str), ("email", Str)],
        required: &[],
        referable: false,
    },
    Object {
        name: "License",
        fields: &[("name", Str), ("identifier", Str), ("url", Str)],
        required: &["name"],
        referable: false,
    },
    Object {
        name: "Server",
        fields: &[
            ("url", Str),
            ("description", Str),
            ("variables", Map("Server Variable")),
        ],
        required: &["url"],
        referable: false,
    },
    Object {
        name: "Server Variable",
        fields: &[("enum", Strings), ("default", Str), ("description", Str)],
        required: &["default"],
        referable: false,
    },
    Object {
        name: "Components",
        fields: &[
            ("schemas", Any),
            ("responses", Map("Response")),
            ("parameters", Map("Parameter")),
            ("examples", Map("Example")),
            ("requestBodies", Map("Request Body")),
            ("headers", Map("Header")),
            ("securitySchemes", Map("Security Scheme")),
            ("links", Map("Link")),
            ("callbacks", Map("Callback")),
            ("pathItems", Map("Path Item")),
        ],
        required: &[],
        referable: false,
    },
    Object {
        name: "Path Item",
        fields: &[
            ("summary", Str),
            ("description", Str),
            ("get", Obj("Operation")),
            ("put", Obj("Operation")),
            ("post", Obj("Operation")),
            ("delete", Obj("Operation")),
            ("options", Obj("Operation")),
            ("head", Obj("Operation")),
            ("patch", Obj("Operation")),
            ("trace", Obj("Operation")),
            ("servers", List("Server")),
            ("parameters", List("Parameter")),
        ],
        required: &[],
        referable: true,
    },
    Object {
        name: "Operation",
        fields: &[
            ("tags", Strings),
            ("summary", Str),
            ("description", Str),
            ("externalDocs", Obj("External Documentation")),
            ("operationId", Str),
            ("parameters", List("Parameter")),
            ("requestBody", Obj("Request Body")),
            ("responses", Responses),
            ("callbacks", Map("Callback")),
            ("deprecated", Bool),
            ("security", List("Security Requirement")),
            ("servers", List("Server")),
        ],
        required: &[],
        referable: false,
    },
    Object {
        name: "External Documentation",
        fields: &[("description", Str), ("url", Str)],
        required: &["url"],
        referable: false,
    },
    Object {
        name: "Parameter",
        fields: &[
            ("name", Str),
            ("in", Str),
            ("description", Str),
            ("required", Bool),
            ("deprecated", Bool),
            ("allowEmptyValue", Bool),
            ("style", Str),
            ("explode", Bool),
            ("allowReserved", Bool),
            ("schema", Schema),
            ("example", Any),
            ("examples", Map("Example")),
            ("content", Map("Media Type")),
        ],
        required: &["name", "in"],
        referable: true,
    },
    Object {
        name: "Request Body",
        fields: &[
            ("description", Str),
            ("content", Map("Media Type")),
            ("required", Bool),
        ],
        required: &["content"],
        referable: true,
    },
    Object {
        name: "Media Type",
        fields: &[
            ("schema", Schema),
            ("example", Any),
            ("examples", Map("Example")),
            ("encoding", Map("Encoding")),
        ],
        required: &[],
        referable: false,
    },
    Object {
        name: "Encoding",
        fields: &[
            ("contentType", Str),
            ("headers", Map("Header")),
            ("style", Str),
            ("explode", Bool),
            ("allowReserved", Bool),
        ],
        required: &[],
        referable: false,
    },
    Object {
        name: "Response",
        fields: &[
            ("description", Str),
            ("headers", Map("Header")),
            ("content", Map("Media Type")),
            ("links", Map("Link")),
        ],
        required: &["description"],
        referable: true,
    },
    Object {
        name: "Callback",
        fields: &[],
        required: &[],
        referable: true,
    },
    Object {
        name: "Example",
        fields: &[
            ("summary", Str),
            ("description", Str),
            ("value", Any),
            ("externalValue", Str),
        ],
        required: &[],
        referable: true,
    },
    Object {
        name: "Link",
        fields: &[
            ("operationRef", Str),
            ("operationId", Str),
            ("parameters", Any),
            ("requestBody", Any),
            ("description", Str),
            ("server", Obj("Server")),
        ],
        required: &[],
        referable: true,
    },
    Object {
        name: "Header",
        fields: &[
            ("description", Str),
            ("required", Bool),
            ("deprecated", Bool),
            ("allowEmptyValue", Bool),
            ("style", Str),
            ("explode", Bool),
            ("allowReserved", Bool),
            ("schema", Schema),
            ("example", Any),
            ("examples", Map("Example")),
            ("content", Map("Media Type")),
        ],
        required: &[],
        referable: true,
    },
    Object {
        name: "Tag",
        fields: &[
            ("name", Str),
            ("description", Str),
            ("externalDocs", Obj("External Documentation")),
        ],
        required: &["name"],
        referable: false,
    },
    Object {
        name: "Security Scheme",
        fields: &[
            ("type", Str),
            ("description", Str),
            ("name", Str),
            ("in", Str),
            ("scheme", Str),
            ("bearerFormat", Str),
            ("flows", Any),
            ("openIdConnectUrl", Str),
        ],
        required: &["type"],
        referable: true,
    },
];
