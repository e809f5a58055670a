//! The public face of an instructor: never email or phone (those live on the account,
//! which this type cannot reach).

use serde::Serialize;
use utoipa::ToSchema;

use super::{AgeGroup, InstructorProfile, Level, LocationType, Offering};
use crate::{availability::BookingSettings, catalog::Catalog, money::Cents};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicOffering {
    pub id: String,
    pub service: String,
    pub service_name: String,
    pub category: String,
    pub rate_cents: Cents,
    pub currency: &'static str,
    pub durations: Vec<u16>,
    pub levels: Vec<Level>,
    pub age_groups: Vec<AgeGroup>,
    pub location_types: Vec<LocationType>,
    pub description: String,
    pub equipment: Vec<String>,
}

impl PublicOffering {
    pub fn new(offering: &Offering, catalog: &Catalog) -> Self {
        let service = catalog.service(&offering.service);
        Self {
            id: String::from(&offering.id),
            service: offering.service.clone(),
            service_name: service.map(|s| s.name.clone()).unwrap_or_else(|| offering.service.clone()),
            category: service.map(|s| s.category.clone()).unwrap_or_default(),
            rate_cents: offering.rate_cents,
            currency: crate::money::CURRENCY,
            durations: offering.durations.clone(),
            levels: offering.levels.clone(),
            age_groups: offering.age_groups.clone(),
            location_types: offering.location_types.clone(),
            description: offering.description.clone(),
            equipment: offering.equipment.clone(),
        }
    }
}

/// The earliest bookable lesson start: New York date and wall-clock time, and the instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct NextAvailable {
    pub date: String,
    pub time: String,
    pub start: String,
}

impl From<crate::availability::NextSlot> for NextAvailable {
    fn from(next: crate::availability::NextSlot) -> Self {
        Self {
            date: next.date.to_string(),
            time: next.slot.time.strftime("%H:%M").to_string(),
            start: next.slot.start.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicInstructor {
    pub id: String,
    pub full_name: String,
    pub bio: String,
    pub years_experience: u8,
    pub areas: Vec<String>,
    pub booking_settings: BookingSettings,
    /// Active offerings only.
    pub offerings: Vec<PublicOffering>,
    /// The earliest bookable start for the shortest lesson offered (none within the
    /// booking horizon: absent).
    pub next_available: Option<NextAvailable>,
}

impl PublicInstructor {
    pub fn new(profile: &InstructorProfile, catalog: &Catalog) -> Self {
        Self {
            id: String::from(&profile.id),
            full_name: profile.full_name.clone(),
            bio: profile.bio.clone(),
            years_experience: profile.years_experience,
            areas: profile.areas.clone(),
            booking_settings: profile.settings,
            offerings: profile.active_offerings().map(|o| PublicOffering::new(o, catalog)).collect(),
            next_available: None,
        }
    }

    pub fn with_next_available(mut self, next: Option<crate::availability::NextSlot>) -> Self {
        self.next_available = next.map(NextAvailable::from);
        self
    }
}
