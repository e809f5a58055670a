//! Versioned resources over HTTP: one ETag format for the whole API, `"v<version>"`, and
//! one reading of `If-Match` / `If-None-Match`.
//!
//! Until the next release `If-Match` also accepts the accounts function's older form
//! `"<version>"` (the OpenAPI description says so: [`IF_MATCH_DOC`]); responses only ever
//! carry the new one.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};

use super::{cache, problem::ApiError};
use crate::store::Precondition;

/// The OpenAPI description of every `If-Match` parameter.
pub const IF_MATCH_DOC: &str = "The resource's ETag, \"v<version>\", or * for whatever is current. \
     The older form \"<version>\" is still accepted until the next release.";

/// The strong entity tag of a version.
pub fn etag(version: u64) -> String {
    format!("\"v{version}\"")
}

/// The version a strong entity tag names: `"v<n>"`, or the older `"<n>"`. Weak tags never
/// match (`If-Match` compares strongly).
fn version_of(tag: &str) -> Option<u64> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    inner.strip_prefix('v').unwrap_or(inner).parse().ok()
}

pub fn set_etag(response: &mut Response, version: u64) {
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
}

/// 304 (with the ETag) when the request's `If-None-Match` already names `version`.
pub fn not_modified(headers: &HeaderMap, version: u64) -> Option<Response> {
    cache::matches_if_none_match(headers, &etag(version)).then(|| {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        set_etag(&mut response, version);
        response
    })
}

/// What the request's `If-Match` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Absent,
    /// `*`: whatever is current.
    Any,
    /// The versions the listed tags name; a tag we never issued names none, so a list
    /// of only such tags matches nothing (a 412, never a silent overwrite).
    Tags(Vec<u64>),
}

impl IfMatch {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let values: Vec<&str> =
            headers.get_all(header::IF_MATCH).iter().map(|v| v.to_str().unwrap_or("\u{0}")).collect();
        if values.is_empty() {
            return Self::Absent;
        }
        let tags: Vec<&str> = values.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
        if tags.contains(&"*") {
            return Self::Any;
        }
        Self::Tags(tags.into_iter().filter_map(version_of).collect())
    }

    /// For writes that must name a version: 428 without `If-Match`. `what` names the
    /// resource in the problem ("the schedule's ETag").
    pub fn required(self, what: &str) -> Result<Precondition, ApiError> {
        match self {
            Self::Absent => Err(ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                format!("send If-Match with {what} (or * to change whatever is current)"),
            )
            .with_field("If-Match")),
            Self::Any => Ok(Precondition::Any),
            Self::Tags(versions) => Ok(Precondition::OneOf(versions)),
        }
    }

    /// For writes where `If-Match` is optional and names at most one version: `None`
    /// without one (or for `*`), else that version; anything else is a 412.
    pub fn single_version(self) -> Result<Option<u64>, ApiError> {
        match self {
            Self::Absent | Self::Any => Ok(None),
            Self::Tags(versions) => match versions.as_slice() {
                [version] => Ok(Some(*version)),
                _ => Err(stale("If-Match does not name the current version")),
            },
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_headers(&parts.headers))
    }
}

/// 412 for a write whose `If-Match` is stale.
pub fn stale(detail: impl Into<String>) -> ApiError {
    ApiError::precondition_failed(detail).with_field("If-Match")
}

/// [`stale`], telling the client the current ETag.
pub fn stale_at(detail: impl Into<String>, current: u64) -> ApiError {
    stale(detail).with_extra("current_etag", etag(current).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(values: &[&str]) -> IfMatch {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        }
        IfMatch::from_headers(&headers)
    }

    #[test]
    fn both_tag_forms_name_their_version_and_others_name_none() {
        assert_eq!(parse(&[]), IfMatch::Absent);
        assert_eq!(parse(&["*"]), IfMatch::Any);
        assert_eq!(parse(&["\"v3\""]), IfMatch::Tags(vec![3]));
        assert_eq!(parse(&["\"3\""]), IfMatch::Tags(vec![3]));
        assert_eq!(parse(&["\"v1\", \"v2\"", "\"v5\""]), IfMatch::Tags(vec![1, 2, 5]));
        assert_eq!(parse(&["W/\"v3\""]), IfMatch::Tags(vec![]));
        assert_eq!(parse(&["\"x3\"", "v3"]), IfMatch::Tags(vec![]));
        assert_eq!(etag(7), "\"v7\"");
    }

    #[test]
    fn single_version_refuses_what_names_no_single_version() {
        assert_eq!(parse(&["\"v4\""]).single_version().unwrap(), Some(4));
        assert_eq!(parse(&["*"]).single_version().unwrap(), None);
        assert_eq!(parse(&["\"bogus\""]).single_version().unwrap_err().status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(parse(&[]).required("x").unwrap_err().status, StatusCode::PRECONDITION_REQUIRED);
    }
}
