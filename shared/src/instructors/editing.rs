//! Instructor self-service: the profile (bio, experience, areas, booking settings) and its
//! offerings (PRODUCT.md §3).
//!
//! The profile is one item with its offerings embedded, written with optimistic
//! concurrency on its `version`: "one active offering per service" holds because every
//! change rewrites the whole profile conditioned on the version it read. A client that
//! sends `If-Match` gets 412 when it is stale; without it, a lost race is simply retried on
//! fresh data. Every write records the change in the directory feed (in the same
//! transaction) so search sees it.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    AgeGroup, BIO_LENGTH, InstructorProfile, Level, LocationType, MAX_RATE, MAX_YEARS_EXPERIENCE, MIN_RATE, Offering,
    ProfileItem, valid_duration,
};
use crate::{
    accounts::AccountStatus,
    availability::BookingSettings,
    catalog::{Catalog, Service},
    changes::{self, Change},
    ids::{InstructorId, OfferingId},
    money::Cents,
    places::places,
    refusal::{Failure, Kind, Refusal},
    store::{
        Index, Query, Record, Store, StoreError, TransactError, TxAction, Versioned, keys, next_version,
        version_condition,
    },
};

/// The most areas one instructor may list.
pub const MAX_AREAS: usize = 50;
pub const MAX_DESCRIPTION_CHARS: usize = 1000;
pub const MAX_EQUIPMENT_ITEMS: usize = 20;
pub const MAX_EQUIPMENT_CHARS: usize = 100;
/// How often a change without `If-Match` is retried against concurrent writers.
const ATTEMPTS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{message}")]
    Invalid { field: String, code: &'static str, message: String },
    #[error("you have no instructor profile")]
    ProfileNotFound,
    #[error("no such offering")]
    OfferingNotFound,
    #[error("you already have an active offering of {service}")]
    DuplicateOffering { service: String },
    #[error("the profile has changed since you read it (If-Match does not match)")]
    StaleVersion,
    #[error("the profile was changed concurrently; retry")]
    Concurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Transact(TransactError),
}

impl From<EditError> for Failure {
    fn from(err: EditError) -> Self {
        let detail = err.to_string();
        let refusal = match err {
            EditError::Invalid { field, code, message } => Refusal::new(Kind::Invalid, code, message).field(field),
            EditError::ProfileNotFound => Refusal::not_found("profile_not_found", detail),
            EditError::OfferingNotFound => Refusal::offering_not_found(),
            EditError::DuplicateOffering { .. } => Refusal::conflict("duplicate_offering", detail).field("service"),
            EditError::StaleVersion => Refusal::stale(detail),
            EditError::Concurrent => Refusal::conflict("concurrent_update", detail),
            EditError::Store(e) => return Failure::Store(e),
            EditError::Transact(e) => return e.into(),
        };
        refusal.into()
    }
}

impl EditError {
    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), code: "invalid_parameter", message: message.into() }
    }
}

/// The profile a new instructor starts with: empty, hence unlisted until completed.
pub fn empty_profile(id: &InstructorId, full_name: &str, status: AccountStatus) -> InstructorProfile {
    InstructorProfile {
        id: id.to_owned(),
        full_name: full_name.to_owned(),
        bio: String::new(),
        years_experience: 0,
        areas: Vec::new(),
        settings: BookingSettings::default(),
        offerings: Vec::new(),
        status,
    }
}

/// Puts `profile` if the stored one is still at `expected` (label `profile`).
pub fn put_action(profile: &InstructorProfile, expected: Option<u64>) -> Result<TxAction, StoreError> {
    TxAction::put("profile", &profile.record().version(next_version(expected)), version_condition(expected))
}

/// The profile with its version (consistent read).
pub async fn get(store: &Store, instructor_id: &InstructorId) -> Result<Versioned<InstructorProfile>, EditError> {
    let record: Option<Record<ProfileItem>> = store.get(&keys::instructor_profile(instructor_id)).await?;
    record.map(|r| Versioned { value: r.data.profile, version: r.version }).ok_or(EditError::ProfileNotFound)
}

