//! The admin analytics reports (PRODUCT.md §7), each computed from a window's aggregates
//! and each also a [`Table`] for its CSV export. Every figure is defined here once; the
//! tests recompute them from the raw events they generated.
//!
//! Definitions worth knowing:
//! * A search counts on its New York date; an interaction or booking event on its own.
//! * "Unique" figures are distinct within the window (the union of the days' sets); the
//!   per-day trend gives each day's own distinct count.
//! * Funnel stages count distinct searches that led to at least one interaction of the
//!   stage's type (a click, a profile view, a booking started from the results).
//! * Rates are rounded to 4 decimals, averages to 2; a rate over nothing is 0.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    apply::{RESULT_BUCKETS, search_type_name},
    counters::{COUNTER, CounterItem, PRICE},
    daily::{self, ServiceStats},
    device::DeviceKind,
    place,
    read::{self, sum},
    sets::{DailySets, Set},
    stats::{average, percentile, rate},
    table::{Table, cell, optional},
    window::Window,
};
use crate::{catalog::Catalog, search::events::SearchType, store::Store, store::StoreError};

/// Most rows a ranked list returns.
pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 20;
/// A query needs this many searches in the window to be called a problem.
pub const PROBLEM_MIN_SEARCHES: i64 = 2;
/// Fewer results than this on average makes a query a problem.
pub const FEW_RESULTS: f64 = 3.0;

// ---------------------------------------------------------------------------------- trends

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TrendDay {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub searches: i64,
    pub unique_users: usize,
    pub unique_guests: usize,
    /// Distinct IP addresses that day (counted by their day-salted hash; an IP cannot be
    /// followed across days).
    pub unique_ips: usize,
    pub zero_result_searches: i64,
    /// Searches made with do-not-track: counted, nothing else recorded.
    pub untracked_searches: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Trends {
    pub window: Window,
    /// Every day of the window, oldest first (days without searches are zeros).
    pub days: Vec<TrendDay>,
}

pub async fn trends(store: &Store, window: &Window) -> Result<Trends, StoreError> {
    let (days, sets) = tokio::try_join!(read::days(store, window), DailySets::read(store, window.start, window.end))?;
    let empty = CounterItem::default();
    let days = window
        .dates()
        .into_iter()
        .map(|date| {
            let day = days.get(&date).unwrap_or(&empty);
            TrendDay {
                date,
                searches: day.counter("searches"),
                unique_users: sets.count_on(date, Set::Users),
                unique_guests: sets.count_on(date, Set::Guests),
                unique_ips: sets.count_on(date, Set::Ips),
                zero_result_searches: day.counter("zero_result_searches"),
                untracked_searches: day.counter("untracked_searches"),
            }
        })
        .collect();
    Ok(Trends { window: *window, days })
}

impl Trends {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&[
            "date",
            "searches",
            "unique_users",
            "unique_guests",
            "unique_ips",
            "zero_result_searches",
            "untracked_searches",
        ]);
        for d in &self.days {
            t.row(vec![
                cell(d.date),
                cell(d.searches),
                cell(d.unique_users),
                cell(d.unique_guests),
                cell(d.unique_ips),
                cell(d.zero_result_searches),
                cell(d.untracked_searches),
            ]);
        }
        t
    }
}

// --------------------------------------------------------------------------------- queries

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QueryFigure {
    /// The normalized query (lowercase, single spaces).
    pub query: String,
    /// The query as it was last typed (case, spacing and line breaks kept).
    pub last_typed: String,
    pub searches: i64,
    pub zero_result_searches: i64,
    pub average_results: f64,
    /// The last day in the window it was searched.
    #[schema(value_type = String, format = Date)]
    pub last_searched_on: Date,
}

struct QueryTotals {
    typed: String,
    searches: i64,
    zero: i64,
    results: i64,
    last: Date,
}

