//! The local event source and scheduler (DESIGN.md §3), driven with a test handler, and
//! the SQS publisher against moto.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use futures::FutureExt;
use instainstru_shared::{
    clock::FixedClock,
    queue::{
        Envelope, EventPublisher, SqsPublisher,
        local::{EventSource, LocalQueue, SqsHandler},
    },
    schedule::{Cadence, Scheduler},
};
use instainstru_testkit::{self as testkit, Backend};

/// A handler that records what it saw and fails messages whose body contains "poison".
#[derive(Default)]
struct Recorder {
    batches: Mutex<Vec<Vec<String>>>,
    receive_counts: Mutex<HashMap<String, Vec<String>>>,
}

impl Recorder {
    fn handler(self: &Arc<Self>) -> SqsHandler {
        let me = self.clone();
        Arc::new(move |event: SqsEvent| {
            let me = me.clone();
            async move {
                let mut response = SqsBatchResponse::default();
                let mut bodies = Vec::new();
                for message in event.records {
                    let body = message.body.clone().unwrap_or_default();
                    let count = message.attributes.get("ApproximateReceiveCount").cloned().unwrap_or_default();
                    me.receive_counts.lock().unwrap().entry(body.clone()).or_default().push(count);
                    if body.contains("poison") {
                        let mut failure = BatchItemFailure::default();
                        failure.item_identifier = message.message_id.unwrap_or_default();
                        response.batch_item_failures.push(failure);
                    }
                    bodies.push(body);
                }
                me.batches.lock().unwrap().push(bodies);
                Ok(response)
            }
            .boxed()
        })
    }
}

fn source(queue: &LocalQueue, recorder: &Arc<Recorder>) -> EventSource {
    let mut source = EventSource::new(queue.clone(), recorder.handler());
    source.visibility = Duration::from_secs(30);
    source
}

#[tokio::test]
async fn delivers_in_batches_of_at_most_ten_each_message_once() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        for i in 0..25 {
            env.queue.send(format!("message {i}")).await.unwrap();
        }
        let recorder = Arc::new(Recorder::default());
        let source = source(&env.queue, &recorder);
        while source.poll_once().await.unwrap().delivered > 0 {}
        let batches = recorder.batches.lock().unwrap().clone();
        assert!(batches.iter().all(|b| !b.is_empty() && b.len() <= 10), "{backend:?}: {batches:?}");
        let mut all: Vec<String> = batches.concat();
        all.sort();
        let mut expected: Vec<String> = (0..25).map(|i| format!("message {i}")).collect();
        expected.sort();
        assert_eq!(all, expected, "{backend:?}");
        assert!(env.queue.is_empty().await.unwrap(), "{backend:?}: delivered messages are deleted");
    }
}

#[tokio::test]
async fn partial_batch_failure_redelivers_only_the_failed_message_then_dead_letters_it() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        env.queue.send("good 1".into()).await.unwrap();
        env.queue.send("poison pill".into()).await.unwrap();
        env.queue.send("good 2".into()).await.unwrap();
        let recorder = Arc::new(Recorder::default());
        let source = source(&env.queue, &recorder);

        let first = source.poll_once().await.unwrap();
        assert_eq!((first.delivered, first.succeeded, first.failed), (3, 2, 1), "{backend:?}");
        // Still invisible: nothing to deliver until the visibility timeout passes.
        assert_eq!(source.poll_once().await.unwrap().delivered, 0, "{backend:?}");
        for _ in 0..4 {
            env.clock.advance(jiff::SignedDuration::from_secs(31));
            source.poll_once().await.unwrap();
        }
        let counts = recorder.receive_counts.lock().unwrap().clone();
        assert_eq!(counts["good 1"], ["1"], "{backend:?}: a good message is delivered once");
        assert_eq!(counts["good 2"], ["1"], "{backend:?}");
        let max = testkit::EVENTS_MAX_RECEIVES;
        let expected: Vec<String> = (1..=max).map(|n| n.to_string()).collect();
        assert_eq!(counts["poison pill"], expected, "{backend:?}: redelivered until maxReceiveCount");
        assert!(env.queue.is_empty().await.unwrap(), "{backend:?}");
        let dlq = env.queue.dead_letter_queue().unwrap();
        let dead = dlq.messages().await.unwrap();
        assert_eq!(dead.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["poison pill"], "{backend:?}");

        // A redrive puts it back on the queue.
        assert_eq!(dlq.redrive_to(&env.queue).await.unwrap(), 1);
        assert_eq!(env.queue.len().await.unwrap(), 1);
        assert!(dlq.is_empty().await.unwrap());
    }
}

#[tokio::test]
async fn a_failing_handler_fails_the_whole_batch() {
    let env = Backend::Dynoxide.env().await;
    env.queue.send("a".into()).await.unwrap();
    env.queue.send("b".into()).await.unwrap();
    let failing: SqsHandler = Arc::new(|_| async { Err("boom".to_owned()) }.boxed());
    let source = EventSource::new(env.queue.clone(), failing);
    let outcome = source.poll_once().await.unwrap();
    assert_eq!((outcome.delivered, outcome.failed), (2, 2));
    assert_eq!(env.queue.len().await.unwrap(), 2, "nothing is lost");
}

