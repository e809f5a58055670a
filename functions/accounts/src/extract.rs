//! Request parts particular to this function: the guest session header, `If-Match`, an
//! optional JSON body.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{HeaderMap, header, request::Parts},
};
use instainstru_shared::{
    accounts::guest::GuestSessionId,
    http::{ApiError, ValidJson},
};
use serde::de::DeserializeOwned;

pub const GUEST_HEADER: &str = "X-Guest-Session-ID";

/// `X-Guest-Session-ID`, if sent: it must then be a UUID (400 naming the header if not).
#[derive(Debug, Clone)]
pub struct GuestSession(pub Option<GuestSessionId>);

impl<S: Send + Sync> FromRequestParts<S> for GuestSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(GUEST_HEADER) else {
            return Ok(Self(None));
        };
        value
            .to_str()
            .ok()
            .and_then(GuestSessionId::parse)
            .map(|id| Self(Some(id)))
            .ok_or_else(|| ApiError::invalid(GUEST_HEADER, format!("{GUEST_HEADER} must be a UUID")))
    }
}

/// A JSON body that may be absent (no body at all is `None`); a body that is there is held
/// to the same rules as [`ValidJson`] (JSON content type, strict fields).
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if req.headers().contains_key(header::CONTENT_TYPE) {
            return ValidJson::<T>::from_request(req, state).await.map(|ValidJson(v)| Self(Some(v)));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request("unreadable_body", e.body_text()))?;
        if bytes.is_empty() {
            return Ok(Self(None));
        }
        Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be JSON (Content-Type: application/json)",
        )
        .with_field("Content-Type"))
    }
}

/// The version an `If-Match` header names (`None` without one, or for `*`). Our ETags are
/// strong `"<version>"`; anything else cannot match, which is a 412.
pub fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ApiError::precondition_failed("If-Match is not a valid entity tag"))?.trim();
    if text == "*" {
        return Ok(None);
    }
    text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|t| t.parse::<u64>().ok()).map(Some).ok_or_else(
        || ApiError::precondition_failed("If-Match does not name the current version").with_field("If-Match"),
    )
}

/// The strong entity tag of a version.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}
