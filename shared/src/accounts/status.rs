//! Account status (PRODUCT.md §1): active; suspended (can sign in, receives no bookings,
//! not listed); deactivated (cannot sign in).
//!
//! An instructor manages their own: suspend and deactivate are refused while they have
//! upcoming confirmed bookings; reactivate brings a suspended account back. A deactivated
//! account cannot sign in, so it cannot reactivate itself: an admin reactivates it
//! (`POST /admin/users/{id}/reactivate`). Deactivation also ends every session.
//!
//! Admins suspend and reactivate any account but their own. The upcoming-bookings guard
//! protects students from an instructor's change of heart; an admin suspending an account
//! is a deliberate act and is not blocked by it (existing bookings stay for the admin to
//! handle). Every status change moves the instructor profile's copy in the same
//! transaction and refreshes the search directory.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AccountError, AccountStatus, User, users};
use crate::{
    audit::{AuditAction, AuditEntry},
    booking,
    ids::UserId,
    store::Store,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusAction {
    Suspend,
    Deactivate,
    Reactivate,
}

impl StatusAction {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusAction::Suspend => "suspend",
            StatusAction::Deactivate => "deactivate",
            StatusAction::Reactivate => "reactivate",
        }
    }

    /// Whether this action needs the instructor to have no upcoming confirmed bookings.
    fn guarded(self) -> bool {
        matches!(self, StatusAction::Suspend | StatusAction::Deactivate)
    }
}

/// Where an action leads from `from`, for the account holder themselves.
fn self_transition(from: AccountStatus, action: StatusAction) -> Option<AccountStatus> {
    use AccountStatus::*;
    match (from, action) {
        (Active, StatusAction::Suspend) => Some(Suspended),
        (Active | Suspended, StatusAction::Deactivate) => Some(Deactivated),
        (Suspended, StatusAction::Reactivate) => Some(Active),
        _ => None,
    }
}

/// What the account holder may do now, and why not the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusReport {
    pub status: AccountStatus,
    /// Whether the instructor has confirmed bookings that have not ended yet.
    pub has_upcoming_bookings: bool,
    /// The actions allowed right now.
    pub allowed: Vec<StatusAction>,
    /// Actions the status would allow but upcoming bookings block.
    pub blocked_by_upcoming_bookings: Vec<StatusAction>,
}

pub fn report_for(status: AccountStatus, has_upcoming_bookings: bool) -> StatusReport {
    let mut allowed = Vec::new();
    let mut blocked = Vec::new();
    for action in [StatusAction::Suspend, StatusAction::Deactivate, StatusAction::Reactivate] {
        if self_transition(status, action).is_some() {
            if action.guarded() && has_upcoming_bookings {
                blocked.push(action);
            } else {
                allowed.push(action);
            }
        }
    }
    StatusReport { status, has_upcoming_bookings, allowed, blocked_by_upcoming_bookings: blocked }
}

pub async fn report(store: &Store, now: Timestamp, user: &User) -> Result<StatusReport, AccountError> {
    let upcoming = booking::instructor_has_upcoming_confirmed(store, &user.id.as_instructor(), now).await?;
    Ok(report_for(user.status, upcoming))
}

/// The account holder changes their own status.
pub async fn change_own(
    store: &Store,
    now: Timestamp,
    user_id: &UserId,
    action: StatusAction,
) -> Result<User, AccountError> {
    for _ in 0..users::ATTEMPTS {
        let before = users::require(store, user_id).await?;
        let from = before.value.status;
        if from == AccountStatus::Deactivated {
            return Err(AccountError::Deactivated);
        }
        let to =
            self_transition(from, action).ok_or(AccountError::InvalidTransition { action: action.as_str(), from })?;
        if action.guarded() && booking::instructor_has_upcoming_confirmed(store, &user_id.as_instructor(), now).await? {
            return Err(AccountError::UpcomingBookings);
        }
        let mut after = before.value.clone();
        after.status = to;
        if to == AccountStatus::Deactivated {
            after.session_epoch += 1;
        }
        match users::commit(store, users::AccountWrite { before, after, audit: None, extra: Vec::new() }).await {
            Err(AccountError::Concurrent) => continue,
            other => return other,
        }
    }
    Err(AccountError::Concurrent)
}

/// What an admin's status change did.
#[derive(Debug, Clone)]
pub struct AdminChange {
    pub user: User,
    /// False when the account already had the asked-for status (nothing written, nothing
    /// audited).
    pub changed: bool,
}

/// An admin suspends (`Suspend`) or reactivates (`Reactivate`) someone else's account,
/// with an audit entry in the same transaction.
pub async fn admin_set(
    store: &Store,
    now: Timestamp,
    actor_id: &UserId,
    target_id: &UserId,
    action: StatusAction,
) -> Result<AdminChange, AccountError> {
    if actor_id == target_id {
        return Err(AccountError::SelfLockout("admins cannot change the status of their own account"));
    }
    for _ in 0..users::ATTEMPTS {
        let before = users::require(store, target_id).await?;
        let from = before.value.status;
        let (to, audit_action) = match (action, from) {
            (StatusAction::Suspend, AccountStatus::Active) => (AccountStatus::Suspended, AuditAction::UserSuspend),
            (StatusAction::Reactivate, AccountStatus::Suspended | AccountStatus::Deactivated) => {
                (AccountStatus::Active, AuditAction::UserReactivate)
            }
            (StatusAction::Suspend, AccountStatus::Suspended) | (StatusAction::Reactivate, AccountStatus::Active) => {
                return Ok(AdminChange { user: before.value, changed: false });
            }
            _ => return Err(AccountError::InvalidTransition { action: action.as_str(), from }),
        };
        let mut after = before.value.clone();
        after.status = to;
        let audit = AuditEntry::new(
            now,
            actor_id.as_str(),
            audit_action,
            target_id.as_str(),
            users::snapshot(&before.value),
            users::snapshot(&after),
        );
        match users::commit(store, users::AccountWrite { before, after, audit: Some(audit), extra: Vec::new() }).await {
            Err(AccountError::Concurrent) => continue,
            other => return other.map(|user| AdminChange { user, changed: true }),
        }
    }
    Err(AccountError::Concurrent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_allowed_from_each_status() {
        use StatusAction::*;
        let r = report_for(AccountStatus::Active, false);
        assert_eq!(r.allowed, [Suspend, Deactivate]);
        let r = report_for(AccountStatus::Active, true);
        assert!(r.allowed.is_empty());
        assert_eq!(r.blocked_by_upcoming_bookings, [Suspend, Deactivate]);
        let r = report_for(AccountStatus::Suspended, true);
        assert_eq!(r.allowed, [Reactivate]);
        assert_eq!(r.blocked_by_upcoming_bookings, [Deactivate]);
        assert!(report_for(AccountStatus::Deactivated, false).allowed.is_empty());
    }
}
