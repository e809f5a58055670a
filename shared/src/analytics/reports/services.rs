//! Demand per service: searches, bookings, revenue, completed-booking price percentiles
//! and the daily job's demand score.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular};
use crate::analytics::{
    counters::{CounterItem, price_histogram},
    daily::{self, ServiceStats},
    read::{self, sum},
    stats::{percentile, rate},
    table::{Table, cell, optional},
    window::Window,
};
use crate::{catalog, catalog::Catalog, store::Store, store::StoreError};

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

impl Tabular for ServiceDemandReport {
    fn table(&self) -> Table {
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

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move {
        let catalog = catalog::load(inputs.store).await?;
        Output::of(&service_demand(inputs.store, &inputs.window, Some(&catalog)).await?)
    })
}
