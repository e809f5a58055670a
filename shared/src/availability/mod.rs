//! The availability and slot engine: pure functions from an instructor's schedule, booking
//! settings, confirmed bookings and the current instant to bookable lesson starts.
//!
//! * Wall-clock rules are New York time ([`zone`]); instants are UTC [`jiff::Timestamp`]s.
//! * A [`Schedule`] is a [`WeeklyTemplate`] + per-date overrides + blackout dates; each
//!   day's windows are a normalised [`DayWindows`] (sorted, touching windows merged,
//!   overlaps rejected).
//! * [`bookable_starts`] lists starts over a [`DateRange`]; [`next_available`] finds the first;
//!   [`check_lesson`] validates one requested start and returns the first broken
//!   [`SlotRule`]. Both use the same definitions, so a start is offered iff it is accepted.
//! * [`lock_cells`] gives the deterministic 15-minute cells a booking claims atomically.
//! * [`weeks`] holds copy-week / apply-pattern / materialise conveniences; [`edits`] the
//!   instructor's changes to a schedule as pure functions.
//!
//! No I/O here except [`stored`] (the schedule's item, versioned): storage, HTTP and the clock are the callers' business (`now` is passed in).
//!
//! Decisions on the ambiguous points (each is pinned by a test in `tests/`):
//! * Windows are `[start, end)` on 15-minute steps; `"24:00"` is allowed only as an end.
//!   Touching windows of one day merge (a lesson may cross the seam); overlapping ones are
//!   rejected. A lesson must lie inside one window of its start date: windows never chain
//!   across midnight.
//! * Precedence for a date: blackout > override (empty = cleared) > template weekday.
//! * DST (see [`zone`]): a lesson cannot start in a spring-forward gap; every fall-back
//!   wall time means its first (EDT) occurrence, for lesson starts and window ends alike, so
//!   the repeated hour is offered once; a window boundary inside a gap is the jump instant.
//!   Durations are real elapsed minutes.
//! * Minimum notice: `start >= now + notice` (exactly the notice passes). Horizon: the
//!   start's New York date `<= today + horizon_days`. Past: `start < now`.
//! * Buffer: required real gap between lessons, any whole minute 0..=60, applied exactly by
//!   widening each busy interval on both sides (so "back-to-back plus buffer" is fine).
//! * Lock cells carry the buffer *after* the lesson only, which makes two claims collide
//!   exactly when the buffer rule is broken (see [`lock_cells`]).

mod blocked;
mod cells;
mod duration;
pub mod edits;
mod range;
mod rules;
mod schedule;
mod settings;
mod slots;
pub mod stored;
mod template;
pub mod weeks;
mod window;
pub mod zone;

#[cfg(test)]
mod tests;

pub use crate::interval::{EmptyInterval, Held, Interval};
pub use cells::{CELL_MINUTES, CellChanges, cell_changes, lock_cells};
pub use duration::{DurationError, LessonDuration};
pub use range::{DateRange, RangeError};
pub use rules::{SlotRule, check_lesson};
pub use schedule::{DaySource, Schedule};
pub use settings::{BookingSettings, SettingsError, SettingsField};
pub use slots::{DaySlots, NextSlot, Slot, bookable_starts, first_start, next_available};
pub use template::{TemplateError, WEEKDAYS, WeeklyTemplate, parse_weekday, weekday_json, weekday_name};
pub use weeks::{EffectiveDay, WeekError, apply_week_to_range, copy_week, effective_week, materialize_template};
pub use window::{
    DayWindows, MINUTES_PER_DAY, OverlapError, STEP_MINUTES, TimeOfDayError, Window, WindowError, WindowField,
    format_hhmm, parse_hhmm,
};
pub use zone::{LESSON_TIME_ZONE, local_date, new_york};
