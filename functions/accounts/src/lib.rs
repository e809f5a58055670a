//! Lambda `accounts`: register, login, tokens, passwords, the account's own details and
//! status, and an instructor's own profile and offerings. The only function that signs
//! access tokens and sends mail.
//!
//! Handlers are thin: parse and validate the request, call `instainstru_shared::accounts`
//! (or `instructors::editing`), turn the outcome into a response. Each route's
//! `#[utoipa::path(security(...))]` is its permission declaration.

mod auth;
mod extract;
mod me;
mod offerings;
mod privacy;
mod profile;
mod reset;
mod status;
mod views;

use axum::Router;
use instainstru_shared::{AppState, http};
use utoipa_axum::routes;

/// This function's routes with their OpenAPI annotations (and permission declarations).
pub fn api() -> http::Routes {
    http::routes()
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(reset::request_reset))
        .routes(routes!(reset::confirm_reset))
        .routes(routes!(me::get_me, me::update_me))
        .routes(routes!(me::change_password))
        .routes(routes!(privacy::export))
        .routes(routes!(privacy::delete))
        .routes(routes!(privacy::export_guest))
        .routes(routes!(privacy::delete_guest))
        .routes(routes!(status::account_status))
        .routes(routes!(status::suspend))
        .routes(routes!(status::deactivate))
        .routes(routes!(status::reactivate))
        .routes(routes!(profile::get_profile, profile::update_profile))
        .routes(routes!(offerings::add_offering))
        .routes(routes!(offerings::update_offering, offerings::remove_offering))
}

pub fn router(state: AppState) -> Router {
    http::build(api(), state.for_function(instainstru_shared::function::Function::Accounts))
}