async fn query_totals(store: &Store, window: &Window) -> Result<BTreeMap<String, QueryTotals>, StoreError> {
    let mut totals: BTreeMap<String, QueryTotals> = BTreeMap::new();
    for (date, item) in read::queries(store, window).await? {
        let Some(label) = item.label.clone() else { continue };
        let typed = item.typed.clone().unwrap_or_else(|| label.clone());
        let entry = totals.entry(label).or_insert(QueryTotals {
            typed: typed.clone(),
            searches: 0,
            zero: 0,
            results: 0,
            last: date,
        });
        if date >= entry.last {
            entry.typed = typed;
        }
        entry.searches += item.counter("searches");
        entry.zero += item.counter("zero_result_searches");
        entry.results += item.counter("total_results");
        entry.last = entry.last.max(date);
    }
    Ok(totals)
}

fn figure(query: &str, t: &QueryTotals) -> QueryFigure {
    QueryFigure {
        query: query.to_owned(),
        last_typed: t.typed.clone(),
        searches: t.searches,
        zero_result_searches: t.zero,
        average_results: average(t.results, t.searches),
        last_searched_on: t.last,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QueryList {
    pub window: Window,
    pub items: Vec<QueryFigure>,
}

/// The most searched queries: by searches, then alphabetically.
pub async fn popular_queries(store: &Store, window: &Window, limit: usize) -> Result<QueryList, StoreError> {
    let totals = query_totals(store, window).await?;
    let mut items: Vec<QueryFigure> = totals.iter().map(|(q, t)| figure(q, t)).collect();
    items.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.query.cmp(&b.query)));
    items.truncate(limit);
    Ok(QueryList { window: *window, items })
}

/// Queries that found nothing at least once: by zero-result searches, then searches, then
/// alphabetically.
pub async fn zero_result_queries(store: &Store, window: &Window, limit: usize) -> Result<QueryList, StoreError> {
    let totals = query_totals(store, window).await?;
    let mut items: Vec<QueryFigure> = totals.iter().filter(|(_, t)| t.zero > 0).map(|(q, t)| figure(q, t)).collect();
    items.sort_by(|a, b| {
        b.zero_result_searches
            .cmp(&a.zero_result_searches)
            .then_with(|| b.searches.cmp(&a.searches))
            .then_with(|| a.query.cmp(&b.query))
    });
    items.truncate(limit);
    Ok(QueryList { window: *window, items })
}

impl QueryList {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&[
            "query",
            "last_typed",
            "searches",
            "zero_result_searches",
            "average_results",
            "last_searched_on",
        ]);
        for q in &self.items {
            t.row(vec![
                q.query.clone(),
                q.last_typed.clone(),
                cell(q.searches),
                cell(q.zero_result_searches),
                cell(q.average_results),
                cell(q.last_searched_on),
            ]);
        }
        t
    }
}

// ------------------------------------------------------------------------------- referrers

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SourceFigure {
    /// A referring host (`direct` when there was none), or an origin page.
    pub source: String,
    pub searches: i64,
    /// Share of all searches in the window.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Referrers {
    pub window: Window,
    pub total_searches: i64,
    /// Referring hosts, most searches first.
    pub referrers: Vec<SourceFigure>,
    /// Pages searches were made from (`X-Search-Origin`), most searches first.
    pub origins: Vec<SourceFigure>,
}

pub async fn referrers(store: &Store, window: &Window, limit: usize) -> Result<Referrers, StoreError> {
    let (days, sources) = tokio::try_join!(read::days(store, window), read::sources(store, window))?;
    let total = sum(days.values(), "searches");
    let mut by_kind: HashMap<char, BTreeMap<String, i64>> = HashMap::new();
    for (_, kind, item) in sources {
        if let Some(label) = item.label.clone() {
            *by_kind.entry(kind).or_default().entry(label).or_insert(0) += item.counter("searches");
        }
    }
    let ranked = |kind: char| {
        let mut list: Vec<SourceFigure> = by_kind
            .get(&kind)
            .map(|m| {
                m.iter()
                    .map(|(source, n)| SourceFigure { source: source.clone(), searches: *n, share: rate(*n, total) })
                    .collect()
            })
            .unwrap_or_default();
        list.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.source.cmp(&b.source)));
        list.truncate(limit);
        list
    };
    Ok(Referrers { window: *window, total_searches: total, referrers: ranked('R'), origins: ranked('O') })
}

