//! Privacy through HTTP (PRODUCT.md §8): a student's export holds everything the test
//! made them do and nothing of anyone else; erasure leaves nothing personal (history,
//! analytics events, name, email, notes), makes signing in impossible, and the instructor
//! still sees the booking. The admin versions do the same for any user.

use instainstru_shared::ids::{BookingId, UserId};
use std::sync::Arc;

use aws_lambda_events::sqs::SqsEvent;
use futures::FutureExt;
use instainstru_shared::{
    booking::model::BookingItem,
    queue::local::{EventSource, SqsHandler},
    rbac::Role,
    seed,
    store::{Index, Query, Record, keys},
};
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use serde_json::{Value, json};

const INSTRUCTOR: &str = "sarah.chen@example.com";
const OTHER_GUEST: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3399";

fn worker(env: &TestEnv) -> SqsHandler {
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    Arc::new(move |event: SqsEvent| {
        let state = state.clone();
        async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
    })
}

async fn drain(env: &TestEnv) {
    let source = EventSource::new(env.queue.clone(), worker(env));
    while source.poll_once().await.unwrap().delivered > 0 {}
}

async fn search(env: &TestEnv, call: Call) -> Value {
    let res = call.client_ip("198.51.100.5").send(&instainstru_search::router(env.state.clone())).await;
    assert!(res.status == 200 || res.status == 202, "{}", res.text());
    res.json()
}

async fn accounts(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&instainstru_accounts::router(env.state.clone())).await
}

async fn admin(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&instainstru_admin::router(env.state.clone())).await
}

/// The seeded booking with Sarah Chen: its student gets notes on it, searches a little,
/// clicks a result; others search too.
async fn setup(env: &TestEnv) -> (UserId, BookingId, String) {
    let instructor = seed::user_id(INSTRUCTOR);
    let booker = env.token_for_email("john.smith@example.com").await;
    let body = json!({ "instructor_id": instructor, "offering_id": seed::offering_id(INSTRUCTOR, "piano"),
        "date": "2026-11-30", "start_time": "10:00", "duration_minutes": 60, "location_type": "online" });
    let res = Call::post("/api/v1/bookings")
        .token(&booker)
        .json(body)
        .send(&instainstru_booking::router(env.state.clone()))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    let mut records: Vec<Record<BookingItem>> = env
        .store
        .query_all(Query::partition(Index::Gsi1, keys::instructor_bookings(&instructor.as_instructor())))
        .await
        .unwrap();
    let mut record = records.remove(0);
    let student = record.data.booking.student_id.clone();
    record.data.booking.student_note = Some("Please bring the Czerny book; my flat is 4B".into());
    record.data.booking.instructor_note = Some("Student has a recital in May".into());
    env.store.put(&record).await.unwrap();
    let booking_id = record.data.booking.id.clone();

    let token = env.token(&student, &[Role::Student], &[], &[]);
    let first = search(env, Call::get("/api/v1/search?q=piano").token(&token)).await;
    search(env, Call::get("/api/v1/search?q=guitar%20lessons").token(&token)).await;
    let click = json!({ "search_event_id": first["search_event_id"], "interaction_type": "view_profile",
        "instructor_id": instructor, "result_position": 1, "time_to_interaction_ms": 3000 });
    search(env, Call::post("/api/v1/search-interactions").token(&token).json(click)).await;
    // Someone else's activity, which must appear in nobody's export but theirs.
    let other = seed::user_id("admin@instainstru.com");
    let other_token = env.token(&other, &[Role::Student], &[], &[]);
    search(env, Call::get("/api/v1/search?q=chess").token(&other_token)).await;
    search(env, Call::get("/api/v1/search?q=yoga").header("x-guest-session-id", OTHER_GUEST)).await;
    drain(env).await;
    (student, booking_id, token)
}

