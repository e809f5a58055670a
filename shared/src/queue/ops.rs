//! Operating the queues from the admin function: depth of each queue and its dead-letter
//! queue, a look at dead-lettered messages, and redriving them to their source queue.
//!
//! Two real implementations, hence the trait: [`SqsOps`] on AWS (GetQueueAttributes,
//! ReceiveMessage, SendMessageBatch, DeleteMessageBatch) and [`LocalOps`] over the local
//! platform's table-backed queues.

use std::sync::Arc;

use aws_sdk_sqs::{
    Client,
    types::{
        DeleteMessageBatchRequestEntry, MessageSystemAttributeName, QueueAttributeName, SendMessageBatchRequestEntry,
    },
};
use serde::Serialize;

use super::{Envelope, local::LocalQueue};

/// One queue's counts (SQS's approximate ones on AWS).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Depth {
    /// Waiting to be delivered.
    pub visible: u64,
    /// Delivered and not yet deleted (being processed, or failed and waiting to reappear).
    pub in_flight: u64,
}

/// A dead-lettered message, as an operator needs to judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadMessage {
    pub message_id: String,
    /// The event's kind and id when the body is an event envelope.
    pub event_kind: Option<String>,
    pub event_id: Option<String>,
    /// The body, cut at 2,000 characters (events carry no secrets; IPs are hashed).
    pub body: String,
    /// Epoch milliseconds when it was first sent.
    pub sent_at_ms: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
#[error("queue operation failed: {0}")]
pub struct OpsError(pub String);

#[async_trait::async_trait]
pub trait QueueOps: Send + Sync + 'static {
    /// The logical names of the operated queues ("events", "notifications").
    fn names(&self) -> Vec<String>;
    /// (queue, its dead-letter queue) depths; `None` for an unknown name.
    async fn depth(&self, name: &str) -> Result<Option<(Depth, Depth)>, OpsError>;
    /// Up to `max` (≤ 10) dead-lettered messages, without removing them.
    async fn peek_dead(&self, name: &str, max: usize) -> Result<Option<Vec<DeadMessage>>, OpsError>;
    /// Moves up to `max` dead-lettered messages back to the source queue; how many moved.
    async fn redrive(&self, name: &str, max: usize) -> Result<Option<usize>, OpsError>;
}

const BODY_SHOWN: usize = 2_000;

fn dead_message(message_id: String, body: &str, sent_at_ms: Option<i64>) -> DeadMessage {
    let envelope: Option<Envelope> = serde_json::from_str(body).ok();
    DeadMessage {
        message_id,
        event_kind: envelope.as_ref().map(|e| e.kind.clone()),
        event_id: envelope.map(|e| e.id),
        body: body.chars().take(BODY_SHOWN).collect(),
        sent_at_ms,
    }
}

/// The local platform's queues.
pub struct LocalOps {
    queues: Vec<(String, LocalQueue)>,
}

impl LocalOps {
    /// Each queue must have its dead-letter queue configured.
    pub fn new(queues: impl IntoIterator<Item = LocalQueue>) -> Self {
        Self { queues: queues.into_iter().map(|q| (q.name().to_owned(), q)).collect() }
    }

    fn pair(&self, name: &str) -> Option<(&LocalQueue, LocalQueue)> {
        let queue = self.queues.iter().find(|(n, _)| n == name).map(|(_, q)| q)?;
        Some((queue, queue.dead_letter_queue()?))
    }
}

fn local(err: crate::store::StoreError) -> OpsError {
    OpsError(err.to_string())
}

#[async_trait::async_trait]
impl QueueOps for LocalOps {
    fn names(&self) -> Vec<String> {
        self.queues.iter().map(|(n, _)| n.clone()).collect()
    }

    async fn depth(&self, name: &str) -> Result<Option<(Depth, Depth)>, OpsError> {
        let Some((queue, dlq)) = self.pair(name) else { return Ok(None) };
        let (visible, in_flight) = queue.depth().await.map_err(local)?;
        let (dead_visible, dead_in_flight) = dlq.depth().await.map_err(local)?;
        Ok(Some((Depth { visible, in_flight }, Depth { visible: dead_visible, in_flight: dead_in_flight })))
    }

    async fn peek_dead(&self, name: &str, max: usize) -> Result<Option<Vec<DeadMessage>>, OpsError> {
        let Some((_, dlq)) = self.pair(name) else { return Ok(None) };
        let messages = dlq.messages().await.map_err(local)?;
        Ok(Some(
            messages.into_iter().take(max).map(|m| dead_message(m.message_id, &m.body, Some(m.sent_at_ms))).collect(),
        ))
    }

    async fn redrive(&self, name: &str, max: usize) -> Result<Option<usize>, OpsError> {
        let Some((queue, dlq)) = self.pair(name) else { return Ok(None) };
        Ok(Some(dlq.redrive_some(queue, max).await.map_err(local)?))
    }
}

/// One operated SQS queue: its URL and its dead-letter queue's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqsPair {
    pub name: String,
    pub url: String,
    pub dead_letter_url: String,
}

