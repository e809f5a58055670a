//! The instructor's own availability through HTTP: reads with ETags, writes with
//! If-Match (428 without, 412 when stale), each kind of change, and its effect on the
//! public slots. Bodies here use exactly the shapes openapi.json documents.

mod common;

use common::*;
use instainstru_shared::{rbac::Role, seed};
use instainstru_testkit::http_test::{Call, TestResponse};
use serde_json::{Value, json};

const ME: &str = "/api/v1/instructors/me/availability";

async fn read(world: &World, token: &str) -> TestResponse {
    world.send(Call::get(ME).token(token)).await
}

fn put(path: &str, token: &str, etag: &str, body: Option<Value>) -> Call {
    let call = Call::new("PUT", &format!("{ME}{path}")).token(token).header("if-match", etag);
    match body {
        Some(body) => call.json(body),
        None => call,
    }
}

fn delete(path: &str, token: &str, etag: &str) -> Call {
    Call::new("DELETE", &format!("{ME}{path}")).token(token).header("if-match", etag)
}

#[tokio::test]
async fn seeded_instructors_have_their_pattern_at_version_1() {
    let world = World::seeded().await;
    let token = world.seeded_token("sarah.chen@example.com").await;
    let res = read(&world, &token).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("etag"), Some("\"v1\""));
    let body = res.json();
    assert_eq!(body["instructor_id"], seed::user_id("sarah.chen@example.com").as_str());
    assert_eq!(body["version"], 1);
    assert_eq!(
        body["schedule"]["template"]["monday"],
        json!([{ "start": "09:00", "end": "12:00" }, { "start": "14:00", "end": "20:00" }])
    );
    assert_eq!(body["schedule"]["template"]["sunday"], json!([]));
    assert_eq!(body["booking_settings"], json!({ "min_notice_hours": 2, "buffer_minutes": 0, "horizon_days": 90 }));
    let again = world.send(Call::get(ME).token(&token).header("if-none-match", "\"v1\"")).await;
    assert_eq!(again.status, 304);
}

#[tokio::test]
async fn writes_need_if_match_and_refuse_a_stale_one() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let template = json!({ "monday": [{ "start": "10:00", "end": "12:00" }] });
    let res =
        world.send(Call::new("PUT", &format!("{ME}/template")).token(&teacher.token).json(template.clone())).await;
    assert_eq!(res.assert_problem(428, "precondition_required")["field"], "If-Match");
    let res = world.send(put("/template", &teacher.token, "\"v0\"", Some(template.clone()))).await;
    let problem = res.assert_problem(412, "stale_version");
    assert_eq!(problem["current_etag"], "\"v1\"");
    let res = world.send(put("/template", &teacher.token, "\"v1\"", Some(template.clone()))).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("etag"), Some("\"v2\""));
    assert_eq!(res.json()["schedule"]["template"]["monday"], json!([{ "start": "10:00", "end": "12:00" }]));
    assert_eq!(res.json()["schedule"]["template"]["tuesday"], json!([]));
    // The same ETag twice: the second write is stale.
    world
        .send(put("/template", &teacher.token, "\"v1\"", Some(template.clone())))
        .await
        .assert_problem(412, "stale_version");
    // A list of ETags matches if any is current; * matches whatever is current.
    let res = world.send(put("/template", &teacher.token, "\"v9\", \"v2\"", Some(template.clone()))).await;
    assert_eq!(res.header("etag"), Some("\"v3\""));
    let res = world.send(put("/template", &teacher.token, "*", Some(template))).await;
    assert_eq!(res.header("etag"), Some("\"v4\""));
    assert_eq!(read(&world, &teacher.token).await.json()["version"], 4);
}

#[tokio::test]
async fn two_writers_with_the_same_etag_one_wins() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let a = put("/blackouts/2026-12-24", &teacher.token, "\"v1\"", None);
    let b = put("/blackouts/2026-12-25", &teacher.token, "\"v1\"", None);
    let (a, b) = tokio::join!(world.send(a), world.send(b));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
    let blackouts = read(&world, &teacher.token).await.json()["schedule"]["blackouts"].clone();
    assert_eq!(blackouts.as_array().unwrap().len(), 1, "the loser's change was not applied: {blackouts}");
}

