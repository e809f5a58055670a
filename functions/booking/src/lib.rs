//! Lambda `booking`: availability, bookings and lessons; and Lambda `booking-outbox`, which
//! republishes booking events a request could not publish (see `outbox.rs`).

mod bookings;
mod docs;
mod me;
mod notify;
mod outbox;
mod schedule;
mod slots;

use axum::{Extension, Router};
use instainstru_shared::{AppState, http, ratelimit};
use utoipa_axum::routes;

pub use notify::notify_batch;
pub use outbox::sweep_outbox;

/// How the router is configured beyond its state.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Per-user limit on booking creation (PRODUCT.md §1: 20 a minute). Tests of the
    /// lock-cell invariant lift it so that every concurrent request reaches the claim.
    pub booking_create_limit: Option<ratelimit::Limit>,
}

impl Default for Options {
    fn default() -> Self {
        Self { booking_create_limit: Some(ratelimit::BOOKING_CREATE) }
    }
}

/// This function's routes with their OpenAPI annotations (and permission declarations).
pub fn api() -> http::Routes {
    http::routes()
        .routes(routes!(slots::availability))
        .routes(routes!(slots::next))
        .routes(routes!(schedule::get_schedule, schedule::put_schedule))
        .routes(routes!(schedule::get_week))
        .routes(routes!(schedule::put_template))
        .routes(routes!(schedule::put_override, schedule::delete_override))
        .routes(routes!(schedule::put_blackout, schedule::delete_blackout))
        .routes(routes!(schedule::copy_week))
        .routes(routes!(schedule::apply_template))
        .routes(routes!(bookings::create, bookings::list))
        .routes(routes!(bookings::get, bookings::edit))
        .routes(routes!(bookings::cancel))
        .routes(routes!(bookings::reschedule))
        .routes(routes!(bookings::complete))
        .routes(routes!(bookings::no_show))
        .routes(routes!(me::stats))
        .routes(routes!(me::analytics))
        .routes(routes!(me::incoming))
        .routes(routes!(me::book_again))
        .routes(routes!(me::home))
}

pub fn router(state: AppState) -> Router {
    router_with(state, Options::default())
}

pub fn router_with(state: AppState, options: Options) -> Router {
    http::build(api(), state.for_function(instainstru_shared::function::Function::Booking)).layer(Extension(options))
}
