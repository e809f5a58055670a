//! Creating a booking through HTTP: every rule of PRODUCT.md §5 has a failing case that
//! answers its own code and a boundary case that passes. "Now" is Thursday 2026-11-26,
//! 10:00 in New York (15:00Z); the instructors made here teach 09:00-17:00 every day with a
//! 2-hour notice, a 90-day horizon and no buffer unless a test says otherwise.

mod common;

use common::*;
use instainstru_shared::{
    accounts::AccountStatus,
    availability::{Schedule, WeeklyTemplate, stored::AvailabilityItem},
    instructors::{self, LocationType},
    rbac::Role,
};
use instainstru_testkit::http_test::Call;
use serde_json::json;

#[tokio::test]
async fn a_student_books_a_lesson_and_gets_the_snapshot_back() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { rate: 12345, ..Spec::default() }).await;
    let pupil = world.student("Grace Student").await;
    let body = json!({
        "instructor_id": teacher.id, "offering_id": teacher.offering, "date": "2026-11-30",
        "start_time": "10:00", "duration_minutes": 90, "location_type": "in_person",
        "meeting_location": "  12 Main St, Brooklyn  ", "note": "I play a little already."
    });
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    let id = created(&res);
    assert_eq!(res.header("location"), Some(format!("/api/v1/bookings/{id}").as_str()));
    let body = res.json();
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["instructor"], json!({ "id": teacher.id, "full_name": "Ada Teacher" }));
    assert_eq!(body["student"], json!({ "id": pupil.id, "full_name": "Grace Student" }));
    assert_eq!(body["service"], "piano");
    assert_eq!(body["service_name"], "Piano");
    assert_eq!(body["date"], "2026-11-30");
    assert_eq!((body["start_time"].as_str(), body["end_time"].as_str()), (Some("10:00"), Some("11:30")));
    // 10:00 EST is 15:00Z; instants are stored in UTC.
    assert_eq!(
        (body["start"].as_str(), body["end"].as_str()),
        (Some("2026-11-30T15:00:00Z"), Some("2026-11-30T16:30:00Z"))
    );
    assert_eq!(body["time_zone"], "America/New_York");
    // $123.45 an hour for 90 minutes = $185.175, rounded half up to the cent.
    assert_eq!((body["rate_cents"].as_u64(), body["price_cents"].as_u64()), (Some(12345), Some(18518)));
    assert_eq!(body["currency"], "USD");
    assert_eq!(body["meeting_location"], "12 Main St, Brooklyn");
    assert_eq!(body["student_note"], "I play a little already.");
    // No contact data of either party anywhere in the booking.
    assert!(!res.text().contains("@"), "{}", res.text());

    // The instructor's later price change does not touch the booking: it is a snapshot.
    let (mut profile, _) = instructors::get(&world.env.store, &teacher.id).await.unwrap().unwrap();
    profile.offerings[0].rate_cents = instainstru_shared::money::Cents(99_900);
    world.env.store.put(&profile.record()).await.unwrap();
    let read = world.send(Call::get(&format!("/api/v1/bookings/{id}")).token(&pupil.token)).await;
    assert_eq!(read.json()["price_cents"], 18518);
}

#[tokio::test]
async fn rule_1_only_students_book() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    // Admins hold create_bookings (they hold every permission) but are not students.
    let admin = world.env.token(&instainstru_shared::ids::UserId::generate(), &[Role::Admin], &[], &[]);
    world.send(book_call(&admin, &teacher, "2026-11-30", "10:00", 60)).await.assert_problem(403, "student_required");
    // Instructors do not even hold the permission.
    world
        .send(book_call(&teacher.token, &teacher, "2026-11-30", "10:00", 60))
        .await
        .assert_problem(403, "permission_denied");
    // Guests must sign in.
    world
        .send(Call::post("/api/v1/bookings").json(booking_body(&teacher, "2026-11-30", "10:00", 60)))
        .await
        .assert_problem(401, "authentication_required");
}

#[tokio::test]
async fn rule_2_the_student_account_must_be_active() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Suspended Student").await;
    let key = instainstru_shared::store::keys::user(&pupil.id);
    let mut user: instainstru_shared::store::Record<instainstru_shared::accounts::UserItem> =
        world.env.store.get(&key).await.unwrap().unwrap();
    user.data.user.status = AccountStatus::Suspended;
    world.env.store.put(&user).await.unwrap();
    world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await.assert_problem(403, "student_account_inactive");
    let active = world.student("Active Student").await;
    created(&world.book(&active, &teacher, "2026-11-30", "10:00", 60).await);
}

