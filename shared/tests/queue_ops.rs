//! The queue operations port (admin monitoring and redrive) on both implementations: the
//! local table-backed queues and SQS (moto). The same contract runs on each.

use std::sync::Arc;

use instainstru_shared::{
    clock::FixedClock,
    queue::{
        Envelope,
        ops::{Depth, LocalOps, QueueOps, SqsOps, SqsPair},
    },
};
use instainstru_testkit::{self as testkit, TestEnv};

fn dead_event(i: u32) -> String {
    let at: jiff::Timestamp = "2026-11-26T15:00:00Z".parse().unwrap();
    serde_json::to_string(&Envelope::new("search.performed", at, serde_json::json!({ "i": i }))).unwrap()
}

/// Three messages sit in the dead-letter queue of `events` and nothing in the queue.
async fn contract(ops: &dyn QueueOps) {
    assert_eq!(ops.names(), ["events"]);
    assert!(ops.depth("nope").await.unwrap().is_none());
    assert!(ops.peek_dead("nope", 10).await.unwrap().is_none());
    assert!(ops.redrive("nope", 10).await.unwrap().is_none());

    let (queue, dead) = ops.depth("events").await.unwrap().unwrap();
    assert_eq!((queue, dead), (Depth::default(), Depth { visible: 3, in_flight: 0 }));

    let peeked = ops.peek_dead("events", 2).await.unwrap().unwrap();
    assert_eq!(peeked.len(), 2);
    assert!(peeked.iter().all(|m| m.event_kind.as_deref() == Some("search.performed") && m.event_id.is_some()));
    assert!(peeked.iter().all(|m| m.sent_at_ms.is_some()));
    // A peek leaves the messages where they were.
    let (_, dead) = ops.depth("events").await.unwrap().unwrap();
    assert_eq!(dead.visible, 3);

    assert_eq!(ops.redrive("events", 2).await.unwrap(), Some(2));
    let (queue, dead) = ops.depth("events").await.unwrap().unwrap();
    assert_eq!((queue.visible, dead.visible), (2, 1));
    assert_eq!(ops.redrive("events", 100).await.unwrap(), Some(1));
    let (queue, dead) = ops.depth("events").await.unwrap().unwrap();
    assert_eq!((queue.visible, dead.visible + dead.in_flight), (3, 0));
}

#[tokio::test]
async fn local_queues_report_depth_show_and_redrive_dead_letters() {
    let env = TestEnv::new().await;
    let clock = Arc::new(FixedClock::new(TestEnv::DEFAULT_NOW.parse().unwrap()));
    let queue = testkit::events_queue(&env.store, clock);
    let dlq = queue.dead_letter_queue().unwrap();
    for i in 0..3 {
        dlq.send(dead_event(i)).await.unwrap();
    }
    contract(&LocalOps::new([queue])).await;
}

#[tokio::test]
async fn sqs_queues_report_depth_show_and_redrive_dead_letters() {
    let sqs = testkit::sqs_client(&testkit::moto_endpoint().url);
    let name = testkit::unique_table("ops");
    let url = sqs.create_queue().queue_name(&name).send().await.unwrap().queue_url.unwrap();
    let dlq_url = sqs.create_queue().queue_name(format!("{name}-dlq")).send().await.unwrap().queue_url.unwrap();
    for i in 0..3 {
        sqs.send_message().queue_url(&dlq_url).message_body(dead_event(i)).send().await.unwrap();
    }
    let pairs = SqsPair::parse_list(&format!("events {url} {dlq_url}")).unwrap();
    contract(&SqsOps::new(sqs, pairs)).await;
}

#[test]
fn the_monitored_queue_list_is_read_as_the_template_writes_it() {
    let pairs =
        SqsPair::parse_list("events https://q/e https://q/e-dlq; notifications https://q/n https://q/n-dlq").unwrap();
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[1].name, "notifications");
    assert_eq!(pairs[1].dead_letter_url, "https://q/n-dlq");
    assert!(SqsPair::parse_list("events https://q/e").is_err());
}
