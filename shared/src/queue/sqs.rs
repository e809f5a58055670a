use aws_sdk_sqs::{Client, types::SendMessageBatchRequestEntry};

use super::{Envelope, EventPublisher, PublishError};

/// Publishes to an SQS queue, 10 messages per call (SQS's batch limit).
#[derive(Debug, Clone)]
pub struct SqsPublisher {
    client: Client,
    queue_url: String,
}

impl SqsPublisher {
    pub fn new(client: Client, queue_url: impl Into<String>) -> Self {
        Self { client, queue_url: queue_url.into() }
    }
}

#[async_trait::async_trait]
impl EventPublisher for SqsPublisher {
    async fn publish(&self, events: &[Envelope]) -> Result<(), PublishError> {
        for chunk in events.chunks(10) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, event)| {
                    let body = serde_json::to_string(event).map_err(|e| PublishError(e.to_string()))?;
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(body)
                        .build()
                        .map_err(|e| PublishError(e.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let out = self
                .client
                .send_message_batch()
                .queue_url(&self.queue_url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(|e| PublishError(format!("{e:?}")))?;
            if !out.failed.is_empty() {
                let codes: Vec<&str> = out.failed.iter().map(|f| f.code.as_str()).collect();
                return Err(PublishError(format!(
                    "{} of {} messages refused: {codes:?}",
                    out.failed.len(),
                    chunk.len()
                )));
            }
        }
        Ok(())
    }
}
