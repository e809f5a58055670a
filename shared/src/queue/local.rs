//! The local platform's queue and event source (DESIGN.md §3).
//!
//! [`LocalQueue`] keeps messages as items in the table (so they survive a restart of the
//! local platform, like a real queue) with SQS semantics: a received message becomes
//! invisible for the visibility timeout and comes back if not deleted; each receive
//! bumps its receive count; past `max_receives` it moves to the dead-letter queue instead
//! of being delivered. [`EventSource`] delivers batches of at most 10 to the same handler
//! the Lambda runs, and deletes exactly the messages the handler did not report in
//! `batchItemFailures`.

use std::{collections::HashSet, sync::Arc, time::Duration};

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use aws_sdk_dynamodb::types::AttributeValue;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{Envelope, EventPublisher, PublishError};
use crate::{
    clock::Clock,
    store::{
        Index, Query, Record, SortCondition, Store, StoreError, TxAction, keys,
        transact::{Condition, TransactError},
    },
};

/// SQS's largest batch for a Lambda event source.
pub const MAX_BATCH: usize = 10;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "queue_message")]
struct StoredMessage {
    message_id: String,
    body: String,
    receive_count: u32,
    visible_at_ms: i64,
    sent_at_ms: i64,
    #[serde(default)]
    receipt: Option<String>,
}

/// A message handed to a consumer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    pub receipt: String,
    pub body: String,
    pub receive_count: u32,
    pub sent_at_ms: i64,
}

/// Where a queue sends messages that keep failing.
#[derive(Clone)]
pub struct DeadLetter {
    pub queue: String,
    pub max_receives: u32,
}

#[derive(Clone)]
pub struct LocalQueue {
    store: Store,
    clock: Arc<dyn Clock>,
    name: String,
    dead_letter: Option<DeadLetter>,
}

impl LocalQueue {
    pub fn new(store: Store, clock: Arc<dyn Clock>, name: impl Into<String>) -> Self {
        Self { store, clock, name: name.into(), dead_letter: None }
    }

    pub fn with_dead_letter(mut self, queue: impl Into<String>, max_receives: u32) -> Self {
        self.dead_letter = Some(DeadLetter { queue: queue.into(), max_receives: max_receives.max(1) });
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dead-letter queue as a queue of its own (to inspect or redrive).
    pub fn dead_letter_queue(&self) -> Option<LocalQueue> {
        self.dead_letter.as_ref().map(|d| LocalQueue::new(self.store.clone(), self.clock.clone(), d.queue.clone()))
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    pub async fn send(&self, body: String) -> Result<String, StoreError> {
        let message_id = crate::ids::new_id();
        let now = self.now_ms();
        let message = StoredMessage {
            message_id: message_id.clone(),
            body,
            receive_count: 0,
            visible_at_ms: now,
            sent_at_ms: now,
            receipt: None,
        };
        self.store.put_new(&Record::new(keys::queue_message(&self.name, &message_id), message)).await?;
        Ok(message_id)
    }

    async fn stored(&self) -> Result<Vec<Record<StoredMessage>>, StoreError> {
        self.store
            .query_all(
                Query::partition(Index::Table, keys::queue_partition(&self.name))
                    .sort(SortCondition::BeginsWith("MSG#".into()))
                    .consistent(),
            )
            .await
    }

    /// Every message, visible or in flight, oldest first.
    pub async fn messages(&self) -> Result<Vec<Received>, StoreError> {
        Ok(self
            .stored()
            .await?
            .into_iter()
            .map(|r| Received {
                message_id: r.data.message_id,
                receipt: r.data.receipt.unwrap_or_default(),
                body: r.data.body,
                receive_count: r.data.receive_count,
                sent_at_ms: r.data.sent_at_ms,
            })
            .collect())
    }

    /// (visible, in flight) message counts, as SQS reports them.
    pub async fn depth(&self) -> Result<(u64, u64), StoreError> {
        let now = self.now_ms();
        let stored = self.stored().await?;
        let visible = stored.iter().filter(|r| r.data.visible_at_ms <= now).count() as u64;
        Ok((visible, stored.len() as u64 - visible))
    }

    pub async fn len(&self) -> Result<usize, StoreError> {
        Ok(self.stored().await?.len())
    }

    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len().await? == 0)
    }

