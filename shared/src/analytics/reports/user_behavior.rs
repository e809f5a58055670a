//! How people search: per person, per session, by device, browser, place and type.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular};
use crate::analytics::{
    apply::search_type_name,
    counters::{COUNTER, CounterItem},
    device::DeviceKind,
    place,
    read::{self, sum},
    sets::{DailySets, Set},
    stats::{average, rate},
    table::{Table, cell},
    window::Window,
};
use crate::{search::events::SearchType, store::Store, store::StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Share {
    pub name: String,
    pub searches: i64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IdentityBucket {
    /// Searches per person in the window: "1", "2-5", "6-10" or "11+".
    pub searches: String,
    pub people: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UserBehavior {
    pub window: Window,
    /// Distinct users and guests who searched.
    pub people: usize,
    /// Their searches per person, on average.
    pub average_searches_per_person: f64,
    pub searches_per_person: Vec<IdentityBucket>,
    /// People who searched at least twice.
    pub repeat_searchers: usize,
    /// People who searched on at least two different days.
    pub multi_day_searchers: usize,
    /// Searches by people first seen on an earlier day.
    pub returning_searches: i64,
    pub returning_share: f64,
    pub unique_sessions: usize,
    /// Searches that carried a browser session id, per distinct session.
    pub average_searches_per_session: f64,
    pub devices: Vec<Share>,
    pub browsers: Vec<Share>,
    pub operating_systems: Vec<Share>,
    /// Borough (or nyc, outside_nyc, unknown) of the searches.
    pub places: Vec<Share>,
    pub search_types: Vec<Share>,
}

fn shares(days: &BTreeMap<Date, CounterItem>, prefix: &str, total: i64, keep_zero: &[&str]) -> Vec<Share> {
    let mut counts: BTreeMap<String, i64> = keep_zero.iter().map(|k| ((*k).to_owned(), 0)).collect();
    let full = format!("{COUNTER}{prefix}");
    for item in days.values() {
        for (name, n) in item.with_prefix(&full) {
            *counts.entry(name.to_owned()).or_insert(0) += n;
        }
    }
    let mut list: Vec<Share> =
        counts.into_iter().map(|(name, searches)| Share { name, searches, share: rate(searches, total) }).collect();
    list.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.name.cmp(&b.name)));
    list
}

pub fn identity_bucket(searches: i64) -> &'static str {
    match searches {
        ..=1 => "1",
        2..=5 => "2-5",
        6..=10 => "6-10",
        _ => "11+",
    }
}

pub async fn user_behavior(store: &Store, window: &Window) -> Result<UserBehavior, StoreError> {
    let (days, sets) = tokio::try_join!(read::days(store, window), DailySets::read(store, window.start, window.end))?;
    let total = |name: &str| sum(days.values(), name);
    let searches = total("searches");
    let mut people: HashMap<String, i64> = sets.totals(Set::Users);
    people.extend(sets.totals(Set::Guests));
    let mut active_days = sets.active_days(Set::Users);
    active_days.extend(sets.active_days(Set::Guests));
    let mut buckets: BTreeMap<&str, usize> = ["1", "2-5", "6-10", "11+"].into_iter().map(|b| (b, 0)).collect();
    for n in people.values() {
        *buckets.entry(identity_bucket(*n)).or_insert(0) += 1;
    }
    let unique_sessions = sets.distinct(Set::Sessions);
    let device_names: Vec<&str> = DeviceKind::ALL.iter().map(|d| d.as_str()).collect();
    let type_names: Vec<&str> =
        [SearchType::Query, SearchType::CategoryClick, SearchType::ServicePill, SearchType::FilterChange]
            .into_iter()
            .map(search_type_name)
            .collect();
    Ok(UserBehavior {
        window: *window,
        people: people.len(),
        average_searches_per_person: average(people.values().sum(), people.len() as i64),
        searches_per_person: ["1", "2-5", "6-10", "11+"]
            .into_iter()
            .map(|b| IdentityBucket { searches: b.to_owned(), people: buckets.get(b).copied().unwrap_or(0) })
            .collect(),
        repeat_searchers: people.values().filter(|n| **n >= 2).count(),
        multi_day_searchers: active_days.values().filter(|n| **n >= 2).count(),
        returning_searches: total("returning_searches"),
        returning_share: rate(total("returning_searches"), searches),
        unique_sessions,
        average_searches_per_session: average(total("searches_with_session"), unique_sessions as i64),
        devices: shares(&days, "device_", searches, &device_names),
        browsers: shares(&days, "browser_", searches, &[]),
        operating_systems: shares(&days, "os_", searches, &[]),
        places: shares(&days, "place_", searches, &place::ALL),
        search_types: shares(&days, "type_", searches, &type_names),
    })
}

impl Tabular for UserBehavior {
    fn table(&self) -> Table {
        let mut t = Table::new(&["section", "name", "value", "share"]);
        let mut figure =
            |name: &str, value: String| t.row(vec!["overall".into(), name.to_owned(), value, String::new()]);
        figure("people", cell(self.people));
        figure("average_searches_per_person", cell(self.average_searches_per_person));
        figure("repeat_searchers", cell(self.repeat_searchers));
        figure("multi_day_searchers", cell(self.multi_day_searchers));
        figure("returning_searches", cell(self.returning_searches));
        figure("returning_share", cell(self.returning_share));
        figure("unique_sessions", cell(self.unique_sessions));
        figure("average_searches_per_session", cell(self.average_searches_per_session));
        for b in &self.searches_per_person {
            t.row(vec!["searches_per_person".into(), b.searches.clone(), cell(b.people), String::new()]);
        }
        for (section, list) in [
            ("device", &self.devices),
            ("browser", &self.browsers),
            ("operating_system", &self.operating_systems),
            ("place", &self.places),
            ("search_type", &self.search_types),
        ] {
            for s in list {
                t.row(vec![section.into(), s.name.clone(), cell(s.searches), cell(s.share)]);
            }
        }
        t
    }
}

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&user_behavior(inputs.store, &inputs.window).await?) })
}
