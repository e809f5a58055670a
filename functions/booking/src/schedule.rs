//! The instructor's own availability: read it, replace it, or change one part of it.
//!
//! The schedule is one versioned item; its `ETag` is `"v<version>"`. Every write needs
//! `If-Match` (428 without it): the current ETag (412 if stale), or `*` to apply the
//! change to whatever is current. Either way the write is conditional on the version it
//! read, so no concurrent change is ever silently lost.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use instainstru_shared::{
    AppState,
    auth::Caller,
    availability::{
        BookingSettings, DateRange, DayWindows, EffectiveDay, LESSON_TIME_ZONE, Schedule, WeeklyTemplate,
        edits::{self, Edit},
        effective_week, local_date,
        stored::{self, UpdateError},
    },
    http::{ApiError, ApiResult, IfMatch, ValidJson, ValidQuery, cache, precondition},
    instructors::{self, InstructorProfile},
    refusal::Refusal,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::docs::{ScheduleDoc, WeeklyTemplateDoc, WindowDoc};

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    pub instructor_id: String,
    /// Also the `ETag`: `"v<version>"`.
    pub version: u64,
    pub time_zone: &'static str,
    #[schema(value_type = ScheduleDoc)]
    pub schedule: Schedule,
    pub booking_settings: BookingSettings,
}

fn respond(status: StatusCode, body: &impl Serialize, version: u64) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    precondition::set_etag(&mut response, version);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache::REVALIDATE));
    response
}

fn view(profile: &InstructorProfile, schedule: Schedule, version: u64) -> ScheduleView {
    ScheduleView {
        instructor_id: String::from(&profile.id),
        version,
        time_zone: LESSON_TIME_ZONE,
        schedule,
        booking_settings: profile.settings,
    }
}

/// The caller's instructor profile (managing availability needs one).
async fn own_profile(state: &AppState, caller: &Caller) -> ApiResult<InstructorProfile> {
    instructors::get(&state.store, &caller.user_id.as_instructor())
        .await?
        .map(|(profile, _)| profile)
        .ok_or_else(|| ApiError::not_found("instructor_profile_not_found", "you have no instructor profile"))
}

async fn write(state: &AppState, caller: &Caller, headers: &HeaderMap, edit: Edit) -> ApiResult<Response> {
    let precondition = IfMatch::from_headers(headers).required("the schedule's ETag")?;
    let profile = own_profile(state, caller).await?;
    let today = local_date(state.clock.now());
    let result = stored::update(&state.store, &caller.user_id.as_instructor(), precondition, |current| {
        edits::apply(current, edit.clone(), today)
    })
    .await;
    match result {
        Ok((schedule, version)) => Ok(respond(StatusCode::OK, &view(&profile, schedule, version), version)),
        Err(UpdateError::Stale { current }) => {
            Err(precondition::stale_at("the schedule changed since you read it; GET it again and retry", current))
        }
        Err(UpdateError::Rejected(e)) => Err(Refusal::from(e).into()),
        Err(UpdateError::Store(e)) => Err(e.into()),
    }
}

fn date_param(text: &str) -> ApiResult<Date> {
    text.parse().map_err(|_| ApiError::invalid("date", "date must be YYYY-MM-DD"))
}

