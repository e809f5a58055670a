//! An instructor's own offerings: add, change, remove (an offering with bookings is
//! deactivated instead of deleted).

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::Response,
};
use instainstru_shared::{
    AppState,
    auth::Caller,
    http::{ApiResult, IdPath, IfMatch, Problem, ValidJson, precondition},
    ids::OfferingId,
    instructors::editing::{self, OfferingInput, OfferingPatch, Removal},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{me::current_user, profile::with_etag, views::OwnOffering};

/// Adds an offering: a catalog service at an hourly rate, with durations, levels, ages
/// and location types. One active offering per service.
#[utoipa::path(post, path = "/api/v1/instructors/me/offerings", tag = "instructor profile",
    security(("bearer" = ["manage_services"])), request_body = OfferingInput,
    params(("If-Match" = Option<String>, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 201, body = OwnOffering, headers(("ETag" = String, description = "The new profile version"))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Already an active offering of that service", body = Problem),
        (status = 412, body = Problem)))]
pub async fn add_offering(
    State(state): State<AppState>,
    caller: Caller,
    if_match: IfMatch,
    ValidJson(input): ValidJson<OfferingInput>,
) -> ApiResult<Response> {
    let expected = if_match.single_version()?;
    current_user(&state, &caller).await?;
    let directory = state.directory.get(&state.store, state.clock.now()).await?;
    let (profile, offering) =
        editing::add_offering(&state.store, &directory.catalog, &caller.user_id.as_instructor(), expected, &input)
            .await?;
    let mut response = with_etag(OwnOffering::new(&offering), profile.current());
    *response.status_mut() = StatusCode::CREATED;
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/instructors/me/offerings/{}", offering.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Changes an offering (absent fields stay); `active` retires or revives it.
#[utoipa::path(patch, path = "/api/v1/instructors/me/offerings/{id}", tag = "instructor profile",
    security(("bearer" = ["manage_services"])), request_body = OfferingPatch,
    params(("id" = String, Path, description = "Offering id (ULID)"),
        ("If-Match" = Option<String>, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = OwnOffering, headers(("ETag" = String, description = "The new profile version"))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem)))]
pub async fn update_offering(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<OfferingId>,
    if_match: IfMatch,
    ValidJson(patch): ValidJson<OfferingPatch>,
) -> ApiResult<Response> {
    let expected = if_match.single_version()?;
    current_user(&state, &caller).await?;
    let directory = state.directory.get(&state.store, state.clock.now()).await?;
    let (profile, offering) = editing::update_offering(
        &state.store,
        &directory.catalog,
        &caller.user_id.as_instructor(),
        &id,
        expected,
        &patch,
    )
    .await?;
    Ok(with_etag(OwnOffering::new(&offering), profile.current()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Removed {
    pub id: String,
    /// `deleted`, or `deactivated` when bookings refer to the offering.
    pub outcome: Removal,
}

/// Removes an offering; one that bookings refer to is deactivated instead, so their
/// history keeps it.
#[utoipa::path(delete, path = "/api/v1/instructors/me/offerings/{id}", tag = "instructor profile",
    security(("bearer" = ["manage_services"])),
    params(("id" = String, Path, description = "Offering id (ULID)"),
        ("If-Match" = Option<String>, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = Removed, headers(("ETag" = String, description = "The new profile version"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem)))]
pub async fn remove_offering(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath<OfferingId>,
    if_match: IfMatch,
) -> ApiResult<Response> {
    let expected = if_match.single_version()?;
    current_user(&state, &caller).await?;
    let (profile, outcome) =
        editing::remove_offering(&state.store, &caller.user_id.as_instructor(), &id, expected).await?;
    Ok(with_etag(Removed { id: id.into(), outcome }, profile.current()))
}
