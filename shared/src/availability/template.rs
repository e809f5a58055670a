//! The weekly template: the windows an instructor is usually available on each weekday.

use jiff::civil::Weekday;
use serde::{Deserialize, Serialize};

use super::window::{DayWindows, OverlapError, Window};

/// Lowercase English name of a weekday, as used in JSON (`"monday"`).
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

/// Parses a lowercase weekday name (`"monday"`).
pub fn parse_weekday(name: &str) -> Option<Weekday> {
    WEEKDAYS.into_iter().find(|&day| weekday_name(day) == name)
}

/// Monday first, the order the API lists days in.
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// A template day whose windows overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {source}", weekday_name(*.day))]
pub struct TemplateError {
    pub day: Weekday,
    pub source: OverlapError,
}

impl TemplateError {
    /// The offending field, e.g. `"monday"`.
    pub fn field(self) -> &'static str {
        weekday_name(self.day)
    }

    pub fn code(self) -> &'static str {
        self.source.code()
    }
}

/// Windows per weekday. JSON: `{"monday":[{"start":"09:00","end":"17:00"}], ...}`; a day
/// left out of the input has no windows, unknown keys are rejected, and output always lists
/// all seven days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyTemplate {
    #[serde(default)]
    monday: DayWindows,
    #[serde(default)]
    tuesday: DayWindows,
    #[serde(default)]
    wednesday: DayWindows,
    #[serde(default)]
    thursday: DayWindows,
    #[serde(default)]
    friday: DayWindows,
    #[serde(default)]
    saturday: DayWindows,
    #[serde(default)]
    sunday: DayWindows,
}

impl WeeklyTemplate {
    /// A template with no windows on any day.
    pub fn empty() -> WeeklyTemplate {
        WeeklyTemplate::default()
    }

    /// Builds a template from `(weekday, windows)` pairs; a weekday given twice has its
    /// windows combined (and normalised together), a weekday not given has none.
    pub fn from_days(days: impl IntoIterator<Item = (Weekday, Vec<Window>)>) -> Result<WeeklyTemplate, TemplateError> {
        let mut raw: [Vec<Window>; 7] = Default::default();
        for (day, windows) in days {
            raw[index(day)].extend(windows);
        }
        let mut template = WeeklyTemplate::empty();
        for (day, windows) in WEEKDAYS.into_iter().zip(raw) {
            let normalised = DayWindows::new(windows).map_err(|source| TemplateError { day, source })?;
            *template.day_mut(day) = normalised;
        }
        Ok(template)
    }

    /// The same windows on every weekday.
    pub fn every_day(windows: DayWindows) -> WeeklyTemplate {
        let mut template = WeeklyTemplate::empty();
        for day in WEEKDAYS {
            *template.day_mut(day) = windows.clone();
        }
        template
    }

    /// The windows of one weekday.
    pub fn day(&self, day: Weekday) -> &DayWindows {
        match day {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    /// Replaces one weekday's windows.
    pub fn set_day(&mut self, day: Weekday, windows: DayWindows) {
        *self.day_mut(day) = windows;
    }

    fn day_mut(&mut self, day: Weekday) -> &mut DayWindows {
        match day {
            Weekday::Monday => &mut self.monday,
            Weekday::Tuesday => &mut self.tuesday,
            Weekday::Wednesday => &mut self.wednesday,
            Weekday::Thursday => &mut self.thursday,
            Weekday::Friday => &mut self.friday,
            Weekday::Saturday => &mut self.saturday,
            Weekday::Sunday => &mut self.sunday,
        }
    }
}

fn index(day: Weekday) -> usize {
    // 0..=6 by construction of `to_monday_zero_offset`.
    usize::from(day.to_monday_zero_offset().unsigned_abs())
}

/// Serde helper: a `jiff::civil::Weekday` as its lowercase name (`"monday"`).
pub mod weekday_json {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(day: &Weekday, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(super::weekday_name(*day))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Weekday, D::Error> {
        let name = String::deserialize(deserializer)?;
        super::parse_weekday(&name)
            .ok_or_else(|| D::Error::custom(format!("unknown weekday {name:?}, expected e.g. \"monday\"")))
    }
}
