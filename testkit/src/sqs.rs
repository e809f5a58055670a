//! SQS batches as the Lambda runtime hands them to a queue consumer.

use instainstru_shared::queue::Envelope;

/// Envelopes as the SQS batch Lambda would receive them (message id = envelope id), for
/// tests that drive a queue consumer's handler directly.
pub fn sqs_batch(events: &[Envelope]) -> aws_lambda_events::sqs::SqsEvent {
    let mut batch = aws_lambda_events::sqs::SqsEvent::default();
    batch.records = events
        .iter()
        .map(|e| {
            let mut m = aws_lambda_events::sqs::SqsMessage::default();
            m.message_id = Some(e.id.clone());
            m.body = serde_json::to_string(e).ok();
            m
        })
        .collect();
    batch
}
