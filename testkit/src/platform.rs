//! The local platform's queues (the table-backed `LocalQueue`s standing in for SQS) and
//! what functions publish to, shared by infra/local and [`TestEnv`](crate::TestEnv) so
//! tests see the same wiring.

use std::sync::Arc;

use instainstru_shared::{
    clock::Clock,
    notify,
    queue::{EventPublisher, Fanout, local::LocalQueue},
    store::Store,
};

/// The name of the local platform's events queue and its dead-letter queue.
pub const EVENTS_QUEUE: &str = "events";
pub const EVENTS_DLQ: &str = "events-dlq";
/// Matches template.yaml's `maxReceiveCount` for the events queue.
pub const EVENTS_MAX_RECEIVES: u32 = 3;

/// The local events queue over `store`.
pub fn events_queue(store: &Store, clock: Arc<dyn Clock>) -> LocalQueue {
    LocalQueue::new(store.clone(), clock, EVENTS_QUEUE).with_dead_letter(EVENTS_DLQ, EVENTS_MAX_RECEIVES)
}

/// The local notifications queue and its dead-letter queue (template.yaml's
/// `NotificationsQueue`, same `maxReceiveCount`).
pub const NOTIFICATIONS_QUEUE: &str = "notifications";
pub const NOTIFICATIONS_DLQ: &str = "notifications-dlq";

pub fn notifications_queue(store: &Store, clock: Arc<dyn Clock>) -> LocalQueue {
    LocalQueue::new(store.clone(), clock, NOTIFICATIONS_QUEUE).with_dead_letter(NOTIFICATIONS_DLQ, EVENTS_MAX_RECEIVES)
}

/// What functions publish to locally: as on AWS for booking and booking-outbox, each
/// event kind goes to the queue(s) that consume it.
pub fn local_publisher(events: &LocalQueue, notifications: &LocalQueue) -> Arc<dyn EventPublisher> {
    Arc::new(
        Fanout::new()
            .to(notify::analytics_takes, Arc::new(events.clone()))
            .to(notify::takes, Arc::new(notifications.clone())),
    )
}
