//! Reading and writing accounts. Every write is a read-modify-write conditioned on the
//! item's `version` (optimistic concurrency), in one transaction with what must change
//! with it: the instructor profile's copy of the status and name, the audit entry. A
//! lost race is retried by the caller on [`AccountError::Concurrent`].

use serde_json::json;

use super::{AccountError, AccountStatus, Email, EmailClaim, User, UserItem};
use crate::{
    audit::AuditEntry,
    changes::{self, Change},
    ids::UserId,
    instructors::{self, editing},
    rbac::Role,
    store::{
        Record, Store, StoreError, TransactError, TxAction, Versioned, keys, next_version, transact::Condition,
        version_condition,
    },
};

/// How often a read-modify-write is tried against concurrent writers before giving up.
pub const ATTEMPTS: usize = 4;

pub async fn get(store: &Store, user_id: &UserId) -> Result<Option<Versioned<User>>, StoreError> {
    let record: Option<Record<UserItem>> = store.get(&keys::user(user_id)).await?;
    Ok(record.map(|r| Versioned { value: r.data.user, version: r.version }))
}

/// The user, or [`AccountError::UserNotFound`].
pub async fn require(store: &Store, user_id: &UserId) -> Result<Versioned<User>, AccountError> {
    get(store, user_id).await?.ok_or(AccountError::UserNotFound)
}

/// The user who owns `email` (compared case-insensitively), if any.
pub async fn find_by_email(store: &Store, email: &Email) -> Result<Option<Versioned<User>>, StoreError> {
    let claim: Option<Record<EmailClaim>> = store.get(&keys::email(email.normalized())).await?;
    match claim {
        Some(claim) => get(store, &claim.data.user_id).await,
        None => Ok(None),
    }
}

/// Puts `user` if the stored one is still at `expected` (label `user`).
pub fn put_action(user: &User, expected: Option<u64>) -> Result<TxAction, StoreError> {
    TxAction::put("user", &user.record().version(next_version(expected)), version_condition(expected))
}

/// What an instructor profile's status should be for this account: the account's status
/// while the user is an instructor; deactivated (unlisted, unbookable) otherwise.
pub fn profile_status(user: &User) -> AccountStatus {
    if user.has_role(Role::Instructor) { user.status } else { AccountStatus::Deactivated }
}

/// The state an audit entry records for an account change.
pub fn snapshot(user: &User) -> serde_json::Value {
    json!({
        "status": user.status,
        "roles": user.roles,
        "grants": user.grants,
        "revokes": user.revokes,
    })
}

/// One change to an account, ready to be committed.
pub struct AccountWrite {
    pub before: Versioned<User>,
    pub after: User,
    pub audit: Option<AuditEntry>,
    /// Further actions that must happen atomically with it (a session kept alive across a
    /// password change, a reset token consumed).
    pub extra: Vec<TxAction>,
}

/// Writes the change with its consequences in one transaction: the instructor profile
/// follows the account's name and status (and is created when the instructor role
/// arrives), and the directory is told when a profile moved. `Concurrent` if the account
/// or profile changed since they were read.
pub async fn commit(store: &Store, write: AccountWrite) -> Result<User, AccountError> {
    let AccountWrite { before, after, audit, extra } = write;
    let mut actions = vec![put_action(&after, before.version)?];
    let profile = instructors::get(store, &after.id.as_instructor()).await?;
    let mut profile_changed = false;
    match profile {
        Some((mut profile, version)) => {
            let status = profile_status(&after);
            if profile.status != status || profile.full_name != after.full_name {
                profile.status = status;
                profile.full_name = after.full_name.clone();
                actions.push(editing::put_action(&profile, version)?);
                profile_changed = true;
            }
        }
        None if after.has_role(Role::Instructor) => {
            let profile = editing::empty_profile(&after.id.as_instructor(), &after.full_name, profile_status(&after));
            actions.push(TxAction::put("profile", &profile.record().version(1), Condition::absent())?);
            profile_changed = true;
        }
        None => {}
    }
    if profile_changed {
        // Recorded with the change itself, so search sees it or nothing happened.
        actions.push(changes::record_action(Change::Instructor { instructor_id: after.id.as_instructor() })?);
    }
    if let Some(entry) = &audit {
        actions.push(entry.action()?);
    }
    actions.extend(extra);
    store.transact(&actions).await.map_err(|err| match err {
        TransactError::ConditionFailed { ref label, .. } if label == "user" || label == "profile" => {
            AccountError::Concurrent
        }
        other => AccountError::Transact(other),
    })?;
    Ok(after)
}
