//! Both 2026 DST change days in New York, with a template window 01:00-04:00 on Sundays.

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::Offset;

use super::support::*;
use crate::availability::{Interval, Schedule, SlotRule, WeeklyTemplate, check_lesson, new_york, zone};

const SPRING_FORWARD: (i16, i8, i8) = (2026, 3, 8);
const FALL_BACK: (i16, i8, i8) = (2026, 11, 1);

fn now() -> Timestamp {
    ts("2026-03-01T12:00:00Z")
}

fn sunday(windows: &[(&str, &str)]) -> Schedule {
    let template =
        WeeklyTemplate::from_days([(Weekday::Sunday, windows.iter().map(|(s, e)| window(s, e)).collect())]).unwrap();
    Schedule::from_template(template)
}

fn lesson(start: &str, end: &str) -> Result<Interval, SlotRule> {
    Ok(busy(start, end))
}

#[test]
fn both_change_days_are_sundays_and_the_zone_loads() {
    let (y, m, d) = SPRING_FORWARD;
    assert_eq!(date(y, m, d).weekday(), Weekday::Sunday);
    let (y, m, d) = FALL_BACK;
    assert_eq!(date(y, m, d).weekday(), Weekday::Sunday);
    assert_eq!(new_york().iana_name(), Some("America/New_York"));
}

#[test]
fn spring_forward_has_no_slots_in_the_missing_hour_and_durations_are_real_minutes() {
    let (y, m, d) = SPRING_FORWARD;
    let day = date(y, m, d);
    let schedule = sunday(&[("01:00", "04:00")]);
    let settings = settings(2, 0, 365);

    // The window is 3 wall-clock hours but 2 real hours: 06:00Z (01:00 EST) to 08:00Z
    // (04:00 EDT). A 60-minute lesson at 01:30 EST ends at 03:30 EDT.
    let hour = slots_on(&schedule, &settings, &[], day, 60, now());
    assert_eq!(labels(&hour), ["01:00", "01:15", "01:30", "01:45", "03:00"]);
    assert_eq!(
        starts(&hour),
        [
            "2026-03-08T06:00:00Z",
            "2026-03-08T06:15:00Z",
            "2026-03-08T06:30:00Z",
            "2026-03-08T06:45:00Z",
            "2026-03-08T07:00:00Z",
        ]
    );
    assert_eq!(hour[2].end, ts("2026-03-08T07:30:00Z"));
    assert_eq!(new_york().to_datetime(hour[2].end), at(day, "03:30"));

    let quarter = slots_on(&schedule, &settings, &[], day, 15, now());
    assert_eq!(labels(&quarter), ["01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30", "03:45"]);

    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &[], at(day, time), minutes(length), now());
    assert_eq!(check("01:30", 60), lesson("2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"));
    assert_eq!(check("02:00", 60), Err(SlotRule::TimeDoesNotExist));
    assert_eq!(check("02:30", 15), Err(SlotRule::TimeDoesNotExist));
    assert_eq!(check("02:45", 15), Err(SlotRule::TimeDoesNotExist));
    // Two real hours fit, a quarter more does not.
    assert_eq!(check("01:00", 120), lesson("2026-03-08T06:00:00Z", "2026-03-08T08:00:00Z"));
    assert_eq!(check("01:00", 135), Err(SlotRule::OutsideAvailability));
    assert_eq!(check("03:00", 60), lesson("2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"));
    assert_eq!(check("03:00", 75), Err(SlotRule::OutsideAvailability));
}

