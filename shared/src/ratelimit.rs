//! Rate limits (PRODUCT.md §1) as fixed-window counters in DynamoDB, so they hold across
//! every Lambda instance. Each counter item expires with its window (TTL).
//!
//! The subject (an IP, an email, a user id) is stored only as a keyed hash under the day's
//! secret salt: a limit needs to recognise the same caller, not to know who they are.
//! [`check`] only decides; `http::limit` turns a refusal into the 429.

use std::time::Duration;

use jiff::Timestamp;

use crate::{
    privacy::DailySalt,
    store::{Key, Store, StoreError},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: u32,
    pub window: Duration,
}

/// Login: 5 per minute per IP + email.
pub const LOGIN: Limit = Limit { name: "login", max: 5, window: Duration::from_secs(60) };
/// Registration: 10 per hour per IP.
pub const REGISTER: Limit = Limit { name: "register", max: 10, window: Duration::from_secs(3600) };
/// Password-reset requests: 3 per hour per email.
pub const PASSWORD_RESET: Limit = Limit { name: "password_reset", max: 3, window: Duration::from_secs(3600) };
/// Booking creation: 20 per minute per user.
pub const BOOKING_CREATE: Limit = Limit { name: "booking_create", max: 20, window: Duration::from_secs(60) };
/// Search: 120 per minute per IP.
pub const SEARCH: Limit = Limit { name: "search", max: 120, window: Duration::from_secs(60) };

/// What a check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed { remaining: u32 },
    Limited { retry_after_seconds: u64 },
}

/// Counts one request of `subject` against `limit` and decides.
pub async fn check(store: &Store, now: Timestamp, limit: Limit, subject: &str) -> Result<Decision, StoreError> {
    let window = i64::try_from(limit.window.as_secs()).unwrap_or(i64::MAX).max(1);
    let now_s = now.as_second();
    let window_start = now_s - now_s.rem_euclid(window);
    let window_end = window_start + window;
    let salt = DailySalt::cached(store, now).await?;
    let key = Key::new(format!("RATE#{}#{}", limit.name, salt.hash(subject)), format!("W#{window_start}"));
    // Kept a little past the window so a late TTL sweep never resets a live window.
    let count = store.increment(&key, "hits", 1, Some(window_end + 60)).await?;
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    Ok(if count > limit.max {
        Decision::Limited { retry_after_seconds: u64::try_from(window_end - now_s).unwrap_or(1).max(1) }
    } else {
        Decision::Allowed { remaining: limit.max - count }
    })
}
