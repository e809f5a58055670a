//! Sending each notification mail once.
//!
//! A mail service takes no idempotency key, so "once" is kept here: before sending, the
//! consumer claims `NOTIFY#<event>` / `MAIL#<recipient>` with a conditional write; the
//! claim holds a lease while the mail is in flight and becomes `sent` after. A redelivered
//! event finds `sent` and skips; two deliveries racing find the other's live lease and
//! retry later; a consumer that died mid-send leaves a lease that expires, and the retry
//! sends. The one window left is a crash after the mail service accepted the mail and
//! before `sent` is written: that mail goes twice, which beats losing it.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::Recipient;
use crate::{
    mail::{Mail, MailSender},
    store::{Record, Store, StoreError, keys},
};

/// Longer than any mail send takes; shorter than the queue's visibility timeout, so the
/// redelivery after a crash finds the lease expired.
pub const LEASE: SignedDuration = SignedDuration::from_secs(20);

/// Claims are kept long enough to outlive every redelivery of their event.
const KEEP: SignedDuration = SignedDuration::from_hours(24 * 30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum State {
    Sending,
    Sent,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "notify_claim")]
struct Claim {
    state: State,
    /// Epoch milliseconds until which a `sending` claim is someone else's.
    lease_until: i64,
}

/// What happened to one mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Now,
    /// Sent by an earlier delivery of the same event.
    Already,
}

#[derive(Debug, thiserror::Error)]
pub enum OnceError {
    #[error("another delivery of this event is sending the mail")]
    InFlight,
    #[error("mail: {0}")]
    Mail(String),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

fn record(key: crate::store::Key, claim: Claim, version: u64, now: Timestamp) -> Record<Claim> {
    let mut record = Record::new(key, claim).expires_at(now.saturating_add(KEEP).unwrap_or(now).as_second());
    record.version = Some(version);
    record
}

/// Sends `mail` unless this (event, recipient) was mailed already.
pub async fn send_once(
    store: &Store,
    sender: &dyn MailSender,
    event_id: &str,
    recipient: Recipient,
    mail: &Mail,
    now: Timestamp,
) -> Result<Sent, OnceError> {
    let key = keys::notify_claim(event_id, recipient.as_str());
    let existing: Option<Record<Claim>> = store.get(&key).await?;
    let expected = match existing {
        Some(r) if r.data.state == State::Sent => return Ok(Sent::Already),
        Some(r) if r.data.lease_until > now.as_millisecond() => return Err(OnceError::InFlight),
        Some(r) => Some(r.version.unwrap_or(0)),
        None => None,
    };
    let version = expected.unwrap_or(0) + 1;
    let lease_until = now.saturating_add(LEASE).unwrap_or(now).as_millisecond();
    let claim = record(key.clone(), Claim { state: State::Sending, lease_until }, version, now);
    match store.put_versioned(&claim, expected).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Err(OnceError::InFlight),
        Err(err) => return Err(err.into()),
    }
    if let Err(err) = sender.send(mail).await {
        // Give the claim up so the retry need not wait for the lease.
        let _ = store.delete(&key).await;
        return Err(OnceError::Mail(err.0));
    }
    let sent = record(key, Claim { state: State::Sent, lease_until: 0 }, version + 1, now);
    store.put_versioned(&sent, Some(version)).await?;
    Ok(Sent::Now)
}
