//! Copy-week, apply-pattern, materialise, effective week.

use jiff::civil::Weekday;

use super::support::*;
use crate::availability::{
    DateRange, DaySource, Schedule, WeekError, WeeklyTemplate, apply_week_to_range, copy_week, effective_week,
    materialize_template,
};

/// Mon-Fri 09:00-17:00, with an override and a blackout in the week of 2026-03-02.
fn schedule() -> Schedule {
    let weekdays = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
    let template =
        WeeklyTemplate::from_days(weekdays.into_iter().map(|d| (d, vec![window("09:00", "17:00")]))).unwrap();
    let mut schedule = Schedule::from_template(template);
    schedule.overrides.insert(date(2026, 3, 3), day(&[("13:00", "14:00")]));
    schedule.blackouts.insert(date(2026, 3, 4));
    schedule
}

#[test]
fn the_effective_week_says_where_each_day_comes_from() {
    let week = effective_week(&schedule(), date(2026, 3, 2)).unwrap();
    let sources: Vec<DaySource> = week.iter().map(|d| d.source).collect();
    assert_eq!(
        sources,
        [
            DaySource::Template,
            DaySource::Override,
            DaySource::Blackout,
            DaySource::Template,
            DaySource::Template,
            DaySource::Template,
            DaySource::Template,
        ]
    );
    assert_eq!(week[1].windows.as_slice(), [window("13:00", "14:00")]);
    assert!(week[2].windows.is_empty() && week[5].windows.is_empty());
    assert_eq!(week[6].date, date(2026, 3, 8));
    assert_eq!(week[6].weekday, Weekday::Sunday);
    assert_eq!(
        effective_week(&schedule(), date(2026, 3, 3)).unwrap_err(),
        WeekError::NotAMonday { date: date(2026, 3, 3) }
    );
}

#[test]
fn copying_a_week_copies_its_effective_windows() {
    let copied = copy_week(&schedule(), date(2026, 3, 2), date(2026, 3, 16)).unwrap();
    assert_eq!(copied.len(), 7);
    assert_eq!(copied[&date(2026, 3, 16)].as_slice(), [window("09:00", "17:00")]);
    assert_eq!(copied[&date(2026, 3, 17)].as_slice(), [window("13:00", "14:00")]);
    // The blacked-out Wednesday becomes a cleared date; the weekend stays empty.
    assert!(copied[&date(2026, 3, 18)].is_empty());
    assert!(copied[&date(2026, 3, 22)].is_empty());

    let mut updated = schedule();
    updated.overrides.extend(copied);
    assert_eq!(updated.windows_on(date(2026, 3, 17)), [window("13:00", "14:00")]);
    assert!(updated.blackouts.len() == 1, "blackouts are not copied");
    assert!(copy_week(&schedule(), date(2026, 3, 2), date(2026, 3, 17)).is_err());
}

#[test]
fn a_week_can_be_repeated_over_a_range() {
    let range = DateRange::spanning_at_most(date(2026, 3, 10), date(2026, 3, 24), 365).unwrap();
    let applied = apply_week_to_range(&schedule(), date(2026, 3, 2), range).unwrap();
    assert_eq!(applied.len(), 15);
    // Tuesdays get the source Tuesday's override, Wednesdays the cleared blackout day.
    for tuesday in [date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 24)] {
        assert_eq!(applied[&tuesday].as_slice(), [window("13:00", "14:00")]);
    }
    assert!(applied[&date(2026, 3, 11)].is_empty());
    assert_eq!(applied[&date(2026, 3, 12)].as_slice(), [window("09:00", "17:00")]);
}

#[test]
fn materialising_pins_the_template_over_existing_overrides() {
    let schedule = schedule();
    let range = DateRange::new(date(2026, 3, 2), date(2026, 3, 8)).unwrap();
    let pinned = materialize_template(&schedule.template, range);
    assert_eq!(pinned.len(), 7);
    assert_eq!(pinned[&date(2026, 3, 3)].as_slice(), [window("09:00", "17:00")]);
    assert!(pinned[&date(2026, 3, 7)].is_empty());
}
