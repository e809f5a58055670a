//! An instructor's own account status: the report of what is allowed, the transitions,
//! the upcoming-bookings guard (a real query over booking items), and the profile and
//! search directory following along.

mod common;

use common::*;
use instainstru_shared::ids::{BookingId, InstructorId};
use instainstru_shared::{
    clock::Clock,
    directory::Directory,
    instructors::editing,
    seed,
    store::{Record, keys},
};
use instainstru_testkit::{TestEnv, http_test::Call};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

const SARAH: &str = "sarah.chen@example.com";

/// A booking item as the booking function lays it out (shared/src/booking/mod.rs).
async fn put_booking(env: &TestEnv, instructor: &InstructorId, start: Timestamp, status: &str) -> BookingId {
    let id = BookingId::generate();
    let end = start + SignedDuration::from_mins(60);
    let record = Record::new(
        keys::booking(&id),
        json!({ "entity": "booking", "id": id, "status": status, "start": start.to_string(), "end": end.to_string(), "offering_id": "X" }),
    )
    .gsi1(keys::instructor_bookings(instructor), format!("{start}#{id}"));
    env.store.put(&record).await.unwrap();
    id
}

async fn post(env: &TestEnv, token: &str, action: &str) -> instainstru_testkit::http_test::TestResponse {
    send(env, Call::post(&format!("/api/v1/instructors/me/account-status/{action}")).token(token)).await
}

async fn listed(env: &TestEnv, id: &InstructorId) -> bool {
    Directory::load(&env.store, env.clock.now()).await.unwrap().instructor(id).is_some_and(|p| p.is_listed())
}

#[tokio::test]
async fn upcoming_confirmed_bookings_block_suspend_and_deactivate() {
    let env = TestEnv::seeded().await;
    let sarah = seed::instructor_id(SARAH);
    let token = env.token_for_email(SARAH).await;
    let res = send(&env, Call::get("/api/v1/instructors/me/account-status").token(&token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({ "status": "active", "has_upcoming_bookings": false,
        "allowed": ["suspend", "deactivate"], "blocked_by_upcoming_bookings": [] })
    );

    let now = env.clock.now();
    put_booking(&env, &sarah, now - SignedDuration::from_hours(48), "confirmed").await; // past
    put_booking(&env, &sarah, now + SignedDuration::from_hours(24), "cancelled").await;
    let report = send(&env, Call::get("/api/v1/instructors/me/account-status").token(&token)).await.json();
    assert_eq!(report["has_upcoming_bookings"], false, "past and cancelled bookings do not count");

    put_booking(&env, &sarah, now + SignedDuration::from_hours(24), "confirmed").await;
    let report = send(&env, Call::get("/api/v1/instructors/me/account-status").token(&token)).await.json();
    assert_eq!(report["allowed"], json!([]));
    assert_eq!(report["blocked_by_upcoming_bookings"], json!(["suspend", "deactivate"]));
    post(&env, &token, "suspend").await.assert_problem(409, "upcoming_bookings");
    post(&env, &token, "deactivate").await.assert_problem(409, "upcoming_bookings");
    assert!(listed(&env, &sarah).await);

    // Once the lesson is over, she may go.
    env.clock.advance(SignedDuration::from_hours(26));
    let res = post(&env, &env.token_for_email(SARAH).await, "suspend").await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[tokio::test]
async fn suspend_reactivate_and_deactivate_move_the_account_profile_and_listing() {
    let env = TestEnv::seeded().await;
    let sarah = seed::instructor_id(SARAH);
    let token = env.token_for_email(SARAH).await;
    assert!(listed(&env, &sarah).await);

    let res = post(&env, &token, "suspend").await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["status"], "suspended");
    assert_eq!(res.json()["allowed"], json!(["deactivate", "reactivate"]));
    assert_eq!(editing::get(&env.store, &sarah).await.unwrap().value.status.as_str(), "suspended");
    assert!(!listed(&env, &sarah).await, "a suspended instructor leaves the listings");
    // Suspended accounts can still sign in.
    logged_in(&env, SARAH, seed::DEMO_PASSWORD).await;
    post(&env, &token, "suspend").await.assert_problem(409, "invalid_transition");

    let res = post(&env, &token, "reactivate").await;
    assert_eq!(res.json()["status"], "active");
    assert!(listed(&env, &sarah).await);
    post(&env, &token, "reactivate").await.assert_problem(409, "invalid_transition");

    let res = post(&env, &token, "deactivate").await;
    assert_eq!(res.json()["status"], "deactivated");
    assert!(!listed(&env, &sarah).await);
    login(&env, SARAH, seed::DEMO_PASSWORD).await.assert_problem(403, "account_deactivated");
    // A deactivated account cannot bring itself back (an admin can), and its access tokens,
    // though unexpired, no longer act on it.
    post(&env, &token, "reactivate").await.assert_problem(403, "account_deactivated");
    let edit =
        Call::new("PATCH", "/api/v1/instructors/me/profile").token(&token).json(json!({ "years_experience": 3 }));
    send(&env, edit).await.assert_problem(403, "account_deactivated");
}

#[tokio::test]
async fn students_have_no_say_over_instructor_status() {
    let env = TestEnv::seeded().await;
    let student = env.token_for_email("john.smith@example.com").await;
    post(&env, &student, "suspend").await.assert_problem(403, "permission_denied");
    let res = send(&env, Call::get("/api/v1/instructors/me/account-status")).await;
    res.assert_problem(401, "authentication_required");
}