impl Referrers {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["kind", "source", "searches", "share"]);
        for (kind, list) in [("referrer", &self.referrers), ("origin", &self.origins)] {
            for s in list {
                t.row(vec![kind.to_owned(), s.source.clone(), cell(s.searches), cell(s.share)]);
            }
        }
        t
    }
}

// --------------------------------------------------------------------------------- summary

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Summary {
    pub window: Window,
    pub total_searches: i64,
    /// Searches by signed-in users.
    pub user_searches: i64,
    /// Searches by guests (with a guest session id).
    pub guest_searches: i64,
    /// Searches with neither.
    pub anonymous_searches: i64,
    /// Do-not-track searches: counted, nothing else recorded (not in the figures above).
    pub untracked_searches: i64,
    pub unique_users: usize,
    pub unique_guests: usize,
    pub unique_sessions: usize,
    /// Guests who registered or signed in with their guest session.
    pub guest_conversions: i64,
    /// guest_conversions / unique_guests.
    pub guest_conversion_rate: f64,
    /// Searches by type: query, category_click, service_pill, filter_change.
    pub search_types: BTreeMap<String, i64>,
    pub average_results: f64,
    pub zero_result_searches: i64,
    pub zero_result_rate: f64,
    pub clicks: i64,
    pub profile_views: i64,
    pub book_interactions: i64,
    pub bookings_created: i64,
}

fn search_types(days: &BTreeMap<Date, CounterItem>) -> BTreeMap<String, i64> {
    [SearchType::Query, SearchType::CategoryClick, SearchType::ServicePill, SearchType::FilterChange]
        .into_iter()
        .map(|t| {
            let name = search_type_name(t);
            (name.to_owned(), sum(days.values(), &format!("type_{name}")))
        })
        .collect()
}

pub async fn summary(store: &Store, window: &Window) -> Result<Summary, StoreError> {
    let (days, sets) = tokio::try_join!(read::days(store, window), DailySets::read(store, window.start, window.end))?;
    let total = |name: &str| sum(days.values(), name);
    let searches = total("searches");
    let unique_guests = sets.distinct(Set::Guests);
    let conversions = total("guest_conversions");
    Ok(Summary {
        window: *window,
        total_searches: searches,
        user_searches: total("searches_user"),
        guest_searches: total("searches_guest"),
        anonymous_searches: total("searches_anonymous"),
        untracked_searches: total("untracked_searches"),
        unique_users: sets.distinct(Set::Users),
        unique_guests,
        unique_sessions: sets.distinct(Set::Sessions),
        guest_conversions: conversions,
        guest_conversion_rate: rate(conversions, unique_guests as i64),
        search_types: search_types(&days),
        average_results: average(total("total_results"), searches),
        zero_result_searches: total("zero_result_searches"),
        zero_result_rate: rate(total("zero_result_searches"), searches),
        clicks: total("clicks"),
        profile_views: total("profile_views"),
        book_interactions: total("book_interactions"),
        bookings_created: total("bookings_created"),
    })
}

