//! The events consumer: one SQS batch in, the ids of the messages that failed out
//! (`ReportBatchItemFailures`), so one bad message never blocks or replays its batch.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use instainstru_shared::{
    AppState,
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
    let owner = match (&payload.context.user_id, &payload.context.guest_session_id) {
        (Some(user), _) => Owner::User(user.clone()),
        (None, Some(guest)) => Owner::Guest(guest.clone()),
        // An anonymous search without a guest session has no history to keep.
        (None, None) => return Ok(()),
    };
    history::apply_search(&state.store, &envelope.id, &owner, &payload.search, at, state.clock.now()).await?;
    Ok(())
}
