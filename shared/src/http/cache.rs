//! HTTP caching for read-mostly resources (catalog, availability): a strong `ETag` over
//! the exact response bytes, `Cache-Control`, and 304 for a matching `If-None-Match`.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::problem::ApiError;

/// Catalog data changes rarely; a minute of client/CDN caching is safe, and the ETag
/// makes revalidation cheap after that.
pub const CATALOG_CACHE: &str = "public, max-age=60, stale-while-revalidate=300";
/// Availability changes with every booking: always revalidate.
pub const REVALIDATE: &str = "private, no-cache";

pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// True if `If-None-Match` lists `etag` (or `*`); weak comparison, as RFC 9110 asks for
/// this header.
pub fn matches_if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    let bare = etag.trim_start_matches("W/");
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').map(str::trim).any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == bare)
    })
}

/// A JSON body and its ETag, rendered once and served many times.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub body: bytes::Bytes,
    pub etag: String,
}

impl Rendered {
    pub fn json<T: Serialize>(value: &T) -> Result<Self, ApiError> {
        let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
        let etag = etag_of(&body);
        Ok(Self { body: body.into(), etag })
    }

    /// 200 with the body, or 304 with no body when the client already has it.
    pub fn respond(&self, request_headers: &HeaderMap, cache_control: &'static str) -> Response {
        let mut response = if matches_if_none_match(request_headers, &self.etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut r = (StatusCode::OK, self.body.clone()).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        };
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
        response
    }
}

/// Serialises `value` as JSON with an ETag; 304 with no body when the client has it.
pub fn cached_json<T: Serialize>(request_headers: &HeaderMap, value: &T, cache_control: &'static str) -> Response {
    match Rendered::json(value) {
        Ok(rendered) => rendered.respond(request_headers, cache_control),
        Err(err) => err.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_forms() {
        let etag = etag_of(b"hello");
        let mut headers = HeaderMap::new();
        assert!(!matches_if_none_match(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&format!("\"x\", W/{etag}")).unwrap());
        assert!(matches_if_none_match(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches_if_none_match(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!matches_if_none_match(&headers, &etag));
    }
}
