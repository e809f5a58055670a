//! The analytics worker's effects, exactly once per event.
//!
//! Each event becomes a list of writes: its raw record, `ADD`s on the day's counters, on
//! the distinct sets, on the query, source, service and instructor items. They are
//! committed once (`store::once`: one `TransactWriteItems` with the processed marker
//! `EVENT#<id>` / `APPLIED#analytics`), so a redelivered event finds the marker and
//! changes nothing, and a crash before the commit leaves nothing behind.
//! An event with more writes than a transaction holds (a search showing 50 instructors
//! across several services) is committed in chunks, each with its own marker
//! (`analytics#1`, …), so a retry after a crash between chunks finishes the job without
//! counting anything twice. The chunking depends only on the event, so every delivery
//! chunks it the same way.

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date};
use serde::Deserialize;

use super::{
    counters::{self, LABEL, PRICE, Update, member_hash},
    device::Device,
    events::{InteractionPayload, InteractionType, MAX_POSITION, MAX_TIME_TO_INTERACTION_MS},
    keys,
    place::place_of,
    record::{InteractionRecord, SearchRecord, StoredEvent},
    sets::{self, Set},
};
use crate::{
    clock::lesson_zone,
    ids,
    search::events::{SearchPayload, SearchType},
    store::{
        Key, Record, Store, StoreError, TransactError, TxAction,
        once::{self, Applied},
        transact::{Condition, MAX_ACTIONS},
    },
};

/// The processed-marker effect name of the analytics consumer (the history consumer's is
/// `history`: each applies its part of an event once).
pub const EFFECT: &str = "analytics";
/// Aggregates that hold query text or pseudonymous members are kept a little longer than
/// the longest window the API offers (365 days), then expire.
pub const AGGREGATE_RETENTION_DAYS: i64 = 400;

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The event cannot be applied as it is (it will be dead-lettered).
    #[error("invalid event: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The New York date of an instant: the day an event counts on.
pub fn day_of(at: Timestamp) -> Date {
    at.to_zoned_datetime(lesson_zone()).date()
}

/// When an aggregate item of `date` expires.
pub fn aggregate_expiry(date: Date) -> i64 {
    let end = date.checked_add(jiff::Span::new().days(AGGREGATE_RETENTION_DAYS)).unwrap_or(date);
    lesson_zone()
        .to_ambiguous_timestamp(end.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .map(|t| t.as_second())
        .unwrap_or(i64::MAX)
}

pub fn search_type_name(search_type: SearchType) -> &'static str {
    match search_type {
        SearchType::Query => "query",
        SearchType::CategoryClick => "category_click",
        SearchType::ServicePill => "service_pill",
        SearchType::FilterChange => "filter_change",
    }
}

/// The result-count buckets of the search-performance report, by counter suffix.
pub const RESULT_BUCKETS: [&str; 5] = ["0", "1_5", "6_10", "11_20", "21_plus"];

pub fn result_bucket(count: usize) -> &'static str {
    match count {
        0 => "0",
        1..=5 => "1_5",
        6..=10 => "6_10",
        11..=20 => "11_20",
        _ => "21_plus",
    }
}

/// Host of a referring URL, lowercase, without port or credentials; `other` when it is
/// not a URL at all.
pub fn referrer_host(referrer: &str) -> String {
    let rest = referrer.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("").trim().to_ascii_lowercase();
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        "other".to_owned()
    } else {
        host.chars().take(100).collect()
    }
}

/// An origin page (`X-Search-Origin`, a path such as `/services/music`) kept printable
/// and bounded: path characters only, at most 100.
pub fn clean_origin(origin: &str) -> String {
    let cleaned: String =
        origin.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.')).take(100).collect();
    if cleaned.is_empty() { "unknown".to_owned() } else { cleaned }
}

/// The writes of one event, by item, before they become transaction actions.
#[derive(Debug, Default)]
pub struct Effects {
    updates: BTreeMap<(String, String), Update>,
    puts: Vec<TxAction>,
}

impl Effects {
    pub fn update(&mut self, key: Key) -> &mut Update {
        self.updates.entry((key.pk, key.sk)).or_default()
    }

    pub fn put(&mut self, action: TxAction) {
        self.puts.push(action);
    }

    /// The writes per item key (what the benchmark's generator folds a million events
    /// into, exactly as the worker would).
    pub fn updates(&self) -> &BTreeMap<(String, String), Update> {
        &self.updates
    }

