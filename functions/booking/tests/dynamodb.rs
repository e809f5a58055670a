//! The booking path as DynamoDB sees it, through SDK interceptors on the real client:
//! `TransactionConflict` (which neither emulator produces) is injected to show the claim
//! is retried with backoff, and every call is counted to pin what each operation costs.

mod common;

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
};

use aws_sdk_dynamodb::config::{
    ConfigBag, Intercept, RuntimeComponents,
    interceptors::{
        BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextMut,
        BeforeTransmitInterceptorContextRef,
    },
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::body::SdkBody;
use common::*;
use serde_json::json;

fn operation(headers: &aws_smithy_runtime_api::http::Headers) -> String {
    let target = headers.get("x-amz-target").unwrap_or_default();
    target.rsplit('.').next().unwrap_or_default().to_owned()
}

/// Answers the next `remaining` TransactWriteItems with a cancelled transaction whose
/// reason is TransactionConflict, as DynamoDB does when another transaction holds an item.
/// The real request is turned into a harmless invalid one first, so nothing is written.
#[derive(Debug, Clone, Default)]
struct InjectConflicts {
    remaining: Arc<AtomicU32>,
    transactions: Arc<AtomicU32>,
    injecting: Arc<std::sync::atomic::AtomicBool>,
}

const CONFLICT: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]","CancellationReasons":[{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}]}"#;

impl Intercept for InjectConflicts {
    fn name(&self) -> &'static str {
        "InjectConflicts"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        let is_transaction = operation(request.headers()) == "TransactWriteItems";
        let inject = is_transaction
            && self.remaining.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        if is_transaction {
            self.transactions.fetch_add(1, Ordering::SeqCst);
        }
        self.injecting.store(inject, Ordering::SeqCst);
        if inject {
            *request.body_mut() = SdkBody::from("{}");
            request.headers_mut().insert("content-length", "2");
        }
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if self.injecting.swap(false, Ordering::SeqCst) {
            let response = context.response_mut();
            *response.status_mut() = 400u16.try_into()?;
            response.headers_mut().insert("content-type", "application/x-amz-json-1.0");
            response.headers_mut().insert("content-length", CONFLICT.len().to_string());
            *response.body_mut() = SdkBody::from(CONFLICT);
        }
        Ok(())
    }
}

#[tokio::test]
async fn a_transaction_conflict_is_retried_until_the_claim_commits() {
    let inject = InjectConflicts::default();
    inject.remaining.store(2, Ordering::SeqCst);
    let world = World::seeded().await.with_interceptor(inject.clone(), false);
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    assert_eq!(inject.transactions.load(Ordering::SeqCst), 3, "two conflicts, then the commit");
    assert_eq!(items_with_prefix(&world, "BOOKING#").await.len(), 1);
    assert!(items_with_prefix(&world, "LOCK#").await.iter().all(|l| attr(l, "booking_id") == id));
}

#[tokio::test]
async fn a_conflict_that_never_clears_answers_503_and_writes_nothing() {
    let inject = InjectConflicts::default();
    inject.remaining.store(u32::MAX, Ordering::SeqCst);
    let world = World::seeded().await.with_interceptor(inject.clone(), false);
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await;
    res.assert_problem(503, "write_contention");
    assert_eq!(inject.transactions.load(Ordering::SeqCst), 6, "bounded retries");
    assert!(items_with_prefix(&world, "BOOKING#").await.is_empty());
    assert!(items_with_prefix(&world, "LOCK#").await.is_empty());
    // A cancel whose transaction keeps conflicting leaves the booking as it was.
    inject.remaining.store(0, Ordering::SeqCst);
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    inject.remaining.store(u32::MAX, Ordering::SeqCst);
    cancel(&world, &pupil.token, &id).await.assert_problem(503, "write_contention");
    inject.remaining.store(0, Ordering::SeqCst);
    let booking = world
        .send(instainstru_testkit::http_test::Call::get(&format!("/api/v1/bookings/{id}")).token(&pupil.token))
        .await;
    assert_eq!(booking.json()["status"], "confirmed");
}

/// Counts DynamoDB requests by operation.
#[derive(Debug, Clone, Default)]
struct CountCalls(Arc<Mutex<BTreeMap<String, u32>>>);

impl CountCalls {
    fn take(&self) -> BTreeMap<String, u32> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        *self.0.lock().unwrap().entry(operation(context.request().headers())).or_default() += 1;
        Ok(())
    }
}

fn calls(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
    pairs.iter().map(|(op, n)| ((*op).to_owned(), *n)).collect()
}

/// What each booking operation costs in DynamoDB requests, in a warm Lambda (directory
/// cached). BENCHMARKS.md records these; this test keeps them true.
#[tokio::test]
async fn dynamodb_calls_per_create_cancel_and_reschedule() {
    let count = CountCalls::default();
    let world = World::seeded().await.with_interceptor(count.clone(), true);
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    // Warm the Lambda: the first request loads the directory.
    created(&world.book(&pupil, &teacher, "2026-12-01", "10:00", 60).await);
    count.take();

    let call = book_call(&pupil.token, &teacher, "2026-11-30", "10:00", 60).header("Idempotency-Key", "k-1");
    let id = created(&world.send(call).await);
    // Rate limit: the counter (the day's salt is held in memory once read); one BatchGet
    // (profile, schedule, student, idempotency record) alongside one Query (the
    // instructor's bookings that day); the claim; the outbox clean-up after publishing.
    let create =
        calls(&[("BatchGetItem", 1), ("DeleteItem", 1), ("Query", 1), ("TransactWriteItems", 1), ("UpdateItem", 1)]);
    assert_eq!(count.take(), create);

    let body = json!({ "date": "2026-11-30", "start_time": "13:00" });
    let res = world.send(post(&format!("/api/v1/bookings/{id}/reschedule"), &pupil.token, body)).await;
    assert_eq!(res.status, 200);
    let reschedule =
        calls(&[("BatchGetItem", 1), ("DeleteItem", 1), ("GetItem", 1), ("Query", 1), ("TransactWriteItems", 1)]);
    assert_eq!(count.take(), reschedule);

    assert_eq!(cancel(&world, &pupil.token, &id).await.status, 200);
    let cancelled = calls(&[("DeleteItem", 1), ("GetItem", 1), ("TransactWriteItems", 1)]);
    assert_eq!(count.take(), cancelled);

    // Public availability for 90 days and next-available: from the warm directory, no call.
    let uri = format!("/api/v1/instructors/{}/availability?start=2026-11-26&end=2027-02-24", teacher.id);
    let res = world.send(instainstru_testkit::http_test::Call::get(&uri)).await;
    assert_eq!(res.status, 200);
    assert!(res.json()["days"][4]["slots"].as_array().is_some_and(|s| !s.is_empty()), "something is offered");
    let uri = format!("/api/v1/instructors/{}/next-available?duration=60", teacher.id);
    let res = world.send(instainstru_testkit::http_test::Call::get(&uri)).await;
    assert_eq!(res.status, 200);
    assert!(res.json()["next"]["date"].is_string(), "{}", res.text());
    assert_eq!(count.take(), calls(&[]));
}
