//! The caller's own summaries: instructor stats and incoming lessons by date range, the
//! student's book-again suggestions, and the signed-in home in one call.

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState, analytics,
    auth::Caller,
    availability::{DateRange, new_york},
    booking::{
        BookingStatus, BookingView,
        queries::{self, Side, When},
        summary::{self, BookAgain, InstructorStats},
    },
    history::{self, EntryView, Owner},
    http::{ApiError, ApiResult, Page, ValidQuery},
    rbac::Permission,
    rbac::Role,
};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::bookings::{BookingPage, PAGE, page};

type Problem = instainstru_shared::http::Problem;

/// The caller's teaching totals: bookings by status, upcoming lessons, late
/// cancellations, earnings from completed lessons (all time and this New York month),
/// completion and cancellation rates.
#[utoipa::path(get, path = "/api/v1/instructors/me/stats", tag = "bookings",
    security(("bearer" = ["view_own_instructor_analytics"])),
    responses((status = 200, body = InstructorStats)))]
pub async fn stats(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<InstructorStats>> {
    Ok(Json(summary::instructor_stats(&state.store, &caller.user_id.as_instructor(), state.clock.now()).await?))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusParam {
    Confirmed,
    Cancelled,
    Completed,
    NoShow,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncomingQuery {
    /// First New York date, `YYYY-MM-DD`.
    pub start: String,
    /// Last date (inclusive), at most 90 days after `start`.
    pub end: String,
    /// Only bookings with this status.
    pub status: Option<StatusParam>,
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u32>,
}

fn midnight(date: Date) -> Option<Timestamp> {
    new_york().to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight())).compatible().ok()
}

/// The caller's lessons starting on the New York dates `start`..=`end`, soonest first, any
/// status unless one is asked for.
#[utoipa::path(get, path = "/api/v1/instructors/me/bookings", tag = "bookings",
    security(("bearer" = ["view_incoming_bookings"])), params(IncomingQuery),
    responses((status = 200, body = BookingPage), (status = 400, body = Problem)))]
pub async fn incoming(
    State(state): State<AppState>,
    caller: Caller,
    ValidQuery(query): ValidQuery<IncomingQuery>,
) -> ApiResult<Json<BookingPage>> {
    let parse = |field: &str, text: &str| -> ApiResult<Date> {
        text.parse().map_err(|_| ApiError::invalid(field, format!("{field} must be YYYY-MM-DD")))
    };
    let range = DateRange::new(parse("start", &query.start)?, parse("end", &query.end)?)
        .map_err(|e| ApiError::invalid("end", e.to_string()))?;
    let bounds = midnight(range.first()).zip(range.last().tomorrow().ok().and_then(midnight));
    let (from, to) = bounds.ok_or_else(|| ApiError::invalid("end", "dates out of range"))?;
    let status = query.status.map(|s| match s {
        StatusParam::Confirmed => BookingStatus::Confirmed,
        StatusParam::Cancelled => BookingStatus::Cancelled,
        StatusParam::Completed => BookingStatus::Completed,
        StatusParam::NoShow => BookingStatus::NoShow,
    });
    let page_params = Page::parse(query.limit.map(i64::from), query.cursor.as_deref(), PAGE)?;
    let listing = queries::incoming(
        &state.store,
        &caller.user_id.as_instructor(),
        from,
        to,
        status,
        page_params.cursor,
        page_params.limit,
    )
    .await?;
    Ok(Json(page(listing)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookAgainList {
    pub items: Vec<BookAgain>,
}

/// The caller's recent instructor + service pairs (up to 5, newest first), each with
/// whether it can be booked today and at what rate.
#[utoipa::path(get, path = "/api/v1/me/book-again", tag = "bookings", security(("bearer" = ["view_own_bookings"])),
    responses((status = 200, body = BookAgainList)))]
pub async fn book_again(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BookAgainList>> {
    let items = summary::book_again(&state.store, &caller.user_id, state.clock.now()).await?;
    Ok(Json(BookAgainList { items }))
}

/// How many upcoming lessons the home shows.
const HOME_UPCOMING: u32 = 5;

#[derive(Debug, Serialize, ToSchema)]
pub struct Home {
    /// The caller's next lessons as a student (up to 5, soonest first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upcoming_lessons: Option<Vec<BookingView>>,
    /// The caller's next lessons to teach, for instructors (up to 5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teaching: Option<Vec<BookingView>>,
    /// For students: recent instructor + service pairs to book again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub book_again: Option<Vec<BookAgain>>,
    /// The caller's recent searches (newest first, up to 3), when they may see their
    /// search history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recent_searches: Option<Vec<EntryView>>,
}

/// The signed-in home in one call: upcoming lessons and book-again suggestions for
/// students, the next lessons to teach for instructors, and recent searches.
#[utoipa::path(get, path = "/api/v1/me/home", tag = "bookings", security(("bearer" = ["view_own_bookings"])),
    responses((status = 200, body = Home)))]
pub async fn home(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Home>> {
    let now = state.clock.now();
    let store = &state.store;
    let user_id = &caller.user_id;
    let upcoming = |side| async move {
        let listing = queries::list(store, user_id, side, When::Upcoming, now, None, HOME_UPCOMING).await?;
        Ok::<_, instainstru_shared::store::StoreError>(listing.items.iter().map(BookingView::new).collect::<Vec<_>>())
    };
    let student = caller.is(Role::Student);
    let instructor = caller.is(Role::Instructor);
    let history = caller.can(Permission::ViewOwnSearchHistory);
    let (upcoming_lessons, teaching, book_again, recent) = tokio::try_join!(
        async { if student { upcoming(Side::Student).await.map(Some) } else { Ok(None) } },
        async { if instructor { upcoming(Side::Instructor).await.map(Some) } else { Ok(None) } },
        async { if student { summary::book_again(store, user_id, now).await.map(Some) } else { Ok(None) } },
        async {
            if history {
                let owner = Owner::User(user_id.to_string());
                history::recent(store, &owner, history::DEFAULT_RECENT, now).await.map(Some)
            } else {
                Ok(None)
            }
        },
    )?;
    let recent_searches = recent.map(|entries| entries.iter().map(EntryView::from).collect());
    Ok(Json(Home { upcoming_lessons, teaching, book_again, recent_searches }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnalyticsQuery {
    /// The last N days including today (New York), 1–365; default 30. Not with start/end.
    pub days: Option<i64>,
    /// First day, `YYYY-MM-DD` (with `end`).
    pub start: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (with `start`); at most 365 days after `start`.
    pub end: Option<String>,
}

/// The caller's search analytics per day: how often they appeared in search results, how
/// often their result was clicked and their profile opened from search, their bookings
/// and completed lessons; with totals for the window.
#[utoipa::path(get, path = "/api/v1/instructors/me/analytics", tag = "bookings",
    security(("bearer" = ["view_own_instructor_analytics"])), params(AnalyticsQuery),
    responses((status = 200, body = analytics::instructor::InstructorAnalytics), (status = 400, body = Problem)))]
pub async fn analytics(
    State(state): State<AppState>,
    caller: Caller,
    ValidQuery(query): ValidQuery<AnalyticsQuery>,
) -> ApiResult<Json<analytics::instructor::InstructorAnalytics>> {
    let params = analytics::WindowParams { days: query.days, start: query.start, end: query.end };
    let window = analytics::Window::parse(&params, analytics::apply::day_of(state.clock.now()))
        .map_err(|e| ApiError::invalid(e.field, e.message))?;
    Ok(Json(analytics::instructor::for_instructor(&state.store, &caller.user_id.as_instructor(), &window).await?))
}
