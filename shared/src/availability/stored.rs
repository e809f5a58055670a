//! An instructor's schedule as stored: one item (`INSTR#<id>` / `AVAILABILITY`) with a
//! version for optimistic concurrency (`ETag`/`If-Match` on the API).

use serde::{Deserialize, Serialize};

use super::Schedule;
use crate::{
    changes::{self, Change},
    ids::InstructorId,
    store::{
        Key, Record, Store, StoreError, TxAction,
        transact::{Condition, TransactError},
    },
};

pub fn key(instructor_id: &InstructorId) -> Key {
    Key::new(format!("INSTR#{instructor_id}"), "AVAILABILITY")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "availability")]
pub struct AvailabilityItem {
    pub instructor_id: InstructorId,
    pub schedule: Schedule,
}

impl AvailabilityItem {
    pub fn record(instructor_id: &InstructorId, schedule: Schedule, version: u64) -> Record<AvailabilityItem> {
        Record::new(key(instructor_id), AvailabilityItem { instructor_id: instructor_id.to_owned(), schedule })
            .version(version)
    }
}

/// The stored schedule and its version; an instructor who never set one has an empty
/// schedule at version 0.
pub async fn load(store: &Store, instructor_id: &InstructorId) -> Result<(Schedule, u64), StoreError> {
    let record: Option<Record<AvailabilityItem>> = store.get(&key(instructor_id)).await?;
    Ok(record.map(|r| (r.data.schedule, r.version.unwrap_or(0))).unwrap_or_default())
}

pub use crate::store::Precondition;

#[derive(Debug, thiserror::Error)]
pub enum UpdateError<E> {
    /// The stored version is not the one the caller expected.
    #[error("the schedule is at version {current}")]
    Stale { current: u64 },
    #[error(transparent)]
    Rejected(E),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Tries before giving up when concurrent `If-Match: *` writers keep racing.
const ANY_VERSION_ATTEMPTS: u32 = 5;

/// Applies `change` to the stored schedule and writes the result at the next version,
/// conditional on the version read (so a concurrent write is never lost), with the search
/// directory's change entry in the same transaction. Returns the new schedule and version.
pub async fn update<E>(
    store: &Store,
    instructor_id: &InstructorId,
    precondition: Precondition,
    change: impl Fn(&Schedule) -> Result<Schedule, E>,
) -> Result<(Schedule, u64), UpdateError<E>> {
    for _ in 0..ANY_VERSION_ATTEMPTS {
        let (current, version) = load(store, instructor_id).await?;
        if let Precondition::OneOf(expected) = &precondition
            && !expected.contains(&version)
        {
            return Err(UpdateError::Stale { current: version });
        }
        let next = change(&current).map_err(UpdateError::Rejected)?;
        let condition = if version > 0 { Condition::version_is(version) } else { Condition::absent() };
        // The schedule and the directory's change entry commit together: search learns of
        // every schedule that exists, and of no schedule that does not.
        let actions = [
            TxAction::put("schedule", &AvailabilityItem::record(instructor_id, next.clone(), version + 1), condition)?,
            changes::record_action(Change::Instructor { instructor_id: instructor_id.to_owned() })?,
        ];
        match store.transact(&actions).await {
            Ok(()) => return Ok((next, version + 1)),
            Err(TransactError::ConditionFailed { .. }) if precondition == Precondition::Any => continue,
            Err(TransactError::ConditionFailed { .. }) => return Err(UpdateError::Stale { current: version + 1 }),
            Err(TransactError::Store(other)) => return Err(other.into()),
            Err(other) => return Err(StoreError::Unavailable(other.to_string()).into()),
        }
    }
    Err(UpdateError::Store(StoreError::Unavailable("schedule kept changing under concurrent writes".into())))
}
