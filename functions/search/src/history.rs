//! Search history: the caller's recent searches (a user's, or a guest's by
//! `X-Guest-Session-ID`), recording non-typed searches, and soft delete.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};
use instainstru_shared::{
    AppState,
    auth::Identity,
    history::{self, EntryView, Owner},
    http::{ApiError, ApiResult, Bounds, ClientIp, ValidJson, ValidQuery, context, page},
    search::events::{self, SearchContext, SearchEvent, SearchType, normalize_query},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const PAGE: Bounds = Bounds { default: history::DEFAULT_RECENT as u32, max: 50 };

/// The history owner of this request: the signed-in user, else the guest session.
fn owner(context: &SearchContext) -> ApiResult<Owner> {
    match (&context.user_id, &context.guest_session_id) {
        (Some(user), _) => Ok(Owner::User(user.clone())),
        (None, Some(guest)) => Ok(Owner::Guest(guest.clone())),
        (None, None) => Err(ApiError::bad_request(
            "guest_session_required",
            "sign in, or send X-Guest-Session-ID to use guest search history",
        )
        .with_field("X-Guest-Session-ID")),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecentQuery {
    /// 1–50, default 3.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecentSearches {
    pub items: Vec<EntryView>,
}

/// Recent searches, newest first (category clicks excluded).
#[utoipa::path(get, path = "/api/v1/search-history", tag = "search-history",
    security((), ("bearer" = ["view_own_search_history"])), params(RecentQuery),
    responses((status = 200, body = RecentSearches), (status = 400, body = instainstru_shared::http::Problem)))]
pub async fn recent(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    ValidQuery(query): ValidQuery<RecentQuery>,
) -> ApiResult<Json<RecentSearches>> {
    let limit = page::limit(query.limit, PAGE)?;
    let owner = owner(&context::search_context(&headers, &identity)?)?;
    let entries = history::recent(&state.store, &owner, limit as usize, state.clock.now()).await?;
    Ok(Json(RecentSearches { items: entries.iter().map(EntryView::from).collect() }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSearch {
    /// What was searched: the category, pill or filter label (1–200 characters).
    pub query: String,
    /// `category_click`, `service_pill` or `filter_change` (typed searches are recorded by
    /// `/search` itself).
    pub search_type: SearchType,
    /// How many results the client showed, when it knows.
    #[serde(default)]
    pub result_count: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub search_event_id: String,
}

/// Records a category click, service pill or filter change (applied asynchronously).
#[utoipa::path(post, path = "/api/v1/search-history", tag = "search-history",
    security((), ("bearer" = ["view_own_search_history"])), request_body = RecordSearch,
    responses((status = 202, body = Recorded), (status = 400, body = instainstru_shared::http::Problem)))]
pub async fn record(
    State(state): State<AppState>,
    identity: Identity,
    ip: ClientIp,
    headers: HeaderMap,
    ValidJson(body): ValidJson<RecordSearch>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let query = body.query.trim();
    if query.is_empty() || query.chars().count() > crate::search::MAX_QUERY_CHARS {
        return Err(ApiError::invalid("query", "query must be 1-200 characters"));
    }
    if body.search_type == SearchType::Query {
        return Err(ApiError::invalid("search_type", "typed searches are recorded by /search itself"));
    }
    let context = context::search_context(&headers, &identity)?;
    owner(&context)?;
    let event = SearchEvent {
        query: query.to_owned(),
        normalized_query: normalize_query(query),
        search_type: body.search_type,
        result_count: body.result_count.unwrap_or(0),
        services: Vec::new(),
        shown_instructors: Vec::new(),
    };
    let id = events::publish(state.env(), ip.0, &context, event).await;
    Ok((StatusCode::ACCEPTED, Json(Recorded { search_event_id: id })))
}

/// Deletes one entry of the caller's history (soft delete). Unknown ids, and other
/// people's, are not found.
#[utoipa::path(delete, path = "/api/v1/search-history/{id}", tag = "search-history",
    security((), ("bearer" = ["view_own_search_history"])),
    params(("id" = String, Path, description = "Entry id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let owner = owner(&context::search_context(&headers, &identity)?)?;
    if history::soft_delete(&state.store, &owner, &id, state.clock.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("history_entry_not_found", "no such search history entry"))
    }
}
