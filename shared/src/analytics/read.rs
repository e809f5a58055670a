//! Reading a window's aggregates: one Query per kind of item, each a `BETWEEN` on the date
//! that leads every sort key.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{counters::CounterItem, keys, window::Window};
use crate::store::{Index, Query, SortCondition, Store, StoreError};

/// The day counters of every day in the window that has any (missing days are zeros).
pub async fn days(store: &Store, window: &Window) -> Result<BTreeMap<Date, CounterItem>, StoreError> {
    let query = Query::partition(Index::Table, keys::DAY)
        .sort(SortCondition::Between(window.start.to_string(), window.end.to_string()));
    Ok(store
        .query_items(query)
        .await?
        .iter()
        .map(CounterItem::from_item)
        .filter_map(|item| item.sk.parse::<Date>().ok().map(|d| (d, item)))
        .collect())
}

/// Items of a `<date>#<rest>` partition in the window, with their date and the rest of
/// their sort key.
async fn dated(
    store: &Store,
    partition: &str,
    first: Date,
    last: Date,
) -> Result<Vec<(Date, String, CounterItem)>, StoreError> {
    let (low, high) = keys::date_prefixed_range(first, last);
    let query = Query::partition(Index::Table, partition).sort(SortCondition::Between(low, high));
    Ok(store
        .query_items(query)
        .await?
        .iter()
        .map(CounterItem::from_item)
        .filter_map(|item| {
            let (date, rest) = item.sk.split_once('#')?;
            Some((date.parse::<Date>().ok()?, rest.to_owned(), item))
        })
        .collect())
}

/// Per-query counters of each day of the window.
pub async fn queries(store: &Store, window: &Window) -> Result<Vec<(Date, CounterItem)>, StoreError> {
    Ok(dated(store, keys::QUERIES, window.start, window.end).await?.into_iter().map(|(d, _, i)| (d, i)).collect())
}

/// Referrer (`R`) and origin (`O`) counters of each day of the window.
pub async fn sources(store: &Store, window: &Window) -> Result<Vec<(Date, char, CounterItem)>, StoreError> {
    Ok(dated(store, keys::SOURCES, window.start, window.end)
        .await?
        .into_iter()
        .filter_map(|(d, rest, i)| rest.chars().next().map(|kind| (d, kind, i)))
        .collect())
}

/// Per-service counters of each day from `first` to `last`: (date, service slug, counters).
pub async fn service_days(
    store: &Store,
    first: Date,
    last: Date,
) -> Result<Vec<(Date, String, CounterItem)>, StoreError> {
    dated(store, keys::SERVICE_DAYS, first, last).await
}

/// One instructor's day counters in the window.
pub async fn instructor_days(
    store: &Store,
    instructor_id: &str,
    window: &Window,
) -> Result<BTreeMap<Date, CounterItem>, StoreError> {
    let query = Query::partition(Index::Table, keys::instructor_partition(instructor_id))
        .sort(SortCondition::Between(window.start.to_string(), window.end.to_string()));
    Ok(store
        .query_items(query)
        .await?
        .iter()
        .map(CounterItem::from_item)
        .filter_map(|item| item.sk.parse::<Date>().ok().map(|d| (d, item)))
        .collect())
}

/// The sum of counter `name` over `items`.
pub fn sum<'a>(items: impl IntoIterator<Item = &'a CounterItem>, name: &str) -> i64 {
    items.into_iter().map(|i| i.counter(name)).sum()
}
