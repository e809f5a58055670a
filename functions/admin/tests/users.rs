//! The admin's user management through HTTP: list/search/filter with a cursor, view,
//! suspend/reactivate (profiles and listings following), roles and permissions (a revoke
//! beats a role), the lock-out guards, and the audit log of every change.

use instainstru_shared::{
    clock::Clock,
    directory::Directory,
    rbac::{Permission, Role},
    seed,
};
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use jiff::SignedDuration;
use serde_json::{Value, json};

const ADMIN: &str = "admin@instainstru.com";

async fn send(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&instainstru_admin::router(env.state.clone())).await
}

async fn admin(env: &TestEnv) -> String {
    env.token_for_email(ADMIN).await
}

async fn get(env: &TestEnv, token: &str, uri: &str) -> Value {
    let res = send(env, Call::get(uri).token(token)).await;
    assert_eq!(res.status, 200, "{uri}: {}", res.text());
    res.json()
}

async fn act(env: &TestEnv, token: &str, method: &str, uri: &str) -> TestResponse {
    // Audit entries are ordered by time: give each change its own instant.
    env.clock.advance(SignedDuration::from_secs(1));
    send(env, Call::new(method, uri).token(token)).await
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn users_are_listed_searched_filtered_and_paged() {
    let env = TestEnv::seeded().await;
    let token = admin(&env).await;
    let data = seed::SeedData::demo().unwrap();
    let total = data.students.len() + data.admins.len() + data.instructors.len();

    let mut seen = Vec::new();
    let mut uri = "/api/v1/admin/users?limit=7".to_owned();
    loop {
        let page = get(&env, &token, &uri).await;
        let page_ids = ids(&page);
        assert!(page_ids.len() <= 7);
        seen.extend(page_ids);
        match page["next_cursor"].as_str() {
            Some(cursor) => uri = format!("/api/v1/admin/users?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), total, "every account exactly once");
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), total);

    let page = get(&env, &token, "/api/v1/admin/users?q=CHEN").await;
    assert!(page["items"].as_array().unwrap().iter().any(|u| u["email"] == "sarah.chen@example.com"));
    assert!(page["items"].as_array().unwrap().iter().all(|u| {
        u["full_name"].as_str().unwrap().to_lowercase().contains("chen")
            || u["email"].as_str().unwrap().contains("chen")
    }));
    let page = get(&env, &token, "/api/v1/admin/users?q=instainstru.com").await;
    assert_eq!(ids(&page), [String::from(seed::user_id(ADMIN))]);
    assert!(page["items"][0].get("password_hash").is_none());

    let students = get(&env, &token, "/api/v1/admin/users?role=student&limit=100").await;
    assert_eq!(ids(&students).len(), data.students.len());
    let suspended = get(&env, &token, "/api/v1/admin/users?role=instructor&status=suspended").await;
    let expected = data.instructors.iter().filter(|i| i.status.as_str() == "suspended").count();
    assert_eq!(ids(&suspended).len(), expected);
    // Filtered pages follow the cursor too.
    let first = get(&env, &token, "/api/v1/admin/users?role=instructor&status=active&limit=10").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second =
        get(&env, &token, &format!("/api/v1/admin/users?role=instructor&status=active&limit=10&cursor={cursor}")).await;
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));

    for (query, name) in [
        ("role=wizard", "role"),
        ("status=sleeping", "status"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("cursor=garbage!", "cursor"),
    ] {
        let res = send(&env, Call::get(&format!("/api/v1/admin/users?{query}")).token(&token)).await;
        assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], name, "{query}");
    }
    let sarah = seed::user_id("sarah.chen@example.com");
    let one = get(&env, &token, &format!("/api/v1/admin/users/{sarah}")).await;
    assert_eq!(one["email"], "sarah.chen@example.com");
    assert_eq!(one["phone"], "+12125551001");
    let unknown = instainstru_shared::ids::new_id();
    send(&env, Call::get(&format!("/api/v1/admin/users/{unknown}")).token(&token))
        .await
        .assert_problem(404, "user_not_found");
}