impl SqsPair {
    /// `MONITORED_QUEUES` as template.yaml writes it: `name url dlq-url` entries separated
    /// by `;`.
    pub fn parse_list(text: &str) -> Result<Vec<SqsPair>, String> {
        text.split(';')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|entry| match entry.split_whitespace().collect::<Vec<_>>()[..] {
                [name, url, dlq] => {
                    Ok(SqsPair { name: name.to_owned(), url: url.to_owned(), dead_letter_url: dlq.to_owned() })
                }
                _ => Err(format!("MONITORED_QUEUES entry {entry:?} is not `name url dlq-url`")),
            })
            .collect()
    }
}

pub struct SqsOps {
    client: Client,
    pairs: Vec<SqsPair>,
}

impl SqsOps {
    pub fn new(client: Client, pairs: Vec<SqsPair>) -> Self {
        Self { client, pairs }
    }

    fn pair(&self, name: &str) -> Option<&SqsPair> {
        self.pairs.iter().find(|p| p.name == name)
    }

    async fn counts(&self, url: &str) -> Result<Depth, OpsError> {
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await
            .map_err(|e| OpsError(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))?;
        let attributes = out.attributes.unwrap_or_default();
        let count = |name: QueueAttributeName| attributes.get(&name).and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(Depth {
            visible: count(QueueAttributeName::ApproximateNumberOfMessages),
            in_flight: count(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        })
    }

    /// Receives up to `max` (≤ 10) dead-lettered messages, hidden for `visibility` seconds.
    async fn receive(
        &self,
        url: &str,
        max: usize,
        visibility: i32,
    ) -> Result<Vec<aws_sdk_sqs::types::Message>, OpsError> {
        let out = self
            .client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .visibility_timeout(visibility)
            .message_system_attribute_names(MessageSystemAttributeName::SentTimestamp)
            .send()
            .await
            .map_err(|e| OpsError(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))?;
        Ok(out.messages.unwrap_or_default())
    }
}

#[async_trait::async_trait]
impl QueueOps for SqsOps {
    fn names(&self) -> Vec<String> {
        self.pairs.iter().map(|p| p.name.clone()).collect()
    }

    async fn depth(&self, name: &str) -> Result<Option<(Depth, Depth)>, OpsError> {
        let Some(pair) = self.pair(name) else { return Ok(None) };
        Ok(Some((self.counts(&pair.url).await?, self.counts(&pair.dead_letter_url).await?)))
    }

    /// A peek is a receive with a zero visibility timeout: the messages stay where they
    /// are (their receive count grows, which a DLQ does not act on).
    async fn peek_dead(&self, name: &str, max: usize) -> Result<Option<Vec<DeadMessage>>, OpsError> {
        let Some(pair) = self.pair(name) else { return Ok(None) };
        let messages = self.receive(&pair.dead_letter_url, max, 0).await?;
        Ok(Some(
            messages
                .into_iter()
                .map(|m| {
                    let sent = m
                        .attributes
                        .as_ref()
                        .and_then(|a| a.get(&MessageSystemAttributeName::SentTimestamp))
                        .and_then(|v| v.parse().ok());
                    dead_message(m.message_id.unwrap_or_default(), m.body.as_deref().unwrap_or_default(), sent)
                })
                .collect(),
        ))
    }

    /// Receive from the DLQ, send to the source, then delete from the DLQ: a crash between
    /// the last two leaves a copy in both, which the consumers' de-duplication by event id
    /// absorbs.
    async fn redrive(&self, name: &str, max: usize) -> Result<Option<usize>, OpsError> {
        let Some(pair) = self.pair(name) else { return Ok(None) };
        let mut moved = 0;
        while moved < max {
            let batch = self.receive(&pair.dead_letter_url, (max - moved).min(10), 60).await?;
            if batch.is_empty() {
                break;
            }
            let mut sends = Vec::new();
            let mut deletes = Vec::new();
            for (i, message) in batch.iter().enumerate() {
                let id = format!("m{i}");
                let build = |e: aws_sdk_sqs::error::BuildError| OpsError(e.to_string());
                sends.push(
                    SendMessageBatchRequestEntry::builder()
                        .id(&id)
                        .message_body(message.body.clone().unwrap_or_default())
                        .build()
                        .map_err(build)?,
                );
                deletes.push(
                    DeleteMessageBatchRequestEntry::builder()
                        .id(&id)
                        .receipt_handle(message.receipt_handle.clone().unwrap_or_default())
                        .build()
                        .map_err(build)?,
                );
            }
            let sent = self
                .client
                .send_message_batch()
                .queue_url(&pair.url)
                .set_entries(Some(sends))
                .send()
                .await
                .map_err(|e| OpsError(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))?;
            if !sent.failed.is_empty() {
                return Err(OpsError(format!("{} messages could not be sent back", sent.failed.len())));
            }
            self.client
                .delete_message_batch()
                .queue_url(&pair.dead_letter_url)
                .set_entries(Some(deletes))
                .send()
                .await
                .map_err(|e| OpsError(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))?;
            moved += batch.len();
        }
        Ok(Some(moved))
    }
}

/// The ops port for the local platform and tests.
pub fn local_ops(queues: impl IntoIterator<Item = LocalQueue>) -> Arc<dyn QueueOps> {
    Arc::new(LocalOps::new(queues))
}
