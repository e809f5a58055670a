//! Public availability: the bookable starts of an instructor, for anyone browsing.
//!
//! Computed from three reads made at once (profile, schedule, the instructor's confirmed
//! bookings in the range from GSI1) by the slot engine, which applies the time rules in
//! New York wall-clock time: past, minimum notice, horizon, blackouts, windows, DST, and
//! the bookings widened by the buffer. The same rules decide a booking request, so a start
//! offered here is accepted there unless someone books it first. Cacheable: a strong
//! `ETag` over the body (it changes with every booking), `Cache-Control: no-cache`.

use axum::{extract::State, http::HeaderMap, response::Response};
use instainstru_shared::{
    AppState,
    availability::{
        DateRange, DaySlots, Interval, LESSON_TIME_ZONE, LessonDuration, NextSlot, bookable_starts, local_date,
        next_available, stored,
    },
    booking::{
        queries::{blocking, confirmed_for_instructor},
        rules,
    },
    http::{ApiError, ApiResult, IdPath, ValidQuery, cache},
    ids::InstructorId,
    instructors::{self, InstructorProfile},
    refusal::Refusal,
};
use jiff::{SignedDuration, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::docs::{DaySlotsDoc, NextSlotDoc};

const DEFAULT_DURATION: u16 = 60;
/// How far ahead next-available looks before reading the whole horizon.
const NEAR_DAYS: i64 = 14;

fn days_after(date: Date, days: i64) -> ApiResult<Date> {
    date.checked_add(jiff::Span::new().days(days)).map_err(|_| ApiError::internal("date out of range"))
}

/// From a little before now to the end of `last` (with the margin `rules::around` adds).
fn busy_until(now: jiff::Timestamp, last: Date) -> ApiResult<Interval> {
    let from = now.checked_sub(SignedDuration::from_hours(6)).unwrap_or(now);
    rules::around(last)
        .and_then(|day| Interval::new(from, day.end()).ok())
        .ok_or_else(|| ApiError::internal("date out of range"))
}

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

/// A listed instructor's profile and schedule, and their busy time in `busy_range`.
async fn load(
    state: &AppState,
    id: &InstructorId,
    busy_range: Interval,
) -> ApiResult<(InstructorProfile, instainstru_shared::availability::Schedule, Vec<Interval>)> {
    let not_found = || ApiError::from(Refusal::instructor_not_found());
    let (profile, (schedule, _), bookings) = tokio::try_join!(
        instructors::get(&state.store, id),
        stored::load(&state.store, id),
        confirmed_for_instructor(&state.store, id, busy_range),
    )?;
    let profile = profile.map(|(p, _)| p).filter(InstructorProfile::is_listed).ok_or_else(not_found)?;
    let busy = blocking(&bookings, profile.settings.buffer_minutes());
    Ok((profile, schedule, busy))
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
    let busy_range = rules::around(first)
        .zip(rules::around(last))
        .and_then(|(a, b)| Interval::new(a.start(), b.end()).ok())
        .ok_or_else(|| ApiError::invalid("end", "dates out of range"))?;
    let (profile, schedule, busy) = load(&state, &id, busy_range).await?;
    let days = bookable_starts(&schedule, &profile.settings, &busy, range, duration, state.clock.now());
    let view = AvailabilityView {
        instructor_id: profile.id.into(),
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
    let today = local_date(now);
    // Most instructors have a free slot within days: read two weeks of bookings first, and
    // the rest of the horizon only when the answer lies beyond them.
    let near = days_after(today, NEAR_DAYS)?;
    let (profile, schedule, busy) = load(&state, &id, busy_until(now, near)?).await?;
    let mut next = next_available(&schedule, &profile.settings, &busy, duration, now);
    if next.is_none_or(|n| n.date > near) {
        let horizon = days_after(today, i64::from(profile.settings.horizon_days()))?;
        let bookings = confirmed_for_instructor(&state.store, &profile.id, busy_until(now, horizon)?).await?;
        let busy = blocking(&bookings, profile.settings.buffer_minutes());
        next = next_available(&schedule, &profile.settings, &busy, duration, now);
    }
    let view = NextAvailableView {
        instructor_id: profile.id.into(),
        duration_minutes: duration.minutes(),
        time_zone: LESSON_TIME_ZONE,
        next,
    };
    Ok(cache::cached_json(&headers, &view, cache::REVALIDATE))
}