    pub fn into_actions(self) -> Result<Vec<TxAction>, StoreError> {
        let mut actions = self.puts;
        for ((pk, sk), update) in self.updates {
            if !update.is_empty() {
                actions.push(update.action("counter", &Key::new(pk, sk))?);
            }
        }
        Ok(actions)
    }
}

/// Commits `effects` for `event_id` once: in chunks that fit a transaction, each with its
/// own processed marker. `Duplicate` when every chunk had been applied before.
pub async fn commit(store: &Store, event_id: &str, effects: Effects, now: Timestamp) -> Result<Applied, StoreError> {
    let actions = effects.into_actions()?;
    let mut outcome = Applied::Duplicate;
    let chunks: Vec<&[TxAction]> =
        if actions.is_empty() { vec![&[][..]] } else { actions.chunks(MAX_ACTIONS - 1).collect() };
    for (i, chunk) in chunks.into_iter().enumerate() {
        let effect = if i == 0 { EFFECT.to_owned() } else { format!("{EFFECT}#{i}") };
        if once::was_applied(store, event_id, &effect).await? {
            continue;
        }
        match once::apply(store, event_id, &effect, chunk, now).await {
            Ok(Applied::Applied) => outcome = Applied::Applied,
            Ok(Applied::Duplicate) => {}
            Err(TransactError::Store(e)) => return Err(e),
            Err(other) => return Err(StoreError::Unavailable(other.to_string())),
        }
    }
    Ok(outcome)
}

/// Whether the person behind a search was first seen on an earlier day. The first-seen
/// day is kept per identity (user, else guest, else browser session) as the earliest day
/// any of their events carried, so a redelivered event gets the same answer.
pub async fn is_returning(store: &Store, identity: Option<&str>, date: Date) -> Result<bool, StoreError> {
    #[derive(Deserialize)]
    struct FirstSeen {
        first_seen: Date,
    }
    let Some(identity) = identity else {
        return Ok(false);
    };
    let key = keys::visitor(&member_hash("visitor", identity));
    let stored: Option<Record<FirstSeen>> = store.get(&key).await?;
    match stored {
        Some(record) if record.data.first_seen <= date => Ok(record.data.first_seen < date),
        _ => {
            let condition = Condition::expr("attribute_not_exists(PK) OR first_seen > :d")
                .string(":d", date.to_string())
                .name("#exp", "expiresAt")
                .number(":exp", aggregate_expiry(date));
            match store
                .update(
                    &key,
                    "SET first_seen = :d, entity = :entity, #exp = :exp",
                    condition.string(":entity", "visitor"),
                )
                .await
            {
                Ok(()) => Ok(false),
                // Someone recorded an earlier (or the same) day meanwhile: read it again.
                Err(StoreError::ConditionFailed) => {
                    let again: Option<Record<FirstSeen>> = store.get(&key).await?;
                    Ok(again.is_some_and(|r| r.data.first_seen < date))
                }
                Err(e) => Err(e),
            }
        }
    }
}

/// Who a visitor is for the returning flag: user, else guest, else browser session.
pub fn visitor_identity(payload: &SearchPayload) -> Option<String> {
    let context = &payload.context;
    match (&context.user_id, &context.guest_session_id, &context.session_id) {
        (Some(user), _, _) => Some(format!("USER#{user}")),
        (None, Some(guest), _) => Some(format!("GUEST#{guest}")),
        (None, None, Some(session)) => Some(format!("SESSION#{session}")),
        (None, None, None) => None,
    }
}

/// The stored record of a search event, enriched.
pub fn search_record(id: &str, at: Timestamp, payload: &SearchPayload, returning: bool) -> SearchRecord {
    let context = &payload.context;
    let search = &payload.search;
    let mut services = search.services.clone();
    services.sort();
    services.dedup();
    let mut shown = Vec::with_capacity(search.shown_instructors.len());
    for id in &search.shown_instructors {
        if !shown.contains(id) {
            shown.push(id.clone());
        }
    }
    SearchRecord {
        event_id: id.to_owned(),
        occurred_at: at.to_string(),
        date: day_of(at),
        query: search.query.clone(),
        normalized_query: search.normalized_query.clone(),
        search_type: search.search_type,
        result_count: search.result_count,
        services,
        shown_instructors: shown,
        user_id: context.user_id.clone(),
        guest_session_id: if context.user_id.is_some() { None } else { context.guest_session_id.clone() },
        session: context.session_id.as_deref().map(|s| member_hash("session", s)),
        origin: context.origin.as_deref().map(clean_origin),
        referrer: context.referrer.as_deref().map(referrer_host),
        device: Device::from_user_agent(context.user_agent.as_deref()),
        place: place_of(&context.geo),
        ip_hash: payload.ip_hash.clone(),
        returning,
    }
}

