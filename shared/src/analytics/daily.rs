//! The daily job (`analytics-daily`, 02:30 New York): for one day D (normally yesterday),
//! per-service figures over the 7 and 30 days ending on D, a demand score and a trending
//! flag, the catalog's display order by popularity, the day's report, and the retention
//! TTL cannot do on its own.
//!
//! It reads aggregates, never raw events: the service-day counters of 30 days (at most
//! 30 × the number of services items), the catalog and the instructor profiles. Every
//! output is a put of a value computed from those (no increments), so running it twice for
//! a day gives the same items; every figure comes from recorded events, so a service
//! nobody searched for or booked has zeros.
//!
//! * demand score = searches (30 d) + 5 × bookings created (30 d): a booking is a much
//!   stronger signal than a search.
//! * trending = at least 5 searches in 7 d, and the 7-day daily rate at least 1.5 × the
//!   30-day daily rate.
//! * needs instructors = searched in 30 d and: nobody teaches it, or a search for it found
//!   nobody, or its demand per listed instructor is at least 50.
//! * display order: within each category, by demand score (highest first), ties keeping
//!   their current order, so a rerun changes nothing. Only a run for yesterday (or later)
//!   reorders the catalog: a backfill of old days must not put last year's favourites
//!   first.

use std::collections::HashMap;

use jiff::{Span, Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    apply::day_of,
    counters::{CounterItem, price_histogram},
    keys,
    read::{self, sum},
    sets::{DailySets, Set},
    stats::percentile,
};
use crate::{
    catalog::{self, CatalogItem},
    changes, instructors,
    store::{Index, Key, Query, Record, SortCondition, Store, StoreError},
};

pub const BOOKING_WEIGHT: i64 = 5;
pub const TRENDING_MIN_SEARCHES: i64 = 5;
pub const HIGH_DEMAND_LIMIT: usize = 10;
pub const DEMAND_PER_INSTRUCTOR: i64 = 50;
/// Raw-event partitions this many days old (and a week before, for skipped runs) are
/// deleted outright: TTL deletion can lag by days.
const RAW_EVENT_DAYS: i64 = super::record::RAW_EVENT_RETENTION_DAYS + 1;
const RAW_EVENT_SWEEP_DAYS: i64 = 7;

/// When the job last ran (the admin monitoring endpoint reports its age).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ToSchema)]
#[serde(tag = "entity", rename = "daily_run")]
pub struct DailyRun {
    /// The scheduled time of the run that finished last (RFC 3339 UTC).
    pub scheduled_for: String,
    pub finished_at: String,
    /// The day that run computed.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub day: Option<Date>,
    /// The latest day any run has computed (a backfill of old days does not lower it).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub latest_day: Option<Date>,
}

pub fn last_run_key() -> Key {
    Key::new("META", "DAILY_RUN")
}

pub async fn last_run(store: &Store) -> Result<Option<DailyRun>, StoreError> {
    Ok(store.get::<Record<DailyRun>>(&last_run_key()).await?.map(|r| r.data))
}

/// One service's figures for a day, as the job computed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ServiceStats {
    pub service: String,
    pub category: String,
    pub searches_7d: i64,
    pub searches_30d: i64,
    pub zero_result_searches_30d: i64,
    pub bookings_7d: i64,
    pub bookings_30d: i64,
    pub completed_30d: i64,
    pub revenue_30d_cents: i64,
    /// Nearest-rank percentiles of the prices of bookings completed in 30 d, in cents.
    pub price_p25_cents: Option<u32>,
    pub price_p50_cents: Option<u32>,
    pub price_p75_cents: Option<u32>,
    pub price_p90_cents: Option<u32>,
    /// Listed instructors with an active offering of it.
    pub instructor_count: u32,
    pub demand_score: i64,
    pub trending: bool,
    /// Why it needs instructors (empty when it does not): `no_instructors`,
    /// `searches_found_nothing`, `high_demand_per_instructor`.
    pub needs_instructors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "service_stats")]
