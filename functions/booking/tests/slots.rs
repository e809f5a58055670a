//! Public availability and next-available through HTTP: what is offered, how it follows
//! bookings and cancellations, caching, input errors, and both 2026 DST change days.

mod common;

use common::*;
use instainstru_shared::ids::InstructorId;
use instainstru_shared::{availability::WeeklyTemplate, seed};
use instainstru_testkit::http_test::Call;
use jiff::civil::Weekday;
use serde_json::Value;

fn labels(day: &Value) -> Vec<String> {
    day["slots"].as_array().unwrap().iter().map(|s| s["time"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_seeded_instructors_week_follows_their_pattern() {
    let world = World::seeded().await;
    let sarah = seed::user_id("sarah.chen@example.com");
    // Sarah teaches Mon 09-12 & 14-20, Tue 14-20, ..., Sun nothing (flexible_academic).
    let uri = format!("/api/v1/instructors/{sarah}/availability?start=2026-11-30&end=2026-12-06&duration=60");
    let res = world.send(Call::get(&uri)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["time_zone"], "America/New_York");
    assert_eq!(body["duration_minutes"], 60);
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[0]["date"], "2026-11-30");
    let monday = labels(&days[0]);
    assert_eq!(monday.first().map(String::as_str), Some("09:00"));
    assert!(monday.contains(&"11:00".to_owned()) && !monday.contains(&"11:15".to_owned()), "{monday:?}");
    assert!(monday.contains(&"14:00".to_owned()) && monday.contains(&"19:00".to_owned()), "{monday:?}");
    assert!(!monday.contains(&"12:00".to_owned()) && !monday.contains(&"19:15".to_owned()), "{monday:?}");
    assert_eq!(monday.len(), 9 + 21, "09:00-11:00 and 14:00-19:00 every 15 minutes");
    assert_eq!(days[0]["slots"][0]["start"], "2026-11-30T14:00:00Z");
    assert!(labels(&days[6]).is_empty(), "no Sunday windows");
}

#[tokio::test]
async fn availability_reflects_a_booking_and_its_buffer_at_once_and_again_after_cancel() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec { settings: settings(2, 30, 90), ..Spec::default() }).await;
    let pupil = world.student("Student").await;
    let before = slots(&world, &teacher, "2026-11-30", 60).await;
    assert_eq!(before.len(), 29, "09:00..=16:00");
    let id = created(&world.book(&pupil, &teacher, "2026-11-30", "13:00", 60).await);
    let during = slots(&world, &teacher, "2026-11-30", 60).await;
    // Gone: anything within 30 minutes of 13:00-14:00, i.e. starts 11:45 through 14:15.
    for gone in ["11:45", "12:00", "12:30", "13:00", "13:45", "14:15"] {
        assert!(!during.contains(&gone.to_owned()), "{gone} still offered: {during:?}");
    }
    for kept in ["11:30", "14:30"] {
        assert!(during.contains(&kept.to_owned()), "{kept} missing: {during:?}");
    }
    assert_eq!(during.len(), 29 - 11);
    cancel(&world, &pupil.token, &id).await;
    assert_eq!(slots(&world, &teacher, "2026-11-30", 60).await, before);
}

#[tokio::test]
async fn every_offered_start_is_accepted() {
    let world = World::seeded().await;
    let teacher =
        world.instructor(Spec { settings: settings(2, 15, 90), durations: vec![45], ..Spec::default() }).await;
    let names: Vec<String> = (0..40).map(|i| format!("Student {i}")).collect();
    let pupils = world.students(&names.iter().map(String::as_str).collect::<Vec<_>>()).await;
    // Book whatever is offered first, again and again, until nothing is left that day.
    for (booked, pupil) in pupils.iter().enumerate() {
        let offered = slots(&world, &teacher, "2026-12-01", 45).await;
        let Some(first) = offered.first() else {
            // 09:00, 10:00, ..., 16:00: one lesson and its buffer per hour.
            assert_eq!(booked, 8);
            return;
        };
        created(&world.book(pupil, &teacher, "2026-12-01", first, 45).await);
    }
    panic!("a day of 45-minute lessons with a 15-minute buffer fits at most 8 lessons");
}