#[tokio::test]
async fn rules_3_to_5_instructor_and_offering() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let other = world.instructor(Spec { name: "Other Teacher", ..Spec::default() }).await;
    let pupil = world.student("Student").await;

    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body["instructor_id"] = json!(instainstru_shared::ids::new_id());
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(404, "instructor_not_found")["field"], "instructor_id");

    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body["instructor_id"] = json!("not-an-id");
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(400, "invalid_id")["field"], "instructor_id");

    // Another instructor's offering is not this instructor's.
    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body["offering_id"] = json!(other.offering);
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(404, "offering_not_found")["field"], "offering_id");

    let (mut profile, _) = instructors::get(&world.env.store, &teacher.id).await.unwrap().unwrap();
    profile.offerings[0].active = false;
    world.env.store.put(&profile.record()).await.unwrap();
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await;
    assert_eq!(res.assert_problem(422, "offering_inactive")["field"], "offering_id");

    created(&world.book(&pupil, &other, "2026-11-30", "10:00", 60).await);
}

#[tokio::test]
async fn rule_6_the_instructor_account_must_be_active() {
    let world = World::seeded().await;
    let pupil = world.student("Student").await;
    for status in [AccountStatus::Suspended, AccountStatus::Deactivated] {
        let teacher = world.instructor(Spec { status, ..Spec::default() }).await;
        let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await;
        assert_eq!(res.assert_problem(422, "instructor_not_active")["field"], "instructor_id");
    }
    // The seeded suspended instructors as well.
    let suspended = instainstru_shared::seed::SeedData::demo()
        .unwrap()
        .instructors
        .into_iter()
        .find(|i| i.status == AccountStatus::Suspended)
        .unwrap();
    let teacher = Teacher {
        id: instainstru_shared::seed::instructor_id(&suspended.email),
        offering: instainstru_shared::seed::offering_id(&suspended.email, &suspended.offerings[0].service),
        token: String::new(),
    };
    let minutes = suspended.offerings[0].durations[0];
    world.book(&pupil, &teacher, "2026-11-30", "10:00", minutes).await.assert_problem(422, "instructor_not_active");
}

#[tokio::test]
async fn rule_7_the_offering_must_allow_the_duration() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { durations: vec![30, 60], ..Spec::default() }).await;
    let pupil = world.student("Student").await;
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 45).await;
    assert_eq!(res.assert_problem(422, "duration_not_offered")["field"], "duration_minutes");
    // Not a lesson length at all: bad input.
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 50).await;
    assert_eq!(res.assert_problem(400, "duration_not_on_15_minute_step")["field"], "duration_minutes");
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 300).await;
    assert_eq!(res.assert_problem(400, "duration_out_of_range")["field"], "duration_minutes");
    created(&world.book(&pupil, &teacher, "2026-11-30", "10:00", 30).await);
}

#[tokio::test]
async fn rule_8_time_rules_each_answer_their_own_code() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let cases = [
        ("2026-11-30", "10:10", 60, 422, "not_on_15_minute_step", "start_time"),
        // Spring forward 2027-03-14: 02:30 never happens in New York (checked before the horizon).
        ("2027-03-14", "02:30", 60, 422, "time_does_not_exist", "start_time"),
        ("2026-11-26", "09:00", 60, 422, "in_the_past", "start_time"),
        ("2026-11-25", "12:00", 60, 422, "in_the_past", "start_time"),
        // Now 10:00; 2 hours' notice: 11:45 is 15 minutes short.
        ("2026-11-26", "11:45", 60, 422, "within_minimum_notice", "start_time"),
        // Today + 90 days is 2027-02-24.
        ("2027-02-25", "10:00", 60, 422, "beyond_horizon", "date"),
        ("2026-11-30", "08:00", 60, 422, "outside_availability", "start_time"),
        // Would end at 17:30, after the 17:00 window end.
        ("2026-11-30", "16:30", 60, 422, "outside_availability", "start_time"),
    ];
    for (date, time, minutes, status, code, field) in cases {
        let res = world.book(&pupil, &teacher, date, time, minutes).await;
        let problem = res.assert_problem(status, code);
        assert_eq!(problem["field"], field, "{date} {time}: {problem}");
    }
    let res = world.book(&pupil, &teacher, "2026-11-30", "25:00", 60).await;
    assert_eq!(res.assert_problem(400, "time_out_of_range")["field"], "start_time");
    let res = world.book(&pupil, &teacher, "2026-11-30", "9am", 60).await;
    assert_eq!(res.assert_problem(400, "malformed_time")["field"], "start_time");
    let res = world
        .send(post("/api/v1/bookings", &pupil.token, {
            let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
            body["date"] = json!("30/11/2026");
            body
        }))
        .await;
    assert_eq!(res.assert_problem(400, "invalid_body")["field"], "date");

    // Boundaries that pass: exactly the minimum notice, exactly the horizon's last day, a
    // lesson ending exactly at the window's end.
    created(&world.book(&pupil, &teacher, "2026-11-26", "12:00", 60).await);
    created(&world.book(&pupil, &teacher, "2027-02-24", "10:00", 60).await);
    created(&world.book(&pupil, &teacher, "2026-11-30", "16:00", 60).await);
}