/// A partial update of the profile: absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// 10–1000 characters.
    pub bio: Option<String>,
    /// 0–50.
    pub years_experience: Option<i64>,
    /// NYC boroughs and neighborhoods from the fixed place list; replaces the list.
    pub areas: Option<Vec<String>>,
    pub booking_settings: Option<SettingsPatch>,
}

/// Booking settings to change; absent ones keep their current value.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// 0–168 hours.
    pub min_notice_hours: Option<i64>,
    /// 0–60 minutes.
    pub buffer_minutes: Option<i64>,
    /// 1–365 days.
    pub horizon_days: Option<i64>,
}

/// A new offering.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingInput {
    /// A catalog service slug.
    pub service: String,
    /// Hourly rate in cents, 100–100000 ($1–$1000).
    pub rate_cents: i64,
    /// Lesson lengths in minutes: multiples of 15 from 15 to 240.
    pub durations: Vec<i64>,
    /// Empty = every level.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Empty = every age group.
    #[serde(default)]
    pub age_groups: Vec<AgeGroup>,
    /// At least one; `online` only for online-capable services.
    pub location_types: Vec<LocationType>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub equipment: Vec<String>,
}

/// Changes to an offering; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingPatch {
    pub rate_cents: Option<i64>,
    pub durations: Option<Vec<i64>>,
    pub levels: Option<Vec<Level>>,
    pub age_groups: Option<Vec<AgeGroup>>,
    pub location_types: Option<Vec<LocationType>>,
    pub description: Option<String>,
    pub equipment: Option<Vec<String>>,
    /// Reactivate (`true`) or retire (`false`) the offering.
    pub active: Option<bool>,
}

fn bio(text: &str) -> Result<String, EditError> {
    let bio = text.trim();
    if !BIO_LENGTH.contains(&bio.chars().count()) {
        return Err(EditError::invalid(
            "bio",
            format!("bio must be {} to {} characters", BIO_LENGTH.start(), BIO_LENGTH.end()),
        ));
    }
    Ok(bio.to_owned())
}

fn years(value: i64) -> Result<u8, EditError> {
    u8::try_from(value).ok().filter(|y| *y <= MAX_YEARS_EXPERIENCE).ok_or_else(|| {
        EditError::invalid("years_experience", format!("years_experience must be 0 to {MAX_YEARS_EXPERIENCE}"))
    })
}

/// Each area folded to its canonical name from the place list, duplicates dropped.
fn areas(list: &[String]) -> Result<Vec<String>, EditError> {
    if list.len() > MAX_AREAS {
        return Err(EditError::invalid("areas", format!("at most {MAX_AREAS} areas")));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, area) in list.iter().enumerate() {
        let canonical = places().canonical_area(area).ok_or_else(|| EditError::Invalid {
            field: format!("areas[{i}]"),
            code: "unknown_area",
            message: format!("{area:?} is not a New York borough or neighborhood we know"),
        })?;
        if !out.iter().any(|a| a == canonical) {
            out.push(canonical.to_owned());
        }
    }
    Ok(out)
}

fn settings(current: BookingSettings, patch: SettingsPatch) -> Result<BookingSettings, EditError> {
    let field = |name: &str, value: Option<i64>, current: u16| -> Result<u16, EditError> {
        match value {
            None => Ok(current),
            Some(v) => u16::try_from(v)
                .map_err(|_| EditError::invalid(format!("booking_settings.{name}"), format!("{name} is out of range"))),
        }
    };
    let notice = field("min_notice_hours", patch.min_notice_hours, current.min_notice_hours())?;
    let buffer = field("buffer_minutes", patch.buffer_minutes, current.buffer_minutes())?;
    let horizon = field("horizon_days", patch.horizon_days, current.horizon_days())?;
    BookingSettings::new(notice, buffer, horizon)
        .map_err(|e| EditError::invalid(format!("booking_settings.{}", e.field), e.to_string()))
}

fn rate(value: i64) -> Result<Cents, EditError> {
    u32::try_from(value).ok().map(Cents).filter(|c| (MIN_RATE..=MAX_RATE).contains(c)).ok_or_else(|| {
        EditError::invalid("rate_cents", format!("rate_cents must be {} to {} (in cents)", MIN_RATE.0, MAX_RATE.0))
    })
}

