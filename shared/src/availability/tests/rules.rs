//! `check_lesson` rule by rule, on ordinary (non-DST) days.
//! Fixed now: Monday 2026-03-02 09:00 EST (14:00Z).

use jiff::Timestamp;

use super::support::*;
use crate::availability::{Interval, SlotRule, check_lesson};

fn now() -> Timestamp {
    ts("2026-03-02T14:00:00Z")
}

fn ok(start: &str, end: &str) -> Result<Interval, SlotRule> {
    Ok(busy(start, end))
}

#[test]
fn exactly_the_minimum_notice_passes_and_one_step_less_fails() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 90);
    let today = date(2026, 3, 2);
    let check = |time: &str| check_lesson(&schedule, &settings, &[], at(today, time), minutes(60), now());
    // now + 2 h = 16:00Z = 11:00 EST.
    assert_eq!(check("11:00"), ok("2026-03-02T16:00:00Z", "2026-03-02T17:00:00Z"));
    assert_eq!(check("10:45"), Err(SlotRule::WithinMinimumNotice));
    assert_eq!(check("09:00"), Err(SlotRule::WithinMinimumNotice));
    assert_eq!(check("08:45"), Err(SlotRule::InThePast));
    let slots = slots_on(&schedule, &settings, &[], today, 60, now());
    assert_eq!(labels(&slots).first().map(String::as_str), Some("11:00"));
    assert_eq!(slots.len(), 21); // 11:00 ..= 16:00

    // Without notice a lesson may start at exactly now.
    let no_notice = settings_with_notice(0);
    assert_eq!(
        check_lesson(&schedule, &no_notice, &[], at(today, "09:00"), minutes(60), now()),
        ok("2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z")
    );
}

fn settings_with_notice(hours: u16) -> crate::availability::BookingSettings {
    settings(hours, 0, 90)
}

#[test]
fn the_horizon_is_today_plus_horizon_days_inclusive() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 90);
    // 2026-03-02 + 90 days = 2026-05-31 (EDT by then).
    let last = date(2026, 5, 31);
    let after = date(2026, 6, 1);
    assert_eq!(
        check_lesson(&schedule, &settings, &[], at(last, "16:00"), minutes(60), now()),
        ok("2026-05-31T20:00:00Z", "2026-05-31T21:00:00Z")
    );
    assert_eq!(
        check_lesson(&schedule, &settings, &[], at(after, "09:00"), minutes(60), now()),
        Err(SlotRule::BeyondHorizon)
    );
    assert_eq!(slots_on(&schedule, &settings, &[], last, 60, now()).len(), 29);
    assert!(slots_on(&schedule, &settings, &[], after, 60, now()).is_empty());
}

#[test]
fn the_buffer_widens_bookings_on_both_sides() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 15, 90);
    let day = date(2026, 3, 4);
    // A booking 10:00-11:00 EST.
    let booked = [busy("2026-03-04T15:00:00Z", "2026-03-04T16:00:00Z")];
    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &booked, at(day, time), minutes(length), now());
    assert_eq!(check("09:00", 30), ok("2026-03-04T14:00:00Z", "2026-03-04T14:30:00Z"));
    assert_eq!(check("09:15", 30), ok("2026-03-04T14:15:00Z", "2026-03-04T14:45:00Z"));
    assert_eq!(check("09:30", 30), Err(SlotRule::BufferConflict));
    assert_eq!(check("09:00", 60), Err(SlotRule::BufferConflict));
    assert_eq!(check("10:30", 30), Err(SlotRule::OverlapsBooking));
    assert_eq!(check("11:00", 60), Err(SlotRule::BufferConflict));
    assert_eq!(check("11:15", 60), ok("2026-03-04T16:15:00Z", "2026-03-04T17:15:00Z"));

    let thirty = slots_on(&schedule, &settings, &booked, day, 30, now());
    assert_eq!(&labels(&thirty)[..3], ["09:00", "09:15", "11:15"]);
    let hour = slots_on(&schedule, &settings, &booked, day, 60, now());
    assert_eq!(labels(&hour).first().map(String::as_str), Some("11:15"));
    assert_eq!(hour.len(), 20); // 11:15 ..= 16:00
}

