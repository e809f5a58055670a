//! The parser's word lists, embedded at compile time from shared/data/search/ (paths are
//! relative to this file: shared/src/search/query/ → shared/).

use std::collections::BTreeMap;

use serde::Deserialize;

pub(super) const WORDS_YAML: &str = include_str!("../../../data/search/words.yaml");
pub(super) const PLACES_YAML: &str = include_str!("../../../data/search/places.yaml");
pub(super) const ALIASES_YAML: &str = include_str!("../../../data/search/aliases.yaml");

#[derive(Debug, Deserialize)]
pub(super) struct Words {
    pub stop_words: Vec<String>,
    pub generic_name_words: Vec<String>,
    pub levels: Levels,
    pub audiences: Audiences,
    pub age_units: Vec<String>,
    pub age_cues: Vec<String>,
    pub age_under_units: Vec<String>,
    pub grade_words: Vec<String>,
    pub experience_words: Vec<String>,
    pub max_age: u8,
    pub lesson_types: LessonTypes,
    pub budget: Vec<String>,
    pub price: PriceWords,
    pub time: TimeWords,
    pub parts_of_day: Vec<PartOfDayEntry>,
    pub relative_days: Vec<RelativeDayEntry>,
    pub weekdays: Vec<WeekdayEntry>,
    pub months: Vec<MonthEntry>,
    pub date_cues: DateCues,
    pub weekend_words: Vec<String>,
    pub weekday_words: Vec<String>,
    pub week_words: Vec<String>,
    pub ordinal_suffixes: Vec<String>,
    pub day_month_joiners: Vec<String>,
    pub ordinal_day_cues: Vec<String>,
    pub alternatives: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Levels {
    pub beginner: Vec<String>,
    pub intermediate: Vec<String>,
    pub advanced: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Audiences {
    pub kids: Vec<String>,
    pub teens: Vec<String>,
    pub adults: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct LessonTypes {
    pub online: Vec<String>,
    pub in_person: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PriceWords {
    pub max_cues: Vec<String>,
    pub min_cues: Vec<String>,
    pub approx_cues: Vec<String>,
    pub range_cues: Vec<String>,
    pub range_joiners: Vec<String>,
    pub max_suffixes: Vec<String>,
    pub min_suffixes: Vec<String>,
    pub approx_suffixes: Vec<String>,
    pub currency_words: Vec<String>,
    pub rate_phrases: Vec<String>,
    pub rate_units: Vec<String>,
    pub non_price_units: Vec<String>,
    pub not_price_before: Vec<String>,
    pub bare_min_dollars: u32,
    pub bare_max_dollars: u32,
}

#[derive(Debug, Deserialize)]
pub(super) struct TimeWords {
    pub after_cues: Vec<String>,
    pub before_cues: Vec<String>,
    pub at_cues: Vec<String>,
    pub around_cues: Vec<String>,
    pub between_cues: Vec<String>,
    pub joiners: Vec<String>,
    pub am_words: Vec<String>,
    pub pm_words: Vec<String>,
    pub am_letters: Vec<String>,
    pub pm_letters: Vec<String>,
    pub clock_words: Vec<ClockWordEntry>,
    pub bare_pm_until: u8,
    pub around_minutes: u16,
}

#[derive(Debug, Deserialize)]
pub(super) struct ClockWordEntry {
    pub phrases: Vec<String>,
    pub time: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Meridiem {
    Am,
    Pm,
}

#[derive(Debug, Deserialize)]
pub(super) struct PartOfDayEntry {
    pub name: String,
    pub start: String,
    pub end: String,
    pub meridiem: Meridiem,
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RelativeDayEntry {
    pub offset: i8,
    #[serde(default)]
    pub part_of_day: Option<String>,
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WeekdayEntry {
    pub day: String,
    pub strong: Vec<String>,
    #[serde(default)]
    pub weak: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct MonthEntry {
    pub month: u8,
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct DateCues {
    pub this: Vec<String>,
    pub next: Vec<String>,
    pub on: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Places {
    pub boroughs: Vec<BoroughEntry>,
    pub whole_city: Vec<String>,
    pub near_me: Vec<String>,
    pub neighborhoods: Vec<NeighborhoodEntry>,
}

#[derive(Debug, Deserialize)]
pub(super) struct BoroughEntry {
    pub slug: String,
    #[allow(dead_code)] // documents the file; the UI names boroughs itself
    pub name: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct NeighborhoodEntry {
    pub slug: String,
    pub name: String,
    pub borough: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Aliases {
    /// Alias phrase → service slugs.
    pub services: BTreeMap<String, Vec<String>>,
    /// Category slug → category words.
    pub categories: BTreeMap<String, Vec<String>>,
}

pub(super) struct Embedded {
    pub words: Words,
    pub places: Places,
    pub aliases: Aliases,
}

/// Parses the embedded files. They are part of the binary and a unit test parses them, so a
/// failure here is a build defect, not a runtime condition: panicking with a clear message is
/// the right response.
pub(super) fn embedded() -> Embedded {
    Embedded {
        words: serde_yaml::from_str(WORDS_YAML)
            .unwrap_or_else(|e| panic!("shared/data/search/words.yaml is invalid: {e}")),
        places: serde_yaml::from_str(PLACES_YAML)
            .unwrap_or_else(|e| panic!("shared/data/search/places.yaml is invalid: {e}")),
        aliases: serde_yaml::from_str(ALIASES_YAML)
            .unwrap_or_else(|e| panic!("shared/data/search/aliases.yaml is invalid: {e}")),
    }
}
