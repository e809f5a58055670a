//! The admin analytics API (PRODUCT.md §7): one route per view of the figures, one per
//! export. The report is a path segment (`trends`, `popular-queries`, …) so that every
//! report shares the window parameters, the permission and the CSV writer; the figures
//! themselves are computed in `instainstru_shared::analytics::reports`.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use instainstru_shared::{
    AppState,
    analytics::{
        Window, WindowParams,
        apply::day_of,
        reports::{self, DEFAULT_LIMIT, MAX_LIMIT},
        table::Table,
    },
    catalog,
    http::{ApiError, ApiResult, Problem, ValidQuery},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The window (`days` 1–365, default 30, or `start` and `end`) and, for ranked lists, how
/// many rows.
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
    /// Rows of a ranked list (queries, referrers, problem queries), 1–100; default 20.
    pub limit: Option<i64>,
}

/// The reports, by their path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportName {
    Trends,
    PopularQueries,
    ZeroResultQueries,
    Referrers,
    Summary,
    Conversion,
    Performance,
    Services,
    UserBehavior,
}

impl ReportName {
    pub const ALL: [ReportName; 9] = [
        ReportName::Trends,
        ReportName::PopularQueries,
        ReportName::ZeroResultQueries,
        ReportName::Referrers,
        ReportName::Summary,
        ReportName::Conversion,
        ReportName::Performance,
        ReportName::Services,
        ReportName::UserBehavior,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportName::Trends => "trends",
            ReportName::PopularQueries => "popular-queries",
            ReportName::ZeroResultQueries => "zero-result-queries",
            ReportName::Referrers => "referrers",
            ReportName::Summary => "summary",
            ReportName::Conversion => "conversion",
            ReportName::Performance => "performance",
            ReportName::Services => "services",
            ReportName::UserBehavior => "user-behavior",
        }
    }

    fn parse(text: &str) -> Result<Self, ApiError> {
        Self::ALL.into_iter().find(|r| r.as_str() == text).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
            ApiError::not_found(
                "unknown_report",
                format!("no analytics report {text:?}; there are: {}", known.join(", ")),
            )
            .with_field("report")
        })
    }
}

/// One report's figures; which one depends on the path.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Report {
    Trends(reports::Trends),
    Queries(reports::QueryList),
    Referrers(reports::Referrers),
    Summary(reports::Summary),
    Conversion(reports::Funnel),
    Performance(reports::Performance),
    Services(reports::ServiceDemandReport),
    UserBehavior(reports::UserBehavior),
}

impl Report {
    fn table(&self) -> Table {
        match self {
            Report::Trends(r) => r.table(),
            Report::Queries(r) => r.table(),
            Report::Referrers(r) => r.table(),
            Report::Summary(r) => r.table(),
            Report::Conversion(r) => r.table(),
            Report::Performance(r) => r.table(),
            Report::Services(r) => r.table(),
            Report::UserBehavior(r) => r.table(),
        }
    }
}

fn window(state: &AppState, query: &AnalyticsQuery) -> Result<Window, ApiError> {
    let params = WindowParams { days: query.days, start: query.start.clone(), end: query.end.clone() };
    Window::parse(&params, day_of(state.clock.now())).map_err(|e| ApiError::invalid(e.field, e.message))
}

fn limit(query: &AnalyticsQuery) -> Result<usize, ApiError> {
    let bounds = instainstru_shared::http::Bounds { default: DEFAULT_LIMIT as u32, max: MAX_LIMIT as u32 };
    Ok(instainstru_shared::http::page::limit(query.limit, bounds)? as usize)
}

async fn compute(
    state: &AppState,
    name: &str,
    query: &AnalyticsQuery,
) -> Result<(ReportName, Window, Report), ApiError> {
    let name = ReportName::parse(name)?;
    let window = window(state, query)?;
    let limit = limit(query)?;
    let store = &state.store;
    let report = match name {
        ReportName::Trends => Report::Trends(reports::trends(store, &window).await?),
        ReportName::PopularQueries => Report::Queries(reports::popular_queries(store, &window, limit).await?),
        ReportName::ZeroResultQueries => Report::Queries(reports::zero_result_queries(store, &window, limit).await?),
        ReportName::Referrers => Report::Referrers(reports::referrers(store, &window, limit).await?),
        ReportName::Summary => Report::Summary(reports::summary(store, &window).await?),
        ReportName::Conversion => Report::Conversion(reports::conversion(store, &window).await?),
        ReportName::Performance => Report::Performance(reports::performance(store, &window, limit).await?),
        ReportName::Services => {
            let catalog = catalog::load(store).await?;
            Report::Services(reports::service_demand(store, &window, Some(&catalog)).await?)
        }
        ReportName::UserBehavior => Report::UserBehavior(reports::user_behavior(store, &window).await?),
    };
    Ok((name, window, report))
}

/// One analytics report for a window: `trends` (per day: searches, unique users and
/// guests, zero-result and do-not-track searches), `popular-queries`,
/// `zero-result-queries`, `referrers` (hosts and origin pages), `summary`, `conversion`
/// (search → click → profile view → booking), `performance` (result-count distribution,
/// problem queries), `services` (per-service demand and completed-booking price
/// percentiles) or `user-behavior`.
#[utoipa::path(get, path = "/api/v1/admin/analytics/{report}", tag = "admin",
    security(("bearer" = ["view_system_analytics"])),
    params(("report" = String, Path, description = "trends, popular-queries, zero-result-queries, referrers, summary, conversion, performance, services or user-behavior"),
        AnalyticsQuery),
    responses((status = 200, body = Report), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ValidQuery(query): ValidQuery<AnalyticsQuery>,
) -> ApiResult<Json<Report>> {
    let (_, _, report) = compute(&state, &name, &query).await?;
    Ok(Json(report))
}

/// The same report as a CSV file (RFC 4180: quoted where a value holds a comma, a quote
/// or a line break), named for the report and its window.
#[utoipa::path(get, path = "/api/v1/admin/analytics/{report}/export", tag = "admin",
    security(("bearer" = ["export_analytics"])),
    params(("report" = String, Path, description = "as for the report itself"), AnalyticsQuery),
    responses((status = 200, description = "CSV with a header row", content_type = "text/csv", body = String),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ValidQuery(query): ValidQuery<AnalyticsQuery>,
) -> ApiResult<Response> {
    let (name, window, report) = compute(&state, &name, &query).await?;
    let csv = report.table().to_csv().map_err(ApiError::internal)?;
    let filename = format!("instainstru-{}-{}-to-{}.csv", name.as_str(), window.start, window.end);
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")).map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}
