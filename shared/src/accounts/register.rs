//! Self-registration (PRODUCT.md §1): students and instructors only; the email is claimed
//! by a deterministic item in the same transaction as the user, so two concurrent
//! registrations of one address cannot both succeed.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::{AccountError, AccountStatus, Email, EmailClaim, FullName, NewPassword, TimeZoneName, User};
use crate::{
    auth::password,
    changes::{self, Change},
    ids::UserId,
    instructors::editing,
    rbac::Role,
    store::{Store, TransactError, TxAction, transact::Condition},
};

/// A validated registration.
#[derive(Debug, Clone)]
pub struct Registration {
    pub email: Email,
    pub password: NewPassword,
    pub full_name: FullName,
    pub role: Role,
    pub time_zone: TimeZoneName,
}

/// The roles anyone may give themselves. Admin is granted by an admin, never claimed.
pub fn self_assignable(role: Role) -> bool {
    matches!(role, Role::Student | Role::Instructor)
}

/// Creates the account (and, for an instructor, an empty profile that stays unlisted
/// until it is complete).
pub async fn register(store: &Store, now: Timestamp, registration: Registration) -> Result<User, AccountError> {
    if !self_assignable(registration.role) {
        return Err(AccountError::invalid_with(
            "role",
            "role_not_allowed",
            "you can register as a student or an instructor",
        ));
    }
    let password_hash =
        password::hash_off_thread(registration.password.as_str().to_owned()).await.map_err(AccountError::Internal)?;
    let user = User {
        id: UserId::generate(),
        email: registration.email.as_str().to_owned(),
        full_name: registration.full_name.into_string(),
        phone: None,
        roles: vec![registration.role],
        grants: BTreeSet::new(),
        revokes: BTreeSet::new(),
        status: AccountStatus::Active,
        password_hash,
        time_zone: registration.time_zone.into_string(),
        created_at: now.to_string(),
        session_epoch: 0,
    };
    let mut actions = vec![
        TxAction::put("user", &user.record().version(1), Condition::absent())?,
        TxAction::put("email", &EmailClaim::record(&registration.email, &user.id), Condition::absent())?,
    ];
    let instructor = user.has_role(Role::Instructor);
    if instructor {
        let profile = editing::empty_profile(&user.id.as_instructor(), &user.full_name, user.status);
        actions.push(TxAction::put("profile", &profile.record().version(1), Condition::absent())?);
        actions.push(changes::record_action(Change::Instructor { instructor_id: user.id.as_instructor() })?);
    }
    store.transact(&actions).await.map_err(|err| match err {
        TransactError::ConditionFailed { ref label, .. } if label == "email" => AccountError::EmailTaken,
        other => AccountError::Transact(other),
    })?;
    Ok(user)
}
