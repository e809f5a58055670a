//! The events consumer: one SQS batch in, the ids of the messages that failed out
//! (`ReportBatchItemFailures`), so one bad message never blocks or replays its batch.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use instainstru_shared::{AppState, queue::Envelope};

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

async fn consume(_state: &AppState, message: &SqsMessage) -> Result<(), ConsumeError> {
    let body = message.body.as_deref().ok_or(ConsumeError::NoBody)?;
    let envelope: Envelope = serde_json::from_str(body).map_err(|e| ConsumeError::Malformed(e.to_string()))?;
    // Consumers register here as they are built (search history, analytics counters).
    Err(ConsumeError::UnknownKind(envelope.kind))
}