struct ServiceStatsItem {
    #[serde(flatten)]
    stats: ServiceStats,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportService {
    pub service: String,
    pub demand_score: i64,
    pub searches_30d: i64,
    pub bookings_30d: i64,
    pub instructor_count: u32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "daily_report")]
struct ReportItem {
    #[serde(flatten)]
    report: DailyReport,
}

/// The day's report: what the admin team looks at each morning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DailyReport {
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    pub searches: i64,
    pub zero_result_searches: i64,
    pub untracked_searches: i64,
    pub unique_users: usize,
    pub unique_guests: usize,
    pub bookings_created: i64,
    pub bookings_completed: i64,
    pub completed_revenue_cents: i64,
    /// Top services by demand score (30 days).
    pub high_demand: Vec<ReportService>,
    /// Services whose demand outruns their instructors.
    pub needs_instructors: Vec<ReportService>,
    pub trending: Vec<String>,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyOutcome {
    pub day: Date,
    pub services: usize,
    pub report: DailyReport,
    /// Services whose display order changed.
    pub reordered: usize,
    pub salts_deleted: usize,
    pub raw_events_deleted: usize,
}

fn days_before(day: Date, days: i64) -> Date {
    day.checked_sub(Span::new().days(days)).unwrap_or(day)
}

/// The per-service figures of `day` from the service-day counters of the 30 days ending
/// on it.
pub fn service_stats(
    day: Date,
    catalog: &catalog::Catalog,
    instructor_counts: &HashMap<String, u32>,
    service_days: &[(Date, String, CounterItem)],
) -> Vec<ServiceStats> {
    let week_start = days_before(day, 6);
    let month_start = days_before(day, 29);
    let mut by_service: HashMap<&str, Vec<(Date, &CounterItem)>> = HashMap::new();
    for (date, service, item) in service_days {
        if *date >= month_start && *date <= day {
            by_service.entry(service.as_str()).or_default().push((*date, item));
        }
    }
    catalog
        .services
        .iter()
        .map(|service| {
            let items = by_service.get(service.slug.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let month = items.iter().map(|(_, i)| *i);
            let week = || items.iter().filter(|(d, _)| *d >= week_start).map(|(_, i)| *i);
            let searches_30d = sum(month.clone(), "searches");
            let searches_7d = sum(week(), "searches");
            let bookings_30d = sum(month.clone(), "bookings_created");
            let zero_30d = sum(month.clone(), "zero_result_searches");
            let histogram = price_histogram(month.clone());
            let instructor_count = instructor_counts.get(&service.slug).copied().unwrap_or(0);
            let demand_score = searches_30d + BOOKING_WEIGHT * bookings_30d;
            let trending = searches_7d >= TRENDING_MIN_SEARCHES && searches_7d * 30 * 2 >= searches_30d * 7 * 3;
            let mut needs = Vec::new();
            if searches_30d > 0 {
                if instructor_count == 0 {
                    needs.push("no_instructors".to_owned());
                }
                if zero_30d > 0 {
                    needs.push("searches_found_nothing".to_owned());
                }
                if instructor_count > 0 && demand_score / i64::from(instructor_count) >= DEMAND_PER_INSTRUCTOR {
                    needs.push("high_demand_per_instructor".to_owned());
                }
            }
            ServiceStats {
                service: service.slug.clone(),
                category: service.category.clone(),
                searches_7d,
                searches_30d,
                zero_result_searches_30d: zero_30d,
                bookings_7d: sum(week(), "bookings_created"),
                bookings_30d,
                completed_30d: sum(month.clone(), "bookings_completed"),
                revenue_30d_cents: sum(month.clone(), "revenue_cents"),
                price_p25_cents: percentile(&histogram, 25),
                price_p50_cents: percentile(&histogram, 50),
                price_p75_cents: percentile(&histogram, 75),
                price_p90_cents: percentile(&histogram, 90),
                instructor_count,
                demand_score,
                trending,
                needs_instructors: needs,
            }
        })
        .collect()
}

fn report_service(s: &ServiceStats) -> ReportService {
    ReportService {
        service: s.service.clone(),
        demand_score: s.demand_score,
        searches_30d: s.searches_30d,
        bookings_30d: s.bookings_30d,
        instructor_count: s.instructor_count,
        reasons: s.needs_instructors.clone(),
    }
}

fn by_demand(a: &&ServiceStats, b: &&ServiceStats) -> std::cmp::Ordering {
    b.demand_score.cmp(&a.demand_score).then_with(|| a.service.cmp(&b.service))
}

/// The new display order of each category's services: demand first, then the current order.
pub fn display_order(catalog: &catalog::Catalog, stats: &[ServiceStats]) -> Vec<catalog::Service> {
    let demand: HashMap<&str, i64> = stats.iter().map(|s| (s.service.as_str(), s.demand_score)).collect();
    let mut changed = Vec::new();
    for category in &catalog.categories {
        let mut services: Vec<&catalog::Service> = catalog.services_in(&category.slug).collect();
        services.sort_by(|a, b| {
            let (da, db) = (demand.get(a.slug.as_str()).unwrap_or(&0), demand.get(b.slug.as_str()).unwrap_or(&0));
            db.cmp(da).then_with(|| a.display_order.cmp(&b.display_order)).then_with(|| a.slug.cmp(&b.slug))
        });
        for (i, service) in services.into_iter().enumerate() {
            let order = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if service.display_order != order {
                changed.push(catalog::Service { display_order: order, ..service.clone() });
            }
        }
    }
    changed
}

/// Runs the job for `day` as of `now`.
pub async fn run(store: &Store, now: Timestamp, day: Date) -> Result<DailyOutcome, StoreError> {
    let month_start = days_before(day, 29);
    let just_the_day = super::window::Window { start: day, end: day };
    let (catalog, profiles, service_days, days, sets) = tokio::try_join!(
        catalog::load(store),
        instructors::load_all(store),
        read::service_days(store, month_start, day),
        read::days(store, &just_the_day),
        DailySets::read(store, day, day),
    )?;
    let instructor_counts: HashMap<String, u32> =
        catalog::service_stats(&profiles).into_iter().map(|(slug, s)| (slug, s.instructor_count)).collect();
    let stats = service_stats(day, &catalog, &instructor_counts, &service_days);

    let items = stats
        .iter()
        .map(|s| Record::new(keys::service_stats(day, &s.service), ServiceStatsItem { stats: s.clone() }).to_item())
        .collect::<Result<Vec<_>, _>>()?;
    store.put_batch(items).await?;

    let mut ranked: Vec<&ServiceStats> = stats.iter().filter(|s| s.demand_score > 0).collect();
    ranked.sort_by(by_demand);
    let mut needing: Vec<&ServiceStats> = stats.iter().filter(|s| !s.needs_instructors.is_empty()).collect();
    needing.sort_by(by_demand);
    let empty = CounterItem::default();
    let totals = days.get(&day).unwrap_or(&empty);
    let report = DailyReport {
        day,
        searches: totals.counter("searches"),
        zero_result_searches: totals.counter("zero_result_searches"),
        untracked_searches: totals.counter("untracked_searches"),
        unique_users: sets.count_on(day, Set::Users),
        unique_guests: sets.count_on(day, Set::Guests),
        bookings_created: totals.counter("bookings_created"),
        bookings_completed: totals.counter("bookings_completed"),
        completed_revenue_cents: totals.counter("completed_revenue_cents"),
        high_demand: ranked.iter().take(HIGH_DEMAND_LIMIT).map(|s| report_service(s)).collect(),
        needs_instructors: needing.iter().map(|s| report_service(s)).collect(),
        trending: stats.iter().filter(|s| s.trending).map(|s| s.service.clone()).collect(),
    };
    store.put(&Record::new(keys::report(day), ReportItem { report: report.clone() })).await?;

    let today = day_of(now);
    let mut reordered = 0;
    if day >= days_before(today, 1) {
        let changed = display_order(&catalog, &stats);
        reordered = changed.len();
        if !changed.is_empty() {
            let items = changed
                .into_iter()
                .map(|s| Record::new(crate::store::keys::service(&s.slug), CatalogItem::Service(s)).to_item())
                .collect::<Result<Vec<_>, _>>()?;
            store.put_batch(items).await?;
            // Warm search Lambdas reload the catalog (and its new order).
            changes::everything(store).await?;
        }
    }

    let salts_deleted = delete_old_salts(store, today).await?;
    let raw_events_deleted = delete_expired_raw_events(store, today).await?;
    Ok(DailyOutcome { day, services: stats.len(), report, reordered, salts_deleted, raw_events_deleted })
}

/// Deletes the IP salts of every day before yesterday. A salt only ever hashes the IPs of
/// its own day, so once its day is over (plus a day of grace) nothing needs it; TTL would
/// delete it within 48 h of its creation, but TTL can lag by days.
async fn delete_old_salts(store: &Store, today: Date) -> Result<usize, StoreError> {
    let keep_from = days_before(today, 1);
    let items = store
        .query_items(Query::partition(Index::Table, "SALT").sort(SortCondition::BeginsWith("DAY#".into())))
        .await?;
    let old: Vec<Key> = items
        .iter()
        .filter_map(|item| item.get("SK").and_then(|v| v.as_s().ok()))
        .filter(|sk| sk.strip_prefix("DAY#").and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < keep_from))
        .map(|sk| Key::new("SALT", sk.clone()))
        .collect();
    store.delete_batch(&old).await?;
    Ok(old.len())
}

