//! After a booking is made: cancel (free or late), rebook, complete, no-show, the
//! instructor's edits, reschedule, and who may do each (404 for everyone unrelated).
//! "Now" is Thursday 2026-11-26 10:00 New York (15:00Z).

mod common;

use common::*;
use instainstru_shared::{
    booking::instructor_has_upcoming_confirmed,
    clock::Clock,
    rbac::{Permission, Role},
};
use instainstru_testkit::http_test::{Call, TestResponse};
use serde_json::json;

async fn get(world: &World, token: &str, id: &str) -> TestResponse {
    world.send(Call::get(&format!("/api/v1/bookings/{id}")).token(token)).await
}

async fn action(world: &World, token: &str, id: &str, what: &str) -> TestResponse {
    world.send(Call::post(&format!("/api/v1/bookings/{id}/{what}")).token(token)).await
}

async fn reschedule(world: &World, token: &str, id: &str, date: &str, time: &str) -> TestResponse {
    let body = json!({ "date": date, "start_time": time });
    world.send(post(&format!("/api/v1/bookings/{id}/reschedule"), token, body)).await
}

#[tokio::test]
async fn cancel_then_rebook_the_same_slot() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let [first, second] = <[Pupil; 2]>::try_from(world.students(&["First", "Second"]).await).ok().unwrap();
    let id = created(&world.book(&first, &teacher, "2026-11-30", "10:00", 60).await);
    world.book(&second, &teacher, "2026-11-30", "10:00", 60).await.assert_problem(409, "overlaps_booking");
    let res = cancel(&world, &first.token, &id).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["cancellation"]["by"], "student");
    assert_eq!(body["cancellation"]["reason"], "change of plans");
    assert_eq!(body["cancellation"]["late"], false, "four days ahead is free");
    // The cells went with the status change: the slot is bookable at once, by anyone.
    assert!(items_with_prefix(&world, "LOCK#").await.is_empty());
    created(&world.book(&second, &teacher, "2026-11-30", "10:00", 60).await);
    // The first student may book it again too (their own cells were released as well).
    let other = world.instructor(Spec { name: "Other", ..Spec::default() }).await;
    created(&world.book(&first, &other, "2026-11-30", "10:00", 60).await);
}

#[tokio::test]
async fn cancelling_within_24_hours_is_allowed_but_late() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    // Friday 10:00 is exactly 24 hours away: free. Friday 09:00 is 23 hours away: late.
    let free = created(&world.book(&pupil, &teacher, "2026-11-27", "10:00", 60).await);
    let late = created(&world.book(&pupil, &teacher, "2026-11-27", "09:00", 60).await);
    assert_eq!(cancel(&world, &pupil.token, &free).await.json()["cancellation"]["late"], false);
    assert_eq!(cancel(&world, &pupil.token, &late).await.json()["cancellation"]["late"], true);
}

#[tokio::test]
async fn a_cancelled_booking_cannot_be_cancelled_completed_or_rescheduled() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let id = created(&world.book(&pupil, &teacher, "2026-11-26", "13:00", 60).await);
    assert_eq!(cancel(&world, &pupil.token, &id).await.status, 200);
    cancel(&world, &pupil.token, &id).await.assert_problem(409, "booking_already_cancelled");
    cancel(&world, &teacher.token, &id).await.assert_problem(409, "booking_already_cancelled");
    reschedule(&world, &pupil.token, &id, "2026-11-30", "10:00").await.assert_problem(409, "booking_already_cancelled");
    // Even once the lesson time has come.
    world.at("2026-11-26T18:30:00Z");
    world.renew_teacher(&mut teacher);
    action(&world, &teacher.token, &id, "complete").await.assert_problem(409, "booking_already_cancelled");
    action(&world, &teacher.token, &id, "no-show").await.assert_problem(409, "booking_already_cancelled");
}

