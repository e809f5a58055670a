//! `POST /api/v1/search-interactions`: what the client did with a search's results (a
//! click, a profile opened, a booking started), linked to the search by its event id.
//! Published to the events queue; the analytics worker records it. Public, like search:
//! guests' interactions count too.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use instainstru_shared::{
    AppState,
    analytics::events::{self, Interaction, InteractionType, MAX_POSITION, MAX_TIME_TO_INTERACTION_MS},
    auth::Identity,
    http::{ApiError, ApiResult, ValidJson, context},
    ids,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordInteraction {
    /// The `search_event_id` the search answered with.
    pub search_event_id: String,
    /// `click`, `view_profile` or `book`.
    pub interaction_type: InteractionType,
    /// The instructor whose result it was.
    pub instructor_id: String,
    /// 1-based position of that result in the list (1–50).
    #[serde(default)]
    pub result_position: Option<u32>,
    /// Milliseconds from the results being shown to this interaction (at most a day).
    #[serde(default)]
    pub time_to_interaction_ms: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionRecorded {
    /// The interaction's own event id.
    pub interaction_event_id: String,
}

/// Records an interaction with a search's results (applied asynchronously). With `DNT: 1`
/// or `Sec-GPC: 1` only its kind is counted.
#[utoipa::path(post, path = "/api/v1/search-interactions", tag = "search",
    security((), ("bearer" = ["view_own_search_history"])), request_body = RecordInteraction,
    responses((status = 202, body = InteractionRecorded), (status = 400, body = instainstru_shared::http::Problem),
        (status = 503, body = instainstru_shared::http::Problem)))]
pub async fn record(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    ValidJson(body): ValidJson<RecordInteraction>,
) -> ApiResult<(StatusCode, Json<InteractionRecorded>)> {
    let search_event_id = ids::parse_id(&body.search_event_id)
        .ok_or_else(|| ApiError::invalid("search_event_id", "search_event_id must be the id a search returned"))?;
    let instructor_id = ids::parse_id(&body.instructor_id)
        .ok_or_else(|| ApiError::invalid("instructor_id", "instructor_id must be an instructor's id"))?;
    if body.result_position.is_some_and(|p| !(1..=MAX_POSITION).contains(&p)) {
        return Err(ApiError::invalid(
            "result_position",
            format!("result_position must be between 1 and {MAX_POSITION}"),
        ));
    }
    if body.time_to_interaction_ms.is_some_and(|t| t > MAX_TIME_TO_INTERACTION_MS) {
        return Err(ApiError::invalid("time_to_interaction_ms", "time_to_interaction_ms must be at most a day"));
    }
    let context = context::search_context(&headers, &identity)?;
    let interaction = Interaction {
        search_event_id,
        interaction_type: body.interaction_type,
        instructor_id,
        result_position: body.result_position,
        time_to_interaction_ms: body.time_to_interaction_ms,
    };
    let id = events::publish(state.events.as_ref(), state.clock.now(), &context, interaction)
        .await
        .map_err(ApiError::unavailable)?;
    Ok((StatusCode::ACCEPTED, Json(InteractionRecorded { interaction_event_id: id })))
}
