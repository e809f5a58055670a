//! A rate limit as a handler step: the domain's [`ratelimit::check`] decides, and a
//! refusal becomes the 429 problem with `Retry-After` here.

use jiff::Timestamp;

use super::problem::ApiError;
use crate::{
    ratelimit::{self, Decision, Limit},
    store::Store,
};

/// Counts one request of `subject` against `limit`; `Err` is the 429.
pub async fn enforce(store: &Store, now: Timestamp, limit: Limit, subject: &str) -> Result<(), ApiError> {
    match ratelimit::check(store, now, limit, subject).await? {
        Decision::Allowed { .. } => Ok(()),
        Decision::Limited { retry_after_seconds } => {
            tracing::info!(limit = limit.name, "rate limited");
            Err(ApiError::too_many_requests(retry_after_seconds))
        }
    }
}
