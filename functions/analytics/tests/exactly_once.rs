//! The worker applies each event exactly once: duplicates in the queue, batches
//! redelivered after a crash (whole or half applied) change nothing, on dynoxide and on
//! moto. Poison messages fail alone and end in the dead-letter queue; do-not-track events
//! are counted and nothing more.

use instainstru_shared::ids::InstructorId;
use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::Arc,
};

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use futures::FutureExt;
use instainstru_shared::{
    analytics::{
        apply::day_of,
        events::{InteractionPayload, InteractionType},
        instructor, keys,
        reports::{self},
        window::Window,
    },
    queue::{
        Envelope,
        local::{EventSource, SqsHandler},
    },
    search::events::SearchPayload,
    store::{Index, Query},
};
use instainstru_testkit::{Backend, TestEnv, generate::Generator};
use jiff::{SignedDuration, Timestamp};

fn message(envelope: &Envelope, delivery: usize) -> SqsMessage {
    let mut message = SqsMessage::default();
    // SQS gives a duplicate its own message id; the envelope id is what de-duplicates.
    message.message_id = Some(format!("{}-{delivery}", envelope.id));
    message.body = Some(serde_json::to_string(envelope).unwrap());
    message
}

fn batch(messages: &[SqsMessage]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = messages.to_vec();
    event
}

/// How many distinct events, and how many of them are tracked searches and interactions
/// (the last tenth are booking events, the rest do-not-track searches and interactions).
#[derive(Clone, Copy)]
struct Mix {
    total: usize,
    searches: usize,
    interactions: usize,
}

/// Distinct events over three New York days: searches, interactions with their results,
/// do-not-track events and booking events.
fn distinct_events(mix: Mix) -> Vec<Envelope> {
    let mut g = Generator::new(7, 25, 25, 12);
    let start: Timestamp = "2026-11-20T14:00:00Z".parse().unwrap();
    let mut events = Vec::new();
    let mut searches = Vec::new();
    for i in 0..mix.searches {
        // Spread over three days, including the minutes around New York midnight.
        let at = start + SignedDuration::from_mins((i * 3 * 24 * 60 / mix.searches) as i64);
        let search = g.search(at);
        searches.push(search.clone());
        events.push(search);
    }
    let kinds = [InteractionType::Click, InteractionType::ViewProfile, InteractionType::Book];
    let mut i = 0;
    while events.len() < mix.searches + mix.interactions {
        let search = &searches[g.below(searches.len())];
        if let Some(interaction) = g.interaction(search, kinds[i % 3]) {
            events.push(interaction);
        }
        i += 1;
    }
    let mut k = 0;
    while events.len() < mix.total * 9 / 10 {
        let at = start + SignedDuration::from_mins(k * 5);
        events.push(if k % 2 == 0 {
            g.untracked_search(at)
        } else {
            Envelope::new("search.interaction_untracked", at, serde_json::json!({ "interaction_type": "click" }))
        });
        k += 1;
    }
    let booking_kinds = ["booking.created", "booking.created", "booking.completed", "booking.cancelled"];
    for i in 0..mix.total / 10 {
        events.push(g.booking(booking_kinds[i % 4], start + SignedDuration::from_mins(i as i64 * 37)));
    }
    events
}