#[tokio::test]
async fn availability_is_cacheable_and_changes_with_bookings() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let uri = format!("/api/v1/instructors/{}/availability?start=2026-11-30&end=2026-12-06", teacher.id);
    let first = world.send(Call::get(&uri)).await;
    let etag = first.header("etag").unwrap().to_owned();
    assert_eq!(first.header("cache-control"), Some("private, no-cache"));
    let same = world.send(Call::get(&uri).header("if-none-match", &etag)).await;
    assert_eq!(same.status, 304);
    created(&world.book(&pupil, &teacher, "2026-12-02", "10:00", 60).await);
    let changed = world.send(Call::get(&uri).header("if-none-match", &etag)).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn availability_inputs_are_checked() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let base = format!("/api/v1/instructors/{}", teacher.id);
    let cases = [
        ("/availability?start=2026-12-10&end=2026-12-01", "end"),
        ("/availability?start=2026-12-01&end=2027-03-02", "end"),
        ("/availability?end=2026-12-01", "start"),
        ("/availability?start=tomorrow&end=2026-12-01", "start"),
        ("/availability?start=2026-12-01&end=2026-12-02&duration=50", "duration"),
        ("/availability?start=2026-12-01&end=2026-12-02&duration=abc", "duration"),
        ("/next-available?duration=0", "duration"),
    ];
    for (query, field) in cases {
        let res = world.send(Call::get(&format!("{base}{query}"))).await;
        assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], field, "{query}");
    }
    // Exactly 90 days is fine (91 dates).
    let res = world.send(Call::get(&format!("{base}/availability?start=2026-12-01&end=2027-03-01"))).await;
    assert_eq!(res.json()["days"].as_array().unwrap().len(), 91);
    for id in [instainstru_shared::ids::new_id(), "nope".to_owned(), seed::user_id("david.martinez@example.com").into()]
    {
        let res = world
            .send(Call::get(&format!("/api/v1/instructors/{id}/availability?start=2026-12-01&end=2026-12-01")))
            .await;
        res.assert_problem(404, "instructor_not_found");
    }
    // Public, but a bad token is still refused.
    let res = world.send(Call::get(&format!("{base}/next-available")).token("garbage")).await;
    res.assert_problem(401, "invalid_token");
}

async fn next(world: &World, id: &InstructorId) -> Value {
    world.send(Call::get(&format!("/api/v1/instructors/{id}/next-available?duration=60"))).await.json()["next"].clone()
}

#[tokio::test]
async fn next_available_finds_the_first_slot_near_or_far() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    // Now Thursday 10:00, 2 hours' notice: 12:00 today.
    let first = next(&world, &teacher.id).await;
    assert_eq!((first["date"].as_str(), first["time"].as_str()), (Some("2026-11-26"), Some("12:00")));
    assert_eq!(first["start"], "2026-11-26T17:00:00Z");
    created(&world.book(&pupil, &teacher, "2026-11-26", "12:00", 60).await);
    assert_eq!(next(&world, &teacher.id).await["time"], "13:00");

    // Someone free only on Saturdays, with the next three blacked out: beyond the first
    // two weeks, so the whole horizon is read.
    let saturdays =
        WeeklyTemplate::from_days([(Weekday::Saturday, day(&[("10:00", "12:00")]).as_slice().to_vec())]).unwrap();
    let far = world.instructor(Spec { template: Some(saturdays.clone()), ..Spec::default() }).await;
    let mut schedule = instainstru_shared::availability::Schedule::from_template(saturdays);
    for date in ["2026-11-28", "2026-12-05", "2026-12-12"] {
        schedule.blackouts.insert(date.parse().unwrap());
    }
    world
        .env
        .store
        .put(&instainstru_shared::availability::stored::AvailabilityItem::record(&far.id, schedule, 2))
        .await
        .unwrap();
    let found = next(&world, &far.id).await;
    assert_eq!((found["date"].as_str(), found["time"].as_str()), (Some("2026-12-19"), Some("10:00")));
    // And a booking that far out moves it on.
    created(&world.book(&pupil, &far, "2026-12-19", "10:00", 60).await);
    assert_eq!(next(&world, &far.id).await["time"], "11:00");
    created(&world.book(&pupil, &far, "2026-12-19", "11:00", 60).await);
    assert_eq!(next(&world, &far.id).await["date"], "2026-12-26");

    let idle = world.instructor(Spec { template: Some(WeeklyTemplate::empty()), ..Spec::default() }).await;
    assert!(next(&world, &idle.id).await.is_null());
}

/// Sundays 01:00-04:00: the window that straddles both 2026 DST changes.
fn small_hours() -> Spec {
    let template =
        WeeklyTemplate::from_days([(Weekday::Sunday, day(&[("01:00", "04:00")]).as_slice().to_vec())]).unwrap();
    Spec { template: Some(template), settings: settings(2, 0, 365), ..Spec::default() }
}

#[tokio::test]
async fn spring_forward_2026_03_08_has_no_two_oclock_and_real_durations() {
    let world = World::seeded().await;
    world.at("2026-03-01T12:00:00Z");
    let teacher = world.instructor(small_hours()).await;
    let pupil = world.student("Student").await;
    // 02:00-02:59 does not exist; the window is 2 real hours, 06:00Z-08:00Z.
    assert_eq!(slots(&world, &teacher, "2026-03-08", 60).await, ["01:00", "01:15", "01:30", "01:45", "03:00"]);
    assert_eq!(slots(&world, &teacher, "2026-03-08", 120).await, ["01:00"]);
    assert!(slots(&world, &teacher, "2026-03-08", 15).await.iter().all(|t| !t.starts_with("02:")));
    world.book(&pupil, &teacher, "2026-03-08", "02:30", 30).await.assert_problem(422, "time_does_not_exist");
    // 01:30 EST for 60 real minutes ends at 03:30 EDT.
    let res = world.book(&pupil, &teacher, "2026-03-08", "01:30", 60).await;
    created(&res);
    let body = res.json();
    assert_eq!(
        (body["start"].as_str(), body["end"].as_str()),
        (Some("2026-03-08T06:30:00Z"), Some("2026-03-08T07:30:00Z"))
    );
    assert_eq!((body["start_time"].as_str(), body["end_time"].as_str()), (Some("01:30"), Some("03:30")));
    assert_eq!(body["duration_minutes"], 60);
    assert_eq!(items_with_prefix(&world, "LOCK#").await.len(), 8, "60 real minutes: four cells each");
    // 01:00 overlaps it by 30 real minutes; 03:30 starts exactly as it ends.
    let other = world.student("Other").await;
    world.book(&other, &teacher, "2026-03-08", "01:00", 60).await.assert_problem(409, "overlaps_booking");
    created(&world.book(&other, &teacher, "2026-03-08", "03:30", 30).await);
}

