//! Lock cells: the items that make "no double booking" an atomic invariant.
//!
//! A confirmed booking holds one item per 15-minute cell of its lesson for the student,
//! and of its lesson plus the instructor's trailing buffer for the instructor (see
//! `availability::lock_cells` for why the buffer goes after the lesson only). Creating a
//! booking puts every cell conditional on absence in the same transaction as the booking,
//! so of two overlapping claims exactly one commits. Cancel deletes the cells in the
//! transaction that changes the status; reschedule releases, claims and keeps cells
//! (`availability::cell_changes`) in the transaction that moves the booking.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{model::Booking, policy::LOCK_RETENTION};
use crate::{
    availability::{Interval, cell_changes, lock_cells},
    ids::BookingId,
    store::{
        Key, Record, StoreError, TxAction, keys,
        transact::{Condition, TransactError},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Instructor,
    Student,
}

impl Party {
    fn key_part(self) -> &'static str {
        match self {
            Party::Instructor => "INSTR",
            Party::Student => "STUDENT",
        }
    }

    /// The transaction label prefix of this party's cells.
    pub fn label(self) -> &'static str {
        match self {
            Party::Instructor => "instructor-cell",
            Party::Student => "student-cell",
        }
    }
}

/// Whether a cell is covered by the lesson itself or only by the trailing buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    Lesson,
    Buffer,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "lock")]
pub struct LockItem {
    pub booking_id: BookingId,
    pub party: Party,
    pub kind: CellKind,
    pub cell: Timestamp,
}

/// One cell a booking holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub party: Party,
    pub start: Timestamp,
    pub kind: CellKind,
}

pub fn key(party: Party, owner_id: &str, cell: Timestamp) -> Key {
    keys::lock_cell(party.key_part(), owner_id, &cell.to_string())
}

/// The cells of one party for a lesson with that party's trailing buffer.
fn party_cells(party: Party, lesson: Interval, buffer_minutes: u16) -> Vec<Cell> {
    lock_cells(lesson, buffer_minutes)
        .into_iter()
        .map(|start| Cell {
            party,
            start,
            kind: if start < lesson.end() { CellKind::Lesson } else { CellKind::Buffer },
        })
        .collect()
}

/// Every cell `booking` holds while confirmed, instructor cells first.
pub fn cells_of(booking: &Booking, lesson: Interval) -> Vec<Cell> {
    let mut cells = party_cells(Party::Instructor, lesson, booking.buffer_minutes);
    cells.extend(party_cells(Party::Student, lesson, 0));
    cells
}

fn owner(booking: &Booking, party: Party) -> &str {
    match party {
        Party::Instructor => booking.instructor_id.as_str(),
        Party::Student => booking.student_id.as_str(),
    }
}

fn record(booking: &Booking, cell: Cell) -> Record<LockItem> {
    let expires = booking.end.checked_add(LOCK_RETENTION).unwrap_or(booking.end).as_second();
    Record::new(
        key(cell.party, owner(booking, cell.party), cell.start),
        LockItem { booking_id: booking.id.clone(), party: cell.party, kind: cell.kind, cell: cell.start },
    )
    .expires_at(expires)
}

/// A claim's transaction label names the cell, so a cancelled transaction says which cell
/// was taken (`instructor-cell@2026-12-01T15:00:00Z`).
fn label(cell: Cell) -> String {
    format!("{}@{}", cell.party.label(), cell.start)
}

/// Conditional puts claiming `cells` for `booking`: each fails if the cell is held.
pub fn claim(booking: &Booking, cells: &[Cell]) -> Result<Vec<TxAction>, StoreError> {
    cells.iter().map(|&cell| TxAction::put(label(cell), &record(booking, cell), Condition::absent())).collect()
}

/// The condition that a cell is this booking's (or already gone, which releasing tolerates).
fn ours_or_gone(booking_id: &BookingId) -> Condition {
    Condition::expr("attribute_not_exists(PK) OR booking_id = :booking_id").string(":booking_id", booking_id)
}

/// Deletes releasing `cells` of `booking`, never a cell another booking holds.
pub fn release(booking: &Booking, cells: &[Cell]) -> Result<Vec<TxAction>, StoreError> {
    cells
        .iter()
        .map(|&cell| {
            TxAction::delete(
                format!("release-{}", cell.party.label()),
                &key(cell.party, owner(booking, cell.party), cell.start),
                ours_or_gone(&booking.id),
            )
        })
        .collect()
}

/// The actions moving `moved` (already at its new time) from the cells `old` to `new`:
/// release what is no longer needed, claim what is new, and rewrite the cells held in
/// both (their kind may change). No cell is touched twice, as DynamoDB requires.
pub fn moves(moved: &Booking, old: &[Cell], new: &[Cell]) -> Result<Vec<TxAction>, StoreError> {
    let mut actions = Vec::new();
    for party in [Party::Instructor, Party::Student] {
        let starts = |cells: &[Cell]| cells.iter().filter(|c| c.party == party).map(|c| c.start).collect::<Vec<_>>();
        let changes = cell_changes(&starts(old), &starts(new));
        let new_cell = |start: Timestamp| new.iter().copied().find(|c| c.party == party && c.start == start);
        let released: Vec<Cell> =
            changes.release.iter().map(|&start| Cell { party, start, kind: CellKind::Lesson }).collect();
        actions.extend(release(moved, &released)?);
        let claimed: Vec<Cell> = changes.claim.iter().filter_map(|&s| new_cell(s)).collect();
        actions.extend(claim(moved, &claimed)?);
        for cell in changes.keep.iter().filter_map(|&s| new_cell(s)) {
            actions.push(TxAction::put(
                format!("keep-{}", party.label()),
                &record(moved, cell),
                ours_or_gone(&moved.id),
            )?);
        }
    }
    Ok(actions)
}

/// The cell a claim failed on, read back from the failed action's label.
pub fn failed_claim(err: &TransactError) -> Option<(Party, Timestamp)> {
    let TransactError::ConditionFailed { label, .. } = err else { return None };
    let (prefix, cell) = label.split_once('@')?;
    let party = [Party::Instructor, Party::Student].into_iter().find(|p| p.label() == prefix)?;
    Some((party, cell.parse().ok()?))
}
