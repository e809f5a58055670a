//! The guest-history seam: register and login with `X-Guest-Session-ID` record the link
//! guest → user and publish `history.guest_converted`; a malformed id is a 400 naming the
//! header.

mod common;

use common::*;
use instainstru_shared::{
    accounts::guest::{self, GUEST_CONVERTED, GuestSessionId},
    clock::Clock,
    queue::Envelope,
};
use instainstru_testkit::{TestEnv, http_test::Call};
use serde_json::json;

async fn conversions(env: &TestEnv) -> Vec<Envelope> {
    env.queue
        .messages()
        .await
        .unwrap()
        .into_iter()
        .map(|m| serde_json::from_str::<Envelope>(&m.body).unwrap())
        .filter(|e| e.kind == GUEST_CONVERTED)
        .collect()
}

#[tokio::test]
async fn register_and_login_hand_the_guest_id_to_the_conversion() {
    let env = TestEnv::new().await;
    let first = "6f1c2b4e-8d3a-4c7e-9b1a-2f3e4d5c6b7a";
    let body = json!({ "email": "guest@example.com", "password": PASSWORD, "full_name": "G", "role": "student" });
    let res = send(&env, Call::post("/api/v1/auth/register").header("x-guest-session-id", first).json(body)).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let user_id = res.json()["user"]["id"].as_str().unwrap().to_owned();

    let link = guest::link(&env.store, env.clock.now(), &GuestSessionId::parse(first).unwrap()).await.unwrap().unwrap();
    assert_eq!(link.user_id.as_str(), user_id);
    let events = conversions(&env).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].payload, json!({ "guest_session_id": first, "user_id": user_id }));

    // Login, from another browser's guest session (upper case is the same UUID).
    let second = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D";
    let body = json!({ "email": "guest@example.com", "password": PASSWORD });
    let res = send(&env, Call::post("/api/v1/auth/login").header("x-guest-session-id", second).json(body)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let link =
        guest::link(&env.store, env.clock.now(), &GuestSessionId::parse(second).unwrap()).await.unwrap().unwrap();
    assert_eq!(link.user_id.as_str(), user_id);
    let events = conversions(&env).await;
    assert_eq!(events.len(), 2);
    assert!(events.iter().any(|e| e.payload["guest_session_id"] == second.to_lowercase()));

    // Without the header nothing is converted.
    logged_in(&env, "guest@example.com", PASSWORD).await;
    assert_eq!(conversions(&env).await.len(), 2);
}

#[tokio::test]
async fn a_malformed_guest_id_is_a_400_naming_the_header() {
    let env = TestEnv::new().await;
    registered(&env, "g2@example.com", "student").await;
    let body = json!({ "email": "g2@example.com", "password": PASSWORD });
    for bad in ["not-a-uuid", "6f1c2b4e8d3a4c7e9b1a2f3e4d5c6b7a", "'; DROP TABLE"] {
        let res =
            send(&env, Call::post("/api/v1/auth/login").header("x-guest-session-id", bad).json(body.clone())).await;
        assert_eq!(res.assert_problem(400, "invalid_guest_session_id")["field"], "X-Guest-Session-ID");
    }
    assert!(conversions(&env).await.is_empty());
}