#[test]
fn fall_back_offers_the_repeated_hour_once_at_its_first_occurrence() {
    let (y, m, d) = FALL_BACK;
    let day = date(y, m, d);
    let schedule = sunday(&[("01:00", "04:00")]);
    let settings = settings(2, 0, 365);

    // The window runs 4 real hours: 05:00Z (01:00 EDT, first occurrence) to 09:00Z
    // (04:00 EST). 01:xx is offered once, as EDT; 02:00 EST is 07:00Z.
    let hour = slots_on(&schedule, &settings, &[], day, 60, now());
    assert_eq!(labels(&hour), ["01:00", "01:15", "01:30", "01:45", "02:00", "02:15", "02:30", "02:45", "03:00"]);
    assert_eq!(
        starts(&hour),
        [
            "2026-11-01T05:00:00Z",
            "2026-11-01T05:15:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-01T05:45:00Z",
            "2026-11-01T07:00:00Z",
            "2026-11-01T07:15:00Z",
            "2026-11-01T07:30:00Z",
            "2026-11-01T07:45:00Z",
            "2026-11-01T08:00:00Z",
        ]
    );
    let quarter = slots_on(&schedule, &settings, &[], day, 15, now());
    assert_eq!(quarter.len(), 12);
    let mut distinct = labels(&quarter);
    distinct.dedup();
    assert_eq!(distinct.len(), 12, "no wall-clock label is offered twice");

    // 01:30 EDT + 60 real minutes = 06:30Z, which the wall clock shows as 01:30 EST.
    let at_0130 = &hour[2];
    assert_eq!(at_0130.start, ts("2026-11-01T05:30:00Z"));
    assert_eq!(at_0130.end, ts("2026-11-01T06:30:00Z"));
    assert_eq!(new_york().to_datetime(at_0130.end), at(day, "01:30"));
    assert_eq!(new_york().to_offset(at_0130.start), Offset::constant(-4));
    assert_eq!(new_york().to_offset(at_0130.end), Offset::constant(-5));

    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &[], at(day, time), minutes(length), now());
    assert_eq!(check("01:30", 60), lesson("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"));
    // Four real hours fit in the 3 wall-clock hours of the window; a quarter more does not.
    assert_eq!(check("01:00", 240), lesson("2026-11-01T05:00:00Z", "2026-11-01T09:00:00Z"));
    assert_eq!(check("01:15", 240), Err(SlotRule::OutsideAvailability));
    assert_eq!(check("02:00", 60), lesson("2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"));
}

#[test]
fn a_window_ending_inside_the_gap_ends_when_the_clock_jumps() {
    let (y, m, d) = SPRING_FORWARD;
    let day = date(y, m, d);
    let settings = settings(2, 0, 365);
    let schedule = sunday(&[("00:00", "02:30")]);
    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &[], at(day, time), minutes(length), now());
    // 00:00 EST = 05:00Z; the clock jumps at 07:00Z.
    assert_eq!(check("00:00", 120), lesson("2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z"));
    assert_eq!(check("00:15", 120), Err(SlotRule::OutsideAvailability));
    let slots = slots_on(&schedule, &settings, &[], day, 60, now());
    assert_eq!(labels(&slots), ["00:00", "00:15", "00:30", "00:45", "01:00"]);
}

#[test]
fn a_window_starting_inside_the_gap_starts_when_the_clock_jumps() {
    let (y, m, d) = SPRING_FORWARD;
    let day = date(y, m, d);
    let schedule = sunday(&[("02:30", "04:00")]);
    let slots = slots_on(&schedule, &settings(2, 0, 365), &[], day, 60, now());
    assert_eq!(labels(&slots), ["03:00"]);
    assert_eq!(starts(&slots), ["2026-03-08T07:00:00Z"]);
}

#[test]
fn a_window_ending_inside_the_fold_ends_at_the_first_occurrence() {
    let (y, m, d) = FALL_BACK;
    let day = date(y, m, d);
    let settings = settings(2, 0, 365);
    let schedule = sunday(&[("00:00", "01:30")]);
    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &[], at(day, time), minutes(length), now());
    // Ends at 01:30 EDT = 05:30Z, not at the second 01:30 (06:30Z).
    assert_eq!(check("01:00", 30), lesson("2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z"));
    assert_eq!(check("01:00", 45), Err(SlotRule::OutsideAvailability));
    let slots = slots_on(&schedule, &settings, &[], day, 30, now());
    assert_eq!(labels(&slots), ["00:00", "00:15", "00:30", "00:45", "01:00"]);
}

#[test]
fn new_york_offsets_are_whole_hours_so_wall_steps_are_utc_cell_steps() {
    // Every transition from 1900 to 2100: whole-hour offsets keep a 15-minute wall-clock
    // step on a 15-minute UTC step, which the lock cells rely on.
    let zone = new_york();
    let mut at = ts("1900-01-01T00:00:00Z");
    let stop = ts("2100-01-01T00:00:00Z");
    let mut seen = 0;
    while let Some(transition) = zone.following(at).next() {
        if transition.timestamp() > stop {
            break;
        }
        assert_eq!(transition.offset().seconds() % 3600, 0, "at {}", transition.timestamp());
        assert_eq!(transition.timestamp().as_second() % 900, 0);
        at = transition.timestamp();
        seen += 1;
    }
    assert!(seen > 300, "saw {seen} transitions");
    assert_eq!(zone::LESSON_TIME_ZONE, "America/New_York");
}