#[test]
fn back_to_back_lessons_are_fine_and_one_step_of_overlap_is_not() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 90);
    let day = date(2026, 3, 4);
    let booked = [busy("2026-03-04T15:00:00Z", "2026-03-04T16:00:00Z")];
    let check = |time: &str| check_lesson(&schedule, &settings, &booked, at(day, time), minutes(60), now());
    assert_eq!(check("09:00"), ok("2026-03-04T14:00:00Z", "2026-03-04T15:00:00Z"));
    assert_eq!(check("09:15"), Err(SlotRule::OverlapsBooking));
    assert_eq!(check("10:45"), Err(SlotRule::OverlapsBooking));
    assert_eq!(check("11:00"), ok("2026-03-04T16:00:00Z", "2026-03-04T17:00:00Z"));
    let slots = slots_on(&schedule, &settings, &booked, day, 60, now());
    assert_eq!(&labels(&slots)[..2], ["09:00", "11:00"]);
}

#[test]
fn a_lesson_may_end_exactly_at_the_window_end_but_not_later() {
    let mut schedule = every_day(&[("09:00", "17:00")]);
    let day = date(2026, 3, 4);
    schedule.overrides.insert(day, self::day(&[("09:00", "12:00")]));
    let settings = settings(2, 0, 90);
    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &[], at(day, time), minutes(length), now());
    assert_eq!(check("11:00", 60), ok("2026-03-04T16:00:00Z", "2026-03-04T17:00:00Z"));
    assert_eq!(check("11:00", 75), Err(SlotRule::OutsideAvailability));
    assert_eq!(check("11:15", 60), Err(SlotRule::OutsideAvailability));
    assert_eq!(check("12:00", 15), Err(SlotRule::OutsideAvailability));
    let slots = slots_on(&schedule, &settings, &[], day, 60, now());
    assert_eq!(labels(&slots).last().map(String::as_str), Some("11:00"));
}

#[test]
fn a_lesson_must_lie_in_one_window() {
    let schedule = every_day(&[("09:00", "10:00"), ("10:30", "12:00")]);
    let settings = settings(2, 0, 90);
    let day = date(2026, 3, 4);
    assert_eq!(
        check_lesson(&schedule, &settings, &[], at(day, "09:30"), minutes(60), now()),
        Err(SlotRule::OutsideAvailability)
    );
    // Touching windows were merged, so a lesson may cross the seam.
    let merged = every_day(&[("09:00", "10:00"), ("10:00", "12:00")]);
    assert_eq!(
        check_lesson(&merged, &settings, &[], at(day, "09:30"), minutes(60), now()),
        ok("2026-03-04T14:30:00Z", "2026-03-04T15:30:00Z")
    );
}

#[test]
fn blackout_dates_have_nothing_bookable_even_with_an_override() {
    let mut schedule = every_day(&[("09:00", "17:00")]);
    let day = date(2026, 3, 4);
    schedule.blackouts.insert(day);
    schedule.overrides.insert(day, self::day(&[("13:00", "14:00")]));
    let settings = settings(2, 0, 90);
    assert_eq!(
        check_lesson(&schedule, &settings, &[], at(day, "13:00"), minutes(60), now()),
        Err(SlotRule::BlackoutDate)
    );
    assert!(slots_on(&schedule, &settings, &[], day, 60, now()).is_empty());
    assert_eq!(slots_on(&schedule, &settings, &[], date(2026, 3, 5), 60, now()).len(), 29);
}

