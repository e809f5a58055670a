//! Deterministic 15-minute lock cells, the DynamoDB keys a booking claims atomically.
//!
//! A cell is `[c, c + 15 min)` for `c` a multiple of 15 minutes since the Unix epoch (UTC).
//! Every New York offset is a whole number of hours (see `zone.rs`), so a lesson starting on
//! a 15-minute wall-clock step starts and ends exactly on cell boundaries.
//!
//! **Why the buffer is added after the lesson only.** The rule is "a gap of at least
//! `buffer` between two lessons", i.e. `[s1 - b, e1 + b)` must not overlap `[s2, e2)`. If
//! each booking claimed `[start - b, end + b)`, two lessons exactly `b` apart (which the
//! rule allows) would both claim the cells of the gap and the second booking would fail.
//! Claiming `[start, end + b)` instead makes the claims of two lessons with the same buffer
//! intersect exactly when the rule is broken: the earlier lesson's trailing cells cover the
//! gap and the later lesson's first cell lies in it iff the gap is shorter than `b` (a
//! property test checks this, and that back-to-back lessons share no cell at `b = 0`).
//! A student's cells use `b = 0`: students have no buffer, only the no-overlap rule.
//!
//! The booking layer should keep the cells it claimed on the booking (or the buffer they
//! were computed with) so that cancel and reschedule release exactly those cells even if
//! the instructor has changed the buffer since.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::Interval;

/// Length of a lock cell.
pub const CELL_MINUTES: u16 = 15;
const CELL_NANOS: i128 = 15 * 60 * 1_000_000_000;

/// The start instants of the cells that `[lesson.start, lesson.end + trailing_buffer_minutes)`
/// touches, in order. Intervals not on cell boundaries are rounded outwards, so any two
/// intervals that overlap always share a cell. Meant for lessons (at most 240 + 60 minutes,
/// i.e. at most 21 cells, well inside a 100-action `TransactWriteItems`).
pub fn lock_cells(lesson: Interval, trailing_buffer_minutes: u16) -> Vec<Timestamp> {
    let buffer_nanos = i128::from(trailing_buffer_minutes) * 60 * 1_000_000_000;
    let first = lesson.start().as_nanosecond().div_euclid(CELL_NANOS) * CELL_NANOS;
    let stop = lesson.end().as_nanosecond() + buffer_nanos;
    std::iter::successors(Some(first), |cell| Some(cell + CELL_NANOS))
        .take_while(|cell| *cell < stop)
        // Only fails past jiff's year 9999; such cells can never be claimed anyway.
        .map_while(|cell| Timestamp::from_nanosecond(cell).ok())
        .collect()
}

/// What a reschedule does with lock cells. DynamoDB forbids two actions on one item in a
/// transaction, so cells held both before and after the move must be left alone (or
/// re-pointed with one update), not deleted and re-created.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CellChanges {
    /// Held before, not after: delete.
    pub release: Vec<Timestamp>,
    /// Held after, not before: conditional put (must not exist).
    pub claim: Vec<Timestamp>,
    /// Held before and after: keep (optionally update to point at the moved booking).
    pub keep: Vec<Timestamp>,
}

/// Splits the move from `old` cells to `new` cells into release / claim / keep, each sorted.
pub fn cell_changes(old: &[Timestamp], new: &[Timestamp]) -> CellChanges {
    let old: BTreeSet<Timestamp> = old.iter().copied().collect();
    let new: BTreeSet<Timestamp> = new.iter().copied().collect();
    CellChanges {
        release: old.difference(&new).copied().collect(),
        claim: new.difference(&old).copied().collect(),
        keep: old.intersection(&new).copied().collect(),
    }
}
