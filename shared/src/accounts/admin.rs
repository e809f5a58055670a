//! An admin's changes to someone's roles and permissions (PRODUCT.md §2), each audited in
//! the same transaction.
//!
//! Grants and revokes of one permission exclude each other: granting clears a revoke and
//! revoking clears a grant, so after either call the user has, or lacks, the permission
//! exactly as the admin said, whatever their roles give. (A revoke beats a role; a grant
//! adds to the roles.) Changes reach the user with their next access token (at most 15
//! minutes, or at once by refreshing), since tokens carry the effective permissions.
//!
//! Lock-out guards: admins cannot remove their own admin role, nor revoke their own
//! `manage_roles` or `manage_permissions` (with which they could undo it).

use jiff::Timestamp;

use super::{AccountError, User, users};
use crate::{
    audit::{AuditAction, AuditEntry},
    booking,
    ids::UserId,
    rbac::{Permission, Role},
    store::Store,
};

/// What an admin's change did.
#[derive(Debug, Clone)]
pub struct Change {
    pub user: User,
    /// False when the user was already as asked (nothing written, nothing audited).
    pub changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    Assign(Role),
    Remove(Role),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionChange {
    Grant(Permission),
    Revoke(Permission),
}

/// Applies `edit` to the target (re-read on every attempt) and commits it with an audit
/// entry, unless it changed nothing.
async fn apply(
    store: &Store,
    now: Timestamp,
    actor_id: &UserId,
    target_id: &UserId,
    action: AuditAction,
    mut edit: impl FnMut(&mut User),
) -> Result<Change, AccountError> {
    for _ in 0..users::ATTEMPTS {
        let before = users::require(store, target_id).await?;
        let mut after = before.value.clone();
        edit(&mut after);
        if after == before.value {
            return Ok(Change { user: after, changed: false });
        }
        let audit = AuditEntry::new(
            now,
            actor_id.as_str(),
            action,
            target_id.as_str(),
            users::snapshot(&before.value),
            users::snapshot(&after),
        );
        match users::commit(store, users::AccountWrite { before, after, audit: Some(audit), extra: Vec::new() }).await {
            Err(AccountError::Concurrent) => continue,
            other => return other.map(|user| Change { user, changed: true }),
        }
    }
    Err(AccountError::Concurrent)
}

/// Assigns or removes a role. Giving the instructor role creates the (empty, unlisted)
/// profile if there is none; taking it away unlists the profile, and is refused while the
/// instructor has upcoming confirmed bookings.
pub async fn change_role(
    store: &Store,
    now: Timestamp,
    actor_id: &UserId,
    target_id: &UserId,
    change: RoleChange,
) -> Result<Change, AccountError> {
    match change {
        RoleChange::Assign(role) => {
            apply(store, now, actor_id, target_id, AuditAction::RoleAssign, |user| {
                if !user.roles.contains(&role) {
                    user.roles.push(role);
                    user.roles.sort();
                }
            })
            .await
        }
        RoleChange::Remove(role) => {
            if role == Role::Admin && actor_id == target_id {
                return Err(AccountError::SelfLockout("admins cannot remove their own admin role"));
            }
            if role == Role::Instructor
                && booking::instructor_has_upcoming_confirmed(store, &target_id.as_instructor(), now).await?
            {
                return Err(AccountError::UpcomingBookings);
            }
            apply(store, now, actor_id, target_id, AuditAction::RoleRemove, |user| user.roles.retain(|r| *r != role))
                .await
        }
    }
}

/// Grants or revokes one permission for one user.
pub async fn change_permission(
    store: &Store,
    now: Timestamp,
    actor_id: &UserId,
    target_id: &UserId,
    change: PermissionChange,
) -> Result<Change, AccountError> {
    match change {
        PermissionChange::Grant(permission) => {
            apply(store, now, actor_id, target_id, AuditAction::PermissionGrant, |user| {
                user.revokes.remove(&permission);
                user.grants.insert(permission);
            })
            .await
        }
        PermissionChange::Revoke(permission) => {
            if actor_id == target_id && matches!(permission, Permission::ManageRoles | Permission::ManagePermissions) {
                return Err(AccountError::SelfLockout(
                    "admins cannot revoke their own manage_roles or manage_permissions",
                ));
            }
            apply(store, now, actor_id, target_id, AuditAction::PermissionRevoke, |user| {
                user.grants.remove(&permission);
                user.revokes.insert(permission);
            })
            .await
        }
    }
}
