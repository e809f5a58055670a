//! What an instructor teaches: a catalog service at a rate, with durations, levels, ages
//! and where lessons happen.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{ids::OfferingId, money::Cents};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    Kids,
    Teens,
    Adults,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocationType {
    InPerson,
    Online,
}

/// Allowed lesson lengths: multiples of 15 minutes from 15 to 240.
pub fn valid_duration(minutes: u16) -> bool {
    (15..=240).contains(&minutes) && minutes.is_multiple_of(15)
}

/// Hourly rate bounds: $1–$1000.
pub const MIN_RATE: Cents = Cents(100);
pub const MAX_RATE: Cents = Cents(100_000);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offering {
    pub id: OfferingId,
    /// Catalog service slug; one active offering per service per instructor.
    pub service: String,
    pub rate_cents: Cents,
    pub durations: Vec<u16>,
    /// Empty = teaches every level.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Empty = teaches every age group.
    #[serde(default)]
    pub age_groups: Vec<AgeGroup>,
    pub location_types: Vec<LocationType>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub equipment: Vec<String>,
    /// Removing an offering that has bookings deactivates it instead (history keeps it).
    pub active: bool,
}

impl Offering {
    pub fn teaches_level(&self, level: Level) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }

    pub fn teaches_age(&self, group: AgeGroup) -> bool {
        self.age_groups.is_empty() || self.age_groups.contains(&group)
    }

    pub fn offers(&self, location: LocationType) -> bool {
        self.location_types.contains(&location)
    }

    /// Price of one lesson: hourly rate × minutes / 60, rounded to the nearest cent.
    pub fn price_for(&self, minutes: u16) -> Cents {
        self.rate_cents.for_minutes(minutes)
    }
}
