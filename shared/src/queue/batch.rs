//! The shape every SQS consumer here shares: each message of a batch handled on its own,
//! the failed ones reported back (`ReportBatchItemFailures`), so one bad message never
//! blocks or replays its batch; SQS redelivers only those and dead-letters them after the
//! queue's `maxReceiveCount`.

use std::future::Future;

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};

use super::Envelope;

/// The envelope a message carries.
pub fn envelope(message: &SqsMessage) -> Result<Envelope, String> {
    let body = message.body.as_deref().ok_or("message has no body")?;
    serde_json::from_str(body).map_err(|e| format!("body is not an event envelope: {e}"))
}

/// Runs `consume` on every message in order and reports the ones that failed.
pub async fn each<F, Fut, E>(event: SqsEvent, mut consume: F) -> SqsBatchResponse
where
    F: FnMut(SqsMessage) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let id = message.message_id.clone().unwrap_or_default();
        if let Err(err) = consume(message).await {
            tracing::warn!(message_id = %id, error = %err, "message not applied");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}
