//! `Idempotency-Key` on booking creation.
//!
//! The record's key is deterministic per (student, key), and it is written in the same
//! transaction as the booking, conditional on absence: of two concurrent requests with
//! one key, exactly one books; the other finds the record and answers as a retry would.
//! It holds a hash of the request and the first response, so a retry returns exactly the
//! first result and a different request under the same key is refused. Only successes
//! are recorded: a refused request can be corrected and sent again with the same key.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    error::{BookingResult, Refusal},
    policy::IDEMPOTENCY_WINDOW,
};
use crate::{
    ids::{BookingId, UserId},
    store::{Key, Record, Store, StoreError, TxAction, keys, transact::Condition},
};

/// Longest accepted key (the IETF draft leaves it to the server; UUIDs are 36).
pub const MAX_KEY_LEN: usize = 255;
pub const HEADER: &str = "Idempotency-Key";

/// A validated key: 1–255 printable ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(text: &str) -> Result<Self, Refusal> {
        let printable = text.bytes().all(|b| (0x20..0x7f).contains(&b));
        if text.trim().is_empty() || text.len() > MAX_KEY_LEN || !printable {
            return Err(Refusal::invalid(
                "invalid_idempotency_key",
                HEADER,
                format!("{HEADER} must be 1-{MAX_KEY_LEN} printable ASCII characters"),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    fn hash(&self) -> String {
        hex::encode(&Sha256::digest(self.0.as_bytes())[..16])
    }

    pub fn key(&self, student_id: &UserId) -> Key {
        keys::idempotency(student_id, &self.hash())
    }
}

/// The hash a request is recognised by (of its canonical JSON, so formatting does not matter).
pub fn request_hash(canonical_request: &[u8]) -> String {
    hex::encode(Sha256::digest(canonical_request))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "idempotency")]
pub struct IdempotencyItem {
    pub request_hash: String,
    pub booking_id: BookingId,
    /// The first response body (JSON), returned as is to every retry.
    pub response: String,
    pub created_at: Timestamp,
}

/// The result a key is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstResult {
    pub booking_id: BookingId,
    /// The response body, returned byte for byte.
    pub response: String,
}

/// What an earlier request with the same key means for this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prior {
    /// None (or expired): go ahead.
    None,
    /// The same request succeeded: answer with its result again.
    Replay(FirstResult),
}

/// Interprets a stored record for a request with `request_hash`.
pub fn prior(record: Option<Record<IdempotencyItem>>, request_hash: &str, now: Timestamp) -> BookingResult<Prior> {
    let Some(record) = record.filter(|r| !r.is_expired(now.as_second())) else {
        return Ok(Prior::None);
    };
    if record.data.request_hash != request_hash {
        return Err(Refusal::unprocessable(
            "idempotency_key_reused",
            format!("this {HEADER} was already used for a different request"),
        )
        .field(HEADER)
        .into());
    }
    Ok(Prior::Replay(FirstResult { booking_id: record.data.booking_id, response: record.data.response }))
}

pub async fn load(store: &Store, key: &Key, request_hash: &str, now: Timestamp) -> BookingResult<Prior> {
    prior(store.get(key).await?, request_hash, now)
}

/// The put that records a success, in the booking's transaction. An expired record that
/// TTL has not removed yet may be replaced.
pub fn record_action(key: Key, item: IdempotencyItem, now: Timestamp) -> Result<TxAction, StoreError> {
    let expires = now.checked_add(IDEMPOTENCY_WINDOW).unwrap_or(now).as_second();
    let record = Record::new(key, item).expires_at(expires);
    TxAction::put(
        LABEL,
        &record,
        Condition::expr("attribute_not_exists(PK) OR expiresAt <= :now").number(":now", now.as_second()),
    )
}

/// The label of the record's action in the booking transaction.
pub const LABEL: &str = "idempotency";
