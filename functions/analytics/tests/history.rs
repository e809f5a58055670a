//! Search history end to end: `/search` and `POST /search-history` publish events, the
//! worker (through the local event source, as on the platform) applies them, and the
//! history routes read them.

use std::sync::Arc;

use aws_lambda_events::sqs::SqsEvent;
use futures::FutureExt;
use instainstru_shared::{
    clock::Clock,
    history::{self, Owner},
    queue::local::{EventSource, SqsHandler},
    rbac::{Permission, Role},
};
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};

const GUEST: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

fn worker(env: &TestEnv) -> SqsHandler {
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    Arc::new(move |event: SqsEvent| {
        let state = state.clone();
        async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
    })
}

/// Delivers everything queued, as the local platform's event source does.
async fn drain(env: &TestEnv) {
    let source = EventSource::new(env.queue.clone(), worker(env));
    while source.poll_once().await.unwrap().delivered > 0 {}
}

async fn send(env: &TestEnv, call: Call) -> TestResponse {
    call.client_ip("203.0.113.40").send(&instainstru_search::router(env.state.clone())).await
}

fn search_as_guest(q: &str) -> Call {
    Call::get(&format!("/api/v1/search?q={}", q.replace(' ', "%20"))).header("x-guest-session-id", GUEST)
}

