//! Privacy self-service (PRODUCT.md §8): everything we hold about a person, and its
//! erasure.
//!
//! It sits above every domain whose data it gathers (accounts, instructors, bookings,
//! history, analytics), so none of them imports another to take part in an export.
//!
//! Export: the account (never the password hash), the instructor profile, the search
//! history (deleted entries too: we still hold them), the bookings on both sides, the raw
//! analytics events and, for an instructor, their analytics day counters.
//!
//! Erasure: history and analytics events are deleted (and the person taken out of the
//! daily distinct sets); the account is pseudonymized ("Deleted user", an address that
//! cannot receive mail, no phone, no password, deactivated, every session ended) and its
//! email released; an instructor profile loses its bio and areas and is unlisted; bookings
//! are kept for the other party's records, with both notes scrubbed and the erased
//! party's name replaced. Login is impossible afterwards: the email no longer names an
//! account, and the account has no password and is deactivated.
//!
//! A guest (a browser's `X-Guest-Session-ID`, no account) has the same two rights over what
//! we hold for the session: its search history and analytics events.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    accounts::{AccountError, AccountStatus, Email, User, guest::GuestSessionId, users},
    analytics::{
        person::{self, Person},
        record::StoredEvent,
    },
    audit::{AuditAction, AuditEntry},
    booking::{Booking, model::BookingItem},
    history::{Entry, Owner},
    ids::{BookingId, UserId},
    instructors::{self, InstructorProfile, editing},
    store::{Index, Query, Record, Store, StoreError, TxAction, keys, transact::Condition, version_condition},
};

/// The name an erased account and its bookings show.
pub const ERASED_NAME: &str = "Deleted user";

/// The domain of an erased account's placeholder address: reserved (RFC 2606), so it can
/// never reach anyone.
const ERASED_DOMAIN: &str = "deleted.invalid";

/// Whether `user` was erased: nothing is ever sent to them again.
pub fn is_erased(user: &User) -> bool {
    user.email.ends_with(&format!("@{ERASED_DOMAIN}"))
}

/// Everything held about one person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalData {
    /// The account (no password hash).
    #[schema(value_type = Object)]
    pub account: serde_json::Value,
    #[schema(value_type = Option<Object>)]
    pub instructor_profile: Option<InstructorProfile>,
    #[schema(value_type = Vec<Object>)]
    pub search_history: Vec<Entry>,
    #[schema(value_type = Vec<Object>)]
    pub bookings_as_student: Vec<Booking>,
    #[schema(value_type = Vec<Object>)]
    pub bookings_as_instructor: Vec<Booking>,
    /// Searches and interactions recorded for analytics (365 days).
    #[schema(value_type = Vec<Object>)]
    pub analytics_events: Vec<StoredEvent>,
    /// For an instructor: their analytics per day (appearances, views, bookings).
    #[schema(value_type = Vec<Object>)]
    pub instructor_analytics_days: Vec<serde_json::Value>,
}

fn account_view(user: &User) -> serde_json::Value {
    serde_json::json!({
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "roles": user.roles,
        "status": user.status,
        "time_zone": user.time_zone,
        "created_at": user.created_at,
    })
}

async fn bookings(store: &Store, partition: String, index: Index) -> Result<Vec<Record<BookingItem>>, StoreError> {
    store.query_all(Query::partition(index, partition)).await
}

