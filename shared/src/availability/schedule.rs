//! An instructor's whole availability: template, per-date overrides and blackout dates.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::template::WeeklyTemplate;
use super::window::{DayWindows, Window};

/// Where a date's windows come from, in precedence order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DaySource {
    /// The date is blacked out: nothing is bookable, whatever else is set.
    Blackout,
    /// A date override replaces the template (an empty override clears the date).
    Override,
    /// The weekly template's windows for that weekday.
    Template,
}

/// JSON:
/// `{"template":{...},"overrides":{"2026-03-08":[...]},"blackouts":["2026-12-25"]}`;
/// each field defaults to empty when left out, unknown fields are rejected.
///
/// Fields are public because each field's type keeps its own invariants (normalised windows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    #[serde(default)]
    pub template: WeeklyTemplate,
    #[serde(default)]
    pub overrides: BTreeMap<Date, DayWindows>,
    #[serde(default)]
    pub blackouts: BTreeSet<Date>,
}

impl Schedule {
    /// A schedule that is just a template.
    pub fn from_template(template: WeeklyTemplate) -> Schedule {
        Schedule { template, ..Schedule::default() }
    }

    /// The wall-clock windows in effect on `date`: none on a blackout date, else the date's
    /// override if it has one, else the template's windows for its weekday.
    pub fn windows_on(&self, date: Date) -> &[Window] {
        self.day_windows(date).as_slice()
    }

    /// The normalised windows in effect on `date` (see [`Schedule::windows_on`]).
    pub fn day_windows(&self, date: Date) -> &DayWindows {
        static NO_WINDOWS: DayWindows = DayWindows::empty();
        match self.source_of(date) {
            DaySource::Blackout => &NO_WINDOWS,
            DaySource::Override => self.overrides.get(&date).unwrap_or(&NO_WINDOWS),
            DaySource::Template => self.template.day(date.weekday()),
        }
    }

    /// Which rule decides `date`'s windows.
    pub fn source_of(&self, date: Date) -> DaySource {
        if self.blackouts.contains(&date) {
            DaySource::Blackout
        } else if self.overrides.contains_key(&date) {
            DaySource::Override
        } else {
            DaySource::Template
        }
    }

    pub fn is_blackout(&self, date: Date) -> bool {
        self.blackouts.contains(&date)
    }
}
