//! How domain errors become problems: each refusal gets its status and stable code here,
//! once, for every function that calls the domain.

use axum::http::StatusCode;

use super::problem::ApiError;
use crate::{accounts::AccountError, instructors::editing::EditError};

impl From<AccountError> for ApiError {
    fn from(err: AccountError) -> Self {
        let detail = err.to_string();
        match err {
            AccountError::Invalid { field, code, message } => {
                ApiError::new(StatusCode::BAD_REQUEST, code, message).with_field(field)
            }
            AccountError::EmailTaken => ApiError::conflict("email_taken", detail).with_field("email"),
            AccountError::InvalidCredentials => ApiError::unauthorized("invalid_credentials", detail),
            AccountError::Deactivated => ApiError::forbidden("account_deactivated", detail),
            AccountError::UserNotFound => ApiError::not_found("user_not_found", detail),
            AccountError::RefreshInvalid => {
                ApiError::unauthorized("invalid_refresh_token", detail).with_field("refresh_token")
            }
            AccountError::RefreshReused => {
                ApiError::unauthorized("refresh_token_reused", detail).with_field("refresh_token")
            }
            AccountError::SessionEnded => ApiError::unauthorized("session_ended", detail),
            AccountError::ResetTokenInvalid => ApiError::bad_request("invalid_reset_token", detail).with_field("token"),
            AccountError::WrongPassword => {
                ApiError::bad_request("wrong_password", detail).with_field("current_password")
            }
            AccountError::UpcomingBookings => ApiError::conflict("upcoming_bookings", detail),
            AccountError::InvalidTransition { .. } => ApiError::conflict("invalid_transition", detail),
            AccountError::SelfLockout(_) => ApiError::conflict("self_lockout", detail),
            AccountError::Concurrent => ApiError::conflict("concurrent_update", detail),
            AccountError::Store(e) => e.into(),
            AccountError::Transact(e) => e.into(),
            AccountError::Internal(cause) => ApiError::internal(cause),
        }
    }
}

impl From<EditError> for ApiError {
    fn from(err: EditError) -> Self {
        let detail = err.to_string();
        match err {
            EditError::Invalid { field, code, message } => {
                ApiError::new(StatusCode::BAD_REQUEST, code, message).with_field(field)
            }
            EditError::ProfileNotFound => ApiError::not_found("profile_not_found", detail),
            EditError::OfferingNotFound => ApiError::not_found("offering_not_found", detail),
            EditError::DuplicateOffering { .. } => {
                ApiError::conflict("duplicate_offering", detail).with_field("service")
            }
            EditError::StaleVersion => ApiError::precondition_failed(detail).with_field("If-Match"),
            EditError::Concurrent => ApiError::conflict("concurrent_update", detail),
            EditError::Store(e) => e.into(),
            EditError::Transact(e) => e.into(),
        }
    }
}
