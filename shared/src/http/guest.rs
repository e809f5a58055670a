//! `X-Guest-Session-ID`: the browser's guest session, parsed in one place for every route
//! that reads it (search history, search context, guest privacy, guest conversion).

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, request::Parts},
};

use super::problem::ApiError;
use crate::accounts::guest::GuestSessionId;

pub const HEADER: &str = "X-Guest-Session-ID";

/// The guest session a request names, if any. A header that is sent must be a UUID
/// (`invalid_guest_session_id`); an empty one counts as absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestSession(pub Option<GuestSessionId>);

impl GuestSession {
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, ApiError> {
        let Some(value) = headers.get(HEADER) else {
            return Ok(Self(None));
        };
        let text = value.to_str().unwrap_or("\u{0}").trim();
        if text.is_empty() {
            return Ok(Self(None));
        }
        GuestSessionId::parse(text).map(|id| Self(Some(id))).ok_or_else(|| {
            ApiError::bad_request("invalid_guest_session_id", format!("{HEADER} must be a UUID")).with_field(HEADER)
        })
    }

    /// For routes that act on the guest session itself: 400 without one.
    pub fn required(self, hint: &str) -> Result<GuestSessionId, ApiError> {
        self.0.ok_or_else(|| ApiError::bad_request("guest_session_required", hint.to_owned()).with_field(HEADER))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for GuestSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::from_headers(&parts.headers)
    }
}
