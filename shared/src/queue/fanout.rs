//! One publisher in front of several queues, each taking the event kinds it consumes.
//!
//! The booking functions publish booking events once; the events queue (analytics) and
//! the notifications queue (mail) each receive their copy, so a slow or failing mail
//! consumer never holds back analytics and the other way round. On AWS the same could be
//! an SNS topic; two `SendMessageBatch` calls keep the stack smaller and behave alike.

use std::sync::Arc;

use super::{Envelope, EventPublisher, PublishError};

/// Which event kinds a queue takes.
pub type KindFilter = fn(&str) -> bool;

pub struct Fanout {
    targets: Vec<(KindFilter, Arc<dyn EventPublisher>)>,
}

impl Fanout {
    pub fn new() -> Self {
        Self { targets: Vec::new() }
    }

    pub fn to(mut self, takes: KindFilter, queue: Arc<dyn EventPublisher>) -> Self {
        self.targets.push((takes, queue));
        self
    }
}

impl Default for Fanout {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl EventPublisher for Fanout {
    /// Fails if any queue refused its share; the caller (the outbox) then publishes again
    /// later, and every consumer de-duplicates by event id, so a queue that already got its
    /// copy applies it once.
    async fn publish(&self, events: &[Envelope]) -> Result<(), PublishError> {
        for (takes, queue) in &self.targets {
            let share: Vec<Envelope> = events.iter().filter(|e| takes(&e.kind)).cloned().collect();
            if !share.is_empty() {
                queue.publish(&share).await?;
            }
        }
        Ok(())
    }
}