#[tokio::test]
async fn export_holds_everything_of_the_caller_and_nothing_of_anyone_else_and_delete_leaves_nothing_personal() {
    let env = TestEnv::seeded().await;
    let (student, booking_id, token) = setup(&env).await;
    let before = instainstru_shared::accounts::users::require(&env.store, &student).await.unwrap().value;

    let res = accounts(&env, Call::get("/api/v1/me/export").token(&token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let export = res.json();
    assert_eq!(export["account"]["id"], student.as_str());
    assert_eq!(export["account"]["email"], before.email);
    assert!(export["account"].get("password_hash").is_none());
    let queries: Vec<&str> =
        export["search_history"].as_array().unwrap().iter().map(|e| e["normalized_query"].as_str().unwrap()).collect();
    assert_eq!(queries.len(), 2, "{queries:?}");
    assert!(queries.contains(&"piano") && queries.contains(&"guitar lessons"));
    let bookings = export["bookings_as_student"].as_array().unwrap();
    assert!(bookings.iter().any(|b| b["id"] == booking_id.as_str()));
    assert!(bookings.iter().all(|b| b["student_id"] == student.as_str()));
    let events = export["analytics_events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "two searches and a profile view");
    assert!(events.iter().all(|e| e["user_id"] == student.as_str()));
    let text = export.to_string();
    for foreign in ["chess", "yoga", OTHER_GUEST] {
        assert!(!text.contains(foreign), "{foreign} is someone else's");
    }
    // The admin's view of the same person is the same document.
    let admin_token = env.token_for_email("admin@instainstru.com").await;
    let res = admin(&env, Call::get(&format!("/api/v1/admin/users/{student}/export")).token(&admin_token)).await;
    assert_eq!(res.json(), export);

    // Erasure needs the password.
    let wrong = accounts(&env, Call::post("/api/v1/me/delete").token(&token).json(json!({ "password": "nope" }))).await;
    assert!(wrong.status == 400 || wrong.status == 401 || wrong.status == 403, "{}", wrong.text());
    assert_eq!(wrong.json()["code"], "wrong_password");
    let res =
        accounts(&env, Call::post("/api/v1/me/delete").token(&token).json(json!({ "password": seed::DEMO_PASSWORD })))
            .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["analytics_events_deleted"], 3);

    // Nothing personal is left.
    let after = accounts(&env, Call::get("/api/v1/me/export").token(&token)).await.json();
    assert_eq!(after["search_history"], json!([]));
    assert_eq!(after["analytics_events"], json!([]));
    assert_eq!(after["account"]["full_name"], "Deleted user");
    assert_eq!(after["account"]["status"], "deactivated");
    assert_eq!(after["account"]["phone"], Value::Null);
    let stored =
        format!("{:?}", env.store.query_items(Query::partition(Index::Table, keys::user(&student).pk)).await.unwrap());
    assert!(!stored.contains(&before.email) && !stored.contains(&before.full_name), "{stored}");
    let booking_after = format!(
        "{:?}",
        env.store.query_items(Query::partition(Index::Table, keys::booking(&booking_id).pk)).await.unwrap()
    );
    for personal in [before.full_name.as_str(), "Czerny", "recital"] {
        assert!(!booking_after.contains(personal), "{personal} left on the booking");
    }

    // Signing in is impossible.
    let login = accounts(
        &env,
        Call::post("/api/v1/auth/login").json(json!({ "email": before.email, "password": seed::DEMO_PASSWORD })),
    )
    .await;
    assert_eq!(login.status, 401, "{}", login.text());

    // The instructor still has the lesson on record.
    let instructor_token = env.token_for_email(INSTRUCTOR).await;
    let res = Call::get(&format!("/api/v1/bookings/{booking_id}"))
        .token(&instructor_token)
        .send(&instainstru_booking::router(env.state.clone()))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let booking = res.json();
    assert_eq!(booking["id"], booking_id.as_str());
    assert_eq!(booking["student_note"], Value::Null);
    assert_eq!(booking["instructor_note"], Value::Null);
    assert!(!booking.to_string().contains(&before.full_name));
}

#[tokio::test]
async fn admins_export_and_erase_any_user_but_not_themselves() {
    let env = TestEnv::seeded().await;
    let admin_token = env.token_for_email("admin@instainstru.com").await;
    let john = seed::user_id("john.smith@example.com");
    search(&env, Call::get("/api/v1/search?q=chess").token(&env.token(&john, &[Role::Student], &[], &[]))).await;
    drain(&env).await;
    let res = admin(&env, Call::post(&format!("/api/v1/admin/users/{john}/delete")).token(&admin_token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let export = admin(&env, Call::get(&format!("/api/v1/admin/users/{john}/export")).token(&admin_token)).await.json();
    assert_eq!((export["search_history"].clone(), export["analytics_events"].clone()), (json!([]), json!([])));
    let audit =
        admin(&env, Call::get(&format!("/api/v1/admin/audit-log?target={john}")).token(&admin_token)).await.json();
    assert_eq!(audit["items"][0]["action"], "user.erase");

    let me = seed::user_id("admin@instainstru.com");
    admin(&env, Call::post(&format!("/api/v1/admin/users/{me}/delete")).token(&admin_token))
        .await
        .assert_problem(409, "own_account");
    let unknown = instainstru_shared::ids::new_id();
    admin(&env, Call::get(&format!("/api/v1/admin/users/{unknown}/export")).token(&admin_token))
        .await
        .assert_problem(404, "user_not_found");
    admin(&env, Call::get("/api/v1/admin/users/not-an-id/export").token(&admin_token))
        .await
        .assert_problem(404, "user_not_found");
    let student = env.token(&john, &[Role::Student], &[], &[]);
    admin(&env, Call::get(&format!("/api/v1/admin/users/{john}/export")).token(&student))
        .await
        .assert_problem(403, "permission_denied");
}

#[tokio::test]
async fn a_guest_exports_and_erases_their_session_and_nobody_elses() {
    let env = TestEnv::seeded().await;
    const GUEST: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    let first = search(&env, Call::get("/api/v1/search?q=piano").header("x-guest-session-id", GUEST)).await;
    search(&env, Call::get("/api/v1/search?q=harp").header("x-guest-session-id", GUEST)).await;
    let view = json!({ "search_event_id": first["search_event_id"], "interaction_type": "view_profile",
        "instructor_id": seed::user_id(INSTRUCTOR), "result_position": 1, "time_to_interaction_ms": 900 });
    search(&env, Call::post("/api/v1/search-interactions").header("x-guest-session-id", GUEST).json(view)).await;
    search(&env, Call::get("/api/v1/search?q=yoga").header("x-guest-session-id", OTHER_GUEST)).await;
    drain(&env).await;
    let day = instainstru_shared::analytics::apply::day_of(instainstru_shared::clock::Clock::now(env.clock.as_ref()));
    let window = instainstru_shared::analytics::window::Window { start: day, end: day };
    let before = instainstru_shared::analytics::reports::summary(&env.store, &window).await.unwrap();
    assert_eq!((before.total_searches, before.unique_guests), (3, 2));

    // Without the header there is nobody to export or erase.
    for call in [Call::get("/api/v1/guest/export"), Call::post("/api/v1/guest/delete")] {
        let res = accounts(&env, call).await;
        res.assert_problem(400, "guest_session_required");
        assert_eq!(res.json()["field"], "X-Guest-Session-ID");
    }
    let bad = accounts(&env, Call::get("/api/v1/guest/export").header("x-guest-session-id", "not-a-uuid")).await;
    assert_eq!((bad.status, bad.json()["field"].as_str()), (400, Some("X-Guest-Session-ID")));

    let res = accounts(&env, Call::get("/api/v1/guest/export").header("x-guest-session-id", GUEST)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let export = res.json();
    let mut queries: Vec<&str> =
        export["search_history"].as_array().unwrap().iter().map(|e| e["normalized_query"].as_str().unwrap()).collect();
    queries.sort();
    assert_eq!(queries, ["harp", "piano"]);
    assert_eq!(export["analytics_events"].as_array().unwrap().len(), 3, "two searches and a profile view");
    assert!(!export.to_string().contains("yoga") && !export.to_string().contains(OTHER_GUEST));

    let res = accounts(&env, Call::post("/api/v1/guest/delete").header("x-guest-session-id", GUEST)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["analytics_events_deleted"], 3);
    assert!(res.json()["history_items_deleted"].as_u64().unwrap() >= 2);
    let after = accounts(&env, Call::get("/api/v1/guest/export").header("x-guest-session-id", GUEST)).await.json();
    assert_eq!(
        (after["search_history"].as_array().unwrap().len(), after["analytics_events"].as_array().unwrap().len()),
        (0, 0)
    );
    // The day's totals stay (they are not personal); the guest no longer counts as a
    // distinct guest; the other guest's data is untouched.
    let summary = instainstru_shared::analytics::reports::summary(&env.store, &window).await.unwrap();
    assert_eq!((summary.total_searches, summary.unique_guests), (3, 1));
    let other =
        accounts(&env, Call::get("/api/v1/guest/export").header("x-guest-session-id", OTHER_GUEST)).await.json();
    assert_eq!(other["analytics_events"].as_array().unwrap().len(), 1);
}
