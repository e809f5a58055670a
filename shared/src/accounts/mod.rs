//! Accounts: users, their roles and per-user permission grants and revokes, and the
//! unique-email item written in the same transaction as the user; registration, login,
//! sessions (refresh-token families), passwords and resets, account status, the admin's
//! changes (each audited), and the guest-history conversion seam.
//!
//! Plain domain code: no HTTP types. The function crates map [`AccountError`] to problems
//! (through `http::domain`).

pub mod admin;
mod details;
mod email;
mod error;
mod fields;
pub mod guest;
pub mod listing;
pub mod login;
pub mod password;
pub mod register;
pub mod sessions;
pub mod status;
pub mod users;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::Caller,
    ids::UserId,
    rbac::{Permission, Role, effective_permissions},
    store::{Record, keys},
};

pub use details::update_details;
pub use email::Email;
pub use error::AccountError;
pub use fields::{FullName, NewPassword, TimeZoneName};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    /// Can log in; cannot receive bookings.
    Suspended,
    /// Cannot log in.
    Deactivated,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
            AccountStatus::Deactivated => "deactivated",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [AccountStatus::Active, AccountStatus::Suspended, AccountStatus::Deactivated]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    /// As typed at registration (display); uniqueness is on the normalized form.
    pub email: String,
    pub full_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub grants: BTreeSet<Permission>,
    #[serde(default)]
    pub revokes: BTreeSet<Permission>,
    pub status: AccountStatus,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub time_zone: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Bumped whenever sessions must end (password change, deactivation): refresh tokens
    /// minted under an older epoch are refused.
    #[serde(default)]
    pub session_epoch: u64,
}

impl User {
    pub fn permissions(&self) -> BTreeSet<Permission> {
        effective_permissions(&self.roles, &self.grants, &self.revokes)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Who this user is in an access token minted for session `session_id`.
    pub fn caller(&self, session_id: &str) -> Caller {
        Caller {
            user_id: self.id.clone(),
            roles: self.roles.clone(),
            permissions: self.permissions(),
            session_id: session_id.to_owned(),
        }
    }

    pub fn record(&self) -> Record<UserItem> {
        Record::new(keys::user(&self.id), UserItem { user: self.clone() })
            .gsi1(keys::USERS, format!("{}#{}", self.created_at, self.id))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "user")]
pub struct UserItem {
    #[serde(flatten)]
    pub user: User,
}

/// The item that makes an email unique: its key is the normalized address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "email")]
pub struct EmailClaim {
    pub user_id: UserId,
}

impl EmailClaim {
    pub fn record(email: &Email, user_id: &UserId) -> Record<EmailClaim> {
        Record::new(keys::email(email.normalized()), EmailClaim { user_id: user_id.to_owned() })
    }
}
