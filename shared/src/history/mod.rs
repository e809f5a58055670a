//! Search history (PRODUCT.md §7, user-facing): one entry per (user or guest, normalized
//! query) with a count and first/last times; newest first; soft delete; at most 1000 per
//! identity.
//!
//! Entries are written only by the analytics worker, from search events (so `/search`
//! itself writes nothing). Each event is applied once: a processed marker for the event id
//! is written in the same transaction as the entry, and a redelivered event finds it.
//!
//! Layout: entry `HIST#<identity>` / `Q#<hash of normalized query>` (the hash is the
//! entry's public id), on GSI1 (`HIST#<identity>`, `<last searched>#<hash>`) for newest
//! first; a per-identity count item `HIST#<identity>` / `COUNT` for the cap. `<identity>` is
//! `USER#<id>` or `GUEST#<uuid>`.

mod apply;

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use apply::{apply_search, convert_guest};

use crate::{
    search::events::SearchType,
    store::{Index, Key, Query, Record, Store, StoreError},
};

/// At most this many entries per identity; the oldest go first.
pub const MAX_ENTRIES: i64 = 1000;
/// Soft-deleted entries are kept this long, then expire.
pub const DELETED_RETENTION_DAYS: i64 = 90;
/// Guest history that is never converted to an account expires after this long.
pub const GUEST_RETENTION_DAYS: i64 = 120;
/// Recent searches shown by default.
pub const DEFAULT_RECENT: usize = 3;

/// Whose history: a user or a guest session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    User(String),
    Guest(String),
}

impl Owner {
    pub fn partition(&self) -> String {
        match self {
            Owner::User(id) => format!("HIST#USER#{id}"),
            Owner::Guest(id) => format!("HIST#GUEST#{id}"),
        }
    }

    fn count_key(&self) -> Key {
        Key::new(self.partition(), "COUNT")
    }
}

/// The entry id for a normalized query: stable, so the same query always lands on the
/// same entry, and opaque.
pub fn entry_id(normalized_query: &str) -> String {
    hex::encode(&Sha256::digest(normalized_query.as_bytes())[..12])
}

fn entry_key(owner: &Owner, id: &str) -> Key {
    Key::new(owner.partition(), format!("Q#{id}"))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "search_history")]
pub struct Entry {
    pub id: String,
    /// The query as last typed.
    pub query: String,
    pub normalized_query: String,
    /// Every way this query was searched (typed, category click, pill, filter).
    pub search_types: BTreeSet<SearchType>,
    pub search_count: u64,
    pub first_searched_at: String,
    pub last_searched_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl Entry {
    /// Category clicks alone are navigation, not searches worth offering again.
    pub fn is_recent_search(&self) -> bool {
        self.deleted_at.is_none() && self.search_types.iter().any(|t| *t != SearchType::CategoryClick)
    }
}

/// What the API shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryView {
    pub id: String,
    pub query: String,
    pub search_count: u64,
    pub first_searched_at: String,
    pub last_searched_at: String,
}

impl From<&Entry> for EntryView {
    fn from(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            query: e.query.clone(),
            search_count: e.search_count,
            first_searched_at: e.first_searched_at.clone(),
            last_searched_at: e.last_searched_at.clone(),
        }
    }
}

/// The newest `limit` recent searches (not deleted, not only category clicks, not expired).
pub async fn recent(store: &Store, owner: &Owner, limit: usize, now: Timestamp) -> Result<Vec<Entry>, StoreError> {
    let mut query = Query::partition(Index::Gsi1, owner.partition()).newest_first().limit(50);
    let mut out = Vec::new();
    loop {
        let page = store.query::<Record<Entry>>(query.clone()).await?;
        for record in page.items {
            if !record.is_expired(now.as_second()) && record.data.is_recent_search() {
                out.push(record.data);
                if out.len() >= limit {
                    return Ok(out);
                }
            }
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// Every entry of an owner, including deleted ones (exports, conversion).
pub async fn all(store: &Store, owner: &Owner) -> Result<Vec<Record<Entry>>, StoreError> {
    store.query_all(Query::partition(Index::Gsi1, owner.partition())).await
}

/// Deletes everything held for an owner (entries, deleted ones too, and the count item):
/// a guest's "forget this browser", and part of a user's erasure. Returns how many items
/// went. An entry the worker writes for a search still in the queue lands afterwards.
pub async fn delete_all(store: &Store, owner: &Owner) -> Result<usize, StoreError> {
    store.delete_partition(&owner.partition()).await
}

/// Soft-deletes one entry. `false` when the owner has no such (live) entry: someone
/// else's id is simply not found under this owner.
pub async fn soft_delete(store: &Store, owner: &Owner, id: &str, now: Timestamp) -> Result<bool, StoreError> {
    if id.len() != 24 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let key = entry_key(owner, id);
    // A search of the same query may land between read and write; re-read and retry.
    for _attempt in 0..5 {
        let Some(record) = store.get::<Record<Entry>>(&key).await? else {
            return Ok(false);
        };
        if record.data.deleted_at.is_some() || record.is_expired(now.as_second()) {
            return Ok(false);
        }
        let version = record.version.unwrap_or(0);
        let expires = now.as_second() + DELETED_RETENTION_DAYS * 86_400;
        let deleted = Record { data: Entry { deleted_at: Some(now.to_string()), ..record.data.clone() }, ..record }
            .expires_at(expires)
            .version(version + 1);
        match store.put_versioned(&deleted, Some(version)).await {
            Ok(()) => return Ok(true),
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::Unavailable("search history entry kept changing".into()))
}
