//! The admin versions of the privacy routes: export or erase any account's data
//! (`manage_users`; erasure is audited).

use axum::{
    Json,
    extract::{Path, State},
};
use instainstru_shared::{
    AppState,
    auth::Caller,
    http::{ApiError, ApiResult, Problem},
    ids,
    personal_data::{self, Erasure, PersonalData},
};

fn user_id(id: &str) -> Result<String, ApiError> {
    ids::parse_id(id).ok_or_else(|| ApiError::not_found("user_not_found", "no such user").with_field("id"))
}

/// Everything held about a user (as `GET /me/export` gives them).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}/export", tag = "admin", security(("bearer" = ["manage_users"])),
    params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = PersonalData), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn export(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<PersonalData>> {
    Ok(Json(personal_data::export(&state.store, &user_id(&id)?).await?))
}

/// Erases a user's personal data (as `POST /me/delete` does). Audited. Not your own
/// account: use `/me/delete`.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/delete", tag = "admin", security(("bearer" = ["manage_users"])),
    params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = Erasure), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<Erasure>> {
    let id = user_id(&id)?;
    if id == caller.user_id {
        return Err(ApiError::conflict("own_account", "admins erase their own account through /api/v1/me/delete"));
    }
    Ok(Json(personal_data::erase(&state.store, &id, &caller.user_id, state.clock.now()).await?))
}
