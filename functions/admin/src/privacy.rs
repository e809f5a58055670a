//! The admin versions of the privacy routes: export or erase any account's data
//! (`manage_users`; erasure is audited).

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState,
    auth::Caller,
    http::{ApiError, ApiResult, IdPath, Problem},
    ids::UserId,
    personal_data::{self, Erasure, PersonalData},
};

/// Everything held about a user (as `GET /me/export` gives them).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}/export", tag = "admin", security(("bearer" = ["manage_users"])),
    params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = PersonalData), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn export(State(state): State<AppState>, IdPath(id): IdPath<UserId>) -> ApiResult<Json<PersonalData>> {
    Ok(Json(personal_data::export(&state.store, &id).await?))
}

/// Erases a user's personal data (as `POST /me/delete` does). Audited. Not your own
/// account: use `/me/delete`.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/delete", tag = "admin", security(("bearer" = ["manage_users"])),
    params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = Erasure), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<UserId>,
) -> ApiResult<Json<Erasure>> {
    if id == caller.user_id {
        return Err(ApiError::conflict("own_account", "admins erase their own account through /api/v1/me/delete"));
    }
    Ok(Json(personal_data::erase(&state.store, &id, &caller.user_id, state.clock.now()).await?))
}
