//! RFC 9457 problem details: every error a client sees.
//!
//! Each problem has a stable machine `code` (snake_case, part of the API contract), a
//! human `detail`, and, where one input caused it, the offending `field`. A 500 is always
//! a bug: its detail is generic and the cause goes to the log, never to the client.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::{CursorError, StoreError, TransactError};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type: `/problems/<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    /// The request field (body path, query parameter or header) that caused it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Problem-specific extra members (e.g. which party a booking conflicts with).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub field: Option<String>,
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self { status, code, detail: detail.into(), field: None, extra: None, retry_after_seconds: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_extra(mut self, name: &str, value: serde_json::Value) -> Self {
        self.extra.get_or_insert_with(Default::default).insert(name.to_owned(), value);
        self
    }

    /// 400: a request input is invalid.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", detail).with_field(field)
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, detail)
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, detail)
    }

    pub fn too_many_requests(retry_after_seconds: u64) -> Self {
        let mut err = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many requests; retry after {retry_after_seconds} seconds"),
        );
        err.retry_after_seconds = Some(retry_after_seconds.max(1));
        err
    }

    pub fn precondition_failed(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, "stale_version", detail)
    }

    /// 500 for a bug or an outage. The cause is logged here, and only here.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred")
    }

    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "dependency unavailable");
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", "a backing service is unavailable; retry")
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("/problems/{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
            field: self.field.clone(),
            extra: self.extra.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Cursor(e) => ApiError::invalid("cursor", e.to_string()),
            StoreError::Unavailable(_) => ApiError::unavailable(err),
            other => ApiError::internal(other),
        }
    }
}

impl From<CursorError> for ApiError {
    fn from(err: CursorError) -> Self {
        ApiError::invalid("cursor", err.to_string())
    }
}

impl From<TransactError> for ApiError {
    fn from(err: TransactError) -> Self {
        match err {
            TransactError::Store(e) => e.into(),
            TransactError::Conflict => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "write_contention",
                "too many concurrent changes to the same data; retry",
            ),
            other => ApiError::internal(other),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
