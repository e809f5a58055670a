//! Booking notifications (PRODUCT.md §5) through their public surfaces: bookings made over
//! HTTP publish events; the `booking-notify` handler consumes the notifications queue the
//! way Lambda's SQS event source delivers it; the booking-outbox schedule publishes due
//! reminders. Mail lands in the local outbox.

mod common;

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use common::*;
use futures::FutureExt;
use instainstru_shared::{
    AppState,
    clock::Clock,
    mail::{Mail, MailError, MailSender, outbox::OutboxMail},
    queue::local::{EventSource, SqsHandler},
};
use serde_json::json;

fn handler(state: AppState) -> SqsHandler {
    Arc::new(move |event| {
        let state = state.clone();
        async move { Ok(instainstru_booking::notify_batch(&state, event).await) }.boxed()
    })
}

/// Delivers everything on the notifications queue; returns (delivered, failed).
async fn deliver(world: &World, state: &AppState) -> (usize, usize) {
    let source = EventSource::new(world.env.notifications.clone(), handler(state.clone()));
    let (mut delivered, mut failed) = (0, 0);
    loop {
        let outcome = source.poll_once().await.unwrap();
        if outcome.delivered == 0 {
            return (delivered, failed);
        }
        delivered += outcome.delivered;
        failed += outcome.failed;
    }
}

/// Every mail sent, oldest first.
async fn mails(world: &World) -> Vec<Mail> {
    let mut all: Vec<OutboxMail> = world.env.outbox.recent(1000).await.unwrap();
    all.reverse();
    all.into_iter().map(|m| m.mail).collect()
}

fn email(id: impl std::fmt::Display) -> String {
    format!("{}@example.test", id.to_string().to_lowercase())
}

async fn sweep(world: &World) -> usize {
    instainstru_booking::sweep_outbox(&world.env.state, json!({})).await.unwrap().reminders
}

#[tokio::test]
async fn a_booking_mails_both_parties_once_even_when_its_event_is_delivered_twice() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Sam Student").await;
    let booking = created(&world.book(&pupil, &teacher, "2026-11-28", "13:00", 60).await);

    // Keep a copy of the event as SQS delivered it, to deliver it again afterwards.
    let queued = world.env.notifications.messages().await.unwrap();
    assert_eq!(queued.len(), 1, "one booking event on the notifications queue");
    let body = queued[0].body.clone();
    assert_eq!(deliver(&world, &world.env.state).await, (1, 0));

    let sent = mails(&world).await;
    assert_eq!(sent.len(), 2, "{sent:#?}");
    let to_student = sent.iter().find(|m| m.to == email(&pupil.id)).expect("the student is mailed");
    let to_teacher = sent.iter().find(|m| m.to == email(&teacher.id)).expect("the instructor is mailed");
    assert!(to_student.subject.starts_with("Confirmed: "), "{}", to_student.subject);
    assert!(to_student.subject.contains("with Ada Teacher"), "{}", to_student.subject);
    assert!(to_teacher.subject.contains("for Sam Student"), "{}", to_teacher.subject);
    // 13:00 in New York, as booked, whatever the server's zone.
    assert!(to_student.text.contains("Saturday, November 28, 2026 at 1:00 PM (New York time)"), "{}", to_student.text);
    assert!(to_student.text.contains("Price: $60.00"), "{}", to_student.text);
    assert!(!to_teacher.text.contains("Price"), "the instructor's mail carries no price line");
    assert!(to_student.text.contains(&booking));

    // SQS delivers the same event again (and twice within one batch): nothing more is sent.
    let message = |id: &str| {
        let mut m = SqsMessage::default();
        m.message_id = Some(id.to_owned());
        m.body = Some(body.clone());
        m
    };
    let mut again = SqsEvent::default();
    again.records = vec![message("redelivery-1"), message("redelivery-2")];
    let response = instainstru_booking::notify_batch(&world.env.state, again).await;
    assert!(response.batch_item_failures.is_empty());
    assert_eq!(mails(&world).await.len(), 2, "a redelivered event mails nobody twice");
}

