//! The booking events published to the events queue for later consumers (notifications,
//! analytics). Each is written to the outbox in the transaction that makes the change it
//! describes, so an event exists exactly when its change does.

use jiff::Timestamp;
use serde::Serialize;

use super::{BookingStatus, model::Booking};
use crate::{
    ids::{BookingId, InstructorId, OfferingId, UserId},
    {money::Cents, queue::Envelope},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Cancelled,
    Rescheduled,
    Completed,
    NoShow,
}

impl EventKind {
    pub const ALL: [EventKind; 5] =
        [EventKind::Created, EventKind::Cancelled, EventKind::Rescheduled, EventKind::Completed, EventKind::NoShow];

    /// The envelope `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "booking.created",
            EventKind::Cancelled => "booking.cancelled",
            EventKind::Rescheduled => "booking.rescheduled",
            EventKind::Completed => "booking.completed",
            EventKind::NoShow => "booking.no_show",
        }
    }
}

/// The payload every booking event carries: enough for an email or a counter without
/// reading the booking again. No email addresses: consumers look contacts up themselves.
#[derive(Debug, Clone, Serialize)]
pub struct BookingEvent<'a> {
    pub booking_id: &'a BookingId,
    pub instructor_id: &'a InstructorId,
    pub student_id: &'a UserId,
    pub offering_id: &'a OfferingId,
    pub service: &'a str,
    pub start: Timestamp,
    pub end: Timestamp,
    pub price_cents: Cents,
    pub currency: &'static str,
    pub status: BookingStatus,
    /// Cancelled inside the free-cancellation period.
    pub late: bool,
    /// Where a rescheduled lesson was before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_start: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_end: Option<Timestamp>,
}

/// The event for `booking` as it is after the change; `previous` is the old
/// (start, end) of a reschedule.
pub fn envelope(
    kind: EventKind,
    booking: &Booking,
    now: Timestamp,
    previous: Option<(Timestamp, Timestamp)>,
) -> Envelope {
    let payload = BookingEvent {
        booking_id: &booking.id,
        instructor_id: &booking.instructor_id,
        student_id: &booking.student_id,
        offering_id: &booking.offering_id,
        service: &booking.service,
        start: booking.start,
        end: booking.end,
        price_cents: booking.price_cents,
        currency: crate::money::CURRENCY,
        status: booking.status,
        late: booking.cancellation.as_ref().is_some_and(|c| c.late),
        previous_start: previous.map(|p| p.0),
        previous_end: previous.map(|p| p.1),
    };
    // Serialising plain strings, numbers and timestamps cannot fail.
    Envelope::new(kind.as_str(), now, serde_json::to_value(payload).unwrap_or_default())
}
