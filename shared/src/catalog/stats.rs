//! Per-service figures derived from the instructors who are actually bookable.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::{instructors::InstructorProfile, money::Cents};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct PriceRange {
    /// Lowest hourly rate among active offerings, in cents.
    pub min_cents: Cents,
    /// Highest hourly rate among active offerings, in cents.
    pub max_cents: Cents,
    pub currency: &'static str,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServiceStats {
    pub instructor_count: u32,
    pub price_range: Option<PriceRange>,
}

/// Counts and price ranges per service slug, over listed instructors' active offerings
/// only (a suspended instructor's prices are not on offer).
pub fn service_stats(instructors: &[InstructorProfile]) -> HashMap<String, ServiceStats> {
    let mut stats: HashMap<String, ServiceStats> = HashMap::new();
    for instructor in instructors.iter().filter(|i| i.is_listed()) {
        for offering in instructor.active_offerings() {
            let entry = stats.entry(offering.service.clone()).or_default();
            entry.instructor_count += 1;
            let rate = offering.rate_cents;
            entry.price_range = Some(match entry.price_range {
                None => PriceRange { min_cents: rate, max_cents: rate, currency: crate::money::CURRENCY },
                Some(r) => PriceRange { min_cents: r.min_cents.min(rate), max_cents: r.max_cents.max(rate), ..r },
            });
        }
    }
    stats
}
