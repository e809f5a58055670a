//! Where analytics lives in the table (also listed in `store::keys`). Every aggregate is
//! keyed by New York date first, so a window of days is one Query with `BETWEEN` on the
//! sort key: the dashboard reads a few items per day, never the raw events.
//!
//! | item | PK | SK |
//! |---|---|---|
//! | raw event (TTL 365 d) | `AN#EV#<date>` | `<instant>#<event id>` (GSI1 `AN#WHO#<USER or GUEST>#<id>`) |
//! | day counters | `AN#DAY` | `<date>` |
//! | distinct members of a day (users, guests, …) | `AN#SETS` | `<date>#<set>#<shard>` |
//! | per-query counters | `AN#QUERIES` | `<date>#<query hash>` |
//! | referrer / origin counters | `AN#SOURCES` | `<date>#<R or O>#<hash>` |
//! | per-service day counters | `AN#SVCDAY` | `<date>#<service slug>` |
//! | per-instructor day counters | `AN#INSTR#<id>` | `<date>` |
//! | first visit of an identity | `AN#VISITOR#<identity hash>` | `FIRST` |
//! | daily job: per-service figures | `AN#SVCSTATS#<date>` | `<service slug>` |
//! | daily job: report | `AN#REPORT` | `<date>` |

use jiff::civil::Date;

use crate::store::Key;

pub const DAY: &str = "AN#DAY";
pub const SETS: &str = "AN#SETS";
pub const QUERIES: &str = "AN#QUERIES";
pub const SOURCES: &str = "AN#SOURCES";
pub const SERVICE_DAYS: &str = "AN#SVCDAY";
pub const REPORTS: &str = "AN#REPORT";

/// The partition of one day's raw events.
pub fn events_of(date: Date) -> String {
    format!("AN#EV#{date}")
}

/// GSI1 partition of everything one person (user or guest) did: for export and erasure.
pub fn events_by(identity: &str) -> String {
    format!("AN#WHO#{identity}")
}

pub fn day(date: Date) -> Key {
    Key::new(DAY, date.to_string())
}

pub fn set_shard(date: Date, set: &str, shard: u8) -> Key {
    Key::new(SETS, format!("{date}#{set}#{shard}"))
}

pub fn query(date: Date, query_hash: &str) -> Key {
    Key::new(QUERIES, format!("{date}#{query_hash}"))
}

pub fn source(date: Date, kind: char, hash: &str) -> Key {
    Key::new(SOURCES, format!("{date}#{kind}#{hash}"))
}

pub fn service_day(date: Date, service: &str) -> Key {
    Key::new(SERVICE_DAYS, format!("{date}#{service}"))
}

pub fn instructor_partition(instructor_id: &str) -> String {
    format!("AN#INSTR#{instructor_id}")
}

pub fn instructor_day(instructor_id: &str, date: Date) -> Key {
    Key::new(instructor_partition(instructor_id), date.to_string())
}

pub fn visitor(identity_hash: &str) -> Key {
    Key::new(format!("AN#VISITOR#{identity_hash}"), "FIRST")
}

pub fn service_stats_partition(date: Date) -> String {
    format!("AN#SVCSTATS#{date}")
}

pub fn service_stats(date: Date, service: &str) -> Key {
    Key::new(service_stats_partition(date), service)
}

pub fn report(date: Date) -> Key {
    Key::new(REPORTS, date.to_string())
}

/// Sort-key bounds covering every `<date>#…` sort key of the dates `first..=last`.
pub fn date_prefixed_range(first: Date, last: Date) -> (String, String) {
    (format!("{first}#"), format!("{last}#~"))
}
