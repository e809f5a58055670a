//! Lambda `search`: the catalog, public instructor profiles, natural-language search and
//! search history. Read-only against the table (its IAM policy says so).

mod catalog;
mod docs;
mod history;
mod instructors;
mod interactions;
mod rendered;
pub mod search;

use axum::Router;
use instainstru_shared::{AppState, http};
use utoipa_axum::routes;

/// This function's routes with their OpenAPI annotations (and permission declarations).
pub fn api() -> http::Routes {
    http::routes()
        .routes(routes!(catalog::categories))
        .routes(routes!(catalog::services))
        .routes(routes!(catalog::service))
        .routes(routes!(catalog::top_services))
        .routes(routes!(catalog::all_services))
        .routes(routes!(instructors::list))
        .routes(routes!(instructors::profile))
        .routes(routes!(search::search))
        .routes(routes!(history::recent, history::record))
        .routes(routes!(history::delete))
        .routes(routes!(interactions::record))
        .routes(routes!(docs::openapi_json))
        .routes(routes!(docs::docs_page))
}

pub fn router(state: AppState) -> Router {
    http::build(api(), state.for_function(instainstru_shared::function::Function::Search))
}
