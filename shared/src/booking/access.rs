//! Who may do what to one booking (PRODUCT.md §2, object-level checks).
//!
//! A route declares one permission (the access layer enforces it); which further
//! permission applies depends on the caller's relation to the booking, so it is decided
//! here. Anyone unrelated to a booking, without the admin permission for the action, gets
//! the same 404 as for an id that does not exist: other users' ids are never confirmed.

use super::{
    error::Refusal,
    model::{Actor, Booking},
};
use crate::{auth::Caller, rbac::Permission};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    View,
    Cancel,
    /// Only the booking's student moves their lesson.
    Reschedule,
    /// Complete, no-show, and editing the instructor's note and meeting location: only
    /// the booking's instructor.
    Conduct,
}

impl Action {
    /// The permission the caller needs in each relation; `None`: that relation may not.
    fn permission(self, relation: Actor) -> Option<Permission> {
        use Permission::*;
        match (self, relation) {
            (Action::View, Actor::Student) => Some(ViewBookingDetails),
            (Action::View, Actor::Instructor) => Some(ViewIncomingBookings),
            (Action::View, Actor::Admin) => Some(ViewAllBookings),
            (Action::Cancel, Actor::Student) => Some(CancelOwnBookings),
            (Action::Cancel, Actor::Instructor) => Some(CancelStudentBookings),
            (Action::Cancel, Actor::Admin) => Some(ManageAllBookings),
            (Action::Reschedule, Actor::Student) => Some(CreateBookings),
            (Action::Conduct, Actor::Instructor) => Some(CompleteBookings),
            (Action::Reschedule | Action::Conduct, _) => None,
        }
    }
}

/// The caller's relation to `booking` for `action`, or the refusal.
pub fn authorize(booking: &Booking, caller: &Caller, action: Action) -> Result<Actor, Refusal> {
    let relation = if caller.user_id == booking.student_id {
        Actor::Student
    } else if caller.user_id == booking.instructor_id.as_user() {
        Actor::Instructor
    } else {
        Actor::Admin
    };
    match action.permission(relation) {
        Some(permission) if caller.can(permission) => Ok(relation),
        // A party to the booking knows it exists: tell them what they lack.
        Some(permission) if relation != Actor::Admin => {
            Err(Refusal::forbidden("permission_denied", format!("this action needs the {permission} permission")))
        }
        _ if relation == Actor::Admin => Err(Refusal::booking_not_found()),
        _ => Err(Refusal::forbidden("not_allowed_for_party", "the other party of this lesson does that")),
    }
}