#[tokio::test]
async fn rule_8_blackout_dates_refuse_and_overrides_decide_the_day() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let mut schedule = Schedule::from_template(WeeklyTemplate::every_day(day(&[("09:00", "17:00")])));
    schedule.blackouts.insert("2026-12-03".parse().unwrap());
    schedule.overrides.insert("2026-12-04".parse().unwrap(), day(&[("18:00", "20:00")]));
    world.env.store.put(&AvailabilityItem::record(&teacher.id, schedule, 2)).await.unwrap();
    let res = world.book(&pupil, &teacher, "2026-12-03", "10:00", 60).await;
    assert_eq!(res.assert_problem(422, "blackout_date")["field"], "date");
    world.book(&pupil, &teacher, "2026-12-04", "10:00", 60).await.assert_problem(422, "outside_availability");
    created(&world.book(&pupil, &teacher, "2026-12-04", "19:00", 60).await);
    created(&world.book(&pupil, &teacher, "2026-12-02", "10:00", 60).await);
}

#[tokio::test]
async fn rule_9_the_offering_must_support_the_location_type() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { locations: vec![LocationType::InPerson], ..Spec::default() }).await;
    let pupil = world.student("Student").await;
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await; // online
    assert_eq!(res.assert_problem(422, "location_type_not_offered")["field"], "location_type");
    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body["location_type"] = json!("in_person");
    created(&world.send(post("/api/v1/bookings", &pupil.token, body.clone())).await);
    body["location_type"] = json!("on_the_moon");
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(400, "invalid_body")["field"], "location_type");
}

#[tokio::test]
async fn rule_10_no_overlap_with_the_instructors_bookings_back_to_back_is_fine() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let [first, second] = <[Pupil; 2]>::try_from(world.students(&["First", "Second"]).await).ok().unwrap();
    let booked = created(&world.book(&first, &teacher, "2026-11-30", "13:00", 60).await);
    let res = world.book(&second, &teacher, "2026-11-30", "13:30", 60).await;
    let problem = res.assert_problem(409, "overlaps_booking");
    assert_eq!(problem["conflict_with"], "instructor");
    // Nothing about the other student leaks: no id, no name, not the booking id.
    assert!(!res.text().contains(first.id.as_str()) && !res.text().contains(&booked) && !res.text().contains("First"));
    // One minute of overlap is refused (12:15-13:15 overlaps), touching is fine.
    world.book(&second, &teacher, "2026-11-30", "12:15", 60).await.assert_problem(409, "overlaps_booking");
    created(&world.book(&second, &teacher, "2026-11-30", "14:00", 60).await);
    created(&world.book(&second, &teacher, "2026-11-30", "12:00", 60).await);
}

