//! Lists and summaries through HTTP: my lessons (upcoming/past, paginated), an
//! instructor's incoming lessons by date range, instructor stats, book-again, the home.

mod common;

use common::*;
use instainstru_shared::{instructors, rbac::Role};
use instainstru_testkit::http_test::Call;
use serde_json::{Value, json};

async fn get(world: &World, token: &str, uri: &str) -> Value {
    let res = world.send(Call::get(uri).token(token)).await;
    assert_eq!(res.status, 200, "{uri}: {}", res.text());
    res.json()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn my_lessons_page_through_upcoming_and_past() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let mut booked = Vec::new();
    // Booked out of order; listed by start.
    for date in ["2026-12-03", "2026-11-30", "2026-12-02", "2026-12-01", "2026-12-04"] {
        booked.push((date, created(&world.book(&pupil, &teacher, date, "10:00", 60).await)));
    }
    booked.sort();
    let by_start: Vec<String> = booked.iter().map(|(_, id)| id.clone()).collect();

    let first = get(&world, &pupil.token, "/api/v1/bookings?limit=2").await;
    assert_eq!(ids(&first), by_start[..2]);
    assert_eq!(first["items"][0]["instructor"]["full_name"], "Ada Teacher");
    assert_eq!(first["items"][0]["service_name"], "Piano");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(&world, &pupil.token, &format!("/api/v1/bookings?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second), by_start[2..4]);
    let cursor = second["next_cursor"].as_str().unwrap();
    let third = get(&world, &pupil.token, &format!("/api/v1/bookings?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&third), by_start[4..]);
    assert!(third["next_cursor"].is_null(), "no cursor to an empty page");
    // Exactly a full last page: no cursor either.
    let all = get(&world, &pupil.token, "/api/v1/bookings?limit=5").await;
    assert_eq!(ids(&all), by_start);
    assert!(all["next_cursor"].is_null());

    // A cancelled lesson leaves upcoming for past; so does one that is over.
    cancel(&world, &pupil.token, &by_start[2]).await;
    world.at("2026-12-01T16:30:00Z"); // 11:30 on Dec 1: the Nov 30 and Dec 1 lessons are over.
    let mut pupil = pupil;
    world.renew(&mut pupil);
    let upcoming = get(&world, &pupil.token, "/api/v1/bookings?when=upcoming").await;
    assert_eq!(ids(&upcoming), [by_start[3].clone(), by_start[4].clone()]);
    let past = get(&world, &pupil.token, "/api/v1/bookings?when=past").await;
    assert_eq!(ids(&past), [by_start[2].clone(), by_start[1].clone(), by_start[0].clone()], "latest first");
}

#[tokio::test]
async fn lists_check_their_inputs_and_their_side() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let [pupil, other] = <[Pupil; 2]>::try_from(world.students(&["Student", "Other"]).await).ok().unwrap();
    for date in ["2026-11-30", "2026-12-01"] {
        created(&world.book(&pupil, &teacher, date, "10:00", 60).await);
    }
    let page = get(&world, &pupil.token, "/api/v1/bookings?limit=1").await;
    let cursor = page["next_cursor"].as_str().unwrap();
    for (query, field) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=%21%21", "cursor"), ("when=soon", "when")]
    {
        let res = world.send(Call::get(&format!("/api/v1/bookings?{query}")).token(&pupil.token)).await;
        assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], field, "{query}");
    }
    // Someone else's cursor walks someone else's listing: refused.
    let res = world.send(Call::get(&format!("/api/v1/bookings?cursor={cursor}")).token(&other.token)).await;
    assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], "cursor");
    assert!(ids(&get(&world, &other.token, "/api/v1/bookings").await).is_empty());
    // The teaching side needs view_incoming_bookings; instructors default to it.
    let res = world.send(Call::get("/api/v1/bookings?role=instructor").token(&pupil.token)).await;
    assert_eq!(res.assert_problem(403, "permission_denied")["field"], "role");
    let teaching = get(&world, &teacher.token, "/api/v1/bookings").await;
    assert_eq!(teaching["items"].as_array().unwrap().len(), 2);
    assert_eq!(teaching["items"][0]["student"]["full_name"], "Student");
}

#[tokio::test]
async fn incoming_lessons_by_date_range_and_status() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let pupil = world.student("Student").await;
    let a = created(&world.book(&pupil, &teacher, "2026-11-30", "16:00", 60).await);
    let b = created(&world.book(&pupil, &teacher, "2026-12-01", "09:00", 60).await);
    let c = created(&world.book(&pupil, &teacher, "2026-12-02", "10:00", 60).await);
    created(&world.book(&pupil, &teacher, "2026-12-03", "10:00", 60).await);
    cancel(&world, &pupil.token, &b).await;
    let uri = "/api/v1/instructors/me/bookings?start=2026-11-30&end=2026-12-02";
    assert_eq!(ids(&get(&world, &teacher.token, uri).await), [a.clone(), b.clone(), c.clone()]);
    let cancelled = get(&world, &teacher.token, &format!("{uri}&status=cancelled")).await;
    assert_eq!(ids(&cancelled), [b]);
    let page = get(&world, &teacher.token, &format!("{uri}&limit=2")).await;
    let rest =
        get(&world, &teacher.token, &format!("{uri}&limit=2&cursor={}", page["next_cursor"].as_str().unwrap())).await;
    assert_eq!(ids(&rest), [c]);
    // New York dates: 16:00 on Nov 30 is 21:00Z, still Nov 30.
    assert_eq!(
        ids(&get(&world, &teacher.token, "/api/v1/instructors/me/bookings?start=2026-11-30&end=2026-11-30").await),
        [a]
    );
    let res = world
        .send(Call::get("/api/v1/instructors/me/bookings?start=2026-12-01&end=2027-03-15").token(&teacher.token))
        .await;
    assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], "end");
    let res = world.send(Call::get(uri).token(&pupil.token)).await;
    res.assert_problem(403, "permission_denied");
}