#[test]
fn overrides_replace_or_clear_a_date() {
    let mut schedule = every_day(&[("09:00", "17:00")]);
    let replaced = date(2026, 3, 4);
    let cleared = date(2026, 3, 5);
    schedule.overrides.insert(replaced, day(&[("13:00", "14:00")]));
    schedule.overrides.insert(cleared, day(&[]));
    let settings = settings(2, 0, 90);
    let check = |on, time: &str| check_lesson(&schedule, &settings, &[], at(on, time), minutes(60), now());
    assert_eq!(labels(&slots_on(&schedule, &settings, &[], replaced, 60, now())), ["13:00"]);
    assert_eq!(check(replaced, "13:00"), ok("2026-03-04T18:00:00Z", "2026-03-04T19:00:00Z"));
    assert_eq!(check(replaced, "09:00"), Err(SlotRule::OutsideAvailability));
    assert!(slots_on(&schedule, &settings, &[], cleared, 60, now()).is_empty());
    assert_eq!(check(cleared, "09:00"), Err(SlotRule::OutsideAvailability));
    assert_eq!(slots_on(&schedule, &settings, &[], date(2026, 3, 6), 60, now()).len(), 29);
}

#[test]
fn a_window_may_run_to_midnight() {
    let schedule = every_day(&[("22:00", "24:00")]);
    let settings = settings(2, 0, 90);
    let day = date(2026, 3, 4);
    let slots = slots_on(&schedule, &settings, &[], day, 60, now());
    assert_eq!(labels(&slots), ["22:00", "22:15", "22:30", "22:45", "23:00"]);
    // 24:00 EST on March 4 is 05:00Z on March 5.
    assert_eq!(slots[4].end, ts("2026-03-05T05:00:00Z"));
    let check =
        |time: &str, length: u16| check_lesson(&schedule, &settings, &[], at(day, time), minutes(length), now());
    assert_eq!(check("23:45", 15), ok("2026-03-05T04:45:00Z", "2026-03-05T05:00:00Z"));
    assert_eq!(check("23:15", 60), Err(SlotRule::OutsideAvailability));
}

#[test]
fn starts_off_the_15_minute_grid_are_rejected_first() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 90);
    let day = date(2026, 3, 4);
    for time in ["09:10", "09:00:30", "09:00:00.5"] {
        assert_eq!(
            check_lesson(&schedule, &settings, &[], at(day, time), minutes(60), now()),
            Err(SlotRule::NotOn15MinuteStep),
            "{time}"
        );
    }
}

#[test]
fn rules_are_reported_in_the_stated_order() {
    let mut schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 90);
    let yesterday = date(2026, 3, 1);
    schedule.blackouts.insert(yesterday);
    // Past beats blackout and notice.
    assert_eq!(
        check_lesson(&schedule, &settings, &[], at(yesterday, "10:00"), minutes(60), now()),
        Err(SlotRule::InThePast)
    );
    // Horizon beats outside-availability.
    assert_eq!(
        check_lesson(&schedule, &settings, &[], at(date(2026, 7, 1), "03:00"), minutes(60), now()),
        Err(SlotRule::BeyondHorizon)
    );
    // A real overlap beats a buffer-only conflict.
    let buffered = super::support::settings(2, 30, 90);
    let day = date(2026, 3, 4);
    let booked =
        [busy("2026-03-04T15:00:00Z", "2026-03-04T16:00:00Z"), busy("2026-03-04T17:00:00Z", "2026-03-04T18:00:00Z")];
    assert_eq!(
        check_lesson(&schedule, &buffered, &booked, at(day, "11:00"), minutes(60), now()),
        Err(SlotRule::BufferConflict)
    );
    assert_eq!(
        check_lesson(&schedule, &buffered, &booked, at(day, "11:30"), minutes(60), now()),
        Err(SlotRule::OverlapsBooking)
    );
    let codes: Vec<&str> = SlotRule::ALL.iter().map(|rule| rule.code()).collect();
    assert_eq!(
        codes,
        [
            "not_on_15_minute_step",
            "time_does_not_exist",
            "in_the_past",
            "within_minimum_notice",
            "beyond_horizon",
            "blackout_date",
            "outside_availability",
            "overlaps_booking",
            "buffer_conflict",
        ]
    );
    assert!(SlotRule::OverlapsBooking.is_conflict() && !SlotRule::BlackoutDate.is_conflict());
}
