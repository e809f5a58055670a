//! The admin analytics API (PRODUCT.md §7): one route per view of the figures, one per
//! export. The report is a path segment (`trends`, `popular-queries`, …) so that every
//! report shares the window parameters, the permission and the CSV writer; the figures
//! themselves are computed in `instainstru_shared::analytics::reports`.

use axum::{
    Extension, Json,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use instainstru_shared::{
    AppState,
    analytics::{
        Window, WindowParams,
        apply::day_of,
        reports::{self, DEFAULT_LIMIT, Inputs, MAX_LIMIT, Output, Report, ReportError},
    },
    http::{self, ApiError, ApiResult, Problem, ValidQuery},
};
use serde::Deserialize;
use utoipa::{
    IntoParams,
    openapi::{
        Content, OpenApi, RefOr, Schema,
        schema::{ObjectBuilder, OneOfBuilder, Ref, Type},
    },
};

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

/// The registry the admin routes serve (`reports::REGISTRY` in production; tests may add
/// a report of their own), installed as a request extension by `router_with`.
#[derive(Debug, Clone, Copy)]
pub struct Registry(pub &'static [Report]);

fn find(registry: Registry, name: &str) -> Result<&'static Report, ApiError> {
    reports::find(registry.0, name).ok_or_else(|| {
        let known: Vec<&str> = registry.0.iter().map(|r| r.name).collect();
        ApiError::not_found("unknown_report", format!("no analytics report {name:?}; there are: {}", known.join(", ")))
            .with_field("report")
    })
}

fn window(state: &AppState, query: &AnalyticsQuery) -> Result<Window, ApiError> {
    let params = WindowParams { days: query.days, start: query.start.clone(), end: query.end.clone() };
    Window::parse(&params, day_of(state.clock.now())).map_err(|e| ApiError::invalid(e.field, e.message))
}

fn limit(query: &AnalyticsQuery) -> Result<usize, ApiError> {
    let bounds = http::Bounds { default: DEFAULT_LIMIT as u32, max: MAX_LIMIT as u32 };
    Ok(http::page::limit(query.limit, bounds)? as usize)
}

async fn compute(
    state: &AppState,
    registry: Registry,
    name: &str,
    query: &AnalyticsQuery,
) -> Result<(&'static Report, Window, Output), ApiError> {
    let report = find(registry, name)?;
    let window = window(state, query)?;
    let inputs = Inputs { store: &state.store, window, limit: limit(query)? };
    let output = (report.compute)(inputs).await.map_err(|err| match err {
        ReportError::Store(err) => ApiError::from(err),
        ReportError::Encode(err) => ApiError::internal(err),
    })?;
    Ok((report, window, output))
}

/// One analytics report for a window; the reports and what each holds are listed under
/// the `report` parameter.
#[utoipa::path(get, path = "/api/v1/admin/analytics/{report}", tag = "admin",
    security(("bearer" = ["view_system_analytics"])),
    params(("report" = String, Path, description = "the report (the registry's names and descriptions are filled in by `document`)"),
        AnalyticsQuery),
    responses((status = 200, description = "the report's figures (one of `Report`, by name)"), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    Extension(registry): Extension<Registry>,
    Path(name): Path<String>,
    ValidQuery(query): ValidQuery<AnalyticsQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let (_, _, output) = compute(&state, registry, &name, &query).await?;
    Ok(Json(output.body))
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
    Extension(registry): Extension<Registry>,
    Path(name): Path<String>,
    ValidQuery(query): ValidQuery<AnalyticsQuery>,
) -> ApiResult<Response> {
    let (report, window, output) = compute(&state, registry, &name, &query).await?;
    let csv = output.table.to_csv().map_err(ApiError::internal)?;
    let filename = format!("instainstru-{}-{}-to-{}.csv", report.name, window.start, window.end);
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

const REPORT_PATH: &str = "/api/v1/admin/analytics/{report}";
const EXPORT_PATH: &str = "/api/v1/admin/analytics/{report}/export";

/// Fills the analytics routes' documentation from the registry: the `report` parameter as
/// an enum of the registry's names, each with its description, and the report's body as
/// `Report`, one of the registry's schemas.
pub fn document(doc: &mut OpenApi, registry: Registry) {
    let mut named = Vec::new();
    let mut bodies: Vec<RefOr<Schema>> = Vec::new();
    for report in registry.0 {
        let body = (report.schema)(&mut named);
        if !bodies.contains(&body) {
            bodies.push(body);
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in named {
        components.schemas.entry(name).or_insert(schema);
    }
    let one_of = bodies
        .into_iter()
        .fold(OneOfBuilder::new(), |one_of, body| one_of.item(body))
        .description(Some("One report's figures; which one depends on the path."));
    components.schemas.insert("Report".to_owned(), one_of.into());

    let names: Vec<&str> = registry.0.iter().map(|r| r.name).collect();
    let listed: Vec<String> = registry.0.iter().map(|r| format!("`{}`: {}", r.name, r.description)).collect();
    let parameter: RefOr<Schema> = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names)).into();
    for path in [REPORT_PATH, EXPORT_PATH] {
        let Some(operation) = doc.paths.paths.get_mut(path).and_then(|item| item.get.as_mut()) else { continue };
        for param in operation.parameters.iter_mut().flatten() {
            if let RefOr::T(param) = param
                && param.name == "report"
            {
                param.description = Some(format!("The report. {}.", listed.join("; ")));
                param.schema = Some(parameter.clone());
            }
        }
        if path == REPORT_PATH
            && let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200")
        {
            ok.content
                .insert("application/json".to_owned(), RefOr::T(Content::new(Some(Ref::from_schema_name("Report")))));
        }
    }
}
