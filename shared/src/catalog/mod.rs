//! The service catalog: 7 categories and ~250 services (PRODUCT.md §3).
//!
//! The catalog is small and read-mostly, so it lives in one partition (`CATALOG`) and is
//! read whole with a single query; the search function keeps it in memory (see
//! [`crate::directory`]).

mod stats;
mod view;

use serde::{Deserialize, Serialize};

use crate::store::{Index, Query, Record, SortCondition, Store, StoreError, keys};

pub use stats::{PriceRange, ServiceStats, service_stats};
pub use view::{AllServicesCategory, CategoryView, ServiceSummary, ServiceView};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub subtitle: String,
    pub description: String,
    pub display_order: u32,
    #[serde(default)]
    pub icon: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub slug: String,
    pub name: String,
    /// The category's slug.
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub search_terms: Vec<String>,
    /// Slugs of related services.
    #[serde(default)]
    pub related: Vec<String>,
    pub online_capable: bool,
    pub requires_certification: bool,
    /// Position within its category; the daily analytics job reorders by popularity.
    pub display_order: u32,
}

/// Which kind of catalog item a record holds (both share the `CATALOG` partition).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity")]
pub enum CatalogItem {
    #[serde(rename = "category")]
    Category(Category),
    #[serde(rename = "service")]
    Service(Service),
}

/// The whole catalog, categories and services each in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub categories: Vec<Category>,
    pub services: Vec<Service>,
}

impl Catalog {
    pub fn new(mut categories: Vec<Category>, mut services: Vec<Service>) -> Self {
        categories.sort_by(|a, b| (a.display_order, &a.slug).cmp(&(b.display_order, &b.slug)));
        let category_rank = |slug: &str| categories.iter().position(|c| c.slug == slug).unwrap_or(usize::MAX);
        services.sort_by(|a, b| {
            (category_rank(&a.category), a.display_order, &a.slug).cmp(&(
                category_rank(&b.category),
                b.display_order,
                &b.slug,
            ))
        });
        Self { categories, services }
    }

    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.slug == slug)
    }

    pub fn service(&self, slug: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.slug == slug)
    }

    pub fn services_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services.iter().filter(move |s| s.category == category)
    }

    pub fn records(&self) -> Vec<Record<CatalogItem>> {
        let categories =
            self.categories.iter().map(|c| Record::new(keys::category(&c.slug), CatalogItem::Category(c.clone())));
        let services =
            self.services.iter().map(|s| Record::new(keys::service(&s.slug), CatalogItem::Service(s.clone())));
        categories.chain(services).collect()
    }
}

/// Reads the whole catalog (one paginated query over one partition).
pub async fn load(store: &Store) -> Result<Catalog, StoreError> {
    let records: Vec<Record<CatalogItem>> =
        store.query_all(Query::partition(Index::Table, keys::CATALOG).sort(SortCondition::Any)).await?;
    let mut categories = Vec::new();
    let mut services = Vec::new();
    for record in records {
        match record.data {
            CatalogItem::Category(c) => categories.push(c),
            CatalogItem::Service(s) => services.push(s),
        }
    }
    Ok(Catalog::new(categories, services))
}
