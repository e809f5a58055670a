//! Booking events: each change publishes its event, and none is lost when publishing
//! fails after the change is stored (the outbox and its sweep).

mod common;

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use common::*;
use instainstru_shared::{
    booking::outbox,
    queue::{Envelope, EventPublisher, PublishError},
};
use instainstru_testkit::http_test::Call;
use serde_json::Value;

/// A queue that is down.
struct QueueDown {
    attempts: AtomicUsize,
}

#[async_trait::async_trait]
impl EventPublisher for QueueDown {
    async fn publish(&self, _events: &[Envelope]) -> Result<(), PublishError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        Err(PublishError("the events queue is unavailable".into()))
    }
}

async fn published(world: &World) -> Vec<Value> {
    let messages = world.env.queue.messages().await.unwrap();
    messages.iter().map(|m| serde_json::from_str(&m.body).unwrap()).collect()
}

#[tokio::test]
async fn every_change_publishes_its_event() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let a = created(&world.book(&pupil, &teacher, "2026-11-26", "13:00", 60).await);
    let b = created(&world.book(&pupil, &teacher, "2026-11-26", "15:00", 30).await);
    let c = created(&world.book(&pupil, &teacher, "2026-11-27", "09:00", 60).await);
    cancel(&world, &pupil.token, &c).await;
    let moved = post(
        &format!("/api/v1/bookings/{a}/reschedule"),
        &pupil.token,
        serde_json::json!({ "date": "2026-11-26", "start_time": "12:00" }),
    );
    assert_eq!(world.send(moved).await.status, 200);
    world.at("2026-11-26T21:00:00Z");
    world.renew_teacher(&mut teacher);
    world.send(Call::post(&format!("/api/v1/bookings/{a}/complete")).token(&teacher.token)).await;
    world.send(Call::post(&format!("/api/v1/bookings/{b}/no-show")).token(&teacher.token)).await;

    let events = published(&world).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "booking.created",
            "booking.created",
            "booking.created",
            "booking.cancelled",
            "booking.rescheduled",
            "booking.completed",
            "booking.no_show"
        ]
    );
    let created_event = &events[0];
    assert!(created_event["id"].as_str().is_some_and(|id| !id.is_empty()));
    let payload = &created_event["payload"];
    assert_eq!(payload["booking_id"], a.as_str());
    assert_eq!(payload["instructor_id"], teacher.id.as_str());
    assert_eq!(payload["student_id"], pupil.id.as_str());
    assert_eq!(payload["offering_id"], teacher.offering.as_str());
    assert_eq!(payload["service"], "piano");
    assert_eq!(
        (payload["start"].as_str(), payload["end"].as_str()),
        (Some("2026-11-26T18:00:00Z"), Some("2026-11-26T19:00:00Z"))
    );
    assert_eq!((payload["price_cents"].as_u64(), payload["currency"].as_str()), (Some(6000), Some("USD")));
    assert_eq!((payload["status"].as_str(), payload["late"].as_bool()), (Some("confirmed"), Some(false)));
    // The late cancellation says so; the reschedule says where the lesson was.
    assert_eq!(events[3]["payload"]["late"], true);
    assert_eq!(events[3]["payload"]["status"], "cancelled");
    assert_eq!(events[4]["payload"]["previous_start"], "2026-11-26T18:00:00Z");
    assert_eq!(events[4]["payload"]["start"], "2026-11-26T17:00:00Z");
    assert_eq!(events[5]["payload"]["status"], "completed");
    assert_eq!(events[6]["payload"]["status"], "no_show");
    // Delivered events leave the outbox.
    assert_eq!(outbox::pending(&world.env.store).await.unwrap(), 0);
}

#[tokio::test]
async fn an_event_whose_publish_failed_is_published_by_the_sweep() {
    let queue_down = Arc::new(QueueDown { attempts: AtomicUsize::new(0) });
    let world = World::seeded().await.with_events(queue_down.clone());
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    // The booking is made: a failed publish never fails the request.
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    assert_eq!(queue_down.attempts.load(Ordering::SeqCst), 1);
    assert!(published(&world).await.is_empty());
    assert_eq!(outbox::pending(&world.env.store).await.unwrap(), 1);
    let res = cancel(&world, &pupil.token, &id).await;
    assert_eq!(res.status, 200);
    assert_eq!(outbox::pending(&world.env.store).await.unwrap(), 2);

    // The sweep leaves fresh events to their request for a grace period...
    let state = &world.env.state;
    let report = instainstru_booking::sweep_outbox(state, Value::Null).await.unwrap();
    assert_eq!(report.published, 0);
    // ...and a sweep whose queue is still down fails and keeps them.
    let down = instainstru_shared::AppState { events: queue_down.clone(), ..state.clone() };
    world.env.clock.advance(outbox::GRACE + jiff::SignedDuration::from_secs(1));
    assert!(instainstru_booking::sweep_outbox(&down, Value::Null).await.is_err());
    assert_eq!(outbox::pending(&world.env.store).await.unwrap(), 2);

    // Once the queue is back, the scheduled sweep publishes both, oldest first.
    let report = instainstru_booking::sweep_outbox(state, Value::Null).await.unwrap();
    assert_eq!(report.published, 2);
    let events = published(&world).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["booking.created", "booking.cancelled"]);
    assert!(events.iter().all(|e| e["payload"]["booking_id"] == id.as_str()));
    assert_eq!(outbox::pending(&world.env.store).await.unwrap(), 0);
    // Nothing is published twice by a later sweep.
    assert_eq!(instainstru_booking::sweep_outbox(state, Value::Null).await.unwrap().published, 0);
    assert_eq!(published(&world).await.len(), 2);
}
