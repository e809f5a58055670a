//! Sessions and their refresh tokens (PRODUCT.md §1).
//!
//! A session is a *family* of refresh tokens (`SESSION#<id>`), started at login; its id is
//! the access token's `sid`. A refresh token is 256 random bits, given to the client once
//! and stored only as its SHA-256 (`REFRESH#<hash>`: a fast hash is right for a random
//! secret that cannot be guessed, unlike a password). Every refresh rotates: the presented
//! token is marked used and a new one issued, atomically with a check that the family is
//! live and the account's `session_epoch` unchanged. Presenting a used token again means
//! it was stolen (or replayed): the whole family is revoked.
//!
//! Ending sessions without finding them: the account's `session_epoch` is bumped (password
//! change or reset, deactivation) and every family minted under an older epoch is refused.
//! A password change carries the caller's own family over to the new epoch in the same
//! transaction, so only the *other* sessions end.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{AccountError, AccountStatus, User, users};
use crate::{
    ids::UserId,
    store::{Record, Store, StoreError, TransactError, TxAction, keys, transact::Condition},
};
use aws_sdk_dynamodb::types::AttributeValue;

/// A refresh token (and its family) lives this long after its last use.
pub const REFRESH_TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(30 * 24);
const TOKEN_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "session")]
pub struct Session {
    pub id: String,
    pub user_id: UserId,
    /// The account's `session_epoch` this family belongs to.
    pub epoch: u64,
    /// Hash of the one refresh token that may be used next.
    pub current: String,
    pub revoked: bool,
    pub created_at: String,
    pub last_used_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "refresh_token")]
struct RefreshItem {
    session_id: String,
    user_id: UserId,
    issued_at: String,
    /// Set when the token was exchanged; a second exchange is a reuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rotated_at: Option<String>,
}

/// A refresh token as handed to the client, once.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedRefresh {
    pub session_id: String,
    pub token: String,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for IssuedRefresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedRefresh").field("session_id", &self.session_id).finish_non_exhaustive()
    }
}

