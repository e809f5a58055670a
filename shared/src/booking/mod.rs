//! Bookings (PRODUCT.md §5).
//!
//! Key layout (see also `store::keys`): a booking is `BOOKING#<id>` / `BOOKING`, indexed
//! for its instructor on GSI1 (`INSTR#<id>#BOOKINGS`, `<start UTC>#<booking id>`) and for its
//! student on GSI2 (`STUDENT#<id>#BOOKINGS`, same sort key), so "an instructor's bookings
//! from now on" is one query.
//!
//! * [`create`]: the rules ([`rules`], in their stated order) and the atomic claim of lock
//!   cells ([`locks`]) with the booking, the idempotency record and the outbox event.
//! * [`lifecycle`]: cancel, complete, no-show, the instructor's edits; [`reschedule`].
//! * [`access`]: who may act on one booking (404 for everyone unrelated).
//! * [`queries`]: reads and lists, and [`busy_intervals`] for search; [`summary`]: stats and
//!   book-again.
//! * [`outbox`]: booking events are never lost; [`events`]: what they carry.
//! * [`policy`]: the numbers (free cancellation, text lengths, retention).
//!
//! Domain code: no HTTP types. Refusals are [`error::Refusal`]s with a stable code and a
//! [`error::Kind`] the function maps to a status.

pub mod access;
mod context;
pub mod create;
pub mod error;
pub mod events;
pub mod idempotency;
pub mod lifecycle;
pub mod locks;
pub mod model;
pub mod outbox;
pub mod policy;
pub mod queries;
pub mod request;
pub mod reschedule;
pub mod rules;
pub mod summary;
pub mod view;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    ids::InstructorId,
    store::{Index, Query, Record, SortCondition, Store, StoreError, keys},
};

pub use error::{BookingError, BookingResult, Kind, Refusal};
pub use model::{Actor, Booking};
pub use queries::{blocked_intervals, busy_intervals};
pub use view::BookingView;

pub use crate::env::Env;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Confirmed,
    Cancelled,
    Completed,
    NoShow,
}

/// The longest lesson; a lesson that started this long ago has surely ended.
pub(crate) const LONGEST_LESSON: SignedDuration = SignedDuration::from_mins(240);

#[derive(Debug, Deserialize)]
struct StatusAndEnd {
    status: BookingStatus,
    /// RFC 3339 UTC.
    end: String,
}

/// Whether the instructor has a confirmed booking that has not ended yet: the guard on
/// suspending or deactivating an instructor account (PRODUCT.md §1). GSIs are eventually
/// consistent, which is acceptable here: the guard protects students from a change of
/// heart, not two concurrent writers.
pub async fn instructor_has_upcoming_confirmed(
    store: &Store,
    instructor_id: &InstructorId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let from = now.checked_sub(LONGEST_LESSON).unwrap_or(now).to_string();
    let mut query = Query::partition(Index::Gsi1, keys::instructor_bookings(instructor_id))
        .sort(SortCondition::GreaterOrEqual(from))
        .limit(100);
    loop {
        let page = store.query::<Record<StatusAndEnd>>(query.clone()).await?;
        let upcoming = page.items.iter().any(|r| {
            r.data.status == BookingStatus::Confirmed && r.data.end.parse::<Timestamp>().is_ok_and(|end| end > now)
        });
        if upcoming {
            return Ok(true);
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => return Ok(false),
        }
    }
}