async fn recent_as_guest(env: &TestEnv, limit: u32) -> serde_json::Value {
    let res =
        send(env, Call::get(&format!("/api/v1/search-history?limit={limit}")).header("x-guest-session-id", GUEST))
            .await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

#[tokio::test]
async fn the_same_query_three_times_is_one_entry_with_count_three() {
    let env = TestEnv::seeded().await;
    let first_at = env.clock.now();
    for q in ["piano lessons", "Piano  Lessons", "PIANO lessons"] {
        assert_eq!(send(&env, search_as_guest(q)).await.status, 200);
        env.clock.advance(jiff::SignedDuration::from_secs(10));
    }
    send(&env, search_as_guest("guitar")).await;
    drain(&env).await;
    let body = recent_as_guest(&env, 10).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{body}");
    assert_eq!(items[0]["query"], "guitar", "newest first");
    assert_eq!(items[1]["search_count"], 3);
    assert_eq!(items[1]["query"], "PIANO lessons", "the query as last typed");
    // Both instants are present (a missing one must not pass as "earlier"): the first of the
    // three searches, and the third, 20 s later on the test clock.
    let instant = |field: &str| -> jiff::Timestamp {
        let text = items[1][field].as_str().unwrap_or_else(|| panic!("{field} missing: {body}"));
        text.parse().unwrap_or_else(|e| panic!("{field} = {text:?}: {e}"))
    };
    assert_eq!(instant("first_searched_at"), first_at);
    assert_eq!(instant("last_searched_at"), first_at + jiff::SignedDuration::from_secs(20));
    // Default limit is 3; limit is validated.
    assert_eq!(recent_as_guest(&env, 1).await["items"].as_array().unwrap().len(), 1);
    let bad = send(&env, Call::get("/api/v1/search-history?limit=0").header("x-guest-session-id", GUEST)).await;
    bad.assert_problem(400, "invalid_parameter");
}

#[tokio::test]
async fn category_clicks_are_recorded_but_not_offered_as_recent_searches() {
    let env = TestEnv::seeded().await;
    let click = Call::post("/api/v1/search-history")
        .header("x-guest-session-id", GUEST)
        .json(serde_json::json!({ "query": "Music", "search_type": "category_click" }));
    assert_eq!(send(&env, click).await.status, 202);
    let pill = Call::post("/api/v1/search-history")
        .header("x-guest-session-id", GUEST)
        .json(serde_json::json!({ "query": "Piano", "search_type": "service_pill", "result_count": 2 }));
    assert_eq!(send(&env, pill).await.status, 202);
    drain(&env).await;
    let items = recent_as_guest(&env, 10).await["items"].as_array().unwrap().clone();
    assert_eq!(items.iter().map(|i| i["query"].as_str().unwrap()).collect::<Vec<_>>(), ["Piano"]);
    let stored = history::all(&env.store, &Owner::Guest(GUEST.into())).await.unwrap();
    assert_eq!(stored.len(), 2, "the click is kept for analytics");

    for (body, field) in [
        (serde_json::json!({ "query": "", "search_type": "service_pill" }), "query"),
        (serde_json::json!({ "query": "x", "search_type": "query" }), "search_type"),
        (serde_json::json!({ "query": "x", "search_type": "shout" }), "search_type"),
        (serde_json::json!({ "query": "x", "search_type": "service_pill", "extra": 1 }), "extra"),
    ] {
        let res = send(&env, Call::post("/api/v1/search-history").header("x-guest-session-id", GUEST).json(body)).await;
        assert_eq!(res.status, 400, "{}", res.text());
        assert_eq!(res.json()["field"], field);
    }
    let anonymous =
        Call::post("/api/v1/search-history").json(serde_json::json!({ "query": "x", "search_type": "service_pill" }));
    send(&env, anonymous).await.assert_problem(400, "guest_session_required");
}

#[tokio::test]
async fn delete_hides_an_entry_and_other_peoples_ids_are_not_found() {
    let env = TestEnv::seeded().await;
    let student = instainstru_shared::seed::user_id("john.smith@example.com");
    let token = env.token(&student, &[Role::Student], &[], &[]);
    send(&env, Call::get("/api/v1/search?q=chess").token(&token)).await;
    send(&env, search_as_guest("pottery")).await;
    drain(&env).await;
    let mine = send(&env, Call::get("/api/v1/search-history").token(&token)).await.json();
    let id = mine["items"][0]["id"].as_str().unwrap().to_owned();
    let guest_id = recent_as_guest(&env, 3).await["items"][0]["id"].as_str().unwrap().to_owned();

    // The guest cannot delete the user's entry, nor the user the guest's.
    let res =
        send(&env, Call::new("DELETE", &format!("/api/v1/search-history/{id}")).header("x-guest-session-id", GUEST))
            .await;
    res.assert_problem(404, "history_entry_not_found");
    let res = send(&env, Call::new("DELETE", &format!("/api/v1/search-history/{guest_id}")).token(&token)).await;
    res.assert_problem(404, "history_entry_not_found");
    send(&env, Call::new("DELETE", "/api/v1/search-history/nonsense").token(&token))
        .await
        .assert_problem(404, "history_entry_not_found");

    let res = send(&env, Call::new("DELETE", &format!("/api/v1/search-history/{id}")).token(&token)).await;
    assert_eq!(res.status, 204, "{}", res.text());
    let after = send(&env, Call::get("/api/v1/search-history").token(&token)).await.json();
    assert!(after["items"].as_array().unwrap().is_empty());
    send(&env, Call::new("DELETE", &format!("/api/v1/search-history/{id}")).token(&token))
        .await
        .assert_problem(404, "history_entry_not_found");
    // Searching it again starts a fresh entry.
    send(&env, Call::get("/api/v1/search?q=chess").token(&token)).await;
    drain(&env).await;
    let again = send(&env, Call::get("/api/v1/search-history").token(&token)).await.json();
    assert_eq!(again["items"][0]["search_count"], 1);
}

#[tokio::test]
async fn a_signed_in_caller_needs_the_history_permission() {
    let env = TestEnv::seeded().await;
    let student = instainstru_shared::seed::user_id("john.smith@example.com");
    let revoked = env.token(&student, &[Role::Student], &[], &[Permission::ViewOwnSearchHistory]);
    send(&env, Call::get("/api/v1/search-history").token(&revoked)).await.assert_problem(403, "permission_denied");
    send(&env, Call::get("/api/v1/search-history")).await.assert_problem(400, "guest_session_required");
}

#[tokio::test]
async fn the_worker_applies_duplicates_once_and_dead_letters_poison() {
    let env = TestEnv::seeded().await;
    send(&env, search_as_guest("violin")).await;
    let messages = env.queue.messages().await.unwrap();
    assert_eq!(messages.len(), 1);
    // The same event delivered twice (as SQS may), plus a poison message.
    env.queue.send(messages[0].body.clone()).await.unwrap();
    env.queue.send("{not json".into()).await.unwrap();
    env.queue.send(r#"{"id":"01J0000000000000000000000Z","kind":"search.performed","occurred_at":"2026-11-26T15:00:00Z","payload":{"nope":1}}"#.into()).await.unwrap();
    let source = EventSource::new(env.queue.clone(), worker(&env));
    let first = source.poll_once().await.unwrap();
    assert_eq!((first.delivered, first.succeeded, first.failed), (4, 2, 2));
    let items = recent_as_guest(&env, 10).await["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["search_count"], 1, "a duplicate delivery does not count twice");
    // The poison messages come back until maxReceiveCount, then go to the dead-letter queue.
    for _ in 0..instainstru_testkit::EVENTS_MAX_RECEIVES + 1 {
        env.clock.advance(jiff::SignedDuration::from_secs(31));
        source.poll_once().await.unwrap();
    }
    assert!(env.queue.is_empty().await.unwrap());
    assert_eq!(env.queue.dead_letter_queue().unwrap().len().await.unwrap(), 2);
}

#[tokio::test]
async fn history_keeps_at_most_a_thousand_entries_dropping_the_oldest() {
    let env = TestEnv::new().await;
    let owner = Owner::Guest(GUEST.into());
    let start: jiff::Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
    for i in 0..1003 {
        let q = format!("query number {i}");
        let event = instainstru_shared::search::events::SearchEvent {
            query: q.clone(),
            normalized_query: q,
            search_type: instainstru_shared::search::events::SearchType::Query,
            result_count: 0,
            services: vec![],
            shown_instructors: vec![],
        };
        let at = start + jiff::SignedDuration::from_secs(i);
        history::apply_search(&env.store, &format!("E{i}"), &owner, &event, at, start).await.unwrap();
    }
    let all = history::all(&env.store, &owner).await.unwrap();
    assert_eq!(all.len(), 1000);
    assert!(all.iter().all(|r| r.data.query != "query number 0" && r.data.query != "query number 2"));
    assert!(all.iter().any(|r| r.data.query == "query number 3"));
}

#[tokio::test]
async fn signing_in_moves_guest_history_to_the_account_merging_shared_queries() {
    let env = TestEnv::seeded().await;
    let john = instainstru_shared::seed::user_id("john.smith@example.com");
    let token = env.token(&john, &[Role::Student], &[], &[]);
    // John already searched piano once while signed in.
    send(&env, Call::get("/api/v1/search?q=piano").token(&token)).await;
    // Then, as a guest on another device: piano twice and chess.
    for q in ["piano", "Piano", "chess"] {
        send(&env, search_as_guest(q)).await;
        env.clock.advance(jiff::SignedDuration::from_secs(5));
    }
    drain(&env).await;
    // He signs in with the guest session id.
    let login = Call::post("/api/v1/auth/login")
        .header("x-guest-session-id", GUEST)
        .json(serde_json::json!({ "email": "john.smith@example.com", "password": instainstru_shared::seed::DEMO_PASSWORD }))
        .client_ip("203.0.113.41")
        .send(&instainstru_accounts::router(env.state.clone()))
        .await;
    assert_eq!(login.status, 200, "{}", login.text());
    // A guest search still in flight after the sign-in lands on the account too.
    send(&env, search_as_guest("chess")).await;
    drain(&env).await;
    drain(&env).await;

    let mine = send(&env, Call::get("/api/v1/search-history?limit=10").token(&token)).await.json();
    let mut items: Vec<(String, u64)> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["query"].as_str().unwrap().to_lowercase(), i["search_count"].as_u64().unwrap()))
        .collect();
    items.sort();
    assert_eq!(items, [("chess".to_owned(), 2), ("piano".to_owned(), 3)], "merged, not duplicated");
    assert!(
        history::all(&env.store, &Owner::Guest(GUEST.into())).await.unwrap().is_empty(),
        "nothing left on the guest"
    );
}
