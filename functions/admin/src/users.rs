//! Listing, viewing, suspending and reactivating accounts.

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState,
    accounts::{
        AccountStatus,
        listing::{self, UserFilter},
        status::{self, StatusAction},
        users,
    },
    auth::Caller,
    http::{ApiError, ApiResult, IdPath, PathId, Problem, ValidQuery},
    ids::UserId,
    rbac::Role,
    store::Cursor,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::views::{AdminUser, Changed, limit};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Case-insensitive substring of the name or email (1–100 characters).
    pub q: Option<String>,
    /// `student`, `instructor` or `admin`.
    pub role: Option<String>,
    /// `active`, `suspended` or `deactivated`.
    pub status: Option<String>,
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<AdminUser>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

fn filter(query: &UserQuery) -> ApiResult<UserFilter> {
    let text = match query.q.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(q) if q.chars().count() > 100 => return Err(ApiError::invalid("q", "q must be at most 100 characters")),
        Some(q) => Some(q.to_owned()),
    };
    let role = query
        .role
        .as_deref()
        .map(|r| Role::parse(r).ok_or_else(|| ApiError::invalid("role", "role must be student, instructor or admin")))
        .transpose()?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            AccountStatus::parse(s)
                .ok_or_else(|| ApiError::invalid("status", "status must be active, suspended or deactivated"))
        })
        .transpose()?;
    Ok(UserFilter { text, role, status })
}

/// Every account, newest first: search by name or email, filter by role and status.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = ["view_all_users"])),
    params(UserQuery),
    responses((status = 200, body = UserPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<UserQuery>,
) -> ApiResult<Json<UserPage>> {
    let filter = filter(&query)?;
    let limit = limit(query.limit, 20)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let (users, next) = listing::list(&state.store, &filter, cursor, limit as usize).await?;
    Ok(Json(UserPage { items: users.iter().map(AdminUser::new).collect(), next_cursor: next.map(|c| c.encode()) }))
}

/// A user id from a route with more than one path segment (`IdPath` takes single ones).
pub fn user_id(text: &str) -> ApiResult<UserId> {
    UserId::parse(text).ok_or_else(|| <UserId as PathId>::not_found().into())
}

/// One account.
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = ["view_all_users"])),
    params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = AdminUser), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_user(State(state): State<AppState>, IdPath(id): IdPath<UserId>) -> ApiResult<Json<AdminUser>> {
    let user = users::require(&state.store, &id).await?;
    Ok(Json(AdminUser::new(&user.value)))
}

async fn set_status(state: AppState, caller: Caller, id: UserId, action: StatusAction) -> ApiResult<Json<Changed>> {
    let change = status::admin_set(&state.store, state.clock.now(), &caller.user_id, &id, action).await?;
    Ok(Json(Changed::new(&change.user, change.changed)))
}

/// Suspends an account: it can still sign in, but an instructor leaves the listings and
/// receives no bookings. Audited. Not your own.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/suspend", tag = "admin", security(("bearer" = ["manage_users"])),
    params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = Changed), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Deactivated, or your own account", body = Problem)))]
pub async fn suspend(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<UserId>,
) -> ApiResult<Json<Changed>> {
    set_status(state, caller, id, StatusAction::Suspend).await
}

/// Reactivates a suspended or deactivated account (the only way back from deactivation).
/// Audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reactivate", tag = "admin",
    security(("bearer" = ["manage_users"])), params(("id" = String, Path, description = "User id (ULID)")),
    responses((status = 200, body = Changed), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Your own account", body = Problem)))]
pub async fn reactivate(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<UserId>,
) -> ApiResult<Json<Changed>> {
    set_status(state, caller, id, StatusAction::Reactivate).await
}
