//! An instructor's own profile and offerings: validation naming the field, ETag /
//! If-Match, one active offering per service, removal that keeps offerings with bookings,
//! other instructors' offerings as 404s, and the search directory following every write.

mod common;

use common::*;
use instainstru_shared::ids::BookingId;
use instainstru_shared::{
    clock::Clock,
    directory::Directory,
    seed,
    store::{Record, keys},
};
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use serde_json::{Value, json};

const SARAH: &str = "sarah.chen@example.com";
const MICHAEL: &str = "michael.rodriguez@example.com";
const PROFILE: &str = "/api/v1/instructors/me/profile";
const OFFERINGS: &str = "/api/v1/instructors/me/offerings";

async fn patch(env: &TestEnv, token: &str, if_match: Option<&str>, body: Value) -> TestResponse {
    let mut call = Call::new("PATCH", PROFILE).token(token);
    if let Some(tag) = if_match {
        call = call.header("if-match", tag);
    }
    send(env, call.json(body)).await
}

fn music_theory() -> Value {
    json!({ "service": "music-theory", "rate_cents": 7500, "durations": [60, 45, 60], "levels": ["beginner"],
        "location_types": ["online", "in_person"], "description": "Harmony and ear training", "equipment": ["Notebook"] })
}

#[tokio::test]
async fn the_profile_reads_and_updates_with_etags() {
    let env = TestEnv::seeded().await;
    let token = env.token_for_email(SARAH).await;
    let res = send(&env, Call::get(PROFILE).token(&token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("etag"), Some("\"v0\""));
    let body = res.json();
    assert_eq!(body["full_name"], "Sarah Chen");
    assert_eq!(body["listed"], true);
    assert_eq!(body["missing"], json!([]));
    assert_eq!(body["offerings"][0]["service"], "piano");

    let change = json!({ "bio": "Piano with a jazz accent, for every age.", "years_experience": 16,
        "areas": ["manhattan", "Park Slope", "Manhattan"], "booking_settings": { "buffer_minutes": 15 } });
    let res = patch(&env, &token, Some("\"v0\""), change.clone()).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("etag"), Some("\"v1\""));
    let body = res.json();
    assert_eq!(body["areas"], json!(["Manhattan", "Park Slope"]));
    assert_eq!(body["booking_settings"], json!({ "min_notice_hours": 2, "buffer_minutes": 15, "horizon_days": 90 }));
    assert_eq!(body["version"], 1);

    // A stale If-Match is refused; none at all applies to the current version.
    patch(&env, &token, Some("\"v0\""), json!({ "years_experience": 17 })).await.assert_problem(412, "stale_version");
    patch(&env, &token, Some("W/\"v1\""), json!({ "years_experience": 17 })).await.assert_problem(412, "stale_version");
    let res = patch(&env, &token, None, json!({ "years_experience": 17 })).await;
    assert_eq!(res.header("etag"), Some("\"v2\""));

    // The older ETag form, "<version>", is still accepted for one release (stale or not),
    // and answered in the one format.
    patch(&env, &token, Some("\"1\""), json!({ "years_experience": 17 })).await.assert_problem(412, "stale_version");
    let res = patch(&env, &token, Some("\"2\""), json!({ "years_experience": 17 })).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.header("etag"), Some("\"v3\""));

    // Search sees the change.
    let dir = Directory::load(&env.store, env.clock.now()).await.unwrap();
    let profile = dir.instructor(&seed::instructor_id(SARAH)).unwrap();
    assert_eq!(profile.years_experience, 17);
    assert_eq!(profile.settings.buffer_minutes(), 15);
}

#[tokio::test]
async fn profile_fields_are_validated_by_name() {
    let env = TestEnv::seeded().await;
    let token = env.token_for_email(SARAH).await;
    let cases = [
        (json!({ "bio": "too short" }), "bio", "invalid_parameter"),
        (json!({ "years_experience": 51 }), "years_experience", "invalid_parameter"),
        (json!({ "years_experience": -1 }), "years_experience", "invalid_parameter"),
        (json!({ "areas": ["Brooklyn", "Atlantis"] }), "areas[1]", "unknown_area"),
        (
            json!({ "booking_settings": { "buffer_minutes": 61 } }),
            "booking_settings.buffer_minutes",
            "invalid_parameter",
        ),
        (json!({ "booking_settings": { "horizon_days": 0 } }), "booking_settings.horizon_days", "invalid_parameter"),
        (
            json!({ "booking_settings": { "min_notice_hours": 169 } }),
            "booking_settings.min_notice_hours",
            "invalid_parameter",
        ),
        (json!({ "booking_settings": { "surprise": 1 } }), "booking_settings.surprise", "invalid_body"),
        (json!({ "status": "active" }), "status", "invalid_body"),
    ];
    for (body, field_name, code) in cases {
        let res = patch(&env, &token, None, body.clone()).await;
        assert_eq!(field(&res.assert_problem(400, code)), field_name, "{body}");
    }
    // Nothing changed.
    assert_eq!(send(&env, Call::get(PROFILE).token(&token)).await.header("etag"), Some("\"v0\""));
    // A student has no instructor profile permission; an instructor without a profile gets 404.
    let student = env.token_for_email("john.smith@example.com").await;
    send(&env, Call::get(PROFILE).token(&student)).await.assert_problem(403, "permission_denied");
    let granted = env.token(
        &seed::user_id("john.smith@example.com"),
        &[instainstru_shared::rbac::Role::Student],
        &[instainstru_shared::rbac::Permission::ManageInstructorProfile],
        &[],
    );
    send(&env, Call::get(PROFILE).token(&granted)).await.assert_problem(404, "profile_not_found");
}