#[tokio::test]
async fn overrides_and_blackouts_change_the_public_slots() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let body = json!({ "windows": [{ "start": "18:00", "end": "19:00" }, { "start": "19:00", "end": "20:00" }] });
    let res = world.send(put("/overrides/2026-12-01", &teacher.token, "*", Some(body))).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // Touching windows merge.
    assert_eq!(res.json()["schedule"]["overrides"]["2026-12-01"], json!([{ "start": "18:00", "end": "20:00" }]));
    assert_eq!(slots(&world, &teacher, "2026-12-01", 120).await, ["18:00"]);
    // An empty override clears the date; removing it brings the template back.
    world.send(put("/overrides/2026-12-01", &teacher.token, "*", Some(json!({ "windows": [] })))).await;
    assert!(slots(&world, &teacher, "2026-12-01", 60).await.is_empty());
    world.send(delete("/overrides/2026-12-01", &teacher.token, "*")).await;
    assert_eq!(slots(&world, &teacher, "2026-12-01", 60).await.len(), 29);
    // A blackout beats everything; lifting it restores the day.
    world.send(put("/blackouts/2026-12-01", &teacher.token, "*", None)).await;
    assert!(slots(&world, &teacher, "2026-12-01", 60).await.is_empty());
    let week = world.send(Call::get(&format!("{ME}/week?monday=2026-11-30")).token(&teacher.token)).await.json();
    assert_eq!(week["days"][1]["date"], "2026-12-01");
    assert_eq!(week["days"][1]["source"], "blackout");
    assert_eq!(week["days"][0]["source"], "template");
    world.send(delete("/blackouts/2026-12-01", &teacher.token, "*")).await;
    assert_eq!(slots(&world, &teacher, "2026-12-01", 60).await.len(), 29);
}

#[tokio::test]
async fn bad_edits_are_refused_with_the_field() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let t = &teacher.token;
    let overlap = json!({ "windows": [{ "start": "09:00", "end": "12:00" }, { "start": "11:00", "end": "13:00" }] });
    let cases: Vec<(Call, u16, &str, &str)> = vec![
        (put("/overrides/2026-11-25", t, "*", Some(json!({ "windows": [] }))), 422, "date_in_the_past", "date"),
        (put("/blackouts/2028-01-01", t, "*", None), 422, "date_too_far_ahead", "date"),
        (put("/blackouts/12-25-2026", t, "*", None), 400, "invalid_parameter", "date"),
        (put("/overrides/2026-12-01", t, "*", Some(overlap)), 400, "invalid_body", "windows"),
        (
            put("/overrides/2026-12-01", t, "*", Some(json!({ "windows": [{ "start": "09:10", "end": "10:00" }] }))),
            400,
            "invalid_body",
            "windows[0]",
        ),
        (put("/template", t, "*", Some(json!({ "funday": [] }))), 400, "invalid_body", "funday"),
        (
            Call::post(&format!("{ME}/copy-week"))
                .token(t)
                .header("if-match", "*")
                .json(json!({ "from_week": "2026-12-01", "to_week": "2026-12-07" })),
            422,
            "not_a_monday",
            "from_week",
        ),
        (
            Call::post(&format!("{ME}/apply-template"))
                .token(t)
                .header("if-match", "*")
                .json(json!({ "start": "2026-12-01", "end": "2027-04-01" })),
            400,
            "range_too_long",
            "end",
        ),
    ];
    for (call, status, code, field) in cases {
        let res = world.send(call).await;
        assert_eq!(res.assert_problem(status, code)["field"], field);
    }
    // None of that changed anything.
    assert_eq!(read(&world, t).await.json()["version"], 1);
}

