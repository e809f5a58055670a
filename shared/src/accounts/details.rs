//! A user's own details: name and time zone (PRODUCT.md §1 "Update own name/time zone").

use super::{AccountError, AccountStatus, FullName, TimeZoneName, User, users};
use crate::{ids::UserId, store::Store};

/// Changes what is given; an instructor's profile follows the new name in the same
/// transaction.
pub async fn update_details(
    store: &Store,
    user_id: &UserId,
    full_name: Option<FullName>,
    time_zone: Option<TimeZoneName>,
) -> Result<User, AccountError> {
    for _ in 0..users::ATTEMPTS {
        let before = users::require(store, user_id).await?;
        if before.value.status == AccountStatus::Deactivated {
            return Err(AccountError::Deactivated);
        }
        let mut after = before.value.clone();
        if let Some(name) = &full_name {
            after.full_name = name.as_str().to_owned();
        }
        if let Some(zone) = &time_zone {
            after.time_zone = zone.as_str().to_owned();
        }
        if after == before.value {
            return Ok(after);
        }
        match users::commit(store, users::AccountWrite { before, after, audit: None, extra: Vec::new() }).await {
            Err(AccountError::Concurrent) => continue,
            other => return other,
        }
    }
    Err(AccountError::Concurrent)
}