#[tokio::test]
async fn complete_and_no_show_only_by_the_instructor_only_after_the_start() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let mut pupil = world.student("Student").await;
    let a = created(&world.book(&pupil, &teacher, "2026-11-26", "13:00", 60).await);
    let b = created(&world.book(&pupil, &teacher, "2026-11-26", "15:00", 60).await);
    action(&world, &teacher.token, &a, "complete").await.assert_problem(409, "lesson_not_started");
    action(&world, &teacher.token, &a, "no-show").await.assert_problem(409, "lesson_not_started");
    // Students lack complete_bookings entirely.
    action(&world, &pupil.token, &a, "complete").await.assert_problem(403, "permission_denied");
    // 13:00 New York = 18:00Z: from the start on, the instructor may close the lesson.
    world.at("2026-11-26T18:00:00Z");
    world.renew_teacher(&mut teacher);
    world.renew(&mut pupil);
    let done = action(&world, &teacher.token, &a, "complete").await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()["status"], "completed");
    assert_eq!(done.json()["completed_at"], "2026-11-26T18:00:00Z");
    action(&world, &teacher.token, &a, "complete").await.assert_problem(409, "booking_already_completed");
    action(&world, &teacher.token, &a, "no-show").await.assert_problem(409, "booking_already_completed");
    cancel(&world, &pupil.token, &a).await.assert_problem(409, "booking_already_completed");
    world.at("2026-11-26T20:05:00Z");
    world.renew_teacher(&mut teacher);
    let missed = action(&world, &teacher.token, &b, "no-show").await;
    assert_eq!(missed.json()["status"], "no_show");
    action(&world, &teacher.token, &b, "complete").await.assert_problem(409, "booking_already_no_show");
}

#[tokio::test]
async fn a_lesson_that_has_started_cannot_be_cancelled_or_moved() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let mut pupil = world.student("Student").await;
    let id = created(&world.book(&pupil, &teacher, "2026-11-26", "13:00", 60).await);
    world.at("2026-11-26T18:00:00Z");
    world.renew(&mut pupil);
    cancel(&world, &pupil.token, &id).await.assert_problem(409, "lesson_already_started");
    reschedule(&world, &pupil.token, &id, "2026-11-30", "10:00").await.assert_problem(409, "lesson_already_started");
}

#[tokio::test]
async fn the_instructor_and_admins_cancel_too_and_reasons_are_required() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    for (reason, why) in [(json!(""), "empty"), (json!("   "), "blank"), (json!("x".repeat(501)), "too long")] {
        let res =
            world.send(post(&format!("/api/v1/bookings/{id}/cancel"), &pupil.token, json!({ "reason": reason }))).await;
        assert_eq!(res.assert_problem(400, "invalid_reason")["field"], "reason", "{why}");
    }
    let res = world.send(post(&format!("/api/v1/bookings/{id}/cancel"), &pupil.token, json!({}))).await;
    assert_eq!(res.assert_problem(400, "invalid_body")["field"], "reason");
    let res = cancel(&world, &teacher.token, &id).await;
    assert_eq!(res.json()["cancellation"]["by"], "instructor");

    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "12:00", 60).await);
    let admin = world.seeded_token("admin@instainstru.com").await;
    let res =
        world.send(post(&format!("/api/v1/bookings/{id}/cancel"), &admin, json!({ "reason": "x".repeat(500) }))).await;
    assert_eq!(res.json()["cancellation"]["by"], "admin");
}

#[tokio::test]
async fn other_users_bookings_answer_404() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let mut other_teacher = world.instructor(Spec { name: "Other", ..Spec::default() }).await;
    let [mut owner, stranger] = <[Pupil; 2]>::try_from(world.students(&["Owner", "Stranger"]).await).ok().unwrap();
    let id = created(&world.book(&owner, &teacher, "2026-11-26", "13:00", 60).await);

    // A student reading, cancelling or rescheduling another student's booking.
    get(&world, &stranger.token, &id).await.assert_problem(404, "booking_not_found");
    cancel(&world, &stranger.token, &id).await.assert_problem(404, "booking_not_found");
    reschedule(&world, &stranger.token, &id, "2026-11-30", "10:00").await.assert_problem(404, "booking_not_found");
    // The same answer as for an id that does not exist, or is not an id at all.
    let missing = get(&world, &stranger.token, &instainstru_shared::ids::new_id()).await;
    let missing = missing.assert_problem(404, "booking_not_found");
    assert_eq!(missing, get(&world, &stranger.token, &id).await.json());
    // A malformed id is refused by the path extractor (`IdPath<BookingId>`) with the same body.
    assert_eq!(get(&world, &stranger.token, "not-an-id").await.assert_problem(404, "booking_not_found"), missing);

    // An instructor completing (or touching) another instructor's booking.
    world.at("2026-11-26T18:30:00Z");
    world.renew_teacher(&mut other_teacher);
    world.renew_teacher(&mut teacher);
    world.renew(&mut owner);
    action(&world, &other_teacher.token, &id, "complete").await.assert_problem(404, "booking_not_found");
    action(&world, &other_teacher.token, &id, "no-show").await.assert_problem(404, "booking_not_found");
    get(&world, &other_teacher.token, &id).await.assert_problem(404, "booking_not_found");
    let edit = Call::new("PATCH", &format!("/api/v1/bookings/{id}"))
        .token(&other_teacher.token)
        .json(json!({ "instructor_note": "mine now" }));
    world.send(edit).await.assert_problem(404, "booking_not_found");

    // Its parties and admins (view_all_bookings) see it.
    assert_eq!(get(&world, &owner.token, &id).await.status, 200);
    assert_eq!(get(&world, &teacher.token, &id).await.status, 200);
    let admin = world.seeded_token("admin@instainstru.com").await;
    assert_eq!(get(&world, &admin, &id).await.status, 200);
    // Admins do not conduct other people's lessons.
    action(&world, &admin, &id, "complete").await.assert_problem(404, "booking_not_found");
    // Nothing changed along the way.
    assert_eq!(get(&world, &owner.token, &id).await.json()["status"], "confirmed");
}

