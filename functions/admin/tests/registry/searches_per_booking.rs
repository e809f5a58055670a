//! A report that exists only in this test, to show what a new report costs: this file and
//! one row in the registry.

use instainstru_shared::analytics::{
    read::{self, sum},
    reports::{Inputs, Output, Pending, Tabular},
    table::{Table, cell},
    window::Window,
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchesPerBooking {
    pub window: Window,
    pub searches: i64,
    pub bookings_created: i64,
}

impl Tabular for SearchesPerBooking {
    fn table(&self) -> Table {
        let mut t = Table::new(&["searches", "bookings_created"]);
        t.row(vec![cell(self.searches), cell(self.bookings_created)]);
        t
    }
}

pub fn compute(inputs: Inputs<'_>) -> Pending<'_> {
    Box::pin(async move {
        let days = read::days(inputs.store, &inputs.window).await?;
        let (searches, bookings_created) = (sum(days.values(), "searches"), sum(days.values(), "bookings_created"));
        Output::of(&SearchesPerBooking { window: inputs.window, searches, bookings_created })
    })
}
