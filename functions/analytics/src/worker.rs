//! The events consumer: one SQS batch in, the ids of the messages that failed out
//! (`ReportBatchItemFailures`), so one bad message never blocks or replays its batch.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use instainstru_shared::{
    AppState,
    accounts::guest::{self, GUEST_CONVERTED, GuestSessionId},
    history::{self, Owner},
    queue::Envelope,
    search::events::{SEARCH_PERFORMED, SEARCH_UNTRACKED, SearchPayload},
    store::StoreError,
};

/// Why a message could not be applied. Every failure is retried by SQS and, after the
/// queue's `maxReceiveCount`, dead-lettered.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    #[error("message has no body")]
    NoBody,
    #[error("body is not an event envelope: {0}")]
    Malformed(String),
    #[error("no consumer for event kind {0:?}")]
    UnknownKind(String),
    #[error("payload of {kind} is invalid: {reason}")]
    InvalidPayload { kind: String, reason: String },
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

pub async fn handle_batch(state: &AppState, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let id = message.message_id.clone().unwrap_or_default();
        if let Err(err) = consume(state, &message).await {
            tracing::warn!(message_id = %id, error = %err, "event not applied");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

async fn consume(state: &AppState, message: &SqsMessage) -> Result<(), ConsumeError> {
    let body = message.body.as_deref().ok_or(ConsumeError::NoBody)?;
    let envelope: Envelope = serde_json::from_str(body).map_err(|e| ConsumeError::Malformed(e.to_string()))?;
    match envelope.kind.as_str() {
        SEARCH_PERFORMED | SEARCH_UNTRACKED => search(state, &envelope).await,
        GUEST_CONVERTED => guest_converted(state, &envelope).await,
        other => Err(ConsumeError::UnknownKind(other.to_owned())),
    }
}

fn payload<T: serde::de::DeserializeOwned>(envelope: &Envelope) -> Result<T, ConsumeError> {
    serde_json::from_value(envelope.payload.clone())
        .map_err(|e| ConsumeError::InvalidPayload { kind: envelope.kind.clone(), reason: e.to_string() })
}

/// A search: its owner's history entry is upserted (once per event id).
async fn search(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let payload: SearchPayload = payload(envelope)?;
    let at = envelope.occurred_at.parse().map_err(|e: jiff::Error| ConsumeError::InvalidPayload {
        kind: envelope.kind.clone(),
        reason: format!("occurred_at: {e}"),
    })?;
    let now = state.clock.now();
    let owner = match (&payload.context.user_id, &payload.context.guest_session_id) {
        (Some(user), _) => Owner::User(user.clone()),
        (None, Some(guest_id)) => {
            // A guest search that arrives after the guest signed in belongs to the account.
            let linked = match GuestSessionId::parse(guest_id) {
                Some(id) => guest::link(&state.store, now, &id).await?.map(|l| l.user_id),
                None => None,
            };
            linked.map(Owner::User).unwrap_or_else(|| Owner::Guest(guest_id.clone()))
        }
        // An anonymous search without a guest session has no history to keep.
        (None, None) => return Ok(()),
    };
    history::apply_search(&state.store, &envelope.id, &owner, &payload.search, at, now).await?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct GuestConverted {
    guest_session_id: String,
    user_id: String,
}

/// A guest signed in or registered: their history moves to the account (merged where the
/// account already has the query).
async fn guest_converted(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let converted: GuestConverted = payload(envelope)?;
    history::convert_guest(
        &state.store,
        &envelope.id,
        &converted.guest_session_id,
        &converted.user_id,
        state.clock.now(),
    )
    .await?;
    Ok(())
}