#[tokio::test]
async fn suspend_and_reactivate_keep_the_instructor_profile_in_step_and_are_audited() {
    let env = TestEnv::seeded().await;
    let token = admin(&env).await;
    let sarah = seed::user_id("sarah.chen@example.com");
    let listed = |dir: &Directory| dir.instructor(&sarah.as_instructor()).is_some_and(|p| p.is_listed());
    assert!(listed(&Directory::load(&env.store, env.clock.now()).await.unwrap()));

    let res = act(&env, &token, "POST", &format!("/api/v1/admin/users/{sarah}/suspend")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["user"]["status"], "suspended");
    assert_eq!(res.json()["changed"], true);
    let dir = Directory::load(&env.store, env.clock.now()).await.unwrap();
    assert_eq!(dir.instructor(&sarah.as_instructor()).unwrap().status.as_str(), "suspended");
    assert!(!listed(&dir));
    // Again: nothing to do, nothing audited.
    let res = act(&env, &token, "POST", &format!("/api/v1/admin/users/{sarah}/suspend")).await;
    assert_eq!(res.json()["changed"], false);

    let res = act(&env, &token, "POST", &format!("/api/v1/admin/users/{sarah}/reactivate")).await;
    assert_eq!(res.json()["user"]["status"], "active");
    assert!(listed(&Directory::load(&env.store, env.clock.now()).await.unwrap()));

    // The deactivated demo instructor can only come back this way.
    let data = seed::SeedData::demo().unwrap();
    let gone = data.instructors.iter().find(|i| i.status.as_str() == "deactivated").unwrap().user().email;
    let gone_id = seed::user_id(&gone);
    act(&env, &token, "POST", &format!("/api/v1/admin/users/{gone_id}/suspend"))
        .await
        .assert_problem(409, "invalid_transition");
    let res = act(&env, &token, "POST", &format!("/api/v1/admin/users/{gone_id}/reactivate")).await;
    assert_eq!(res.json()["user"]["status"], "active");

    let me = seed::user_id(ADMIN);
    act(&env, &token, "POST", &format!("/api/v1/admin/users/{me}/suspend")).await.assert_problem(409, "self_lockout");

    let log = get(&env, &token, "/api/v1/admin/audit-log").await;
    let entries = log["items"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.reactivate", "user.reactivate", "user.suspend"], "newest first, one per change");
    let suspend = &entries[2];
    assert_eq!(suspend["actor_id"], me.as_str());
    assert_eq!(suspend["target_id"], sarah.as_str());
    assert_eq!(suspend["before"]["status"], "active");
    assert_eq!(suspend["after"]["status"], "suspended");
    assert!(suspend["at"].as_str().unwrap().starts_with("2026-11-26T15:00"));
    let about_sarah = get(&env, &token, &format!("/api/v1/admin/audit-log?target={sarah}")).await;
    assert_eq!(about_sarah["items"].as_array().unwrap().len(), 2);
    let paged = get(&env, &token, "/api/v1/admin/audit-log?limit=2").await;
    assert_eq!(paged["items"].as_array().unwrap().len(), 2);
    let rest = get(
        &env,
        &token,
        &format!("/api/v1/admin/audit-log?limit=2&cursor={}", paged["next_cursor"].as_str().unwrap()),
    )
    .await;
    assert_eq!(rest["items"][0]["action"], "user.suspend");
}

#[tokio::test]
async fn roles_and_permissions_change_effective_permissions_and_are_audited() {
    let env = TestEnv::seeded().await;
    let token = admin(&env).await;
    let john = seed::user_id("john.smith@example.com");
    let base = format!("/api/v1/admin/users/{john}");

    // A revoke removes a role-given permission; a grant adds one.
    let res = act(&env, &token, "DELETE", &format!("{base}/permissions/create_bookings")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let user = &res.json()["user"];
    assert_eq!(user["revokes"], json!(["create_bookings"]));
    assert!(!user["permissions"].as_array().unwrap().contains(&json!("create_bookings")));
    let res = act(&env, &token, "POST", &format!("{base}/permissions/view_system_analytics")).await;
    assert!(res.json()["user"]["permissions"].as_array().unwrap().contains(&json!("view_system_analytics")));
    // Granting what was revoked clears the revoke, and the other way round.
    let res = act(&env, &token, "POST", &format!("{base}/permissions/create_bookings")).await;
    assert_eq!(res.json()["user"]["revokes"], json!([]));
    assert_eq!(res.json()["user"]["grants"], json!(["create_bookings", "view_system_analytics"]));
    let res = act(&env, &token, "DELETE", &format!("{base}/permissions/view_system_analytics")).await;
    assert_eq!(res.json()["user"]["grants"], json!(["create_bookings"]));

    // The next token the user gets carries the change.
    let login = instainstru_accounts::router(env.state.clone());
    let res = Call::post("/api/v1/auth/login")
        .json(json!({ "email": "john.smith@example.com", "password": seed::DEMO_PASSWORD }))
        .send(&login)
        .await;
    let perms = res.json()["user"]["permissions"].clone();
    assert!(!perms.as_array().unwrap().contains(&json!("view_system_analytics")));

    // Making John an instructor gives him an empty, unlisted profile.
    let res = act(&env, &token, "POST", &format!("{base}/roles/instructor")).await;
    assert_eq!(res.json()["user"]["roles"], json!(["student", "instructor"]));
    let profile = instainstru_shared::instructors::editing::get(&env.store, &john.as_instructor()).await.unwrap().value;
    assert!(!profile.is_listed());
    assert_eq!(profile.full_name, "John Smith");
    let res = act(&env, &token, "DELETE", &format!("{base}/roles/instructor")).await;
    assert_eq!(res.json()["user"]["roles"], json!(["student"]));
    let profile = instainstru_shared::instructors::editing::get(&env.store, &john.as_instructor()).await.unwrap().value;
    assert_eq!(profile.status.as_str(), "deactivated", "no longer an instructor: unlisted");

    for (method, uri, name) in
        [("POST", format!("{base}/roles/wizard"), "role"), ("POST", format!("{base}/permissions/fly"), "permission")]
    {
        let res = act(&env, &token, method, &uri).await;
        assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], name);
    }
    let unknown = instainstru_shared::ids::new_id();
    act(&env, &token, "POST", &format!("/api/v1/admin/users/{unknown}/roles/admin"))
        .await
        .assert_problem(404, "user_not_found");

    let log = get(&env, &token, &format!("/api/v1/admin/audit-log?target={john}")).await;
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "role.remove",
            "role.assign",
            "permission.revoke",
            "permission.grant",
            "permission.grant",
            "permission.revoke"
        ]
    );
    assert_eq!(log["items"][5]["before"]["revokes"], json!([]));
    assert_eq!(log["items"][5]["after"]["revokes"], json!(["create_bookings"]));
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let env = TestEnv::seeded().await;
    let token = admin(&env).await;
    let me = seed::user_id(ADMIN);
    act(&env, &token, "DELETE", &format!("/api/v1/admin/users/{me}/roles/admin"))
        .await
        .assert_problem(409, "self_lockout");
    for permission in ["manage_roles", "manage_permissions"] {
        act(&env, &token, "DELETE", &format!("/api/v1/admin/users/{me}/permissions/{permission}"))
            .await
            .assert_problem(409, "self_lockout");
    }
    // Another admin may do it.
    let other = env.token(&instainstru_shared::ids::UserId::generate(), &[Role::Admin], &[], &[]);
    let res = act(&env, &other, "DELETE", &format!("/api/v1/admin/users/{me}/roles/admin")).await;
    assert_eq!(res.json()["user"]["roles"], json!([]));
}

