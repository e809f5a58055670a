//! Creating a booking: the rules (see `rules.rs`), then the claim — one
//! `TransactWriteItems` that writes the booking, the idempotency record, the outbox event
//! and every lock cell of the instructor (lesson + trailing buffer) and of the student,
//! each conditional on absence. Of any number of overlapping requests exactly one
//! commits; the others learn which party was in the way.

use super::Env;
use super::{
    BookingStatus,
    context::{self, Context},
    error::{BookingError, BookingResult, Refusal},
    events::{self, EventKind},
    idempotency::{self, IdempotencyItem, IdempotencyKey, Prior},
    locks::{self, Cell, CellKind, LockItem, Party},
    model::Booking,
    outbox, queries,
    request::{NewBooking, hhmm},
    rules::{self, Facts, LessonRequest},
    view::BookingView,
};
use crate::{
    auth::Caller,
    catalog::Catalog,
    ids::BookingId,
    store::{Record, Store, TransactError, TxAction, transact::Condition},
};

/// A successful create (or the replay of one).
#[derive(Debug, Clone)]
pub struct Created {
    pub booking_id: BookingId,
    /// The response body: the booking as it was created.
    pub body: String,
    /// True when this is a retry answered from the idempotency record.
    pub replayed: bool,
}

fn replay(first: idempotency::FirstResult) -> Created {
    Created { booking_id: first.booking_id, body: first.response, replayed: true }
}

/// Creates a booking for `caller`. `catalog` names the service (the warm Lambda's
/// in-memory copy: no read).
pub async fn create(
    env: &Env<'_>,
    catalog: &Catalog,
    caller: &Caller,
    request: NewBooking,
    key: Option<IdempotencyKey>,
) -> BookingResult<Created> {
    let (store, now) = (env.store, env.now);
    rules::student_caller(caller)?;
    let request_hash =
        idempotency::request_hash(&serde_json::to_vec(&request).map_err(|e| BookingError::Store(corrupt(e)))?);
    let idempotency_key = key.as_ref().map(|k| k.key(&caller.user_id));
    let around = rules::around(request.date)
        .ok_or_else(|| Refusal::unprocessable("beyond_horizon", "this date is out of range").field("date"))?;
    let (context, busy) = tokio::try_join!(
        context::load(store, &request.instructor_id, &caller.user_id, idempotency_key.as_ref()),
        queries::confirmed_for_instructor(store, &request.instructor_id, around),
    )?;
    let Context { profile, schedule, student, prior } = context;
    if let Prior::Replay(first) = idempotency::prior(prior, &request_hash, now)? {
        return Ok(replay(first));
    }
    let facts = Facts {
        student_status: student.as_ref().map(|s| s.status),
        profile: profile.as_ref(),
        schedule: &schedule,
        busy: &busy,
        moving: None,
    };
    let lesson_request = LessonRequest {
        offering_id: &request.offering_id,
        date: request.date,
        start_time: request.start_time,
        duration: request.duration,
        location_type: request.location_type,
    };
    let accepted = rules::check(&facts, lesson_request, now)?;
    let (profile, offering) = (accepted.profile, accepted.offering);

    let service_name =
        catalog.service(&offering.service).map(|s| s.name.clone()).unwrap_or_else(|| offering.service.clone());
    let booking = Booking {
        id: BookingId::generate(),
        instructor_id: profile.id.clone(),
        student_id: caller.user_id.clone(),
        offering_id: offering.id.clone(),
        service: offering.service.clone(),
        service_name,
        instructor_name: profile.full_name.clone(),
        student_name: student.map(|s| s.full_name).unwrap_or_default(),
        date: request.date,
        start_time: hhmm(request.start_time),
        start: accepted.lesson.start(),
        end: accepted.lesson.end(),
        duration_minutes: request.duration,
        rate_cents: offering.rate_cents,
        price_cents: offering.price_for(request.duration),
        location_type: request.location_type,
        meeting_location: request.meeting_location.clone(),
        student_note: request.note.clone(),
        instructor_note: None,
        status: BookingStatus::Confirmed,
        buffer_minutes: profile.settings.buffer_minutes(),
        created_at: now,
        updated_at: now,
        cancellation: None,
        completed_at: None,
        no_show_at: None,
        reschedules: Vec::new(),
    };
    let cells = locks::cells_of(&booking, accepted.lesson);
    let body = serde_json::to_string(&BookingView::new(&booking)).map_err(|e| BookingError::Store(corrupt(e)))?;

    // The idempotency record goes first: when a concurrent retry with the same key wins,
    // its failure is the one reported.
    let mut actions = Vec::with_capacity(cells.len() + 5);
    if let Some(key) = &idempotency_key {
        let item = IdempotencyItem {
            request_hash: request_hash.clone(),
            booking_id: booking.id.clone(),
            response: body.clone(),
            created_at: now,
        };
        actions.push(idempotency::record_action(key.clone(), item, now)?);
    }
    actions.push(TxAction::put("booking", &booking.record(1), Condition::absent())?);
    let (stage, staged) = outbox::stage(events::envelope(EventKind::Created, &booking, now, None), now)?;
    actions.push(stage);
    actions.push(booking.directory_change()?);
    actions.push(booking.instructor_still_active()?);
    actions.extend(locks::claim(&booking, &cells)?);

    match store.transact(&actions).await {
        Ok(()) => {
            outbox::deliver(store, env.events, vec![staged]).await;
            Ok(Created { booking_id: booking.id, body, replayed: false })
        }
        Err(err) => {
            if let (Some(key), TransactError::ConditionFailed { .. }) = (&idempotency_key, &err)
                && let Prior::Replay(first) = idempotency::load(store, key, &request_hash, now).await?
            {
                return Ok(replay(first));
            }
            Err(explain_lost_claim(store, err, &booking, &cells).await)
        }
    }
}

fn corrupt(err: serde_json::Error) -> crate::store::StoreError {
    crate::store::StoreError::Corrupt(err.to_string())
}

/// Turns a claim that lost to another booking into the refusal that says who was in the
/// way: the failed action's label names the cell; the cell's item names its booking and
/// whether it is lesson or buffer time. Another student's booking is never named.
pub(super) async fn explain_lost_claim(
    store: &Store,
    err: TransactError,
    booking: &Booking,
    cells: &[Cell],
) -> BookingError {
    if matches!(&err, TransactError::ConditionFailed { label, .. } if label == super::model::INSTRUCTOR_ACTIVE) {
        return rules::instructor_not_active().into();
    }
    let Some((party, start)) = locks::failed_claim(&err) else {
        return err.into();
    };
    let owner = match party {
        Party::Instructor => booking.instructor_id.as_str(),
        Party::Student => booking.student_id.as_str(),
    };
    let holder: Option<Record<LockItem>> = match store.get(&locks::key(party, owner, start)).await {
        Ok(holder) => holder,
        Err(err) => return err.into(),
    };
    match party {
        Party::Instructor => {
            let ours = cells.iter().find(|c| c.party == party && c.start == start).map(|c| c.kind);
            let theirs = holder.map(|h| h.data.kind);
            let buffer_only = ours == Some(CellKind::Buffer) || theirs == Some(CellKind::Buffer);
            rules::instructor_taken(buffer_only).into()
        }
        Party::Student => rules::student_taken(holder.map(|h| h.data.booking_id)).into(),
    }
}