/// A report of named figures as a two-column table.
fn metric_table(value: &impl Serialize) -> Table {
    let mut t = Table::new(&["metric", "value"]);
    let json = serde_json::to_value(value).unwrap_or_default();
    let mut flat = Vec::new();
    flatten("", &json, &mut flat);
    for (name, value) in flat {
        t.row(vec![name, value]);
    }
    t
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    let join = |name: &str| if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") };
    match value {
        serde_json::Value::Object(map) => {
            for (name, inner) in map {
                flatten(&join(name), inner, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                flatten(&join(&i.to_string()), inner, out);
            }
        }
        serde_json::Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        serde_json::Value::Null => out.push((prefix.to_owned(), String::new())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

impl Summary {
    pub fn table(&self) -> Table {
        metric_table(self)
    }
}

// ------------------------------------------------------------------------------ conversion

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Funnel {
    pub window: Window,
    pub searches: i64,
    /// Distinct searches with at least one result clicked.
    pub searches_with_click: usize,
    /// Distinct searches from which a profile was viewed.
    pub searches_with_profile_view: usize,
    /// Distinct searches from which a booking was made.
    pub searches_with_booking: usize,
    pub clicks: i64,
    pub profile_views: i64,
    pub book_interactions: i64,
    /// Every booking created in the window, from search or not.
    pub bookings_created: i64,
    pub click_rate: f64,
    /// searches_with_profile_view / searches.
    pub profile_view_rate: f64,
    /// searches_with_booking / searches.
    pub booking_rate: f64,
    /// searches_with_booking / searches_with_profile_view.
    pub view_to_booking_rate: f64,
    /// Mean result position of interactions that reported one.
    pub average_result_position: f64,
    /// Mean milliseconds from results to interaction, where reported.
    pub average_time_to_interaction_ms: f64,
}

pub async fn conversion(store: &Store, window: &Window) -> Result<Funnel, StoreError> {
    let (days, sets) = tokio::try_join!(read::days(store, window), DailySets::read(store, window.start, window.end))?;
    let total = |name: &str| sum(days.values(), name);
    let searches = total("searches");
    let clicked = sets.distinct(Set::SearchesClicked);
    let viewed = sets.distinct(Set::SearchesViewed);
    let booked = sets.distinct(Set::SearchesBooked);
    Ok(Funnel {
        window: *window,
        searches,
        searches_with_click: clicked,
        searches_with_profile_view: viewed,
        searches_with_booking: booked,
        clicks: total("clicks"),
        profile_views: total("profile_views"),
        book_interactions: total("book_interactions"),
        bookings_created: total("bookings_created"),
        click_rate: rate(clicked as i64, searches),
        profile_view_rate: rate(viewed as i64, searches),
        booking_rate: rate(booked as i64, searches),
        view_to_booking_rate: rate(booked as i64, viewed as i64),
        average_result_position: average(total("position_total"), total("positioned_interactions")),
        average_time_to_interaction_ms: average(total("time_to_interaction_total_ms"), total("timed_interactions")),
    })
}

impl Funnel {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["stage", "searches", "rate"]);
        t.row(vec!["search".into(), cell(self.searches), cell(1.0)]);
        t.row(vec!["click".into(), cell(self.searches_with_click), cell(self.click_rate)]);
        t.row(vec!["profile_view".into(), cell(self.searches_with_profile_view), cell(self.profile_view_rate)]);
        t.row(vec!["booking".into(), cell(self.searches_with_booking), cell(self.booking_rate)]);
        t
    }
}

// ----------------------------------------------------------------------------- performance

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResultBucket {
    /// "0", "1-5", "6-10", "11-20" or "21+" results.
    pub results: String,
    pub searches: i64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProblemQuery {
    pub query: String,
    pub searches: i64,
    pub zero_result_searches: i64,
    pub average_results: f64,
    /// `mostly_zero_results` (at least half found nothing) or `few_results` (fewer than 3
    /// on average).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Performance {
    pub window: Window,
    pub searches: i64,
    pub average_results: f64,
    pub zero_result_rate: f64,
    pub result_distribution: Vec<ResultBucket>,
    /// Queries searched at least twice that mostly find nothing or very little.
    pub problem_queries: Vec<ProblemQuery>,
}

fn bucket_label(bucket: &str) -> String {
    match bucket {
        "21_plus" => "21+".to_owned(),
        other => other.replace('_', "-"),
    }
}

pub async fn performance(store: &Store, window: &Window, limit: usize) -> Result<Performance, StoreError> {
    let (days, totals) = tokio::try_join!(read::days(store, window), query_totals(store, window))?;
    let total = |name: &str| sum(days.values(), name);
    let searches = total("searches");
    let result_distribution = RESULT_BUCKETS
        .iter()
        .map(|b| {
            let n = total(&format!("results_{b}"));
            ResultBucket { results: bucket_label(b), searches: n, share: rate(n, searches) }
        })
        .collect();
    let mut problem_queries: Vec<ProblemQuery> = totals
        .iter()
        .filter(|(_, t)| t.searches >= PROBLEM_MIN_SEARCHES)
        .filter_map(|(query, t)| {
            let avg = average(t.results, t.searches);
            let reason = if t.zero * 2 >= t.searches {
                "mostly_zero_results"
            } else if avg < FEW_RESULTS {
                "few_results"
            } else {
                return None;
            };
            Some(ProblemQuery {
                query: query.clone(),
                searches: t.searches,
                zero_result_searches: t.zero,
                average_results: avg,
                reason: reason.to_owned(),
            })
        })
        .collect();
    problem_queries.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.query.cmp(&b.query)));
    problem_queries.truncate(limit);
    Ok(Performance {
        window: *window,
        searches,
        average_results: average(total("total_results"), searches),
        zero_result_rate: rate(total("zero_result_searches"), searches),
        result_distribution,
        problem_queries,
    })
}

impl Performance {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["section", "name", "searches", "value", "reason"]);
        for b in &self.result_distribution {
            t.row(vec![
                "result_distribution".into(),
                b.results.clone(),
                cell(b.searches),
                cell(b.share),
                String::new(),
            ]);
        }
        for q in &self.problem_queries {
            t.row(vec![
                "problem_query".into(),
                q.query.clone(),
                cell(q.searches),
                cell(q.average_results),
                q.reason.clone(),
            ]);
        }
        t
    }
}

