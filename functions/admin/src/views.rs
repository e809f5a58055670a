//! What the admin routes answer with.

use std::collections::BTreeSet;

use instainstru_shared::{
    accounts::{AccountStatus, User},
    rbac::{Permission, Role},
};
use serde::Serialize;
use utoipa::ToSchema;

/// An account as an admin sees it (never the password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUser {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub roles: Vec<Role>,
    /// Permissions granted beyond the roles.
    pub grants: BTreeSet<Permission>,
    /// Permissions taken away, even where a role gives them.
    pub revokes: BTreeSet<Permission>,
    /// Effective: roles' ∪ grants − revokes.
    pub permissions: BTreeSet<Permission>,
    pub status: AccountStatus,
    pub time_zone: String,
    /// RFC 3339 UTC.
    pub created_at: String,
}

impl AdminUser {
    pub fn new(user: &User) -> Self {
        Self {
            id: String::from(&user.id),
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            phone: user.phone.clone(),
            roles: user.roles.clone(),
            grants: user.grants.clone(),
            revokes: user.revokes.clone(),
            permissions: user.permissions(),
            status: user.status,
            time_zone: user.time_zone.clone(),
            created_at: user.created_at.clone(),
        }
    }
}

/// The outcome of an admin's change.
#[derive(Debug, Serialize, ToSchema)]
pub struct Changed {
    pub user: AdminUser,
    /// False when the account already was as asked: nothing written, nothing audited.
    pub changed: bool,
}

impl Changed {
    pub fn new(user: &User, changed: bool) -> Self {
        Self { user: AdminUser::new(user), changed }
    }
}

/// Parses an admin list's page size: 1–100, `default` when absent.
pub fn limit(value: Option<i64>, default: u32) -> Result<u32, instainstru_shared::http::ApiError> {
    instainstru_shared::http::page::limit(value, instainstru_shared::http::Bounds { default, max: 100 })
}