/// Everything held about `user_id`.
pub async fn export(store: &Store, user_id: &UserId) -> Result<PersonalData, AccountError> {
    let user = users::require(store, user_id).await?.value;
    let history: Vec<Record<Entry>> = crate::history::all(store, &Owner::User(user_id.to_string())).await?;
    let as_student = bookings(store, keys::student_bookings(user_id), Index::Gsi2).await?;
    let as_instructor = bookings(store, keys::instructor_bookings(&user_id.as_instructor()), Index::Gsi1).await?;
    let events = person::events(store, &Person::User(user_id.to_string())).await?;
    let days = store
        .query_items(Query::partition(Index::Table, crate::analytics::keys::instructor_partition(user_id.as_str())))
        .await?
        .iter()
        .map(|item| {
            let counters = crate::analytics::counters::CounterItem::from_item(item);
            serde_json::json!({ "date": counters.sk, "counters": counters.numbers })
        })
        .collect();
    Ok(PersonalData {
        account: account_view(&user),
        instructor_profile: instructors::get(store, &user_id.as_instructor()).await?.map(|(p, _)| p),
        search_history: history.into_iter().map(|r| r.data).collect(),
        bookings_as_student: as_student.into_iter().map(|r| r.data.booking).collect(),
        bookings_as_instructor: as_instructor.into_iter().map(|r| r.data.booking).collect(),
        analytics_events: events.into_iter().map(|r| r.data).collect(),
        instructor_analytics_days: days,
    })
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Erasure {
    pub history_items_deleted: usize,
    pub analytics_events_deleted: usize,
    pub bookings_scrubbed: usize,
}

/// Erases `user_id`'s personal data, as `actor_id` (the user themself or an admin).
pub async fn erase(
    store: &Store,
    user_id: &UserId,
    actor_id: &UserId,
    now: jiff::Timestamp,
) -> Result<Erasure, AccountError> {
    users::require(store, user_id).await?;
    // History first, then analytics: if anything below fails, a retry finds less to do
    // and ends in the same state.
    let history_items_deleted = crate::history::delete_all(store, &Owner::User(user_id.to_string())).await?;
    let erased = person::erase(store, &Person::User(user_id.to_string())).await?;

    let mut scrubbed = 0;
    for (partition, index) in [
        (keys::student_bookings(user_id), Index::Gsi2),
        (keys::instructor_bookings(&user_id.as_instructor()), Index::Gsi1),
    ] {
        for record in bookings(store, partition, index).await? {
            scrubbed += usize::from(scrub_booking(store, &record.data.booking.id, user_id).await?);
        }
    }

    for _ in 0..users::ATTEMPTS {
        let before = users::require(store, user_id).await?;
        let mut after = before.value.clone();
        after.email = format!("deleted-{}@{ERASED_DOMAIN}", user_id.as_str().to_ascii_lowercase());
        after.full_name = ERASED_NAME.to_owned();
        after.phone = None;
        // No PHC string: no password verifies against it.
        after.password_hash = String::new();
        after.status = AccountStatus::Deactivated;
        after.session_epoch += 1;
        let mut extra = Vec::new();
        if before.value.email != after.email {
            let normalized = Email::parse(&before.value.email).map(|e| e.normalized().to_owned()).ok();
            if let Some(normalized) = normalized {
                extra.push(TxAction::delete("email", &keys::email(&normalized), Condition::none())?);
            }
        }
        let audit = AuditEntry::new(
            now,
            actor_id.as_str(),
            AuditAction::UserErase,
            user_id.as_str(),
            users::snapshot(&before.value),
            users::snapshot(&after),
        );
        match users::commit(store, users::AccountWrite { before, after, audit: Some(audit), extra }).await {
            Ok(_) => break,
            Err(AccountError::Concurrent) => continue,
            Err(e) => return Err(e),
        }
    }
    if let Some((mut profile, version)) = instructors::get(store, &user_id.as_instructor()).await?
        && (!profile.bio.is_empty() || !profile.areas.is_empty())
    {
        profile.bio.clear();
        profile.areas.clear();
        store.transact(&[editing::put_action(&profile, version)?]).await.map_err(AccountError::Transact)?;
    }
    Ok(Erasure { history_items_deleted, analytics_events_deleted: erased.events, bookings_scrubbed: scrubbed })
}

/// Scrubs one booking of `user_id`'s notes and name (a versioned write, retried on a
/// concurrent change). `false` when there was nothing to scrub.
async fn scrub_booking(store: &Store, booking_id: &BookingId, user_id: &UserId) -> Result<bool, AccountError> {
    for _ in 0..users::ATTEMPTS {
        let Some((mut booking, version)) = crate::booking::queries::get(store, booking_id).await? else {
            return Ok(false);
        };
        let before = booking.clone();
        booking.student_note = None;
        booking.instructor_note = None;
        if &booking.student_id == user_id {
            booking.student_name = ERASED_NAME.to_owned();
        }
        if booking.instructor_id.as_user() == *user_id {
            booking.instructor_name = ERASED_NAME.to_owned();
        }
        if booking == before {
            return Ok(false);
        }
        let action = TxAction::put("booking", &booking.record(version + 1), version_condition(Some(version)))?;
        match store.transact(&[action]).await {
            Ok(()) => return Ok(true),
            Err(crate::store::TransactError::ConditionFailed { .. }) => continue,
            Err(e) => return Err(AccountError::Transact(e)),
        }
    }
    Err(AccountError::Concurrent)
}

/// Everything held about a guest session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuestData {
    pub guest_session_id: String,
    #[schema(value_type = Vec<Object>)]
    pub search_history: Vec<Entry>,
    #[schema(value_type = Vec<Object>)]
    pub analytics_events: Vec<StoredEvent>,
}

pub async fn export_guest(store: &Store, guest: &GuestSessionId) -> Result<GuestData, StoreError> {
    let owner = Owner::Guest(guest.as_str().to_owned());
    let history = crate::history::all(store, &owner).await?;
    let events = person::events(store, &Person::Guest(guest.as_str().to_owned())).await?;
    Ok(GuestData {
        guest_session_id: guest.as_str().to_owned(),
        search_history: history.into_iter().map(|r| r.data).collect(),
        analytics_events: events.into_iter().map(|r| r.data).collect(),
    })
}

/// What a guest erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct GuestErasure {
    pub history_items_deleted: usize,
    pub analytics_events_deleted: usize,
}

/// Deletes a guest session's history and analytics events and takes it out of the daily
/// distinct sets. A search still in the queue is recorded after it; erasing again removes it.
pub async fn erase_guest(store: &Store, guest: &GuestSessionId) -> Result<GuestErasure, StoreError> {
    let history_items_deleted = crate::history::delete_all(store, &Owner::Guest(guest.as_str().to_owned())).await?;
    let erased = person::erase(store, &Person::Guest(guest.as_str().to_owned())).await?;
    Ok(GuestErasure { history_items_deleted, analytics_events_deleted: erased.events })
}
