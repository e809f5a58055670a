//! Checking a password. Every path runs exactly one Argon2id verification, so response
//! time does not reveal whether an email has an account.

use super::{AccountError, AccountStatus, Email, User, users};
use crate::{auth::password, store::Store};

/// The account `email` names, if `password` is its password and it may sign in.
/// Deactivated accounts cannot (suspended ones can: they only stop receiving bookings).
pub async fn authenticate(store: &Store, email: &Email, password: &str) -> Result<User, AccountError> {
    let Some(found) = users::find_by_email(store, email).await? else {
        password::verify_dummy_off_thread(password.to_owned()).await;
        return Err(AccountError::InvalidCredentials);
    };
    let user = found.value;
    if !password::verify_off_thread(password.to_owned(), user.password_hash.clone()).await {
        return Err(AccountError::InvalidCredentials);
    }
    if user.status == AccountStatus::Deactivated {
        return Err(AccountError::Deactivated);
    }
    Ok(user)
}
