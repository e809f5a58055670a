//! Exactly once: an event's effect is a set of writes committed in one transaction
//! together with a processed marker `EVENT#<id>` / `APPLIED#<effect>` (condition: absent).
//! A redelivered event finds the marker and changes nothing; a crash before the commit
//! leaves nothing behind. Every queue consumer whose effect is store writes uses this
//! (search history, analytics); effects outside the store (sending mail) cannot share the
//! transaction and use a lease instead (`notify`).
//!
//! An event may have several effects (one per consumer, or one per chunk of a large
//! event), each applied once under its own name.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{
    Key, Record, Store, StoreError,
    transact::{Condition, TransactError, TxAction},
};

/// Markers outlive every redelivery path (SQS keeps messages 4 days, the DLQ 14).
const MARKER_RETENTION: SignedDuration = SignedDuration::from_hours(30 * 24);
/// The marker's label in the transaction, so its failed condition is told apart from the
/// caller's own.
const MARKER_LABEL: &str = "processed-marker";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Applied,
    /// This effect of this event was applied before.
    Duplicate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "processed_event")]
struct Marker {
    applied_at: String,
}

/// The marker of one effect of one event.
pub fn marker_key(event_id: &str, effect: &str) -> Key {
    Key::new(format!("EVENT#{event_id}"), format!("APPLIED#{effect}"))
}

/// Whether `effect` of `event_id` was applied. A redelivery usually finds its marker: one
/// strongly consistent read is cheaper than a cancelled transaction (which DynamoDB bills
/// like a committed one). [`apply`]'s condition still decides when two deliveries race.
pub async fn was_applied(store: &Store, event_id: &str, effect: &str) -> Result<bool, StoreError> {
    Ok(store.get::<Record<serde_json::Value>>(&marker_key(event_id, effect)).await?.is_some())
}

/// Commits `actions` and the marker of (`event_id`, `effect`) as one transaction, or
/// nothing if the marker is already there (`Duplicate`). Any other failed condition is
/// returned to the caller, whose own conditions they are (e.g. to read again and retry).
pub async fn apply(
    store: &Store,
    event_id: &str,
    effect: &str,
    actions: &[TxAction],
    now: Timestamp,
) -> Result<Applied, TransactError> {
    let record = Record::new(marker_key(event_id, effect), Marker { applied_at: now.to_string() })
        .expires_at((now + MARKER_RETENTION).as_second());
    let mut transaction = Vec::with_capacity(actions.len() + 1);
    transaction.push(TxAction::put(MARKER_LABEL, &record, Condition::absent())?);
    transaction.extend(actions.iter().cloned());
    match store.transact(&transaction).await {
        Ok(()) => Ok(Applied::Applied),
        Err(TransactError::ConditionFailed { label, .. }) if label == MARKER_LABEL => Ok(Applied::Duplicate),
        Err(other) => Err(other),
    }
}
