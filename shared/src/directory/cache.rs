//! The warm Lambda's copy of the directory, kept fresh from the change feed
//! ([`crate::changes`]).
//!
//! A warm Lambda checks the feed at most once per refresh interval: one Query for the
//! entries since it last looked (with an overlap, because ULIDs made on different machines
//! are only roughly ordered), then
//! - a booking's time taken or released is applied directly (no read, and no race with the
//!   eventually consistent booking index);
//! - one instructor changed: that instructor alone is re-read (strongly consistent);
//! - everything (seed, catalog reorder): a full reload.

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use jiff::{SignedDuration, Timestamp};
use ulid::Ulid;

use super::{Directory, load};
use crate::{
    changes::{Change, RETENTION, read_since},
    interval::Held,
    store::{Store, StoreError},
};

/// How far back each check re-reads, to catch entries written with a slightly older ULID.
const OVERLAP: SignedDuration = SignedDuration::from_secs(60);

/// The warm Lambda's copy and where it is in the feed.
pub struct DirectoryCache {
    current: RwLock<Option<Arc<Directory>>>,
    checked_at: Mutex<Option<Instant>>,
    refresh: Duration,
    /// One refresh at a time; requests arriving meanwhile wait instead of stampeding.
    feed: tokio::sync::Mutex<FeedPosition>,
}

#[derive(Default)]
struct FeedPosition {
    /// Entries at or after this instant are (re)read at each check.
    since: Option<Timestamp>,
    /// Entries already applied within the overlap window.
    applied: BTreeSet<String>,
}

impl DirectoryCache {
    pub fn new(refresh: Duration) -> Self {
        Self {
            current: RwLock::new(None),
            checked_at: Mutex::new(None),
            refresh,
            feed: tokio::sync::Mutex::new(FeedPosition::default()),
        }
    }

    fn cached(&self) -> Option<Arc<Directory>> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn is_fresh(&self) -> bool {
        let checked = *self.checked_at.lock().unwrap_or_else(|p| p.into_inner());
        checked.is_some_and(|at| at.elapsed() < self.refresh)
    }

    fn install(&self, dir: Directory) -> Arc<Directory> {
        let dir = Arc::new(dir);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(dir.clone());
        *self.checked_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        dir
    }

    /// The directory, brought up to date with the feed first when the last check is older
    /// than the refresh interval. `now` is the request's clock (for "upcoming" bookings).
    pub async fn get(&self, store: &Store, now: Timestamp) -> Result<Arc<Directory>, StoreError> {
        if let Some(dir) = self.cached()
            && self.is_fresh()
        {
            return Ok(dir);
        }
        let mut feed = self.feed.lock().await;
        if let Some(dir) = self.cached()
            && self.is_fresh()
        {
            return Ok(dir);
        }
        // ULIDs carry the writer's wall-clock time, so the feed is read by real time.
        let checked = Timestamp::now();
        let stale = feed.since.is_none_or(|since| checked - since > RETENTION);
        let current = match self.cached() {
            Some(dir) if !stale => dir,
            _ => {
                // Whatever the feed holds before the load is reflected by the load (each
                // entry is written with or after its change), so it counts as applied.
                let since = checked - OVERLAP;
                let before: BTreeSet<String> = read_since(store, since).await?.into_iter().map(|(id, _)| id).collect();
                let dir = load::everything(store, now).await?;
                *feed = FeedPosition { since: Some(since), applied: before };
                return Ok(self.install(dir));
            }
        };
        let since = feed.since.unwrap_or(checked);
        let entries = read_since(store, since).await?;
        let mut next: Option<Directory> = None;
        for (id, change) in entries {
            if feed.applied.contains(&id) {
                continue;
            }
            let base = next.as_ref().unwrap_or(&current);
            let updated = match change {
                Change::All => load::everything(store, now).await?,
                Change::Instructor { instructor_id } => {
                    let state = load::instructor(store, &instructor_id, now).await?;
                    base.with_instructor(&instructor_id, state.profile, state.schedule, state.bookings)
                }
                Change::Booking { instructor_id, booking_id, interval, buffer_minutes } => {
                    let held = interval.map(|lesson| Held { lesson, buffer_minutes });
                    base.with_booking(&instructor_id, &booking_id, held)
                }
            };
            next = Some(updated);
            feed.applied.insert(id);
        }
        // Forget applied entries that the next check will no longer read.
        let horizon = Ulid::from_parts(u64::try_from((checked - OVERLAP).as_millisecond()).unwrap_or(0), 0).to_string();
        feed.applied.retain(|id| id.as_str() >= horizon.as_str());
        feed.since = Some(checked - OVERLAP);
        Ok(match next {
            Some(dir) => self.install(dir),
            None => {
                *self.checked_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
                current
            }
        })
    }
}
