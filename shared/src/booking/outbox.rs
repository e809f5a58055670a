//! The transactional outbox: no booking event is lost.
//!
//! A booking change writes its event to the `OUTBOX` partition in the same
//! `TransactWriteItems` as the change itself. After the commit the request publishes the
//! event and deletes the outbox item ([`deliver`]). If publishing fails (queue down,
//! Lambda killed between commit and publish), the item stays; the `booking-outbox`
//! function runs [`sweep`] every minute and republishes whatever is older than [`GRACE`].
//! An event can therefore be published twice (published, then the delete failed); it
//! keeps its envelope id, by which consumers de-duplicate.
//!
//! One partition holds every pending event. Items live for milliseconds in the normal
//! case, and one partition takes 1000 writes a second, far above the booking rate; the
//! sort key is the write time, so the sweep reads the oldest first.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{
    queue::{Envelope, EventPublisher},
    store::{Index, Key, Query, Record, SortCondition, Store, StoreError, TxAction, keys, transact::Condition},
};

/// The sweep leaves events younger than this to the request that wrote them.
pub const GRACE: SignedDuration = SignedDuration::from_secs(30);
/// Most events one sweep republishes (well inside the sweeper's timeout).
pub const SWEEP_BATCH: usize = 500;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "outbox_event")]
struct OutboxItem {
    kind: String,
    /// The envelope as JSON, published byte for byte as it was staged.
    event: String,
}

/// An event staged in a transaction, to be delivered once it commits.
#[derive(Debug, Clone)]
pub struct Staged {
    key: Key,
    pub envelope: Envelope,
}

fn sort_key(at: Timestamp, event_id: &str) -> String {
    format!("{:015}#{event_id}", at.as_millisecond().max(0))
}

/// The outbox put for `envelope` (written at `now`), for the change's transaction.
pub fn stage(envelope: Envelope, now: Timestamp) -> Result<(TxAction, Staged), StoreError> {
    let key = keys::outbox_event(&sort_key(now, &envelope.id));
    let event = serde_json::to_string(&envelope).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let record = Record::new(key.clone(), OutboxItem { kind: envelope.kind.clone(), event });
    let action = TxAction::put("outbox", &record, Condition::absent())?;
    Ok((action, Staged { key, envelope }))
}

/// Publishes committed events and clears them from the outbox. Never fails the caller: the
/// change is already stored, and whatever is not delivered here the sweep delivers.
pub async fn deliver(store: &Store, publisher: &dyn EventPublisher, staged: Vec<Staged>) {
    if staged.is_empty() {
        return;
    }
    let envelopes: Vec<Envelope> = staged.iter().map(|s| s.envelope.clone()).collect();
    if let Err(err) = publisher.publish(&envelopes).await {
        tracing::warn!(error = %err, events = staged.len(), "publish failed; the outbox sweep will retry");
        return;
    }
    for item in staged {
        if let Err(err) = store.delete(&item.key).await {
            tracing::warn!(error = %err, event_id = %item.envelope.id, "published event left in the outbox");
        }
    }
}

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub published: usize,
    /// Lesson reminders that fell due and were published (set by the scheduled handler).
    pub reminders: usize,
}

/// Republishes outbox events older than `grace`, oldest first, and deletes each one
/// published. A publish failure ends the sweep with an error (the scheduler retries).
pub async fn sweep(
    store: &Store,
    publisher: &dyn EventPublisher,
    now: Timestamp,
    grace: SignedDuration,
) -> Result<SweepReport, String> {
    let cutoff = now.checked_sub(grace).unwrap_or(now);
    let query = Query::partition(Index::Table, keys::OUTBOX)
        .sort(SortCondition::LessThan(format!("{:015}", cutoff.as_millisecond().max(0))))
        .limit(100)
        .consistent();
    let mut report = SweepReport::default();
    let mut query = query;
    while report.published < SWEEP_BATCH {
        let page = store.query::<Record<OutboxItem>>(query.clone()).await.map_err(|e| e.to_string())?;
        for chunk in page.items.chunks(10) {
            let envelopes = chunk
                .iter()
                .map(|r| serde_json::from_str::<Envelope>(&r.data.event))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("unreadable outbox event: {e}"))?;
            publisher.publish(&envelopes).await.map_err(|e| e.to_string())?;
            for record in chunk {
                store.delete(&record.key()).await.map_err(|e| e.to_string())?;
            }
            report.published += chunk.len();
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => break,
        }
    }
    Ok(report)
}

/// How many events are waiting in the outbox (tests and monitoring).
pub async fn pending(store: &Store) -> Result<usize, StoreError> {
    let items: Vec<Record<OutboxItem>> =
        store.query_all(Query::partition(Index::Table, keys::OUTBOX).consistent()).await?;
    Ok(items.len())
}
