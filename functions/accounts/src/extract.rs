//! Request parts particular to this function: an optional JSON body. (Everything every
//! function reads from a request lives in `instainstru_shared::http`.)

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
};
use instainstru_shared::http::{ApiError, ValidJson};
use serde::de::DeserializeOwned;

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
