//! The admin's all-bookings view through HTTP (`view_all_bookings`): bookings made through
//! the booking function's own routes, listed across the platform, by party, by status and
//! by New York dates, with a cursor.

use instainstru_shared::seed;
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use serde_json::{Value, json};

const SARAH: &str = "sarah.chen@example.com";

async fn admin_get(env: &TestEnv, uri: &str) -> TestResponse {
    let token = env.token_for_email("admin@instainstru.com").await;
    Call::get(uri).token(&token).send(&instainstru_admin::router(env.state.clone())).await
}

/// Books Sarah's piano for `student` at a New York date and time; returns the booking id.
async fn book(env: &TestEnv, student: &str, date: &str, time: &str) -> String {
    let token = env.token_for_email(student).await;
    let body = json!({
        "instructor_id": seed::user_id(SARAH),
        "offering_id": seed::offering_id(SARAH, "piano"),
        "date": date, "start_time": time, "duration_minutes": 60, "location_type": "online",
    });
    let res = Call::post("/api/v1/bookings")
        .token(&token)
        .json(body)
        .send(&instainstru_booking::router(env.state.clone()))
        .await;
    assert_eq!(res.status, 201, "{}", res.text());
    res.json()["id"].as_str().unwrap().to_owned()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn admins_see_every_booking_filtered_by_party_status_and_dates() {
    let env = TestEnv::seeded().await;
    let monday = book(&env, "john.smith@example.com", "2026-11-30", "10:00").await;
    let tuesday = book(&env, "emma.johnson@example.com", "2026-12-01", "15:00").await;
    let wednesday = book(&env, "john.smith@example.com", "2026-12-02", "10:00").await;
    let token = env.token_for_email("john.smith@example.com").await;
    let res = Call::post(&format!("/api/v1/bookings/{wednesday}/cancel"))
        .token(&token)
        .json(json!({ "reason": "family trip" }))
        .send(&instainstru_booking::router(env.state.clone()))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());

    // Everything, across the table (no party given), in start order within the page.
    let all = admin_get(&env, "/api/v1/admin/bookings").await;
    assert_eq!(all.status, 200, "{}", all.text());
    assert_eq!(ids(&all.json()), [monday.clone(), tuesday.clone(), wednesday.clone()]);
    assert_eq!(all.json()["next_cursor"], Value::Null);

    let john = seed::user_id("john.smith@example.com");
    let page = admin_get(&env, &format!("/api/v1/admin/bookings?student_id={john}")).await.json();
    assert_eq!(ids(&page), [monday.clone(), wednesday.clone()]);
    let page = admin_get(&env, "/api/v1/admin/bookings?status=cancelled").await.json();
    assert_eq!(ids(&page), [wednesday.as_str()]);
    assert_eq!(page["items"][0]["status"], "cancelled");
    // New York dates, both ends inclusive.
    let sarah = seed::user_id(SARAH);
    let uri = format!("/api/v1/admin/bookings?instructor_id={sarah}&from=2026-12-01&to=2026-12-01");
    assert_eq!(ids(&admin_get(&env, &uri).await.json()), [tuesday.as_str()]);
    let page = admin_get(&env, "/api/v1/admin/bookings?from=2026-12-01&status=confirmed").await.json();
    assert_eq!(ids(&page), [tuesday.as_str()]);

    // Pages of one, by party (start order) and by scan, each visited once.
    for filter in [format!("instructor_id={sarah}&"), String::new()] {
        let mut seen = Vec::new();
        let mut uri = format!("/api/v1/admin/bookings?{filter}limit=1");
        for _ in 0..10 {
            let page = admin_get(&env, &uri).await.json();
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(cursor) => uri = format!("/api/v1/admin/bookings?{filter}limit=1&cursor={cursor}"),
                None => break,
            }
        }
        seen.sort();
        let mut expected = vec![monday.clone(), tuesday.clone(), wednesday.clone()];
        expected.sort();
        assert_eq!(seen, expected, "{filter}");
    }
}

#[tokio::test]
async fn only_staff_see_all_bookings_and_bad_filters_name_their_field() {
    let env = TestEnv::seeded().await;
    let student = env.token_for_email("john.smith@example.com").await;
    let router = instainstru_admin::router(env.state.clone());
    Call::get("/api/v1/admin/bookings").token(&student).send(&router).await.assert_problem(403, "permission_denied");
    Call::get("/api/v1/admin/bookings").send(&router).await.assert_problem(401, "authentication_required");
    for (query, field) in [
        ("status=lost", "status"),
        ("from=2026-13-01", "from"),
        ("from=2026-12-05&to=2026-12-01", "to"),
        ("instructor_id=nobody", "instructor_id"),
        ("student_id=1", "student_id"),
        ("limit=0", "limit"),
    ] {
        let res = admin_get(&env, &format!("/api/v1/admin/bookings?{query}")).await;
        assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], field, "{query}");
    }
    let forged =
        instainstru_shared::store::Cursor::from_pairs([("PK", "USER#1"), ("SK", "ACCOUNT"), ("role", "x")]).encode();
    let res = admin_get(&env, &format!("/api/v1/admin/bookings?cursor={forged}")).await;
    assert_eq!(res.status, 400, "{}", res.text());
}
