//! An instructor's own account status: what is allowed now, and suspend / deactivate /
//! reactivate (the first two refused while upcoming confirmed bookings exist).

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState,
    accounts::status::{self, StatusAction, StatusReport},
    auth::Caller,
    http::{ApiResult, Problem},
};

use crate::me::current_user;

/// The account's status, whether upcoming bookings exist, and which actions are allowed.
#[utoipa::path(get, path = "/api/v1/instructors/me/account-status", tag = "instructor account",
    security(("bearer" = ["suspend_own_instructor_account"])),
    responses((status = 200, body = StatusReport), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn account_status(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<StatusReport>> {
    let user = current_user(&state, &caller).await?;
    Ok(Json(status::report(&state.store, state.clock.now(), &user).await?))
}

async fn act(state: AppState, caller: Caller, action: StatusAction) -> ApiResult<Json<StatusReport>> {
    let user = status::change_own(&state.store, state.clock.now(), &caller.user_id, action).await?;
    Ok(Json(status::report(&state.store, state.clock.now(), &user).await?))
}

/// Pause: stay signed in, receive no bookings, leave the listings.
#[utoipa::path(post, path = "/api/v1/instructors/me/account-status/suspend", tag = "instructor account",
    security(("bearer" = ["suspend_own_instructor_account"])),
    responses((status = 200, body = StatusReport), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Upcoming bookings, or not allowed from the current status", body = Problem)))]
pub async fn suspend(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<StatusReport>> {
    act(state, caller, StatusAction::Suspend).await
}

/// Close the account: every session ends and signing in is refused; only an admin can
/// reactivate it.
#[utoipa::path(post, path = "/api/v1/instructors/me/account-status/deactivate", tag = "instructor account",
    security(("bearer" = ["suspend_own_instructor_account"])),
    responses((status = 200, body = StatusReport), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Upcoming bookings, or not allowed from the current status", body = Problem)))]
pub async fn deactivate(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<StatusReport>> {
    act(state, caller, StatusAction::Deactivate).await
}

/// Come back from a suspension.
#[utoipa::path(post, path = "/api/v1/instructors/me/account-status/reactivate", tag = "instructor account",
    security(("bearer" = ["suspend_own_instructor_account"])),
    responses((status = 200, body = StatusReport), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Not suspended", body = Problem)))]
pub async fn reactivate(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<StatusReport>> {
    act(state, caller, StatusAction::Reactivate).await
}
