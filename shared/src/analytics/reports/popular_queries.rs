//! The most searched queries.

use super::{
    Inputs, Output, Pending,
    queries::{QueryFigure, QueryList, figure, query_totals},
};
use crate::analytics::window::Window;
use crate::store::{Store, StoreError};

/// The most searched queries: by searches, then alphabetically.
pub async fn popular_queries(store: &Store, window: &Window, limit: usize) -> Result<QueryList, StoreError> {
    let totals = query_totals(store, window).await?;
    let mut items: Vec<QueryFigure> = totals.iter().map(|(q, t)| figure(q, t)).collect();
    items.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.query.cmp(&b.query)));
    items.truncate(limit);
    Ok(QueryList { window: *window, items })
}

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&popular_queries(inputs.store, &inputs.window, inputs.limit).await?) })
}
