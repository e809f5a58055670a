use axum::{Json, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    /// Which Lambda answered.
    pub function: &'static str,
    pub version: &'static str,
}

/// Liveness of the function that answers. No I/O: deeper checks (table, queues, last
/// daily run) are the admin monitoring endpoint's.
#[utoipa::path(get, path = "/api/v1/health", tag = "health", security(()),
    responses((status = 200, description = "The function is up", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health { status: "ok", function: state.function.label(), version: env!("CARGO_PKG_VERSION") })
}