#[tokio::test]
async fn copy_week_and_apply_template_write_overrides() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    let t = &teacher.token;
    // Make the week of 2026-11-30 special: Tuesday 18-20 only, Wednesday blacked out.
    let evening = json!({ "windows": [{ "start": "18:00", "end": "20:00" }] });
    world.send(put("/overrides/2026-12-01", t, "*", Some(evening))).await;
    world.send(put("/blackouts/2026-12-02", t, "*", None)).await;
    let copy = Call::post(&format!("{ME}/copy-week"))
        .token(t)
        .header("if-match", "*")
        .json(json!({ "from_week": "2026-11-30", "to_week": "2026-12-07" }));
    let res = world.send(copy).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let overrides = &res.json()["schedule"]["overrides"];
    assert_eq!(overrides["2026-12-08"], json!([{ "start": "18:00", "end": "20:00" }]));
    assert_eq!(overrides["2026-12-09"], json!([]), "a blacked-out source day becomes a cleared day");
    assert_eq!(overrides["2026-12-07"], json!([{ "start": "09:00", "end": "17:00" }]));
    assert_eq!(slots(&world, &teacher, "2026-12-08", 60).await, ["18:00", "18:15", "18:30", "18:45", "19:00"]);

    // Pin the template on a range, then change the template: the pinned dates keep theirs.
    let apply = Call::post(&format!("{ME}/apply-template"))
        .token(t)
        .header("if-match", "*")
        .json(json!({ "start": "2026-12-14", "end": "2026-12-20" }));
    assert_eq!(world.send(apply).await.status, 200);
    let template = json!({ "monday": [{ "start": "10:00", "end": "11:00" }] });
    world.send(put("/template", t, "*", Some(template))).await;
    assert_eq!(slots(&world, &teacher, "2026-12-14", 60).await.len(), 29, "pinned");
    assert_eq!(slots(&world, &teacher, "2026-12-21", 60).await, ["10:00"], "follows the new template");
    // Repeat a week over a range.
    let repeat = Call::post(&format!("{ME}/apply-template"))
        .token(t)
        .header("if-match", "*")
        .json(json!({ "start": "2026-12-21", "end": "2027-01-03", "from_week": "2026-11-30" }));
    let res = world.send(repeat).await;
    assert_eq!(res.json()["schedule"]["overrides"]["2026-12-29"], json!([{ "start": "18:00", "end": "20:00" }]));
    assert_eq!(slots(&world, &teacher, "2026-12-29", 60).await.len(), 5);
}

#[tokio::test]
async fn whole_schedule_replace_drops_history_and_bumps_the_directory() {
    let world = World::seeded().await;
    let teacher = world.instructor(Spec::default()).await;
    // A warm search directory, as the search Lambda holds it.
    let directory = instainstru_shared::directory::DirectoryCache::new(std::time::Duration::ZERO);
    let now = instainstru_shared::clock::Clock::now(world.env.clock.as_ref());
    let before = directory.get(&world.env.store, now).await.unwrap().schedule(&teacher.id).cloned();
    let schedule = json!({
        "template": { "saturday": [{ "start": "10:00", "end": "14:00" }] },
        "overrides": { "2026-11-01": [], "2026-12-05": [{ "start": "09:00", "end": "10:00" }] },
        "blackouts": ["2026-10-31", "2026-12-12"]
    });
    let res = world.send(Call::new("PUT", ME).token(&teacher.token).header("if-match", "\"v1\"").json(schedule)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    // Dates before today are history: dropped.
    assert_eq!(body["schedule"]["overrides"], json!({ "2026-12-05": [{ "start": "09:00", "end": "10:00" }] }));
    assert_eq!(body["schedule"]["blackouts"], json!(["2026-12-12"]));
    assert_eq!(slots(&world, &teacher, "2026-12-05", 60).await, ["09:00"]);
    let after = directory.get(&world.env.store, now).await.unwrap().schedule(&teacher.id).cloned();
    assert_ne!(after, before, "search's directory must learn that availability changed");
    let saturday = after.unwrap().template.day(jiff::civil::Weekday::Saturday).as_slice().to_vec();
    assert_eq!(saturday.len(), 1);
}

#[tokio::test]
async fn only_instructors_manage_their_own_availability() {
    let world = World::seeded().await;
    let pupil = world.student("Student").await;
    read(&world, &pupil.token).await.assert_problem(403, "permission_denied");
    world.send(Call::get(ME)).await.assert_problem(401, "authentication_required");
    // An admin holds manage_availability but has no instructor profile.
    let admin = world.env.token(&instainstru_shared::ids::UserId::generate(), &[Role::Admin], &[], &[]);
    read(&world, &admin).await.assert_problem(404, "instructor_profile_not_found");
    world
        .send(put("/blackouts/2026-12-24", &admin, "*", None))
        .await
        .assert_problem(404, "instructor_profile_not_found");
}
