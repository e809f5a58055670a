//! Property: a start is offered by `bookable_starts` iff `check_lesson` accepts it, with the
//! same instants — including on both DST change days and around notice/horizon/buffer edges.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::support::*;
use crate::availability::{
    BookingSettings, DateRange, DayWindows, Interval, LessonDuration, Schedule, WEEKDAYS, WeeklyTemplate, Window,
    bookable_starts, check_lesson, local_date, new_york,
};

/// 0..=3 disjoint windows (possibly touching) from sorted distinct quarter-hour marks.
fn windows() -> impl Strategy<Value = DayWindows> {
    prop::collection::btree_set(0_u16..=96, 0..=6).prop_map(|marks| {
        let marks: Vec<u16> = marks.into_iter().collect();
        let windows: Vec<Window> =
            marks.chunks_exact(2).map(|pair| Window::new(pair[0] * 15, pair[1] * 15).unwrap()).collect();
        DayWindows::new(windows).unwrap()
    })
}

#[derive(Debug, Clone)]
struct Case {
    schedule: Schedule,
    settings: BookingSettings,
    busy: Vec<Interval>,
    range: DateRange,
    duration: LessonDuration,
    now: Timestamp,
}

fn case() -> impl Strategy<Value = Case> {
    let first_dates = prop::sample::select(vec![
        date(2026, 3, 5),   // spans the spring-forward Sunday (03-08)
        date(2026, 10, 29), // spans the fall-back Sunday (11-01)
        date(2026, 6, 15),
        date(2026, 12, 30), // spans a year end
    ]);
    (
        prop::array::uniform7(windows()),
        first_dates,
        0_i64..=4,
        prop::collection::vec(prop::option::weighted(0.3, windows()), 5),
        prop::collection::vec(prop::bool::weighted(0.15), 5),
        (0_u16..=30, 0_u16..=60, 1_u16..=10),
        prop::collection::vec((-1440_i64..8 * 1440, 1_i64..=300, any::<bool>()), 0..=10),
        1_u16..=16,
        (0_i64..=7 * 1440, 0_i64..60),
    )
        .prop_map(|(days, first, span, overrides, blackouts, knobs, busy, quarters, now_back)| {
            let template =
                WeeklyTemplate::from_days(WEEKDAYS.into_iter().zip(days).map(|(d, w)| (d, w.as_slice().to_vec())))
                    .unwrap();
            let last = first.checked_add(jiff::Span::new().days(span)).unwrap();
            let range = DateRange::new(first, last).unwrap();
            let dates: Vec<Date> = range.dates().collect();
            let mut schedule = Schedule::from_template(template);
            schedule.overrides =
                dates.iter().zip(overrides).filter_map(|(d, o)| o.map(|w| (*d, w))).collect::<BTreeMap<_, _>>();
            schedule.blackouts = dates.iter().zip(blackouts).filter(|(_, b)| *b).map(|(d, _)| *d).collect();
            let origin = new_york()
                .to_ambiguous_timestamp(first.to_datetime(jiff::civil::Time::midnight()))
                .compatible()
                .unwrap();
            let busy = busy
                .into_iter()
                .map(|(start, length, on_grid)| {
                    let (start, length) =
                        if on_grid { (start / 15 * 15, (length + 14) / 15 * 15) } else { (start, length) };
                    let start = origin + SignedDuration::from_mins(start);
                    Interval::new(start, start + SignedDuration::from_mins(length)).unwrap()
                })
                .collect();
            let (minutes_back, odd_seconds) = now_back;
            let now = origin - SignedDuration::from_mins(minutes_back) + SignedDuration::from_secs(odd_seconds);
            Case {
                schedule,
                settings: BookingSettings::new(knobs.0, knobs.1, knobs.2).unwrap(),
                busy,
                range,
                duration: LessonDuration::from_minutes(quarters * 15).unwrap(),
                now,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn offered_iff_accepted(case in case()) {
        let days = bookable_starts(
            &case.schedule, &case.settings, &case.busy, case.range, case.duration, case.now,
        );
        prop_assert_eq!(days.len(), case.range.dates().count());
        for day in &days {
            for slot in &day.slots {
                // Lesson instants sit on 15-minute UTC cells.
                prop_assert_eq!(slot.start.as_second() % 900, 0);
                prop_assert_eq!(slot.end.duration_since(slot.start), case.duration.as_signed_duration());
            }
            for quarter in 0..96_u16 {
                let label = format!("{:02}:{:02}", quarter / 4, quarter % 4 * 15);
                let offered = day.slots.iter().find(|s| labels(std::slice::from_ref(s))[0] == label);
                let checked = check_lesson(
                    &case.schedule, &case.settings, &case.busy, at(day.date, &label), case.duration, case.now,
                );
                match (offered, checked) {
                    (Some(slot), Ok(lesson)) => {
                        prop_assert_eq!((slot.start, slot.end), (lesson.start(), lesson.end()));
                    }
                    (None, Err(_)) => {}
                    (offered, checked) => prop_assert!(
                        false,
                        "{} {}: offered {:?} but check says {:?} (today {})",
                        day.date, label, offered, checked, local_date(case.now)
                    ),
                }
            }
        }
    }
}
