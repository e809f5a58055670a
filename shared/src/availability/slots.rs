//! Bookable lesson starts over a date range, and the next available one.
//!
//! A start is offered when all of these hold (the same rules, in the same terms, as
//! [`check_lesson`](super::rules::check_lesson); a property test holds the two together):
//! * its wall-clock time is a 15-minute step inside one of the date's windows and exists
//!   (not in a spring-forward gap; a fall-back time means its first occurrence);
//! * the lesson, in real elapsed time, ends at or before that window's end instant;
//! * start >= now + minimum notice (so never in the past);
//! * the start's date is at most today + horizon days (today = New York date of `now`);
//! * the date is not blacked out;
//! * the lesson does not overlap any busy interval widened by the buffer on both sides
//!   (half-open: back-to-back with the buffer exactly respected is fine).

use std::ops::ControlFlow;

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::duration::LessonDuration;
use super::range::{DateRange, add_days, dates_through};
use super::schedule::Schedule;
use super::settings::BookingSettings;
use super::window::{Window, time_of_minute};
use super::zone::{WallInstant, local_date, resolve, resolve_minute};
use super::{
    Interval,
    blocked::{BlockedCursor, BlockedTimes},
};

/// One bookable start. JSON: `{"time":"09:00","start":"…Z","end":"…Z"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slot {
    /// The New York wall-clock label of the start (what the client shows and sends back).
    #[serde(with = "hhmm_time")]
    pub time: Time,
    /// The lesson's real start and end.
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The bookable starts of one date (possibly none).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DaySlots {
    pub date: Date,
    pub slots: Vec<Slot>,
}

/// The first bookable start from now on. JSON: `{"date":"…","time":"…","start":…,"end":…}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NextSlot {
    pub date: Date,
    #[serde(flatten)]
    pub slot: Slot,
}

/// Bookable starts for every date of `range` (one entry per date, in order, empty where
/// nothing is bookable) for a lesson of `duration`.
pub fn bookable_starts(
    schedule: &Schedule,
    settings: &BookingSettings,
    busy: &[Interval],
    range: DateRange,
    duration: LessonDuration,
    now: Timestamp,
) -> Vec<DaySlots> {
    let search = SlotSearch::new(schedule, settings, busy, duration, now);
    let mut cursor = search.blocked.cursor();
    range
        .dates()
        .map(|date| {
            let mut slots = Vec::new();
            let _: ControlFlow<()> = search.visit_day(date, &mut cursor, |slot| {
                slots.push(slot);
                ControlFlow::Continue(())
            });
            DaySlots { date, slots }
        })
        .collect()
}

/// The earliest bookable start on one of `dates` (ascending) whose wall-clock start passes
/// `keep`, stopping at the first: search filters thousands of offerings this way, so it
/// never materialises a day's slots.
pub fn first_start(
    schedule: &Schedule,
    settings: &BookingSettings,
    busy: &[Interval],
    dates: &[Date],
    duration: LessonDuration,
    now: Timestamp,
    keep: impl Fn(&Slot) -> bool,
) -> Option<NextSlot> {
    let search = SlotSearch::new(schedule, settings, busy, duration, now);
    let mut cursor = search.blocked.cursor();
    for &date in dates {
        let found = search.visit_day(date, &mut cursor, |slot| {
            if keep(&slot) { ControlFlow::Break(slot) } else { ControlFlow::Continue(()) }
        });
        if let ControlFlow::Break(slot) = found {
            return Some(NextSlot { date, slot });
        }
    }
    None
}

/// The earliest bookable start between now and the horizon, if any.
pub fn next_available(
    schedule: &Schedule,
    settings: &BookingSettings,
    busy: &[Interval],
    duration: LessonDuration,
    now: Timestamp,
) -> Option<NextSlot> {
    let search = SlotSearch::new(schedule, settings, busy, duration, now);
    let mut cursor = search.blocked.cursor();
    for date in dates_through(search.today, search.last_date) {
        let found = search.visit_day(date, &mut cursor, ControlFlow::Break);
        if let ControlFlow::Break(slot) = found {
            return Some(NextSlot { date, slot });
        }
    }
    None
}

/// The real-time end of `window` on `date`: a boundary in a gap is the jump itself, a
/// boundary in a fold its first occurrence, 24:00 the next midnight.
pub(crate) fn window_end(date: Date, window: Window) -> Option<Timestamp> {
    resolve_minute(date, window.end_minute()).map(WallInstant::boundary)
}

/// Everything about a query that does not depend on the date, computed once.
struct SlotSearch<'a> {
    schedule: &'a Schedule,
    blocked: BlockedTimes,
    duration: SignedDuration,
    /// now + minimum notice: the earliest allowed start (never before now).
    earliest: Timestamp,
    today: Date,
    /// today + horizon days: the last date a lesson may start on.
    last_date: Date,
}

impl<'a> SlotSearch<'a> {
    fn new(
        schedule: &'a Schedule,
        settings: &BookingSettings,
        busy: &[Interval],
        duration: LessonDuration,
        now: Timestamp,
    ) -> SlotSearch<'a> {
        let today = local_date(now);
        SlotSearch {
            schedule,
            blocked: BlockedTimes::new(busy, settings.buffer()),
            duration: duration.as_signed_duration(),
            // Past jiff's range nothing can be booked, which MAX expresses.
            earliest: now.checked_add(settings.min_notice()).unwrap_or(Timestamp::MAX),
            today,
            last_date: add_days(today, i64::from(settings.horizon_days())).unwrap_or(Date::MAX),
        }
    }

    /// Calls `visit` with each bookable slot of `date` in time order until it breaks.
    /// Successive calls must be for increasing dates (the cursor only moves forward).
    fn visit_day<B>(
        &self,
        date: Date,
        cursor: &mut BlockedCursor<'_>,
        mut visit: impl FnMut(Slot) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        // Whole-day shortcuts; the per-slot checks below would reach the same answer.
        if date < self.today || date > self.last_date {
            return ControlFlow::Continue(());
        }
        for &window in self.schedule.windows_on(date) {
            let Some(window_end) = window_end(date, window) else {
                continue;
            };
            for minute in window.step_starts() {
                let Some(time) = time_of_minute(minute) else {
                    continue;
                };
                // A time in a spring-forward gap has no instant: no slot there.
                let Some(WallInstant::Exists(start)) = resolve(date.to_datetime(time)) else {
                    continue;
                };
                let Ok(end) = start.checked_add(self.duration) else {
                    break;
                };
                // Starts only grow within a window (folds resolve to the first occurrence),
                // so once a lesson overruns the window every later one does too.
                if end > window_end {
                    break;
                }
                if start < self.earliest {
                    continue;
                }
                if cursor.is_free(start, end) {
                    visit(Slot { time, start, end })?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// `civil::Time` as `"HH:MM"` (slots are on whole minutes, so nothing is lost).
pub(crate) mod hhmm_time {
    use jiff::civil::Time;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    use super::super::window::{format_hhmm, minute_of_time, parse_hhmm, time_of_minute};

    pub fn serialize<S: Serializer>(time: &Time, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_hhmm(minute_of_time(*time)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let text = String::deserialize(deserializer)?;
        let minutes = parse_hhmm(&text, false).map_err(D::Error::custom)?;
        time_of_minute(minutes).ok_or_else(|| D::Error::custom("time out of range"))
    }
}