#[tokio::test]
async fn a_revoked_permission_is_refused_on_ones_own_booking() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    let revoked = world.env.token(&pupil.id, &[Role::Student], &[], &[Permission::CancelOwnBookings]);
    cancel(&world, &revoked, &id).await.assert_problem(403, "permission_denied");
    let no_details = world.env.token(&pupil.id, &[Role::Student], &[], &[Permission::ViewBookingDetails]);
    get(&world, &no_details, &id).await.assert_problem(403, "permission_denied");
    assert_eq!(cancel(&world, &pupil.token, &id).await.status, 200);
}

#[tokio::test]
async fn the_instructor_edits_their_note_and_the_meeting_location_only() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    let patch = |token: &str, body| Call::new("PATCH", &format!("/api/v1/bookings/{id}")).token(token).json(body);

    let res = world
        .send(patch(&teacher.token, json!({ "instructor_note": "Bring scales", "meeting_location": "Studio B" })))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        (res.json()["instructor_note"].as_str(), res.json()["meeting_location"].as_str()),
        (Some("Bring scales"), Some("Studio B"))
    );
    // Left out: unchanged; null: cleared.
    let res = world.send(patch(&teacher.token, json!({ "meeting_location": null }))).await;
    assert_eq!(res.json()["instructor_note"], "Bring scales");
    assert!(res.json()["meeting_location"].is_null());
    // Nothing else can be edited, and an empty edit is an error.
    let res = world.send(patch(&teacher.token, json!({ "price_cents": 1 }))).await;
    assert_eq!(res.assert_problem(400, "invalid_body")["field"], "price_cents");
    world.send(patch(&teacher.token, json!({}))).await.assert_problem(400, "empty_edit");
    let res = world.send(patch(&teacher.token, json!({ "instructor_note": "x".repeat(1001) }))).await;
    assert_eq!(res.assert_problem(400, "too_long")["field"], "instructor_note");
    // Students may not edit.
    world.send(patch(&pupil.token, json!({ "instructor_note": "hi" }))).await.assert_problem(403, "permission_denied");
}

