//! An instructor's own profile: bio, experience, areas and booking settings, with
//! `ETag` / `If-Match` on its version.

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use instainstru_shared::{
    AppState,
    auth::Caller,
    http::{ApiResult, IfMatch, Problem, ValidJson, precondition},
    instructors::{
        InstructorProfile,
        editing::{self, ProfilePatch},
    },
};

use crate::{me::current_user, views::OwnProfile};

/// A JSON body with the profile's version as its `ETag`.
pub fn with_etag(body: impl serde::Serialize, version: u64) -> Response {
    let mut response = Json(body).into_response();
    precondition::set_etag(&mut response, version);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    response
}

fn profile_response(profile: &InstructorProfile, version: u64) -> Response {
    with_etag(OwnProfile::new(profile, version), version)
}

/// The caller's instructor profile, complete with inactive offerings and what is still
/// missing before it is listed.
#[utoipa::path(get, path = "/api/v1/instructors/me/profile", tag = "instructor profile",
    security(("bearer" = ["manage_instructor_profile"])),
    responses((status = 200, body = OwnProfile, headers(("ETag" = String, description = "The profile version"))),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "No instructor profile", body = Problem)))]
pub async fn get_profile(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    current_user(&state, &caller).await?;
    let profile = editing::get(&state.store, &caller.user_id.as_instructor()).await?;
    Ok(profile_response(&profile.value, profile.current()))
}

/// Changes bio, years of experience, areas and booking settings (absent fields stay).
/// With `If-Match`, refused with 412 if the profile changed since it was read.
#[utoipa::path(patch, path = "/api/v1/instructors/me/profile", tag = "instructor profile",
    security(("bearer" = ["manage_instructor_profile"])), request_body = ProfilePatch,
    params(("If-Match" = Option<String>, Header, description = precondition::IF_MATCH_DOC)),
    responses((status = 200, body = OwnProfile, headers(("ETag" = String, description = "The new profile version"))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem)))]
pub async fn update_profile(
    State(state): State<AppState>,
    caller: Caller,
    if_match: IfMatch,
    ValidJson(patch): ValidJson<ProfilePatch>,
) -> ApiResult<Response> {
    let expected = if_match.single_version()?;
    current_user(&state, &caller).await?;
    let profile = editing::update_profile(&state.store, &caller.user_id.as_instructor(), expected, &patch).await?;
    Ok(profile_response(&profile.value, profile.current()))
}
