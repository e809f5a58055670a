//! Lock cells: concrete values and the collision properties.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::support::*;
use crate::availability::{Interval, cell_changes, lock_cells};

const CELL_SECONDS: i64 = 900;

fn cell(rfc3339: &str) -> Timestamp {
    ts(rfc3339)
}

#[test]
fn a_lesson_claims_its_cells_and_the_buffer_after_it() {
    let lesson = busy("2026-03-04T15:00:00Z", "2026-03-04T16:00:00Z");
    let hour = [
        cell("2026-03-04T15:00:00Z"),
        cell("2026-03-04T15:15:00Z"),
        cell("2026-03-04T15:30:00Z"),
        cell("2026-03-04T15:45:00Z"),
    ];
    assert_eq!(lock_cells(lesson, 0), hour);
    let mut buffered = hour.to_vec();
    buffered.push(cell("2026-03-04T16:00:00Z"));
    assert_eq!(lock_cells(lesson, 15), buffered);
    // A 10-minute buffer rounds out to the same cell.
    assert_eq!(lock_cells(lesson, 10), buffered);
    // Off-grid intervals round outwards.
    assert_eq!(
        lock_cells(Interval::new(ts("2026-03-04T15:10:00Z"), ts("2026-03-04T15:20:00Z")).unwrap(), 0),
        [cell("2026-03-04T15:00:00Z"), cell("2026-03-04T15:15:00Z")]
    );
}

#[test]
fn lessons_exactly_one_buffer_apart_do_not_collide() {
    // 10:00-11:00 and 11:15-12:15 with a 15-minute buffer: allowed, so no shared cell.
    let a = lock_cells(Interval::new(ts("2026-03-04T15:00:00Z"), ts("2026-03-04T16:00:00Z")).unwrap(), 15);
    let b = lock_cells(Interval::new(ts("2026-03-04T16:15:00Z"), ts("2026-03-04T17:15:00Z")).unwrap(), 15);
    assert!(a.iter().all(|c| !b.contains(c)));
    // 11:00-12:00 breaks the buffer: they collide.
    let c = lock_cells(Interval::new(ts("2026-03-04T16:00:00Z"), ts("2026-03-04T17:00:00Z")).unwrap(), 15);
    assert!(a.iter().any(|x| c.contains(x)));
}

#[test]
fn a_reschedule_keeps_shared_cells_out_of_both_lists() {
    let old = lock_cells(Interval::new(ts("2026-03-04T15:00:00Z"), ts("2026-03-04T16:00:00Z")).unwrap(), 0);
    let new = lock_cells(Interval::new(ts("2026-03-04T15:30:00Z"), ts("2026-03-04T16:30:00Z")).unwrap(), 0);
    let changes = cell_changes(&old, &new);
    assert_eq!(changes.release, [cell("2026-03-04T15:00:00Z"), cell("2026-03-04T15:15:00Z")]);
    assert_eq!(changes.claim, [cell("2026-03-04T16:00:00Z"), cell("2026-03-04T16:15:00Z")]);
    assert_eq!(changes.keep, [cell("2026-03-04T15:30:00Z"), cell("2026-03-04T15:45:00Z")]);
}

fn aligned(start_cell: i64, cells: i64) -> Interval {
    let start = Timestamp::from_second(1_767_225_600 + start_cell * CELL_SECONDS).unwrap();
    let end = start + SignedDuration::from_secs(cells * CELL_SECONDS);
    Interval::new(start, end).unwrap()
}

fn cells_of(i: Interval, buffer: u16) -> Vec<Timestamp> {
    lock_cells(i, buffer)
}

fn intersect(a: &[Timestamp], b: &[Timestamp]) -> bool {
    a.iter().any(|x| b.binary_search(x).is_ok())
}

proptest! {
    #[test]
    fn aligned_intervals_overlap_iff_their_cells_intersect(
        a_start in 0_i64..400, a_len in 1_i64..=20, b_start in 0_i64..400, b_len in 1_i64..=20,
    ) {
        let (a, b) = (aligned(a_start, a_len), aligned(b_start, b_len));
        prop_assert_eq!(a.overlaps(b), intersect(&cells_of(a, 0), &cells_of(b, 0)));
    }

    #[test]
    fn with_a_common_buffer_cells_collide_iff_the_buffer_rule_is_broken(
        a_start in 0_i64..400, a_len in 1_i64..=20, b_start in 0_i64..400, b_len in 1_i64..=20,
        buffer in 0_u16..=60,
    ) {
        let (a, b) = (aligned(a_start, a_len), aligned(b_start, b_len));
        let broken = a.widened(SignedDuration::from_mins(i64::from(buffer))).overlaps(b);
        prop_assert_eq!(broken, intersect(&cells_of(a, buffer), &cells_of(b, buffer)));
    }

    #[test]
    fn back_to_back_intervals_share_no_cell(start in 0_i64..400, a_len in 1_i64..=20, b_len in 1_i64..=20) {
        let a = aligned(start, a_len);
        let b = aligned(start + a_len, b_len);
        prop_assert!(!intersect(&cells_of(a, 0), &cells_of(b, 0)));
    }

    #[test]
    fn any_overlapping_intervals_share_a_cell(
        a_start in 0_i64..10_000_000_000_000, a_len in 1_i64..20_000_000_000_000,
        b_start in 0_i64..10_000_000_000_000, b_len in 1_i64..20_000_000_000_000,
    ) {
        // Nanosecond-precision intervals within a few hours of each other.
        let base = 1_767_225_600_000_000_000_i128;
        let make = |s: i64, l: i64| {
            let start = Timestamp::from_nanosecond(base + i128::from(s)).unwrap();
            let end = Timestamp::from_nanosecond(base + i128::from(s) + i128::from(l)).unwrap();
            Interval::new(start, end).unwrap()
        };
        let (a, b) = (make(a_start, a_len), make(b_start, b_len));
        if a.overlaps(b) {
            prop_assert!(intersect(&cells_of(a, 0), &cells_of(b, 0)));
        }
        let cells = cells_of(a, 0);
        prop_assert!(cells.windows(2).all(|w| w[1].as_second() - w[0].as_second() == CELL_SECONDS));
        prop_assert!(cells.iter().all(|c| c.as_second() % CELL_SECONDS == 0 && c.subsec_nanosecond() == 0));
        prop_assert!(cells[0] <= a.start());
        prop_assert!(*cells.last().unwrap() + SignedDuration::from_secs(CELL_SECONDS) >= a.end());
    }
}
