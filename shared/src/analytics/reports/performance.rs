//! How well search answers: the distribution of result counts and the queries that
//! mostly find nothing or little.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular, queries::query_totals};
use crate::analytics::{
    apply::RESULT_BUCKETS,
    read::{self, sum},
    stats::{average, rate},
    table::{Table, cell},
    window::Window,
};
use crate::store::{Store, StoreError};

/// A query needs this many searches in the window to be called a problem.
pub const PROBLEM_MIN_SEARCHES: i64 = 2;
/// Fewer results than this on average makes a query a problem.
pub const FEW_RESULTS: f64 = 3.0;

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

impl Tabular for Performance {
    fn table(&self) -> Table {
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

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&performance(inputs.store, &inputs.window, inputs.limit).await?) })
}