#[tokio::test]
async fn cancellations_and_moves_mail_both_parties_and_reminders_follow_the_lesson() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let mut pupil = world.student("Sam Student").await;
    let moved = created(&world.book(&pupil, &teacher, "2026-11-28", "13:00", 60).await);
    let dropped = created(&world.book(&pupil, &teacher, "2026-11-29", "10:00", 60).await);
    assert_eq!(cancel(&world, &pupil.token, &dropped).await.status, 200);
    let body = json!({ "date": "2026-11-28", "start_time": "15:00" });
    let res = world.send(post(&format!("/api/v1/bookings/{moved}/reschedule"), &pupil.token, body)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(deliver(&world, &world.env.state).await, (4, 0));

    let sent = mails(&world).await;
    let subjects: Vec<&str> = sent.iter().map(|m| m.subject.split(':').next().unwrap()).collect();
    assert_eq!(subjects.iter().filter(|s| **s == "Confirmed").count(), 4);
    assert_eq!(subjects.iter().filter(|s| **s == "Cancelled").count(), 2);
    assert_eq!(subjects.iter().filter(|s| **s == "Moved").count(), 2);
    let move_mail = sent.iter().find(|m| m.subject.starts_with("Moved") && m.to == email(&pupil.id)).unwrap();
    assert!(
        move_mail.text.contains(
            "from Saturday, November 28, 2026 at 1:00 PM to Saturday, November 28, 2026 at 3:00 PM (New York time)"
        ),
        "{}",
        move_mail.text
    );
    let cancel_mail = sent.iter().find(|m| m.subject.starts_with("Cancelled") && m.to == email(&teacher.id)).unwrap();
    assert!(cancel_mail.text.contains("Sunday, November 29, 2026 at 10:00 AM"), "{}", cancel_mail.text);

    // Nothing is due yet.
    assert_eq!(sweep(&world).await, 0);
    // 24 h before the lesson's first time (13:00 New York = 18:00 UTC): that reminder is
    // published, but the lesson has moved, so nobody is mailed for the old time.
    world.at("2026-11-27T18:00:30Z");
    assert_eq!(sweep(&world).await, 1);
    assert_eq!(deliver(&world, &world.env.state).await, (1, 0));
    assert_eq!(mails(&world).await.len(), 8);
    // 24 h before the new time: both parties are reminded, once.
    world.at("2026-11-27T20:00:30Z");
    assert_eq!(sweep(&world).await, 1);
    assert_eq!(sweep(&world).await, 0, "a published reminder leaves the index");
    assert_eq!(deliver(&world, &world.env.state).await, (1, 0));
    let sent = mails(&world).await;
    assert_eq!(sent.len(), 10);
    let reminders: Vec<&Mail> = sent.iter().filter(|m| m.subject.starts_with("Tomorrow")).collect();
    assert_eq!(reminders.len(), 2);
    assert!(reminders.iter().all(|m| m.text.contains("Saturday, November 28, 2026 at 3:00 PM")));
    // The cancelled lesson's reminder falls due and mails nobody.
    world.at("2026-11-28T15:05:00Z");
    world.renew(&mut pupil);
    world.renew_teacher(&mut teacher);
    assert_eq!(sweep(&world).await, 1);
    assert_eq!(deliver(&world, &world.env.state).await, (1, 0));
    assert_eq!(mails(&world).await.len(), 10);
}

#[tokio::test]
async fn a_lesson_booked_less_than_a_day_ahead_gets_no_reminder_and_a_missed_sweep_catches_up() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Sam Student").await;
    // Now is Thursday 10:00 New York; 16:00 today is 6 hours away.
    created(&world.book(&pupil, &teacher, "2026-11-26", "16:00", 60).await);
    created(&world.book(&pupil, &teacher, "2026-11-30", "09:00", 60).await);
    deliver(&world, &world.env.state).await;
    assert_eq!(items_with_prefix(&world, "REMIND#").await.len(), 1, "only the lesson four days ahead");
    // The schedule did not run for five hours after the reminder fell due (09:00 New York
    // on the 29th = 14:00 UTC): the next run still publishes it.
    world.at("2026-11-29T19:00:00Z");
    assert_eq!(sweep(&world).await, 1);
    deliver(&world, &world.env.state).await;
    assert_eq!(mails(&world).await.iter().filter(|m| m.subject.starts_with("Tomorrow")).count(), 2);
}

