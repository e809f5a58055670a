//! Helpers shared by the accounts router tests.
#![allow(dead_code)]

use axum::Router;
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use serde_json::{Value, json};

pub const PASSWORD: &str = "Str0ng pass";
pub const IP: &str = "203.0.113.5";

pub fn router(env: &TestEnv) -> Router {
    instainstru_accounts::router(env.state.clone())
}

pub async fn send(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&router(env)).await
}

pub async fn register(env: &TestEnv, email: &str, role: &str) -> TestResponse {
    let body = json!({ "email": email, "password": PASSWORD, "full_name": "Test Person", "role": role });
    send(env, Call::post("/api/v1/auth/register").client_ip(IP).json(body)).await
}

/// Registers and returns (access token, refresh token, user id).
pub async fn registered(env: &TestEnv, email: &str, role: &str) -> (String, String, String) {
    let res = register(env, email, role).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let body = res.json();
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
        body["user"]["id"].as_str().unwrap().to_owned(),
    )
}

pub async fn login(env: &TestEnv, email: &str, password: &str) -> TestResponse {
    send(env, Call::post("/api/v1/auth/login").client_ip(IP).json(json!({ "email": email, "password": password })))
        .await
}

/// Logs in and returns (access token, refresh token).
pub async fn logged_in(env: &TestEnv, email: &str, password: &str) -> (String, String) {
    let res = login(env, email, password).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    (body["access_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned())
}

pub async fn refresh(env: &TestEnv, token: &str) -> TestResponse {
    send(env, Call::post("/api/v1/auth/refresh").json(json!({ "refresh_token": token }))).await
}

pub async fn me(env: &TestEnv, access: &str) -> TestResponse {
    send(env, Call::get("/api/v1/me").token(access)).await
}

pub fn field(body: &Value) -> &str {
    body["field"].as_str().unwrap_or_default()
}