async fn exactly_once_on(backend: Backend, mix: Mix) {
    // Printed only when the test fails: why a batch item failed.
    let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    let env = backend.env().await;
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    let events = distinct_events(mix);
    assert_eq!(events.len(), mix.total);

    // The queue's view: every event once, 10% of them a second time, in a shuffled order.
    let mut g = Generator::new(99, 1, 1, 1);
    let mut deliveries: Vec<SqsMessage> = events.iter().map(|e| message(e, 0)).collect();
    for k in 0..mix.total / 10 {
        let duplicate = message(&events[g.below(events.len())], k + 1);
        let at = g.below(deliveries.len());
        deliveries.insert(at, duplicate);
    }
    assert_eq!(deliveries.len(), mix.total * 11 / 10);

    for (n, chunk) in deliveries.chunks(10).enumerate() {
        match n % 9 {
            // The Lambda crashed after applying the whole batch, before SQS heard back:
            // the batch comes again.
            3 => {
                let _lost = instainstru_analytics::handle_batch(&state, batch(chunk)).await;
            }
            // It crashed halfway through the batch.
            6 => {
                let _lost = instainstru_analytics::handle_batch(&state, batch(&chunk[..chunk.len() / 2])).await;
            }
            _ => {}
        }
        let response = instainstru_analytics::handle_batch(&state, batch(chunk)).await;
        assert!(
            response.batch_item_failures.is_empty(),
            "{backend:?}: batch {n} failed: {:?}",
            response.batch_item_failures
        );
    }

    // What the counters must say: computed from the distinct events alone.
    let mut searches_by_day: BTreeMap<_, i64> = BTreeMap::new();
    let mut users = BTreeSet::new();
    let mut appearances: HashMap<String, i64> = HashMap::new();
    let mut interactions: HashMap<&str, i64> = HashMap::new();
    let mut bookings: HashMap<String, i64> = HashMap::new();
    let mut service_searches: HashMap<String, i64> = HashMap::new();
    let mut booked_services: Vec<(jiff::civil::Date, String)> = Vec::new();
    let (mut untracked_searches, mut untracked_interactions) = (0, 0);
    for event in &events {
        let day = day_of(event.occurred_at.parse().unwrap());
        match event.kind.as_str() {
            "search.performed" => {
                let p: SearchPayload = serde_json::from_value(event.payload.clone()).unwrap();
                *searches_by_day.entry(day).or_default() += 1;
                if let Some(user) = p.context.user_id {
                    users.insert(user);
                }
                let shown: BTreeSet<_> = p.search.shown_instructors.iter().collect();
                for instructor in shown {
                    *appearances.entry(instructor.clone()).or_default() += 1;
                }
                let services: BTreeSet<_> = p.search.services.iter().collect();
                for service in services {
                    *service_searches.entry(service.clone()).or_default() += 1;
                }
            }
            "search.interaction" => {
                let p: InteractionPayload = serde_json::from_value(event.payload.clone()).unwrap();
                *interactions.entry(p.interaction_type.counter()).or_default() += 1;
            }
            "search.untracked" => untracked_searches += 1,
            "search.interaction_untracked" => untracked_interactions += 1,
            kind => {
                *bookings.entry(kind.to_owned()).or_default() += 1;
                booked_services.push((day, event.payload["service"].as_str().unwrap().to_owned()));
            }
        }
    }
    let window =
        Window { start: *searches_by_day.keys().next().unwrap(), end: *searches_by_day.keys().last().unwrap() };
    assert!(window.days() >= 3);
    let summary = reports::summary(&env.store, &window).await.unwrap();
    assert_eq!(summary.total_searches, searches_by_day.values().sum::<i64>(), "{backend:?}");
    assert_eq!(summary.total_searches, mix.searches as i64);
    assert_eq!(summary.untracked_searches, untracked_searches);
    let days = instainstru_shared::analytics::read::days(&env.store, &window).await.unwrap();
    assert_eq!(
        instainstru_shared::analytics::read::sum(days.values(), "untracked_interactions"),
        untracked_interactions
    );
    assert_eq!(summary.unique_users, users.len());
    assert_eq!(summary.clicks, interactions["clicks"]);
    assert_eq!(summary.profile_views, interactions["profile_views"]);
    assert_eq!(summary.book_interactions, interactions["book_interactions"]);
    assert_eq!(summary.bookings_created, bookings["booking.created"]);
    let trends = reports::trends(&env.store, &window).await.unwrap();
    // One row per date of the window, in order (counted here day by day, not with the
    // window's own `dates`), and so every search day is checked.
    let mut dates = vec![window.start];
    while *dates.last().unwrap() < window.end {
        dates.push(dates.last().unwrap().tomorrow().unwrap());
    }
    assert!(searches_by_day.keys().all(|d| dates.contains(d)));
    assert_eq!(trends.days.iter().map(|d| d.date).collect::<Vec<_>>(), dates, "{backend:?}");
    for day in &trends.days {
        assert_eq!(day.searches, searches_by_day.get(&day.date).copied().unwrap_or(0), "{}", day.date);
    }
    let demand = reports::service_demand(&env.store, &window, None).await.unwrap();
    // One row per service searched or booked in the window, and no other.
    let mut active: BTreeSet<&str> = service_searches.keys().map(String::as_str).collect();
    active.extend(
        booked_services.iter().filter(|(d, _)| window.start <= *d && *d <= window.end).map(|(_, s)| s.as_str()),
    );
    let listed: BTreeSet<&str> = demand.services.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(demand.services.len(), active.len(), "{backend:?}: one row per active service");
    assert_eq!(listed, active, "{backend:?}");
    for service in &demand.services {
        assert_eq!(
            service.searches,
            service_searches.get(&service.service).copied().unwrap_or(0),
            "{}",
            service.service
        );
    }
    let completed: i64 = demand.services.iter().map(|s| s.bookings_completed).sum();
    assert_eq!(completed, bookings["booking.completed"]);

    // One raw event per distinct search and interaction.
    let mut raw = 0;
    for date in window.dates() {
        raw += env.store.query_items(Query::partition(Index::Table, keys::events_of(date))).await.unwrap().len();
    }
    assert_eq!(raw, mix.searches + mix.interactions, "{backend:?}: raw events");

    // Every shown instructor is checked; the events did show some.
    assert!(!appearances.is_empty(), "the searches showed no instructor, so nothing below is checked");
    for (instructor_id, expected) in &appearances {
        let figures = instructor::for_instructor(&env.store, &InstructorId::trusted(instructor_id.as_str()), &window)
            .await
            .unwrap();
        assert_eq!(figures.totals.search_appearances, *expected, "{instructor_id}");
    }
}