/// Sorted, without duplicates, each a multiple of 15 in 15–240; at least one.
fn durations(list: &[i64]) -> Result<Vec<u16>, EditError> {
    if list.is_empty() {
        return Err(EditError::invalid("durations", "give at least one lesson duration"));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, minutes) in list.iter().enumerate() {
        let valid = u16::try_from(*minutes).ok().filter(|m| valid_duration(*m));
        let minutes = valid.ok_or_else(|| {
            EditError::invalid(format!("durations[{i}]"), "durations must be multiples of 15 minutes from 15 to 240")
        })?;
        out.push(minutes);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn location_types(list: &[LocationType], service: &Service) -> Result<Vec<LocationType>, EditError> {
    if list.is_empty() {
        return Err(EditError::invalid("location_types", "give at least one location type"));
    }
    if list.contains(&LocationType::Online) && !service.online_capable {
        return Err(EditError::Invalid {
            field: "location_types".into(),
            code: "online_not_available",
            message: format!("{} cannot be taught online", service.name),
        });
    }
    let mut out = list.to_vec();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn description(text: &str) -> Result<String, EditError> {
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(EditError::invalid(
            "description",
            format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

fn equipment(list: &[String]) -> Result<Vec<String>, EditError> {
    if list.len() > MAX_EQUIPMENT_ITEMS {
        return Err(EditError::invalid("equipment", format!("at most {MAX_EQUIPMENT_ITEMS} equipment items")));
    }
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let item = item.trim();
            if item.is_empty() || item.chars().count() > MAX_EQUIPMENT_CHARS {
                Err(EditError::invalid(
                    format!("equipment[{i}]"),
                    format!("each item must be 1 to {MAX_EQUIPMENT_CHARS} characters"),
                ))
            } else {
                Ok(item.to_owned())
            }
        })
        .collect()
}

fn sorted<T: Ord + Clone>(list: &[T]) -> Vec<T> {
    let mut out = list.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// Applies a patch to a profile, validating every field it touches.
fn apply_profile_patch(profile: &mut InstructorProfile, patch: &ProfilePatch) -> Result<(), EditError> {
    if let Some(text) = &patch.bio {
        profile.bio = bio(text)?;
    }
    if let Some(value) = patch.years_experience {
        profile.years_experience = years(value)?;
    }
    if let Some(list) = &patch.areas {
        profile.areas = areas(list)?;
    }
    if let Some(settings_patch) = patch.booking_settings {
        profile.settings = settings(profile.settings, settings_patch)?;
    }
    Ok(())
}

fn new_offering(input: &OfferingInput, catalog: &Catalog) -> Result<Offering, EditError> {
    let service = catalog.service(&input.service).ok_or_else(|| EditError::Invalid {
        field: "service".into(),
        code: "unknown_service",
        message: format!("no service {:?} in the catalog", input.service),
    })?;
    Ok(Offering {
        id: OfferingId::generate(),
        service: service.slug.clone(),
        rate_cents: rate(input.rate_cents)?,
        durations: durations(&input.durations)?,
        levels: sorted(&input.levels),
        age_groups: sorted(&input.age_groups),
        location_types: location_types(&input.location_types, service)?,
        description: description(&input.description)?,
        equipment: equipment(&input.equipment)?,
        active: true,
    })
}

fn apply_offering_patch(offering: &mut Offering, patch: &OfferingPatch, catalog: &Catalog) -> Result<(), EditError> {
    if let Some(value) = patch.rate_cents {
        offering.rate_cents = rate(value)?;
    }
    if let Some(list) = &patch.durations {
        offering.durations = durations(list)?;
    }
    if let Some(list) = &patch.levels {
        offering.levels = sorted(list);
    }
    if let Some(list) = &patch.age_groups {
        offering.age_groups = sorted(list);
    }
    if let Some(list) = &patch.location_types {
        let service = catalog.service(&offering.service).ok_or_else(|| EditError::Invalid {
            field: "location_types".into(),
            code: "unknown_service",
            message: format!("service {:?} is no longer in the catalog", offering.service),
        })?;
        offering.location_types = location_types(list, service)?;
    }
    if let Some(text) = &patch.description {
        offering.description = description(text)?;
    }
    if let Some(list) = &patch.equipment {
        offering.equipment = equipment(list)?;
    }
    if let Some(active) = patch.active {
        offering.active = active;
    }
    Ok(())
}

/// Refuses a second active offering of one service.
fn check_one_active_per_service(profile: &InstructorProfile) -> Result<(), EditError> {
    let active: Vec<&str> = profile.active_offerings().map(|o| o.service.as_str()).collect();
    for (i, service) in active.iter().enumerate() {
        if active[..i].contains(service) {
            return Err(EditError::DuplicateOffering { service: (*service).to_owned() });
        }
    }
    Ok(())
}

/// Read, change, write conditioned on the version read; `If-Match` (as `if_match`) is
/// checked against that version. Returns the written profile and what `change` returned.
async fn modify<R>(
    store: &Store,
    instructor_id: &InstructorId,
    if_match: Option<u64>,
    mut change: impl FnMut(&mut InstructorProfile) -> Result<R, EditError>,
) -> Result<(Versioned<InstructorProfile>, R), EditError> {
    for _ in 0..ATTEMPTS {
        let current = get(store, instructor_id).await?;
        if if_match.is_some_and(|v| v != current.current()) {
            return Err(EditError::StaleVersion);
        }
        let mut profile = current.value.clone();
        let outcome = change(&mut profile)?;
        let changed = changes::record_action(Change::Instructor { instructor_id: instructor_id.to_owned() })?;
        match store.transact(&[put_action(&profile, current.version)?, changed]).await {
            Ok(()) => {
                let written = Versioned { value: profile, version: Some(next_version(current.version)) };
                return Ok((written, outcome));
            }
            Err(TransactError::ConditionFailed { .. }) if if_match.is_some() => return Err(EditError::StaleVersion),
            Err(TransactError::ConditionFailed { .. }) => continue,
            Err(other) => return Err(EditError::Transact(other)),
        }
    }
    Err(EditError::Concurrent)
}

pub async fn update_profile(
    store: &Store,
    instructor_id: &InstructorId,
    if_match: Option<u64>,
    patch: &ProfilePatch,
) -> Result<Versioned<InstructorProfile>, EditError> {
    Ok(modify(store, instructor_id, if_match, |profile| apply_profile_patch(profile, patch)).await?.0)
}

pub async fn add_offering(
    store: &Store,
    catalog: &Catalog,
    instructor_id: &InstructorId,
    if_match: Option<u64>,
    input: &OfferingInput,
) -> Result<(Versioned<InstructorProfile>, Offering), EditError> {
    // Validate before reading anything, so bad input costs no I/O.
    let offering = new_offering(input, catalog)?;
    modify(store, instructor_id, if_match, |profile| {
        profile.offerings.push(offering.clone());
        check_one_active_per_service(profile)?;
        Ok(offering.clone())
    })
    .await
}

pub async fn update_offering(
    store: &Store,
    catalog: &Catalog,
    instructor_id: &InstructorId,
    offering_id: &OfferingId,
    if_match: Option<u64>,
    patch: &OfferingPatch,
) -> Result<(Versioned<InstructorProfile>, Offering), EditError> {
    modify(store, instructor_id, if_match, |profile| {
        let offering =
            profile.offerings.iter_mut().find(|o| &o.id == offering_id).ok_or(EditError::OfferingNotFound)?;
        apply_offering_patch(offering, patch, catalog)?;
        let updated = offering.clone();
        check_one_active_per_service(profile)?;
        Ok(updated)
    })
    .await
}

/// What removing an offering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Removal {
    Deleted,
    /// The offering has bookings, so it was kept (inactive) for their history.
    Deactivated,
}

#[derive(Deserialize)]
struct BookingOffering {
    #[serde(default)]
    offering_id: Option<OfferingId>,
}

/// Whether any booking of this instructor (any status, past or future) used the offering.
pub async fn offering_has_bookings(
    store: &Store,
    instructor_id: &InstructorId,
    offering_id: &OfferingId,
) -> Result<bool, StoreError> {
    let mut query = Query::partition(Index::Gsi1, keys::instructor_bookings(instructor_id)).limit(200);
    loop {
        let page = store.query::<Record<BookingOffering>>(query.clone()).await?;
        if page.items.iter().any(|r| r.data.offering_id.as_ref() == Some(offering_id)) {
            return Ok(true);
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => return Ok(false),
        }
    }
}

/// Deletes the offering, or deactivates it if bookings refer to it. (The booking check
/// reads an index, which is eventually consistent: a booking made in the very same instant
/// could refer to a deleted offering; bookings snapshot the service, rate and duration,
/// so their history still reads correctly.)
pub async fn remove_offering(
    store: &Store,
    instructor_id: &InstructorId,
    offering_id: &OfferingId,
    if_match: Option<u64>,
) -> Result<(Versioned<InstructorProfile>, Removal), EditError> {
    let current = get(store, instructor_id).await?;
    if current.value.offering(offering_id).is_none() {
        return Err(EditError::OfferingNotFound);
    }
    let keep = offering_has_bookings(store, instructor_id, offering_id).await?;
    modify(store, instructor_id, if_match, |profile| {
        let index = profile.offerings.iter().position(|o| &o.id == offering_id).ok_or(EditError::OfferingNotFound)?;
        if keep {
            if let Some(offering) = profile.offerings.get_mut(index) {
                offering.active = false;
            }
            Ok(Removal::Deactivated)
        } else {
            profile.offerings.remove(index);
            Ok(Removal::Deleted)
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_validation_names_the_field() {
        let field_of = |e: EditError| match e {
            EditError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field_of(bio("too short").unwrap_err()), "bio");
        assert!(bio("  Ten chars!  ").is_ok());
        assert_eq!(field_of(years(51).unwrap_err()), "years_experience");
        assert_eq!(field_of(years(-1).unwrap_err()), "years_experience");
        assert_eq!(
            areas(&["park slope".into(), "Park Slope".into(), "Brooklyn".into()]).unwrap(),
            ["Park Slope", "Brooklyn"]
        );
        assert_eq!(field_of(areas(&["Brooklyn".into(), "Atlantis".into()]).unwrap_err()), "areas[1]");
        assert_eq!(field_of(rate(99).unwrap_err()), "rate_cents");
        assert_eq!(field_of(rate(100_001).unwrap_err()), "rate_cents");
        assert_eq!(rate(100_000).unwrap(), Cents(100_000));
        assert_eq!(durations(&[60, 30, 60]).unwrap(), [30, 60]);
        assert_eq!(field_of(durations(&[60, 50]).unwrap_err()), "durations[1]");
        assert_eq!(field_of(durations(&[]).unwrap_err()), "durations");
        assert_eq!(field_of(durations(&[255]).unwrap_err()), "durations[0]");
        let s = settings(BookingSettings::default(), SettingsPatch { buffer_minutes: Some(61), ..Default::default() });
        assert_eq!(field_of(s.unwrap_err()), "booking_settings.buffer_minutes");
        let s = settings(BookingSettings::default(), SettingsPatch { horizon_days: Some(30), ..Default::default() });
        assert_eq!(s.unwrap().horizon_days(), 30);
        assert_eq!(field_of(equipment(&["ok".into(), " ".into()]).unwrap_err()), "equipment[1]");
    }

    #[test]
    fn one_active_offering_per_service() {
        let offering = |id: &str, service: &str, active: bool| Offering {
            id: OfferingId::trusted(id),
            service: service.into(),
            rate_cents: Cents(5000),
            durations: vec![60],
            levels: vec![],
            age_groups: vec![],
            location_types: vec![LocationType::InPerson],
            description: String::new(),
            equipment: vec![],
            active,
        };
        let mut profile = empty_profile(&InstructorId::trusted("I"), "Ann", AccountStatus::Active);
        profile.offerings =
            vec![offering("a", "piano", true), offering("b", "piano", false), offering("c", "guitar", true)];
        assert!(check_one_active_per_service(&profile).is_ok());
        profile.offerings[1].active = true;
        assert!(
            matches!(check_one_active_per_service(&profile), Err(EditError::DuplicateOffering { ref service }) if service == "piano")
        );
    }
}
