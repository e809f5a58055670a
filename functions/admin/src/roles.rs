//! Roles and per-user permission grants and revokes. Each change is audited; it reaches
//! the user with their next access token (at most 15 minutes).

use axum::{
    Json,
    extract::{Path, State},
};
use instainstru_shared::{
    AppState,
    accounts::admin::{self, PermissionChange, RoleChange},
    auth::Caller,
    http::{ApiError, ApiResult, Problem},
    rbac::{Permission, Role},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{users::user_id, views::Changed};

fn role(text: &str) -> ApiResult<Role> {
    Role::parse(text).ok_or_else(|| ApiError::invalid("role", "role must be student, instructor or admin"))
}

fn permission(text: &str) -> ApiResult<Permission> {
    Permission::parse(text)
        .ok_or_else(|| ApiError::invalid("permission", format!("{text:?} is not one of the 30 permissions")))
}

async fn role_change(state: AppState, caller: Caller, id: String, change: RoleChange) -> ApiResult<Json<Changed>> {
    let id = user_id(&id)?;
    let change = admin::change_role(&state.store, state.clock.now(), &caller.user_id, &id, change).await?;
    Ok(Json(Changed::new(&change.user, change.changed)))
}

async fn permission_change(
    state: AppState,
    caller: Caller,
    id: String,
    change: PermissionChange,
) -> ApiResult<Json<Changed>> {
    let id = user_id(&id)?;
    let change = admin::change_permission(&state.store, state.clock.now(), &caller.user_id, &id, change).await?;
    Ok(Json(Changed::new(&change.user, change.changed)))
}

/// Gives a user a role. The instructor role brings an (empty, unlisted) profile.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/roles/{role}", tag = "admin",
    security(("bearer" = ["manage_roles"])),
    params(("id" = String, Path, description = "User id (ULID)"), ("role" = String, Path, description = "student, instructor or admin")),
    responses((status = 200, body = Changed), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn assign_role(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<Json<Changed>> {
    let role = role(&name)?;
    role_change(state, caller, id, RoleChange::Assign(role)).await
}

/// Takes a role away. Not your own admin role; not the instructor role while upcoming
/// bookings exist (the profile is unlisted, not deleted).
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}/roles/{role}", tag = "admin",
    security(("bearer" = ["manage_roles"])),
    params(("id" = String, Path, description = "User id (ULID)"), ("role" = String, Path, description = "student, instructor or admin")),
    responses((status = 200, body = Changed), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Would lock you out, or the instructor has upcoming bookings", body = Problem)))]
pub async fn remove_role(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<Json<Changed>> {
    let role = role(&name)?;
    role_change(state, caller, id, RoleChange::Remove(role)).await
}

/// Grants a permission beyond the user's roles (clearing a revoke of it, if any).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/permissions/{permission}", tag = "admin",
    security(("bearer" = ["manage_permissions"])),
    params(("id" = String, Path, description = "User id (ULID)"), ("permission" = String, Path, description = "One of the 30 permissions")),
    responses((status = 200, body = Changed), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn grant_permission(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<Json<Changed>> {
    let permission = permission(&name)?;
    permission_change(state, caller, id, PermissionChange::Grant(permission)).await
}

/// Revokes a permission, even one the user's roles give (clearing a grant of it, if
/// any). Not your own manage_roles or manage_permissions.
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}/permissions/{permission}", tag = "admin",
    security(("bearer" = ["manage_permissions"])),
    params(("id" = String, Path, description = "User id (ULID)"), ("permission" = String, Path, description = "One of the 30 permissions")),
    responses((status = 200, body = Changed), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Would lock you out", body = Problem)))]
pub async fn revoke_permission(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> ApiResult<Json<Changed>> {
    let permission = permission(&name)?;
    permission_change(state, caller, id, PermissionChange::Revoke(permission)).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub role: Role,
    pub permissions: Vec<Permission>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Roles {
    pub roles: Vec<RoleView>,
    /// All thirty permissions.
    pub permissions: Vec<Permission>,
}

/// The three roles with their permissions, and every permission there is.
#[utoipa::path(get, path = "/api/v1/admin/roles", tag = "admin", security(("bearer" = ["manage_roles"])),
    responses((status = 200, body = Roles), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_roles() -> Json<Roles> {
    Json(Roles {
        roles: Role::ALL.iter().map(|r| RoleView { role: *r, permissions: r.permissions().to_vec() }).collect(),
        permissions: Permission::ALL.to_vec(),
    })
}
