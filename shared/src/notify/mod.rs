//! Booking notifications (PRODUCT.md §5): confirmation, cancellation and reschedule mails
//! to both parties, and a reminder 24 hours before the lesson.
//!
//! They are sent from events, never from the request: the booking functions publish
//! booking events through the outbox onto the notifications queue, and the
//! `booking-notify` consumer mails them, so a failing mail service never fails or slows a
//! booking. Each mail is claimed once per (event, recipient) before it is sent
//! ([`once`]), so an event delivered twice mails once. Reminders are due-hour index items
//! written when a booking is confirmed or moved ([`reminders`]); the booking-outbox
//! schedule turns the due ones into `notify.reminder_due` events on the same queue.

pub mod compose;
pub mod consume;
pub mod once;
pub mod reminders;

pub use consume::{NotifyError, Outcome, apply};

/// The event the reminder sweep publishes for one lesson.
pub const REMINDER_DUE: &str = "notify.reminder_due";

/// How long before the lesson its reminder goes out.
pub const REMINDER_LEAD: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The event kinds the notifications queue takes: booking events and due reminders.
pub fn takes(kind: &str) -> bool {
    kind.starts_with("booking.") || kind == REMINDER_DUE
}

/// The event kinds the analytics events queue takes: everything but reminder ticks.
pub fn analytics_takes(kind: &str) -> bool {
    kind != REMINDER_DUE
}

/// Who a mail goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Student,
    Instructor,
}

impl Recipient {
    pub const BOTH: [Recipient; 2] = [Recipient::Student, Recipient::Instructor];

    pub fn as_str(self) -> &'static str {
        match self {
            Recipient::Student => "student",
            Recipient::Instructor => "instructor",
        }
    }
}
