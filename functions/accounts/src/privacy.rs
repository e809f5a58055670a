//! The caller's own data: export it all as JSON, or erase it (PRODUCT.md §8). The work is
//! in `instainstru_shared::personal_data`.

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState, accounts,
    auth::{Caller, password},
    http::{ApiError, ApiResult, GuestSession, Problem, ValidJson, limit},
    personal_data::{self, Erasure, GuestData, GuestErasure, PersonalData},
    ratelimit,
};
use serde::Deserialize;

use utoipa::ToSchema;

/// Everything InstaInstru holds about the caller: account, instructor profile, search
/// history, bookings on both sides, analytics events and instructor analytics.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "me", security(("bearer" = ["manage_own_profile"])),
    responses((status = 200, body = PersonalData), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn export(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<PersonalData>> {
    Ok(Json(personal_data::export(&state.store, &caller.user_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteMe {
    /// The current password, to confirm.
    pub password: String,
}

/// Erases the caller's personal data: history and analytics events deleted, the account
/// pseudonymized and deactivated (signing in is impossible afterwards), bookings kept
/// for the other party with notes scrubbed. Wrong passwords count against the login rate
/// limit.
#[utoipa::path(post, path = "/api/v1/me/delete", tag = "me", security(("bearer" = ["manage_own_profile"])),
    request_body = DeleteMe,
    responses((status = 200, body = Erasure), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 429, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ValidJson(body): ValidJson<DeleteMe>,
) -> ApiResult<Json<Erasure>> {
    if body.password.is_empty() || body.password.len() > 1024 {
        return Err(ApiError::invalid("password", "password must be your current password"));
    }
    let subject = format!("delete-account {}", caller.user_id);
    limit::enforce(&state.store, state.clock.now(), ratelimit::LOGIN, &subject).await?;
    let user = accounts::users::require(&state.store, &caller.user_id).await?;
    if !password::verify_off_thread(body.password, user.value.password_hash).await {
        return Err(ApiError::bad_request("wrong_password", "the password is wrong").with_field("password"));
    }
    Ok(Json(personal_data::erase(&state.store, &caller.user_id, &caller.user_id, state.clock.now()).await?))
}

const GUEST_HINT: &str = "send the guest session's X-Guest-Session-ID";

/// Everything held about a guest browser session (no account): its search history and
/// analytics events. The session id is the guest's only credential, as for the history.
#[utoipa::path(get, path = "/api/v1/guest/export", tag = "me", security(()),
    params(("X-Guest-Session-ID" = String, Header, description = "The guest session (UUID)")),
    responses((status = 200, body = GuestData), (status = 400, body = Problem)))]
pub async fn export_guest(State(state): State<AppState>, guest: GuestSession) -> ApiResult<Json<GuestData>> {
    Ok(Json(personal_data::export_guest(&state.store, &guest.required(GUEST_HINT)?).await?))
}

/// Erases a guest browser session's data: its search history and analytics events, and
/// its place in the daily distinct counts. Totals (how many searches a day had) stay.
#[utoipa::path(post, path = "/api/v1/guest/delete", tag = "me", security(()),
    params(("X-Guest-Session-ID" = String, Header, description = "The guest session (UUID)")),
    responses((status = 200, body = GuestErasure), (status = 400, body = Problem)))]
pub async fn delete_guest(State(state): State<AppState>, guest: GuestSession) -> ApiResult<Json<GuestErasure>> {
    Ok(Json(personal_data::erase_guest(&state.store, &guest.required(GUEST_HINT)?).await?))
}