#[tokio::test]
async fn reschedule_moves_the_lesson_and_its_cells_atomically() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { settings: settings(2, 15, 90), ..Spec::default() }).await;
    let [pupil, other] = <[Pupil; 2]>::try_from(world.students(&["Student", "Other"]).await).ok().unwrap();
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    let before = get(&world, &pupil.token, &id).await.json();

    // Overlapping its own old time is fine (the shared cells are kept, not claimed twice).
    let res = reschedule(&world, &pupil.token, &id, "2026-11-30", "10:30").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let moved = res.json();
    assert_eq!((moved["start_time"].as_str(), moved["end_time"].as_str()), (Some("10:30"), Some("11:30")));
    assert_eq!(moved["start"], "2026-11-30T15:30:00Z");
    assert_eq!(moved["price_cents"], before["price_cents"]);
    assert_eq!(moved["reschedules"][0]["from_start"], "2026-11-30T15:00:00Z");
    let cells: Vec<String> =
        items_with_prefix(&world, "LOCK#").await.iter().map(|l| attr(l, "PK").to_owned()).collect();
    assert_eq!(cells.len(), 5 + 4, "4 lesson + 1 buffer cells for the instructor, 4 for the student: {cells:?}");
    assert!(
        cells.iter().all(|pk| pk.contains("2026-11-30T15:30") || pk.contains("T15:45") || pk.contains("T16:")),
        "{cells:?}"
    );

    // The old start is free again for others; the new time is taken.
    created(&world.book(&other, &teacher, "2026-11-30", "09:00", 60).await);
    world.book(&other, &teacher, "2026-11-30", "11:00", 60).await.assert_problem(409, "overlaps_booking");

    // To another day entirely.
    let res = reschedule(&world, &pupil.token, &id, "2026-12-01", "14:00").await;
    assert_eq!(res.json()["date"], "2026-12-01");
    assert_eq!(items_with_prefix(&world, "LOCK#").await.len(), 9 + 9, "other's booking plus the moved one");
    created(&world.book(&other, &teacher, "2026-11-30", "11:00", 60).await);
}

#[tokio::test]
async fn reschedule_applies_the_rules_of_a_new_booking() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let [pupil, other] = <[Pupil; 2]>::try_from(world.students(&["Student", "Other"]).await).ok().unwrap();
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await);
    created(&world.book(&other, &teacher, "2026-11-30", "13:00", 60).await);
    let res = reschedule(&world, &pupil.token, &id, "2026-11-30", "12:30").await;
    assert_eq!(res.assert_problem(409, "overlaps_booking")["conflict_with"], "instructor");
    reschedule(&world, &pupil.token, &id, "2026-11-30", "16:30").await.assert_problem(422, "outside_availability");
    reschedule(&world, &pupil.token, &id, "2026-11-26", "11:00").await.assert_problem(422, "within_minimum_notice");
    reschedule(&world, &pupil.token, &id, "2026-11-30", "10:00").await.assert_problem(422, "reschedule_same_time");
    let res = reschedule(&world, &pupil.token, &id, "2026-11-30", "10:05").await;
    assert_eq!(res.assert_problem(422, "not_on_15_minute_step")["field"], "start_time");
    // The student's own other lessons count as well.
    let elsewhere = world.instructor(Spec { name: "Elsewhere", ..Spec::default() }).await;
    created(&world.book(&pupil, &elsewhere, "2026-12-01", "10:00", 60).await);
    reschedule(&world, &pupil.token, &id, "2026-12-01", "10:30").await.assert_problem(409, "student_overlaps_booking");
    // Only the booking's student moves it; instructors cannot.
    reschedule(&world, &teacher.token, &id, "2026-11-30", "14:00").await.assert_problem(403, "permission_denied");
    // After all that, the booking is where it was, holding exactly its cells.
    let booking = get(&world, &pupil.token, &id).await.json();
    assert_eq!(booking["start"], "2026-11-30T15:00:00Z");
    assert_eq!(items_with_prefix(&world, "LOCK#").await.len(), 8 * 3);
}

#[tokio::test]
async fn the_instructor_status_guard_sees_real_bookings() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let now = world.env.clock.now();
    assert!(!instructor_has_upcoming_confirmed(&world.env.store, &teacher.id, now).await.unwrap());
    let id = created(&world.book(&pupil, &teacher, "2027-01-15", "10:00", 60).await);
    assert!(instructor_has_upcoming_confirmed(&world.env.store, &teacher.id, now).await.unwrap());
    cancel(&world, &pupil.token, &id).await;
    assert!(!instructor_has_upcoming_confirmed(&world.env.store, &teacher.id, now).await.unwrap());
    // A lesson in progress still counts; a completed one does not.
    let id = created(&world.book(&pupil, &teacher, "2026-11-26", "13:00", 60).await);
    world.at("2026-11-26T18:30:00Z");
    world.renew_teacher(&mut teacher);
    let now = world.env.clock.now();
    assert!(instructor_has_upcoming_confirmed(&world.env.store, &teacher.id, now).await.unwrap());
    assert_eq!(action(&world, &teacher.token, &id, "complete").await.status, 200);
    assert!(!instructor_has_upcoming_confirmed(&world.env.store, &teacher.id, now).await.unwrap());
}
