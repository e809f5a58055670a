//! The search context a request carries (who, from where, with which privacy signals),
//! read from its headers for the search domain, which takes it as a plain value.

use axum::http::{HeaderMap, header::USER_AGENT};

use super::{guest::GuestSession, problem::ApiError};
use crate::{
    auth::Identity,
    search::events::{Geo, SearchContext},
};

const SESSION_HEADER: &str = "x-session-id";
const ORIGIN_HEADER: &str = "x-search-origin";
const MAX_HEADER_CHARS: usize = 200;
const MAX_USER_AGENT_CHARS: usize = 512;

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| v.chars().take(MAX_HEADER_CHARS).collect())
}

/// Reads the context headers; a malformed guest session id is the caller's mistake.
pub fn search_context(headers: &HeaderMap, identity: &Identity) -> Result<SearchContext, ApiError> {
    let GuestSession(guest) = GuestSession::from_headers(headers)?;
    let flag = |name: &str| header(headers, name).is_some_and(|v| v == "1");
    Ok(SearchContext {
        user_id: identity.caller().map(|c| c.user_id.to_string()),
        guest_session_id: guest.map(|g| g.as_str().to_owned()),
        session_id: header(headers, SESSION_HEADER),
        origin: header(headers, ORIGIN_HEADER),
        user_agent: headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(MAX_USER_AGENT_CHARS).collect()),
        referrer: header(headers, "referer"),
        geo: Geo {
            city: header(headers, "cloudfront-viewer-city"),
            region: header(headers, "cloudfront-viewer-country-region"),
            country: header(headers, "cloudfront-viewer-country"),
            postal_code: header(headers, "cloudfront-viewer-postal-code"),
            client_borough: header(headers, "x-client-borough"),
        },
        do_not_track: flag("dnt") || flag("sec-gpc"),
    })
}
