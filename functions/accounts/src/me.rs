//! The signed-in user's own account: read it, change name and time zone, change password.

use axum::{Json, extract::State, http::StatusCode};
use instainstru_shared::{
    AppState,
    accounts::{self, AccountStatus, FullName, NewPassword, TimeZoneName, User, users},
    auth::Caller,
    http::{ApiError, ApiResult, Problem, ValidJson, limit},
    ratelimit,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::views::Me;

/// The caller's account, refusing a deactivated one (its access tokens live on for up to
/// 15 minutes, but it may no longer act).
pub async fn current_user(state: &AppState, caller: &Caller) -> ApiResult<User> {
    let user = users::require(&state.store, &caller.user_id).await?.value;
    if user.status == AccountStatus::Deactivated {
        return Err(accounts::AccountError::Deactivated.into());
    }
    Ok(user)
}

/// The caller's account: id, email, name, roles, effective permissions, time zone, status.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = ["manage_own_profile"])),
    responses((status = 200, body = Me), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Me>> {
    Ok(Json(Me::new(&current_user(&state, &caller).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    /// 1–100 characters.
    pub full_name: Option<String>,
    /// IANA time zone name.
    pub time_zone: Option<String>,
}

/// Changes the caller's name and/or time zone (an instructor's public profile shows the
/// new name at once).
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", security(("bearer" = ["manage_own_profile"])),
    request_body = UpdateMe,
    responses((status = 200, body = Me), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    ValidJson(body): ValidJson<UpdateMe>,
) -> ApiResult<Json<Me>> {
    let full_name = body.full_name.as_deref().map(|n| FullName::parse("full_name", n)).transpose()?;
    let time_zone = body.time_zone.as_deref().map(|z| TimeZoneName::parse("time_zone", z)).transpose()?;
    let user = accounts::update_details(&state.store, &caller.user_id, full_name, time_zone).await?;
    Ok(Json(Me::new(&user)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 8 characters, not all of one class.
    pub new_password: String,
}

/// Changes the caller's password. Every other session ends; this one stays signed in.
/// Wrong guesses of the current password count against the login rate limit.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", security(("bearer" = ["change_own_password"])),
    request_body = ChangePassword,
    responses((status = 204, description = "Changed"), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 429, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ValidJson(body): ValidJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    let new_password = NewPassword::parse("new_password", &body.new_password)?;
    if body.current_password.len() > 1024 {
        return Err(ApiError::invalid("current_password", "current_password is too long"));
    }
    let subject = format!("password-change {}", caller.user_id);
    limit::enforce(&state.store, state.clock.now(), ratelimit::LOGIN, &subject).await?;
    accounts::password::change(
        &state.store,
        state.clock.now(),
        &caller.user_id,
        &caller.session_id,
        &body.current_password,
        &new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
