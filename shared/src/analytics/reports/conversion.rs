//! The conversion funnel: search → click → profile view → booking.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Inputs, Output, Pending, Tabular};
use crate::analytics::{
    read::{self, sum},
    sets::{DailySets, Set},
    stats::{average, rate},
    table::{Table, cell},
    window::Window,
};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Funnel {
    pub window: Window,
    pub searches: i64,
    /// Distinct searches with at least one result clicked.
    pub searches_with_click: usize,
    /// Distinct searches from which a profile was viewed.
    pub searches_with_profile_view: usize,
    /// Distinct searches from which a booking was made.
    pub searches_with_booking: usize,
    pub clicks: i64,
    pub profile_views: i64,
    pub book_interactions: i64,
    /// Every booking created in the window, from search or not.
    pub bookings_created: i64,
    pub click_rate: f64,
    /// searches_with_profile_view / searches.
    pub profile_view_rate: f64,
    /// searches_with_booking / searches.
    pub booking_rate: f64,
    /// searches_with_booking / searches_with_profile_view.
    pub view_to_booking_rate: f64,
    /// Mean result position of interactions that reported one.
    pub average_result_position: f64,
    /// Mean milliseconds from results to interaction, where reported.
    pub average_time_to_interaction_ms: f64,
}

pub async fn conversion(store: &Store, window: &Window) -> Result<Funnel, StoreError> {
    let (days, sets) = tokio::try_join!(read::days(store, window), DailySets::read(store, window.start, window.end))?;
    let total = |name: &str| sum(days.values(), name);
    let searches = total("searches");
    let clicked = sets.distinct(Set::SearchesClicked);
    let viewed = sets.distinct(Set::SearchesViewed);
    let booked = sets.distinct(Set::SearchesBooked);
    Ok(Funnel {
        window: *window,
        searches,
        searches_with_click: clicked,
        searches_with_profile_view: viewed,
        searches_with_booking: booked,
        clicks: total("clicks"),
        profile_views: total("profile_views"),
        book_interactions: total("book_interactions"),
        bookings_created: total("bookings_created"),
        click_rate: rate(clicked as i64, searches),
        profile_view_rate: rate(viewed as i64, searches),
        booking_rate: rate(booked as i64, searches),
        view_to_booking_rate: rate(booked as i64, viewed as i64),
        average_result_position: average(total("position_total"), total("positioned_interactions")),
        average_time_to_interaction_ms: average(total("time_to_interaction_total_ms"), total("timed_interactions")),
    })
}

impl Tabular for Funnel {
    fn table(&self) -> Table {
        let mut t = Table::new(&["stage", "searches", "rate"]);
        t.row(vec!["search".into(), cell(self.searches), cell(1.0)]);
        t.row(vec!["click".into(), cell(self.searches_with_click), cell(self.click_rate)]);
        t.row(vec!["profile_view".into(), cell(self.searches_with_profile_view), cell(self.profile_view_rate)]);
        t.row(vec!["booking".into(), cell(self.searches_with_booking), cell(self.booking_rate)]);
        t
    }
}

pub(super) fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move { Output::of(&conversion(inputs.store, &inputs.window).await?) })
}
