//! The changes an instructor makes to their schedule, as pure functions from the current
//! schedule to the next one (the API's availability writes; storage and versions are
//! `stored.rs`'s business).
//!
//! Dated entries (overrides, blackouts) are kept from today on: every write drops the
//! ones before today (New York), which are history and would otherwise grow the item
//! forever. Writing a single date in the past is refused; a date more than
//! [`MAX_DAYS_AHEAD`] days ahead is refused (no horizon reaches it). A day holds at most
//! [`MAX_WINDOWS_PER_DAY`] windows. Together these bound the item well under DynamoDB's
//! 400 KB.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{
    range::{DateRange, add_days},
    schedule::Schedule,
    settings::BookingSettings,
    template::{WEEKDAYS, WeeklyTemplate, weekday_name},
    weeks::{apply_week_to_range, copy_week, materialize_template},
    window::DayWindows,
};

/// One more than the longest horizon: the furthest date worth describing.
pub const MAX_DAYS_AHEAD: i64 = BookingSettings::MAX_HORIZON_DAYS as i64 + 1;
pub const MAX_WINDOWS_PER_DAY: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Replace everything (template, overrides, blackouts).
    Replace(Schedule),
    Template(WeeklyTemplate),
    /// Replace one date's windows (empty = the date is cleared).
    SetOverride(Date, DayWindows),
    /// The date follows the template again.
    RemoveOverride(Date),
    AddBlackout(Date),
    RemoveBlackout(Date),
    /// Make the week starting Monday `to` look like the week starting Monday `from` does.
    CopyWeek {
        from: Date,
        to: Date,
    },
    /// Pin the template's windows on every date of `range` (so later template edits no
    /// longer move them), or, with `from_week`, repeat that week's windows over `range`.
    ApplyTemplate {
        range: DateRange,
        from_week: Option<Date>,
    },
}

/// A refused edit: a stable code, the field it is about, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct EditError {
    pub code: &'static str,
    pub field: String,
    pub detail: String,
}

/// Every refused edit is input the scheduling rules refuse (422), naming its field.
impl From<EditError> for crate::refusal::Refusal {
    fn from(err: EditError) -> Self {
        Self::unprocessable(err.code, err.detail).field(err.field)
    }
}

fn error(code: &'static str, field: impl Into<String>, detail: impl Into<String>) -> EditError {
    EditError { code, field: field.into(), detail: detail.into() }
}

fn check_date(date: Date, today: Date, field: &str) -> Result<(), EditError> {
    if date < today {
        return Err(error("date_in_the_past", field, format!("{date} is in the past")));
    }
    not_too_far(date, today, field)
}

fn not_too_far(date: Date, today: Date, field: &str) -> Result<(), EditError> {
    match add_days(today, MAX_DAYS_AHEAD) {
        Some(last) if date <= last => Ok(()),
        _ => Err(error("date_too_far_ahead", field, format!("dates up to {MAX_DAYS_AHEAD} days ahead can be set"))),
    }
}

fn check_windows(windows: &DayWindows, field: &str) -> Result<(), EditError> {
    if windows.as_slice().len() > MAX_WINDOWS_PER_DAY {
        return Err(error("too_many_windows", field, format!("a day has at most {MAX_WINDOWS_PER_DAY} windows")));
    }
    Ok(())
}

fn check_template(template: &WeeklyTemplate, prefix: &str) -> Result<(), EditError> {
    for day in WEEKDAYS {
        check_windows(template.day(day), &format!("{prefix}{}", weekday_name(day)))?;
    }
    Ok(())
}

/// Adds `overrides` (dates before today dropped; any too far ahead refused).
fn merge_overrides(
    schedule: &mut Schedule,
    overrides: BTreeMap<Date, DayWindows>,
    today: Date,
    field: &str,
) -> Result<(), EditError> {
    for (date, windows) in overrides {
        if date < today {
            continue;
        }
        not_too_far(date, today, field)?;
        schedule.overrides.insert(date, windows);
    }
    Ok(())
}

fn week_error(err: super::WeekError, field: &str) -> EditError {
    error(err.code(), field, err.to_string())
}

