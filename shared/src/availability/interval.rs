//! Half-open real-time intervals (busy bookings) and the sorted index the sweep runs over.

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

/// Busy intervals widened by the buffer, sorted and merged into disjoint runs, so that
/// candidate lessons visited in increasing time order can be checked with one forward
/// cursor (O(slots + busy) instead of O(slots × busy)).
#[derive(Clone, Debug)]
pub(crate) struct BlockedTimes {
    runs: Vec<Interval>,
}

impl BlockedTimes {
    pub(crate) fn new(busy: &[Interval], buffer: SignedDuration) -> BlockedTimes {
        let mut widened: Vec<Interval> = busy.iter().map(|b| b.widened(buffer)).collect();
        widened.sort_unstable();
        let mut runs: Vec<Interval> = Vec::with_capacity(widened.len());
        for interval in widened {
            match runs.last_mut() {
                // Touching runs may merge too: a lesson can never fit in an empty seam.
                Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
                _ => runs.push(interval),
            }
        }
        BlockedTimes { runs }
    }

    pub(crate) fn cursor(&self) -> BlockedCursor<'_> {
        BlockedCursor { runs: &self.runs, next: 0 }
    }
}

/// A forward-only position in [`BlockedTimes`]; queries must come in non-decreasing
/// `start` order.
pub(crate) struct BlockedCursor<'a> {
    runs: &'a [Interval],
    next: usize,
}

impl BlockedCursor<'_> {
    /// Whether `[start, end)` is clear of every blocked run.
    pub(crate) fn is_free(&mut self, start: Timestamp, end: Timestamp) -> bool {
        // Runs ending at or before `start` can never block this or any later lesson.
        while self.runs.get(self.next).is_some_and(|run| run.end <= start) {
            self.next += 1;
        }
        self.runs.get(self.next).is_none_or(|run| run.start >= end)
    }
}
