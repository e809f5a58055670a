//! Who may register, with what, and that one email makes one account however it is
//! spelled and however many requests race for it.

mod common;

use common::*;
use instainstru_shared::ids::InstructorId;
use instainstru_shared::{instructors::editing, seed};
use instainstru_testkit::{TestEnv, http_test::Call};
use serde_json::json;

#[tokio::test]
async fn self_registration_as_admin_is_refused() {
    let env = TestEnv::new().await;
    let body = register(&env, "mallory@example.com", "admin").await.assert_problem(400, "role_not_allowed");
    assert_eq!(field(&body), "role");
    let body = register(&env, "mallory@example.com", "superuser").await.assert_problem(400, "invalid_parameter");
    assert_eq!(field(&body), "role");
    // Nothing was created: the address is still free.
    registered(&env, "mallory@example.com", "student").await;
}

#[tokio::test]
async fn a_duplicate_email_in_any_letter_case_is_409() {
    let env = TestEnv::seeded().await;
    for email in ["sarah.chen@example.com", "Sarah.Chen@Example.COM", "SARAH.CHEN@EXAMPLE.COM"] {
        let body = register(&env, email, "student").await.assert_problem(409, "email_taken");
        assert_eq!(field(&body), "email");
    }
    registered(&env, "New.Person@example.com", "student").await;
    register(&env, "new.person@EXAMPLE.com", "instructor").await.assert_problem(409, "email_taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_registrations_with_one_email_exactly_one_succeeds() {
    let env = std::sync::Arc::new(TestEnv::new().await);
    for round in 0..5 {
        let email = format!("race{round}@example.com");
        let upper = email.to_uppercase();
        let (e1, e2) = (env.clone(), env.clone());
        let a = tokio::spawn(async move { register(&e1, &email, "student").await });
        let b = tokio::spawn(async move { register(&e2, &upper, "instructor").await });
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "round {round}: {} / {}", a.text(), b.text());
    }
}

#[tokio::test]
async fn registering_as_instructor_creates_an_empty_unlisted_profile() {
    let env = TestEnv::new().await;
    let (access, _, id) = registered(&env, "teach@example.com", "instructor").await;
    let profile = editing::get(&env.store, &InstructorId::trusted(id)).await.unwrap();
    assert_eq!(profile.value.full_name, "Test Person");
    assert!(profile.value.offerings.is_empty());
    assert!(!profile.value.is_listed());
    let res = send(&env, Call::get("/api/v1/instructors/me/profile").token(&access)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["listed"], false);
    assert_eq!(body["missing"], json!(["bio", "areas", "active_offering"]));
    // Students get no profile.
    let (_, _, student) = registered(&env, "learn@example.com", "student").await;
    assert!(editing::get(&env.store, &InstructorId::trusted(student)).await.is_err());
}

#[tokio::test]
async fn registration_input_is_validated_field_by_field() {
    let env = TestEnv::new().await;
    let base = json!({ "email": "v@example.com", "password": PASSWORD, "full_name": "Val", "role": "student" });
    let cases = [
        ("email", json!("not-an-email"), "invalid_parameter"),
        ("password", json!("short1"), "weak_password"),
        ("password", json!("alllowercase"), "weak_password"),
        ("full_name", json!("   "), "invalid_parameter"),
        ("time_zone", json!("Mars/Base"), "invalid_parameter"),
    ];
    for (name, value, code) in cases {
        let mut body = base.clone();
        body[name] = value;
        let res = send(&env, Call::post("/api/v1/auth/register").client_ip("198.51.100.1").json(body)).await;
        assert_eq!(field(&res.assert_problem(400, code)), name);
    }
    let mut body = base.clone();
    body["is_admin"] = json!(true);
    let res = send(&env, Call::post("/api/v1/auth/register").json(body)).await;
    assert_eq!(field(&res.assert_problem(400, "invalid_body")), "is_admin");
    let res = send(&env, Call::post("/api/v1/auth/register").raw_body("text/plain", "hi")).await;
    res.assert_problem(415, "unsupported_media_type");
}

#[tokio::test]
async fn every_seeded_user_can_log_in_with_the_demo_password() {
    let env = TestEnv::seeded().await;
    let data = seed::SeedData::demo().unwrap();
    let mut emails: Vec<(String, bool)> = data.students.iter().map(|u| (u.email.clone(), true)).collect();
    emails.extend(data.admins.iter().map(|u| (u.email.clone(), true)));
    emails.extend(
        data.instructors
            .iter()
            .map(|i| (i.user().email, i.status != instainstru_shared::accounts::AccountStatus::Deactivated)),
    );
    assert!(emails.iter().any(|(e, _)| e == "admin@instainstru.com"));
    for (email, can) in emails {
        let res = login(&env, &email, seed::DEMO_PASSWORD).await;
        if can {
            assert_eq!(res.status, 200, "{email}: {}", res.text());
        } else {
            res.assert_problem(403, "account_deactivated");
        }
    }
    let (admin, _) = logged_in(&env, "admin@instainstru.com", seed::DEMO_PASSWORD).await;
    let body = me(&env, &admin).await.json();
    assert_eq!(body["roles"], json!(["admin"]));
    assert_eq!(body["permissions"].as_array().unwrap().len(), 30);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_are_the_same_401() {
    let env = TestEnv::seeded().await;
    let a = login(&env, "nobody@example.com", "Whatever1").await.assert_problem(401, "invalid_credentials");
    let b = login(&env, "john.smith@example.com", "Whatever1").await.assert_problem(401, "invalid_credentials");
    assert_eq!(a["detail"], b["detail"]);
    let body = login(&env, "not an email", "x").await.assert_problem(400, "invalid_parameter");
    assert_eq!(field(&body), "email");
}
