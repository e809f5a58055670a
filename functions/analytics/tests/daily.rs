//! The daily job: figures from the recorded events only (a service nobody searched for or
//! booked has zeros), the same items when run twice for a day, a past day on request,
//! the catalog ordered by demand, and retention (old IP salts destroyed).

use std::collections::{BTreeMap, HashMap};

use instainstru_shared::{
    analytics::{apply::day_of, daily},
    catalog,
    clock::Clock,
    privacy::DailySalt,
    queue::Envelope,
    search::events::SearchPayload,
    store::{Index, Query},
};
use instainstru_testkit::{TestEnv, generate::Generator, sqs_batch};
use jiff::{SignedDuration, Timestamp, civil::Date};

async fn feed(env: &TestEnv, events: &[Envelope]) {
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    for chunk in events.chunks(10) {
        assert!(instainstru_analytics::handle_batch(&state, sqs_batch(chunk)).await.batch_item_failures.is_empty());
    }
}

fn yesterday() -> Date {
    day_of(TestEnv::DEFAULT_NOW.parse().unwrap()).yesterday().unwrap()
}

/// Searches and bookings over the 40 days before today.
fn events() -> Vec<Envelope> {
    let mut g = Generator::new(21, 15, 15, 8);
    let now: Timestamp = TestEnv::DEFAULT_NOW.parse().unwrap();
    let mut out = Vec::new();
    for _ in 0..300 {
        let at = now - SignedDuration::from_secs(g.below(40 * 24 * 3600) as i64 + 11 * 3600);
        out.push(g.search(at));
    }
    for i in 0..60 {
        let at = now - SignedDuration::from_secs(g.below(40 * 24 * 3600) as i64 + 11 * 3600);
        out.push(g.booking(if i % 2 == 0 { "booking.created" } else { "booking.completed" }, at));
    }
    out
}

#[tokio::test]
async fn figures_come_from_events_only_and_a_rerun_changes_nothing() {
    let env = TestEnv::seeded().await;
    let events = events();
    feed(&env, &events).await;
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsDaily);
    let day = yesterday();

    let first = instainstru_analytics::run_for_day(&state, day).await.unwrap();
    let stats_once = daily::service_stats_of(&env.store, day).await.unwrap();
    let report_once = daily::report(&env.store, day).await.unwrap().unwrap();
    let order_once: Vec<(String, u32)> =
        catalog::load(&env.store).await.unwrap().services.iter().map(|s| (s.slug.clone(), s.display_order)).collect();

    let second = instainstru_analytics::run_for_day(&state, day).await.unwrap();
    assert_eq!(second.reordered, 0, "the first run already put the catalog in order");
    assert_eq!(first.report, second.report);
    let mut stats_twice = daily::service_stats_of(&env.store, day).await.unwrap();
    let mut sorted_once = stats_once.clone();
    sorted_once.sort_by(|a, b| a.service.cmp(&b.service));
    stats_twice.sort_by(|a, b| a.service.cmp(&b.service));
    assert_eq!(sorted_once, stats_twice);
    assert_eq!(daily::report(&env.store, day).await.unwrap().unwrap(), report_once);
    let order_twice: Vec<(String, u32)> =
        catalog::load(&env.store).await.unwrap().services.iter().map(|s| (s.slug.clone(), s.display_order)).collect();
    assert_eq!(order_once, order_twice);

    // Every figure, recomputed from the events.
    let week_start = day.checked_sub(jiff::Span::new().days(6)).unwrap();
    let month_start = day.checked_sub(jiff::Span::new().days(29)).unwrap();
    let mut searches: HashMap<String, (i64, i64)> = HashMap::new();
    let mut bookings: HashMap<String, (i64, Vec<i64>)> = HashMap::new();
    let mut day_searches = 0;
    for e in &events {
        let d = day_of(e.occurred_at.parse().unwrap());
        if d < month_start || d > day {
            continue;
        }
        if e.kind == "search.performed" {
            day_searches += i64::from(d == day);
            let p: SearchPayload = serde_json::from_value(e.payload.clone()).unwrap();
            let mut services = p.search.services.clone();
            services.sort();
            services.dedup();
            for s in services {
                let entry = searches.entry(s).or_default();
                entry.1 += 1;
                entry.0 += i64::from(d >= week_start);
            }
        } else {
            let service = e.payload["service"].as_str().unwrap().to_owned();
            let entry = bookings.entry(service).or_default();
            if e.kind == "booking.created" {
                entry.0 += 1;
            } else {
                entry.1.push(e.payload["price_cents"].as_i64().unwrap());
            }
        }
    }
    assert_eq!(report_once.searches, day_searches);
    let catalog = catalog::load(&env.store).await.unwrap();
    assert_eq!(stats_once.len(), catalog.services.len(), "one item per catalog service");
    let mut silent = 0;
    for s in &stats_once {
        let (week, month) = searches.get(&s.service).copied().unwrap_or((0, 0));
        let (created, completed) = bookings.get(&s.service).cloned().unwrap_or_default();
        assert_eq!((s.searches_7d, s.searches_30d), (week, month), "{}", s.service);
        assert_eq!(s.bookings_30d, created, "{}", s.service);
        assert_eq!(s.completed_30d, completed.len() as i64);
        assert_eq!(s.revenue_30d_cents, completed.iter().sum::<i64>());
        assert_eq!(s.demand_score, month + 5 * created);
        let mut prices = completed.clone();
        prices.sort();
        let p50 = (!prices.is_empty()).then(|| prices[prices.len().div_ceil(2) - 1] as u32);
        assert_eq!(s.price_p50_cents, p50, "{}", s.service);
        if month == 0 && created == 0 && completed.is_empty() {
            silent += 1;
            assert_eq!((s.demand_score, s.trending, s.price_p25_cents), (0, false, None), "nothing invented");
            assert!(s.needs_instructors.is_empty());
        }
    }
    assert!(silent > 200, "most of the 250 services had no events: {silent}");

    // Within each category the most demanded service comes first.
    let demand: BTreeMap<&str, i64> = stats_once.iter().map(|s| (s.service.as_str(), s.demand_score)).collect();
    for category in &catalog.categories {
        let services: Vec<_> = catalog.services_in(&category.slug).collect();
        let mut ordered = services.clone();
        ordered.sort_by_key(|s| s.display_order);
        for pair in ordered.windows(2) {
            assert!(
                demand[pair[0].slug.as_str()] >= demand[pair[1].slug.as_str()],
                "{} before {}",
                pair[0].slug,
                pair[1].slug
            );
        }
    }
}