/// 1,000 distinct events: 650 searches, 250 interactions, 100 do-not-track, 100 bookings.
const THOUSAND: Mix = Mix { total: 1000, searches: 650, interactions: 250 };

#[tokio::test]
async fn a_thousand_events_with_duplicates_and_redeliveries_count_once_on_dynoxide() {
    exactly_once_on(Backend::Dynoxide, THOUSAND).await;
}

#[tokio::test]
async fn a_thousand_events_with_duplicates_and_redeliveries_count_once_on_moto() {
    exactly_once_on(Backend::Moto, THOUSAND).await;
}

fn worker(env: &TestEnv) -> SqsHandler {
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    Arc::new(move |event: SqsEvent| {
        let state = state.clone();
        async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
    })
}

#[tokio::test]
async fn poison_messages_fail_alone_and_are_dead_lettered_after_three_receives() {
    let env = TestEnv::new().await;
    let mut g = Generator::new(3, 3, 3, 3);
    let at: Timestamp = TestEnv::DEFAULT_NOW.parse().unwrap();
    let good = g.search(at);
    env.queue.send(serde_json::to_string(&good).unwrap()).await.unwrap();
    env.queue.send("not json at all".into()).await.unwrap();
    let bad_interaction = Envelope::new(
        "search.interaction",
        at,
        serde_json::json!({ "search_event_id": "nope", "interaction_type": "click", "instructor_id": "x",
            "result_position": 1, "time_to_interaction_ms": 5, "user_id": null, "guest_session_id": null }),
    );
    env.queue.send(serde_json::to_string(&bad_interaction).unwrap()).await.unwrap();
    let unknown = Envelope::new("search.teleported", at, serde_json::json!({}));
    env.queue.send(serde_json::to_string(&unknown).unwrap()).await.unwrap();

    let mut source = EventSource::new(env.queue.clone(), worker(&env));
    source.visibility = std::time::Duration::ZERO;
    let first = source.poll_once().await.unwrap();
    assert_eq!((first.delivered, first.succeeded, first.failed), (4, 1, 3), "the good one is applied");
    for _ in 0..3 {
        source.poll_once().await.unwrap();
    }
    assert!(env.queue.is_empty().await.unwrap());
    let dlq = env.queue.dead_letter_queue().unwrap();
    assert_eq!(dlq.len().await.unwrap(), 3, "the three poison messages, after three receives each");
    let day = day_of(at);
    let summary = reports::summary(&env.store, &Window { start: day, end: day }).await.unwrap();
    assert_eq!(summary.total_searches, 1);
}

#[tokio::test]
async fn do_not_track_events_are_counted_and_nothing_else() {
    let env = TestEnv::new().await;
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    let mut g = Generator::new(5, 3, 3, 3);
    let at: Timestamp = TestEnv::DEFAULT_NOW.parse().unwrap();
    let untracked = g.untracked_search(at);
    let tracked = g.search(at);
    let interaction =
        Envelope::new("search.interaction_untracked", at, serde_json::json!({ "interaction_type": "view_profile" }));
    let messages = [message(&untracked, 0), message(&tracked, 0), message(&interaction, 0), message(&untracked, 1)];
    let response = instainstru_analytics::handle_batch(&state, batch(&messages)).await;
    assert!(response.batch_item_failures.is_empty());
    let day = day_of(at);
    let summary = reports::summary(&env.store, &Window { start: day, end: day }).await.unwrap();
    assert_eq!((summary.total_searches, summary.untracked_searches), (1, 1));
    assert_eq!(summary.profile_views, 0);
    let raw = env.store.query_items(Query::partition(Index::Table, keys::events_of(day))).await.unwrap();
    assert_eq!(raw.len(), 1, "only the tracked search is stored");
}
