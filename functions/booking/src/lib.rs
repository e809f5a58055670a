//! Lambda `booking`: availability, bookings and lessons.

use axum::Router;
use instainstru_shared::{AppState, http};

/// This function's routes with their OpenAPI annotations (and permission declarations).
pub fn api() -> http::Routes {
    http::routes()
}

pub fn router(state: AppState) -> Router {
    http::build(api(), state.for_function("booking"))
}