#[tokio::test]
async fn the_scheduled_run_computes_yesterday_records_itself_and_destroys_old_salts() {
    let env = TestEnv::seeded().await;
    let now = env.clock.now();
    // Salts of three days: the one from two days ago must go, yesterday's and today's stay.
    for hours_ago in [48, 24, 0] {
        DailySalt::for_instant(&env.store, now - SignedDuration::from_hours(hours_ago)).await.unwrap();
    }
    let event = serde_json::json!({ "version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler",
        "time": now.to_string(), "detail": {} });
    let run = instainstru_analytics::run_daily(
        &env.state.for_function(instainstru_shared::function::Function::AnalyticsDaily),
        event,
    )
    .await
    .unwrap();
    assert_eq!(run.day, Some(yesterday()));
    assert_eq!(daily::last_run(&env.store).await.unwrap().unwrap(), run);
    let salts = env.store.query_items(Query::partition(Index::Table, "SALT")).await.unwrap();
    let days: Vec<String> = salts.iter().map(|i| i["SK"].as_s().unwrap().clone()).collect();
    let today = day_of(now);
    assert_eq!(days, [format!("DAY#{}", today.yesterday().unwrap()), format!("DAY#{today}")]);

    // A past day on request: the latest computed day does not go backwards.
    let past: Date = "2026-10-01".parse().unwrap();
    let outcome = instainstru_analytics::run_for_day(&env.state, past).await.unwrap();
    assert_eq!((outcome.day, outcome.reordered), (past, 0), "a backfill never reorders the catalog");
    let run = daily::record_run(&env.store, now, now, past).await.unwrap();
    assert_eq!(run.latest_day, Some(yesterday()));
    assert!(daily::report(&env.store, past).await.unwrap().is_some());
}

/// The demand score and price percentiles of one service from a handful of events whose
/// answers are worked out by hand (the test above recomputes them with the job's own
/// formula, `searches + 5 × bookings created`, so a wrong formula would pass there).
#[tokio::test]
async fn the_demand_score_and_price_percentiles_of_a_small_day_are_the_hand_computed_ones() {
    let env = TestEnv::seeded().await;
    let mut g = Generator::new(31, 4, 4, 4);
    // Yesterday 10:00 in New York: inside the day the job computes.
    let at: Timestamp = TestEnv::DEFAULT_NOW.parse::<Timestamp>().unwrap() - SignedDuration::from_hours(24);
    let mut events = Vec::new();
    for _ in 0..3 {
        let mut search = g.search(at);
        search.payload["services"] = serde_json::json!(["piano"]);
        events.push(search);
    }
    for (kind, price) in [
        ("booking.created", 9900),
        ("booking.created", 9900),
        ("booking.completed", 3000),
        ("booking.completed", 1000),
        ("booking.completed", 4000),
        ("booking.completed", 2000),
    ] {
        let mut booking = g.booking(kind, at);
        booking.payload["service"] = serde_json::json!("piano");
        booking.payload["price_cents"] = serde_json::json!(price);
        events.push(booking);
    }
    feed(&env, &events).await;
    let day = yesterday();
    instainstru_analytics::run_for_day(
        &env.state.for_function(instainstru_shared::function::Function::AnalyticsDaily),
        day,
    )
    .await
    .unwrap();
    let stats = daily::service_stats_of(&env.store, day).await.unwrap();
    let piano = stats.iter().find(|s| s.service == "piano").expect("piano is in the catalog");
    // 3 searches + 5 × 2 bookings created = 3 + 10 = 13.
    assert_eq!((piano.searches_30d, piano.bookings_30d, piano.demand_score), (3, 2, 13));
    // Completed prices 1000 < 2000 < 3000 < 4000; nearest rank ceil(p/100 × 4): p25 → 1st,
    // p50 → 2nd, p75 → 3rd, p90 → ceil(3.6) = 4th. Revenue 1000+2000+3000+4000 = 10000.
    assert_eq!(
        (piano.price_p25_cents, piano.price_p50_cents, piano.price_p75_cents, piano.price_p90_cents),
        (Some(1000), Some(2000), Some(3000), Some(4000))
    );
    assert_eq!((piano.completed_30d, piano.revenue_30d_cents), (4, 10_000));
}