#[tokio::test]
async fn instructor_stats_book_again_and_home() {
    let world = World::seeded().await;
    let mut teacher = world.instructor(Spec::default()).await;
    let mut second = world.instructor(Spec { name: "Bea Second", ..Spec::default() }).await;
    let mut pupil = world.student("Student").await;
    let a = created(&world.book(&pupil, &teacher, "2026-11-26", "12:00", 60).await);
    let b = created(&world.book(&pupil, &teacher, "2026-11-26", "13:00", 60).await);
    let c = created(&world.book(&pupil, &teacher, "2026-11-26", "14:00", 60).await);
    let d = created(&world.book(&pupil, &second, "2026-12-01", "10:00", 30).await);
    let e = created(&world.book(&pupil, &teacher, "2026-12-10", "10:00", 60).await);
    let f = created(&world.book(&pupil, &teacher, "2026-12-11", "10:00", 60).await);
    let g = created(&world.book(&pupil, &teacher, "2026-11-27", "09:00", 60).await);
    let h = created(&world.book(&pupil, &teacher, "2026-12-12", "10:00", 60).await);
    cancel(&world, &pupil.token, &f).await; // free
    cancel(&world, &pupil.token, &g).await; // late: 23 hours ahead
    world.at("2026-11-26T20:00:00Z");
    world.renew_teacher(&mut teacher);
    for (id, what) in [(&a, "complete"), (&b, "complete"), (&c, "no-show")] {
        let res = world.send(Call::post(&format!("/api/v1/bookings/{id}/{what}")).token(&teacher.token)).await;
        assert_eq!(res.status, 200, "{}", res.text());
    }
    world.at("2026-12-01T16:00:00Z");
    world.renew_teacher(&mut teacher);
    world.renew_teacher(&mut second);
    world.renew(&mut pupil);
    world.send(Call::post(&format!("/api/v1/bookings/{d}/complete")).token(&second.token)).await;

    let stats = get(&world, &teacher.token, "/api/v1/instructors/me/stats").await;
    assert_eq!(
        stats,
        json!({
            "total_bookings": 7,
            "by_status": { "confirmed": 2, "completed": 2, "cancelled": 2, "no_show": 1 },
            "upcoming": 2,
            "late_cancellations": 1,
            "earnings_cents": 12000,
            // It is December now; both completed lessons were in November.
            "this_month_earnings_cents": 0,
            "currency": "USD",
            "completion_rate": 0.4,
            "cancellation_rate": 0.2857
        })
    );
    let stats = get(&world, &second.token, "/api/v1/instructors/me/stats").await;
    assert_eq!(
        (stats["earnings_cents"].as_u64(), stats["this_month_earnings_cents"].as_u64()),
        (Some(3000), Some(3000))
    );
    world
        .send(Call::get("/api/v1/instructors/me/stats").token(&pupil.token))
        .await
        .assert_problem(403, "permission_denied");

    // Book again: the pairs the student had lessons in, newest first (not the no-show or
    // the cancelled ones), and whether each can be booked today.
    let again = get(&world, &pupil.token, "/api/v1/me/book-again").await;
    let items = again["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{again}");
    assert_eq!((items[0]["instructor_name"].as_str(), items[0]["lessons"].as_u64()), (Some("Bea Second"), Some(1)));
    assert_eq!((items[1]["instructor_name"].as_str(), items[1]["lessons"].as_u64()), (Some("Ada Teacher"), Some(2)));
    assert_eq!(items[1]["last_lesson_date"], "2026-11-26");
    assert_eq!((items[1]["bookable"].as_bool(), items[1]["rate_cents"].as_u64()), (Some(true), Some(6000)));
    let (mut profile, _) = instructors::get(&world.env.store, &second.id).await.unwrap().unwrap();
    profile.offerings[0].active = false;
    world.env.store.put(&profile.record()).await.unwrap();
    let again = get(&world, &pupil.token, "/api/v1/me/book-again").await;
    assert_eq!(again["items"][0]["bookable"], false);

    let home = get(&world, &pupil.token, "/api/v1/me/home").await;
    assert_eq!(ids(&json!({ "items": home["upcoming_lessons"] })), [e.clone(), h.clone()]);
    assert_eq!(home["book_again"].as_array().unwrap().len(), 2);
    assert!(home.get("teaching").is_none());
    let home = get(&world, &teacher.token, "/api/v1/me/home").await;
    assert_eq!(ids(&json!({ "items": home["teaching"] })), [e, h]);
    assert!(home.get("upcoming_lessons").is_none() && home.get("book_again").is_none());
    // Nothing of anyone else's.
    let stranger = world.env.token(&instainstru_shared::ids::UserId::generate(), &[Role::Student], &[], &[]);
    let home = get(&world, &stranger, "/api/v1/me/home").await;
    assert_eq!(home, json!({ "upcoming_lessons": [], "book_again": [], "recent_searches": [] }));
}