// -------------------------------------------------------------------------- service demand

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ServiceDemand {
    pub service: String,
    pub name: Option<String>,
    pub category: Option<String>,
    pub searches: i64,
    pub zero_result_searches: i64,
    pub bookings_created: i64,
    pub bookings_completed: i64,
    pub bookings_cancelled: i64,
    /// Paid for completed lessons, in cents.
    pub revenue_cents: i64,
    /// Nearest-rank percentiles of completed bookings' prices, in cents.
    pub price_p25_cents: Option<u32>,
    pub price_p50_cents: Option<u32>,
    pub price_p75_cents: Option<u32>,
    pub price_p90_cents: Option<u32>,
    /// bookings_created / searches.
    pub search_to_booking_rate: f64,
    /// From the latest daily job: demand score, trending flag and instructors.
    pub demand_score: Option<i64>,
    pub trending: Option<bool>,
    pub instructor_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ServiceDemandReport {
    pub window: Window,
    /// The day the daily-job figures are from, if it has run.
    #[schema(value_type = Option<String>, format = Date)]
    pub daily_figures_for: Option<Date>,
    /// Services with any activity in the window, most searched first.
    pub services: Vec<ServiceDemand>,
}

/// Completed-booking prices of service-day items as a histogram.
pub fn price_histogram<'a>(items: impl IntoIterator<Item = &'a CounterItem>) -> BTreeMap<u32, i64> {
    let mut histogram = BTreeMap::new();
    for item in items {
        for (price, n) in item.with_prefix(PRICE) {
            if let Ok(price) = price.parse::<u32>() {
                *histogram.entry(price).or_insert(0) += n;
            }
        }
    }
    histogram
}

