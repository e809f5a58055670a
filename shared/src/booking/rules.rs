//! Every rule of PRODUCT.md §5, checked on the server, in this order (the first broken
//! rule answers, with its own code):
//!
//! | # | rule | code | kind |
//! |---|---|---|---|
//! | 1 | the caller is a student | `student_required` | 403 |
//! | 2 | the student's account is active | `student_account_inactive` | 403 |
//! | 3 | the instructor exists | `instructor_not_found` | 404 |
//! | 4 | the offering is the instructor's | `offering_not_found` | 404 |
//! | 5 | the offering is active | `offering_inactive` | 422 |
//! | 6 | the instructor's account is active | `instructor_not_active` | 422 |
//! | 7 | the offering allows the duration | `duration_not_offered` | 422 |
//! | 8 | the time rules, in `availability::SlotRule` order: 15-minute step, the time exists (DST), not past, minimum notice, horizon, blackout, inside a window | `not_on_15_minute_step` … `outside_availability` | 422 |
//! | 9 | the offering supports the location type | `location_type_not_offered` | 422 |
//! | 10 | no overlap with the instructor's confirmed bookings | `overlaps_booking` | 409 |
//! | 11 | the instructor's buffer is respected (the current buffer around the new lesson; an existing booking keeps the buffer it was made with) | `buffer_conflict` | 409 |
//! | 12 | no overlap with the student's confirmed bookings | `student_overlaps_booking` | 409 |
//!
//! Rules 1–11 are checked here on what was read; 10–12 are then enforced atomically by
//! the lock cells of the claim (a race lost at the claim answers 10, 11 or 12 as well).
//! Rule 1 comes from the token, before anything is read; an idempotent replay is
//! answered after it and before the others (the first result stands).

use jiff::{
    Timestamp,
    civil::{Date, Time},
};

use super::{error::Refusal, model::Booking, queries::blocking};
use crate::{
    accounts::AccountStatus,
    auth::Caller,
    availability::{Interval, LessonDuration, Schedule, SlotRule, check_lesson, new_york},
    ids::{BookingId, OfferingId},
    instructors::{InstructorProfile, LocationType, Offering},
    rbac::Role,
};

pub fn student_caller(caller: &Caller) -> Result<(), Refusal> {
    if caller.is(Role::Student) {
        Ok(())
    } else {
        Err(Refusal::forbidden("student_required", "only students book lessons"))
    }
}

/// What a lesson request asks for.
#[derive(Debug, Clone, Copy)]
pub struct LessonRequest<'a> {
    pub offering_id: &'a OfferingId,
    pub date: Date,
    pub start_time: Time,
    pub duration: u16,
    pub location_type: LocationType,
}

/// What the reads found.
pub struct Facts<'a> {
    pub student_status: Option<AccountStatus>,
    pub profile: Option<&'a InstructorProfile>,
    pub schedule: &'a Schedule,
    /// The instructor's confirmed bookings around the requested date.
    pub busy: &'a [Booking],
    /// A booking being rescheduled does not conflict with itself.
    pub moving: Option<&'a BookingId>,
}

/// The lesson the rules accept: its real interval and the offering it is of.
#[derive(Debug, Clone)]
pub struct Accepted<'a> {
    pub lesson: Interval,
    pub profile: &'a InstructorProfile,
    pub offering: &'a Offering,
}

fn slot_field(rule: SlotRule) -> &'static str {
    match rule {
        SlotRule::BeyondHorizon | SlotRule::BlackoutDate => "date",
        _ => "start_time",
    }
}

fn slot_refusal(rule: SlotRule) -> Refusal {
    let refusal = if rule.is_conflict() {
        Refusal::conflict(rule.code(), rule.to_string()).extra("conflict_with", "instructor")
    } else {
        Refusal::unprocessable(rule.code(), rule.to_string())
    };
    refusal.field(slot_field(rule))
}

/// Rules 2–11, in order.
pub fn check<'a>(facts: &Facts<'a>, request: LessonRequest<'_>, now: Timestamp) -> Result<Accepted<'a>, Refusal> {
    if facts.student_status != Some(AccountStatus::Active) {
        return Err(Refusal::forbidden("student_account_inactive", "your account cannot book lessons"));
    }
    let profile = facts.profile.ok_or_else(|| Refusal::instructor_not_found().field("instructor_id"))?;
    let offering = profile.offering(request.offering_id).ok_or_else(|| {
        Refusal::not_found("offering_not_found", "the instructor has no such offering").field("offering_id")
    })?;
    if !offering.active {
        return Err(
            Refusal::unprocessable("offering_inactive", "the instructor no longer offers this").field("offering_id")
        );
    }
    if profile.status != AccountStatus::Active {
        return Err(instructor_not_active());
    }
    if !offering.durations.contains(&request.duration) {
        return Err(Refusal::unprocessable(
            "duration_not_offered",
            format!("this offering's lessons last {:?} minutes", offering.durations),
        )
        .field("duration_minutes"));
    }
    let duration = LessonDuration::from_minutes(request.duration)
        .map_err(|e| Refusal::invalid(e.code(), "duration_minutes", e.to_string()))?;
    let start = request.date.to_datetime(request.start_time);
    let lesson = check_lesson(facts.schedule, &profile.settings, &[], start, duration, now).map_err(slot_refusal)?;
    if !offering.offers(request.location_type) {
        return Err(Refusal::unprocessable(
            "location_type_not_offered",
            "the offering is not given at that kind of place",
        )
        .field("location_type"));
    }
    let others: Vec<&Booking> = facts.busy.iter().filter(|b| Some(&b.id) != facts.moving).collect();
    if others.iter().filter_map(|b| b.interval()).any(|b| b.overlaps(lesson)) {
        return Err(slot_refusal(SlotRule::OverlapsBooking));
    }
    // The current buffer around the new lesson, and each booking's own (longer) buffer
    // after it: exactly what the lock cells enforce, and what the slots offer.
    let buffer = profile.settings.buffer();
    if blocking(others, profile.settings.buffer_minutes()).iter().any(|b| b.widened(buffer).overlaps(lesson)) {
        return Err(slot_refusal(SlotRule::BufferConflict));
    }
    Ok(Accepted { lesson, profile, offering })
}

/// The real time around a New York date that any lesson on it (plus buffers) can touch:
/// what the busy read for a request covers.
pub fn around(date: Date) -> Option<Interval> {
    let midnight = |d: Date| new_york().to_ambiguous_timestamp(d.to_datetime(Time::midnight())).compatible().ok();
    let (start, next) = (midnight(date)?, midnight(date.tomorrow().ok()?)?);
    let margin = jiff::SignedDuration::from_hours(6);
    Interval::new(start.checked_sub(margin).ok()?, next.checked_add(margin).ok()?).ok()
}

/// Refusals for a lost race at the claim.
pub fn instructor_taken(buffer_only: bool) -> Refusal {
    slot_refusal(if buffer_only { SlotRule::BufferConflict } else { SlotRule::OverlapsBooking })
}

pub fn student_taken(own_booking: Option<BookingId>) -> Refusal {
    let refusal = Refusal::conflict("student_overlaps_booking", "you already have a lesson at this time")
        .field("start_time")
        .extra("conflict_with", "you");
    match own_booking {
        Some(id) => refusal.extra("booking_id", String::from(id)),
        None => refusal,
    }
}

/// Rule 6's refusal; also what a claim answers when the instructor's account changed
/// between the check and the write (the claim re-checks it in its transaction).
pub fn instructor_not_active() -> Refusal {
    Refusal::unprocessable("instructor_not_active", "the instructor is not taking bookings").field("instructor_id")
}
