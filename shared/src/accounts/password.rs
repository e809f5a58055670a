//! Changing a password (needs the current one; ends every other session) and resetting a
//! forgotten one (a single-use random token, valid one hour, stored only as its hash;
//! ends every session).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{AccountError, AccountStatus, Email, NewPassword, User, sessions, users};
use crate::{
    auth::password,
    ids::UserId,
    mail::Mail,
    store::{Record, Store, TransactError, TxAction, keys, transact::Condition},
};

/// PRODUCT.md §1: a reset token is valid for one hour.
pub const RESET_TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "password_reset")]
struct ResetItem {
    user_id: UserId,
    /// The account's `session_epoch` when the token was issued: a password change or an
    /// earlier reset since then voids it.
    epoch: u64,
    created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    used_at: Option<String>,
}

async fn hash(new_password: &NewPassword) -> Result<String, AccountError> {
    password::hash_off_thread(new_password.as_str().to_owned()).await.map_err(AccountError::Internal)
}

/// Sets a new password for `user_id`, who proved to know `current`. Every other session
/// ends; `session_id` (the caller's) stays signed in.
pub async fn change(
    store: &Store,
    now: Timestamp,
    user_id: &UserId,
    session_id: &str,
    current: &str,
    new_password: &NewPassword,
) -> Result<(), AccountError> {
    let before = users::require(store, user_id).await?;
    if before.value.status == AccountStatus::Deactivated {
        return Err(AccountError::Deactivated);
    }
    if !password::verify_off_thread(current.to_owned(), before.value.password_hash.clone()).await {
        return Err(AccountError::WrongPassword);
    }
    if current == new_password.as_str() {
        return Err(AccountError::invalid_with(
            "new_password",
            "password_unchanged",
            "new_password must differ from the current password",
        ));
    }
    let password_hash = hash(new_password).await?;
    let verified_hash = before.value.password_hash.clone();
    let mut before = before;
    for attempt in 0..users::ATTEMPTS {
        if attempt > 0 {
            before = users::require(store, user_id).await?;
            // The password itself changed meanwhile: what the caller proved no longer holds.
            if before.value.password_hash != verified_hash {
                return Err(AccountError::Concurrent);
            }
        }
        let mut after = before.value.clone();
        after.password_hash = password_hash.clone();
        after.session_epoch = before.value.session_epoch + 1;
        let extra = sessions::carry_over(store, now, session_id, &before.value, after.session_epoch)
            .await?
            .into_iter()
            .collect();
        let write = users::AccountWrite { before: before.clone(), after, audit: None, extra };
        match users::commit(store, write).await {
            Err(AccountError::Concurrent) => continue,
            // The caller's own session ended meanwhile: theirs ends with the others.
            Err(AccountError::Transact(TransactError::ConditionFailed { label, .. })) if label == "session" => {
                return Err(AccountError::SessionEnded);
            }
            other => return other.map(|_| ()),
        }
    }
    Err(AccountError::Concurrent)
}

/// A reset token for the account `email` names, if there is one that may sign in. `None`
/// otherwise: the caller answers the same either way.
pub async fn request_reset(
    store: &Store,
    now: Timestamp,
    email: &Email,
) -> Result<Option<(User, String)>, AccountError> {
    let Some(found) = users::find_by_email(store, email).await? else {
        return Ok(None);
    };
    let user = found.value;
    if user.status == AccountStatus::Deactivated {
        return Ok(None);
    }
    let token = sessions::random_token()?;
    let expires = now.checked_add(RESET_TOKEN_LIFETIME).unwrap_or(now).as_second();
    let item =
        ResetItem { user_id: user.id.clone(), epoch: user.session_epoch, created_at: now.to_string(), used_at: None };
    store.put_new(&Record::new(keys::password_reset(&sessions::token_hash(&token)), item).expires_at(expires)).await?;
    Ok(Some((user, token)))
}

/// The mail that carries a reset link to `user`.
pub fn reset_mail(user: &User, public_base_url: &str, token: &str) -> Mail {
    let link = format!("{}/reset-password?token={token}", public_base_url.trim_end_matches('/'));
    Mail {
        to: user.email.clone(),
        subject: "Reset your InstaInstru password".to_owned(),
        text: format!(
            "Hi {name},\n\nSomeone (hopefully you) asked to reset the password of your InstaInstru account.\n\
             Open this link within one hour to choose a new one:\n\n{link}\n\n\
             If you did not ask for this, ignore this mail: your password stays as it is.\n",
            name = user.full_name
        ),
    }
}

/// Sets a new password with a reset token. The token is spent and every session ends.
pub async fn confirm_reset(
    store: &Store,
    now: Timestamp,
    token: &str,
    new_password: &NewPassword,
) -> Result<(), AccountError> {
    if !sessions::looks_like_token(token) {
        return Err(AccountError::ResetTokenInvalid);
    }
    let key = keys::password_reset(&sessions::token_hash(token));
    let record: Option<Record<ResetItem>> = store.get(&key).await?;
    let reset = match record {
        Some(r) if !r.is_expired(now.as_second()) && r.data.used_at.is_none() => r.data,
        _ => return Err(AccountError::ResetTokenInvalid),
    };
    let password_hash = hash(new_password).await?;
    for _ in 0..users::ATTEMPTS {
        let before = users::get(store, &reset.user_id).await?.ok_or(AccountError::ResetTokenInvalid)?;
        if before.value.session_epoch != reset.epoch || before.value.status == AccountStatus::Deactivated {
            return Err(AccountError::ResetTokenInvalid);
        }
        let mut after = before.value.clone();
        after.password_hash = password_hash.clone();
        after.session_epoch = reset.epoch + 1;
        let spend = TxAction::update(
            "reset",
            &key,
            "SET used_at = :now",
            Condition::expr("attribute_exists(PK) AND attribute_not_exists(used_at) AND expiresAt > :epoch_now")
                .string(":now", now.to_string())
                .value(":epoch_now", aws_sdk_dynamodb::types::AttributeValue::N(now.as_second().to_string())),
        )?;
        let write = users::AccountWrite { before, after, audit: None, extra: vec![spend] };
        match users::commit(store, write).await {
            Err(AccountError::Concurrent) => continue,
            Err(AccountError::Transact(TransactError::ConditionFailed { label, .. })) if label == "reset" => {
                return Err(AccountError::ResetTokenInvalid);
            }
            other => return other.map(|_| ()),
        }
    }
    Err(AccountError::Concurrent)
}
