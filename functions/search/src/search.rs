//! `GET /api/v1/search`: free text in, ranked instructors out, with what was understood,
//! what was relaxed, and an event id for click tracking.

use std::collections::BTreeSet;

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue},
};
use instainstru_shared::{
    AppState,
    auth::Identity,
    http::{ApiError, ApiResult, Bounds, ClientIp, ValidQuery, context, limit, page},
    instructors::{NextAvailable, PublicOffering},
    money::Cents,
    ratelimit,
    search::{
        engine::{self, Relaxable},
        events::SearchEvent,
        query,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// PRODUCT.md §6: queries longer than this are refused.
pub const MAX_QUERY_CHARS: usize = 200;
const PAGE: Bounds = Bounds { default: 20, max: 50 };

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What the student typed, e.g. "piano under $80 in brooklyn tomorrow after 5pm".
    pub q: Option<String>,
    /// 1–50, default 20.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstructorSummary {
    pub id: String,
    pub full_name: String,
    pub bio: String,
    pub years_experience: u8,
    pub areas: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultOffering {
    #[serde(flatten)]
    pub offering: PublicOffering,
    /// Whether this offering matches the query (matching ones come first, best first).
    pub matches: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    pub instructor: InstructorSummary,
    pub offerings: Vec<ResultOffering>,
    pub next_available: Option<NextAvailable>,
    pub score: f64,
    /// Constraints this result needed relaxed; empty when it matches everything asked.
    pub relaxed: Vec<Relaxable>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub query: String,
    /// The parsed constraints, each with the words that produced it, and the corrected
    /// query when a typo was fixed.
    #[schema(value_type = Object)]
    pub understood: query::ParsedQuery,
    /// The hourly ceiling a budget word ("cheap") was read as, from the data.
    pub budget_ceiling_cents: Option<Cents>,
    pub results: Vec<SearchResult>,
    /// Matching instructors in all (results holds the first `limit`).
    pub total: usize,
    /// What was relaxed to find enough results (time → date → level/audience → place → price).
    pub relaxed: Vec<Relaxable>,
    /// Pass with click, profile-view and booking interactions.
    pub search_event_id: String,
}

fn validate(query: SearchQuery) -> ApiResult<(String, usize)> {
    let q = query.q.unwrap_or_default();
    let trimmed = q.trim();
    if trimmed.is_empty() {
        return Err(ApiError::bad_request("empty_query", "type what you are looking for").with_field("q"));
    }
    if trimmed.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(
            "query_too_long",
            format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        )
        .with_field("q"));
    }
    let limit = page::limit(query.limit, PAGE)?;
    Ok((trimmed.to_owned(), limit as usize))
}

/// Natural-language instructor search.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", security(()), params(SearchQuery),
    responses((status = 200, body = SearchResponse), (status = 400, body = instainstru_shared::http::Problem),
        (status = 429, body = instainstru_shared::http::Problem)))]
pub async fn search(
    State(state): State<AppState>,
    identity: Identity,
    ip: ClientIp,
    headers: HeaderMap,
    ValidQuery(params): ValidQuery<SearchQuery>,
) -> ApiResult<(HeaderMap, Json<SearchResponse>)> {
    let (q, limit) = validate(params)?;
    let context = context::search_context(&headers, &identity)?;
    let env = state.env();
    let now = env.now;
    limit::enforce(&state.store, now, ratelimit::SEARCH, &ip.subject()).await?;
    let dir = state.directory.get(&state.store, now).await?;
    let understood =
        query::parse(&q, now.to_zoned_datetime(instainstru_shared::clock::lesson_zone()), dir.vocabulary());
    let data = dir.search_data();
    let outcome = engine::search(&data, &understood, now);

    let results: Vec<SearchResult> = outcome
        .hits
        .iter()
        .take(limit)
        .map(|hit| {
            let matching: BTreeSet<&str> = hit.offerings.iter().map(|o| o.id.as_str()).collect();
            let others = hit.instructor.active_offerings().filter(|o| !matching.contains(o.id.as_str()));
            let offerings = hit
                .offerings
                .iter()
                .map(|o| ResultOffering { offering: PublicOffering::new(o, &dir.catalog), matches: true })
                .chain(
                    others.map(|o| ResultOffering { offering: PublicOffering::new(o, &dir.catalog), matches: false }),
                )
                .collect();
            SearchResult {
                instructor: InstructorSummary {
                    id: String::from(&hit.instructor.id),
                    full_name: hit.instructor.full_name.clone(),
                    bio: hit.instructor.bio.clone(),
                    years_experience: hit.instructor.years_experience,
                    areas: hit.instructor.areas.clone(),
                },
                offerings,
                next_available: hit.next_available.map(NextAvailable::from),
                score: hit.score,
                relaxed: hit.relaxed.iter().copied().collect(),
            }
        })
        .collect();

    let event = SearchEvent::new(&q, &understood, outcome.hits.len(), results.iter().map(|r| r.instructor.id.clone()));
    let search_event_id = instainstru_shared::search::events::publish(env, ip.0, &context, event).await;
    let mut response_headers = HeaderMap::new();
    response_headers.insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((
        response_headers,
        Json(SearchResponse {
            query: q,
            budget_ceiling_cents: outcome.budget_ceiling,
            total: outcome.hits.len(),
            relaxed: outcome.relaxed.iter().copied().collect(),
            results,
            understood,
            search_event_id,
        }),
    ))
}
