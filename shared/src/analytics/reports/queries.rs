//! What the two query reports share: a query's totals over the window, and the list they
//! both answer with.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::Tabular;
use crate::analytics::{
    read,
    stats::average,
    table::{Table, cell},
    window::Window,
};
use crate::store::{Store, StoreError};

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

pub(super) struct QueryTotals {
    pub typed: String,
    pub searches: i64,
    pub zero: i64,
    pub results: i64,
    pub last: Date,
}

pub(super) async fn query_totals(store: &Store, window: &Window) -> Result<BTreeMap<String, QueryTotals>, StoreError> {
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

pub(super) fn figure(query: &str, t: &QueryTotals) -> QueryFigure {
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

impl Tabular for QueryList {
    fn table(&self) -> Table {
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
