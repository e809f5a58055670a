//! What happens to a booking after it is made: cancel, complete, no-show, the
//! instructor's edits. Each reads the booking (strongly consistent), checks who may act
//! and whether the status allows it, and writes the new booking conditional on the
//! version it read, together with its lock-cell changes and its outbox event, in one
//! transaction: a booking is never half-cancelled, and of two concurrent changes one
//! wins and the other is told the booking changed.

use jiff::Timestamp;

use super::{
    BookingStatus, Env,
    access::{self, Action},
    error::{BookingError, BookingResult, Refusal},
    events::{self, EventKind},
    locks,
    model::{Actor, Booking, Cancellation},
    outbox::{self, Staged},
    policy, queries,
    request::BookingEdit,
};
use crate::{
    auth::Caller,
    ids::BookingId,
    store::{Store, TransactError, TxAction, transact::Condition},
};

/// The booking `id` if the caller may do `action` to it, with its version and the
/// caller's relation. (A malformed id never gets here: `BookingId` is parsed at the edge.)
pub async fn load_for(
    store: &Store,
    id: &BookingId,
    caller: &Caller,
    action: Action,
) -> BookingResult<(Booking, u64, Actor)> {
    let (booking, version) = queries::get(store, id).await?.ok_or_else(Refusal::booking_not_found)?;
    let actor = access::authorize(&booking, caller, action)?;
    Ok((booking, version, actor))
}

/// The refusal for acting on a booking that is no longer confirmed.
pub fn not_confirmed(status: BookingStatus) -> Refusal {
    let (code, what) = match status {
        BookingStatus::Cancelled => ("booking_already_cancelled", "cancelled"),
        BookingStatus::Completed => ("booking_already_completed", "completed"),
        BookingStatus::NoShow => ("booking_already_no_show", "marked as a no-show"),
        BookingStatus::Confirmed => ("booking_changed", "changed"),
    };
    Refusal::conflict(code, format!("this booking was already {what}"))
}

pub fn require_confirmed(booking: &Booking) -> Result<(), Refusal> {
    match booking.status {
        BookingStatus::Confirmed => Ok(()),
        other => Err(not_confirmed(other)),
    }
}

pub fn require_not_started(booking: &Booking, now: Timestamp) -> Result<(), Refusal> {
    if now >= booking.start {
        return Err(Refusal::conflict("lesson_already_started", "the lesson has already started"));
    }
    Ok(())
}

/// The write of a changed booking, conditional on the version it was read at.
pub(super) fn put_booking(booking: &Booking, read_version: u64) -> Result<TxAction, crate::store::StoreError> {
    TxAction::put("booking", &booking.record(read_version + 1), Condition::version_is(read_version))
}

/// Why a booking write lost: another change got there first.
pub(super) async fn explain_changed(store: &Store, id: &BookingId) -> BookingError {
    match queries::get(store, id).await {
        Ok(Some((current, _))) if current.status != BookingStatus::Confirmed => not_confirmed(current.status).into(),
        Ok(_) => {
            Refusal::conflict("booking_changed", "the booking changed while this request ran; reload and retry").into()
        }
        Err(err) => err.into(),
    }
}

/// Runs a booking change and delivers its event. A lost race on the booking item is
/// answered here (`booking_changed`, or the status it now has); any other failure
/// (`Some`) is the caller's to explain.
pub(super) async fn commit(
    env: &Env<'_>,
    booking_id: &BookingId,
    actions: &[TxAction],
    staged: Option<Staged>,
) -> BookingResult<Option<TransactError>> {
    match env.store.transact(actions).await {
        Ok(()) => {
            outbox::deliver(env.store, env.events, staged.into_iter().collect()).await;
            Ok(None)
        }
        Err(TransactError::ConditionFailed { label, .. }) if label == "booking" => {
            Err(explain_changed(env.store, booking_id).await)
        }
        Err(other) => Ok(Some(other)),
    }
}

/// Cancels a confirmed lesson that has not started. Free at least 24 hours before the
/// start, late after that; the lesson's cells are released in the same transaction, so
/// the time is bookable again at once.
pub async fn cancel(env: &Env<'_>, caller: &Caller, id: &BookingId, reason: String) -> BookingResult<Booking> {
    let (mut booking, version, actor) = load_for(env.store, id, caller, Action::Cancel).await?;
    require_confirmed(&booking)?;
    require_not_started(&booking, env.now)?;
    let lesson = booking.interval().ok_or_else(|| BookingError::Store(corrupt(&booking.id)))?;
    let cells = locks::cells_of(&booking, lesson);
    booking.status = BookingStatus::Cancelled;
    booking.cancellation = Some(Cancellation {
        at: env.now,
        by: actor,
        reason,
        late: policy::is_late_cancellation(booking.start, env.now),
    });
    booking.updated_at = env.now;
    let mut actions = vec![put_booking(&booking, version)?, booking.directory_change()?];
    actions.extend(locks::release(&booking, &cells)?);
    let (stage, staged) = outbox::stage(events::envelope(EventKind::Cancelled, &booking, env.now, None), env.now)?;
    actions.push(stage);
    match commit(env, &booking.id, &actions, Some(staged)).await? {
        None => Ok(booking),
        Some(err) => Err(err.into()),
    }
}

/// How a lesson ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    NoShow,
}

/// Marks a confirmed lesson completed or a no-show: only its instructor, only once it has
/// started.
pub async fn close(env: &Env<'_>, caller: &Caller, id: &BookingId, outcome: Outcome) -> BookingResult<Booking> {
    let (mut booking, version, _) = load_for(env.store, id, caller, Action::Conduct).await?;
    require_confirmed(&booking)?;
    if env.now < booking.start {
        return Err(Refusal::conflict("lesson_not_started", "a lesson can be closed only once it has started").into());
    }
    let kind = match outcome {
        Outcome::Completed => {
            booking.status = BookingStatus::Completed;
            booking.completed_at = Some(env.now);
            EventKind::Completed
        }
        Outcome::NoShow => {
            booking.status = BookingStatus::NoShow;
            booking.no_show_at = Some(env.now);
            EventKind::NoShow
        }
    };
    booking.updated_at = env.now;
    let (stage, staged) = outbox::stage(events::envelope(kind, &booking, env.now, None), env.now)?;
    let actions = [put_booking(&booking, version)?, stage, booking.directory_change()?];
    match commit(env, &booking.id, &actions, Some(staged)).await? {
        None => Ok(booking),
        Some(err) => Err(err.into()),
    }
}

/// The instructor edits their own note and the meeting location (any status: notes are
/// for the record).
pub async fn edit(env: &Env<'_>, caller: &Caller, id: &BookingId, edit: BookingEdit) -> BookingResult<Booking> {
    let (mut booking, version, _) = load_for(env.store, id, caller, Action::Conduct).await?;
    if let Some(note) = edit.instructor_note {
        booking.instructor_note = note;
    }
    if let Some(location) = edit.meeting_location {
        booking.meeting_location = location;
    }
    booking.updated_at = env.now;
    let actions = [put_booking(&booking, version)?];
    match env.store.transact(&actions).await {
        Ok(()) => Ok(booking),
        Err(TransactError::ConditionFailed { .. }) => {
            Err(Refusal::conflict("booking_changed", "the booking changed while this request ran; reload and retry")
                .into())
        }
        Err(other) => Err(other.into()),
    }
}

pub(super) fn corrupt(id: &BookingId) -> crate::store::StoreError {
    crate::store::StoreError::Corrupt(format!("booking {id} has an empty interval"))
}
