//! What the catalog endpoints return.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Category, PriceRange, Service, ServiceStats};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryView {
    pub slug: String,
    pub name: String,
    pub subtitle: String,
    pub description: String,
    pub display_order: u32,
    pub icon: String,
    pub service_count: u32,
}

impl CategoryView {
    pub fn new(category: &Category, service_count: u32) -> Self {
        Self {
            slug: category.slug.clone(),
            name: category.name.clone(),
            subtitle: category.subtitle.clone(),
            description: category.description.clone(),
            display_order: category.display_order,
            icon: category.icon.clone(),
            service_count,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceView {
    pub slug: String,
    pub name: String,
    pub category: String,
    pub description: String,
    pub search_terms: Vec<String>,
    pub related: Vec<String>,
    pub online_capable: bool,
    pub requires_certification: bool,
    pub display_order: u32,
    /// Active, listed instructors offering this service.
    pub instructor_count: u32,
    /// Absent when nobody offers the service yet.
    pub price_range: Option<PriceRange>,
}

impl ServiceView {
    pub fn new(service: &Service, stats: ServiceStats) -> Self {
        Self {
            slug: service.slug.clone(),
            name: service.name.clone(),
            category: service.category.clone(),
            description: service.description.clone(),
            search_terms: service.search_terms.clone(),
            related: service.related.clone(),
            online_capable: service.online_capable,
            requires_certification: service.requires_certification,
            display_order: service.display_order,
            instructor_count: stats.instructor_count,
            price_range: stats.price_range,
        }
    }
}

/// One line of the all-services page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceSummary {
    pub slug: String,
    pub name: String,
    pub online_capable: bool,
    pub instructor_count: u32,
    pub price_range: Option<PriceRange>,
}

impl ServiceSummary {
    pub fn new(service: &Service, stats: ServiceStats) -> Self {
        Self {
            slug: service.slug.clone(),
            name: service.name.clone(),
            online_capable: service.online_capable,
            instructor_count: stats.instructor_count,
            price_range: stats.price_range,
        }
    }
}

/// A category with every one of its services, for the all-services page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllServicesCategory {
    pub slug: String,
    pub name: String,
    pub subtitle: String,
    pub display_order: u32,
    pub icon: String,
    pub services: Vec<ServiceSummary>,
}
