//! Half-open real-time intervals: a booking's time, a busy period.
//!
//! A leaf module (jiff and serde only), because the change feed, availability and the
//! directory all carry intervals and none of them should import another for it.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// An interval whose end is not after its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("interval end {end} must be after its start {start}")]
pub struct EmptyInterval {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A non-empty half-open interval `[start, end)` of real time, e.g. a confirmed booking.
/// JSON: `{"start":"2026-03-08T06:30:00Z","end":"2026-03-08T07:30:00Z"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "IntervalJson", try_from = "IntervalJson")]
pub struct Interval {
    start: Timestamp,
    end: Timestamp,
}

impl Interval {
    pub fn new(start: Timestamp, end: Timestamp) -> Result<Interval, EmptyInterval> {
        if start < end { Ok(Interval { start, end }) } else { Err(EmptyInterval { start, end }) }
    }

    pub fn start(self) -> Timestamp {
        self.start
    }

    pub fn end(self) -> Timestamp {
        self.end
    }

    /// Half-open overlap: intervals that merely touch (back-to-back) do not overlap.
    pub fn overlaps(self, other: Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Widened by `by` on both sides, saturating at jiff's representable range.
    pub fn widened(self, by: SignedDuration) -> Interval {
        Interval {
            start: self.start.saturating_sub(by).unwrap_or(self.start),
            end: self.end.saturating_add(by).unwrap_or(self.end),
        }
    }
}

/// A confirmed lesson's hold on the instructor's time: the lesson and the trailing buffer its
/// lock cells were claimed with. The slot engine widens busy time by the instructor's
/// *current* buffer; a lesson booked under a longer buffer keeps blocking that longer tail
/// (its cells are still claimed), so the excess is added here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub lesson: Interval,
    pub buffer_minutes: u16,
}

impl Held {
    /// The busy interval to give the slot engine when the instructor's buffer is now
    /// `current_buffer_minutes`.
    pub fn blocking(self, current_buffer_minutes: u16) -> Interval {
        let excess = SignedDuration::from_mins(i64::from(self.buffer_minutes.saturating_sub(current_buffer_minutes)));
        Interval { end: self.lesson.end.saturating_add(excess).unwrap_or(self.lesson.end), ..self.lesson }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntervalJson {
    start: Timestamp,
    end: Timestamp,
}

impl From<Interval> for IntervalJson {
    fn from(i: Interval) -> IntervalJson {
        IntervalJson { start: i.start, end: i.end }
    }
}

impl TryFrom<IntervalJson> for Interval {
    type Error = EmptyInterval;

    fn try_from(json: IntervalJson) -> Result<Interval, EmptyInterval> {
        Interval::new(json.start, json.end)
    }
}

impl Interval {
    /// The smallest interval covering both (used to merge overlapping or touching runs).
    pub fn hull(self, other: Interval) -> Interval {
        Interval { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}
