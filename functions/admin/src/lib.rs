//! Lambda `admin`: users, roles and permissions (each change audited), analytics, the
//! dashboard and operations.
//!
//! Handlers are thin: they parse the request and call `instainstru_shared::accounts`.
//! Each route's `#[utoipa::path(security(...))]` is its permission declaration.

mod analytics;
mod audit;
mod bookings;
mod dashboard;
mod operations;
mod privacy;
mod roles;
mod users;
mod views;

use analytics::Registry;
use axum::{Extension, Router};
use instainstru_shared::{
    AppState,
    analytics::reports::{self, Report},
    http,
};
use utoipa_axum::routes;

/// This function's routes with their OpenAPI annotations (and permission declarations).
pub fn api() -> http::Routes {
    api_with(reports::REGISTRY)
}

/// The routes serving `registry`'s analytics reports (the admin API documents whichever
/// registry it serves; tests add a report of their own this way).
pub fn api_with(registry: &'static [Report]) -> http::Routes {
    let mut routes = http::routes()
        .routes(routes!(users::list_users))
        .routes(routes!(users::get_user))
        .routes(routes!(users::suspend))
        .routes(routes!(users::reactivate))
        .routes(routes!(roles::assign_role, roles::remove_role))
        .routes(routes!(roles::grant_permission, roles::revoke_permission))
        .routes(routes!(roles::list_roles))
        .routes(routes!(audit::audit_log))
        .routes(routes!(bookings::all_bookings))
        .routes(routes!(operations::monitoring))
        .routes(routes!(operations::dead_letters))
        .routes(routes!(operations::redrive))
        .routes(routes!(analytics::report))
        .routes(routes!(analytics::export))
        .routes(routes!(dashboard::dashboard))
        .routes(routes!(privacy::export))
        .routes(routes!(privacy::delete));
    analytics::document(routes.get_openapi_mut(), Registry(registry));
    routes
}

pub fn router(state: AppState) -> Router {
    router_with(state, reports::REGISTRY)
}

pub fn router_with(state: AppState, registry: &'static [Report]) -> Router {
    http::build(api_with(registry), state.for_function(instainstru_shared::function::Function::Admin))
        .layer(Extension(Registry(registry)))
        .layer(Extension(dashboard::Page::of(registry)))
}