fn add_member(effects: &mut Effects, date: Date, set: Set, member: &str) {
    let (key, attribute) = sets::member_slot(date, set, member);
    effects.update(key).add(attribute, 1).expires_at(aggregate_expiry(date));
}

/// Everything a search changes.
pub fn search_effects(record: &SearchRecord, at: Timestamp) -> Result<Effects, StoreError> {
    let date = record.date;
    let mut effects = Effects::default();
    effects.put(TxAction::put(
        "raw-event",
        &StoredEvent::Search(Box::new(record.clone())).record(at),
        Condition::none(),
    )?);

    let day = effects.update(keys::day(date));
    day.count("searches", 1);
    day.count(
        match (&record.user_id, &record.guest_session_id) {
            (Some(_), _) => "searches_user",
            (None, Some(_)) => "searches_guest",
            (None, None) => "searches_anonymous",
        },
        1,
    );
    let zero = record.result_count == 0;
    let results = i64::try_from(record.result_count).unwrap_or(i64::MAX);
    if zero {
        day.count("zero_result_searches", 1);
    }
    day.count("total_results", results);
    day.count(&format!("results_{}", result_bucket(record.result_count)), 1);
    day.count(&format!("type_{}", search_type_name(record.search_type)), 1);
    day.count(&format!("device_{}", record.device.kind.as_str()), 1);
    day.count(&format!("browser_{}", counters::clean_name(&record.device.browser)), 1);
    day.count(&format!("os_{}", counters::clean_name(&record.device.os)), 1);
    day.count(&format!("place_{}", record.place), 1);
    if record.returning {
        day.count("returning_searches", 1);
    }
    if record.session.is_some() {
        day.count("searches_with_session", 1);
    }

    if let Some(user) = &record.user_id {
        add_member(&mut effects, date, Set::Users, &member_hash("user", user));
    } else if let Some(guest) = &record.guest_session_id {
        add_member(&mut effects, date, Set::Guests, &member_hash("guest", guest));
    }
    if let Some(session) = &record.session {
        add_member(&mut effects, date, Set::Sessions, session);
    }
    if let Some(ip) = &record.ip_hash {
        add_member(&mut effects, date, Set::Ips, &member_hash("ip", ip));
    }

    let query_hash = member_hash("query", &record.normalized_query);
    let query = effects.update(keys::query(date, &query_hash));
    query
        .count("searches", 1)
        .count("total_results", results)
        .set_string(LABEL, record.normalized_query.clone())
        .set_string(counters::TYPED, record.query.clone());
    if zero {
        query.count("zero_result_searches", 1);
    }
    query.expires_at(aggregate_expiry(date));

    let referrer = record.referrer.clone().unwrap_or_else(|| "direct".to_owned());
    effects
        .update(keys::source(date, 'R', &member_hash("referrer", &referrer)))
        .count("searches", 1)
        .set_string(LABEL, referrer)
        .expires_at(aggregate_expiry(date));
    if let Some(origin) = &record.origin {
        effects
            .update(keys::source(date, 'O', &member_hash("origin", origin)))
            .count("searches", 1)
            .set_string(LABEL, origin.clone())
            .expires_at(aggregate_expiry(date));
    }

    for service in &record.services {
        let update = effects.update(keys::service_day(date, service));
        update.count("searches", 1);
        if zero {
            update.count("zero_result_searches", 1);
        }
    }
    for instructor in &record.shown_instructors {
        effects.update(keys::instructor_day(instructor, date)).count("search_appearances", 1);
    }
    Ok(effects)
}

fn invalid(what: impl Into<String>) -> ApplyError {
    ApplyError::Invalid(what.into())
}

