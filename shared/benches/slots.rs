//! The slot computation for a 90-day range, beside a baseline in the same run.
//!
//!     cargo bench -p instainstru-shared --bench slots
//!
//! The schedule: two windows a day (09:00-12:00, 14:00-20:00), six days a week; three
//! 60-minute bookings a day; a 15-minute buffer; 60-minute lessons. Baseline: the same
//! answer found the naive way, by checking every 15-minute candidate of every date with
//! `check_lesson` (the rule a booking request goes through). The two are checked to agree
//! before anything is timed.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use instainstru_shared::availability::{
    BookingSettings, DateRange, DayWindows, Interval, LessonDuration, Schedule, WeeklyTemplate, Window,
    bookable_starts, check_lesson, new_york,
};
use jiff::{Timestamp, civil::Date};

struct Case {
    schedule: Schedule,
    settings: BookingSettings,
    busy: Vec<Interval>,
    range: DateRange,
    duration: LessonDuration,
    now: Timestamp,
}

fn case() -> Case {
    let day = DayWindows::new(vec![Window::parse("09:00", "12:00").unwrap(), Window::parse("14:00", "20:00").unwrap()])
        .unwrap();
    let mut template = WeeklyTemplate::every_day(day);
    template.set_day(jiff::civil::Weekday::Sunday, DayWindows::empty());
    let now: Timestamp = "2026-11-26T15:00:00Z".parse().unwrap();
    let first: Date = "2026-11-26".parse().unwrap();
    let range = DateRange::new(first, first.checked_add(jiff::Span::new().days(90)).unwrap()).unwrap();
    let busy = range
        .dates()
        .flat_map(|date| {
            ["09:30", "15:00", "18:15"].map(|time| {
                let start =
                    new_york().to_ambiguous_timestamp(date.to_datetime(time.parse().unwrap())).compatible().unwrap();
                Interval::new(start, start + jiff::SignedDuration::from_mins(60)).unwrap()
            })
        })
        .collect();
    Case {
        schedule: Schedule::from_template(template),
        settings: BookingSettings::new(2, 15, 365).unwrap(),
        busy,
        range,
        duration: LessonDuration::from_minutes(60).unwrap(),
        now,
    }
}

fn engine(c: &Case) -> usize {
    bookable_starts(&c.schedule, &c.settings, &c.busy, c.range, c.duration, c.now).iter().map(|d| d.slots.len()).sum()
}

fn naive(c: &Case) -> usize {
    c.range
        .dates()
        .flat_map(|date| {
            (0..96).map(move |step| date.to_datetime(jiff::civil::Time::new(step / 4, (step % 4) * 15, 0, 0).unwrap()))
        })
        .filter(|start| check_lesson(&c.schedule, &c.settings, &c.busy, *start, c.duration, c.now).is_ok())
        .count()
}

fn slots(criterion: &mut Criterion) {
    let c = case();
    let offered = engine(&c);
    assert_eq!(offered, naive(&c), "the engine and the per-candidate check must agree");
    // About six starts a day fit around three bookings and their buffers.
    assert!(offered > 400, "a meaningful amount of work: {offered} slots");
    let mut group = criterion.benchmark_group("slots_90_days");
    group.bench_function("bookable_starts", |b| b.iter(|| engine(black_box(&c))));
    group.bench_function("baseline_check_every_candidate", |b| b.iter(|| naive(black_box(&c))));
    group.finish();
}

criterion_group!(benches, slots);
criterion_main!(benches);
