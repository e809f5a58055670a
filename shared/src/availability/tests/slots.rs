//! Ranges, the 90-day query, next available slot.

use jiff::Timestamp;

use super::support::*;
use crate::availability::{DateRange, NextSlot, RangeError, bookable_starts, next_available};

fn now() -> Timestamp {
    // Sunday 2026-03-01 07:00 EST.
    ts("2026-03-01T12:00:00Z")
}

#[test]
fn a_ninety_day_range_lists_every_date_once_across_a_dst_change() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 365);
    let range = DateRange::new(date(2026, 3, 2), date(2026, 5, 31)).unwrap();
    let days = bookable_starts(&schedule, &settings, &[], range, minutes(60), now());
    assert_eq!(days.len(), 91);
    assert_eq!(days[0].date, date(2026, 3, 2));
    assert_eq!(days[90].date, date(2026, 5, 31));
    assert!(days.iter().all(|day| day.slots.len() == 29), "09:00 ..= 16:00 every day");
    assert_eq!(days.iter().map(|day| day.slots.len()).sum::<usize>(), 91 * 29);
    // EST before 2026-03-08, EDT after.
    assert_eq!(days[0].slots[0].start, ts("2026-03-02T14:00:00Z"));
    assert_eq!(days[6].slots[0].start, ts("2026-03-08T13:00:00Z"));
    assert_eq!(days[90].slots[28].start, ts("2026-05-31T20:00:00Z"));
    assert_eq!(days[90].slots[28].end, ts("2026-05-31T21:00:00Z"));
}

#[test]
fn many_bookings_are_removed_from_a_long_range() {
    let schedule = every_day(&[("00:00", "24:00")]);
    let settings = settings(0, 15, 365);
    // One booking 12:00-13:00 EST (17:00Z) every day in March before the DST change.
    let booked: Vec<_> = (2..=7)
        .map(|d| {
            let start = format!("2026-03-{d:02}T17:00:00Z");
            let end = format!("2026-03-{d:02}T18:00:00Z");
            busy(&start, &end)
        })
        .collect();
    let range = DateRange::new(date(2026, 3, 2), date(2026, 3, 7)).unwrap();
    let days = bookable_starts(&schedule, &settings, &booked, range, minutes(30), now());
    for day in &days {
        // 96 quarter-hours; a 30-minute lesson cannot start in the last one (the window
        // ends at midnight) and the booking widened to 11:45-13:15 removes 11:30..=13:00.
        assert_eq!(day.slots.len(), 96 - 1 - 7, "{}", day.date);
        let taken = labels(&day.slots);
        assert!(taken.contains(&"11:15".to_string()) && taken.contains(&"13:15".to_string()));
        assert!(!taken.contains(&"11:30".to_string()) && !taken.contains(&"13:00".to_string()));
    }
}

#[test]
fn ranges_are_bounded_and_ordered() {
    assert!(DateRange::new(date(2026, 3, 1), date(2026, 5, 30)).is_ok());
    assert_eq!(DateRange::new(date(2026, 3, 1), date(2026, 5, 31)), Err(RangeError::TooLong { max_span_days: 90 }));
    assert_eq!(
        DateRange::new(date(2026, 3, 2), date(2026, 3, 1)),
        Err(RangeError::EndBeforeStart { first: date(2026, 3, 2), last: date(2026, 3, 1) })
    );
    assert_eq!(DateRange::new(date(2026, 3, 2), date(2026, 3, 2)).unwrap().dates().count(), 1);
}

#[test]
fn next_available_is_the_first_slot_after_notice() {
    let schedule = every_day(&[("09:00", "17:00")]);
    let settings = settings(2, 0, 90);
    let now = ts("2026-03-02T14:00:00Z"); // Monday 09:00 EST
    let next = next_available(&schedule, &settings, &[], minutes(60), now).unwrap();
    assert_eq!(next.date, date(2026, 3, 2));
    assert_eq!(next.slot.start, ts("2026-03-02T16:00:00Z"));

    // The rest of today is booked: tomorrow 09:00.
    let booked = [busy("2026-03-02T16:00:00Z", "2026-03-02T22:00:00Z")];
    let next: NextSlot = next_available(&schedule, &settings, &booked, minutes(60), now).unwrap();
    assert_eq!((next.date, next.slot.start), (date(2026, 3, 3), ts("2026-03-03T14:00:00Z")));
}

#[test]
fn next_available_stops_at_the_horizon() {
    let now = ts("2026-03-02T14:00:00Z"); // Monday
    // Only Fridays; with a 1-day horizon (today and tomorrow) nothing is reachable.
    let fridays = crate::availability::Schedule::from_template(
        crate::availability::WeeklyTemplate::from_days([(
            jiff::civil::Weekday::Friday,
            vec![window("09:00", "10:00")],
        )])
        .unwrap(),
    );
    assert_eq!(next_available(&fridays, &settings(2, 0, 1), &[], minutes(60), now), None);
    let next = next_available(&fridays, &settings(2, 0, 4), &[], minutes(60), now).unwrap();
    assert_eq!(next.date, date(2026, 3, 6));
    assert_eq!(next.slot.start, ts("2026-03-06T14:00:00Z"));

    let mut blacked_out = every_day(&[("09:00", "17:00")]);
    blacked_out.blackouts.extend([date(2026, 3, 2), date(2026, 3, 3)]);
    assert_eq!(next_available(&blacked_out, &settings(2, 0, 1), &[], minutes(60), now), None);
}