pub async fn service_demand(
    store: &Store,
    window: &Window,
    catalog: Option<&Catalog>,
) -> Result<ServiceDemandReport, StoreError> {
    let (items, latest) =
        tokio::try_join!(read::service_days(store, window.start, window.end), daily::latest_service_stats(store))?;
    let mut by_service: BTreeMap<String, Vec<CounterItem>> = BTreeMap::new();
    for (_, service, item) in items {
        by_service.entry(service).or_default().push(item);
    }
    let (daily_figures_for, stats): (Option<Date>, HashMap<String, ServiceStats>) = match latest {
        Some((day, stats)) => (Some(day), stats.into_iter().map(|s| (s.service.clone(), s)).collect()),
        None => (None, HashMap::new()),
    };
    let mut services: Vec<ServiceDemand> = by_service
        .into_iter()
        .map(|(service, items)| {
            let total = |name: &str| sum(items.iter(), name);
            let histogram = price_histogram(items.iter());
            let known = catalog.and_then(|c| c.service(&service));
            let daily = stats.get(&service);
            ServiceDemand {
                name: known.map(|s| s.name.clone()),
                category: known.map(|s| s.category.clone()),
                searches: total("searches"),
                zero_result_searches: total("zero_result_searches"),
                bookings_created: total("bookings_created"),
                bookings_completed: total("bookings_completed"),
                bookings_cancelled: total("bookings_cancelled"),
                revenue_cents: total("revenue_cents"),
                price_p25_cents: percentile(&histogram, 25),
                price_p50_cents: percentile(&histogram, 50),
                price_p75_cents: percentile(&histogram, 75),
                price_p90_cents: percentile(&histogram, 90),
                search_to_booking_rate: rate(total("bookings_created"), total("searches")),
                demand_score: daily.map(|d| d.demand_score),
                trending: daily.map(|d| d.trending),
                instructor_count: daily.map(|d| d.instructor_count),
                service,
            }
        })
        .collect();
    services.sort_by(|a, b| {
        b.searches
            .cmp(&a.searches)
            .then_with(|| b.bookings_created.cmp(&a.bookings_created))
            .then_with(|| a.service.cmp(&b.service))
    });
    Ok(ServiceDemandReport { window: *window, daily_figures_for, services })
}

impl ServiceDemandReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&[
            "service",
            "name",
            "category",
            "searches",
            "zero_result_searches",
            "bookings_created",
            "bookings_completed",
            "bookings_cancelled",
            "revenue_cents",
            "price_p25_cents",
            "price_p50_cents",
            "price_p75_cents",
            "price_p90_cents",
            "search_to_booking_rate",
            "demand_score",
            "trending",
            "instructor_count",
        ]);
        for s in &self.services {
            t.row(vec![
                s.service.clone(),
                s.name.clone().unwrap_or_default(),
                s.category.clone().unwrap_or_default(),
                cell(s.searches),
                cell(s.zero_result_searches),
                cell(s.bookings_created),
                cell(s.bookings_completed),
                cell(s.bookings_cancelled),
                cell(s.revenue_cents),
                optional(s.price_p25_cents),
                optional(s.price_p50_cents),
                optional(s.price_p75_cents),
                optional(s.price_p90_cents),
                cell(s.search_to_booking_rate),
                optional(s.demand_score),
                optional(s.trending),
                optional(s.instructor_count),
            ]);
        }
        t
    }
}

// ------------------------------------------------------------------------- user behaviour

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Share {
    pub name: String,
    pub searches: i64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IdentityBucket {
    /// Searches per person in the window: "1", "2-5", "6-10" or "11+".
    pub searches: String,
    pub people: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UserBehavior {
    pub window: Window,
    /// Distinct users and guests who searched.
    pub people: usize,
    /// Their searches per person, on average.
    pub average_searches_per_person: f64,
    pub searches_per_person: Vec<IdentityBucket>,
    /// People who searched at least twice.
    pub repeat_searchers: usize,
    /// People who searched on at least two different days.
    pub multi_day_searchers: usize,
    /// Searches by people first seen on an earlier day.
    pub returning_searches: i64,
    pub returning_share: f64,
    pub unique_sessions: usize,
    /// Searches that carried a browser session id, per distinct session.
    pub average_searches_per_session: f64,
    pub devices: Vec<Share>,
    pub browsers: Vec<Share>,
    pub operating_systems: Vec<Share>,
    /// Borough (or nyc, outside_nyc, unknown) of the searches.
    pub places: Vec<Share>,
    pub search_types: Vec<Share>,
}

fn shares(days: &BTreeMap<Date, CounterItem>, prefix: &str, total: i64, keep_zero: &[&str]) -> Vec<Share> {
    let mut counts: BTreeMap<String, i64> = keep_zero.iter().map(|k| ((*k).to_owned(), 0)).collect();
    let full = format!("{COUNTER}{prefix}");
    for item in days.values() {
        for (name, n) in item.with_prefix(&full) {
            *counts.entry(name.to_owned()).or_insert(0) += n;
        }
    }
    let mut list: Vec<Share> =
        counts.into_iter().map(|(name, searches)| Share { name, searches, share: rate(searches, total) }).collect();
    list.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.name.cmp(&b.name)));
    list
}

