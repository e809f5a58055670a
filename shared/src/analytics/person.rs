//! One person's analytics data, for their export and their erasure: the raw events they
//! made (found on GSI1 by user or guest id), their membership of the daily distinct sets,
//! their first-visit item, and, for instructors, their own day counters.
//!
//! Aggregate counts (how many searches a day had) are not personal and stay; what could
//! point back at the person goes.

use std::collections::BTreeSet;

use super::{
    counters::member_hash,
    keys,
    record::StoredEvent,
    sets::{self, Set},
};
use crate::store::{Index, Key, Query, Record, Store, StoreError};

/// Whose data: a user account or a guest browser session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Person {
    User(String),
    Guest(String),
}

impl Person {
    fn key(&self) -> String {
        match self {
            Person::User(id) => format!("USER#{id}"),
            Person::Guest(id) => format!("GUEST#{id}"),
        }
    }
}

/// Every raw event of the person, oldest first.
pub async fn events(store: &Store, person: &Person) -> Result<Vec<Record<StoredEvent>>, StoreError> {
    store.query_all(Query::partition(Index::Gsi1, keys::events_by(&person.key()))).await
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub events: usize,
    pub instructor_days: usize,
}

/// Deletes the person's raw events, takes them (and their browser sessions and IP
/// hashes) out of the distinct sets of the days they were active, deletes their
/// first-visit item and, for a user, their instructor day counters.
pub async fn erase(store: &Store, person: &Person) -> Result<Erased, StoreError> {
    let records = events(store, person).await?;
    let dates: Vec<_> = records.iter().map(|r| r.data.date()).collect::<BTreeSet<_>>().into_iter().collect();
    let (set, member) = match person {
        Person::User(id) => (Set::Users, member_hash("user", id)),
        Person::Guest(id) => (Set::Guests, member_hash("guest", id)),
    };
    sets::remove_member(store, set, &member, &dates).await?;
    for record in &records {
        if let StoredEvent::Search(search) = &record.data {
            let date = [search.date];
            if let Some(session) = &search.session {
                sets::remove_member(store, Set::Sessions, session, &date).await?;
            }
            if let Some(ip) = &search.ip_hash {
                sets::remove_member(store, Set::Ips, &member_hash("ip", ip), &date).await?;
            }
        }
    }
    let keys: Vec<Key> = records.iter().map(Record::key).collect();
    store.delete_batch(&keys).await?;
    store.delete(&keys::visitor(&member_hash("visitor", &person.key()))).await?;
    let mut instructor_days = 0;
    if let Person::User(id) = person {
        instructor_days = store.delete_partition(&keys::instructor_partition(id)).await?;
    }
    Ok(Erased { events: keys.len(), instructor_days })
}
