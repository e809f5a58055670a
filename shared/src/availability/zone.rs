//! The lesson time zone and how a wall-clock time on a date becomes an instant.
//!
//! Every wall-clock rule of the product is in America/New_York. Two wall-clock readings need
//! a policy because the zone's clock is not a bijection with real time:
//!
//! * **Gap** (spring forward, e.g. 2026-03-08 02:00–02:59 do not exist): a lesson can never
//!   *start* at such a time (there is nothing to label it with). A window *boundary* at such
//!   a time means "when the clock jumps", i.e. the transition instant, which is both the end
//!   of 01:59:59 EST and the start of 03:00 EDT.
//! * **Fold** (fall back, e.g. 2026-11-01 01:00–01:59 happen twice): every wall-clock time
//!   means its **first** occurrence (EDT), for lesson starts and for window boundaries alike.
//!   The repeated hour is therefore offered once, and `"01:30"` sent by a client always means
//!   the instant the slot list showed.
//!
//! America/New_York's offsets have been whole hours since 1883 (tested in `tests`), so a
//! wall-clock time on a 15-minute step is an instant on a 15-minute UTC step: this is what
//! lets lesson instants map onto the 15-minute lock cells of `cells.rs` exactly.

use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::window::{MINUTES_PER_DAY, time_of_minute};

/// IANA name of the zone every lesson time is expressed in.
pub const LESSON_TIME_ZONE: &str = "America/New_York";

static NEW_YORK: LazyLock<TimeZone> = LazyLock::new(|| {
    // The tz database is compiled into the binary (`tzdb-bundle-always`), so this lookup does
    // not depend on the host or on any input and cannot fail at run time; a test pins it.
    TimeZone::get(LESSON_TIME_ZONE).expect("the bundled tz database has America/New_York")
});

/// The America/New_York time zone.
pub fn new_york() -> &'static TimeZone {
    &NEW_YORK
}

/// The New York civil date at an instant ("today" for notice and horizon rules).
pub fn local_date(at: Timestamp) -> Date {
    new_york().to_datetime(at).date()
}

/// What a wall-clock reading on a date corresponds to in real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WallInstant {
    /// The reading exists; for a fold this is its first occurrence.
    Exists(Timestamp),
    /// The reading falls in a spring-forward gap; `transition` is when the clock jumped.
    Skipped { transition: Timestamp },
}

impl WallInstant {
    /// The instant to use for a window boundary: a skipped reading becomes the jump itself.
    pub(crate) fn boundary(self) -> Timestamp {
        match self {
            WallInstant::Exists(at) => at,
            WallInstant::Skipped { transition } => transition,
        }
    }
}

/// Resolves a New York wall-clock date and time. `None` only when the result would fall
/// outside jiff's supported range (years ±9999), which callers treat as "not bookable".
pub(crate) fn resolve(dt: DateTime) -> Option<WallInstant> {
    let zone = new_york();
    match zone.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok().map(WallInstant::Exists),
        AmbiguousOffset::Fold { before, after } => {
            let first = before.to_timestamp(dt).ok()?;
            let second = after.to_timestamp(dt).ok()?;
            Some(WallInstant::Exists(first.min(second)))
        }
        AmbiguousOffset::Gap { before, after } => {
            // Reading the gap time with either offset lands on each side of the jump; the
            // earlier of the two is still before it, so the next transition is the jump.
            let a = before.to_timestamp(dt).ok()?;
            let b = after.to_timestamp(dt).ok()?;
            let transition = zone.following(a.min(b)).next()?.timestamp();
            Some(WallInstant::Skipped { transition })
        }
    }
}

/// Resolves `minute` minutes after midnight on `date`; 1440 (24:00) is the next midnight.
pub(crate) fn resolve_minute(date: Date, minute: u16) -> Option<WallInstant> {
    let (date, minute) =
        if minute >= MINUTES_PER_DAY { (date.tomorrow().ok()?, minute - MINUTES_PER_DAY) } else { (date, minute) };
    resolve(date.to_datetime(time_of_minute(minute)?))
}
