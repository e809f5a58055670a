//! The queries that found nothing: what the platform cannot yet offer.

use super::{
    Inputs, Output, Pending,
    queries::{QueryFigure, QueryList, figure, query_totals},
};
use crate::analytics::window::Window;
use crate::store::{Store, StoreError};

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

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&zero_result_queries(inputs.store, &inputs.window, inputs.limit).await?) })
}