/// The stored record of an interaction event, validated.
pub fn interaction_record(
    id: &str,
    at: Timestamp,
    payload: InteractionPayload,
) -> Result<InteractionRecord, ApplyError> {
    let search_event_id =
        ids::parse_id(&payload.search_event_id).ok_or_else(|| invalid("search_event_id is not an event id"))?;
    let instructor_id =
        ids::parse_id(&payload.instructor_id).ok_or_else(|| invalid("instructor_id is not a user id"))?;
    if payload.result_position.is_some_and(|p| !(1..=MAX_POSITION).contains(&p)) {
        return Err(invalid("result_position out of range"));
    }
    if payload.time_to_interaction_ms.is_some_and(|t| t > MAX_TIME_TO_INTERACTION_MS) {
        return Err(invalid("time_to_interaction_ms out of range"));
    }
    Ok(InteractionRecord {
        event_id: id.to_owned(),
        occurred_at: at.to_string(),
        date: day_of(at),
        search_event_id,
        interaction_type: payload.interaction_type,
        instructor_id,
        result_position: payload.result_position,
        time_to_interaction_ms: payload.time_to_interaction_ms,
        guest_session_id: if payload.user_id.is_some() { None } else { payload.guest_session_id },
        user_id: payload.user_id,
    })
}

/// Everything an interaction changes.
pub fn interaction_effects(record: &InteractionRecord, at: Timestamp) -> Result<Effects, StoreError> {
    let date = record.date;
    let mut effects = Effects::default();
    effects.put(TxAction::put("raw-event", &StoredEvent::Interaction(record.clone()).record(at), Condition::none())?);
    let day = effects.update(keys::day(date));
    day.count(record.interaction_type.counter(), 1);
    if let Some(position) = record.result_position {
        day.count("position_total", i64::from(position)).count("positioned_interactions", 1);
    }
    if let Some(ms) = record.time_to_interaction_ms {
        day.count("time_to_interaction_total_ms", i64::try_from(ms).unwrap_or(i64::MAX)).count("timed_interactions", 1);
    }
    let set = Set::for_interaction(record.interaction_type);
    add_member(&mut effects, date, set, &member_hash("search", &record.search_event_id));
    effects.update(keys::instructor_day(&record.instructor_id, date)).count(record.interaction_type.counter(), 1);
    Ok(effects)
}

/// A search or interaction made under do-not-track: one count, nothing else.
pub fn untracked_effects(date: Date, what: Untracked) -> Effects {
    let mut effects = Effects::default();
    let counter = match what {
        Untracked::Search => "untracked_searches",
        Untracked::Interaction(_) => "untracked_interactions",
    };
    effects.update(keys::day(date)).count(counter, 1);
    effects
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untracked {
    Search,
    Interaction(InteractionType),
}

/// The fields of a booking event the counters need.
#[derive(Debug, Clone, Deserialize)]
pub struct BookingFacts {
    pub booking_id: String,
    pub instructor_id: String,
    pub service: String,
    pub price_cents: u32,
}

/// What a booking event changes, by its kind (`booking.created`, …).
pub fn booking_effects(kind: &str, date: Date, booking: &BookingFacts) -> Result<Effects, ApplyError> {
    if ids::parse_id(&booking.instructor_id).is_none() || booking.service.is_empty() || booking.service.len() > 100 {
        return Err(invalid(format!("booking {} names no valid instructor or service", booking.booking_id)));
    }
    let mut effects = Effects::default();
    let price = i64::from(booking.price_cents);
    let (counter, with_service, with_instructor) = match kind {
        "booking.created" => ("bookings_created", true, true),
        "booking.cancelled" => ("bookings_cancelled", true, true),
        "booking.completed" => ("bookings_completed", true, true),
        "booking.no_show" => ("bookings_no_show", false, false),
        "booking.rescheduled" => ("bookings_rescheduled", false, false),
        other => return Err(invalid(format!("no analytics for {other}"))),
    };
    let completed = kind == "booking.completed";
    let day = effects.update(keys::day(date));
    day.count(counter, 1);
    if completed {
        day.count("completed_revenue_cents", price);
    }
    if with_service {
        let service = effects.update(keys::service_day(date, &booking.service));
        service.count(counter, 1);
        if completed {
            service.count("revenue_cents", price).add(format!("{PRICE}{}", booking.price_cents), 1);
        }
    }
    if with_instructor {
        effects.update(keys::instructor_day(&booking.instructor_id, date)).count(counter, 1);
    }
    Ok(effects)
}

/// A guest became a user (registered or signed in with their guest session).
pub fn guest_conversion_effects(date: Date) -> Effects {
    let mut effects = Effects::default();
    effects.update(keys::day(date)).count("guest_conversions", 1);
    effects
}