/// The caller's whole schedule: weekly template, date overrides and blackouts.
#[utoipa::path(get, path = "/api/v1/instructors/me/availability", tag = "availability",
    security(("bearer" = ["manage_availability"])),
    responses((status = 200, body = ScheduleView, headers(("ETag" = String))), (status = 304, description = "Not modified"),
        (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn get_schedule(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> ApiResult<Response> {
    let profile = own_profile(&state, &caller).await?;
    let (schedule, version) = stored::load(&state.store, &caller.user_id.as_instructor()).await?;
    if let Some(response) = precondition::not_modified(&headers, version) {
        return Ok(response);
    }
    Ok(respond(StatusCode::OK, &view(&profile, schedule, version), version))
}

/// Replaces the whole schedule. Needs `If-Match`. Overrides and blackouts before today are
/// dropped (they are history).
#[utoipa::path(put, path = "/api/v1/instructors/me/availability", tag = "availability",
    security(("bearer" = ["manage_availability"])), request_body = ScheduleDoc,
    params(("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 422, body = instainstru_shared::http::Problem), (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn put_schedule(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ValidJson(schedule): ValidJson<Schedule>,
) -> ApiResult<Response> {
    write(&state, &caller, &headers, Edit::Replace(schedule)).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// The Monday the week starts on, `YYYY-MM-DD`.
    pub monday: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekView {
    pub version: u64,
    pub time_zone: &'static str,
    /// Monday to Sunday, each with the windows in effect and where they come from.
    #[schema(value_type = Vec<Object>)]
    pub days: Vec<EffectiveDay>,
}

/// One week as it will be offered: each date's windows and whether they come from the
/// template, an override or a blackout.
#[utoipa::path(get, path = "/api/v1/instructors/me/availability/week", tag = "availability",
    security(("bearer" = ["manage_availability"])), params(WeekQuery),
    responses((status = 200, body = WeekView), (status = 400, body = instainstru_shared::http::Problem),
        (status = 422, body = instainstru_shared::http::Problem)))]
pub async fn get_week(
    State(state): State<AppState>,
    caller: Caller,
    ValidQuery(query): ValidQuery<WeekQuery>,
) -> ApiResult<Response> {
    let monday: Date = query.monday.parse().map_err(|_| ApiError::invalid("monday", "monday must be YYYY-MM-DD"))?;
    own_profile(&state, &caller).await?;
    let (schedule, version) = stored::load(&state.store, &caller.user_id.as_instructor()).await?;
    let days = effective_week(&schedule, monday)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string()).with_field("monday"))?;
    Ok(respond(StatusCode::OK, &WeekView { version, time_zone: LESSON_TIME_ZONE, days: days.to_vec() }, version))
}

/// Replaces the weekly template. Needs `If-Match`.
#[utoipa::path(put, path = "/api/v1/instructors/me/availability/template", tag = "availability",
    security(("bearer" = ["manage_availability"])), request_body = WeeklyTemplateDoc,
    params(("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn put_template(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ValidJson(template): ValidJson<WeeklyTemplate>,
) -> ApiResult<Response> {
    write(&state, &caller, &headers, Edit::Template(template)).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideBody {
    /// The date's windows; an empty list clears the date.
    #[schema(value_type = Vec<WindowDoc>)]
    pub windows: DayWindows,
}

/// Replaces one date's windows (an empty list clears the date). Needs `If-Match`.
#[utoipa::path(put, path = "/api/v1/instructors/me/availability/overrides/{date}", tag = "availability",
    security(("bearer" = ["manage_availability"])), request_body = OverrideBody,
    params(("date" = String, Path, description = "YYYY-MM-DD"), ("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 422, body = instainstru_shared::http::Problem), (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn put_override(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(date): Path<String>,
    ValidJson(body): ValidJson<OverrideBody>,
) -> ApiResult<Response> {
    let date = date_param(&date)?;
    write(&state, &caller, &headers, Edit::SetOverride(date, body.windows)).await
}

/// Removes a date's override: the template applies to it again. Needs `If-Match`.
#[utoipa::path(delete, path = "/api/v1/instructors/me/availability/overrides/{date}", tag = "availability",
    security(("bearer" = ["manage_availability"])),
    params(("date" = String, Path, description = "YYYY-MM-DD"), ("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn delete_override(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(date): Path<String>,
) -> ApiResult<Response> {
    let date = date_param(&date)?;
    write(&state, &caller, &headers, Edit::RemoveOverride(date)).await
}

/// Blacks a date out: nothing is bookable on it, whatever the template or overrides say.
/// Needs `If-Match`.
#[utoipa::path(put, path = "/api/v1/instructors/me/availability/blackouts/{date}", tag = "availability",
    security(("bearer" = ["manage_availability"])),
    params(("date" = String, Path, description = "YYYY-MM-DD"), ("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 422, body = instainstru_shared::http::Problem), (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn put_blackout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(date): Path<String>,
) -> ApiResult<Response> {
    let date = date_param(&date)?;
    write(&state, &caller, &headers, Edit::AddBlackout(date)).await
}

/// Lifts a blackout. Needs `If-Match`.
#[utoipa::path(delete, path = "/api/v1/instructors/me/availability/blackouts/{date}", tag = "availability",
    security(("bearer" = ["manage_availability"])),
    params(("date" = String, Path, description = "YYYY-MM-DD"), ("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn delete_blackout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(date): Path<String>,
) -> ApiResult<Response> {
    let date = date_param(&date)?;
    write(&state, &caller, &headers, Edit::RemoveBlackout(date)).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyWeekBody {
    /// Monday of the week to copy, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    pub from_week: Date,
    /// Monday of the week to overwrite.
    #[schema(value_type = String, format = Date)]
    pub to_week: Date,
}

/// Makes a week look like another week does now (its effective windows become date
/// overrides; blackouts are not copied). Needs `If-Match`.
#[utoipa::path(post, path = "/api/v1/instructors/me/availability/copy-week", tag = "availability",
    security(("bearer" = ["manage_availability"])), request_body = CopyWeekBody,
    params(("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 412, body = instainstru_shared::http::Problem),
        (status = 422, body = instainstru_shared::http::Problem), (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn copy_week(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ValidJson(body): ValidJson<CopyWeekBody>,
) -> ApiResult<Response> {
    write(&state, &caller, &headers, Edit::CopyWeek { from: body.from_week, to: body.to_week }).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyTemplateBody {
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    /// Inclusive; at most 90 days after `start`.
    #[schema(value_type = String, format = Date)]
    pub end: Date,
    /// Repeat this week (its Monday) instead of the weekly template.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub from_week: Option<Date>,
}

/// Pins the weekly template's windows on every date of a range (so later template edits no
/// longer change those dates), or with `from_week` repeats that week's windows over the
/// range. Needs `If-Match`.
#[utoipa::path(post, path = "/api/v1/instructors/me/availability/apply-template", tag = "availability",
    security(("bearer" = ["manage_availability"])), request_body = ApplyTemplateBody,
    params(("If-Match" = String, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = ScheduleView), (status = 400, body = instainstru_shared::http::Problem),
        (status = 412, body = instainstru_shared::http::Problem), (status = 422, body = instainstru_shared::http::Problem),
        (status = 428, body = instainstru_shared::http::Problem)))]
pub async fn apply_template(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ValidJson(body): ValidJson<ApplyTemplateBody>,
) -> ApiResult<Response> {
    let range = DateRange::new(body.start, body.end)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string()).with_field("end"))?;
    write(&state, &caller, &headers, Edit::ApplyTemplate { range, from_week: body.from_week }).await
}
