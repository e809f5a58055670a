//! The admin analytics API through HTTP: every report's figures equal what this test
//! computes on its own from the raw events it generated and fed to the worker, for the
//! 7-, 30- and 90-day windows, with events a minute inside and a minute outside each
//! window's first day; every report's CSV export parses back to the same rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use instainstru_shared::{
    analytics::{
        apply::day_of,
        events::{InteractionPayload, InteractionType},
    },
    clock::lesson_zone,
    ids,
    queue::Envelope,
    rbac::Role,
    search::events::SearchPayload,
};
use instainstru_testkit::{
    TestEnv,
    generate::Generator,
    http_test::{Call, TestResponse},
};
use jiff::{SignedDuration, Timestamp, civil::Date};
use serde_json::Value;

async fn send(env: &TestEnv, call: Call) -> TestResponse {
    call.send(&instainstru_admin::router(env.state.clone())).await
}

fn admin(env: &TestEnv) -> String {
    env.token(&ids::UserId::generate(), &[Role::Admin], &[], &[])
}

async fn get(env: &TestEnv, token: &str, uri: &str) -> Value {
    let res = send(env, Call::get(uri).token(token)).await;
    assert_eq!(res.status, 200, "{uri}: {}", res.text());
    res.json()
}

async fn feed(env: &TestEnv, events: &[Envelope]) {
    let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    for chunk in events.chunks(10) {
        let mut batch = SqsEvent::default();
        batch.records = chunk
            .iter()
            .map(|e| {
                let mut m = SqsMessage::default();
                m.message_id = Some(e.id.clone());
                m.body = Some(serde_json::to_string(e).unwrap());
                m
            })
            .collect();
        let response = instainstru_analytics::handle_batch(&state, batch).await;
        assert!(response.batch_item_failures.is_empty());
    }
}

fn new_york(date: Date, h: i8, m: i8, s: i8) -> Timestamp {
    lesson_zone().to_ambiguous_timestamp(date.at(h, m, s, 0)).compatible().unwrap()
}

fn today() -> Date {
    day_of(TestEnv::DEFAULT_NOW.parse().unwrap())
}

fn first_day(days: i64) -> Date {
    today().checked_sub(jiff::Span::new().days(days - 1)).unwrap()
}

/// Searches over the last 100 days (and on both sides of each window's first midnight),
/// interactions with their results, and booking events.
fn generate() -> Vec<Envelope> {
    let mut g = Generator::new(11, 20, 20, 10);
    let now: Timestamp = TestEnv::DEFAULT_NOW.parse().unwrap();
    let mut events = Vec::new();
    let mut searches = Vec::new();
    for _ in 0..400 {
        let at = now - SignedDuration::from_secs(g.below(100 * 24 * 3600) as i64 + 1);
        searches.push(g.search(at));
    }
    for days in [7, 30, 90] {
        let start = first_day(days);
        let before = start.yesterday().unwrap();
        for at in [new_york(start, 0, 0, 30), new_york(before, 23, 59, 30), new_york(start, 0, 1, 0)] {
            searches.push(g.search(at));
        }
    }
    let kinds = [InteractionType::Click, InteractionType::ViewProfile, InteractionType::Book];
    for i in 0..200 {
        let search = searches[g.below(searches.len())].clone();
        if let Some(interaction) = g.interaction(&search, kinds[i % 3]) {
            events.push(interaction);
        }
    }
    let booking_kinds = ["booking.created", "booking.completed", "booking.cancelled", "booking.completed"];
    for i in 0..80 {
        let at = now - SignedDuration::from_secs(g.below(100 * 24 * 3600) as i64 + 1);
        events.push(g.booking(booking_kinds[i % 4], at));
    }
    for days in [7, 30, 90] {
        let start = first_day(days);
        events.push(g.booking("booking.completed", new_york(start, 0, 0, 5)));
        events.push(g.booking("booking.completed", new_york(start.yesterday().unwrap(), 23, 59, 55)));
    }
    events.extend(searches);
    events
}

// ------------------------------------------------------------------ independent figures