    /// Receives up to `max` visible messages, hiding each for `visibility`. Messages that
    /// have already been received `max_receives` times go to the dead-letter queue.
    pub async fn receive(&self, max: usize, visibility: Duration) -> Result<Vec<Received>, StoreError> {
        let now = self.now_ms();
        let hidden_until = now + i64::try_from(visibility.as_millis()).unwrap_or(i64::MAX / 2);
        let mut received = Vec::new();
        for record in self.stored().await? {
            if received.len() >= max {
                break;
            }
            let message = &record.data;
            if message.visible_at_ms > now {
                continue;
            }
            if let Some(dlq) = &self.dead_letter
                && message.receive_count >= dlq.max_receives
            {
                self.move_to_dead_letter(&record, &dlq.queue).await?;
                continue;
            }
            let receipt = crate::ids::new_id();
            let claim = self
                .store
                .client()
                .update_item()
                .table_name(self.store.table())
                .set_key(Some(record.key().to_item()))
                .update_expression(
                    "SET visible_at_ms = :until, receive_count = receive_count + :one, receipt = :receipt",
                )
                .condition_expression("visible_at_ms = :seen AND receive_count = :count")
                .expression_attribute_values(":until", AttributeValue::N(hidden_until.to_string()))
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .expression_attribute_values(":receipt", AttributeValue::S(receipt.clone()))
                .expression_attribute_values(":seen", AttributeValue::N(message.visible_at_ms.to_string()))
                .expression_attribute_values(":count", AttributeValue::N(message.receive_count.to_string()))
                .send()
                .await;
            match claim {
                Ok(_) => received.push(Received {
                    message_id: message.message_id.clone(),
                    receipt,
                    body: message.body.clone(),
                    receive_count: message.receive_count + 1,
                    sent_at_ms: message.sent_at_ms,
                }),
                // Another consumer claimed it first: fine, it is theirs.
                Err(err) => match StoreError::from_sdk(err) {
                    StoreError::ConditionFailed => continue,
                    other => return Err(other),
                },
            }
        }
        Ok(received)
    }

    /// Deletes a received message, if the receipt is still the current one (a message
    /// whose visibility lapsed and was received again cannot be deleted by the old
    /// receipt, as in SQS).
    pub async fn delete(&self, message_id: &str, receipt: &str) -> Result<bool, StoreError> {
        let result = self
            .store
            .client()
            .delete_item()
            .table_name(self.store.table())
            .set_key(Some(keys::queue_message(&self.name, message_id).to_item()))
            .condition_expression("receipt = :receipt")
            .expression_attribute_values(":receipt", AttributeValue::S(receipt.to_owned()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(err) => match StoreError::from_sdk(err) {
                StoreError::ConditionFailed => Ok(false),
                other => Err(other),
            },
        }
    }

    /// Moves every message of this queue back to `target` (a DLQ redrive).
    pub async fn redrive_to(&self, target: &LocalQueue) -> Result<usize, StoreError> {
        self.redrive_some(target, usize::MAX).await
    }

    /// Moves up to `max` messages of this queue, oldest first, to `target`.
    pub async fn redrive_some(&self, target: &LocalQueue, max: usize) -> Result<usize, StoreError> {
        let mut moved = 0;
        for record in self.stored().await?.into_iter().take(max) {
            self.move_record(&record, &target.name).await?;
            moved += 1;
        }
        Ok(moved)
    }

    async fn move_to_dead_letter(&self, record: &Record<StoredMessage>, dlq: &str) -> Result<(), StoreError> {
        tracing::warn!(queue = %self.name, message_id = %record.data.message_id, receives = record.data.receive_count, "moved to dead-letter queue");
        self.move_record(record, dlq).await
    }

    async fn move_record(&self, record: &Record<StoredMessage>, target: &str) -> Result<(), StoreError> {
        let now = self.now_ms();
        let moved = StoredMessage { receive_count: 0, visible_at_ms: now, receipt: None, ..record.data.clone() };
        let actions = [
            TxAction::delete("source", &record.key(), Condition::exists())?,
            TxAction::put(
                "target",
                &Record::new(keys::queue_message(target, &moved.message_id), moved),
                Condition::absent(),
            )?,
        ];
        match self.store.transact(&actions).await {
            Ok(()) => Ok(()),
            // Someone else moved or deleted it in the meantime.
            Err(TransactError::ConditionFailed { .. }) => Ok(()),
            Err(TransactError::Store(e)) => Err(e),
            Err(other) => Err(StoreError::Unavailable(other.to_string())),
        }
    }
}

#[async_trait::async_trait]
impl EventPublisher for LocalQueue {
    async fn publish(&self, events: &[Envelope]) -> Result<(), PublishError> {
        for event in events {
            let body = serde_json::to_string(event).map_err(|e| PublishError(e.to_string()))?;
            self.send(body).await.map_err(|e| PublishError(e.to_string()))?;
        }
        Ok(())
    }
}

/// The handler an SQS event source calls: the worker Lambda's handler, unchanged.
pub type SqsHandler = Arc<dyn Fn(SqsEvent) -> BoxFuture<'static, Result<SqsBatchResponse, String>> + Send + Sync>;

/// Delivers a queue's messages to a handler the way Lambda's SQS event source does.
#[derive(Clone)]
pub struct EventSource {
    pub queue: LocalQueue,
    pub handler: SqsHandler,
    pub batch_size: usize,
    pub visibility: Duration,
    pub idle_poll: Duration,
}

/// What one poll did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PollOutcome {
    pub delivered: usize,
    pub succeeded: usize,
    pub failed: usize,
}