/// 256 random bits, base64url without padding (43 characters).
pub fn random_token() -> Result<String, AccountError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Internal(format!("no entropy: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a high-entropy token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `text` has the shape of a token we issue (cheap rejection of junk).
pub fn looks_like_token(text: &str) -> bool {
    text.len() == 43 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn expiry(now: Timestamp) -> i64 {
    now.checked_add(REFRESH_TOKEN_LIFETIME).unwrap_or(now).as_second()
}

fn token_record(hash: &str, item: RefreshItem, now: Timestamp) -> Record<RefreshItem> {
    Record::new(keys::refresh_token(hash), item).expires_at(expiry(now))
}

fn new_token_item(session: &Session, now: Timestamp) -> RefreshItem {
    RefreshItem {
        session_id: session.id.clone(),
        user_id: session.user_id.clone(),
        issued_at: now.to_string(),
        rotated_at: None,
    }
}

/// Starts a session for `user` (at login or registration): a new family and its first
/// refresh token.
pub async fn start(store: &Store, now: Timestamp, user: &User) -> Result<IssuedRefresh, AccountError> {
    let token = random_token()?;
    let hash = token_hash(&token);
    let session = Session {
        id: crate::ids::new_id(),
        user_id: user.id.clone(),
        epoch: user.session_epoch,
        current: hash.clone(),
        revoked: false,
        created_at: now.to_string(),
        last_used_at: now.to_string(),
    };
    let session_record = Record::new(keys::session(&session.id), session.clone()).expires_at(expiry(now));
    store
        .transact(&[
            TxAction::put("session", &session_record, Condition::absent())?,
            TxAction::put("token", &token_record(&hash, new_token_item(&session, now), now), Condition::absent())?,
        ])
        .await
        .map_err(AccountError::Transact)?;
    Ok(IssuedRefresh { session_id: session.id, token, expires_at: Timestamp::from_second(expiry(now)).unwrap_or(now) })
}

pub async fn get(store: &Store, now: Timestamp, session_id: &str) -> Result<Option<Session>, StoreError> {
    let record: Option<Record<Session>> = store.get(&keys::session(session_id)).await?;
    Ok(record.filter(|r| !r.is_expired(now.as_second())).map(|r| r.data))
}

/// Marks a family revoked (idempotent; unknown ids are ignored). With `owner`, only if the
/// family belongs to that user.
pub async fn revoke(store: &Store, session_id: &str, owner: Option<&UserId>) -> Result<(), AccountError> {
    let condition = match owner {
        Some(user_id) => Condition::expr("attribute_exists(PK) AND user_id = :owner").string(":owner", user_id),
        None => Condition::exists(),
    }
    .value(":revoked", AttributeValue::Bool(true));
    let action = TxAction::update("session", &keys::session(session_id), "SET revoked = :revoked", condition)?;
    match store.transact(&[action]).await {
        Ok(()) | Err(TransactError::ConditionFailed { .. }) => Ok(()),
        Err(other) => Err(AccountError::Transact(other)),
    }
}

async fn token_item(store: &Store, now: Timestamp, presented: &str) -> Result<(String, RefreshItem), AccountError> {
    if !looks_like_token(presented) {
        return Err(AccountError::RefreshInvalid);
    }
    let hash = token_hash(presented);
    let record: Option<Record<RefreshItem>> = store.get(&keys::refresh_token(&hash)).await?;
    match record {
        Some(r) if !r.is_expired(now.as_second()) => Ok((hash, r.data)),
        _ => Err(AccountError::RefreshInvalid),
    }
}

/// Ends the session a refresh token belongs to (logout). Unknown tokens are fine: the
/// outcome the client wants already holds.
pub async fn revoke_by_token(store: &Store, now: Timestamp, presented: &str) -> Result<(), AccountError> {
    match token_item(store, now, presented).await {
        Ok((_, item)) => revoke(store, &item.session_id, Some(&item.user_id)).await,
        Err(AccountError::RefreshInvalid) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Exchanges a refresh token for a new one (and the account, for the access token).
pub async fn rotate(store: &Store, now: Timestamp, presented: &str) -> Result<(User, IssuedRefresh), AccountError> {
    let (hash, item) = token_item(store, now, presented).await?;
    if item.rotated_at.is_some() {
        revoke(store, &item.session_id, None).await?;
        tracing::warn!(session_id = %item.session_id, "refresh token reused; session revoked");
        return Err(AccountError::RefreshReused);
    }
    let session = get(store, now, &item.session_id).await?.ok_or(AccountError::SessionEnded)?;
    let user = users::get(store, &item.user_id).await?.ok_or(AccountError::SessionEnded)?.value;
    if session.revoked
        || session.user_id != user.id
        || user.status == AccountStatus::Deactivated
        || user.session_epoch != session.epoch
    {
        return Err(AccountError::SessionEnded);
    }
    let next = random_token()?;
    let next_hash = token_hash(&next);
    let epoch = AttributeValue::N(session.epoch.to_string());
    let actions = [
        TxAction::update(
            "token",
            &keys::refresh_token(&hash),
            "SET rotated_at = :now",
            Condition::expr("attribute_exists(PK) AND attribute_not_exists(rotated_at)")
                .string(":now", now.to_string()),
        )?,
        TxAction::put("new-token", &token_record(&next_hash, new_token_item(&session, now), now), Condition::absent())?,
        TxAction::update(
            "session",
            &keys::session(&session.id),
            "SET #current = :next, last_used_at = :now, expiresAt = :expires",
            Condition::expr("revoked = :live AND epoch = :epoch AND #current = :presented")
                .name("#current", "current")
                .string(":next", next_hash.clone())
                .string(":now", now.to_string())
                .value(":expires", AttributeValue::N(expiry(now).to_string()))
                .value(":live", AttributeValue::Bool(false))
                .value(":epoch", epoch.clone())
                .string(":presented", hash.clone()),
        )?,
        TxAction::check(
            "user",
            &keys::user(&user.id),
            Condition::expr("session_epoch = :epoch AND #status <> :deactivated")
                .name("#status", "status")
                .value(":epoch", epoch)
                .string(":deactivated", AccountStatus::Deactivated.as_str()),
        )?,
    ];
    match store.transact(&actions).await {
        Ok(()) => Ok((
            user,
            IssuedRefresh {
                session_id: session.id,
                token: next,
                expires_at: Timestamp::from_second(expiry(now)).unwrap_or(now),
            },
        )),
        // Someone exchanged this very token a moment ago: a reuse, however close in time.
        Err(TransactError::ConditionFailed { label, .. }) if label == "token" => {
            revoke(store, &session.id, None).await?;
            Err(AccountError::RefreshReused)
        }
        Err(TransactError::ConditionFailed { .. }) => Err(AccountError::SessionEnded),
        Err(other) => Err(AccountError::Transact(other)),
    }
}

/// The transaction action that moves the caller's live session to the account's next
/// epoch (so a password change ends every session but this one). `None` when the session
/// is not a live one of this user at its current epoch.
pub async fn carry_over(
    store: &Store,
    now: Timestamp,
    session_id: &str,
    user: &User,
    next_epoch: u64,
) -> Result<Option<TxAction>, AccountError> {
    let Some(session) = get(store, now, session_id).await? else {
        return Ok(None);
    };
    if session.user_id != user.id || session.revoked || session.epoch != user.session_epoch {
        return Ok(None);
    }
    let action = TxAction::update(
        "session",
        &keys::session(session_id),
        "SET epoch = :next",
        Condition::expr("revoked = :live AND epoch = :epoch")
            .value(":next", AttributeValue::N(next_epoch.to_string()))
            .value(":live", AttributeValue::Bool(false))
            .value(":epoch", AttributeValue::N(session.epoch.to_string())),
    )?;
    Ok(Some(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_url_safe_and_hashed() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert!(looks_like_token(&a), "{a}");
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token(&"+".repeat(43)));
    }
}
