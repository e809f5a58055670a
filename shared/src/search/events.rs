//! Search events: what `/search` and `POST /search-history` publish to the events queue
//! for the analytics worker (search history, then analytics). Producer and consumer share
//! these types.
//!
//! Privacy: the IP never leaves the request raw. It is hashed here under the day's secret
//! salt (see `privacy`), so neither the queue, the dead-letter queue nor the table ever
//! holds it. With `DNT: 1` or `Sec-GPC: 1` no analytics event is recorded: only the
//! caller's own search history (which they see and can delete) and an anonymous count.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::query::{ParsedQuery, ServiceTarget};
use crate::{env::Env, privacy::DailySalt, queue::Envelope};

pub const SEARCH_PERFORMED: &str = "search.performed";
pub const SEARCH_UNTRACKED: &str = "search.untracked";

/// Who is searching and from where, as the request says (`http::context` reads it from
/// the headers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchContext {
    pub user_id: Option<String>,
    pub guest_session_id: Option<String>,
    pub session_id: Option<String>,
    pub origin: Option<String>,
    pub user_agent: Option<String>,
    pub referrer: Option<String>,
    /// Viewer location headers set by CloudFront/API Gateway, or the client's own hint.
    pub geo: Geo,
    pub do_not_track: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Geo {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub postal_code: Option<String>,
    /// A borough the client app reports (`X-Client-Borough`), e.g. from the user's saved area.
    pub client_borough: Option<String>,
}

impl SearchContext {
    /// Who the history belongs to: the signed-in user, else the guest session.
    pub fn identity_key(&self) -> Option<String> {
        match (&self.user_id, &self.guest_session_id) {
            (Some(user), _) => Some(format!("USER#{user}")),
            (None, Some(guest)) => Some(format!("GUEST#{guest}")),
            (None, None) => None,
        }
    }
}

/// How a search was made (PRODUCT.md §7: category clicks are excluded from recent searches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchType {
    /// Typed into the search box (`/search`).
    Query,
    CategoryClick,
    ServicePill,
    FilterChange,
}

/// What was searched and found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchEvent {
    pub query: String,
    pub normalized_query: String,
    pub search_type: SearchType,
    pub result_count: usize,
    /// Services the query resolved to (empty = any service).
    pub services: Vec<String>,
    /// Instructors shown, in result order (position = index + 1).
    pub shown_instructors: Vec<String>,
}

/// Lowercase, whitespace collapsed: the key for "the same query".
pub fn normalize_query(query: &str) -> String {
    query.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl SearchEvent {
    pub fn new(query: &str, parsed: &ParsedQuery, result_count: usize, shown: impl Iterator<Item = String>) -> Self {
        let services = match &parsed.service.target {
            ServiceTarget::Services { slugs } => slugs.clone(),
            ServiceTarget::Category { .. } | ServiceTarget::None => Vec::new(),
        };
        Self {
            query: query.to_owned(),
            normalized_query: normalize_query(query),
            search_type: SearchType::Query,
            result_count,
            services,
            shown_instructors: shown.collect(),
        }
    }
}

/// The payload of `search.performed` (and, trimmed, of `search.untracked`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPayload {
    #[serde(flatten)]
    pub search: SearchEvent,
    pub context: SearchContext,
    /// HMAC of the client IP under the day's salt; absent for untracked searches.
    pub ip_hash: Option<String>,
}

/// Publishes the search's event and returns its id (the search event id clients send back
/// with interactions). A publishing failure never fails the search: it is logged.
pub async fn publish(env: Env<'_>, ip: Option<IpAddr>, context: &SearchContext, event: SearchEvent) -> String {
    let now = env.now;
    let (kind, payload) = if context.do_not_track {
        // Only what the caller's own history needs: no device, place, referrer or IP.
        let context = SearchContext {
            user_id: context.user_id.clone(),
            guest_session_id: context.guest_session_id.clone(),
            do_not_track: true,
            ..SearchContext::default()
        };
        let event = SearchEvent { shown_instructors: Vec::new(), ..event };
        (SEARCH_UNTRACKED, SearchPayload { search: event, context, ip_hash: None })
    } else {
        let ip_hash = match ip {
            Some(addr) => match DailySalt::cached(env.store, now).await {
                Ok(salt) => Some(salt.hash(&addr.to_string())),
                Err(err) => {
                    tracing::warn!(error = %err, "no salt: search event recorded without an IP hash");
                    None
                }
            },
            None => None,
        };
        (SEARCH_PERFORMED, SearchPayload { search: event, context: context.clone(), ip_hash })
    };
    let envelope = Envelope::new(kind, now, serde_json::to_value(&payload).unwrap_or_default());
    let id = envelope.id.clone();
    if let Err(err) = env.events.publish(std::slice::from_ref(&envelope)).await {
        tracing::error!(error = %err, kind, "search event not published");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_collapses_case_and_space() {
        assert_eq!(normalize_query("  Piano   LESSONS\tbrooklyn "), "piano lessons brooklyn");
    }
}