struct S {
    day: Date,
    user: Option<String>,
    guest: Option<String>,
    session: Option<String>,
    ip_hash: Option<String>,
    query: String,
    typed: String,
    results: i64,
    services: BTreeSet<String>,
    search_type: String,
    referrer: String,
    origin: Option<String>,
    place: String,
}

struct I {
    day: Date,
    search: String,
    kind: InteractionType,
    position: Option<u32>,
    ms: Option<u64>,
}

struct B {
    day: Date,
    kind: String,
    service: String,
    price: i64,
}

struct Raw {
    searches: Vec<S>,
    interactions: Vec<I>,
    bookings: Vec<B>,
}

fn host(url: Option<&str>) -> String {
    match url {
        None => "direct".into(),
        Some(url) => url.split("://").nth(1).unwrap().split('/').next().unwrap().to_owned(),
    }
}

fn decode(events: &[Envelope]) -> Raw {
    let mut raw = Raw { searches: Vec::new(), interactions: Vec::new(), bookings: Vec::new() };
    for e in events {
        let day = day_of(e.occurred_at.parse().unwrap());
        match e.kind.as_str() {
            "search.performed" => {
                let p: SearchPayload = serde_json::from_value(e.payload.clone()).unwrap();
                raw.searches.push(S {
                    day,
                    user: p.context.user_id.clone(),
                    guest: p.context.guest_session_id.clone(),
                    session: p.context.session_id.clone(),
                    ip_hash: p.ip_hash.clone(),
                    query: p.search.normalized_query.clone(),
                    typed: p.search.query.clone(),
                    results: p.search.result_count as i64,
                    services: p.search.services.iter().cloned().collect(),
                    search_type: serde_json::to_value(p.search.search_type).unwrap().as_str().unwrap().to_owned(),
                    referrer: host(p.context.referrer.as_deref()),
                    origin: p.context.origin.clone(),
                    place: p.context.geo.client_borough.clone().unwrap_or_else(|| "unknown".into()),
                });
            }
            "search.interaction" => {
                let p: InteractionPayload = serde_json::from_value(e.payload.clone()).unwrap();
                raw.interactions.push(I {
                    day,
                    search: p.search_event_id,
                    kind: p.interaction_type,
                    position: p.result_position,
                    ms: p.time_to_interaction_ms,
                });
            }
            kind => raw.bookings.push(B {
                day,
                kind: kind.to_owned(),
                service: e.payload["service"].as_str().unwrap().to_owned(),
                price: e.payload["price_cents"].as_i64().unwrap(),
            }),
        }
    }
    raw
}

fn rate(n: i64, d: i64) -> f64 {
    if d <= 0 { 0.0 } else { ((n as f64 / d as f64) * 10_000.0).round() / 10_000.0 }
}

fn average(total: i64, n: i64) -> f64 {
    if n <= 0 { 0.0 } else { ((total as f64 / n as f64) * 100.0).round() / 100.0 }
}

fn nearest_rank(prices: &[i64], p: i64) -> Value {
    let mut sorted = prices.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Value::Null;
    }
    let rank = ((p * sorted.len() as i64) + 99) / 100;
    Value::from(sorted[(rank.max(1) - 1) as usize])
}