/// Deletes the raw-event partitions of the days that left the 365-day retention (the
/// last week of them, so a few skipped runs are caught up).
async fn delete_expired_raw_events(store: &Store, today: Date) -> Result<usize, StoreError> {
    let mut deleted = 0;
    for age in RAW_EVENT_DAYS..RAW_EVENT_DAYS + RAW_EVENT_SWEEP_DAYS {
        let date = days_before(today, age);
        deleted += store.delete_partition(&keys::events_of(date)).await?;
    }
    Ok(deleted)
}

/// Records that a run for `day` finished.
pub async fn record_run(
    store: &Store,
    scheduled_for: Timestamp,
    finished_at: Timestamp,
    day: Date,
) -> Result<DailyRun, StoreError> {
    let previous = last_run(store).await?;
    let latest_day = previous.and_then(|r| r.latest_day).map_or(day, |d| d.max(day));
    let run = DailyRun {
        scheduled_for: scheduled_for.to_string(),
        finished_at: finished_at.to_string(),
        day: Some(day),
        latest_day: Some(latest_day),
    };
    store.put(&Record::new(last_run_key(), run.clone())).await?;
    Ok(run)
}

/// The figures of the latest day the job computed, if it has run.
pub async fn latest_service_stats(store: &Store) -> Result<Option<(Date, Vec<ServiceStats>)>, StoreError> {
    let Some(day) = last_run(store).await?.and_then(|r| r.latest_day) else {
        return Ok(None);
    };
    Ok(Some((day, service_stats_of(store, day).await?)))
}

/// The per-service figures the job stored for `day`.
pub async fn service_stats_of(store: &Store, day: Date) -> Result<Vec<ServiceStats>, StoreError> {
    let records: Vec<Record<ServiceStatsItem>> =
        store.query_all(Query::partition(Index::Table, keys::service_stats_partition(day))).await?;
    Ok(records.into_iter().map(|r| r.data.stats).collect())
}

/// The report the job stored for `day`.
pub async fn report(store: &Store, day: Date) -> Result<Option<DailyReport>, StoreError> {
    Ok(store.get::<Record<ReportItem>>(&keys::report(day)).await?.map(|r| r.data.report))
}

/// The day a run scheduled at `scheduled_for` computes: the New York day before.
pub fn day_for_schedule(scheduled_for: Timestamp) -> Date {
    days_before(day_of(scheduled_for), 1)
}
