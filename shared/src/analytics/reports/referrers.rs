//! Where searches came from: referring hosts and the pages they were made on.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular};
use crate::analytics::{
    read::{self, sum},
    stats::rate,
    table::{Table, cell},
    window::Window,
};
use crate::store::{Store, StoreError};

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

impl Tabular for Referrers {
    fn table(&self) -> Table {
        let mut t = Table::new(&["kind", "source", "searches", "share"]);
        for (kind, list) in [("referrer", &self.referrers), ("origin", &self.origins)] {
            for s in list {
                t.row(vec![kind.to_owned(), s.source.clone(), cell(s.searches), cell(s.share)]);
            }
        }
        t
    }
}

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&referrers(inputs.store, &inputs.window, inputs.limit).await?) })
}
