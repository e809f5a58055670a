//! `GET /api/v1/search` through HTTP over the seeded demo data.

use instainstru_shared::{
    queue::Envelope,
    search::events::{SEARCH_PERFORMED, SEARCH_UNTRACKED, SearchPayload},
};
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};

async fn search(env: &TestEnv, q: &str) -> TestResponse {
    let uri = format!("/api/v1/search?q={}", urlencode(q));
    Call::get(&uri).client_ip("203.0.113.9").send(&instainstru_search::router(env.state.clone())).await
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The results that kept `rule` (did not relax it). A rule checked over no results checks
/// nothing, so the set must not be empty.
fn keeping<'a>(q: &str, results: &'a [serde_json::Value], rule: &str) -> Vec<&'a serde_json::Value> {
    let kept: Vec<_> = results.iter().filter(|r| !r["relaxed"].as_array().unwrap().iter().any(|x| x == rule)).collect();
    assert!(!kept.is_empty(), "{q}: every result relaxed {rule}, so the test would check nothing");
    kept
}

async fn published(env: &TestEnv) -> Vec<Envelope> {
    env.queue.messages().await.unwrap().iter().map(|m| serde_json::from_str(&m.body).unwrap()).collect()
}

#[tokio::test]
async fn a_search_explains_itself_and_returns_ranked_results() {
    let env = TestEnv::seeded().await;
    let res = search(&env, "piano under $100 in brooklyn").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["query"], "piano under $100 in brooklyn");
    assert_eq!(body["understood"]["service"]["target"]["slugs"][0], "piano");
    assert_eq!(body["understood"]["price"]["max_cents"], 10000);
    assert_eq!(body["understood"]["place"]["borough"], "brooklyn");
    let results = body["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        assert_eq!(result["offerings"][0]["service"], "piano");
        assert_eq!(result["offerings"][0]["matches"], true);
        assert!(!result.to_string().contains("@example.com"), "no contact data in search results");
    }
    for result in keeping("piano under $100 in brooklyn", results, "price") {
        assert!(result["offerings"][0]["rate_cents"].as_u64().unwrap() <= 10_000, "{result}");
    }
    assert_eq!(body["total"].as_u64().unwrap() as usize, results.len());
    assert!(body["search_event_id"].as_str().unwrap().len() == 26);
    assert_eq!(res.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn a_typo_is_corrected_and_reported() {
    let env = TestEnv::seeded().await;
    let body = search(&env, "piono lessons").await.json();
    assert_eq!(body["understood"]["corrected_query"], "piano lessons");
    let results = body["results"].as_array().unwrap();
    assert!(!results.is_empty(), "the corrected query finds piano teachers");
    assert!(results.iter().all(|r| r["offerings"][0]["service"] == "piano"), "only piano: {results:?}");
}

#[tokio::test]
async fn bad_queries_are_400s_never_500s() {
    let env = TestEnv::seeded().await;
    let router = instainstru_search::router(env.state.clone());
    for (uri, code, field) in [
        ("/api/v1/search", "empty_query", "q"),
        ("/api/v1/search?q=", "empty_query", "q"),
        ("/api/v1/search?q=%20%20%09", "empty_query", "q"),
        ("/api/v1/search?q=piano&limit=0", "invalid_parameter", "limit"),
        ("/api/v1/search?q=piano&limit=51", "invalid_parameter", "limit"),
        ("/api/v1/search?q=piano&limit=x", "invalid_parameter", "limit"),
    ] {
        let body = Call::get(uri).send(&router).await.assert_problem(400, code);
        assert_eq!(body["field"], field, "{uri}");
    }
    let long = "a".repeat(201);
    let body = search(&env, &long).await.assert_problem(400, "query_too_long");
    assert_eq!(body["field"], "q");
    assert_eq!(search(&env, &"a".repeat(200)).await.status, 200, "exactly 200 characters is fine");
    let guest = Call::get("/api/v1/search?q=piano").header("x-guest-session-id", "nope").send(&router).await;
    guest.assert_problem(400, "invalid_guest_session_id");
}

#[tokio::test]
async fn any_unicode_gets_an_answer_not_a_500() {
    let env = TestEnv::seeded().await;
    for q in [
        "🎹🎸",
        "español",
        "日本語のレッスン",
        "piano\u{0}\u{1b}[31m",
        "\u{202e}onaip",
        "ß ẞ ﬁ",
        "𝓅𝒾𝒶𝓃ℴ",
        "%%%",
        "' OR 1=1 --",
    ] {
        let res = search(&env, q).await;
        assert!(res.status == 200 || res.status == 400, "{q:?}: {} {}", res.status, res.text());
    }
}

#[tokio::test]
async fn every_search_publishes_one_event_with_a_salted_ip_hash() {
    let env = TestEnv::seeded().await;
    let router = instainstru_search::router(env.state.clone());
    let res = Call::get("/api/v1/search?q=guitar")
        .client_ip("198.51.100.23")
        .header("x-guest-session-id", "3f2504e0-4f89-41d3-9a0c-0305e82c3301")
        .header("x-session-id", "browser-session-1")
        .header("x-search-origin", "/home")
        .header("user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)")
        .send(&router)
        .await;
    let id = res.json()["search_event_id"].as_str().unwrap().to_owned();
    let events = published(&env).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, id);
    assert_eq!(events[0].kind, SEARCH_PERFORMED);
    let payload: SearchPayload = serde_json::from_value(events[0].payload.clone()).unwrap();
    assert_eq!(payload.search.normalized_query, "guitar");
    assert_eq!(payload.context.guest_session_id.as_deref(), Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
    assert_eq!(payload.context.origin.as_deref(), Some("/home"));
    assert_eq!(payload.search.result_count, res.json()["total"].as_u64().unwrap() as usize);
    let hash = payload.ip_hash.expect("an IP hash");
    assert_eq!(hash.len(), 32);
    assert!(!events[0].payload.to_string().contains("198.51.100.23"), "no raw IP in the event");
}

#[tokio::test]
async fn do_not_track_records_no_analytics_event() {
    let env = TestEnv::seeded().await;
    let router = instainstru_search::router(env.state.clone());
    for header in ["dnt", "sec-gpc"] {
        Call::get("/api/v1/search?q=yoga")
            .client_ip("198.51.100.23")
            .header(header, "1")
            .header("user-agent", "Mozilla/5.0")
            .send(&router)
            .await;
    }
    let events = published(&env).await;
    assert_eq!(events.len(), 2);
    for event in events {
        assert_eq!(event.kind, SEARCH_UNTRACKED);
        let payload: SearchPayload = serde_json::from_value(event.payload).unwrap();
        assert_eq!(payload.ip_hash, None);
        assert_eq!(payload.context.user_agent, None);
        assert!(payload.search.shown_instructors.is_empty());
    }
}

#[tokio::test]
async fn search_is_rate_limited_per_ip() {
    let env = TestEnv::seeded().await;
    let router = instainstru_search::router(env.state.clone());
    for _ in 0..120 {
        let res = Call::get("/api/v1/search?q=chess").client_ip("192.0.2.77").send(&router).await;
        assert_eq!(res.status, 200);
    }
    let res = Call::get("/api/v1/search?q=chess").client_ip("192.0.2.77").send(&router).await;
    res.assert_problem(429, "rate_limited");
    assert!(res.header("retry-after").is_some());
    let other = Call::get("/api/v1/search?q=chess").client_ip("192.0.2.78").send(&router).await;
    assert_eq!(other.status, 200);
}

#[tokio::test]
async fn a_named_service_returns_only_its_instructors_through_http() {
    let env = TestEnv::seeded().await;
    for (q, service) in [("guitar", "guitar"), ("keys lessons", "piano"), ("vocals", "voice")] {
        let body = search(&env, q).await.json();
        let results = body["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{q}");
        for result in results {
            for offering in result["offerings"].as_array().unwrap() {
                assert_eq!(offering["matches"] == true, offering["service"] == service, "{q}: {offering}");
            }
        }
    }
}

#[tokio::test]
async fn a_borough_returns_in_person_offerings_covering_it_or_online_ones_when_asked() {
    let env = TestEnv::seeded().await;
    let body = search(&env, "tutoring in queens").await.json();
    let results = body["results"].as_array().unwrap();
    for result in keeping("tutoring in queens", results, "place") {
        let offering = &result["offerings"][0];
        assert!(offering["location_types"].as_array().unwrap().iter().any(|t| t == "in_person"), "{offering}");
        let areas: Vec<String> =
            result["instructor"]["areas"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect();
        assert!(instainstru_shared::places::places().covers_borough(&areas, "queens"), "{areas:?}");
    }
    let body = search(&env, "spanish online in queens").await.json();
    let results = body["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let offering = &result["offerings"][0];
        assert!(offering["location_types"].as_array().unwrap().iter().any(|t| t == "online"), "{offering}");
    }
}
