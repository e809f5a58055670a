//! Applying search events to history, exactly once per event.

use jiff::Timestamp;
use serde::Deserialize;

use super::{DELETED_RETENTION_DAYS, Entry, GUEST_RETENTION_DAYS, MAX_ENTRIES, Owner, entry_id, entry_key};
use crate::{
    search::events::SearchEvent,
    store::{
        Index, Query, Record, Store, StoreError, TxAction,
        once::{self, Applied},
        transact::{Condition, TransactError},
    },
};

fn expiry(owner: &Owner, entry: &Entry, now: Timestamp) -> Option<i64> {
    if entry.deleted_at.is_some() {
        return Some(now.as_second() + DELETED_RETENTION_DAYS * 86_400);
    }
    match owner {
        Owner::Guest(_) => Some(now.as_second() + GUEST_RETENTION_DAYS * 86_400),
        Owner::User(_) => None,
    }
}

fn entry_record(owner: &Owner, entry: Entry, version: u64, now: Timestamp) -> Record<Entry> {
    let gsi_sort = format!("{}#{}", entry.last_searched_at, entry.id);
    let expires = expiry(owner, &entry, now);
    let mut record = Record::new(entry_key(owner, &entry.id), entry).gsi1(owner.partition(), gsi_sort).version(version);
    record.expires_at = expires;
    record
}

/// What applying an event would do to an entry: merge into the live entry, or start a new
/// one (none yet, or the old one was deleted or has expired).
fn merged(existing: Option<&Record<Entry>>, incoming: &Entry, now: Timestamp) -> (Entry, bool) {
    match existing {
        Some(record) if record.data.deleted_at.is_none() && !record.is_expired(now.as_second()) => {
            let old = &record.data;
            let newer = incoming.last_searched_at > old.last_searched_at;
            let mut types = old.search_types.clone();
            types.extend(incoming.search_types.iter().copied());
            (
                Entry {
                    id: old.id.clone(),
                    query: if newer { incoming.query.clone() } else { old.query.clone() },
                    normalized_query: old.normalized_query.clone(),
                    search_types: types,
                    search_count: old.search_count + incoming.search_count,
                    first_searched_at: old.first_searched_at.clone().min(incoming.first_searched_at.clone()),
                    last_searched_at: old.last_searched_at.clone().max(incoming.last_searched_at.clone()),
                    deleted_at: None,
                },
                false,
            )
        }
        _ => (incoming.clone(), true),
    }
}

/// Adds `incoming` (counts and times) to `owner`'s entry for the same query, once per
/// (event, effect).
async fn upsert(
    store: &Store,
    event_id: &str,
    effect: &str,
    owner: &Owner,
    incoming: &Entry,
    extra: Vec<TxAction>,
    now: Timestamp,
) -> Result<Applied, StoreError> {
    let key = entry_key(owner, &incoming.id);
    for _attempt in 0..8 {
        let existing: Option<Record<Entry>> = store.get(&key).await?;
        let version = existing.as_ref().and_then(|r| r.version).unwrap_or(0);
        let (entry, is_new) = merged(existing.as_ref(), incoming, now);
        let condition = match &existing {
            None => Condition::absent(),
            Some(_) => Condition::version_is(version),
        };
        let mut actions = vec![TxAction::put("entry", &entry_record(owner, entry, version + 1, now), condition)?];
        if is_new && existing.is_none() {
            actions.push(TxAction::update(
                "count",
                &owner.count_key(),
                "ADD entries :one",
                Condition::none().value(":one", aws_sdk_dynamodb::types::AttributeValue::N("1".into())),
            )?);
        }
        actions.extend(extra.iter().cloned());
        match once::apply(store, event_id, effect, &actions, now).await {
            Ok(Applied::Applied) => {
                if is_new && existing.is_none() {
                    enforce_cap(store, owner).await?;
                }
                return Ok(Applied::Applied);
            }
            Ok(Applied::Duplicate) => return Ok(Applied::Duplicate),
            // The entry changed between our read and write: read again.
            Err(TransactError::ConditionFailed { .. }) => continue,
            Err(TransactError::Store(e)) => return Err(e),
            Err(other) => return Err(StoreError::Unavailable(other.to_string())),
        }
    }
    Err(StoreError::Unavailable("search history entry kept changing".into()))
}

/// Applies one search event to `owner`'s history.
pub async fn apply_search(
    store: &Store,
    event_id: &str,
    owner: &Owner,
    search: &SearchEvent,
    at: Timestamp,
    now: Timestamp,
) -> Result<Applied, StoreError> {
    let incoming = Entry {
        id: entry_id(&search.normalized_query),
        query: search.query.clone(),
        normalized_query: search.normalized_query.clone(),
        search_types: [search.search_type].into(),
        search_count: 1,
        first_searched_at: at.to_string(),
        last_searched_at: at.to_string(),
        deleted_at: None,
    };
    upsert(store, event_id, "history", owner, &incoming, Vec::new(), now).await
}

/// Moves a guest's history to a user: a query the user already has is merged (counts
/// added, first/last widened), others are moved; each guest entry in its own transaction
/// (with its own marker), so a retry after a crash finishes the job without double counts.
pub async fn convert_guest(
    store: &Store,
    event_id: &str,
    guest_session_id: &str,
    user_id: &str,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let guest = Owner::Guest(guest_session_id.to_owned());
    let user = Owner::User(user_id.to_owned());
    let mut moved = 0;
    for record in super::all(store, &guest).await? {
        if record.data.deleted_at.is_some() || record.is_expired(now.as_second()) {
            continue;
        }
        let remove_guest = removal(&guest, &record)?;
        let effect = format!("convert#{}", record.data.id);
        match upsert(store, event_id, &effect, &user, &record.data, remove_guest, now).await? {
            Applied::Applied => moved += 1,
            Applied::Duplicate => {}
        }
    }
    Ok(moved)
}

/// Deleting an entry and counting it out, as one unit.
fn removal(owner: &Owner, record: &Record<Entry>) -> Result<Vec<TxAction>, StoreError> {
    Ok(vec![
        TxAction::delete("removed-entry", &record.key(), Condition::exists())?,
        TxAction::update(
            "removed-count",
            &owner.count_key(),
            "ADD entries :minus",
            Condition::none().value(":minus", aws_sdk_dynamodb::types::AttributeValue::N("-1".into())),
        )?,
    ])
}

#[derive(Debug, Deserialize)]
struct Count {
    #[serde(default)]
    entries: i64,
}

/// Drops the oldest entries beyond [`MAX_ENTRIES`].
async fn enforce_cap(store: &Store, owner: &Owner) -> Result<(), StoreError> {
    let count = store.get::<Record<Count>>(&owner.count_key()).await?.map(|r| r.data.entries).unwrap_or(0);
    let excess = count - MAX_ENTRIES;
    if excess <= 0 {
        return Ok(());
    }
    let oldest: Vec<Record<Entry>> = store
        .query(Query::partition(Index::Gsi1, owner.partition()).limit(u32::try_from(excess).unwrap_or(u32::MAX)))
        .await?
        .items;
    for record in oldest {
        match store.transact(&removal(owner, &record)?).await {
            // Already dropped by a concurrent worker.
            Ok(()) | Err(TransactError::ConditionFailed { .. }) => {}
            Err(TransactError::Store(e)) => return Err(e),
            Err(other) => return Err(StoreError::Unavailable(other.to_string())),
        }
    }
    Ok(())
}
