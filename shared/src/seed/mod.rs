//! The demo data (shared/seed/*.yaml, derived from the earlier product's reference data):
//! 7 categories, 250 services, 68 instructors with offerings and weekly patterns, the
//! students and one admin. Deterministic: the same ids on every machine.
//!
//! Seeding is idempotent: a marker item records the digest of the seed files, and a
//! store that already holds this seed is left alone.

mod data;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use data::{SeedData, SeedInstructor, SeedUser};

use crate::{
    accounts::{AccountStatus, Email, EmailClaim, User},
    auth::password,
    availability::{Schedule, stored::AvailabilityItem},
    changes,
    clock::Clock,
    ids::{InstructorId, OfferingId, UserId},
    rbac::Role,
    store::{Item, Record, Store, StoreError, keys},
};

/// Every seeded user's password (README says so).
pub const DEMO_PASSWORD: &str = "Test1234";
/// Seeded ids and creation times are pinned to this instant (2025-07-01T00:00:00Z).
pub const SEED_EPOCH_MS: u64 = 1_751_328_000_000;
const SEED_CREATED_AT: &str = "2025-07-01T00:00:00Z";

pub fn user_id(email: &str) -> UserId {
    UserId::trusted(crate::ids::deterministic_id(SEED_EPOCH_MS, &email.to_lowercase()))
}

/// The seeded instructor with this email (their user id: see [`UserId::as_instructor`]).
pub fn instructor_id(email: &str) -> InstructorId {
    user_id(email).as_instructor()
}

pub fn offering_id(email: &str, service: &str) -> OfferingId {
    OfferingId::trusted(crate::ids::deterministic_id(SEED_EPOCH_MS, &format!("{}/{service}", email.to_lowercase())))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "seed_marker")]
struct SeedMarker {
    digest: String,
    seeded_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded { items: usize },
    AlreadySeeded,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed data is invalid: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes the demo data unless this exact seed is already there. `progress(done, total)`
/// is called as items are written.
pub async fn apply(
    store: &Store,
    clock: &dyn Clock,
    progress: &dyn Fn(usize, usize),
) -> Result<SeedOutcome, SeedError> {
    let data = SeedData::demo().map_err(SeedError::Invalid)?;
    let digest = data.digest();
    let marker: Option<Record<SeedMarker>> = store.get(&keys::seed_marker()).await?;
    if marker.is_some_and(|m| m.data.digest == digest) {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let items = items(&data)?;
    let total = items.len();
    let mut done = 0;
    for chunk in items.chunks(100) {
        store.put_batch(chunk.to_vec()).await?;
        done += chunk.len();
        progress(done, total);
    }
    changes::everything(store).await?;
    let marker = SeedMarker { digest, seeded_at: clock.now().to_string() };
    store.put(&Record::new(keys::seed_marker(), marker)).await?;
    Ok(SeedOutcome::Seeded { items: total })
}

/// Every item of the demo data.
pub fn items(data: &SeedData) -> Result<Vec<Item>, SeedError> {
    let invalid = |e: StoreError| SeedError::Invalid(e.to_string());
    // One Argon2id hash for all demo users: hashing 75 passwords would make every seed
    // (and every test that seeds) take seconds for no benefit.
    let password_hash = password::hash(DEMO_PASSWORD).map_err(SeedError::Invalid)?;
    let mut out = Vec::new();
    for record in data.catalog.records() {
        out.push(record.to_item().map_err(invalid)?);
    }
    let mut user = |seed: &SeedUser, role: Role, status: AccountStatus| -> Result<(), SeedError> {
        let email = Email::parse(&seed.email).map_err(|e| SeedError::Invalid(format!("{}: {e}", seed.email)))?;
        let user = User {
            id: user_id(&seed.email),
            email: email.as_str().to_owned(),
            full_name: seed.full_name.clone(),
            phone: seed.phone.clone(),
            roles: vec![role],
            grants: BTreeSet::new(),
            revokes: BTreeSet::new(),
            status,
            password_hash: password_hash.clone(),
            time_zone: "America/New_York".to_owned(),
            created_at: SEED_CREATED_AT.to_owned(),
            session_epoch: 0,
        };
        out.push(user.record().to_item().map_err(invalid)?);
        out.push(EmailClaim::record(&email, &user.id).to_item().map_err(invalid)?);
        Ok(())
    };
    for student in &data.students {
        user(student, Role::Student, AccountStatus::Active)?;
    }
    for admin in &data.admins {
        user(admin, Role::Admin, AccountStatus::Active)?;
    }
    for instructor in &data.instructors {
        user(&instructor.user(), Role::Instructor, instructor.status)?;
    }
    for instructor in &data.instructors {
        let profile = instructor.profile(data)?;
        out.push(profile.record().to_item().map_err(invalid)?);
        let template = data
            .patterns
            .get(&instructor.availability_pattern)
            .ok_or_else(|| SeedError::Invalid(format!("unknown pattern {}", instructor.availability_pattern)))?
            .template()
            .map_err(SeedError::Invalid)?;
        let schedule = Schedule::from_template(template);
        out.push(AvailabilityItem::record(&profile.id, schedule, 1).to_item().map_err(invalid)?);
    }
    Ok(out)
}

impl SeedData {
    /// A digest of the seed content, so a changed seed is applied again.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for text in data::FILES {
            hasher.update(text.as_bytes());
        }
        hex::encode(&hasher.finalize()[..16])
    }
}

impl SeedData {
    /// The demo data as an in-memory directory (no store): for pure tests and benchmarks.
    pub fn directory(&self) -> Result<crate::directory::Directory, SeedError> {
        let mut profiles = Vec::new();
        let mut schedules = std::collections::HashMap::new();
        for instructor in &self.instructors {
            let profile = instructor.profile(self)?;
            let template = self
                .patterns
                .get(&instructor.availability_pattern)
                .ok_or_else(|| SeedError::Invalid(format!("unknown pattern {}", instructor.availability_pattern)))?
                .template()
                .map_err(SeedError::Invalid)?;
            schedules.insert(profile.id.clone(), Schedule::from_template(template));
            profiles.push(profile);
        }
        Ok(crate::directory::Directory::new(self.catalog.clone(), profiles, schedules, Default::default()))
    }
}
