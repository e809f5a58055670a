//! The OpenAPI 3.1 document. Each function's routes carry their own annotations; the
//! whole-API document is their merge (see `instainstru-local openapi`), committed as
//! openapi.json and served by the search function.

use utoipa::{
    Modify, OpenApi,
    openapi::{
        self,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use super::problem::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "InstaInstru API",
        version = "1.0.0",
        description = "Find a private instructor in New York and book a lesson instantly. \
            Errors are RFC 9457 problem+json with a stable `code`. Each operation's `security` \
            names the one permission it needs (or is empty for public routes)."
    ),
    components(schemas(Problem)),
    modifiers(&BearerScheme)
)]
struct Base;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, doc: &mut openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            super::access::BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from POST /api/v1/auth/login; scopes are permissions"))
                    .build(),
            ),
        );
    }
}

pub fn base() -> openapi::OpenApi {
    Base::openapi()
}

/// Merges function documents into the whole-API document.
pub fn merge(docs: impl IntoIterator<Item = openapi::OpenApi>) -> openapi::OpenApi {
    let mut merged = base();
    for doc in docs {
        merged.merge(doc);
    }
    merged
}
