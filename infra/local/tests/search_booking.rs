//! Search filters on real bookable slots: booking the only matching slot removes the
//! instructor from the same search, and cancelling brings them back (through the search
//! and booking functions' routers, sharing one table, as on the platform).

use instainstru_local::functions::http_functions;
use instainstru_shared::{rbac::Role, seed};
use instainstru_testkit::{TestEnv, http_test::Call};

fn router(env: &TestEnv, binary: &str) -> axum::Router {
    let function = http_functions().into_iter().find(|f| f.binary() == binary).unwrap();
    (function.router)(env.state.clone())
}

async fn search_ids(env: &TestEnv, q: &str) -> (Vec<String>, serde_json::Value) {
    let uri = format!("/api/v1/search?q={}", q.replace(' ', "%20"));
    let body = Call::get(&uri).client_ip("203.0.113.60").send(&router(env, "search")).await.json();
    let ids = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relaxed"].as_array().unwrap().is_empty())
        .map(|r| r["instructor"]["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, body)
}

#[tokio::test]
async fn booking_the_slot_removes_the_instructor_from_the_same_search_and_cancel_restores_them() {
    let env = TestEnv::seeded().await;
    // Carlos Garcia teaches guitar; "now" is Thursday 2026-11-26 10:00 in New York.
    let carlos = seed::user_id("carlos.garcia@example.com");
    let query = "guitar tomorrow at 8am";
    let (ids, body) = search_ids(&env, query).await;
    assert!(ids.contains(&carlos.to_string()), "{body}");
    let slot = body["results"].as_array().unwrap().iter().find(|r| r["instructor"]["id"] == carlos.as_str()).unwrap()
        ["next_available"]
        .clone();
    assert_eq!(slot["date"], "2026-11-27");
    assert_eq!(slot["time"], "08:00");

    let student = seed::user_id("john.smith@example.com");
    let token = env.token(&student, &[Role::Student], &[], &[]);
    let offering = seed::offering_id("carlos.garcia@example.com", "guitar");
    let booked = Call::post("/api/v1/bookings")
        .token(&token)
        .json(serde_json::json!({
            "instructor_id": carlos, "offering_id": offering, "date": "2026-11-27", "start_time": "08:00",
            "duration_minutes": 60, "location_type": "in_person"
        }))
        .send(&router(&env, "booking"))
        .await;
    assert_eq!(booked.status, 201, "{}", booked.text());
    let (ids, body) = search_ids(&env, query).await;
    assert!(!ids.contains(&carlos.to_string()), "a booked slot no longer matches: {body}");

    let id = booked.json()["id"].as_str().unwrap().to_owned();
    let cancelled = Call::post(&format!("/api/v1/bookings/{id}/cancel"))
        .token(&token)
        .json(serde_json::json!({ "reason": "changed my mind" }))
        .send(&router(&env, "booking"))
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let (ids, _) = search_ids(&env, query).await;
    assert!(ids.contains(&carlos.to_string()), "a cancelled booking frees the slot for search at once");
}

#[tokio::test]
async fn the_signed_in_home_shows_recent_searches() {
    use instainstru_shared::queue::local::EventSource;
    let env = TestEnv::seeded().await;
    let student = seed::user_id("emma.johnson@example.com");
    let token = env.token(&student, &[Role::Student], &[], &[]);
    for q in ["chess", "pottery in brooklyn"] {
        let uri = format!("/api/v1/search?q={}", q.replace(' ', "%20"));
        Call::get(&uri).token(&token).client_ip("203.0.113.61").send(&router(&env, "search")).await;
        env.clock.advance(jiff::SignedDuration::from_secs(30));
    }
    let source = EventSource::new(env.queue.clone(), instainstru_local::platform::worker_handler(&env.state));
    while source.poll_once().await.unwrap().delivered > 0 {}
    let home = Call::get("/api/v1/me/home").token(&token).send(&router(&env, "booking")).await;
    assert_eq!(home.status, 200, "{}", home.text());
    let recent: Vec<String> = home.json()["recent_searches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["query"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recent, ["pottery in brooklyn", "chess"]);
    // Without the history permission the home simply leaves them out.
    let revoked =
        env.token(&student, &[Role::Student], &[], &[instainstru_shared::rbac::Permission::ViewOwnSearchHistory]);
    let home = Call::get("/api/v1/me/home").token(&revoked).send(&router(&env, "booking")).await;
    assert!(home.json().get("recent_searches").is_none());
}