impl EventSource {
    pub fn new(queue: LocalQueue, handler: SqsHandler) -> Self {
        Self {
            queue,
            handler,
            batch_size: MAX_BATCH,
            visibility: Duration::from_secs(30),
            idle_poll: Duration::from_millis(200),
        }
    }

    /// Receives one batch and delivers it. A handler error fails the whole batch (every
    /// message comes back after the visibility timeout), as on Lambda.
    pub async fn poll_once(&self) -> Result<PollOutcome, StoreError> {
        let batch = self.queue.receive(self.batch_size.clamp(1, MAX_BATCH), self.visibility).await?;
        if batch.is_empty() {
            return Ok(PollOutcome::default());
        }
        let event = self.sqs_event(&batch);
        let failed: HashSet<String> = match (self.handler)(event).await {
            Ok(response) => response.batch_item_failures.into_iter().map(|f| f.item_identifier).collect(),
            Err(err) => {
                tracing::error!(queue = %self.queue.name(), error = %err, "handler failed the whole batch");
                batch.iter().map(|m| m.message_id.clone()).collect()
            }
        };
        let mut outcome = PollOutcome { delivered: batch.len(), ..PollOutcome::default() };
        for message in &batch {
            if failed.contains(&message.message_id) {
                outcome.failed += 1;
            } else {
                self.queue.delete(&message.message_id, &message.receipt).await?;
                outcome.succeeded += 1;
            }
        }
        Ok(outcome)
    }

    /// Polls until `shutdown` fires.
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            let idle = match self.poll_once().await {
                Ok(outcome) => outcome.delivered == 0,
                Err(err) => {
                    tracing::error!(queue = %self.queue.name(), error = %err, "local event source poll failed");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(self.idle_poll) => {}
                    _ = shutdown.changed() => return,
                }
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    fn sqs_event(&self, batch: &[Received]) -> SqsEvent {
        let mut event = SqsEvent::default();
        event.records = batch
            .iter()
            .map(|m| {
                let mut message = SqsMessage::default();
                message.message_id = Some(m.message_id.clone());
                message.receipt_handle = Some(m.receipt.clone());
                message.body = Some(m.body.clone());
                message.attributes = [
                    ("ApproximateReceiveCount".to_owned(), m.receive_count.to_string()),
                    ("SentTimestamp".to_owned(), m.sent_at_ms.to_string()),
                ]
                .into_iter()
                .collect();
                message.event_source = Some("aws:sqs".into());
                message.event_source_arn = Some(format!("arn:aws:sqs:local:000000000000:{}", self.queue.name()));
                message.aws_region = Some("local".into());
                message
            })
            .collect();
        event
    }
}