#[tokio::test]
async fn rule_11_the_buffer_is_respected_on_both_sides() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { settings: settings(2, 30, 90), ..Spec::default() }).await;
    let [first, second] = <[Pupil; 2]>::try_from(world.students(&["First", "Second"]).await).ok().unwrap();
    created(&world.book(&first, &teacher, "2026-11-30", "13:00", 60).await);
    let after = world.book(&second, &teacher, "2026-11-30", "14:15", 60).await;
    assert_eq!(after.assert_problem(409, "buffer_conflict")["conflict_with"], "instructor");
    world.book(&second, &teacher, "2026-11-30", "11:45", 60).await.assert_problem(409, "buffer_conflict");
    // Exactly the buffer apart, before and after.
    created(&world.book(&second, &teacher, "2026-11-30", "14:30", 60).await);
    created(&world.book(&second, &teacher, "2026-11-30", "11:30", 60).await);
}

#[tokio::test]
async fn a_booking_keeps_the_buffer_it_was_made_with_and_slots_agree() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { settings: settings(2, 30, 90), ..Spec::default() }).await;
    let [first, second] = <[Pupil; 2]>::try_from(world.students(&["First", "Second"]).await).ok().unwrap();
    created(&world.book(&first, &teacher, "2026-11-30", "13:00", 60).await);
    // The instructor drops the buffer to 0 (the profile and its change-feed entry, as the
    // profile editor writes them); the existing booking still holds 14:00-14:30.
    let (mut profile, _) = instructors::get(&world.env.store, &teacher.id).await.unwrap().unwrap();
    profile.settings = settings(2, 0, 90);
    world.env.store.put(&profile.record()).await.unwrap();
    let change = instainstru_shared::changes::Change::Instructor { instructor_id: teacher.id.clone() };
    instainstru_shared::changes::record(&world.env.store, change).await.unwrap();
    let offered = slots(&world, &teacher, "2026-11-30", 60).await;
    assert!(!offered.contains(&"14:00".to_owned()) && !offered.contains(&"14:15".to_owned()), "{offered:?}");
    assert!(offered.contains(&"14:30".to_owned()) && offered.contains(&"12:00".to_owned()), "{offered:?}");
    world.book(&second, &teacher, "2026-11-30", "14:15", 60).await.assert_problem(409, "buffer_conflict");
    created(&world.book(&second, &teacher, "2026-11-30", "14:30", 60).await);
    // New lessons take the new (zero) buffer: back-to-back before the first is fine.
    created(&world.book(&second, &teacher, "2026-11-30", "12:00", 60).await);
}

#[tokio::test]
async fn rule_12_no_overlap_with_the_students_own_bookings() {
    let world = World::seeded().await;
    let one = world.instructor(Spec::default()).await;
    let two = world.instructor(Spec { name: "Two", ..Spec::default() }).await;
    let pupil = world.student("Student").await;
    let mine = created(&world.book(&pupil, &one, "2026-11-30", "13:00", 60).await);
    let res = world.book(&pupil, &two, "2026-11-30", "13:30", 60).await;
    let problem = res.assert_problem(409, "student_overlaps_booking");
    assert_eq!(problem["conflict_with"], "you");
    // It is the student's own booking, so naming it is fine.
    assert_eq!(problem["booking_id"], mine.as_str());
    created(&world.book(&pupil, &two, "2026-11-30", "14:00", 60).await);
}

#[tokio::test]
async fn rules_are_checked_in_the_stated_order() {
    let world = World::seeded().await;
    let teacher = world
        .instructor(Spec { durations: vec![60], locations: vec![LocationType::InPerson], ..Spec::default() })
        .await;
    let pupil = world.student("Student").await;
    // Wrong duration, in the past, outside the window and online: the duration answers first.
    world.book(&pupil, &teacher, "2026-11-25", "07:00", 30).await.assert_problem(422, "duration_not_offered");
    // Past and outside the window and online: past first.
    world.book(&pupil, &teacher, "2026-11-25", "07:00", 60).await.assert_problem(422, "in_the_past");
    // Outside the window and online: the window first.
    world.book(&pupil, &teacher, "2026-11-30", "07:00", 60).await.assert_problem(422, "outside_availability");
    world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await.assert_problem(422, "location_type_not_offered");
}

#[tokio::test]
async fn bodies_are_strict_and_errors_name_the_field() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body["price_cents"] = json!(1);
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(400, "invalid_body")["field"], "price_cents");
    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body["note"] = json!("x".repeat(1001));
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(400, "too_long")["field"], "note");
    let mut body = booking_body(&teacher, "2026-11-30", "10:00", 60);
    body.as_object_mut().unwrap().remove("offering_id");
    let res = world.send(post("/api/v1/bookings", &pupil.token, body)).await;
    assert_eq!(res.assert_problem(400, "invalid_body")["field"], "offering_id");
    let res = world.send(Call::post("/api/v1/bookings").token(&pupil.token).raw_body("text/plain", "hello")).await;
    res.assert_problem(415, "unsupported_media_type");
}

