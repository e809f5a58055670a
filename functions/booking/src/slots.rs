//! Public availability: the bookable starts of an instructor, for anyone browsing.
//!
//! Served from the warm directory (`AppState::directory`): the instructor's profile,
//! schedule and upcoming confirmed bookings are already in memory, so a warm request makes
//! no store call. The slot engine applies the time rules in New York wall-clock time: past,
//! minimum notice, horizon, blackouts, windows, DST, and the bookings widened by the buffer.
//! The same rules decide a booking request, so a start offered here is accepted there
//! unless someone books it first — and booking create stays the source of truth: its
//! conditional transaction refuses a slot that this answer still showed.
//!
//! Freshness bound: a change (a booking, a cancel, a new schedule) shows here at most
//! `Config::index_refresh` after it committed (5 s on Lambda, 2 s on the local platform),
//! the interval at which the directory reads the change feed. That holds for changes made
//! through this instance too, since the directory learns of every change from the feed.
//! Cacheable: a strong `ETag` over the body (it changes with every booking),
//! `Cache-Control: no-cache`.

use axum::{extract::State, http::HeaderMap, response::Response};
use instainstru_shared::{
    AppState,
    availability::{
        DateRange, DaySlots, LESSON_TIME_ZONE, LessonDuration, NextSlot, Schedule, bookable_starts, next_available,
    },
    directory::Directory,
    http::{ApiError, ApiResult, IdPath, ValidQuery, cache},
    ids::InstructorId,
    instructors::InstructorProfile,
    refusal::Refusal,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::docs::{DaySlotsDoc, NextSlotDoc};

const DEFAULT_DURATION: u16 = 60;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First date, `YYYY-MM-DD` (New York).
    pub start: Option<String>,
    /// Last date (inclusive), at most 90 days after `start`.
    pub end: Option<String>,
    /// Lesson length in minutes (15–240, a multiple of 15); default 60.
    pub duration: Option<u16>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DurationQuery {
    /// Lesson length in minutes (15–240, a multiple of 15); default 60.
    pub duration: Option<u16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AvailabilityView {
    pub instructor_id: String,
    pub duration_minutes: u16,
    pub time_zone: &'static str,
    /// Every date of the range, in order, with its bookable starts.
    #[schema(value_type = Vec<DaySlotsDoc>)]
    pub days: Vec<DaySlots>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NextAvailableView {
    pub instructor_id: String,
    pub duration_minutes: u16,
    pub time_zone: &'static str,
    /// `null` when nothing is bookable within the instructor's horizon.
    #[schema(value_type = Option<NextSlotDoc>)]
    pub next: Option<NextSlot>,
}

fn duration(minutes: Option<u16>) -> ApiResult<LessonDuration> {
    LessonDuration::from_minutes(minutes.unwrap_or(DEFAULT_DURATION))
        .map_err(|e| ApiError::invalid("duration", e.to_string()))
}

fn date(field: &str, text: Option<&str>) -> ApiResult<Date> {
    let text = text.ok_or_else(|| ApiError::invalid(field, format!("{field} is required (YYYY-MM-DD)")))?;
    text.parse().map_err(|_| ApiError::invalid(field, format!("{field} must be YYYY-MM-DD")))
}

/// A listed instructor's profile and schedule from the directory (an instructor without a
/// stored schedule has the empty one, as `availability::stored::load` gives).
fn listed<'a>(dir: &'a Directory, id: &InstructorId) -> ApiResult<(&'a InstructorProfile, &'a Schedule)> {
    static EMPTY: std::sync::LazyLock<Schedule> = std::sync::LazyLock::new(Schedule::default);
    let profile = dir.instructor(id).filter(|p| p.is_listed()).ok_or_else(Refusal::instructor_not_found)?;
    Ok((profile, dir.schedule(id).unwrap_or(&EMPTY)))
}

/// Bookable start times per date for a lesson of `duration` minutes, at 15-minute steps,
/// after removing past times, the minimum notice, the horizon, blackouts, and existing
/// bookings widened by the instructor's buffer.
#[utoipa::path(get, path = "/api/v1/instructors/{id}/availability", tag = "availability", security(()),
    params(("id" = String, Path, description = "Instructor id"), RangeQuery),
    responses((status = 200, body = AvailabilityView, headers(("ETag" = String))), (status = 304, description = "Not modified"),
        (status = 400, body = instainstru_shared::http::Problem), (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn availability(
    State(state): State<AppState>,
    headers: HeaderMap,
    IdPath(id): IdPath<InstructorId>,
    ValidQuery(query): ValidQuery<RangeQuery>,
) -> ApiResult<Response> {
    let first = date("start", query.start.as_deref())?;
    let last = date("end", query.end.as_deref())?;
    let range = DateRange::new(first, last).map_err(|e| ApiError::invalid("end", e.to_string()))?;
    let duration = duration(query.duration)?;
    let now = state.clock.now();
    let dir = state.directory.get(&state.store, now).await?;
    let (profile, schedule) = listed(&dir, &id)?;
    let days = bookable_starts(schedule, &profile.settings, dir.busy(&id), range, duration, now);
    let view = AvailabilityView {
        instructor_id: String::from(&profile.id),
        duration_minutes: duration.minutes(),
        time_zone: LESSON_TIME_ZONE,
        days,
    };
    Ok(cache::cached_json(&headers, &view, cache::REVALIDATE))
}

/// The first bookable start from now on, within the instructor's horizon.
#[utoipa::path(get, path = "/api/v1/instructors/{id}/next-available", tag = "availability", security(()),
    params(("id" = String, Path, description = "Instructor id"), DurationQuery),
    responses((status = 200, body = NextAvailableView), (status = 304, description = "Not modified"),
        (status = 400, body = instainstru_shared::http::Problem), (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn next(
    State(state): State<AppState>,
    headers: HeaderMap,
    IdPath(id): IdPath<InstructorId>,
    ValidQuery(query): ValidQuery<DurationQuery>,
) -> ApiResult<Response> {
    let duration = duration(query.duration)?;
    let now = state.clock.now();
    let dir = state.directory.get(&state.store, now).await?;
    let (profile, schedule) = listed(&dir, &id)?;
    // The directory holds every upcoming booking, so one pass covers the whole horizon.
    let next = next_available(schedule, &profile.settings, dir.busy(&id), duration, now);
    let view = NextAvailableView {
        instructor_id: String::from(&profile.id),
        duration_minutes: duration.minutes(),
        time_zone: LESSON_TIME_ZONE,
        next,
    };
    Ok(cache::cached_json(&headers, &view, cache::REVALIDATE))
}
