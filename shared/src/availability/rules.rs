//! Checking one requested lesson time against the availability rules.
//!
//! What belongs here: every rule that is a pure function of the instructor's schedule,
//! settings, busy intervals and the clock (the time rules of PRODUCT.md §5).
//! What belongs to the booking layer: the caller's role, the offering (active, owned by the
//! instructor, duration allowed, location type), the instructor account being active, the
//! student's own overlaps (use [`Interval::overlaps`] against the student's bookings), removing
//! the booking being rescheduled from `busy`, and the atomic claim of the lock cells
//! ([`lock_cells`](super::cells::lock_cells)) that makes the overlap rules race-free.

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::Interval;
use super::duration::LessonDuration;
use super::range::add_days;
use super::schedule::Schedule;
use super::settings::BookingSettings;
use super::slots::window_end;
use super::window::{STEP_MINUTES, minute_of_time};
use super::zone::{WallInstant, local_date, resolve};

/// The first rule a requested lesson breaks. Variants are listed, and checked, in this
/// fixed order: input shape, existence of the time, time-relative rules (past before notice
/// so a past time says so), calendar rules, then conflicts (a real overlap before a
/// buffer-only one). JSON and [`SlotRule::code`] give the stable snake_case code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
pub enum SlotRule {
    /// The start is not on :00, :15, :30 or :45 (or has seconds).
    #[serde(rename = "not_on_15_minute_step")]
    #[error("lessons start on a 15-minute step (:00, :15, :30 or :45)")]
    NotOn15MinuteStep,
    /// The wall-clock time is skipped by the spring-forward DST change.
    #[serde(rename = "time_does_not_exist")]
    #[error("this time does not exist in New York on that date (daylight saving time starts)")]
    TimeDoesNotExist,
    /// The start is before now.
    #[serde(rename = "in_the_past")]
    #[error("this time is in the past")]
    InThePast,
    /// The start is before now + the instructor's minimum notice.
    #[serde(rename = "within_minimum_notice")]
    #[error("the instructor needs more advance notice for this time")]
    WithinMinimumNotice,
    /// The start's date is after today + the instructor's horizon.
    #[serde(rename = "beyond_horizon")]
    #[error("the instructor does not take bookings that far ahead")]
    BeyondHorizon,
    /// The date is one of the instructor's blackout dates.
    #[serde(rename = "blackout_date")]
    #[error("the instructor is not available on this date")]
    BlackoutDate,
    /// The whole lesson does not lie within one of the date's windows.
    #[serde(rename = "outside_availability")]
    #[error("the lesson is outside the instructor's availability")]
    OutsideAvailability,
    /// The lesson overlaps one of the instructor's confirmed bookings.
    #[serde(rename = "overlaps_booking")]
    #[error("the instructor already has a lesson at this time")]
    OverlapsBooking,
    /// The lesson only overlaps a booking once the instructor's buffer is added around it.
    #[serde(rename = "buffer_conflict")]
    #[error("the instructor needs a break between lessons at this time")]
    BufferConflict,
}

impl SlotRule {
    /// Every rule, in checking order.
    pub const ALL: [SlotRule; 9] = [
        SlotRule::NotOn15MinuteStep,
        SlotRule::TimeDoesNotExist,
        SlotRule::InThePast,
        SlotRule::WithinMinimumNotice,
        SlotRule::BeyondHorizon,
        SlotRule::BlackoutDate,
        SlotRule::OutsideAvailability,
        SlotRule::OverlapsBooking,
        SlotRule::BufferConflict,
    ];

    /// Stable machine code for problem+json.
    pub fn code(self) -> &'static str {
        match self {
            SlotRule::NotOn15MinuteStep => "not_on_15_minute_step",
            SlotRule::TimeDoesNotExist => "time_does_not_exist",
            SlotRule::InThePast => "in_the_past",
            SlotRule::WithinMinimumNotice => "within_minimum_notice",
            SlotRule::BeyondHorizon => "beyond_horizon",
            SlotRule::BlackoutDate => "blackout_date",
            SlotRule::OutsideAvailability => "outside_availability",
            SlotRule::OverlapsBooking => "overlaps_booking",
            SlotRule::BufferConflict => "buffer_conflict",
        }
    }

    /// Whether the rule is a conflict with other bookings (HTTP 409) rather than a request
    /// the caller could never have made valid (HTTP 422).
    pub fn is_conflict(self) -> bool {
        matches!(self, SlotRule::OverlapsBooking | SlotRule::BufferConflict)
    }
}

/// Checks a lesson requested at New York wall-clock `start` lasting `duration` (real
/// minutes) and returns its real interval, or the first rule it breaks (order: see
/// [`SlotRule`]).
///
/// A wall-clock time repeated by the fall-back change means its first occurrence (EDT),
/// exactly as [`bookable_starts`](super::slots::bookable_starts) labels it, so a start is
/// offered there if and only if this accepts it.
pub fn check_lesson(
    schedule: &Schedule,
    settings: &BookingSettings,
    busy: &[Interval],
    start: DateTime,
    duration: LessonDuration,
    now: Timestamp,
) -> Result<Interval, SlotRule> {
    let (date, time) = (start.date(), start.time());
    let minute_of_day = minute_of_time(time);
    if !minute_of_day.is_multiple_of(STEP_MINUTES) || time.second() != 0 || time.subsec_nanosecond() != 0 {
        return Err(SlotRule::NotOn15MinuteStep);
    }
    let today = local_date(now);
    // Only times near jiff's year ±9999 limits fail to resolve; they are past or too far.
    let unrepresentable = if date < today { SlotRule::InThePast } else { SlotRule::BeyondHorizon };
    let start_at = match resolve(start) {
        Some(WallInstant::Exists(at)) => at,
        Some(WallInstant::Skipped { .. }) => return Err(SlotRule::TimeDoesNotExist),
        None => return Err(unrepresentable),
    };
    let end_at = start_at.checked_add(duration.as_signed_duration()).map_err(|_| unrepresentable)?;

    if start_at < now {
        return Err(SlotRule::InThePast);
    }
    // Overflow of now + notice means no start can be early enough.
    let earliest = now.checked_add(settings.min_notice()).map_err(|_| SlotRule::WithinMinimumNotice)?;
    if start_at < earliest {
        return Err(SlotRule::WithinMinimumNotice);
    }
    let last_date = add_days(today, i64::from(settings.horizon_days()));
    if last_date.is_some_and(|last| date > last) {
        return Err(SlotRule::BeyondHorizon);
    }

    if schedule.is_blackout(date) {
        return Err(SlotRule::BlackoutDate);
    }
    let fits = schedule
        .day_windows(date)
        .window_containing(minute_of_day)
        .and_then(|window| window_end(date, window))
        .is_some_and(|window_end| end_at <= window_end);
    if !fits {
        return Err(SlotRule::OutsideAvailability);
    }

    // A lesson lasts at least 15 minutes, so the interval is never empty.
    let lesson = Interval::new(start_at, end_at).map_err(|_| SlotRule::OutsideAvailability)?;
    if busy.iter().any(|b| b.overlaps(lesson)) {
        return Err(SlotRule::OverlapsBooking);
    }
    let buffer = settings.buffer();
    if busy.iter().any(|b| b.widened(buffer).overlaps(lesson)) {
        return Err(SlotRule::BufferConflict);
    }
    Ok(lesson)
}
