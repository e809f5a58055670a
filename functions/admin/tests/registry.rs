//! The report registry is the one place a report is declared: a report added to it (here
//! one defined by this test, in `registry/searches_per_booking.rs`) is served with its
//! JSON and CSV, documented in the OpenAPI document and listed on the dashboard, with no
//! edit to the admin function.

#[path = "registry/searches_per_booking.rs"]
mod searches_per_booking;

use std::sync::LazyLock;

use instainstru_shared::{
    analytics::reports::{self, Report},
    ids,
    rbac::Role,
};
use instainstru_testkit::{
    TestEnv,
    generate::Generator,
    http_test::{Call, TestResponse},
    sqs_batch,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

/// The production registry plus the test's one row.
static REGISTRY: LazyLock<Vec<Report>> = LazyLock::new(|| {
    let mut registry = reports::REGISTRY.to_vec();
    registry.push(Report {
        name: "searches-per-booking",
        description: "the window's searches and bookings created",
        compute: searches_per_booking::compute,
        schema: reports::schema::<searches_per_booking::SearchesPerBooking>,
    });
    registry
});

async fn send(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&instainstru_admin::router_with(env.state.clone(), REGISTRY.as_slice())).await
}

/// Twelve searches and three bookings in the last week, through the analytics worker.
async fn feed(env: &TestEnv) {
    let mut g = Generator::new(5, 6, 6, 4);
    let now: Timestamp = TestEnv::DEFAULT_NOW.parse().unwrap();
    let mut events: Vec<_> = (0..12).map(|i| g.search(now - SignedDuration::from_hours(i * 9 + 1))).collect();
    events.extend((0..3).map(|i| g.booking("booking.created", now - SignedDuration::from_hours(i * 20 + 2))));
    let response = instainstru_analytics::handle_batch(
        &env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker),
        sqs_batch(&events),
    )
    .await;
    assert!(response.batch_item_failures.is_empty());
}

#[tokio::test]
async fn a_report_added_to_the_registry_is_served_documented_and_listed() {
    let env = TestEnv::new().await;
    feed(&env).await;
    let token = env.token(&ids::UserId::generate(), &[Role::Admin], &[], &[]);

    let res = send(&env, Call::get("/api/v1/admin/analytics/searches-per-booking?days=7").token(&token)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body: Value = res.json();
    let summary: Value = send(&env, Call::get("/api/v1/admin/analytics/summary?days=7").token(&token)).await.json();
    assert_eq!(body["searches"], 12);
    assert_eq!(body["searches"], summary["total_searches"]);
    assert_eq!(body["bookings_created"], 3);
    assert_eq!(body["bookings_created"], summary["bookings_created"]);

    let csv = send(&env, Call::get("/api/v1/admin/analytics/searches-per-booking/export?days=7").token(&token)).await;
    assert_eq!(csv.status, 200, "{}", csv.text());
    assert_eq!(csv.text(), "searches,bookings_created\r\n12,3\r\n");
    let disposition = csv.header("content-disposition").unwrap();
    assert!(disposition.contains("instainstru-searches-per-booking-"), "{disposition}");

    // The production router does not know it.
    let res = Call::get("/api/v1/admin/analytics/searches-per-booking?days=7")
        .token(&token)
        .send(&instainstru_admin::router(env.state.clone()))
        .await;
    assert_eq!(res.status, 404);
    assert!(res.text().contains("searches-per-booking") && res.text().contains("user-behavior"), "{}", res.text());

    let (_, doc) = instainstru_admin::api_with(REGISTRY.as_slice()).split_for_parts();
    let doc = serde_json::to_value(doc).unwrap();
    let operation = &doc["paths"]["/api/v1/admin/analytics/{report}"]["get"];
    let names: Vec<&str> =
        operation["parameters"][0]["schema"]["enum"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    let expected: Vec<&str> = REGISTRY.iter().map(|r| r.name).collect();
    assert_eq!(names, expected);
    assert!(
        operation["parameters"][0]["description"].as_str().unwrap().contains("`searches-per-booking`: the window's")
    );
    let one_of = doc["components"]["schemas"]["Report"]["oneOf"].as_array().unwrap();
    assert!(one_of.iter().any(|s| s["$ref"] == "#/components/schemas/SearchesPerBooking"), "{one_of:?}");
    assert!(doc["components"]["schemas"]["SearchesPerBooking"]["properties"]["bookings_created"].is_object());

    let page = send(&env, Call::get("/api/v1/admin/dashboard")).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    for report in REGISTRY.iter() {
        assert!(html.contains(&format!("data-report=\"{}\"", report.name)), "{} not listed", report.name);
    }
    assert!(html.contains("<strong>searches-per-booking</strong>: the window's searches and bookings created"));
    // The production page lists the production registry only.
    let page = Call::get("/api/v1/admin/dashboard").send(&instainstru_admin::router(env.state.clone())).await.text();
    assert_eq!(page.matches("<li><button").count(), reports::REGISTRY.len());
    assert!(!page.contains("searches-per-booking"));
}
