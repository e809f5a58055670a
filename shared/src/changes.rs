//! The change feed: what writers record so that every warm Lambda's directory stays fresh.
//!
//! Writers append a small item to the `CHANGES` partition (sort key = a ULID, so entries
//! sort by time; TTL one day) saying what changed: one booking's time taken or released,
//! one instructor, or everything. The directory's cache ([`crate::directory::DirectoryCache`])
//! reads the feed; writers only write it.
//!
//! Invariant: this module depends on nothing but `store`, `ids` and `interval`, so a writer
//! (accounts, availability, bookings, instructors, the daily job, the seed) records a change
//! without importing the read model it changes. A single version counter would force a full
//! reload on every booking; a feed keeps the common refresh to one empty Query.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use ulid::Ulid;

use crate::{
    ids::{BookingId, InstructorId},
    interval::Interval,
    store::{Index, Key, Query, Record, SortCondition, Store, StoreError, TxAction, transact::Condition},
};

const PARTITION: &str = "CHANGES";
/// Entries live a day; a Lambda that has not looked for longer reloads everything.
pub const RETENTION: SignedDuration = SignedDuration::from_hours(24);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Reload everything (seed, catalog changes).
    All,
    /// Re-read this instructor's profile, schedule and bookings.
    Instructor { instructor_id: InstructorId },
    /// A booking now holds (`interval` = Some) or no longer holds this time, with the
    /// trailing buffer its cells were claimed with (0 in entries written before it was
    /// recorded, which the directory then treats as the instructor's current buffer).
    Booking {
        instructor_id: InstructorId,
        booking_id: BookingId,
        interval: Option<Interval>,
        #[serde(default)]
        buffer_minutes: u16,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "directory_change")]
struct ChangeItem {
    #[serde(flatten)]
    change: Change,
}

fn record_for(change: Change) -> Record<ChangeItem> {
    let at = Timestamp::now();
    Record::new(Key::new(PARTITION, crate::ids::new_id()), ChangeItem { change })
        .expires_at((at + RETENTION).as_second() + 3600)
}

/// Appends a change to the feed.
pub async fn record(store: &Store, change: Change) -> Result<(), StoreError> {
    store.put(&record_for(change)).await
}

/// The feed entry as a transaction action, so the change is recorded atomically with the
/// write it describes (a booking claimed is visible to search, or nothing happened).
pub fn record_action(change: Change) -> Result<TxAction, StoreError> {
    TxAction::put("directory-change", &record_for(change), Condition::absent())
}

/// Everything changed: every warm directory reloads in full.
pub async fn everything(store: &Store) -> Result<(), StoreError> {
    record(store, Change::All).await
}

/// Feed entries whose ULID time is at or after `since`, oldest first.
pub async fn read_since(store: &Store, since: Timestamp) -> Result<Vec<(String, Change)>, StoreError> {
    let from = Ulid::from_parts(u64::try_from(since.as_millisecond()).unwrap_or(0), 0).to_string();
    let query = Query::partition(Index::Table, PARTITION).sort(SortCondition::GreaterOrEqual(from)).consistent();
    let records: Vec<Record<ChangeItem>> = store.query_all(query).await?;
    Ok(records.into_iter().map(|r| (r.sk, r.data.change)).collect())
}
