//! An instructor's own analytics (PRODUCT.md §7): per day, how often they appeared in
//! search results, how often their profile was opened and their result clicked from
//! search, and their bookings. One Query over their own day counters.

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::{counters::CounterItem, read, window::Window};
use crate::{
    ids::InstructorId,
    store::{Store, StoreError},
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct InstructorFigures {
    /// Searches whose results showed the instructor.
    pub search_appearances: i64,
    /// Profiles opened from search results.
    pub profile_views: i64,
    /// Results clicked.
    pub clicks: i64,
    /// Bookings made with the instructor.
    pub bookings: i64,
    pub completed_lessons: i64,
}

impl InstructorFigures {
    fn of(item: &CounterItem) -> Self {
        Self {
            search_appearances: item.counter("search_appearances"),
            profile_views: item.counter("profile_views"),
            clicks: item.counter("clicks"),
            bookings: item.counter("bookings_created"),
            completed_lessons: item.counter("bookings_completed"),
        }
    }

    fn add(&mut self, other: &Self) {
        self.search_appearances += other.search_appearances;
        self.profile_views += other.profile_views;
        self.clicks += other.clicks;
        self.bookings += other.bookings;
        self.completed_lessons += other.completed_lessons;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InstructorDay {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[serde(flatten)]
    pub figures: InstructorFigures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InstructorAnalytics {
    pub window: Window,
    /// Every day of the window, oldest first.
    pub days: Vec<InstructorDay>,
    pub totals: InstructorFigures,
}

pub async fn for_instructor(
    store: &Store,
    instructor_id: &InstructorId,
    window: &Window,
) -> Result<InstructorAnalytics, StoreError> {
    let items = read::instructor_days(store, instructor_id.as_str(), window).await?;
    let mut totals = InstructorFigures::default();
    let days = window
        .dates()
        .into_iter()
        .map(|date| {
            let figures = items.get(&date).map(InstructorFigures::of).unwrap_or_default();
            totals.add(&figures);
            InstructorDay { date, figures }
        })
        .collect();
    Ok(InstructorAnalytics { window: *window, days, totals })
}