/// A mail service that is down until told otherwise.
struct FlakyMail {
    down: AtomicBool,
    inner: Arc<dyn MailSender>,
}

#[async_trait::async_trait]
impl MailSender for FlakyMail {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(MailError("SES is throttling".into()));
        }
        self.inner.send(mail).await
    }
}

#[tokio::test]
async fn a_failing_mail_service_never_fails_the_booking_and_the_mail_goes_out_once_it_recovers() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Sam Student").await;
    let flaky = Arc::new(FlakyMail { down: AtomicBool::new(true), inner: Arc::new(world.env.outbox.clone()) });
    let state = AppState { mail: Some(flaky.clone()), ..world.env.state.clone() };

    let booking = created(&world.book(&pupil, &teacher, "2026-11-28", "13:00", 60).await);
    assert_eq!(deliver(&world, &state).await, (1, 1), "the message is reported as a batch item failure");
    assert!(mails(&world).await.is_empty());
    let res = world
        .send(instainstru_testkit::http_test::Call::get(&format!("/api/v1/bookings/{booking}")).token(&pupil.token))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["status"], "confirmed", "the booking stands whatever the mail does");

    // SQS redelivers after the visibility timeout; by then the service is back.
    flaky.down.store(false, Ordering::SeqCst);
    world.at("2026-11-26T15:01:00Z");
    assert_eq!(deliver(&world, &state).await, (1, 0));
    assert_eq!(mails(&world).await.len(), 2);
}

#[tokio::test]
async fn poison_messages_fail_alone_and_unrelated_kinds_are_refused() {
    let world = World::seeded().await;
    let message = |id: &str, body: &str| {
        let mut m = SqsMessage::default();
        m.message_id = Some(id.to_owned());
        m.body = Some(body.to_owned());
        m
    };
    let mut event = SqsEvent::default();
    event.records = vec![
        message("not-json", "{"),
        message(
            "unknown-kind",
            r#"{"id":"e1","kind":"booking.teleported","occurred_at":"2026-11-26T15:00:00Z","payload":{}}"#,
        ),
        message(
            "bad-payload",
            r#"{"id":"e2","kind":"booking.created","occurred_at":"2026-11-26T15:00:00Z","payload":{"start":5}}"#,
        ),
        message(
            "no-mail",
            r#"{"id":"e3","kind":"booking.completed","occurred_at":"2026-11-26T15:00:00Z","payload":{"booking_id":"b","start":"2026-11-26T15:00:00Z","end":"2026-11-26T16:00:00Z"}}"#,
        ),
    ];
    let response = instainstru_booking::notify_batch(&world.env.state, event).await;
    let failed: Vec<&str> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, ["not-json", "unknown-kind", "bad-payload"]);
}

#[tokio::test]
async fn an_erased_account_is_never_mailed_again() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Sam Student").await;
    let booking = created(&world.book(&pupil, &teacher, "2026-11-28", "13:00", 60).await);
    deliver(&world, &world.env.state).await;
    assert_eq!(mails(&world).await.len(), 2);

    instainstru_shared::personal_data::erase(&world.env.store, &pupil.id, &pupil.id, world.env.clock.now())
        .await
        .unwrap();
    assert_eq!(cancel(&world, &teacher.token, &booking).await.status, 200);
    deliver(&world, &world.env.state).await;
    let sent = mails(&world).await;
    assert_eq!(sent.len(), 3, "only the instructor hears of the cancellation");
    assert_eq!(sent[2].to, email(&teacher.id));
    assert!(sent.iter().all(|m| !m.to.ends_with(".invalid")));
}
