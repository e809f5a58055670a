//! What the parser understood: typed constraints, each with the words of the query that
//! produced it (so the search response can explain itself, PRODUCT §6).

use jiff::civil::{Date, Time};
use serde::Serialize;

/// The parsed query. Every constraint is optional; `service` is always present (possibly
/// [`ServiceTarget::None`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedQuery {
    pub service: ServiceConstraint,
    pub price: Option<PriceConstraint>,
    pub audience: Option<AudienceConstraint>,
    pub level: Option<LevelConstraint>,
    pub lesson_type: Option<LessonTypeConstraint>,
    pub place: Option<PlaceConstraint>,
    pub date: Option<DateConstraint>,
    pub time: Option<TimeConstraint>,
    /// The query with misspelled service or place words replaced by the words they were
    /// corrected to ("piono lessons" → "piano lessons"); `None` when nothing was corrected.
    pub corrected_query: Option<String>,
    /// The typo corrections behind `corrected_query`, in query order.
    pub corrections: Vec<Correction>,
    /// The normalized words left once constraint words and stop words are removed: the service
    /// words plus any word that matched nothing ("piano under $80 in brooklyn" → "piano").
    pub remaining_text: String,
}

/// Which services the query asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServiceTarget {
    /// No service named: every service is acceptable.
    None,
    /// These services only, in the order the query named them ("piano or guitar" → both).
    Services { slugs: Vec<String> },
    /// Every service of these categories ("music lessons" → music; "music or art" → both).
    Category { slugs: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceConstraint {
    pub target: ServiceTarget,
    /// The query's words that named the services or categories, as typed.
    pub matched: Vec<String>,
    /// Content words that matched nothing (neither a constraint, a service, nor a stop word).
    pub unmatched: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The word as typed.
    pub from: String,
    /// The vocabulary word it was read as.
    pub to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    /// "under $80", "$75/hr", "50 dollars", "max 60".
    Max,
    /// "over $50", "at least 40", "$50+".
    Min,
    /// "$40-60", "between 40 and 60".
    Range,
    /// "around $50": ±20 %.
    Approximate,
    /// "cheap", "affordable": no amount; the search engine derives the ceiling from the data.
    Budget,
}

/// Hourly price bounds, in integer cents, both inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceConstraint {
    pub min_cents: Option<u32>,
    pub max_cents: Option<u32>,
    pub kind: PriceKind,
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AudienceGroup {
    Kids,
    Teens,
    Adults,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AudienceConstraint {
    pub group: AudienceGroup,
    /// An exact age when the query gave one ("for my 8 year old" → 8).
    pub age: Option<u8>,
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelConstraint {
    pub level: Level,
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonType {
    Online,
    InPerson,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LessonTypeConstraint {
    pub lesson_type: LessonType,
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Borough {
    Manhattan,
    Brooklyn,
    Queens,
    Bronx,
    StatenIsland,
}

impl Borough {
    /// The slug used in the data files and in instructors' areas of service.
    pub fn slug(self) -> &'static str {
        match self {
            Borough::Manhattan => "manhattan",
            Borough::Brooklyn => "brooklyn",
            Borough::Queens => "queens",
            Borough::Bronx => "bronx",
            Borough::StatenIsland => "staten_island",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Borough> {
        [Borough::Manhattan, Borough::Brooklyn, Borough::Queens, Borough::Bronx, Borough::StatenIsland]
            .into_iter()
            .find(|b| b.slug() == slug)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighborhood {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceConstraint {
    /// The borough named, or the borough of the neighborhood named.
    pub borough: Option<Borough>,
    pub neighborhood: Option<Neighborhood>,
    /// "near me": the search engine uses the caller's saved area.
    pub near_me: bool,
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// One day: "today", "tomorrow", "friday", "Dec 5".
    Day,
    /// "this weekend", "next weekend".
    Weekend,
    /// "this week", "next week".
    Week,
    /// "weekdays": the next five weekdays.
    Weekdays,
    /// Several of the above ("saturday or sunday").
    Several,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateConstraint {
    /// The acceptable dates, ascending, without duplicates (never empty).
    pub dates: Vec<Date>,
    pub kind: DateKind,
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    After,
    Before,
    At,
    Around,
    Between,
    PartOfDay,
}

/// A window of acceptable lesson START times, both ends inclusive, in New York wall-clock
/// time: "after 5pm" = 17:00–23:59, "before 10am" = 00:00–09:59, "at 3" = 15:00–15:00,
/// "around 4pm" = 15:00–17:00, "morning" = 06:00–11:59.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeConstraint {
    pub start: Time,
    pub end: Time,
    pub kind: TimeKind,
    pub matched: Vec<String>,
}