/// The schedule after `edit`, as of `today` (New York).
pub fn apply(current: &Schedule, edit: Edit, today: Date) -> Result<Schedule, EditError> {
    let mut next = current.clone();
    match edit {
        Edit::Replace(schedule) => {
            check_template(&schedule.template, "template.")?;
            next = Schedule { template: schedule.template, overrides: BTreeMap::new(), blackouts: Default::default() };
            for (date, windows) in &schedule.overrides {
                check_windows(windows, &format!("overrides.{date}"))?;
            }
            merge_overrides(&mut next, schedule.overrides, today, "overrides")?;
            for date in schedule.blackouts.into_iter().filter(|d| *d >= today) {
                not_too_far(date, today, "blackouts")?;
                next.blackouts.insert(date);
            }
        }
        Edit::Template(template) => {
            check_template(&template, "")?;
            next.template = template;
        }
        Edit::SetOverride(date, windows) => {
            check_date(date, today, "date")?;
            check_windows(&windows, "windows")?;
            next.overrides.insert(date, windows);
        }
        Edit::RemoveOverride(date) => {
            check_date(date, today, "date")?;
            next.overrides.remove(&date);
        }
        Edit::AddBlackout(date) => {
            check_date(date, today, "date")?;
            next.blackouts.insert(date);
        }
        Edit::RemoveBlackout(date) => {
            check_date(date, today, "date")?;
            next.blackouts.remove(&date);
        }
        Edit::CopyWeek { from, to } => {
            let copied = copy_week(current, from, to).map_err(|e| {
                let field = if from.weekday() == jiff::civil::Weekday::Monday { "to_week" } else { "from_week" };
                week_error(e, field)
            })?;
            if copied.keys().all(|d| *d < today) {
                return Err(error("date_in_the_past", "to_week", format!("the week of {to} is over")));
            }
            merge_overrides(&mut next, copied, today, "to_week")?;
        }
        Edit::ApplyTemplate { range, from_week } => {
            if range.last() < today {
                return Err(error("date_in_the_past", "end", "the range is over"));
            }
            let overrides = match from_week {
                None => materialize_template(&current.template, range),
                Some(monday) => apply_week_to_range(current, monday, range).map_err(|e| week_error(e, "from_week"))?,
            };
            merge_overrides(&mut next, overrides, today, "end")?;
        }
    }
    next.overrides.retain(|date, _| *date >= today);
    next.blackouts.retain(|date| *date >= today);
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::Window;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn nine_to_five() -> DayWindows {
        DayWindows::new(vec![Window::parse("09:00", "17:00").unwrap()]).unwrap()
    }

    #[test]
    fn past_dated_entries_are_dropped_on_every_write() {
        let today = d("2026-11-26");
        let mut schedule = Schedule::default();
        schedule.overrides.insert(d("2026-11-01"), nine_to_five());
        schedule.blackouts.insert(d("2026-11-02"));
        let next = apply(&schedule, Edit::AddBlackout(d("2026-12-25")), today).unwrap();
        assert!(next.overrides.is_empty());
        assert_eq!(next.blackouts.into_iter().collect::<Vec<_>>(), [d("2026-12-25")]);
    }

    #[test]
    fn single_dates_in_the_past_or_too_far_ahead_are_refused() {
        let today = d("2026-11-26");
        let err = apply(&Schedule::default(), Edit::AddBlackout(d("2026-11-25")), today).unwrap_err();
        assert_eq!((err.code, err.field.as_str()), ("date_in_the_past", "date"));
        let ok = apply(&Schedule::default(), Edit::AddBlackout(today), today);
        assert!(ok.is_ok(), "today itself is fine");
        let last = add_days(today, MAX_DAYS_AHEAD).unwrap();
        assert!(apply(&Schedule::default(), Edit::AddBlackout(last), today).is_ok());
        let err = apply(&Schedule::default(), Edit::AddBlackout(last.tomorrow().unwrap()), today).unwrap_err();
        assert_eq!(err.code, "date_too_far_ahead");
    }

    #[test]
    fn a_day_with_too_many_windows_is_refused() {
        let windows: Vec<Window> = (0..13).map(|i| Window::new(i * 60, i * 60 + 30).unwrap()).collect();
        let day = DayWindows::new(windows).unwrap();
        let err =
            apply(&Schedule::default(), Edit::SetOverride(d("2026-12-01"), day.clone()), d("2026-11-26")).unwrap_err();
        assert_eq!((err.code, err.field.as_str()), ("too_many_windows", "windows"));
        let err =
            apply(&Schedule::default(), Edit::Template(WeeklyTemplate::every_day(day)), d("2026-11-26")).unwrap_err();
        assert_eq!((err.code, err.field.as_str()), ("too_many_windows", "monday"));
    }

    #[test]
    fn copying_into_a_week_that_is_over_is_refused_and_a_current_week_keeps_only_today_on() {
        let today = d("2026-11-26"); // a Thursday
        let schedule = Schedule::from_template(WeeklyTemplate::every_day(nine_to_five()));
        let err = apply(&schedule, Edit::CopyWeek { from: d("2026-11-30"), to: d("2026-11-16") }, today).unwrap_err();
        assert_eq!((err.code, err.field.as_str()), ("date_in_the_past", "to_week"));
        let next = apply(&schedule, Edit::CopyWeek { from: d("2026-11-30"), to: d("2026-11-23") }, today).unwrap();
        assert_eq!(
            next.overrides.keys().copied().collect::<Vec<_>>(),
            [d("2026-11-26"), d("2026-11-27"), d("2026-11-28"), d("2026-11-29")]
        );
        let err = apply(&schedule, Edit::CopyWeek { from: d("2026-12-01"), to: d("2026-12-07") }, today).unwrap_err();
        assert_eq!((err.code, err.field.as_str()), ("not_a_monday", "from_week"));
    }
}
