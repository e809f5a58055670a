//! The API's own description: the OpenAPI document (generated from every function's
//! annotations by `instainstru-local openapi`, committed as openapi.json, and checked
//! against the code by a test) and a docs page that renders it with no internet access.

use axum::{
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};

const OPENAPI_JSON: &str = include_str!("../../../openapi.json");
const DOCS_HTML: &str = include_str!("docs.html");

/// The OpenAPI 3.1 document for every function's routes.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "docs", security(()),
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    let mut response = OPENAPI_JSON.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

/// A human-readable page for the document: plain HTML and script, no CDN.
#[utoipa::path(get, path = "/api/v1/docs", tag = "docs", security(()),
    responses((status = 200, description = "HTML documentation page", content_type = "text/html")))]
pub async fn docs_page() -> Html<&'static str> {
    Html(DOCS_HTML)
}
