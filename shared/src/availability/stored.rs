//! An instructor's schedule as stored: one item (`INSTR#<id>` / `AVAILABILITY`) with a
//! version for optimistic concurrency (`ETag`/`If-Match` on the API).

use serde::{Deserialize, Serialize};

use super::Schedule;
use crate::store::{Key, Record, Store, StoreError};

pub fn key(instructor_id: &str) -> Key {
    Key::new(format!("INSTR#{instructor_id}"), "AVAILABILITY")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "availability")]
pub struct AvailabilityItem {
    pub instructor_id: String,
    pub schedule: Schedule,
}

impl AvailabilityItem {
    pub fn record(instructor_id: &str, schedule: Schedule, version: u64) -> Record<AvailabilityItem> {
        Record::new(key(instructor_id), AvailabilityItem { instructor_id: instructor_id.to_owned(), schedule })
            .version(version)
    }
}

/// The stored schedule and its version; an instructor who never set one has an empty
/// schedule at version 0.
pub async fn load(store: &Store, instructor_id: &str) -> Result<(Schedule, u64), StoreError> {
    let record: Option<Record<AvailabilityItem>> = store.get(&key(instructor_id)).await?;
    Ok(record.map(|r| (r.data.schedule, r.version.unwrap_or(0))).unwrap_or_default())
}
