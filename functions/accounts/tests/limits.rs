//! Rate limits (PRODUCT.md §1) through the routes: they trip at the stated counts with a
//! 429, `Retry-After` and a problem body, and recover after the window.

mod common;

use common::*;
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use jiff::SignedDuration;
use serde_json::json;

fn retry_after(res: &TestResponse) -> i64 {
    res.assert_problem(429, "rate_limited");
    res.header("retry-after").expect("Retry-After").parse().expect("seconds")
}

async fn login_from(env: &TestEnv, ip: &str, email: &str) -> TestResponse {
    let body = json!({ "email": email, "password": "Wrong pass1" });
    send(env, Call::post("/api/v1/auth/login").client_ip(ip).json(body)).await
}

#[tokio::test]
async fn login_allows_five_per_minute_per_ip_and_email() {
    let env = TestEnv::new().await;
    registered(&env, "limited@example.com", "student").await;
    for _ in 0..5 {
        login_from(&env, "198.51.100.7", "limited@example.com").await.assert_problem(401, "invalid_credentials");
    }
    let limited = login_from(&env, "198.51.100.7", "Limited@Example.com").await;
    let wait = retry_after(&limited);
    assert!((1..=60).contains(&wait), "{wait}");
    // Even the right password waits: the limit is on attempts.
    let right = json!({ "email": "limited@example.com", "password": PASSWORD });
    retry_after(&send(&env, Call::post("/api/v1/auth/login").client_ip("198.51.100.7").json(right.clone())).await);
    // Another IP, or another email from this IP, is not limited.
    login_from(&env, "198.51.100.8", "limited@example.com").await.assert_problem(401, "invalid_credentials");
    login_from(&env, "198.51.100.7", "other@example.com").await.assert_problem(401, "invalid_credentials");
    env.clock.advance(SignedDuration::from_secs(wait));
    let res = send(&env, Call::post("/api/v1/auth/login").client_ip("198.51.100.7").json(right)).await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[tokio::test]
async fn registration_allows_ten_per_hour_per_ip() {
    let env = TestEnv::new().await;
    let attempt = |n: u32| {
        let body =
            json!({ "email": format!("r{n}@example.com"), "password": PASSWORD, "full_name": "R", "role": "student" });
        Call::post("/api/v1/auth/register").client_ip("198.51.100.20").json(body)
    };
    for n in 0..10 {
        assert_eq!(send(&env, attempt(n)).await.status, 201, "registration {n}");
    }
    let wait = retry_after(&send(&env, attempt(10)).await);
    assert!((1..=3600).contains(&wait), "{wait}");
    let elsewhere = json!({ "email": "r11@example.com", "password": PASSWORD, "full_name": "R", "role": "student" });
    let res = send(&env, Call::post("/api/v1/auth/register").client_ip("198.51.100.21").json(elsewhere)).await;
    assert_eq!(res.status, 201, "another IP");
    env.clock.advance(SignedDuration::from_secs(wait));
    assert_eq!(send(&env, attempt(12)).await.status, 201);
}

#[tokio::test]
async fn reset_requests_allow_three_per_hour_per_email() {
    let env = TestEnv::new().await;
    registered(&env, "often@example.com", "student").await;
    let request = |email: &str| Call::post("/api/v1/auth/password-reset").json(json!({ "email": email }));
    for _ in 0..3 {
        assert_eq!(send(&env, request("often@example.com")).await.status, 202);
    }
    let wait = retry_after(&send(&env, request("OFTEN@example.com")).await);
    // The same limit for an address without an account: 429 reveals nothing either.
    for _ in 0..3 {
        assert_eq!(send(&env, request("ghost@example.com")).await.status, 202);
    }
    retry_after(&send(&env, request("ghost@example.com")).await);
    assert_eq!(env.outbox.recent(10).await.unwrap().len(), 3, "one mail per allowed request");
    env.clock.advance(SignedDuration::from_secs(wait));
    assert_eq!(send(&env, request("often@example.com")).await.status, 202);
}
