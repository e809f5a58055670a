//! Week-level conveniences on top of template + overrides (the old product's copy-week and
//! apply-pattern helpers). All are pure: they return overrides for the caller to store
//! (e.g. `schedule.overrides.extend(changes)`), never mutate a schedule.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use super::range::{DateRange, add_days, days_between};
use super::schedule::{DaySource, Schedule};
use super::template::{WeeklyTemplate, weekday_json};
use super::window::DayWindows;

/// Why a week operation was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("{date} is not a Monday")]
    NotAMonday { date: Date },
    #[error("the week of {date} is outside the supported calendar")]
    OutOfCalendar { date: Date },
}

impl WeekError {
    pub fn code(self) -> &'static str {
        match self {
            WeekError::NotAMonday { .. } => "not_a_monday",
            WeekError::OutOfCalendar { .. } => "date_out_of_range",
        }
    }
}

/// One date of a week as it will be offered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectiveDay {
    pub date: Date,
    #[serde(with = "weekday_json")]
    pub weekday: Weekday,
    /// Why the date has these windows (blackout, override or template).
    pub source: DaySource,
    pub windows: DayWindows,
}

/// The seven dates Monday..Sunday starting at `monday`, with their effective windows.
pub fn effective_week(schedule: &Schedule, monday: Date) -> Result<[EffectiveDay; 7], WeekError> {
    let dates = week_dates(monday)?;
    Ok(dates.map(|date| EffectiveDay {
        date,
        weekday: date.weekday(),
        source: schedule.source_of(date),
        windows: schedule.day_windows(date).clone(),
    }))
}

/// Overrides that make the week of `target_monday` look like the week of `source_monday`
/// does now. Copies *effective* windows: a source day that is blacked out or cleared
/// becomes a cleared (empty) target day. Blackouts themselves are not copied: they are
/// dated absences, not part of a weekly pattern.
pub fn copy_week(
    schedule: &Schedule,
    source_monday: Date,
    target_monday: Date,
) -> Result<BTreeMap<Date, DayWindows>, WeekError> {
    let source = week_dates(source_monday)?;
    let target = week_dates(target_monday)?;
    Ok(target.into_iter().zip(source).map(|(to, from)| (to, schedule.day_windows(from).clone())).collect())
}

/// Overrides that repeat the effective windows of the week of `source_monday` on every date
/// of `range` (each date takes the source day with the same weekday).
pub fn apply_week_to_range(
    schedule: &Schedule,
    source_monday: Date,
    range: DateRange,
) -> Result<BTreeMap<Date, DayWindows>, WeekError> {
    let source = week_dates(source_monday)?;
    Ok(range
        .dates()
        .map(|date| {
            let offset = days_between(source_monday, date).rem_euclid(7);
            // rem_euclid(7) is 0..=6.
            let from = source[usize::try_from(offset).unwrap_or_default()];
            (date, schedule.day_windows(from).clone())
        })
        .collect())
}

/// Overrides that pin the template's windows on every date of `range`, so that later
/// template edits no longer change those dates (replacing any overrides already there).
pub fn materialize_template(template: &WeeklyTemplate, range: DateRange) -> BTreeMap<Date, DayWindows> {
    range.dates().map(|date| (date, template.day(date.weekday()).clone())).collect()
}

fn week_dates(monday: Date) -> Result<[Date; 7], WeekError> {
    if monday.weekday() != Weekday::Monday {
        return Err(WeekError::NotAMonday { date: monday });
    }
    let mut dates = [monday; 7];
    for (offset, slot) in (0_i64..).zip(dates.iter_mut()) {
        *slot = add_days(monday, offset).ok_or(WeekError::OutOfCalendar { date: monday })?;
    }
    Ok(dates)
}
