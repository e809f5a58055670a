//! The sorted index of busy time the slot sweep runs over.

use jiff::{SignedDuration, Timestamp};

use crate::interval::Interval;

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
                Some(last) if interval.start() <= last.end() => *last = last.hull(interval),
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
        while self.runs.get(self.next).is_some_and(|run| run.end() <= start) {
            self.next += 1;
        }
        self.runs.get(self.next).is_none_or(|run| run.start() >= end)
    }
}
