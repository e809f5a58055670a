//! Instructor profiles: bio, experience, areas, booking settings and offerings
//! (PRODUCT.md §3). A profile is one item (`INSTR#<id>` / `PROFILE`) with its offerings
//! embedded, so a profile read is one GetItem and the search index loads every profile
//! with one paginated query on GSI1.

pub mod editing;
mod offering;
mod view;

use serde::{Deserialize, Serialize};

use crate::{
    accounts::AccountStatus,
    availability::BookingSettings,
    ids::{InstructorId, OfferingId},
    store::{Index, Query, Record, Store, StoreError, keys},
};

pub use offering::{AgeGroup, Level, LocationType, MAX_RATE, MIN_RATE, Offering, valid_duration};
pub use view::{NextAvailable, PublicInstructor, PublicOffering};

/// Bounds from PRODUCT.md §3.
pub const BIO_LENGTH: std::ops::RangeInclusive<usize> = 10..=1000;
pub const MAX_YEARS_EXPERIENCE: u8 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorProfile {
    /// The instructor's user id.
    pub id: InstructorId,
    pub full_name: String,
    #[serde(default)]
    pub bio: String,
    #[serde(default)]
    pub years_experience: u8,
    /// Boroughs and neighborhoods from the fixed place list (data/search/places.yaml).
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub settings: BookingSettings,
    #[serde(default)]
    pub offerings: Vec<Offering>,
    /// A copy of the account's status, kept in the same transaction as the account, so
    /// listings can filter without reading every account.
    pub status: AccountStatus,
}

impl InstructorProfile {
    pub fn active_offerings(&self) -> impl Iterator<Item = &Offering> {
        self.offerings.iter().filter(|o| o.active)
    }

    pub fn offering(&self, offering_id: &OfferingId) -> Option<&Offering> {
        self.offerings.iter().find(|o| &o.id == offering_id)
    }

    /// Complete enough to show students: a real bio, at least one area.
    pub fn is_complete(&self) -> bool {
        BIO_LENGTH.contains(&self.bio.chars().count()) && !self.areas.is_empty()
    }

    /// Appears in listings and search: active account, complete profile, something to book.
    pub fn is_listed(&self) -> bool {
        self.status == AccountStatus::Active && self.is_complete() && self.active_offerings().next().is_some()
    }

    pub fn record(&self) -> Record<ProfileItem> {
        Record::new(keys::instructor_profile(&self.id), ProfileItem { profile: self.clone() })
            .gsi1(keys::INSTRUCTORS, self.id.clone())
    }
}

/// The stored shape: the profile under an `entity` tag so the item says what it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "instructor_profile")]
pub struct ProfileItem {
    #[serde(flatten)]
    pub profile: InstructorProfile,
}

pub async fn get(
    store: &Store,
    instructor_id: &InstructorId,
) -> Result<Option<(InstructorProfile, Option<u64>)>, StoreError> {
    let record: Option<Record<ProfileItem>> = store.get(&keys::instructor_profile(instructor_id)).await?;
    Ok(record.map(|r| (r.data.profile, r.version)))
}

/// Every profile, listed or not (the search index filters).
pub async fn load_all(store: &Store) -> Result<Vec<InstructorProfile>, StoreError> {
    let records: Vec<Record<ProfileItem>> = store.query_all(Query::partition(Index::Gsi1, keys::INSTRUCTORS)).await?;
    Ok(records.into_iter().map(|r| r.data.profile).collect())
}
