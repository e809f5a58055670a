//! Raw analytics events as stored: one item per search or interaction, kept 365 days
//! (TTL), in a partition per New York day and indexed on GSI1 by the person who made it
//! (for their export and their erasure).
//!
//! No raw IP (only the day-salted hash the search Lambda computed), no raw User-Agent
//! (only what was parsed from it), no full referrer URL (only its host), and the browser
//! session id only as a hash.

use jiff::{SignedDuration, Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

use super::{device::Device, events::InteractionType, keys};
use crate::{
    search::events::SearchType,
    store::{Key, Record, keys::instant},
};

/// PRODUCT.md §7: raw events are kept 365 days.
pub const RAW_EVENT_RETENTION_DAYS: i64 = 365;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRecord {
    pub event_id: String,
    pub occurred_at: String,
    /// New York date of the search.
    pub date: Date,
    pub query: String,
    pub normalized_query: String,
    pub search_type: SearchType,
    pub result_count: usize,
    pub services: Vec<String>,
    pub shown_instructors: Vec<String>,
    pub user_id: Option<String>,
    pub guest_session_id: Option<String>,
    /// Hash of the browser session id (`X-Session-ID`).
    pub session: Option<String>,
    pub origin: Option<String>,
    /// Host of the referring page; `None` for direct visits.
    pub referrer: Option<String>,
    pub device: Device,
    pub place: String,
    pub ip_hash: Option<String>,
    /// The person (user, guest or browser session) was first seen on an earlier day.
    pub returning: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionRecord {
    pub event_id: String,
    pub occurred_at: String,
    pub date: Date,
    pub search_event_id: String,
    pub interaction_type: InteractionType,
    pub instructor_id: String,
    pub result_position: Option<u32>,
    pub time_to_interaction_ms: Option<u64>,
    pub user_id: Option<String>,
    pub guest_session_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity")]
pub enum StoredEvent {
    #[serde(rename = "analytics_search")]
    Search(Box<SearchRecord>),
    #[serde(rename = "analytics_interaction")]
    Interaction(InteractionRecord),
}

impl StoredEvent {
    pub fn date(&self) -> Date {
        match self {
            StoredEvent::Search(s) => s.date,
            StoredEvent::Interaction(i) => i.date,
        }
    }

    pub fn event_id(&self) -> &str {
        match self {
            StoredEvent::Search(s) => &s.event_id,
            StoredEvent::Interaction(i) => &i.event_id,
        }
    }

    fn who(&self) -> Option<String> {
        let (user, guest) = match self {
            StoredEvent::Search(s) => (&s.user_id, &s.guest_session_id),
            StoredEvent::Interaction(i) => (&i.user_id, &i.guest_session_id),
        };
        match (user, guest) {
            (Some(user), _) => Some(format!("USER#{user}")),
            (None, Some(guest)) => Some(format!("GUEST#{guest}")),
            (None, None) => None,
        }
    }

    /// The stored item: in its day's partition, on GSI1 under its person, expiring after
    /// the retention period.
    pub fn record(&self, at: Timestamp) -> Record<StoredEvent> {
        let sort = format!("{}#{}", instant(at), self.event_id());
        let key = Key::new(keys::events_of(self.date()), sort.clone());
        let expires = at.checked_add(SignedDuration::from_hours(RAW_EVENT_RETENTION_DAYS * 24)).unwrap_or(at);
        let record = Record::new(key, self.clone()).expires_at(expires.as_second());
        match self.who() {
            Some(who) => record.gsi1(keys::events_by(&who), sort),
            None => record,
        }
    }
}
