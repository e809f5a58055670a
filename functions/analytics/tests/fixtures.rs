//! The analytics Lambdas' event fixtures (events/sqs, events/schedule), replayed as Lambda
//! delivers them: the SQS batch (a search, an interaction with it, the search delivered a
//! second time, two poison messages) and the scheduler's event for the daily job.

use aws_lambda_events::sqs::SqsEvent;
use instainstru_shared::analytics::{daily, reports, window::Window};
use instainstru_testkit::TestEnv;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../events/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[tokio::test]
async fn the_sqs_batch_applies_each_event_once_and_fails_only_the_poison_messages() {
    let env = TestEnv::seeded().await;
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    let event: SqsEvent = serde_json::from_str(&fixture("sqs/analytics-batch.json")).unwrap();
    assert_eq!(event.records.len(), 5);
    // Lambda retries the batch (say, after a timeout): nothing is counted twice.
    for _ in 0..2 {
        let response = instainstru_analytics::handle_batch(&state, event.clone()).await;
        let failed: Vec<String> = response.batch_item_failures.into_iter().map(|f| f.item_identifier).collect();
        assert_eq!(failed, ["5f0c1c4e-0004-4000-8000-000000000004", "5f0c1c4e-0005-4000-8000-000000000005"]);
    }
    let day = "2026-11-26".parse().unwrap();
    let window = Window { start: day, end: day };
    let summary = reports::summary(&env.store, &window).await.unwrap();
    assert_eq!((summary.total_searches, summary.guest_searches, summary.profile_views), (1, 1, 1));
    let funnel = reports::conversion(&env.store, &window).await.unwrap();
    assert_eq!(funnel.searches_with_profile_view, 1);
    let behaviour = reports::user_behavior(&env.store, &window).await.unwrap();
    let place = |name: &str| behaviour.places.iter().find(|p| p.name == name).map(|p| p.searches);
    assert_eq!(place("brooklyn"), Some(1), "ZIP 11215 is in Brooklyn");
    let device = |name: &str| behaviour.devices.iter().find(|p| p.name == name).map(|p| p.searches);
    assert_eq!(device("mobile"), Some(1));
    let queries = reports::popular_queries(&env.store, &window, 10).await.unwrap();
    assert_eq!(queries.items[0].query, "piano lessons, brooklyn");
}

#[tokio::test]
async fn the_scheduler_event_runs_the_job_for_the_new_york_day_before() {
    let env = TestEnv::seeded().await;
    let event: serde_json::Value = serde_json::from_str(&fixture("schedule/analytics-daily.json")).unwrap();
    let run = instainstru_analytics::run_daily(
        &env.state.for_function(instainstru_shared::function::Function::AnalyticsDaily),
        event,
    )
    .await
    .unwrap();
    // 07:30 UTC on 26 November is 02:30 in New York: the job computes the 25th.
    assert_eq!(run.day, Some("2026-11-25".parse().unwrap()));
    assert_eq!(run.scheduled_for, "2026-11-26T07:30:00Z");
    let report = daily::report(&env.store, "2026-11-25".parse().unwrap()).await.unwrap().unwrap();
    assert_eq!((report.searches, report.bookings_created), (0, 0), "no events, no invented numbers");
}
