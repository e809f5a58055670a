//! The window's totals in one object.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular};
use crate::analytics::{
    apply::search_type_name,
    counters::CounterItem,
    read::{self, sum},
    sets::{DailySets, Set},
    stats::{average, rate},
    table::Table,
    window::Window,
};
use crate::{search::events::SearchType, store::Store, store::StoreError};

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

impl Tabular for Summary {
    fn table(&self) -> Table {
        metric_table(self)
    }
}

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&summary(inputs.store, &inputs.window).await?) })
}
