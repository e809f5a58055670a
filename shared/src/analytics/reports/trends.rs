//! Searches over time: each day of the window with its searches and distinct searchers.

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular};
use crate::analytics::{
    counters::CounterItem,
    read,
    sets::{DailySets, Set},
    table::{Table, cell},
    window::Window,
};
use crate::store::{Store, StoreError};

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

impl Tabular for Trends {
    fn table(&self) -> Table {
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

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&trends(inputs.store, &inputs.window).await?) })
}
