//! Distinct sets per day: who searched (users, guests, browser sessions, IPs) and which
//! searches led to a click, a profile view or a booking.
//!
//! A member is a 64-bit hash (see `counters::member_hash`) stored as an attribute
//! `m_<hash>` whose value counts how often it was seen that day; `ADD` makes every update
//! atomic. "Unique users on a day" is the number of attributes of that day's items;
//! "unique users in a window" is the size of the union over its days; how many searches
//! each person made in a window is the sum of their counts. Members are spread over
//! [`SHARDS`] items per set and day by their first hex digit, which keeps each item far
//! below DynamoDB's 400 KB (about 20,000 members per item: 160,000 a day per set).

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use super::{
    counters::{CounterItem, member_attribute},
    events::InteractionType,
    keys,
};
use crate::store::{Index, Key, Query, SortCondition, Store, StoreError};

pub const SHARDS: u8 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Set {
    Users,
    Guests,
    Sessions,
    Ips,
    SearchesClicked,
    SearchesViewed,
    SearchesBooked,
}

impl Set {
    pub const ALL: [Set; 7] = [
        Set::Users,
        Set::Guests,
        Set::Sessions,
        Set::Ips,
        Set::SearchesClicked,
        Set::SearchesViewed,
        Set::SearchesBooked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Set::Users => "users",
            Set::Guests => "guests",
            Set::Sessions => "sessions",
            Set::Ips => "ips",
            Set::SearchesClicked => InteractionType::Click.search_set(),
            Set::SearchesViewed => InteractionType::ViewProfile.search_set(),
            Set::SearchesBooked => InteractionType::Book.search_set(),
        }
    }

    pub fn parse(text: &str) -> Option<Set> {
        Set::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn for_interaction(kind: InteractionType) -> Set {
        match kind {
            InteractionType::Click => Set::SearchesClicked,
            InteractionType::ViewProfile => Set::SearchesViewed,
            InteractionType::Book => Set::SearchesBooked,
        }
    }
}

fn shard_of(member: &str) -> u8 {
    member.chars().next().and_then(|c| c.to_digit(16)).map(|d| (d as u8) % SHARDS).unwrap_or(0)
}

/// The item and attribute that hold `member` of `set` on `date`.
pub fn member_slot(date: Date, set: Set, member: &str) -> (Key, String) {
    (keys::set_shard(date, set.as_str(), shard_of(member)), member_attribute(member))
}

/// The members of every set for each day of a window, with their per-day counts.
#[derive(Debug, Clone, Default)]
pub struct DailySets {
    days: BTreeMap<Date, HashMap<Set, HashMap<String, i64>>>,
}

impl DailySets {
    pub async fn read(store: &Store, first: Date, last: Date) -> Result<Self, StoreError> {
        let (low, high) = keys::date_prefixed_range(first, last);
        let items = store
            .query_items(Query::partition(Index::Table, keys::SETS).sort(SortCondition::Between(low, high)))
            .await?;
        let mut days: BTreeMap<Date, HashMap<Set, HashMap<String, i64>>> = BTreeMap::new();
        for item in &items {
            let item = CounterItem::from_item(item);
            let mut parts = item.sk.split('#');
            let (Some(date), Some(set)) =
                (parts.next().and_then(|d| d.parse::<Date>().ok()), parts.next().and_then(Set::parse))
            else {
                continue;
            };
            let members = days.entry(date).or_default().entry(set).or_default();
            for (member, count) in item.with_prefix(super::counters::MEMBER) {
                *members.entry(member.to_owned()).or_insert(0) += count;
            }
        }
        Ok(Self { days })
    }

    /// Distinct members of `set` on `date`.
    pub fn count_on(&self, date: Date, set: Set) -> usize {
        self.days.get(&date).and_then(|d| d.get(&set)).map_or(0, HashMap::len)
    }

    /// Each member of `set` in the window with its total count.
    pub fn totals(&self, set: Set) -> HashMap<String, i64> {
        let mut out: HashMap<String, i64> = HashMap::new();
        for sets in self.days.values() {
            if let Some(members) = sets.get(&set) {
                for (member, count) in members {
                    *out.entry(member.clone()).or_insert(0) += count;
                }
            }
        }
        out
    }

    /// Each member of `set` with the number of distinct days it was seen on.
    pub fn active_days(&self, set: Set) -> HashMap<String, usize> {
        let mut out: HashMap<String, usize> = HashMap::new();
        for sets in self.days.values() {
            if let Some(members) = sets.get(&set) {
                for member in members.keys() {
                    *out.entry(member.clone()).or_insert(0) += 1;
                }
            }
        }
        out
    }

    /// Distinct members of `set` in the window.
    pub fn distinct(&self, set: Set) -> usize {
        self.totals(set).len()
    }
}

/// Takes `member` out of `set` on each of `dates` (erasure): the attribute is removed from
/// the shard item that would hold it.
pub async fn remove_member(store: &Store, set: Set, member: &str, dates: &[Date]) -> Result<(), StoreError> {
    for date in dates {
        let (key, attribute) = member_slot(*date, set, member);
        let condition = crate::store::transact::Condition::exists().name("#m", &attribute);
        match store.update(&key, "REMOVE #m", condition).await {
            // No item for that day and shard: nothing to remove (and nothing to create).
            Ok(()) | Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
