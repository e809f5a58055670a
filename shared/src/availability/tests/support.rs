//! Small constructors that keep the tests readable.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use crate::availability::{
    BookingSettings, DateRange, DayWindows, Interval, LessonDuration, Schedule, Slot, WeeklyTemplate, Window,
    bookable_starts,
};

pub fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap()
}

pub fn at(date: Date, hhmm: &str) -> DateTime {
    date.to_datetime(hhmm.parse::<Time>().unwrap())
}

pub fn ts(rfc3339: &str) -> Timestamp {
    rfc3339.parse().unwrap()
}

pub fn window(start: &str, end: &str) -> Window {
    Window::parse(start, end).unwrap()
}

pub fn day(windows: &[(&str, &str)]) -> DayWindows {
    DayWindows::new(windows.iter().map(|(s, e)| window(s, e)).collect()).unwrap()
}

pub fn minutes(m: u16) -> LessonDuration {
    LessonDuration::from_minutes(m).unwrap()
}

pub fn settings(notice_hours: u16, buffer_minutes: u16, horizon_days: u16) -> BookingSettings {
    BookingSettings::new(notice_hours, buffer_minutes, horizon_days).unwrap()
}

/// The same windows every day of the week.
pub fn every_day(windows: &[(&str, &str)]) -> Schedule {
    Schedule::from_template(WeeklyTemplate::every_day(day(windows)))
}

pub fn busy(start: &str, end: &str) -> Interval {
    Interval::new(ts(start), ts(end)).unwrap()
}

/// The slots offered on one date.
pub fn slots_on(
    schedule: &Schedule,
    settings: &BookingSettings,
    busy: &[Interval],
    on: Date,
    duration: u16,
    now: Timestamp,
) -> Vec<Slot> {
    let range = DateRange::new(on, on).unwrap();
    let mut days = bookable_starts(schedule, settings, busy, range, minutes(duration), now);
    assert_eq!(days.len(), 1);
    days.pop().unwrap().slots
}

/// The "HH:MM" labels of slots.
pub fn labels(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.time.strftime("%H:%M").to_string()).collect()
}

/// The UTC starts of slots as RFC 3339 strings.
pub fn starts(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.start.to_string()).collect()
}
