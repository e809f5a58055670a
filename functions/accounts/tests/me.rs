//! `GET /me` and `PATCH /me`: the caller's own details, and an instructor's public name
//! following a change of name.

mod common;

use common::*;
use instainstru_shared::{
    clock::Clock,
    directory::Directory,
    rbac::{Permission, Role},
    seed,
};
use instainstru_testkit::{TestEnv, http_test::Call};
use serde_json::json;

#[tokio::test]
async fn me_shows_effective_permissions_from_the_account() {
    let env = TestEnv::seeded().await;
    let token = env.token_for_email("emma.johnson@example.com").await;
    let res = me(&env, &token).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["email"], "emma.johnson@example.com");
    assert_eq!(body["full_name"], "Emma Johnson");
    assert_eq!(body["status"], "active");
    assert!(body.get("password_hash").is_none());
    let permissions: Vec<&str> = body["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(permissions.contains(&"create_bookings"));
    assert!(!permissions.contains(&"manage_users"));
    // A token without manage_own_profile cannot read it; a token of nobody finds nobody.
    let revoked =
        env.token(&seed::user_id("emma.johnson@example.com"), &[Role::Student], &[], &[Permission::ManageOwnProfile]);
    me(&env, &revoked).await.assert_problem(403, "permission_denied");
    let ghost = env.token(&instainstru_shared::ids::UserId::generate(), &[Role::Student], &[], &[]);
    me(&env, &ghost).await.assert_problem(404, "user_not_found");
    send(&env, Call::get("/api/v1/me")).await.assert_problem(401, "authentication_required");
}

#[tokio::test]
async fn patch_me_changes_name_and_time_zone_and_the_public_profile_follows() {
    let env = TestEnv::seeded().await;
    let email = "sarah.chen@example.com";
    let token = env.token_for_email(email).await;
    let res = send(
        &env,
        Call::new("PATCH", "/api/v1/me")
            .token(&token)
            .json(json!({ "full_name": " Sarah Chen-Li ", "time_zone": "Europe/Paris" })),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["full_name"], "Sarah Chen-Li");
    assert_eq!(res.json()["time_zone"], "Europe/Paris");
    assert_eq!(me(&env, &token).await.json()["full_name"], "Sarah Chen-Li");
    let dir = Directory::load(&env.store, env.clock.now()).await.unwrap();
    assert_eq!(dir.instructor(&seed::instructor_id(email)).unwrap().full_name, "Sarah Chen-Li");

    for (body, name) in [
        (json!({ "time_zone": "Nowhere/Land" }), "time_zone"),
        (json!({ "full_name": "" }), "full_name"),
        (json!({ "email": "new@example.com" }), "email"),
    ] {
        let res = send(&env, Call::new("PATCH", "/api/v1/me").token(&token).json(body)).await;
        assert_eq!(res.status, 400, "{}", res.text());
        assert_eq!(field(&res.json()), name);
    }
}