/// The expected figures above use `rate`, `average` and `nearest_rank`, the same formulas
/// as `shared::analytics::stats`: both are checked here against answers worked out by hand,
/// so that a formula wrong in both places cannot pass unnoticed.
#[test]
fn the_figure_formulas_give_the_hand_computed_answers() {
    use instainstru_shared::analytics::stats;
    // 1/3 = 0.33333… → 0.3333 (4 decimals); 2/3 = 0.66666… → 0.6667 (rounded up); 1/8 =
    // 0.125 exactly; nothing to divide by → 0.
    for (n, d, want) in [(1, 3, 0.3333), (2, 3, 0.6667), (1, 8, 0.125), (5, 0, 0.0)] {
        assert_eq!(rate(n, d), want, "rate({n}, {d})");
        assert_eq!(stats::rate(n, d), want, "stats::rate({n}, {d})");
    }
    // 10/4 = 2.5; 10/3 = 3.333… → 3.33 (2 decimals); 2/3 = 0.666… → 0.67; 1/0 → 0.
    for (t, n, want) in [(10, 4, 2.5), (10, 3, 3.33), (2, 3, 0.67), (1, 0, 0.0)] {
        assert_eq!(average(t, n), want, "average({t}, {n})");
        assert_eq!(stats::average(t, n), want, "stats::average({t}, {n})");
    }
    // Nearest rank = ceil(p/100 × count). Four prices 1000 < 2000 < 3000 < 4000 (given out of
    // order): p25 → rank 1 → 1000; p50 → rank 2 → 2000; p75 → rank 3 → 3000; p90 → ceil(3.6) =
    // rank 4 → 4000. Nine at 6000 and one at 12000: p90 → rank 9 → 6000; p91 → ceil(9.1) = rank
    // 10 → 12000.
    let four = [3000, 1000, 4000, 2000];
    let skewed = [6000, 6000, 6000, 12000, 6000, 6000, 6000, 6000, 6000, 6000];
    let histogram = |prices: &[i64]| {
        let mut h = BTreeMap::new();
        for p in prices {
            *h.entry(*p as u32).or_insert(0i64) += 1;
        }
        h
    };
    for (prices, p, want) in
        [(&four[..], 25, 1000), (&four[..], 50, 2000), (&four[..], 75, 3000), (&four[..], 90, 4000)]
            .into_iter()
            .chain([(&skewed[..], 90, 6000), (&skewed[..], 91, 12000)])
    {
        assert_eq!(nearest_rank(prices, p), Value::from(want), "nearest_rank({prices:?}, {p})");
        assert_eq!(stats::percentile(&histogram(prices), p as u32), Some(want as u32), "stats::percentile p{p}");
    }
    assert_eq!(nearest_rank(&[], 50), Value::Null);
    assert_eq!(stats::percentile(&BTreeMap::new(), 50), None);
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn i(v: &Value) -> i64 {
    v.as_i64().unwrap()
}

async fn check_window(env: &TestEnv, token: &str, raw: &Raw, days: i64) {
    let (start, end) = (first_day(days), today());
    let inside = |d: Date| start <= d && d <= end;
    let searches: Vec<&S> = raw.searches.iter().filter(|s| inside(s.day)).collect();
    let interactions: Vec<&I> = raw.interactions.iter().filter(|x| inside(x.day)).collect();
    let bookings: Vec<&B> = raw.bookings.iter().filter(|b| inside(b.day)).collect();
    let n = searches.len() as i64;
    let zero = searches.iter().filter(|s| s.results == 0).count() as i64;
    let results: i64 = searches.iter().map(|s| s.results).sum();
    let count_interactions = |k: InteractionType| interactions.iter().filter(|x| x.kind == k).count() as i64;
    let count_bookings = |k: &str| bookings.iter().filter(|b| b.kind == k).count() as i64;
    let q = format!("days={days}&limit=100");
    assert!(
        raw.searches.iter().any(|s| s.day == start) && raw.searches.iter().any(|s| s.day == start.yesterday().unwrap())
    );

    // summary
    let summary = get(env, token, &format!("/api/v1/admin/analytics/summary?{q}")).await;
    assert_eq!(summary["window"]["start"], start.to_string());
    assert_eq!(i(&summary["total_searches"]), n, "{days}");
    assert_eq!(i(&summary["user_searches"]), searches.iter().filter(|s| s.user.is_some()).count() as i64);
    assert_eq!(i(&summary["guest_searches"]), searches.iter().filter(|s| s.guest.is_some()).count() as i64);
    assert_eq!(
        i(&summary["anonymous_searches"]),
        searches.iter().filter(|s| s.user.is_none() && s.guest.is_none()).count() as i64
    );
    let users: BTreeSet<_> = searches.iter().filter_map(|s| s.user.clone()).collect();
    let guests: BTreeSet<_> = searches.iter().filter_map(|s| s.guest.clone()).collect();
    let sessions: BTreeSet<_> = searches.iter().filter_map(|s| s.session.clone()).collect();
    assert_eq!(summary["unique_users"], users.len());
    assert_eq!(summary["unique_guests"], guests.len());
    assert_eq!(summary["unique_sessions"], sessions.len());
    for t in ["query", "category_click", "service_pill", "filter_change"] {
        assert_eq!(i(&summary["search_types"][t]), searches.iter().filter(|s| s.search_type == t).count() as i64);
    }
    assert_eq!(f(&summary["average_results"]), average(results, n));
    assert_eq!(i(&summary["zero_result_searches"]), zero);
    assert_eq!(f(&summary["zero_result_rate"]), rate(zero, n));
    assert_eq!(i(&summary["clicks"]), count_interactions(InteractionType::Click));
    assert_eq!(i(&summary["profile_views"]), count_interactions(InteractionType::ViewProfile));
    assert_eq!(i(&summary["book_interactions"]), count_interactions(InteractionType::Book));
    assert_eq!(i(&summary["bookings_created"]), count_bookings("booking.created"));

    // trends: every day of the window
    let trends = get(env, token, &format!("/api/v1/admin/analytics/trends?{q}")).await;
    let trend_days = trends["days"].as_array().unwrap();
    assert_eq!(trend_days.len() as i64, days);
    for day in trend_days {
        let date: Date = day["date"].as_str().unwrap().parse().unwrap();
        let on: Vec<&&S> = searches.iter().filter(|s| s.day == date).collect();
        assert_eq!(i(&day["searches"]), on.len() as i64, "{date}");
        assert_eq!(day["unique_users"], on.iter().filter_map(|s| s.user.clone()).collect::<BTreeSet<_>>().len());
        assert_eq!(day["unique_guests"], on.iter().filter_map(|s| s.guest.clone()).collect::<BTreeSet<_>>().len());
        assert_eq!(i(&day["zero_result_searches"]), on.iter().filter(|s| s.results == 0).count() as i64);
        assert_eq!(day["unique_ips"], on.iter().filter_map(|s| s.ip_hash.clone()).collect::<BTreeSet<_>>().len());
    }

    // popular and zero-result queries
    let mut by_query: BTreeMap<&str, (i64, i64, i64, Date, &str)> = BTreeMap::new();
    for s in &searches {
        let e = by_query.entry(&s.query).or_insert((0, 0, 0, s.day, &s.typed));
        e.0 += 1;
        e.1 += i64::from(s.results == 0);
        e.2 += s.results;
        e.3 = e.3.max(s.day);
    }
    let mut popular: Vec<(&str, i64)> = by_query.iter().map(|(q, t)| (*q, t.0)).collect();
    popular.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let body = get(env, token, &format!("/api/v1/admin/analytics/popular-queries?{q}")).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), popular.len());
    for (item, (query, searches)) in items.iter().zip(&popular) {
        let t = &by_query[query];
        assert_eq!((item["query"].as_str().unwrap(), i(&item["searches"])), (*query, *searches));
        assert_eq!(item["last_typed"], t.4);
        assert_eq!(i(&item["zero_result_searches"]), t.1);
        assert_eq!(f(&item["average_results"]), average(t.2, t.0));
        assert_eq!(item["last_searched_on"], t.3.to_string());
    }
    let mut zero_queries: Vec<(&str, i64, i64)> =
        by_query.iter().filter(|(_, t)| t.1 > 0).map(|(q, t)| (*q, t.1, t.0)).collect();
    zero_queries.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    let body = get(env, token, &format!("/api/v1/admin/analytics/zero-result-queries?{q}")).await;
    let got: Vec<(&str, i64, i64)> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["query"].as_str().unwrap(), i(&x["zero_result_searches"]), i(&x["searches"])))
        .collect();
    assert_eq!(got, zero_queries);

    // referrers and origins
    let body = get(env, token, &format!("/api/v1/admin/analytics/referrers?{q}")).await;
    assert_eq!(i(&body["total_searches"]), n);
    let mut hosts: BTreeMap<String, i64> = BTreeMap::new();
    let mut origins: BTreeMap<String, i64> = BTreeMap::new();
    for s in &searches {
        *hosts.entry(s.referrer.clone()).or_default() += 1;
        if let Some(o) = &s.origin {
            *origins.entry(o.clone()).or_default() += 1;
        }
    }
    for (list, expected) in [("referrers", &hosts), ("origins", &origins)] {
        let got: BTreeMap<String, (i64, f64)> = body[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["source"].as_str().unwrap().to_owned(), (i(&x["searches"]), f(&x["share"]))))
            .collect();
        let want: BTreeMap<String, (i64, f64)> = expected.iter().map(|(k, v)| (k.clone(), (*v, rate(*v, n)))).collect();
        assert_eq!(got, want, "{list}");
    }

    // conversion funnel: distinct searches reaching each stage
    let distinct = |k: InteractionType| {
        interactions.iter().filter(|x| x.kind == k).map(|x| x.search.clone()).collect::<BTreeSet<_>>().len() as i64
    };
    let (clicked, viewed, booked) =
        (distinct(InteractionType::Click), distinct(InteractionType::ViewProfile), distinct(InteractionType::Book));
    let funnel = get(env, token, &format!("/api/v1/admin/analytics/conversion?{q}")).await;
    assert_eq!(i(&funnel["searches"]), n);
    assert_eq!(
        (
            i(&funnel["searches_with_click"]),
            i(&funnel["searches_with_profile_view"]),
            i(&funnel["searches_with_booking"])
        ),
        (clicked, viewed, booked)
    );
    assert_eq!(f(&funnel["click_rate"]), rate(clicked, n));
    assert_eq!(f(&funnel["profile_view_rate"]), rate(viewed, n));
    assert_eq!(f(&funnel["booking_rate"]), rate(booked, n));
    assert_eq!(f(&funnel["view_to_booking_rate"]), rate(booked, viewed));
    let positions: Vec<i64> = interactions.iter().filter_map(|x| x.position).map(i64::from).collect();
    assert_eq!(f(&funnel["average_result_position"]), average(positions.iter().sum(), positions.len() as i64));
    let times: Vec<i64> = interactions.iter().filter_map(|x| x.ms).map(|m| m as i64).collect();
    assert_eq!(f(&funnel["average_time_to_interaction_ms"]), average(times.iter().sum(), times.len() as i64));

    // search performance
    let perf = get(env, token, &format!("/api/v1/admin/analytics/performance?{q}")).await;
    let bucket = |r: i64| match r {
        0 => "0",
        1..=5 => "1-5",
        6..=10 => "6-10",
        11..=20 => "11-20",
        _ => "21+",
    };
    let distribution = perf["result_distribution"].as_array().unwrap();
    // One row per bucket the `bucket` closure above can name, in that order, whether or not
    // any search fell in it; together they hold every search of the window.
    let labels: Vec<&str> = distribution.iter().map(|b| b["results"].as_str().unwrap()).collect();
    assert_eq!(labels, ["0", "1-5", "6-10", "11-20", "21+"]);
    assert_eq!(distribution.iter().map(|b| i(&b["searches"])).sum::<i64>(), n, "every search in one bucket");
    for b in distribution {
        let count = searches.iter().filter(|s| bucket(s.results) == b["results"].as_str().unwrap()).count() as i64;
        assert_eq!(i(&b["searches"]), count, "{b}");
        assert_eq!(f(&b["share"]), rate(count, n));
    }
    let mut problems: Vec<(&str, &str)> = by_query
        .iter()
        .filter(|(_, t)| t.0 >= 2)
        .filter_map(|(q, t)| {
            if t.1 * 2 >= t.0 {
                Some((*q, "mostly_zero_results"))
            } else if average(t.2, t.0) < 3.0 {
                Some((*q, "few_results"))
            } else {
                None
            }
        })
        .collect();
    problems.sort_by(|a, b| by_query[b.0].0.cmp(&by_query[a.0].0).then(a.0.cmp(b.0)));
    let got: Vec<(&str, &str)> = perf["problem_queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["query"].as_str().unwrap(), p["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(got, problems);

    // per-service demand, with completed-booking price percentiles
    let body = get(env, token, &format!("/api/v1/admin/analytics/services?{q}")).await;
    let services = body["services"].as_array().unwrap();
    let mut active: BTreeSet<&str> = searches.iter().flat_map(|s| s.services.iter().map(String::as_str)).collect();
    active.extend(bookings.iter().map(|b| b.service.as_str()));
    assert_eq!(services.len(), active.len());
    for s in services {
        let slug = s["service"].as_str().unwrap();
        let with = searches.iter().filter(|x| x.services.contains(slug));
        assert_eq!(i(&s["searches"]), with.clone().count() as i64, "{slug}");
        assert_eq!(i(&s["zero_result_searches"]), with.filter(|x| x.results == 0).count() as i64);
        let of = |kind: &str| bookings.iter().filter(|b| b.service == slug && b.kind == kind).count() as i64;
        assert_eq!(i(&s["bookings_created"]), of("booking.created"));
        assert_eq!(i(&s["bookings_completed"]), of("booking.completed"));
        assert_eq!(i(&s["bookings_cancelled"]), of("booking.cancelled"));
        let prices: Vec<i64> =
            bookings.iter().filter(|b| b.service == slug && b.kind == "booking.completed").map(|b| b.price).collect();
        assert_eq!(i(&s["revenue_cents"]), prices.iter().sum::<i64>());
        for p in [25, 50, 75, 90] {
            assert_eq!(s[format!("price_p{p}_cents")], nearest_rank(&prices, p), "{slug} p{p}");
        }
        assert_eq!(f(&s["search_to_booking_rate"]), rate(of("booking.created"), i(&s["searches"])));
    }

    // user behaviour
    let body = get(env, token, &format!("/api/v1/admin/analytics/user-behavior?{q}")).await;
    let mut per_person: HashMap<String, (i64, BTreeSet<Date>)> = HashMap::new();
    for s in &searches {
        if let Some(who) = s.user.clone().or(s.guest.clone()) {
            let e = per_person.entry(who).or_default();
            e.0 += 1;
            e.1.insert(s.day);
        }
    }
    assert_eq!(body["people"], per_person.len());
    assert_eq!(body["repeat_searchers"], per_person.values().filter(|p| p.0 >= 2).count());
    assert_eq!(body["multi_day_searchers"], per_person.values().filter(|p| p.1.len() >= 2).count());
    let total_per_person: i64 = per_person.values().map(|p| p.0).sum();
    assert_eq!(f(&body["average_searches_per_person"]), average(total_per_person, per_person.len() as i64));
    // One row per place a search of the window came from, plus the report's zero rows for
    // the other places it always lists; nothing else.
    let places = body["places"].as_array().unwrap();
    let searched: BTreeSet<&str> = searches.iter().map(|s| s.place.as_str()).collect();
    let listed: BTreeSet<&str> = places.iter().map(|p| p["name"].as_str().unwrap()).collect();
    // Written out here, not taken from `place::ALL`: the report must list the five boroughs,
    // "nyc" (in the city, borough unknown), "outside_nyc" and "unknown" even with no searches.
    let mut expected_places: BTreeSet<&str> =
        ["manhattan", "brooklyn", "queens", "bronx", "staten_island", "nyc", "outside_nyc", "unknown"].into();
    expected_places.extend(&searched);
    assert_eq!(listed, expected_places);
    assert_eq!(places.len(), expected_places.len(), "each place once");
    let nonzero: BTreeSet<&str> =
        places.iter().filter(|p| i(&p["searches"]) > 0).map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(nonzero, searched, "a place has searches exactly when a search came from it");
    for share in places {
        let name = share["name"].as_str().unwrap();
        assert_eq!(i(&share["searches"]), searches.iter().filter(|s| s.place == name).count() as i64, "{name}");
    }
    let devices: i64 = body["devices"].as_array().unwrap().iter().map(|d| i(&d["searches"])).sum();
    assert_eq!(devices, n, "every search has one device kind");
}

