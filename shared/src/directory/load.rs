//! Reading the directory's contents from the table: everything (cold start), or one
//! instructor (after a change).

use std::collections::{BTreeMap, HashMap};

use futures::{StreamExt, TryStreamExt};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::Directory;
use crate::{
    availability::{Interval, Schedule, stored::AvailabilityItem},
    booking::BookingStatus,
    catalog,
    ids::{BookingId, InstructorId},
    instructors::{self, InstructorProfile},
    interval::Held,
    store::{Index, Query, Record, SortCondition, Store, StoreError, keys},
};

/// How many instructors' bookings are read at once on a full load.
const CONCURRENT_READS: usize = 16;
/// A lesson that started this long ago has ended (the longest lesson is 4 hours).
const LONGEST_LESSON: SignedDuration = SignedDuration::from_mins(240);

pub(super) async fn everything(store: &Store, now: Timestamp) -> Result<Directory, StoreError> {
    let (catalog, profiles) = tokio::try_join!(catalog::load(store), instructors::load_all(store))?;
    let ids: Vec<InstructorId> = profiles.iter().map(|p| p.id.clone()).collect();
    let schedules = schedules(store, &ids).await?;
    let listed: Vec<InstructorId> = profiles.iter().filter(|p| p.is_listed()).map(|p| p.id.clone()).collect();
    let bookings: HashMap<InstructorId, BTreeMap<BookingId, Held>> = futures::stream::iter(listed)
        .map(|id| async move { upcoming_bookings(store, &id, now).await.map(|b| (id, b)) })
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    Ok(Directory::new(catalog, profiles, schedules, bookings))
}

pub(super) struct InstructorState {
    pub profile: Option<InstructorProfile>,
    pub schedule: Option<Schedule>,
    pub bookings: BTreeMap<BookingId, Held>,
}

pub(super) async fn instructor(
    store: &Store,
    id: &InstructorId,
    now: Timestamp,
) -> Result<InstructorState, StoreError> {
    let schedule_key = crate::availability::stored::key(id);
    let (profile, schedule, bookings) = tokio::try_join!(
        instructors::get(store, id),
        store.get::<Record<AvailabilityItem>>(&schedule_key),
        upcoming_bookings(store, id, now),
    )?;
    Ok(InstructorState { profile: profile.map(|(p, _)| p), schedule: schedule.map(|r| r.data.schedule), bookings })
}

async fn schedules(store: &Store, ids: &[InstructorId]) -> Result<HashMap<InstructorId, Schedule>, StoreError> {
    let keys: Vec<_> = ids.iter().map(crate::availability::stored::key).collect();
    let records: Vec<Record<AvailabilityItem>> = store.get_many(&keys).await?;
    Ok(records.into_iter().map(|r| (r.data.instructor_id, r.data.schedule)).collect())
}

/// The fields of a booking item the directory needs (the layout is booking's, see
/// `booking` module docs).
#[derive(Debug, Deserialize)]
struct BookingTimes {
    // Defaults, so that one malformed item is skipped rather than failing every search.
    #[serde(default)]
    id: String,
    #[serde(default)]
    buffer_minutes: u16,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    status: BookingStatus,
}

/// Confirmed bookings of the instructor that have not ended, by booking id.
pub(super) async fn upcoming_bookings(
    store: &Store,
    instructor_id: &InstructorId,
    now: Timestamp,
) -> Result<BTreeMap<BookingId, Held>, StoreError> {
    let from = now.checked_sub(LONGEST_LESSON).unwrap_or(now).to_string();
    let query = Query::partition(Index::Gsi1, keys::instructor_bookings(instructor_id))
        .sort(SortCondition::GreaterOrEqual(from));
    let records: Vec<Record<BookingTimes>> = store.query_all(query).await?;
    Ok(records
        .into_iter()
        .filter(|r| r.data.status == BookingStatus::Confirmed)
        .filter(|r| !r.data.id.is_empty())
        .filter_map(|r| {
            let start = r.data.start.parse().ok()?;
            let end: Timestamp = r.data.end.parse().ok()?;
            (end > now).then_some(())?;
            let buffer_minutes = r.data.buffer_minutes;
            Interval::new(start, end)
                .ok()
                .map(|lesson| (BookingId::trusted(r.data.id), Held { lesson, buffer_minutes }))
        })
        .collect())
}
