//! Monitoring and dead letters through HTTP (`access_monitoring`): the platform's health in
//! one call, a poison event inspected and redriven, and who may do it.

use instainstru_shared::{
    queue::Envelope,
    store::{Key, Record},
};
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};
use serde_json::{Value, json};

async fn send(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&instainstru_admin::router(env.state.clone())).await
}

async fn monitoring(env: &TestEnv, token: &str) -> Value {
    let res = send(env, Call::get("/api/v1/admin/monitoring").token(token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

fn queue<'a>(body: &'a Value, name: &str) -> &'a Value {
    body["queues"].as_array().unwrap().iter().find(|q| q["name"] == name).unwrap()
}

#[tokio::test]
async fn monitoring_reports_table_queues_outbox_and_the_daily_run() {
    let env = TestEnv::seeded().await;
    let admin = env.token_for_email("admin@instainstru.com").await;

    let body = monitoring(&env, &admin).await;
    assert_eq!(body["table"]["reachable"], true);
    assert_eq!(body["outbox_pending"], 0);
    assert_eq!(queue(&body, "events")["dead_letter"]["visible"], 0);
    assert_eq!(queue(&body, "notifications")["queue"]["visible"], 0);
    assert_eq!(body["daily_run"], Value::Null);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["problems"], json!(["the daily job has never run"]));

    // The daily job finished 5 hours ago: healthy.
    let run = json!({ "entity": "daily_run", "scheduled_for": "2026-11-26T07:30:00Z", "finished_at": "2026-11-26T10:00:00Z" });
    let record = Record::new(Key::new("META", "DAILY_RUN"), run);
    env.store.put(&record).await.unwrap();
    let body = monitoring(&env, &admin).await;
    assert_eq!(body["status"], "ok", "{body:#}");
    assert_eq!(body["daily_run"]["age_hours"], 5);
    assert_eq!(body["daily_run"]["stale"], false);

    // Two days later with no newer run: stale.
    env.clock.set("2026-11-28T15:00:00Z".parse().unwrap());
    let admin = env.token_for_email("admin@instainstru.com").await;
    let body = monitoring(&env, &admin).await;
    assert_eq!(body["daily_run"]["stale"], true);
    assert_eq!(body["problems"], json!(["the daily job last finished 53 hours ago"]));
}

#[tokio::test]
async fn a_dead_lettered_event_is_seen_inspected_and_redriven() {
    let env = TestEnv::seeded().await;
    let admin = env.token_for_email("admin@instainstru.com").await;
    let poison = Envelope::new("search.performed", env.state.clock.now(), json!({ "query": 42 }));
    env.queue.dead_letter_queue().unwrap().send(serde_json::to_string(&poison).unwrap()).await.unwrap();

    let body = monitoring(&env, &admin).await;
    assert_eq!(queue(&body, "events")["dead_letter"]["visible"], 1);
    assert!(body["problems"].as_array().unwrap().contains(&json!("the events dead-letter queue holds 1 messages")));

    let res = send(&env, Call::get("/api/v1/admin/queues/events/dead-letters").token(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let messages = res.json()["messages"].clone();
    assert_eq!(messages.as_array().unwrap().len(), 1);
    assert_eq!(messages[0]["event_id"], poison.id.as_str());
    assert_eq!(messages[0]["event_kind"], "search.performed");

    let res = send(&env, Call::post("/api/v1/admin/queues/events/redrive?max=10").token(&admin)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({ "queue": "events", "moved": 1 }));
    assert_eq!(env.queue.len().await.unwrap(), 1, "back on the events queue");
    let body = monitoring(&env, &admin).await;
    assert_eq!(queue(&body, "events")["dead_letter"]["visible"], 0);
    assert_eq!(queue(&body, "events")["queue"]["visible"], 1);
}

#[tokio::test]
async fn only_monitoring_staff_may_look_and_bad_requests_name_their_field() {
    let env = TestEnv::seeded().await;
    let admin = env.token_for_email("admin@instainstru.com").await;
    let student = env.token_for_email("john.smith@example.com").await;
    for (method, uri) in [
        ("GET", "/api/v1/admin/monitoring"),
        ("GET", "/api/v1/admin/queues/events/dead-letters"),
        ("POST", "/api/v1/admin/queues/events/redrive"),
    ] {
        send(&env, Call::new(method, uri).token(&student)).await.assert_problem(403, "permission_denied");
        send(&env, Call::new(method, uri)).await.assert_problem(401, "authentication_required");
    }
    let res = send(&env, Call::get("/api/v1/admin/queues/payments/dead-letters").token(&admin)).await;
    assert_eq!(res.assert_problem(404, "unknown_queue")["field"], "queue");
    let res = send(&env, Call::get("/api/v1/admin/queues/events/dead-letters?limit=0").token(&admin)).await;
    assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], "limit");
    let res = send(&env, Call::post("/api/v1/admin/queues/events/redrive?max=5000").token(&admin)).await;
    assert_eq!(res.assert_problem(400, "invalid_parameter")["field"], "max");
}