#[tokio::test]
async fn every_report_equals_the_figures_computed_from_the_raw_events() {
    let env = TestEnv::new().await;
    let events = generate();
    feed(&env, &events).await;
    let raw = decode(&events);
    let token = admin(&env);
    for days in [7, 30, 90] {
        check_window(&env, &token, &raw, days).await;
    }
    // An explicit start/end is the same window as `days`.
    let by_days = get(&env, &token, "/api/v1/admin/analytics/summary?days=7").await;
    let by_dates =
        get(&env, &token, &format!("/api/v1/admin/analytics/summary?start={}&end={}", first_day(7), today())).await;
    assert_eq!(by_days, by_dates);
}

#[tokio::test]
async fn every_export_is_a_csv_file_that_parses_back_to_its_report() {
    let env = TestEnv::new().await;
    let events = generate();
    feed(&env, &events).await;
    let token = admin(&env);
    for report in [
        "trends",
        "popular-queries",
        "zero-result-queries",
        "referrers",
        "summary",
        "conversion",
        "performance",
        "services",
        "user-behavior",
    ] {
        let res =
            send(&env, Call::get(&format!("/api/v1/admin/analytics/{report}/export?days=90&limit=100")).token(&token))
                .await;
        assert_eq!(res.status, 200, "{report}: {}", res.text());
        assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
        let disposition = res.header("content-disposition").unwrap();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"instainstru-{report}-{}-to-{}.csv\"", first_day(90), today())
        );
        let text = res.text();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let width = reader.headers().unwrap().len();
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert!(!rows.is_empty(), "{report}");
        assert!(rows.iter().all(|r| r.len() == width), "{report}");
    }

    // Queries with commas, quotes and line breaks survive the round trip, cell for cell.
    let json = get(&env, &token, "/api/v1/admin/analytics/popular-queries?days=90&limit=100").await;
    let res =
        send(&env, Call::get("/api/v1/admin/analytics/popular-queries/export?days=90&limit=100").token(&token)).await;
    let text = res.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["query", "last_typed", "searches", "zero_result_searches", "average_results", "last_searched_on"]
    );
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let items = json["items"].as_array().unwrap();
    assert_eq!(rows.len(), items.len());
    for (row, item) in rows.iter().zip(items) {
        assert_eq!(row[0], item["query"].as_str().unwrap());
        assert_eq!(row[1], item["last_typed"].as_str().unwrap());
        assert_eq!(row[2], item["searches"].to_string());
        assert_eq!(row[4].parse::<f64>().unwrap(), f(&item["average_results"]));
    }
    for tricky in ["spanish tutor, brooklyn", "\"jazz\" piano", "drums, \"loud\""] {
        assert!(rows.iter().any(|r| r[0] == tricky), "{tricky}");
    }
    assert!(rows.iter().any(|r| r[1] == "voice\nlessons for kids"), "a line break inside a cell");
}

