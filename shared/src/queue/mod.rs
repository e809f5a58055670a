//! The events queue: functions publish events off the request path; the
//! `analytics-worker` consumes them in SQS batches.
//!
//! Two real publishers exist, hence the trait: [`SqsPublisher`] on AWS, and
//! [`local::LocalQueue`] (a durable queue kept in the table) in the local platform and
//! tests, whose [`local::EventSource`] delivers to the very same worker handler in
//! SQS-shaped batches.

pub mod batch;
mod fanout;
pub mod local;
pub mod ops;
mod sqs;

use serde::{Deserialize, Serialize};

pub use fanout::{Fanout, KindFilter};
pub use sqs::SqsPublisher;

/// One event on the wire. `id` is the de-duplication key: a consumer applies each id once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: String,
    pub kind: String,
    /// RFC 3339 UTC.
    pub occurred_at: String,
    pub payload: serde_json::Value,
}

impl Envelope {
    pub fn new(kind: impl Into<String>, occurred_at: jiff::Timestamp, payload: serde_json::Value) -> Self {
        Self { id: crate::ids::new_id(), kind: kind.into(), occurred_at: occurred_at.to_string(), payload }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("could not publish events: {0}")]
pub struct PublishError(pub String);

#[async_trait::async_trait]
pub trait EventPublisher: Send + Sync + 'static {
    /// Publishes all events or fails; on failure some may have been published, which is
    /// why consumers de-duplicate by id.
    async fn publish(&self, events: &[Envelope]) -> Result<(), PublishError>;
}
