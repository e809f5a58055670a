//! Moving a confirmed lesson to a new time, atomically: the same rules as a new booking
//! (the lesson does not conflict with itself), then one transaction that rewrites the
//! booking (conditional on the version read), releases the cells only the old time held,
//! claims the cells only the new time needs, rewrites the cells both share, and stages
//! the event. The booking is never in two places, or in none.

use jiff::civil::{Date, Time};

use super::{
    Env,
    access::Action,
    context,
    create::explain_lost_claim,
    error::{BookingResult, Refusal},
    events::{self, EventKind},
    lifecycle::{self, commit, corrupt, put_booking},
    locks,
    model::{Booking, Reschedule},
    outbox, queries,
    request::hhmm,
    rules::{self, Facts, LessonRequest},
};
use crate::{auth::Caller, ids::BookingId};

pub async fn reschedule(
    env: &Env<'_>,
    caller: &Caller,
    id: &BookingId,
    date: Date,
    start_time: Time,
) -> BookingResult<Booking> {
    rules::student_caller(caller)?;
    let (booking, version, _) = lifecycle::load_for(env.store, id, caller, Action::Reschedule).await?;
    lifecycle::require_confirmed(&booking)?;
    lifecycle::require_not_started(&booking, env.now)?;
    let label = hhmm(start_time);
    if booking.date == date && booking.start_time == label {
        return Err(Refusal::unprocessable("reschedule_same_time", "the lesson is already at that time")
            .field("start_time")
            .into());
    }
    let around = rules::around(date)
        .ok_or_else(|| Refusal::unprocessable("beyond_horizon", "this date is out of range").field("date"))?;
    let (context, busy) = tokio::try_join!(
        context::load(env.store, &booking.instructor_id, &booking.student_id, None),
        queries::confirmed_for_instructor(env.store, &booking.instructor_id, around),
    )?;
    let facts = Facts {
        student_status: context.student.as_ref().map(|s| s.status),
        profile: context.profile.as_ref(),
        schedule: &context.schedule,
        busy: &busy,
        moving: Some(&booking.id),
    };
    let request = LessonRequest {
        offering_id: &booking.offering_id,
        date,
        start_time,
        duration: booking.duration_minutes,
        location_type: booking.location_type,
    };
    let accepted = rules::check(&facts, request, env.now)?;

    let old_lesson = booking.interval().ok_or_else(|| corrupt(&booking.id))?;
    let old_cells = locks::cells_of(&booking, old_lesson);
    let mut moved = booking.clone();
    moved.date = date;
    moved.start_time = label;
    moved.start = accepted.lesson.start();
    moved.end = accepted.lesson.end();
    moved.buffer_minutes = accepted.profile.settings.buffer_minutes();
    moved.updated_at = env.now;
    moved.reschedules.push(Reschedule { at: env.now, from_start: booking.start, from_end: booking.end });
    let new_cells = locks::cells_of(&moved, accepted.lesson);

    let mut actions = vec![put_booking(&moved, version)?, moved.directory_change()?, moved.instructor_still_active()?];
    actions.extend(locks::moves(&moved, &old_cells, &new_cells)?);
    let previous = Some((booking.start, booking.end));
    let (stage, staged) = outbox::stage(events::envelope(EventKind::Rescheduled, &moved, env.now, previous), env.now)?;
    actions.push(stage);
    match commit(env, &moved.id, &actions, Some(staged)).await? {
        None => Ok(moved),
        Some(err) => Err(explain_lost_claim(env.store, err, &moved, &new_cells).await),
    }
}
