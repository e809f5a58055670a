//! The one source of "now". Handlers never call `Timestamp::now()` directly, so tests
//! can fix time (DST change days, notice windows, TTLs) and the local platform can run
//! the daily job "as of" a past day.

use std::sync::Mutex;

use jiff::{Timestamp, ZonedDateTime, tz::TimeZone};

/// Lessons happen in New York; every wall-clock rule is computed in this zone.
pub fn lesson_zone() -> TimeZone {
    // The zone database is bundled into the binary (jiff's `tzdb-bundle-always`), so this
    // lookup cannot fail on a Lambda image without /usr/share/zoneinfo.
    TimeZone::get("America/New_York").expect("America/New_York is in the bundled tz database")
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;

    fn now_in_new_york(&self) -> ZonedDateTime {
        self.now().to_zoned_datetime(lesson_zone())
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug)]
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    pub fn new(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