pub fn identity_bucket(searches: i64) -> &'static str {
    match searches {
        ..=1 => "1",
        2..=5 => "2-5",
        6..=10 => "6-10",
        _ => "11+",
    }
}

pub async fn user_behavior(store: &Store, window: &Window) -> Result<UserBehavior, StoreError> {
    let (days, sets) = tokio::try_join!(read::days(store, window), DailySets::read(store, window.start, window.end))?;
    let total = |name: &str| sum(days.values(), name);
    let searches = total("searches");
    let mut people: HashMap<String, i64> = sets.totals(Set::Users);
    people.extend(sets.totals(Set::Guests));
    let mut active_days = sets.active_days(Set::Users);
    active_days.extend(sets.active_days(Set::Guests));
    let mut buckets: BTreeMap<&str, usize> = ["1", "2-5", "6-10", "11+"].into_iter().map(|b| (b, 0)).collect();
    for n in people.values() {
        *buckets.entry(identity_bucket(*n)).or_insert(0) += 1;
    }
    let unique_sessions = sets.distinct(Set::Sessions);
    let device_names: Vec<&str> = DeviceKind::ALL.iter().map(|d| d.as_str()).collect();
    let type_names: Vec<&str> =
        [SearchType::Query, SearchType::CategoryClick, SearchType::ServicePill, SearchType::FilterChange]
            .into_iter()
            .map(search_type_name)
            .collect();
    Ok(UserBehavior {
        window: *window,
        people: people.len(),
        average_searches_per_person: average(people.values().sum(), people.len() as i64),
        searches_per_person: ["1", "2-5", "6-10", "11+"]
            .into_iter()
            .map(|b| IdentityBucket { searches: b.to_owned(), people: buckets.get(b).copied().unwrap_or(0) })
            .collect(),
        repeat_searchers: people.values().filter(|n| **n >= 2).count(),
        multi_day_searchers: active_days.values().filter(|n| **n >= 2).count(),
        returning_searches: total("returning_searches"),
        returning_share: rate(total("returning_searches"), searches),
        unique_sessions,
        average_searches_per_session: average(total("searches_with_session"), unique_sessions as i64),
        devices: shares(&days, "device_", searches, &device_names),
        browsers: shares(&days, "browser_", searches, &[]),
        operating_systems: shares(&days, "os_", searches, &[]),
        places: shares(&days, "place_", searches, &place::ALL),
        search_types: shares(&days, "type_", searches, &type_names),
    })
}

impl UserBehavior {
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["section", "name", "value", "share"]);
        let mut figure =
            |name: &str, value: String| t.row(vec!["overall".into(), name.to_owned(), value, String::new()]);
        figure("people", cell(self.people));
        figure("average_searches_per_person", cell(self.average_searches_per_person));
        figure("repeat_searchers", cell(self.repeat_searchers));
        figure("multi_day_searchers", cell(self.multi_day_searchers));
        figure("returning_searches", cell(self.returning_searches));
        figure("returning_share", cell(self.returning_share));
        figure("unique_sessions", cell(self.unique_sessions));
        figure("average_searches_per_session", cell(self.average_searches_per_session));
        for b in &self.searches_per_person {
            t.row(vec!["searches_per_person".into(), b.searches.clone(), cell(b.people), String::new()]);
        }
        for (section, list) in [
            ("device", &self.devices),
            ("browser", &self.browsers),
            ("operating_system", &self.operating_systems),
            ("place", &self.places),
            ("search_type", &self.search_types),
        ] {
            for s in list {
                t.row(vec![section.into(), s.name.clone(), cell(s.searches), cell(s.share)]);
            }
        }
        t
    }
}
