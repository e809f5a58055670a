//! Register, login, refresh-token rotation and reuse detection, logout, and the end of
//! sessions on a password change.

mod common;

use common::*;
use instainstru_testkit::{TestEnv, http_test::Call};
use serde_json::json;

#[tokio::test]
async fn register_signs_in_and_login_refresh_and_me_work() {
    let env = TestEnv::new().await;
    let (access, refresh_token, id) = registered(&env, "Ada@Example.com", "student").await;
    let mine = me(&env, &access).await;
    assert_eq!(mine.status, 200, "{}", mine.text());
    let body = mine.json();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["email"], "Ada@Example.com");
    assert_eq!(body["roles"], json!(["student"]));
    assert_eq!(body["permissions"].as_array().unwrap().len(), 10);
    assert_eq!(body["time_zone"], "America/New_York");
    assert_eq!(body["status"], "active");

    // Login in another letter case.
    let (access2, _) = logged_in(&env, "ada@EXAMPLE.com", PASSWORD).await;
    assert_eq!(me(&env, &access2).await.status, 200);

    let renewed = refresh(&env, &refresh_token).await;
    assert_eq!(renewed.status, 200, "{}", renewed.text());
    let renewed = renewed.json();
    assert_ne!(renewed["refresh_token"], refresh_token.as_str());
    assert_eq!(renewed["expires_in"], 900);
    assert_eq!(me(&env, renewed["access_token"].as_str().unwrap()).await.status, 200);
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    let env = TestEnv::new().await;
    let (_, first, _) = registered(&env, "reuse@example.com", "student").await;
    let second = refresh(&env, &first).await.json()["refresh_token"].as_str().unwrap().to_owned();
    // The thief replays the first token: refused, and the family is revoked…
    refresh(&env, &first).await.assert_problem(401, "refresh_token_reused");
    // …so the legitimate holder's current token is dead too.
    refresh(&env, &second).await.assert_problem(401, "session_ended");
    // Another session of the same user is untouched.
    let (_, other) = logged_in(&env, "reuse@example.com", PASSWORD).await;
    assert_eq!(refresh(&env, &other).await.status, 200);
}

#[tokio::test]
async fn logout_ends_the_session_by_refresh_token_or_bearer() {
    let env = TestEnv::new().await;
    let (access, refresh_token, _) = registered(&env, "bye@example.com", "student").await;
    let res = send(&env, Call::post("/api/v1/auth/logout").json(json!({ "refresh_token": refresh_token }))).await;
    assert_eq!(res.status, 204, "{}", res.text());
    refresh(&env, &refresh_token).await.assert_problem(401, "session_ended");

    let (access2, refresh2) = logged_in(&env, "bye@example.com", PASSWORD).await;
    let res = send(&env, Call::post("/api/v1/auth/logout").token(&access2)).await;
    assert_eq!(res.status, 204, "{}", res.text());
    refresh(&env, &refresh2).await.assert_problem(401, "session_ended");

    send(&env, Call::post("/api/v1/auth/logout")).await.assert_problem(400, "nothing_to_revoke");
    // Unknown tokens are fine: the session the client wants gone is gone.
    let res = send(&env, Call::post("/api/v1/auth/logout").json(json!({ "refresh_token": "x".repeat(43) }))).await;
    assert_eq!(res.status, 204);
    let _ = access;
}
