//! Every booking on the platform, for support staff (`view_all_bookings`): filter by
//! party, status and lesson dates.

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState,
    booking::{
        BookingStatus, BookingView,
        queries::{self, AdminFilter},
    },
    clock::lesson_zone,
    http::{ApiError, ApiResult, Problem, ValidQuery},
    ids::{InstructorId, UserId},
    store::Cursor,
};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::views::limit;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookingsQuery {
    /// Only this instructor's lessons (id); listed in start order.
    pub instructor_id: Option<String>,
    /// Only this student's lessons (id); listed in start order.
    pub student_id: Option<String>,
    /// `confirmed`, `cancelled`, `completed` or `no_show`.
    pub status: Option<String>,
    /// Lessons on or after this New York date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Lessons on or before this New York date (YYYY-MM-DD).
    pub to: Option<String>,
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminBookingPage {
    pub items: Vec<BookingView>,
    /// Pass as `cursor` for the next page; absent on the last. Without a party filter the
    /// list is read in table order (each page sorted by start), and a page may be short.
    pub next_cursor: Option<String>,
}

fn parse_date(field: &str, text: &str) -> ApiResult<Date> {
    text.parse::<Date>().map_err(|_| ApiError::invalid(field, format!("{field} must be YYYY-MM-DD")))
}

/// Midnight at the start of a New York date (never in a DST gap: changes happen at 2 AM).
fn midnight(date: Date) -> ApiResult<Timestamp> {
    date.at(0, 0, 0, 0)
        .to_zoned_datetime(lesson_zone())
        .map(|z| z.timestamp())
        .map_err(|_| ApiError::invalid("to", "date out of range"))
}

fn party<T>(field: &str, value: Option<String>, parse: fn(&str) -> Option<T>) -> ApiResult<Option<T>> {
    value.map(|v| parse(&v).ok_or_else(|| ApiError::invalid(field, format!("{field} must be a user id")))).transpose()
}

/// Bookings across the platform, optionally one instructor's or one student's.
#[utoipa::path(get, path = "/api/v1/admin/bookings", tag = "admin", security(("bearer" = ["view_all_bookings"])),
    params(BookingsQuery),
    responses((status = 200, body = AdminBookingPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn all_bookings(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<BookingsQuery>,
) -> ApiResult<Json<AdminBookingPage>> {
    let limit = limit(query.limit, 20)?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            serde_json::from_value::<BookingStatus>(serde_json::Value::String(s.to_owned()))
                .map_err(|_| ApiError::invalid("status", "status must be confirmed, cancelled, completed or no_show"))
        })
        .transpose()?;
    let from = query.from.as_deref().map(|t| parse_date("from", t)).transpose()?;
    let to = query.to.as_deref().map(|t| parse_date("to", t)).transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(ApiError::invalid("to", "to must not be before from"));
    }
    let to_exclusive =
        to.map(|d| d.tomorrow().map_err(|_| ApiError::invalid("to", "date out of range"))).transpose()?;
    let filter = AdminFilter {
        instructor_id: party("instructor_id", query.instructor_id, InstructorId::parse)?,
        student_id: party("student_id", query.student_id, UserId::parse)?,
        status,
        from: from.map(midnight).transpose()?,
        to: to_exclusive.map(midnight).transpose()?,
    };
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let listing = queries::all(&state.store, &filter, cursor, limit).await?;
    Ok(Json(AdminBookingPage {
        items: listing.items.iter().map(BookingView::new).collect(),
        next_cursor: listing.next.map(|c| c.encode()),
    }))
}