#[tokio::test]
async fn offerings_are_added_changed_and_kept_one_active_per_service() {
    let env = TestEnv::seeded().await;
    let token = env.token_for_email(SARAH).await;
    let res = send(&env, Call::post(OFFERINGS).token(&token).json(music_theory())).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let offering = res.json();
    let id = offering["id"].as_str().unwrap().to_owned();
    assert_eq!(res.header("location"), Some(format!("{OFFERINGS}/{id}").as_str()));
    assert_eq!(offering["durations"], json!([45, 60]));
    assert_eq!(offering["location_types"], json!(["in_person", "online"]));
    assert_eq!(offering["active"], true);

    send(&env, Call::post(OFFERINGS).token(&token).json(music_theory()))
        .await
        .assert_problem(409, "duplicate_offering");
    let mut piano = music_theory();
    piano["service"] = json!("piano");
    send(&env, Call::post(OFFERINGS).token(&token).json(piano)).await.assert_problem(409, "duplicate_offering");

    let bad = [
        (json!({ "service": "underwater-chess" }), "service", "unknown_service"),
        (json!({ "rate_cents": 99 }), "rate_cents", "invalid_parameter"),
        (json!({ "rate_cents": 100_001 }), "rate_cents", "invalid_parameter"),
        (json!({ "durations": [60, 50] }), "durations[1]", "invalid_parameter"),
        (json!({ "durations": [] }), "durations", "invalid_parameter"),
        (json!({ "location_types": [] }), "location_types", "invalid_parameter"),
        (json!({ "service": "golf", "location_types": ["online"] }), "location_types", "online_not_available"),
        (json!({ "levels": ["expert"] }), "levels[0]", "invalid_body"),
    ];
    for (change, field_name, code) in bad {
        let mut body = music_theory();
        body["service"] = json!("guitar");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = send(&env, Call::post(OFFERINGS).token(&token).json(body)).await;
        assert_eq!(field(&res.assert_problem(400, code)), field_name, "{change}");
    }

    let url = format!("{OFFERINGS}/{id}");
    let res =
        send(&env, Call::new("PATCH", &url).token(&token).json(json!({ "rate_cents": 8000, "active": false }))).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["rate_cents"], 8000);
    // Retired, it no longer blocks a new offering of the service; reviving it then would.
    let res = send(&env, Call::post(OFFERINGS).token(&token).json(music_theory())).await;
    assert_eq!(res.status, 201);
    let res = send(&env, Call::new("PATCH", &url).token(&token).json(json!({ "active": true }))).await;
    res.assert_problem(409, "duplicate_offering");

    let dir = Directory::load(&env.store, env.clock.now()).await.unwrap();
    let profile = dir.instructor(&seed::instructor_id(SARAH)).unwrap();
    assert_eq!(profile.active_offerings().filter(|o| o.service == "music-theory").count(), 1);
}

#[tokio::test]
async fn removing_an_offering_with_bookings_deactivates_it() {
    let env = TestEnv::seeded().await;
    let token = env.token_for_email(SARAH).await;
    let sarah = seed::instructor_id(SARAH);
    let piano = seed::offering_id(SARAH, "piano");
    let id = send(&env, Call::post(OFFERINGS).token(&token).json(music_theory())).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A past, completed piano lesson refers to the piano offering.
    let booking = Record::new(
        keys::booking(&BookingId::trusted("01JZ0000000000000000000001")),
        json!({ "entity": "booking", "status": "completed", "end": "2026-11-01T16:00:00Z", "offering_id": piano }),
    )
    .gsi1(keys::instructor_bookings(&sarah), "2026-11-01T15:00:00Z#01JZ0000000000000000000001");
    env.store.put(&booking).await.unwrap();

    let res = send(&env, Call::new("DELETE", &format!("{OFFERINGS}/{piano}")).token(&token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["outcome"], "deactivated");
    let res = send(&env, Call::new("DELETE", &format!("{OFFERINGS}/{id}")).token(&token)).await;
    assert_eq!(res.json()["outcome"], "deleted");

    let profile = send(&env, Call::get(PROFILE).token(&token)).await.json();
    let offerings = profile["offerings"].as_array().unwrap();
    assert_eq!(offerings.len(), 1);
    assert_eq!(offerings[0]["id"], piano.as_str());
    assert_eq!(offerings[0]["active"], false);
    assert_eq!(profile["listed"], false);
    assert_eq!(profile["missing"], json!(["active_offering"]));
    send(&env, Call::new("DELETE", &format!("{OFFERINGS}/{id}")).token(&token))
        .await
        .assert_problem(404, "offering_not_found");
}

#[tokio::test]
async fn another_instructors_offering_is_not_found() {
    let env = TestEnv::seeded().await;
    let michael = env.token_for_email(MICHAEL).await;
    let sarahs = seed::offering_id(SARAH, "piano");
    let url = format!("{OFFERINGS}/{sarahs}");
    send(&env, Call::new("PATCH", &url).token(&michael).json(json!({ "rate_cents": 100 })))
        .await
        .assert_problem(404, "offering_not_found");
    send(&env, Call::new("DELETE", &url).token(&michael)).await.assert_problem(404, "offering_not_found");
    send(&env, Call::new("DELETE", &format!("{OFFERINGS}/not-an-id")).token(&michael))
        .await
        .assert_problem(404, "offering_not_found");
    // Sarah's offering is untouched.
    let sarah = env.token_for_email(SARAH).await;
    let profile = send(&env, Call::get(PROFILE).token(&sarah)).await.json();
    assert_eq!(profile["offerings"][0]["rate_cents"], 12000);
    assert_eq!(profile["offerings"][0]["active"], true);
}
