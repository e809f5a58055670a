//! Everything an account operation can refuse, in domain terms, and each case's place in
//! the domain's one refusal model (kind and stable code); `http::domain` maps that to HTTP.

use super::AccountStatus;
use crate::{
    refusal::{Failure, Kind, Refusal},
    store::{StoreError, TransactError},
};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// An input is invalid; `field` names it as the client sent it.
    #[error("{message}")]
    Invalid { field: String, code: &'static str, message: String },
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("the email or password is wrong")]
    InvalidCredentials,
    #[error("this account is deactivated")]
    Deactivated,
    #[error("no such user")]
    UserNotFound,
    #[error("the refresh token is not valid")]
    RefreshInvalid,
    #[error("the refresh token was already used, so the whole session has been revoked; sign in again")]
    RefreshReused,
    #[error("the session has ended; sign in again")]
    SessionEnded,
    #[error("the reset token is invalid, already used or expired")]
    ResetTokenInvalid,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("there are upcoming confirmed bookings; cancel or complete them first")]
    UpcomingBookings,
    #[error("cannot {action} an account that is {}", from.as_str())]
    InvalidTransition { action: &'static str, from: AccountStatus },
    /// The change would lock the acting admin out.
    #[error("{0}")]
    SelfLockout(&'static str),
    /// Others kept changing the same account while we tried to.
    #[error("the account was changed concurrently; retry")]
    Concurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Transact(TransactError),
    /// A bug or a broken dependency (hashing, randomness): a 500.
    #[error("{0}")]
    Internal(String),
}

impl AccountError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), code: "invalid_parameter", message: message.into() }
    }

    pub fn invalid_with(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), code, message: message.into() }
    }
}

impl From<AccountError> for Failure {
    fn from(err: AccountError) -> Self {
        let detail = err.to_string();
        let refusal = match err {
            AccountError::Invalid { field, code, message } => Refusal::new(Kind::Invalid, code, message).field(field),
            AccountError::EmailTaken => Refusal::conflict("email_taken", detail).field("email"),
            AccountError::InvalidCredentials => Refusal::unauthorized("invalid_credentials", detail),
            AccountError::Deactivated => Refusal::forbidden("account_deactivated", detail),
            AccountError::UserNotFound => Refusal::user_not_found(),
            AccountError::RefreshInvalid => {
                Refusal::unauthorized("invalid_refresh_token", detail).field("refresh_token")
            }
            AccountError::RefreshReused => Refusal::unauthorized("refresh_token_reused", detail).field("refresh_token"),
            AccountError::SessionEnded => Refusal::unauthorized("session_ended", detail),
            AccountError::ResetTokenInvalid => Refusal::invalid("invalid_reset_token", "token", detail),
            AccountError::WrongPassword => Refusal::invalid("wrong_password", "current_password", detail),
            AccountError::UpcomingBookings => Refusal::conflict("upcoming_bookings", detail),
            AccountError::InvalidTransition { .. } => Refusal::conflict("invalid_transition", detail),
            AccountError::SelfLockout(_) => Refusal::conflict("self_lockout", detail),
            AccountError::Concurrent => Refusal::conflict("concurrent_update", detail),
            AccountError::Store(e) => return Failure::Store(e),
            AccountError::Transact(e) => return e.into(),
            AccountError::Internal(cause) => return Failure::Internal(cause),
        };
        refusal.into()
    }
}
