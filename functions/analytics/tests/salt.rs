//! IPs end to end, from `/search` through the worker to the stored events: the same IP on
//! one day is one hash, the next day another; two days on, the old salt is gone, so no
//! stored hash can be linked back to an IP; and no log line, at any level, holds the IP.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use aws_lambda_events::sqs::SqsEvent;
use futures::FutureExt;
use instainstru_shared::{
    analytics::{
        apply::day_of,
        keys,
        record::StoredEvent,
        sets::{DailySets, Set},
    },
    clock::Clock,
    privacy::DailySalt,
    queue::local::{EventSource, SqsHandler},
    store::{Index, Query, Record},
};
use instainstru_testkit::{TestEnv, http_test::Call};
use jiff::{SignedDuration, civil::Date};

const IP: &str = "203.0.113.99";

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn worker(env: &TestEnv) -> SqsHandler {
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    Arc::new(move |event: SqsEvent| {
        let state = state.clone();
        async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
    })
}

async fn search(env: &TestEnv, q: &str) {
    let res = Call::get(&format!("/api/v1/search?q={q}"))
        .client_ip(IP)
        .header("x-guest-session-id", "3f2504e0-4f89-41d3-9a0c-0305e82c3301")
        .header("x-forwarded-for", IP)
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
        .send(&instainstru_search::router(env.state.clone()))
        .await;
    assert_eq!(res.status, 200);
    let source = EventSource::new(env.queue.clone(), worker(env));
    while source.poll_once().await.unwrap().delivered > 0 {}
}

async fn ip_hashes(env: &TestEnv, date: Date) -> Vec<String> {
    let records: Vec<Record<StoredEvent>> =
        env.store.query_all(Query::partition(Index::Table, keys::events_of(date))).await.unwrap();
    records
        .into_iter()
        .filter_map(|r| match r.data {
            StoredEvent::Search(s) => s.ip_hash,
            StoredEvent::Interaction(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn one_hash_per_ip_per_day_unlinkable_after_48_hours_and_never_logged() {
    let logs = Logs::default();
    let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(logs.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let env = TestEnv::seeded().await;
    let day1 = day_of(env.clock.now());
    search(&env, "piano").await;
    env.clock.advance(SignedDuration::from_hours(2));
    search(&env, "guitar").await;
    let first = ip_hashes(&env, day1).await;
    assert_eq!(first.len(), 2);
    assert_eq!(first[0], first[1], "the same IP on one day is one hash");
    let sets = DailySets::read(&env.store, day1, day1).await.unwrap();
    assert_eq!(sets.count_on(day1, Set::Ips), 1, "one distinct IP that day");

    env.clock.advance(SignedDuration::from_hours(24));
    let day2 = day_of(env.clock.now());
    search(&env, "piano").await;
    let second = ip_hashes(&env, day2).await;
    assert_eq!(second.len(), 1);
    assert_ne!(second[0], first[0], "the next day, another hash");

    // Two days after day 1's salt was made, the daily job has destroyed it: nothing left
    // can recompute day 1's hashes from an IP.
    env.clock.advance(SignedDuration::from_hours(24));
    let event = serde_json::json!({ "time": env.clock.now().to_string() });
    instainstru_analytics::run_daily(
        &env.state.for_function(instainstru_shared::function::Function::AnalyticsDaily),
        event,
    )
    .await
    .unwrap();
    let salts = env.store.query_items(Query::partition(Index::Table, "SALT")).await.unwrap();
    assert!(salts.iter().all(|i| i["SK"].as_s().unwrap() != &format!("DAY#{day1}")), "day 1's salt item is gone");
    assert!(DailySalt::stored(&env.store, day1, env.clock.now()).await.unwrap().is_none());
    // A new salt for a later day cannot reproduce the old hashes.
    let today = DailySalt::for_instant(&env.store, env.clock.now()).await.unwrap();
    assert_ne!(today.hash(IP), first[0]);

    // Nowhere in the table, nowhere in the logs.
    let everything = env.store.query_items(Query::partition(Index::Table, keys::events_of(day1))).await.unwrap();
    assert!(!format!("{everything:?}").contains(IP));
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("daily analytics job finished"), "the logs were captured");
    assert!(!text.contains(IP), "an IP in the logs");
}