#[tokio::test]
async fn a_stale_receipt_cannot_delete_a_redelivered_message() {
    let env = Backend::Dynoxide.env().await;
    env.queue.send("slow".into()).await.unwrap();
    let first = env.queue.receive(10, Duration::from_secs(5)).await.unwrap();
    env.clock.advance(jiff::SignedDuration::from_secs(6));
    let second = env.queue.receive(10, Duration::from_secs(5)).await.unwrap();
    assert_eq!(second.len(), 1);
    assert!(!env.queue.delete(&first[0].message_id, &first[0].receipt).await.unwrap());
    assert!(env.queue.delete(&second[0].message_id, &second[0].receipt).await.unwrap());
    assert!(env.queue.is_empty().await.unwrap());
}

#[tokio::test]
async fn the_local_queue_publishes_envelopes_a_worker_can_read() {
    let env = Backend::Dynoxide.env().await;
    let now = env.clock.as_ref();
    let events: Vec<Envelope> = (0..3)
        .map(|i| Envelope::new("test.event", instainstru_shared::clock::Clock::now(now), serde_json::json!({ "n": i })))
        .collect();
    env.queue.publish(&events).await.unwrap();
    let messages = env.queue.messages().await.unwrap();
    let mut decoded: Vec<Envelope> = messages.iter().map(|m| serde_json::from_str(&m.body).unwrap()).collect();
    // Like an SQS standard queue, the local queue does not promise order.
    decoded.sort_by(|a, b| a.id.cmp(&b.id));
    let mut events = events;
    events.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(decoded, events);
}

#[tokio::test]
async fn the_sqs_publisher_sends_every_event_to_moto() {
    let sqs = testkit::sqs_client(&testkit::moto_endpoint().url);
    let name = testkit::unique_table("events");
    let url = sqs.create_queue().queue_name(&name).send().await.unwrap().queue_url.unwrap();
    let publisher = SqsPublisher::new(sqs.clone(), url.clone());
    let at: jiff::Timestamp = "2026-11-26T15:00:00Z".parse().unwrap();
    let events: Vec<Envelope> = (0..23).map(|i| Envelope::new("search", at, serde_json::json!({ "i": i }))).collect();
    publisher.publish(&events).await.unwrap();
    let mut received = Vec::new();
    for _ in 0..20 {
        let out = sqs.receive_message().queue_url(&url).max_number_of_messages(10).send().await.unwrap();
        for m in out.messages() {
            received.push(serde_json::from_str::<Envelope>(m.body().unwrap()).unwrap());
            sqs.delete_message().queue_url(&url).receipt_handle(m.receipt_handle().unwrap()).send().await.unwrap();
        }
        if received.len() == events.len() {
            break;
        }
    }
    received.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected = events.clone();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(received, expected);
}

#[tokio::test]
async fn the_scheduler_runs_its_handler_on_its_timer_until_shut_down() {
    // Each run is reported on a channel, so the test sees runs as they happen.
    let (ran, mut runs) = tokio::sync::mpsc::unbounded_channel::<serde_json::Value>();
    let scheduler = Scheduler {
        name: "test-job".into(),
        cadence: Cadence::Every(Duration::from_millis(40)),
        handler: Arc::new(move |event| {
            let ran = ran.clone();
            async move { ran.send(event).map_err(|e| e.to_string()) }.boxed()
        }),
    };
    // A controlled clock: the scheduler's timer fires only when the test grants a tick,
    // and firing moves the clock on by the wait the scheduler asked for.
    let start: jiff::Timestamp = "2026-11-26T15:00:00Z".parse().unwrap();
    let clock = Arc::new(FixedClock::new(start));
    let ticks = Arc::new(tokio::sync::Semaphore::new(0));
    let timer = {
        let (clock, ticks) = (clock.clone(), ticks.clone());
        move |wait: Duration| {
            let (clock, ticks) = (clock.clone(), ticks.clone());
            async move {
                ticks.acquire().await.expect("semaphore open").forget();
                clock.advance(jiff::SignedDuration::try_from(wait).unwrap());
            }
        }
    };
    let (stop, watch) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(scheduler.run_with_timer(clock.clone(), watch, timer));

    for n in 1..=3i64 {
        ticks.add_permits(1);
        let event = tokio::time::timeout(Duration::from_secs(5), runs.recv())
            .await
            .expect("runs when its timer fires")
            .unwrap();
        let due = start + jiff::SignedDuration::from_millis(40 * n);
        assert_eq!(event["time"], due.to_string(), "run {n} is the one due {n} periods after the start");
        assert_eq!(event["source"], "aws.scheduler");
        assert_eq!(event["detail-type"], "Scheduled Event");
    }
    // Without another tick the next run is not due: nothing more has run.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(runs.try_recv().is_err(), "ran before its timer fired");

    // Every run so far has been taken off the channel; shut down while it waits.
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(2), task).await.expect("stops on shutdown").unwrap();
    assert_eq!(runs.try_recv().ok(), None, "no run after shutdown");
}
