//! The `Idempotency-Key` header, parsed once: what the key may be is the booking domain's
//! rule (`booking::idempotency`), its refusal the domain's code.

use axum::{extract::FromRequestParts, http::request::Parts};

use super::problem::ApiError;
use crate::booking::idempotency::{HEADER, IdempotencyKey};

/// The request's `Idempotency-Key`, if it sent one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKeyHeader(pub Option<IdempotencyKey>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKeyHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(HEADER) else {
            return Ok(Self(None));
        };
        // Bytes that are not visible ASCII fail the key's own rule, with its code.
        let text = String::from_utf8_lossy(value.as_bytes());
        IdempotencyKey::parse(&text).map(|key| Self(Some(key))).map_err(ApiError::from)
    }
}
