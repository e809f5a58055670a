//! No double booking under any concurrency, shown through HTTP against both emulators:
//! dynoxide in-process, and moto (a single-threaded instance: see `common::SerialMoto` for
//! why moto's threaded server cannot emulate concurrent transactions).
//!
//! Every request is a separate task on a multi-threaded runtime, released together by a
//! barrier, each calling the function's router as API Gateway would.

mod common;

use std::sync::Arc;

use common::*;
use instainstru_booking::Options;
use instainstru_shared::booking::outbox;
use instainstru_testkit::{Backend, http_test::TestResponse};
use tokio::sync::Barrier;

/// Sends every call at once and returns the responses in order.
async fn all_at_once(world: &World, calls: Vec<instainstru_testkit::http_test::Call>) -> Vec<TestResponse> {
    let barrier = Arc::new(Barrier::new(calls.len()));
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|call| {
            let (router, barrier) = (world.router.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                call.send(&router).await
            })
        })
        .collect();
    let mut responses = Vec::new();
    for task in tasks {
        responses.push(task.await.expect("request task"));
    }
    responses
}

/// Exactly one 201 and the rest 409 with one of `codes`; returns the winner's booking id.
#[track_caller]
fn exactly_one_wins(backend: Backend, responses: &[TestResponse], codes: &[&str], party: &str) -> String {
    let winners: Vec<&TestResponse> = responses.iter().filter(|r| r.status == 201).collect();
    assert_eq!(winners.len(), 1, "{backend:?}: {} winners", winners.len());
    for res in responses.iter().filter(|r| r.status != 201) {
        assert_eq!(res.status, 409, "{backend:?}: {}", res.text());
        let body = res.json();
        assert!(codes.contains(&body["code"].as_str().unwrap_or_default()), "{backend:?}: {body}");
        assert_eq!(body["conflict_with"], party, "{backend:?}: {body}");
    }
    winners[0].json()["id"].as_str().unwrap().to_owned()
}

/// The table holds exactly one booking and exactly its lock cells, and its one event was
/// published.
async fn exactly_one_booking(world: &World, backend: Backend, winner: &str, cells: usize) {
    let bookings = items_with_prefix(world, "BOOKING#").await;
    assert_eq!(bookings.len(), 1, "{backend:?}");
    assert_eq!(attr(&bookings[0], "id"), winner, "{backend:?}");
    let locks = items_with_prefix(world, "LOCK#").await;
    assert_eq!(locks.len(), cells, "{backend:?}: one set of locks");
    assert!(locks.iter().all(|l| attr(l, "booking_id") == winner), "{backend:?}");
    assert_eq!(outbox::pending(&world.env.store).await.unwrap(), 0, "{backend:?}");
    assert_eq!(event_kinds(world).await, ["booking.created"], "{backend:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_students_one_slot_one_booking() {
    let (worlds, _moto) = concurrent_worlds().await;
    for (backend, world) in worlds {
        let teacher = world.instructor(Spec::default()).await;
        let names: Vec<String> = (0..200).map(|i| format!("Student {i}")).collect();
        let pupils = world.students(&names.iter().map(String::as_str).collect::<Vec<_>>()).await;
        let calls = pupils.iter().map(|p| book_call(&p.token, &teacher, "2026-11-30", "10:00", 60)).collect();
        let responses = all_at_once(&world, calls).await;
        let winner = exactly_one_wins(backend, &responses, &["overlaps_booking"], "instructor");
        // 60 minutes: four cells for the instructor, four for the student.
        exactly_one_booking(&world, backend, &winner, 8).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_students_overlapping_slots_one_booking() {
    let (worlds, _moto) = concurrent_worlds().await;
    for (backend, world) in worlds {
        // A 30-minute buffer: claims may collide on lesson or on buffer cells.
        let teacher = world.instructor(Spec { settings: settings(2, 30, 90), ..Spec::default() }).await;
        let names: Vec<String> = (0..200).map(|i| format!("Student {i}")).collect();
        let pupils = world.students(&names.iter().map(String::as_str).collect::<Vec<_>>()).await;
        // Every pair of these is too close: 60-minute lessons starting within 75 minutes of
        // each other break either the no-overlap rule or the 30-minute buffer.
        let starts = ["10:00", "10:15", "10:30", "10:45", "11:00", "11:15"];
        let calls = pupils
            .iter()
            .enumerate()
            .map(|(i, p)| book_call(&p.token, &teacher, "2026-11-30", starts[i % starts.len()], 60))
            .collect();
        let responses = all_at_once(&world, calls).await;
        let winner = exactly_one_wins(backend, &responses, &["overlaps_booking", "buffer_conflict"], "instructor");
        // Instructor: 4 lesson + 2 buffer cells; student: 4.
        exactly_one_booking(&world, backend, &winner, 10).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_student_fifty_instructors_same_time_one_booking() {
    let (worlds, _moto) = concurrent_worlds().await;
    for (backend, world) in worlds {
        // Lift the 20-a-minute create limit so that all 50 requests reach the claim.
        let world = world.with_options(Options { booking_create_limit: None });
        let pupil = world.student("Eager Student").await;
        let mut teachers = Vec::new();
        for i in 0..50 {
            let name: &'static str = Box::leak(format!("Teacher {i}").into_boxed_str());
            teachers.push(world.instructor(Spec { name, ..Spec::default() }).await);
        }
        let calls = teachers.iter().map(|t| book_call(&pupil.token, t, "2026-11-30", "10:00", 60)).collect();
        let responses = all_at_once(&world, calls).await;
        let winner = exactly_one_wins(backend, &responses, &["student_overlaps_booking"], "you");
        exactly_one_booking(&world, backend, &winner, 8).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_rate_limit_holds_under_concurrency_too() {
    let world = World::on(Backend::Dynoxide).await;
    let pupil = world.student("Eager Student").await;
    let mut teachers = Vec::new();
    for _ in 0..30 {
        teachers.push(world.instructor(Spec::default()).await);
    }
    let calls = teachers.iter().map(|t| book_call(&pupil.token, t, "2026-11-30", "10:00", 60)).collect();
    let responses = all_at_once(&world, calls).await;
    let count = |status| responses.iter().filter(|r| r.status == status).count();
    assert_eq!((count(201), count(409), count(429)), (1, 19, 10));
}
