//! Booking routes: create, read, list, cancel, reschedule, complete, no-show, edit. Each
//! parses its input into typed values, calls the booking domain, and maps refusals to
//! problem+json (`instainstru_shared::http::domain`).

use axum::{
    Extension, Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use instainstru_shared::{
    AppState,
    auth::Caller,
    booking::{
        BookingView,
        access::Action,
        create,
        lifecycle::{self, Outcome},
        queries::{self, Side, When},
        request::{CancelRequest, CreateBookingRequest, EditBookingRequest, RescheduleRequest, start_time_field},
        reschedule,
    },
    http::{self, ApiError, ApiResult, Bounds, IdPath, IdempotencyKeyHeader, Page, ValidJson, ValidQuery},
    ids::BookingId,
    rbac::{Permission, Role},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Options;

type Problem = instainstru_shared::http::Problem;

fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Books a lesson, instantly confirmed. With an `Idempotency-Key`, a retry returns the
/// first result and the same key with a different request is refused (422). Rules and
/// their codes, in checking order: see the booking domain's `rules.rs` (student caller,
/// offering, instructor status, duration, time rules, location type, then conflicts,
/// enforced atomically). 409 conflicts name the party in the way (`conflict_with`:
/// `instructor` or `you`), never another student.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "bookings", security(("bearer" = ["create_bookings"])),
    request_body = CreateBookingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (1-255 printable ASCII)")),
    responses((status = 201, body = BookingView, headers(("Location" = String))),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(options): Extension<Options>,
    caller: Caller,
    IdempotencyKeyHeader(key): IdempotencyKeyHeader,
    ValidJson(body): ValidJson<CreateBookingRequest>,
) -> ApiResult<Response> {
    if let Some(limit) = options.booking_create_limit {
        http::limit::enforce(&state.store, state.clock.now(), limit, caller.user_id.as_str()).await?;
    }
    let request = body.validate().map_err(ApiError::from)?;
    let directory = state.directory.get(&state.store, state.clock.now()).await?;
    let created =
        create::create(&state.env(), &directory.catalog, &caller, request, key).await.map_err(ApiError::from)?;
    let mut response = json(StatusCode::CREATED, created.body);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/bookings/{}", created.booking_id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if created.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// One booking: for its student, its instructor, and holders of `view_all_bookings`;
/// 404 for anyone else.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "bookings", security(("bearer" = ["view_own_bookings"])),
    params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<BookingId>,
) -> ApiResult<Json<BookingView>> {
    let (booking, _, _) =
        lifecycle::load_for(&state.store, &id, &caller, Action::View).await.map_err(ApiError::from)?;
    Ok(Json(BookingView::new(&booking)))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleParam {
    Student,
    Instructor,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhenParam {
    Upcoming,
    Past,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Bookings I made (`student`) or lessons I teach (`instructor`); default: student for
    /// students, instructor otherwise.
    pub role: Option<RoleParam>,
    /// `upcoming` (confirmed, not over; soonest first; the default) or `past` (everything
    /// else; latest first).
    pub when: Option<WhenParam>,
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingPage {
    pub items: Vec<BookingView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Every booking list's page sizes.
pub const PAGE: Bounds = Bounds { default: 20, max: queries::MAX_PAGE };

pub fn page(listing: queries::Listing) -> BookingPage {
    BookingPage {
        items: listing.items.iter().map(BookingView::new).collect(),
        next_cursor: listing.next.map(|c| c.encode()),
    }
}

/// My lessons, upcoming or past, paginated, with instructor and service details.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "bookings", security(("bearer" = ["view_own_bookings"])),
    params(ListQuery), responses((status = 200, body = BookingPage), (status = 400, body = Problem),
        (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ValidQuery(query): ValidQuery<ListQuery>,
) -> ApiResult<Json<BookingPage>> {
    let side = match query.role {
        Some(RoleParam::Student) => Side::Student,
        Some(RoleParam::Instructor) => Side::Instructor,
        None if caller.is(Role::Student) => Side::Student,
        None => Side::Instructor,
    };
    if side == Side::Instructor && !caller.can(Permission::ViewIncomingBookings) {
        return Err(ApiError::forbidden("permission_denied", "listing taught lessons needs view_incoming_bookings")
            .with_field("role"));
    }
    let when = match query.when {
        Some(WhenParam::Past) => When::Past,
        _ => When::Upcoming,
    };
    let Page { limit, cursor } = Page::parse(query.limit.map(i64::from), query.cursor.as_deref(), PAGE)?;
    let listing = queries::list(&state.store, &caller.user_id, side, when, state.clock.now(), cursor, limit).await?;
    Ok(Json(page(listing)))
}

/// Cancels a confirmed lesson that has not started: its student (`cancel_own_bookings`),
/// its instructor (`cancel_student_bookings`) or an admin (`manage_all_bookings`). At least
/// 24 hours before the start it is free; later it is marked late. The time is bookable
/// again at once.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "bookings",
    security(("bearer" = ["view_own_bookings"])), request_body = CancelRequest,
    params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<BookingId>,
    ValidJson(body): ValidJson<CancelRequest>,
) -> ApiResult<Json<BookingView>> {
    let reason = body.validate().map_err(ApiError::from)?;
    let booking = lifecycle::cancel(&state.env(), &caller, &id, reason).await.map_err(ApiError::from)?;
    Ok(Json(BookingView::new(&booking)))
}

/// Moves the caller's confirmed lesson to a new New York date and start (same duration),
/// with the same checks as a new booking, atomically.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/reschedule", tag = "bookings",
    security(("bearer" = ["create_bookings"])), request_body = RescheduleRequest,
    params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<BookingId>,
    ValidJson(body): ValidJson<RescheduleRequest>,
) -> ApiResult<Json<BookingView>> {
    let start_time = start_time_field(&body.start_time).map_err(ApiError::from)?;
    let booking =
        reschedule::reschedule(&state.env(), &caller, &id, body.date, start_time).await.map_err(ApiError::from)?;
    Ok(Json(BookingView::new(&booking)))
}

/// The booking's instructor marks a lesson that has started as completed.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/complete", tag = "bookings",
    security(("bearer" = ["complete_bookings"])), params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<BookingId>,
) -> ApiResult<Json<BookingView>> {
    let booking = lifecycle::close(&state.env(), &caller, &id, Outcome::Completed).await.map_err(ApiError::from)?;
    Ok(Json(BookingView::new(&booking)))
}

/// The booking's instructor marks a lesson that has started as a no-show.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/no-show", tag = "bookings",
    security(("bearer" = ["complete_bookings"])), params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn no_show(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<BookingId>,
) -> ApiResult<Json<BookingView>> {
    let booking = lifecycle::close(&state.env(), &caller, &id, Outcome::NoShow).await.map_err(ApiError::from)?;
    Ok(Json(BookingView::new(&booking)))
}

/// The booking's instructor edits their own note and the meeting location (students
/// cannot). A field left out is unchanged; `null` clears it.
#[utoipa::path(patch, path = "/api/v1/bookings/{id}", tag = "bookings",
    security(("bearer" = ["complete_bookings"])), request_body = EditBookingRequest,
    params(("id" = String, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<BookingId>,
    ValidJson(body): ValidJson<EditBookingRequest>,
) -> ApiResult<Json<BookingView>> {
    let edit = body.validate().map_err(ApiError::from)?;
    let booking = lifecycle::edit(&state.env(), &caller, &id, edit).await.map_err(ApiError::from)?;
    Ok(Json(BookingView::new(&booking)))
}