#[tokio::test]
async fn bad_windows_limits_and_reports_name_the_parameter() {
    let env = TestEnv::new().await;
    let token = admin(&env);
    for (query, field) in [
        ("days=0", "days"),
        ("days=366", "days"),
        ("days=abc", "days"),
        ("start=2026-11-01", "end"),
        ("end=2026-11-01", "start"),
        ("start=2026-11-10&end=2026-11-01", "end"),
        ("start=2025-01-01&end=2026-11-01", "end"),
        ("start=11/01/2026&end=2026-11-02", "start"),
        ("days=7&start=2026-11-01&end=2026-11-02", "days"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("colour=red", "colour"),
    ] {
        for suffix in ["", "/export"] {
            let res =
                send(&env, Call::get(&format!("/api/v1/admin/analytics/summary{suffix}?{query}")).token(&token)).await;
            assert_eq!(res.status, 400, "{query}: {}", res.text());
            assert_eq!(res.json()["field"], field, "{query}");
        }
    }
    let res = send(&env, Call::get("/api/v1/admin/analytics/everything").token(&token)).await;
    assert_eq!(res.assert_problem(404, "unknown_report")["field"], "report");
    // A student has neither permission.
    let student = env.token(&ids::UserId::generate(), &[Role::Student], &[], &[]);
    send(&env, Call::get("/api/v1/admin/analytics/summary").token(&student))
        .await
        .assert_problem(403, "permission_denied");
    // An empty window is zeros, not an error (and not invented numbers).
    let empty = get(&env, &token, "/api/v1/admin/analytics/summary?days=365").await;
    assert_eq!((i(&empty["total_searches"]), f(&empty["zero_result_rate"])), (0, 0.0));
}
