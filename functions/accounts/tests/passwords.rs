//! Changing a password ends the other sessions; a reset (through the local outbox, end to
//! end) ends them all; the reset request answers the same whether or not the email exists.

mod common;

use common::*;
use instainstru_testkit::{TestEnv, http_test::Call};
use jiff::SignedDuration;
use serde_json::json;

async fn change(env: &TestEnv, access: &str, current: &str, new: &str) -> instainstru_testkit::http_test::TestResponse {
    let body = json!({ "current_password": current, "new_password": new });
    send(env, Call::post("/api/v1/me/password").token(access).json(body)).await
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let env = TestEnv::new().await;
    let (access, mine, _) = registered(&env, "pw@example.com", "student").await;
    let (_, other) = logged_in(&env, "pw@example.com", PASSWORD).await;

    let body = change(&env, &access, "Not the password1", "N3w password").await.assert_problem(400, "wrong_password");
    assert_eq!(field(&body), "current_password");
    let body = change(&env, &access, PASSWORD, "weakweak").await.assert_problem(400, "weak_password");
    assert_eq!(field(&body), "new_password");
    change(&env, &access, PASSWORD, PASSWORD).await.assert_problem(400, "password_unchanged");

    let res = change(&env, &access, PASSWORD, "N3w password").await;
    assert_eq!(res.status, 204, "{}", res.text());
    refresh(&env, &other).await.assert_problem(401, "session_ended");
    let renewed = refresh(&env, &mine).await;
    assert_eq!(renewed.status, 200, "the caller's own session survives: {}", renewed.text());

    login(&env, "pw@example.com", PASSWORD).await.assert_problem(401, "invalid_credentials");
    logged_in(&env, "pw@example.com", "N3w password").await;
}

fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("a reset link") + "token=".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn request_reset(env: &TestEnv, email: &str) -> instainstru_testkit::http_test::TestResponse {
    send(env, Call::post("/api/v1/auth/password-reset").json(json!({ "email": email }))).await
}

async fn confirm(env: &TestEnv, token: &str, new: &str) -> instainstru_testkit::http_test::TestResponse {
    send(env, Call::post("/api/v1/auth/password-reset/confirm").json(json!({ "token": token, "new_password": new })))
        .await
}

#[tokio::test]
async fn the_reset_flow_works_end_to_end_through_the_local_outbox() {
    let env = TestEnv::new().await;
    let (_, session, _) = registered(&env, "Forgetful@Example.com", "student").await;

    let res = request_reset(&env, "forgetful@example.com").await;
    assert_eq!(res.status, 202, "{}", res.text());
    let known = res.json();
    let unknown = request_reset(&env, "nobody@example.com").await;
    assert_eq!(unknown.status, 202);
    assert_eq!(unknown.json(), known, "the same answer whether or not the email exists");

    let mails = env.outbox.recent(10).await.unwrap();
    assert_eq!(mails.len(), 1, "no mail for an unknown address");
    let mail = &mails[0].mail;
    assert_eq!(mail.to, "Forgetful@Example.com");
    assert!(mail.text.contains("http://127.0.0.1:3000/reset-password?token="), "{}", mail.text);
    let token = token_in(&mail.text);

    let res = confirm(&env, &token, "Br4nd new pass").await;
    assert_eq!(res.status, 204, "{}", res.text());
    // Single use; every session ended; the new password works and the old does not.
    confirm(&env, &token, "Another0ne!").await.assert_problem(400, "invalid_reset_token");
    refresh(&env, &session).await.assert_problem(401, "session_ended");
    login(&env, "forgetful@example.com", PASSWORD).await.assert_problem(401, "invalid_credentials");
    logged_in(&env, "forgetful@example.com", "Br4nd new pass").await;
}

#[tokio::test]
async fn reset_tokens_expire_after_an_hour_and_die_with_a_password_change() {
    let env = TestEnv::new().await;
    registered(&env, "late@example.com", "student").await;
    request_reset(&env, "late@example.com").await;
    let first = token_in(&env.outbox.recent(1).await.unwrap()[0].mail.text);
    env.clock.advance(SignedDuration::from_mins(61));
    confirm(&env, &first, "Br4nd new pass").await.assert_problem(400, "invalid_reset_token");

    request_reset(&env, "late@example.com").await;
    let second = token_in(&env.outbox.recent(1).await.unwrap()[0].mail.text);
    assert_ne!(first, second);
    // A token issued before the password changed is void afterwards. (The registration's
    // access token has expired by now: sign in again.)
    let (access, _) = logged_in(&env, "late@example.com", PASSWORD).await;
    let res = send(
        &env,
        Call::post("/api/v1/me/password")
            .token(&access)
            .json(json!({ "current_password": PASSWORD, "new_password": "Ch4nged pass" })),
    )
    .await;
    assert_eq!(res.status, 204, "{}", res.text());
    confirm(&env, &second, "Br4nd new pass").await.assert_problem(400, "invalid_reset_token");

    confirm(&env, "not-a-token", "Br4nd new pass").await.assert_problem(400, "invalid_reset_token");
    let body = confirm(&env, &second, "weak").await.assert_problem(400, "weak_password");
    assert_eq!(field(&body), "new_password");
}

#[tokio::test]
async fn deactivated_accounts_get_no_reset_mail_and_cannot_sign_in() {
    let env = TestEnv::seeded().await;
    // The demo data has one deactivated instructor.
    let data = instainstru_shared::seed::SeedData::demo().unwrap();
    let gone = data
        .instructors
        .iter()
        .find(|i| i.status == instainstru_shared::accounts::AccountStatus::Deactivated)
        .unwrap()
        .user()
        .email;
    assert_eq!(request_reset(&env, &gone).await.status, 202);
    assert!(env.outbox.recent(10).await.unwrap().is_empty());
    login(&env, &gone, instainstru_shared::seed::DEMO_PASSWORD).await.assert_problem(403, "account_deactivated");
}