#[tokio::test]
async fn fall_back_2026_11_01_offers_the_repeated_hour_once_and_never_double_books_it() {
    let world = World::seeded().await;
    world.at("2026-10-25T12:00:00Z");
    let teacher = world.instructor(small_hours()).await;
    let [first, second, third] =
        <[Pupil; 3]>::try_from(world.students(&["First", "Second", "Third"]).await).ok().unwrap();
    // The window is 4 real hours (05:00Z-09:00Z); each wall-clock label is offered once,
    // the repeated 01:xx meaning its first (EDT) occurrence.
    let offered = slots(&world, &teacher, "2026-11-01", 60).await;
    let mut unique = offered.clone();
    unique.dedup();
    assert_eq!(offered, unique, "no label twice");
    assert_eq!(offered.first().map(String::as_str), Some("01:00"));
    assert_eq!(offered.last().map(String::as_str), Some("03:00"));
    // 01:30 EDT (05:30Z) for 60 real minutes ends at 01:30 EST (06:30Z).
    let res = world.book(&first, &teacher, "2026-11-01", "01:30", 60).await;
    created(&res);
    let body = res.json();
    assert_eq!(
        (body["start"].as_str(), body["end"].as_str()),
        (Some("2026-11-01T05:30:00Z"), Some("2026-11-01T06:30:00Z"))
    );
    assert_eq!((body["start_time"].as_str(), body["end_time"].as_str()), (Some("01:30"), Some("01:30")));
    // No lesson can overlap it through the repeated hour: every label from 01:00 to
    // 01:45 means EDT, and all of them overlap 05:30Z-06:30Z...
    for time in ["01:00", "01:15", "01:45"] {
        world.book(&second, &teacher, "2026-11-01", time, 60).await.assert_problem(409, "overlaps_booking");
    }
    // ...and the slots no longer offer any of them.
    let after = slots(&world, &teacher, "2026-11-01", 60).await;
    assert!(after.iter().all(|t| !t.starts_with("01:")), "{after:?}");
    // 02:00 EST is 07:00Z: clear of the lesson.
    created(&world.book(&second, &teacher, "2026-11-01", "02:00", 60).await);
    // A two-hour lesson at 01:00 EDT would run to 02:00 EST through the first lesson.
    world.book(&third, &teacher, "2026-11-01", "01:00", 120).await.assert_problem(409, "overlaps_booking");
    assert_eq!(items_with_prefix(&world, "BOOKING#").await.len(), 2);
}

/// Two warm instances over one table: a slot booked through one leaves the other's public
/// availability within the freshness bound (the directory's refresh interval), and the
/// other instance's stale answer cannot turn into a double booking.
#[tokio::test]
async fn a_slot_booked_through_one_instance_leaves_the_others_availability_within_the_bound() {
    use std::{sync::Arc, time::Duration};
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let (first, second) = (world.student("First").await, world.student("Second").await);
    let bound = Duration::from_millis(300);
    let config = instainstru_shared::config::Config { index_refresh: bound, ..(*world.env.state.config).clone() };
    let other = instainstru_booking::router(instainstru_shared::AppState {
        config: Arc::new(config),
        ..world.env.state.clone()
    });
    let uri = format!("/api/v1/instructors/{}/availability?start=2026-11-30&end=2026-11-30&duration=60", teacher.id);
    let offered = |res: instainstru_testkit::http_test::TestResponse| {
        assert_eq!(res.status, 200, "{}", res.text());
        labels(&res.json()["days"][0])
    };
    // The other instance is warm and offers 10:00.
    assert!(offered(Call::get(&uri).send(&other).await).contains(&"10:00".to_owned()));
    created(&world.book(&first, &teacher, "2026-11-30", "10:00", 60).await);
    // Within the bound it may still show the slot; booking it there is refused all the same.
    let stale = book_call(&second.token, &teacher, "2026-11-30", "10:00", 60).send(&other).await;
    stale.assert_problem(409, "overlaps_booking");
    tokio::time::sleep(bound + Duration::from_millis(50)).await;
    let after = offered(Call::get(&uri).send(&other).await);
    assert!(!after.contains(&"10:00".to_owned()), "still offered after the bound: {after:?}");
    assert!(after.contains(&"11:00".to_owned()), "{after:?}");
}