#[tokio::test]
async fn idempotency_key_replays_the_first_result_and_refuses_a_different_body() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let call = || book_call(&pupil.token, &teacher, "2026-11-30", "10:00", 60).header("Idempotency-Key", "order-42");
    let first = world.send(call()).await;
    let id = created(&first);
    let again = world.send(call()).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body, "a retry returns exactly the first response");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.header("location"), first.header("location"));
    // One booking, one set of locks.
    assert_eq!(items_with_prefix(&world, "BOOKING#").await.len(), 1);
    let locks = items_with_prefix(&world, "LOCK#").await;
    assert_eq!(locks.len(), 4 + 4, "four 15-minute cells each for the instructor and the student");
    assert!(locks.iter().all(|l| attr(l, "booking_id") == id));

    // The same key with a different body is refused, and books nothing.
    let other = book_call(&pupil.token, &teacher, "2026-11-30", "12:00", 60).header("Idempotency-Key", "order-42");
    let res = world.send(other).await;
    assert_eq!(res.assert_problem(422, "idempotency_key_reused")["field"], "Idempotency-Key");
    assert_eq!(items_with_prefix(&world, "BOOKING#").await.len(), 1);

    // Keys are per student: another student's identical key is unrelated.
    let someone = world.student("Someone").await;
    let theirs = book_call(&someone.token, &teacher, "2026-11-30", "12:00", 60).header("Idempotency-Key", "order-42");
    created(&world.send(theirs).await);

    // A replay still answers after the booking was cancelled (it is the first result).
    let cancelled = cancel(&world, &pupil.token, &id).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let cancelled = cancelled.json();
    assert_eq!((cancelled["id"].as_str(), cancelled["status"].as_str()), (Some(id.as_str()), Some("cancelled")));
    let read = world.send(Call::get(&format!("/api/v1/bookings/{id}")).token(&pupil.token)).await;
    assert_eq!(read.json()["status"], "cancelled", "the booking the replay answers for is really cancelled");
    let replay = world.send(call()).await;
    assert_eq!(replay.body, first.body);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(items_with_prefix(&world, "BOOKING#").await.len(), 2, "the replay books nothing new");

    let bad = book_call(&pupil.token, &teacher, "2026-11-30", "10:00", 60).header("Idempotency-Key", &"k".repeat(256));
    let res = world.send(bad).await;
    assert_eq!(res.assert_problem(400, "invalid_idempotency_key")["field"], "Idempotency-Key");
}

#[tokio::test]
async fn the_idempotency_window_is_24_hours() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let call =
        |token: &str, time: &str| book_call(token, &teacher, "2026-12-10", time, 60).header("Idempotency-Key", "k1");
    created(&world.send(call(&pupil.token, "10:00")).await);
    world.env.clock.advance(jiff::SignedDuration::from_hours(23));
    let token = world.env.token(&pupil.id, &[Role::Student], &[], &[]);
    world.send(call(&token, "12:00")).await.assert_problem(422, "idempotency_key_reused");
    // A day after the first use the key is free again: a new request under it books anew.
    world.env.clock.advance(jiff::SignedDuration::from_hours(1));
    let token = world.env.token(&pupil.id, &[Role::Student], &[], &[]);
    let res = world.send(call(&token, "12:00")).await;
    created(&res);
    assert_eq!(res.header("idempotent-replayed"), None);
}

#[tokio::test]
async fn booking_creation_is_rate_limited_per_student() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    for i in 0..20 {
        // Bad input still counts: the limit protects the endpoint, not the rules.
        let res = world.book(&pupil, &teacher, "2026-11-30", "07:00", 60).await;
        assert_eq!(res.status, 422, "request {i}");
    }
    let res = world.book(&pupil, &teacher, "2026-11-30", "10:00", 60).await;
    res.assert_problem(429, "rate_limited");
    assert!(res.header("retry-after").is_some());
    // Another student is not affected.
    let other = world.student("Other").await;
    created(&world.book(&other, &teacher, "2026-11-30", "10:00", 60).await);
}