#[tokio::test]
async fn removing_the_instructor_role_waits_for_upcoming_bookings() {
    let env = TestEnv::seeded().await;
    let token = admin(&env).await;
    let sarah = seed::user_id("sarah.chen@example.com");
    let start = jiff::Timestamp::from_second(1_795_791_600 + 86_400).unwrap();
    let booking = instainstru_shared::store::Record::new(
        instainstru_shared::store::keys::booking(&instainstru_shared::ids::BookingId::trusted("01JZ0000000000000000000009")),
        json!({ "entity": "booking", "status": "confirmed", "end": (start + SignedDuration::from_mins(60)).to_string() }),
    )
    .gsi1(instainstru_shared::store::keys::instructor_bookings(&sarah.as_instructor()), format!("{start}#01JZ0000000000000000000009"));
    env.store.put(&booking).await.unwrap();
    act(&env, &token, "DELETE", &format!("/api/v1/admin/users/{sarah}/roles/instructor"))
        .await
        .assert_problem(409, "upcoming_bookings");
}

#[tokio::test]
async fn roles_listing_and_who_may_use_admin_routes() {
    let env = TestEnv::seeded().await;
    let token = admin(&env).await;
    let roles = get(&env, &token, "/api/v1/admin/roles").await;
    assert_eq!(roles["permissions"].as_array().unwrap().len(), 30);
    let counts: Vec<usize> =
        roles["roles"].as_array().unwrap().iter().map(|r| r["permissions"].as_array().unwrap().len()).collect();
    assert_eq!(counts, [10, 13, 30]);

    let student = env.token_for_email("john.smith@example.com").await;
    send(&env, Call::get("/api/v1/admin/users").token(&student)).await.assert_problem(403, "permission_denied");
    send(&env, Call::get("/api/v1/admin/users")).await.assert_problem(401, "authentication_required");
    // A student granted view_all_users may list, but still not change anything.
    let viewer =
        env.token(&seed::user_id("john.smith@example.com"), &[Role::Student], &[Permission::ViewAllUsers], &[]);
    assert_eq!(send(&env, Call::get("/api/v1/admin/users").token(&viewer)).await.status, 200);
    let sarah = seed::user_id("sarah.chen@example.com");
    send(&env, Call::post(&format!("/api/v1/admin/users/{sarah}/suspend")).token(&viewer))
        .await
        .assert_problem(403, "permission_denied");
    // An admin with manage_users revoked cannot suspend.
    let limited = env.token(&seed::user_id(ADMIN), &[Role::Admin], &[], &[Permission::ManageUsers]);
    send(&env, Call::post(&format!("/api/v1/admin/users/{sarah}/suspend")).token(&limited))
        .await
        .assert_problem(403, "permission_denied");
}
